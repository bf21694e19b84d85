//! Serving the app on a TCP listener: HTTP/1.1, a header read timeout and graceful shutdown.
//!
//! `axum::serve` sets no timer on its connections, so a client that opens a connection and
//! never finishes a request's head (or never sends one) holds it open forever. Here each
//! connection gets hyper's header read timeout: when a request head is not complete within it
//! (counted from the moment the server starts waiting for one, so an idle keep-alive
//! connection too), the connection is closed without an answer.

use std::future::Future;
use std::io;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;

/// How long a client may take to send a complete request head unless `--header-timeout-ms`
/// says otherwise. A browser sends a head in one go; ten seconds is generous.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` resolves, then stops accepting and waits for
/// the open connections to finish their current request.
///
/// Every connection closes when a request head is not complete within
/// `header_read_timeout`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    header_read_timeout: Duration,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    if let Some(pause) = pause_after_accept_error(error.kind()) {
                        tokio::time::sleep(pause).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(header_read_timeout);
        let connection =
            builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(app.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A failed connection (timeout, reset, the `drop` fault) concerns only its client.
            let _ = connection.await;
        });
    }
    drop(listener);
    graceful.shutdown().await;
}

/// How long to pause after a failed `accept`: not at all when only that connection failed
/// (the client gave up), a moment otherwise (e.g. out of file descriptors) rather than spin.
fn pause_after_accept_error(error: io::ErrorKind) -> Option<Duration> {
    let per_connection = matches!(
        error,
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    );
    (!per_connection).then_some(Duration::from_secs(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_errors_beyond_one_connection_pause_accepting() {
        for kind in [
            io::ErrorKind::ConnectionRefused,
            io::ErrorKind::ConnectionAborted,
            io::ErrorKind::ConnectionReset,
        ] {
            assert_eq!(pause_after_accept_error(kind), None, "{kind:?}");
        }
        assert_eq!(
            pause_after_accept_error(io::ErrorKind::OutOfMemory),
            Some(Duration::from_secs(1))
        );
    }
}
