//! The bearer token goes to the API origins only, as the URL standard
//! (the browser's own parser, in the browser) decides them.

use super::*;

#[test]
fn the_bearer_goes_only_to_the_api_origins() {
    let mut s = settings("authToken");
    s.api_origins = ApiOrigins::new(
        [
            "https://api.example/api:auth/auth/login",
            "https://api.example/api:data/x",
        ],
        Some("https://app.example"),
    );
    let script = Script::default()
        .reply(200, ROWS)
        .reply(401, UNAUTHORIZED)
        .reply(200, ROWS);
    let c = setup(script).settings(s).stored("t1").build();
    assert!(block_on(c.get_json("https://api.example/api:data/x")).is_ok());
    // A foreign origin: no bearer, and its 401 is not ours to fix.
    let err = block_on(c.get_json("https://other.example/api:data/x")).unwrap_err();
    assert!(matches!(err, ApiError::Http { status: 401, .. }));
    assert!(block_on(c.get_json("/relative/on/the/app/origin")).is_ok());
    assert_eq!(
        c.transport.log(),
        [
            "GET https://api.example/api:data/x Bearer t1",
            "GET https://other.example/api:data/x -",
            "GET /relative/on/the/app/origin -",
        ]
    );
}

/// Settings for an API on `http://127.0.0.1:9300`, the page on :8080.
fn api_on_9300() -> AuthSettings {
    let mut s = settings("authToken");
    s.login_url = "http://127.0.0.1:9300/api:auth/auth/login".into();
    s.api_origins = ApiOrigins::new(
        [s.login_url.as_str(), "http://127.0.0.1:9300/data"],
        Some("http://127.0.0.1:8080"),
    );
    s
}

#[test]
fn a_backslash_before_the_userinfo_keeps_the_bearer_from_another_port() {
    // The browser sends this to :9302 (the backslash ends the host; the
    // rest is path), whatever the `@127.0.0.1:9300` after it suggests.
    let elsewhere = "http://127.0.0.1:9302\\@127.0.0.1:9300/data";
    let api = "http://127.0.0.1:9300\\@127.0.0.1:9302/data";
    let script = Script::default().reply(401, UNAUTHORIZED).reply(200, ROWS);
    let c = setup(script).settings(api_on_9300()).stored("t1").build();
    let err = block_on(c.get_json(elsewhere)).unwrap_err();
    assert!(
        matches!(err, ApiError::Http { status: 401, .. }),
        "another origin's 401 is its own: {err:?}"
    );
    assert!(block_on(c.get_json(api)).is_ok());
    assert_eq!(
        c.transport.log(),
        [format!("GET {elsewhere} -"), format!("GET {api} Bearer t1")]
    );
}

#[test]
fn the_api_origin_gets_the_bearer_in_every_spelling_the_browser_reads_as_it() {
    let same = [
        "http://127.0.0.1:9300/data",
        "HTTP://127.0.0.1:9300/data",
        "http://0x7f.1:9300/data",
        "http://2130706433:9300/data",
        "http://0177.0.0.1:9300/data",
        "http://127.0.0.1:9300\\data",
        "http://127.0.0.1:09300/data",
        "http://evil.example@127.0.0.1:9300/data",
    ];
    let other = [
        "http://127.0.0.2:9300/data",
        "https://127.0.0.1:9300/data",
        "http://127.0.0.1/data",
        "http://127.0.0.1.evil.example:9300/data",
        "http://127.0.0.1.evil.example:9300/data",
        "//evil.example/data",
        "/data",
    ];
    let mut script = Script::default();
    for _ in 0..same.len() + other.len() {
        script = script.reply(200, ROWS);
    }
    let c = setup(script).settings(api_on_9300()).stored("t1").build();
    for url in same.iter().chain(&other) {
        assert!(block_on(c.get_json(url)).is_ok(), "{url}");
    }
    let expected: Vec<String> = same
        .iter()
        .map(|url| format!("GET {url} Bearer t1"))
        .chain(other.iter().map(|url| format!("GET {url} -")))
        .collect();
    assert_eq!(c.transport.log(), expected);
}

#[test]
fn a_url_that_does_not_parse_is_an_error_and_nothing_is_sent() {
    let c = setup(Script::default())
        .settings(api_on_9300())
        .stored("t1")
        .build();
    for url in [
        "http://127.0.0.1:99999/data",
        "http://127.0.0.1:9300x/data",
        "http://[::1/data",
        "http://%zz/data",
    ] {
        let err = block_on(c.get_json(url)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "Could not reach {url}: it is not a valid URL, so nothing was sent. \
                 Check that the server is running and reachable."
            )
        );
        assert!(!err.needs_login());
    }
    assert_eq!(c.transport.log(), Vec::<String>::new());
    assert_eq!(c.store().raw().as_deref(), Some("t1"), "the token is kept");
}

#[test]
fn a_login_url_that_does_not_parse_is_an_error_that_names_the_setting() {
    let mut s = api_on_9300();
    s.login_url = "http://127.0.0.1:99999/api:auth/auth/login".into();
    s.api_origins = ApiOrigins::new(
        [s.login_url.as_str(), "http://127.0.0.1:9300/data"],
        Some("http://127.0.0.1:8080"),
    );
    let c = setup(Script::default().reply(200, ROWS))
        .settings(s)
        .stored("t1")
        .build();
    let err = block_on(c.log_in(creds())).unwrap_err();
    assert_eq!(
        err,
        ApiError::Network {
            url: "http://127.0.0.1:99999/api:auth/auth/login".into(),
            detail: "it is not a valid URL, so nothing was sent; \
                     check the `loginUrl` setting if the server is up"
                .into(),
        }
    );
    assert!(!c.has_credentials());
    // The data URL that does parse is still an API URL.
    assert!(block_on(c.get_json("http://127.0.0.1:9300/data")).is_ok());
    assert_eq!(
        c.transport.log(),
        ["GET http://127.0.0.1:9300/data Bearer t1"]
    );
}
