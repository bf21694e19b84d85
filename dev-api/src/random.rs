//! Secret random bytes from the operating system, without panicking when it fails.

use rand::RngCore;
use rand::rngs::OsRng;

/// Fills `buf` from the OS random number generator.
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), rand::Error> {
    OsRng.try_fill_bytes(buf)
}

/// `len` fresh random bytes.
pub(crate) fn bytes(len: usize) -> Result<Vec<u8>, rand::Error> {
    let mut buf = vec![0; len];
    fill(&mut buf)?;
    Ok(buf)
}
