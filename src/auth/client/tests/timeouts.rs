//! Every request and login carries a timeout, and a timeout names the URL.

use super::*;

#[test]
fn every_request_and_login_carries_a_timeout() {
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body("t2"))
            .reply(200, ROWS),
    )
    .logged_in();
    assert!(block_on(c.get_json(DATA)).is_ok());
    let timeouts: Vec<_> = c.transport.sent().iter().map(|r| r.timeout_ms).collect();
    assert_eq!(timeouts, [Some(15_000), Some(10_000), Some(15_000)]);
}

#[test]
fn a_timeout_is_reported_with_the_url() {
    let c = setup(Script::default().time_out_after(0))
        .stored("t1")
        .build();
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert_eq!(
        err,
        ApiError::Timeout {
            url: DATA.into(),
            ms: 5_000
        }
    );
    assert!(
        err.to_string().contains("did not answer within 5 s"),
        "{err}"
    );
}
