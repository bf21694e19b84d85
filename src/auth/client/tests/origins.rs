//! The bearer token goes to the API origins only.

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
