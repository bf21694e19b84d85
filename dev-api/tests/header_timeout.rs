//! The header read timeout on a real socket: a client that never finishes its request head
//! has its connection closed, while complete requests are answered as usual.
//!
//! The app is served by `dev_api::serve` (as `main` serves it) on 127.0.0.1:0 with a short
//! timeout, and spoken to over a std `TcpStream`.

mod support;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use support::Server;

/// Short, so the test is quick; nothing is asserted about how quickly the close comes.
const HEADER_TIMEOUT: Duration = Duration::from_millis(200);

/// Longer than the test should ever wait: a read that times out means the server kept the
/// connection open.
const CLIENT_PATIENCE: Duration = Duration::from_secs(20);

async fn serve(server: &Server) -> SocketAddr {
    server.serve_on_loopback(HEADER_TIMEOUT).await.0
}

/// How a connection ended for a client that sent `bytes` and then only read.
#[derive(Debug, PartialEq)]
enum End {
    /// The server closed it (EOF or reset) after sending these bytes.
    Closed(String),
    /// Still open when the client gave up waiting.
    StillOpen,
}

async fn send_and_wait(address: SocketAddr, bytes: &'static str) -> End {
    tokio::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(address).expect("connects");
        stream
            .set_read_timeout(Some(CLIENT_PATIENCE))
            .expect("sets a timeout");
        stream.write_all(bytes.as_bytes()).expect("writes");
        let mut received = Vec::new();
        let mut buf = [0_u8; 4096];
        loop {
            match stream.read(&mut buf) {
                Ok(0) => return End::Closed(String::from_utf8_lossy(&received).into_owned()),
                Ok(n) => received.extend_from_slice(&buf[..n]),
                Err(error) if error.kind() == ErrorKind::ConnectionReset => {
                    return End::Closed(String::from_utf8_lossy(&received).into_owned());
                }
                Err(error)
                    if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
                {
                    return End::StillOpen;
                }
                Err(error) => panic!("read failed: {error}"),
            }
        }
    })
    .await
    .expect("the client thread finishes")
}

#[tokio::test]
async fn a_request_head_that_never_finishes_gets_its_connection_closed() {
    let address = serve(&Server::default()).await;

    // Half a request line, then silence: closed, and no answer is sent.
    assert_eq!(
        send_and_wait(address, "GET /api:data/cust").await,
        End::Closed(String::new())
    );
    // A full request line and one header, but never the blank line that ends the head.
    assert_eq!(
        send_and_wait(address, "GET /api:auth/__dev/hint HTTP/1.1\r\nHost: x\r\n").await,
        End::Closed(String::new())
    );
    // A connection that sends nothing at all is closed too.
    assert_eq!(send_and_wait(address, "").await, End::Closed(String::new()));
}

#[tokio::test]
async fn complete_requests_are_answered_under_the_timeout() {
    let address = serve(&Server::default()).await;
    let End::Closed(answer) = send_and_wait(
        address,
        "GET /api:auth/__dev/hint HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    .await
    else {
        panic!("the connection stayed open after a Connection: close request");
    };
    assert!(answer.starts_with("HTTP/1.1 200 OK\r\n"), "{answer}");
    assert!(answer.contains("tokengrid-demo"), "{answer}");
}
