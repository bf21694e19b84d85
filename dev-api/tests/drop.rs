//! The `drop` fault on a real socket: the server closes the connection without writing a
//! single byte of HTTP answer, so a browser sees a network error.
//!
//! The app is served with `dev_api::serve` on 127.0.0.1:0 (exactly as `main` serves it) and
//! spoken to with a hand-written HTTP/1.1 request over a std `TcpStream`.

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use dev_api::{CUSTOMERS_PATH, LOGIN_PATH};
use serde_json::json;
use support::Server;

/// Serves `server`'s router on a free loopback port; the task ends with the test.
async fn serve(server: &Server) -> SocketAddr {
    let (address, _) = server
        .serve_on_loopback(dev_api::DEFAULT_HEADER_READ_TIMEOUT)
        .await;
    address
}

/// What a raw client read on one connection after sending `requests`: every byte until the
/// server closed it, and whether the close was a reset rather than an orderly EOF.
struct Wire {
    bytes: Vec<u8>,
    reset: bool,
}

impl Wire {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

/// Sends `requests` on one connection and reads until the server closes it (blocking, so run
/// it on the blocking pool while the runtime serves).
async fn exchange(address: SocketAddr, requests: String) -> Wire {
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .expect("sets a timeout");
        stream.write_all(requests.as_bytes()).expect("writes");
        let mut bytes = Vec::new();
        let mut buf = [0_u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => {
                    return Wire {
                        bytes,
                        reset: false,
                    };
                }
                Ok(n) => bytes.extend_from_slice(&buf[..n]),
                Err(error) if error.kind() == ErrorKind::ConnectionReset => {
                    return Wire { bytes, reset: true };
                }
                Err(error) => panic!("read failed ({error}) after {bytes:?}"),
            }
        }
    })
    .await
    .expect("the client thread finishes")
}

fn get(path: &str, close: bool) -> String {
    let connection = if close { "close" } else { "keep-alive" };
    // The client's own `Connection: close` makes the server close after answering; a
    // keep-alive request shows whether the server decides to close by itself.
    format!(
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://grid.example\r\nConnection: {connection}\r\n\r\n"
    )
}

#[tokio::test]
async fn drop_closes_the_connection_without_any_http_answer() {
    let server = Server::with_faults();
    server
        .fault(json!({"endpoint": "GET /api:data/customers", "fault": "drop", "count": 1}))
        .await;
    let address = serve(&server).await;

    let dropped = exchange(address, get(CUSTOMERS_PATH, true)).await;
    assert!(
        dropped.bytes.is_empty(),
        "no byte of an answer may be sent, got {:?}",
        dropped.text()
    );
    // An orderly close (EOF), which Chromium reports as net::ERR_EMPTY_RESPONSE.
    assert!(!dropped.reset, "expected EOF, not a reset");

    // The count is used up: the next connection gets the normal answer (a 401 here).
    let normal = exchange(address, get(CUSTOMERS_PATH, true)).await;
    assert!(
        normal.text().starts_with("HTTP/1.1 401 Unauthorized\r\n"),
        "{}",
        normal.text()
    );
    assert!(
        normal
            .text()
            .contains("access-control-allow-origin: https://grid.example")
    );

    assert_eq!(
        server.counters().await,
        json!({"GET /api:data/customers": {"requests": 2, "status": {"0": 1, "401": 1}}})
    );
}

/// Chromium silently resends a request whose reused keep-alive connection closes without an
/// answer; so with faults on, no connection is ever reused and a dropped request is seen.
#[tokio::test]
async fn with_faults_on_every_answer_closes_its_connection() {
    // The second request asks to close, so the exchange ends either way.
    let pipelined = format!(
        "{}{}",
        get("/api:auth/__dev/hint", false),
        get("/api:auth/__dev/hint", true)
    );

    let faults = Server::with_faults();
    let wire = exchange(serve(&faults).await, pipelined.clone()).await;
    let text = wire.text();
    assert!(text.starts_with("HTTP/1.1 200 OK\r\n"), "{text}");
    assert!(text.contains("\r\nconnection: close\r\n"), "{text}");
    assert_eq!(text.matches("HTTP/1.1 ").count(), 1, "{text}");

    // Without faults, keep-alive is untouched: both pipelined requests are answered.
    let plain = Server::new(dev_api::Config::default());
    let wire = exchange(serve(&plain).await, pipelined).await;
    let text = wire.text();
    assert_eq!(text.matches("HTTP/1.1 200 OK\r\n").count(), 2, "{text}");
    assert_eq!(text.matches("connection: close").count(), 1, "{text}");
}

#[tokio::test]
async fn drop_of_a_post_with_a_body_sends_nothing_either() {
    let server = Server::with_faults();
    server
        .fault(
            json!({"endpoint": "POST /api:auth/auth/login", "fault": "drop", "probability": 1.0}),
        )
        .await;
    let address = serve(&server).await;
    let body = r#"{"email":"demo@tokengrid.dev","password":"tokengrid-demo"}"#;
    let request = format!(
        "POST {LOGIN_PATH} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    for _ in 0..3 {
        let wire = exchange(address, request.clone()).await;
        assert!(wire.bytes.is_empty(), "{:?}", wire.text());
        assert!(
            !wire.reset,
            "the body was read, so the close is an EOF, not a reset"
        );
    }
}
