//! Tokens no server could use, wherever they enter: a stored value too long
//! for any server's header limit is never sent, and a login answer whose
//! token the store would refuse is an error on the form, not a silent no-op.

use super::*;
use crate::auth::token::MAX_TOKEN_BYTES;

#[test]
fn a_stored_token_too_long_for_a_header_is_never_sent_and_says_why() {
    let huge = "t".repeat(20_000);
    let c = setup(Script::default().reply(200, ROWS))
        .stored(&huge)
        .build();
    assert!(!c.has_token(), "the page opens on the form");
    let why = "The stored token is too long for a server to accept (20000 bytes, more than 8000), \
               so it was not sent. Log in again.";
    assert_eq!(c.store().why_unusable().as_deref(), Some(why));
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert!(err.needs_login(), "{err:?}");
    assert_eq!(err.to_string(), why, "the form says why");
    assert_eq!(block_on(c.renew_if_due()), Ok(false));
    assert!(c.transport.sent().is_empty(), "nothing is sent with it");
}

#[test]
fn the_longest_accepted_token_is_sent() {
    let longest = "t".repeat(MAX_TOKEN_BYTES);
    let c = setup(Script::default().reply(200, ROWS))
        .stored(&longest)
        .build();
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    assert_eq!(
        c.transport.sent()[0].header("Authorization"),
        Some(format!("Bearer {longest}").as_str())
    );
}

#[test]
fn a_login_answer_the_store_would_refuse_is_a_login_error_naming_the_setting() {
    let too_long = format!(r#"{{"authToken":"{}"}}"#, "t".repeat(MAX_TOKEN_BYTES + 1));
    for (body, found) in [
        (r#"{"authToken":"null"}"#, "the string \"null\""),
        (
            r#"{"authToken":"   "}"#,
            "a string that is not a bearer token",
        ),
        (
            too_long.as_str(),
            "a string of 8001 bytes, more than the 8000 a server accepts in one header",
        ),
    ] {
        let c = setup(Script::default().reply(200, body).reply(200, ROWS)).build();
        let err = block_on(c.log_in(creds())).unwrap_err();
        assert_eq!(
            err,
            ApiError::TokenInvalid {
                path: "authToken".into(),
                found: found.into()
            },
            "{body}"
        );
        assert!(err.to_string().contains("`tokenPath`"), "{err}");
        assert_eq!(c.store().raw(), None, "nothing stored");
        assert!(!c.has_credentials(), "nothing to log in with silently");
        assert!(block_on(c.get_json(DATA)).unwrap_err().needs_login());
        assert_eq!(c.transport.sent().len(), 1, "only the login went out");
    }
}

#[test]
fn a_silent_login_answering_null_is_an_error_and_sends_no_replay() {
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, r#"{"authToken":"null"}"#)
            .reply(200, ROWS),
    )
    .logged_in();
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert_eq!(
        err,
        ApiError::TokenInvalid {
            path: "authToken".into(),
            found: "the string \"null\"".into()
        }
    );
    assert_eq!(
        c.transport.log(),
        [
            "GET /api:data/customers Bearer t1",
            "POST /api:auth/auth/login -",
        ],
        "no request carries `Bearer null`"
    );
    assert_ne!(c.store().raw().as_deref(), Some("null"));
}
