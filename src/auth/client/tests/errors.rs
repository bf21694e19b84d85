//! Error statuses and unusable answers become readable errors; a server error keeps the token.

use super::*;

#[test]
fn error_bodies_of_every_shape_become_readable_messages() {
    for (status, content_type, body, want) in [
        (
            500,
            "application/json",
            r#"{"code":"ERROR_FATAL","message":"Database is down"}"#,
            "The server answered HTTP 500 (Internal Server Error): Database is down",
        ),
        (
            404,
            "application/json",
            r#""No such table""#,
            "The server answered HTTP 404 (Not Found): No such table",
        ),
        (
            502,
            "text/html",
            "<html><title>502 Bad Gateway</title></html>",
            "The server answered HTTP 502 (Bad Gateway) with an HTML page: “502 Bad Gateway”.",
        ),
        (
            503,
            "text/plain",
            "",
            "The server answered HTTP 503 (Service Unavailable) with an empty body.",
        ),
    ] {
        let c = setup(Script::default().reply_with(status, content_type, body))
            .stored("t1")
            .build();
        assert_eq!(
            block_on(c.get_json(DATA)),
            Err(ApiError::Http {
                status,
                message: want.into()
            })
        );
        assert_eq!(
            c.store().raw().as_deref(),
            Some("t1"),
            "a server error keeps the token"
        );
    }
}

#[test]
fn unreadable_success_bodies_are_reported() {
    for body in ["", "{not json"] {
        let c = setup(Script::default().reply(200, body))
            .stored("t1")
            .build();
        assert!(
            matches!(
                block_on(c.get_json(DATA)),
                Err(ApiError::InvalidResponse { .. })
            ),
            "{body:?}"
        );
    }
}

#[test]
fn network_failures_name_the_url() {
    let c = setup(Script::default().fail("Failed to fetch"))
        .stored("t1")
        .build();
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert_eq!(
        err,
        ApiError::Network {
            url: DATA.into(),
            detail: "Failed to fetch".into()
        }
    );
    assert!(!err.needs_login());
}

#[test]
fn a_429_carries_retry_after() {
    let c = setup(Script::default().reply(
        429,
        r#"{"code":"ERROR_CODE_TOO_MANY_REQUESTS","message":"Whoa there!"}"#,
    ))
    .stored("t1")
    .build();
    // The scripted reply has no headers; add one by hand.
    c.transport.replies.borrow_mut()[0]
        .result
        .as_mut()
        .unwrap()
        .headers
        .push(("Retry-After".into(), "7".into()));
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert_eq!(
        err,
        ApiError::RateLimited {
            message: "Whoa there!".into(),
            retry_after_s: Some(7)
        }
    );
    assert!(err.to_string().contains("wait 7 s"), "{err}");
    assert!(!err.needs_login());
    let c = setup(Script::default().reply(429, "")).stored("t1").build();
    assert!(matches!(
        block_on(c.get_json(DATA)),
        Err(ApiError::RateLimited {
            retry_after_s: None,
            ..
        })
    ));
}
