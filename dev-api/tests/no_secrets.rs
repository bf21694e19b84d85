//! The real binary prints no secret: not the JWT secret, not a token, not a password hash,
//! not a request body — only its two start lines and a settings summary.
//!
//! Runs `dev-api --port 0 --token-format jwt --jwt-secret …`, drives logins, a signup and a
//! data request over a real socket with hand-written HTTP/1.1, stops it, and reads everything
//! it wrote to stdout and stderr.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const JWT_SECRET: &str = "s3cret-that-must-never-be-printed-4f1c";
const SIGNUP_PASSWORD: &str = "signup-password-never-printed";

/// Sends one request on its own connection; answers the raw response.
fn http(address: &str, method: &str, path: &str, headers: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(address).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("sets a timeout");
    let request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{headers}\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).expect("writes");
    let mut response = String::new();
    stream.read_to_string(&mut response).expect("reads");
    response
}

/// The JSON body of a raw response.
fn body(response: &str) -> serde_json::Value {
    let (_, body) = response.split_once("\r\n\r\n").expect("a head and a body");
    serde_json::from_str(body).unwrap_or_else(|error| panic!("{error}: {response}"))
}

/// Stops the server gracefully (SIGTERM) where possible, else kills it; waits for it.
fn stop(child: &mut Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn the_binary_logs_no_secret_token_hash_or_body() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_dev-api"))
        .args([
            "--port",
            "0",
            "--token-format",
            "jwt",
            "--jwt-secret",
            JWT_SECRET,
            "--counters",
            "--faults",
        ])
        .env_remove("DEV_API_JWT_SECRET")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("piped stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("reads the first line");
    let address = first
        .trim()
        .strip_prefix("dev-api listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {first:?}"))
        .to_owned();

    let login = http(
        &address,
        "POST",
        "/api:auth/auth/login",
        "",
        r#"{"email":"demo@tokengrid.dev","password":"tokengrid-demo"}"#,
    );
    assert!(login.starts_with("HTTP/1.1 200 OK\r\n"), "{login}");
    let token = body(&login)["authToken"]
        .as_str()
        .expect("a token")
        .to_owned();
    let data = http(
        &address,
        "GET",
        "/api:data/customers?page=1",
        &format!("Authorization: Bearer {token}\r\n"),
        "",
    );
    assert!(data.starts_with("HTTP/1.1 200 OK\r\n"), "{data}");
    let wrong = http(
        &address,
        "POST",
        "/api:auth/auth/login",
        "",
        r#"{"email":"demo@tokengrid.dev","password":"wrong-password"}"#,
    );
    assert!(wrong.starts_with("HTTP/1.1 403"), "{wrong}");
    let signup_body = format!(
        r#"{{"name":"Nobody","email":"nobody@example.com","password":"{SIGNUP_PASSWORD}"}}"#
    );
    let signup = http(&address, "POST", "/api:auth/auth/signup", "", &signup_body);
    let signup_token = body(&signup)["authToken"]
        .as_str()
        .expect("a token")
        .to_owned();
    let revoke = http(&address, "POST", "/__dev/revoke", "", "");
    assert!(revoke.starts_with("HTTP/1.1 200 OK\r\n"), "{revoke}");

    stop(&mut child);
    let mut output = first;
    stdout.read_to_string(&mut output).expect("reads stdout");
    child
        .stderr
        .take()
        .expect("piped stderr")
        .read_to_string(&mut output)
        .expect("reads stderr");

    // Both streams were read: the start lines, the settings summary and the shutdown note.
    for expected in [
        "demo login: demo@tokengrid.dev / tokengrid-demo",
        "dev-api: tokens jwt for 60 s; login rate limit 10 per 20 s per e-mail",
    ] {
        assert!(output.contains(expected), "{output}");
    }
    for secret in [
        JWT_SECRET,
        token.as_str(),
        signup_token.as_str(),
        SIGNUP_PASSWORD,
        "wrong-password",
        "argon2",
        "authToken",
        "nobody@example.com",
    ] {
        assert!(
            !output.to_lowercase().contains(&secret.to_lowercase()),
            "the output holds {secret:?}:\n{output}"
        );
    }
}
