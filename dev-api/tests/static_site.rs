//! `--serve-dist`: files, the `index.html` fallback, API paths that stay 404s, and the
//! startup check.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use dev_api::{AppState, CUSTOMERS_PATH, Config, StartupError};

mod support;
use support::{NOT_FOUND, Server, assert_exact};

/// A temporary directory removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("dev-api-test-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn serve_dist_serves_files_and_falls_back_to_index_html() {
    let dist = TempDir::new("dist");
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>tokengrid</title>",
    )
    .expect("write index");
    std::fs::write(dist.path().join("app.js"), "console.log('hi');").expect("write js");
    let server = Server::new(Config {
        serve_dist: Some(dist.path().to_path_buf()),
        ..Config::default()
    });

    for path in ["/", "/index.html", "/grid/settings", "/missing.png"] {
        let answer = server.get(path, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert!(answer.text().contains("<title>tokengrid</title>"), "{path}");
        assert!(
            answer
                .header("content-type")
                .is_some_and(|kind| kind.starts_with("text/html")),
            "{path}"
        );
    }
    let js = server.get("/app.js", None).await;
    assert_eq!(js.status, StatusCode::OK);
    assert_eq!(js.text(), "console.log('hi');");

    // API routes keep precedence, and unknown API paths stay Xano 404s.
    let token = server.token().await;
    assert_eq!(
        server.get(CUSTOMERS_PATH, Some(&token)).await.status,
        StatusCode::OK
    );
    for path in ["/api:data/orders", "/__dev/counters"] {
        assert_exact(
            &server.get(path, None).await,
            StatusCode::NOT_FOUND,
            NOT_FOUND,
        );
    }
    // Only reads are served from the site.
    assert_exact(
        &server.post("/grid/settings", "{}").await,
        StatusCode::NOT_FOUND,
        NOT_FOUND,
    );
}

/// The policy a release build writes into `index.html` (shortened).
const PAGE_POLICY: &str = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='; connect-src 'self' https://x8ki-letl-twmt.n7.xano.io; style-src 'self'";

fn page_with_policy(policy: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\" />\n    <meta http-equiv=\"Content-Security-Policy\" content=\"{policy}\" />\n<title>tokengrid</title></head></html>"
    )
}

fn assert_static_host_headers(answer: &support::Answer, policy: &str, what: &str) {
    assert_eq!(
        answer.header("x-content-type-options"),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        answer.header("referrer-policy"),
        Some("no-referrer"),
        "{what}"
    );
    assert_eq!(
        answer.header("content-security-policy"),
        Some(policy),
        "{what}"
    );
}

#[tokio::test]
async fn serve_dist_sends_the_pages_policy_with_framing_forbidden_and_the_static_host_headers() {
    let dist = TempDir::new("headers");
    std::fs::write(
        dist.path().join("index.html"),
        page_with_policy(PAGE_POLICY),
    )
    .expect("write index");
    std::fs::write(dist.path().join("app.js"), "console.log('hi');").expect("write js");
    let server = Server::new(Config {
        serve_dist: Some(dist.path().to_path_buf()),
        ..Config::default()
    });
    let expected = format!("{PAGE_POLICY}; frame-ancestors 'none'");

    for path in ["/", "/index.html", "/grid/settings", "/app.js"] {
        let answer = server.get(path, None).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_static_host_headers(&answer, &expected, path);
    }
    // API answers are Xano's: none of the page's headers.
    let token = server.token().await;
    for answer in [
        server.get(CUSTOMERS_PATH, Some(&token)).await,
        server.get("/api:data/orders", None).await,
    ] {
        assert_eq!(answer.header("content-security-policy"), None);
        assert_eq!(answer.header("referrer-policy"), None);
    }

    // The policy follows the page: re-configured (and its meta tag rewritten), or without one.
    let changed = "default-src 'none'; connect-src 'self' https://api.example";
    std::fs::write(dist.path().join("index.html"), page_with_policy(changed))
        .expect("rewrite index");
    assert_static_host_headers(
        &server.get("/", None).await,
        &format!("{changed}; frame-ancestors 'none'"),
        "rewritten",
    );
    std::fs::write(
        dist.path().join("index.html"),
        "<!doctype html><title>tokengrid</title>",
    )
    .expect("rewrite index");
    assert_static_host_headers(
        &server.get("/app.js", None).await,
        "frame-ancestors 'none'",
        "no policy in the page",
    );
}

/// The release build's `_headers` (written by `scripts/csp.mjs`, for Netlify and Cloudflare
/// Pages) and `--serve-dist` send the same headers for the same page. Needs Node, which the
/// build itself needs; without it the comparison cannot run and says so.
#[tokio::test]
async fn the_release_builds_headers_file_says_what_serve_dist_sends() {
    let dist = TempDir::new("headers-file");
    let index = dist.path().join("index.html");
    std::fs::write(
        &index,
        "<!doctype html><html><head><meta charset=\"utf-8\" />\n<script type=\"module\">import init from '/app.js'; init();</script>\n<script id=\"tokengrid-config\" type=\"application/json\">{\"loginUrl\":\"https://x8ki-letl-twmt.n7.xano.io/api:auth/auth/login\"}</script></head><body></body></html>",
    )
    .expect("write index");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/csp.mjs");
    let ran = std::process::Command::new("node")
        .arg(&script)
        .arg(&index)
        .output()
        .expect("node runs scripts/csp.mjs (scripts/setup.sh installs Node.js)");
    assert!(ran.status.success(), "{ran:?}");
    let file = std::fs::read_to_string(dist.path().join("_headers")).expect("_headers written");
    let mut lines = file.lines();
    assert_eq!(lines.next(), Some("/*"), "{file}");
    let written: Vec<(String, String)> = lines
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let (name, value) = line.trim().split_once(": ").expect("Name: value");
            (name.to_ascii_lowercase(), value.to_owned())
        })
        .collect();
    let names: Vec<&str> = written.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        [
            "content-security-policy",
            "x-content-type-options",
            "referrer-policy"
        ]
    );
    assert!(
        written[0].1.contains("https://x8ki-letl-twmt.n7.xano.io")
            && written[0].1.ends_with("; frame-ancestors 'none'"),
        "{file}"
    );

    let server = Server::new(Config {
        serve_dist: Some(dist.path().to_path_buf()),
        ..Config::default()
    });
    let answer = server.get("/", None).await;
    for (name, value) in &written {
        assert_eq!(answer.header(name), Some(value.as_str()), "{name}");
    }
}

#[test]
fn serve_dist_must_be_a_directory() {
    let missing = std::env::temp_dir().join("dev-api-test-definitely-missing-dir");
    let state = AppState::new(Config {
        serve_dist: Some(missing),
        ..Config::default()
    });
    assert!(matches!(state, Err(StartupError::ServeDist(_))));
}
