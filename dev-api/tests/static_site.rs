//! `--serve-dist`: files, the `index.html` fallback, API paths that stay 404s, precompressed
//! copies chosen by `Accept-Encoding`, the cache headers of a static host (hashed assets
//! immutable, the page revalidated), and the startup check.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use dev_api::{AppState, CUSTOMERS_PATH, Config, StartupError};

mod support;
use support::{Answer, NOT_FOUND, Server, assert_exact};

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

/// A `GET` (or `HEAD`) of `path` with the given request headers.
async fn fetch(server: &Server, method: Method, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    server
        .send(request.body(Body::empty()).expect("request builds"))
        .await
}

async fn get_with(server: &Server, path: &str, headers: &[(&str, &str)]) -> Answer {
    fetch(server, Method::GET, path, headers).await
}

const JS: &str = "app-0123456789abcdef.js";
const WASM: &str = "app-0123456789abcdef_bg.wasm";
const CSS: &str = "main-fedcba9876543210.css";

/// A site with a hashed script and wasm module that have precompressed copies (marked by their
/// content, which the file server does not inspect), a stylesheet that has none, and a page.
fn precompressed_site(name: &str) -> (TempDir, Server) {
    let dist = TempDir::new(name);
    let write = |file: &str, content: &[u8]| {
        std::fs::write(dist.path().join(file), content).expect("write fixture");
    };
    write("index.html", page_with_policy(PAGE_POLICY).as_bytes());
    write(JS, b"identity js");
    write(&format!("{JS}.br"), b"br js");
    write(&format!("{JS}.gz"), b"gz js");
    write(WASM, b"\0asm identity");
    write(&format!("{WASM}.br"), b"br wasm");
    write(&format!("{WASM}.gz"), b"gz wasm");
    write(CSS, b"body{}");
    let server = Server::new(Config {
        serve_dist: Some(dist.path().to_path_buf()),
        ..Config::default()
    });
    (dist, server)
}

#[tokio::test]
async fn serve_dist_sends_the_precompressed_copy_the_request_accepts() {
    let (_dist, server) = precompressed_site("precompressed");
    let path = format!("/{JS}");
    let js_type = get_with(&server, &path, &[])
        .await
        .header("content-type")
        .map(str::to_owned);
    assert!(
        js_type
            .as_deref()
            .is_some_and(|kind| kind.contains("javascript")),
        "{js_type:?}"
    );
    for (accept, body, encoding) in [
        (None, "identity js", None),
        (Some("gzip"), "gz js", Some("gzip")),
        (Some("x-gzip"), "gz js", Some("gzip")),
        (Some("gzip, deflate, br, zstd"), "br js", Some("br")),
        (Some("BR"), "br js", Some("br")),
        (Some("br;q=0.5, gzip"), "gz js", Some("gzip")),
        (Some("gzip;q=0.8, br;q=0.9"), "br js", Some("br")),
        (Some("br;q=0, gzip"), "gz js", Some("gzip")),
        (Some("br;q=0, gzip;q=0"), "identity js", None),
        (Some("identity"), "identity js", None),
        (Some("br;q=0.5, identity"), "identity js", None),
        (Some("identity;q=0.1, gzip;q=0.2"), "gz js", Some("gzip")),
        (Some("deflate"), "identity js", None),
        (Some("zstd, gzip;q=0.5"), "gz js", Some("gzip")),
    ] {
        let headers: Vec<(&str, &str)> =
            accept.map(|a| ("accept-encoding", a)).into_iter().collect();
        let answer = get_with(&server, &path, &headers).await;
        assert_eq!(answer.status, StatusCode::OK, "{accept:?}");
        assert_eq!(answer.text(), body, "{accept:?}");
        assert_eq!(answer.header("content-encoding"), encoding, "{accept:?}");
        assert_eq!(
            answer.header("content-type"),
            js_type.as_deref(),
            "{accept:?}"
        );
        assert_eq!(answer.header("vary"), Some("accept-encoding"), "{accept:?}");
        assert_eq!(
            answer.header("content-length"),
            Some(body.len().to_string().as_str()),
            "{accept:?}"
        );
    }

    // The wasm module keeps its own type, which streaming compilation requires.
    let wasm = get_with(
        &server,
        &format!("/{WASM}"),
        &[("accept-encoding", "gzip, br")],
    )
    .await;
    assert_eq!(wasm.text(), "br wasm");
    assert_eq!(wasm.header("content-type"), Some("application/wasm"));
    assert_eq!(wasm.header("content-encoding"), Some("br"));
    // HEAD names the same variant, without a body.
    let head = fetch(
        &server,
        Method::HEAD,
        &format!("/{WASM}"),
        &[("accept-encoding", "gzip")],
    )
    .await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.header("content-encoding"), Some("gzip"));
    assert_eq!(head.header("content-length"), Some("7"));
    assert!(head.body.is_empty());

    // A file without copies, and the page (never precompressed), are sent as they are, and
    // still vary: a copy may appear beside them.
    for path in [
        format!("/{CSS}"),
        "/".to_owned(),
        "/grid/settings".to_owned(),
    ] {
        let answer = get_with(&server, &path, &[("accept-encoding", "gzip, br")]).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(answer.header("content-encoding"), None, "{path}");
        assert_eq!(answer.header("vary"), Some("accept-encoding"), "{path}");
    }
    // A copy asked for by its own name is just a file (as on any static host).
    let copy = get_with(&server, &format!("/{JS}.br"), &[]).await;
    assert_eq!(copy.text(), "br js");
    assert_eq!(copy.header("content-encoding"), None);
}

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

#[tokio::test]
async fn hashed_assets_are_immutable_and_everything_else_is_revalidated() {
    let (dist, server) = precompressed_site("cache");
    std::fs::write(dist.path().join("plain.js"), "1").expect("write");
    std::fs::write(dist.path().join("app-0123.js"), "2").expect("write");
    std::fs::create_dir(dist.path().join("docs")).expect("mkdir");
    std::fs::write(dist.path().join("docs/index.html"), "<p>docs</p>").expect("write");

    for path in [format!("/{JS}"), format!("/{WASM}"), format!("/{CSS}")] {
        for accept in ["", "br", "gzip"] {
            let answer = get_with(&server, &path, &[("accept-encoding", accept)]).await;
            assert_eq!(answer.status, StatusCode::OK, "{path} {accept}");
            assert_eq!(
                answer.header("cache-control"),
                Some(IMMUTABLE),
                "{path} {accept}"
            );
        }
    }
    // The page, the single-page fallback (also for a name that looks hashed but has no file),
    // other files and directory pages: revalidated, with a validator to do it with.
    for path in [
        "/",
        "/index.html",
        "/grid/settings",
        "/app-fedcba9876543210.js",
        "/plain.js",
        "/app-0123.js",
        "/docs/",
    ] {
        let answer = get_with(&server, path, &[("accept-encoding", "br")]).await;
        assert_eq!(answer.status, StatusCode::OK, "{path}");
        assert_eq!(answer.header("cache-control"), Some("no-cache"), "{path}");
        assert!(
            answer
                .header("etag")
                .is_some_and(|tag| tag.starts_with("W/\"")),
            "{path}"
        );
        assert!(answer.header("last-modified").is_some(), "{path}");
    }
    assert!(
        get_with(&server, "/app-fedcba9876543210.js", &[])
            .await
            .text()
            .contains("<title>tokengrid</title>")
    );
    assert_eq!(get_with(&server, "/docs/", &[]).await.text(), "<p>docs</p>");
}

#[tokio::test]
async fn the_page_is_revalidated_and_a_repeat_visit_gets_304() {
    let (dist, server) = precompressed_site("revalidate");
    let expected_policy = format!("{PAGE_POLICY}; frame-ancestors 'none'");
    let first = get_with(&server, "/", &[]).await;
    let etag = first.header("etag").expect("an ETag").to_owned();
    let modified = first
        .header("last-modified")
        .expect("Last-Modified")
        .to_owned();

    for (path, headers) in [
        ("/", vec![("if-none-match", etag.as_str())]),
        ("/index.html", vec![("if-none-match", etag.as_str())]),
        // The single-page fallback is the same page, with the same validator.
        ("/grid/settings", vec![("if-none-match", etag.as_str())]),
        ("/", vec![("if-none-match", "\"other\", *")]),
        ("/", vec![("if-none-match", etag.trim_start_matches("W/"))]),
        ("/", vec![("if-modified-since", modified.as_str())]),
        (
            "/grid/settings",
            vec![("if-modified-since", modified.as_str())],
        ),
    ] {
        let answer = get_with(&server, path, &headers).await;
        assert_eq!(
            answer.status,
            StatusCode::NOT_MODIFIED,
            "{path} {headers:?}"
        );
        assert!(answer.body.is_empty(), "{path} {headers:?}");
        assert_eq!(answer.header("cache-control"), Some("no-cache"), "{path}");
        assert_eq!(answer.header("vary"), Some("accept-encoding"), "{path}");
        assert_static_host_headers(&answer, &expected_policy, path);
    }
    // A tag that does not match decides alone: the date is not asked about.
    let other = get_with(
        &server,
        "/",
        &[
            ("if-none-match", "W/\"other\""),
            ("if-modified-since", modified.as_str()),
        ],
    )
    .await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(other.text().contains("<title>tokengrid</title>"));
    // A date before the file's: the page is sent.
    let old = get_with(
        &server,
        "/",
        &[("if-modified-since", "Fri, 09 Aug 1996 14:21:40 GMT")],
    )
    .await;
    assert_eq!(old.status, StatusCode::OK);

    // The configuration edited in place (within the same second, even): the old tag no longer
    // matches, and the new page comes with a new tag.
    let changed = "default-src 'none'; connect-src 'self' https://api.example";
    std::fs::write(dist.path().join("index.html"), page_with_policy(changed)).expect("rewrite");
    let fresh = get_with(&server, "/", &[("if-none-match", etag.as_str())]).await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert!(fresh.text().contains("https://api.example"));
    assert_ne!(fresh.header("etag"), Some(etag.as_str()));

    // Hashed assets revalidate too, should a browser ask.
    let js = get_with(&server, &format!("/{JS}"), &[("accept-encoding", "br")]).await;
    let js_tag = js.header("etag").expect("an ETag").to_owned();
    let again = get_with(
        &server,
        &format!("/{JS}"),
        &[
            ("accept-encoding", "br"),
            ("if-none-match", js_tag.as_str()),
        ],
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(again.header("cache-control"), Some(IMMUTABLE));
}

#[tokio::test]
async fn api_answers_are_not_the_static_hosts() {
    let (_dist, server) = precompressed_site("api");
    let token = server.token().await;
    let bearer = format!("Bearer {token}");
    let data = get_with(
        &server,
        CUSTOMERS_PATH,
        &[
            ("authorization", bearer.as_str()),
            ("accept-encoding", "gzip, br"),
            ("if-modified-since", "Sun, 01 Jan 2090 00:00:00 GMT"),
            ("if-none-match", "*"),
        ],
    )
    .await;
    assert_eq!(data.status, StatusCode::OK);
    assert!(data.json().is_array());
    for name in ["content-encoding", "cache-control", "etag", "last-modified"] {
        assert_eq!(data.header(name), None, "{name}");
    }
    let missing = get_with(
        &server,
        "/api:data/orders",
        &[("accept-encoding", "br"), ("if-none-match", "*")],
    )
    .await;
    assert_exact(&missing, StatusCode::NOT_FOUND, NOT_FOUND);
    assert_eq!(missing.header("cache-control"), None);
}

/// `scripts/compress.mjs` (the release build's hook) writes the copies `--serve-dist` sends,
/// and never a page's: an edited `index.html` cannot be shadowed by an old compressed one.
#[tokio::test]
async fn the_release_builds_precompressed_copies_are_what_serve_dist_sends() {
    let dist = TempDir::new("compress");
    let js = "console.log('tokengrid');\n".repeat(50);
    std::fs::write(dist.path().join(JS), &js).expect("write js");
    std::fs::write(dist.path().join(CSS), "body { margin: 0 }\n".repeat(50)).expect("write css");
    std::fs::write(
        dist.path().join(WASM),
        [0u8, 97, 115, 109, 1, 0, 0, 0].repeat(100),
    )
    .expect("write wasm");
    std::fs::write(
        dist.path().join("index.html"),
        page_with_policy(PAGE_POLICY),
    )
    .expect("write index");
    // Left by some other tool, and stale.
    std::fs::write(dist.path().join("index.html.gz"), "stale").expect("write stale page");
    std::fs::write(dist.path().join("index.html.br"), "stale").expect("write stale page");

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/compress.mjs");
    let ran = std::process::Command::new("node")
        .arg(&script)
        .arg(dist.path())
        .output()
        .expect("node runs scripts/compress.mjs (scripts/setup.sh installs Node.js)");
    assert!(ran.status.success(), "{ran:?}");

    for asset in [JS, CSS, WASM] {
        for suffix in ["br", "gz"] {
            let copy = dist.path().join(format!("{asset}.{suffix}"));
            let size = std::fs::metadata(&copy).map(|m| m.len()).unwrap_or(0);
            let original = std::fs::metadata(dist.path().join(asset))
                .expect("asset")
                .len();
            assert!(
                size > 0 && size < original,
                "{asset}.{suffix}: {size} of {original}"
            );
        }
    }
    for stale in ["index.html.gz", "index.html.br"] {
        assert!(!dist.path().join(stale).exists(), "{stale} removed");
    }
    // Each copy decompresses to its original (checked with the same zlib that wrote it).
    let check = std::process::Command::new("node")
        .arg("-e")
        .arg(
            "const z = require('node:zlib'), fs = require('node:fs'), path = require('node:path');
             for (const f of process.argv.slice(2)) {
               const o = fs.readFileSync(f);
               if (!z.brotliDecompressSync(fs.readFileSync(f + '.br')).equals(o)) throw new Error(f + '.br');
               if (!z.gunzipSync(fs.readFileSync(f + '.gz')).equals(o)) throw new Error(f + '.gz');
             }",
        )
        .args([JS, CSS, WASM].map(|asset| dist.path().join(asset)))
        .output()
        .expect("node runs");
    assert!(check.status.success(), "{check:?}");

    let server = Server::new(Config {
        serve_dist: Some(dist.path().to_path_buf()),
        ..Config::default()
    });
    for (accept, suffix) in [("br", "br"), ("gzip", "gz")] {
        let answer = get_with(&server, &format!("/{JS}"), &[("accept-encoding", accept)]).await;
        let copy = std::fs::read(dist.path().join(format!("{JS}.{suffix}"))).expect("copy");
        assert_eq!(answer.body, copy, "{accept}");
        assert_eq!(answer.header("content-encoding"), Some(accept));
    }
    let page = get_with(&server, "/", &[("accept-encoding", "br, gzip")]).await;
    assert_eq!(page.header("content-encoding"), None);
    assert!(page.text().contains("<title>tokengrid</title>"));

    // Run again (by hand after a change): the same files, no page copy.
    let again = std::process::Command::new("node")
        .arg(&script)
        .arg(dist.path())
        .output()
        .expect("node runs");
    assert!(again.status.success(), "{again:?}");
    let mut names: Vec<String> = std::fs::read_dir(dist.path())
        .expect("read dir")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    let mut expected: Vec<String> = [JS, CSS, WASM]
        .iter()
        .flat_map(|asset| {
            [
                asset.to_string(),
                format!("{asset}.br"),
                format!("{asset}.gz"),
            ]
        })
        .chain(["index.html".to_owned()])
        .collect();
    expected.sort();
    assert_eq!(names, expected);
}
