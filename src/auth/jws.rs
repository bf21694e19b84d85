//! Reading the times out of a JWS (signed JWT) without verifying it.
//!
//! The client never trusts a token's claims for security — the server does
//! that — it only reads `exp` and `iat` to renew ahead of expiry. Opaque
//! tokens (Xano's JWE: five parts, encrypted) yield nothing here.
//!
//! The base64url decoder is a dozen lines rather than a crate: it is all the
//! client needs, and the bundle budget counts every kilobyte.

use serde_json::Value;

/// The times a JWS payload declares, in seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct JwsTimes {
    /// `exp`: when the token stops being valid.
    pub expires: f64,
    /// `iat`: when it was issued, if the token says.
    pub issued: Option<f64>,
}

/// `exp` (and `iat`) of a three-part JWS, or `None` for anything else.
pub fn jws_times(token: &str) -> Option<JwsTimes> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None; // five parts: a JWE, opaque by design
    }
    // Read as text first: the same parser (`from_str`) as every other JSON
    // in the app, so the bundle carries one copy of it (invalid UTF-8 is
    // refused either way).
    let payload = String::from_utf8(base64url_decode(payload)?).ok()?;
    let claims: Value = serde_json::from_str(&payload).ok()?;
    let expires = claims
        .get("exp")?
        .as_f64()
        .filter(|e| e.is_finite() && *e > 0.0)?;
    let issued = claims
        .get("iat")
        .and_then(Value::as_f64)
        .filter(|i| i.is_finite() && *i <= expires);
    Some(JwsTimes { expires, issued })
}

/// Decodes unpadded (or padded) base64url; `None` on any invalid character.
fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for byte in text.bytes() {
        let value = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        buffer = (buffer << 6) | u32::from(value);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((buffer >> bits) as u8);
            buffer &= (1 << bits) - 1;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // {"alg":"HS256","typ":"JWT"} . {"sub":"1","iat":1700000000,"exp":1700000060} . sig
    const JWS: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIiwiaWF0IjoxNzAwMDAwMDAwLCJleHAiOjE3MDAwMDAwNjB9.c2ln";

    #[test]
    fn reads_exp_and_iat_of_a_jws() {
        assert_eq!(
            jws_times(JWS),
            Some(JwsTimes {
                expires: 1_700_000_060.0,
                issued: Some(1_700_000_000.0)
            })
        );
    }

    #[test]
    fn exp_alone_is_enough() {
        // {"exp":1700000060}
        assert_eq!(
            jws_times("e30.eyJleHAiOjE3MDAwMDAwNjB9.x"),
            Some(JwsTimes {
                expires: 1_700_000_060.0,
                issued: None
            })
        );
    }

    #[test]
    fn opaque_and_malformed_tokens_yield_nothing() {
        let jwe = "eyJhbGciOiJBMjU2S1ciLCJlbmMiOiJBMjU2Q0JDLUhTNTEyIiwiemlwIjoiREVGIn0.a.b.c.d";
        for token in [
            jwe,
            "opaque-random-token",
            "a.b",
            "a.!!!.c",
            "e30.e30.x",
            "e30.eyJleHAiOiJzb29uIn0.x",
        ] {
            assert_eq!(jws_times(token), None, "{token}");
        }
    }

    #[test]
    fn a_payload_that_is_not_utf8_yields_nothing() {
        // {"sub":"<0xff>","exp":60}: a valid claim beside bytes that are not text
        let payload = [&br#"{"sub":""#[..], &[0xff], &br#"","exp":60}"#[..]].concat();
        let token = format!("e30.{}.x", base64url(&payload));
        assert_eq!(jws_times(&token), None);
        // The same claims as text are read.
        let token = format!("e30.{}.x", base64url(br#"{"sub":"y","exp":60}"#));
        assert_eq!(jws_times(&token).map(|t| t.expires), Some(60.0));
    }

    /// Unpadded base64url, for building test tokens.
    fn base64url(bytes: &[u8]) -> String {
        const ALPHABET: &[u8; 64] =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n =
                chunk.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            }
        }
        out
    }

    #[test]
    fn exp_must_be_a_positive_time_and_iat_not_after_it() {
        // {"exp":0} and {"exp":-60}
        assert_eq!(jws_times("e30.eyJleHAiOjB9.x"), None);
        assert_eq!(jws_times("e30.eyJleHAiOi02MH0.x"), None);
        // {"iat":120,"exp":60}: an iat after exp is ignored
        assert_eq!(
            jws_times("e30.eyJpYXQiOjEyMCwiZXhwIjo2MH0.x"),
            Some(JwsTimes {
                expires: 60.0,
                issued: None
            })
        );
        // {"iat":60,"exp":60}: issued at its expiry is still an iat
        assert_eq!(
            jws_times("e30.eyJpYXQiOjYwLCJleHAiOjYwfQ.x"),
            Some(JwsTimes {
                expires: 60.0,
                issued: Some(60.0)
            })
        );
    }

    #[test]
    fn base64url_decodes_every_alphabet_range() {
        // "Man" "is" "a" — every 6-bit group and the 2- and 1-byte tails.
        assert_eq!(base64url_decode("TWFu").unwrap(), b"Man");
        assert_eq!(base64url_decode("aXM").unwrap(), b"is");
        assert_eq!(base64url_decode("YQ").unwrap(), b"a");
        assert_eq!(
            base64url_decode("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-P0BBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWltcXV5fYGFiY2RlZmdoaWprbG1ub3BxcnN0dXZ3eHl6e3x9fn-AgYKDhIWGh4iJiouMjY6PkJGSk5SVlpeYmZqbnJ2en6ChoqOkpaanqKmqq6ytrq-wsbKztLW2t7i5uru8vb6_wMHCw8TFxsfIycrLzM3Oz9DR0tPU1dbX2Nna29zd3t_g4eLj5OXm5-jp6uvs7e7v8PHy8_T19vf4-fr7_P3-_w")
                .unwrap(),
            (0..=255u8).collect::<Vec<_>>()
        );
        for bad in ["a+b", "a/b", "a b", "a.b"] {
            assert_eq!(base64url_decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn base64url_round_trips_known_values() {
        assert_eq!(base64url_decode("aGVsbG8").unwrap(), b"hello");
        assert_eq!(base64url_decode("aGVsbG8=").unwrap(), b"hello");
        assert_eq!(base64url_decode("_-8").unwrap(), [0xff, 0xef]);
        assert_eq!(base64url_decode("").unwrap(), b"");
    }
}
