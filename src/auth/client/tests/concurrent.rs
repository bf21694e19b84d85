//! Concurrent requests in one tab share one renewal.

use super::*;

#[test]
fn concurrent_401s_cause_one_login_and_all_replay_with_its_token() {
    let c = setup(
        Script::default()
            .reply_after(1, 401, UNAUTHORIZED) // A's first try
            .reply_after(1, 401, UNAUTHORIZED) // B's first try
            .reply_after(2, 200, r#"{"authToken":"t2"}"#) // A's login
            .reply(200, ROWS) // A's replay
            .reply(200, ROWS),
    )
    .logged_in();
    let (a, b) = block_on(futures::future::join(c.get_json(DATA), c.get_json(DATA)));
    assert_eq!((rows(a.unwrap()), rows(b.unwrap())), (1, 1));
    let log = c.transport.log();
    assert_eq!(
        log.iter().filter(|l| l.starts_with("POST")).count(),
        1,
        "{log:#?}"
    );
    assert_eq!(
        &log[3..],
        [
            "GET /api:data/customers Bearer t2",
            "GET /api:data/customers Bearer t2"
        ]
    );
}

#[test]
fn a_401_that_arrives_after_the_renewal_finished_replays_without_a_second_login() {
    let c = setup(
        Script::default()
            .reply_after(1, 401, UNAUTHORIZED) // A
            .reply_after(20, 401, UNAUTHORIZED) // B: its 401 lands late
            .reply(200, r#"{"authToken":"t2"}"#) // A's login
            .reply(200, ROWS) // A's replay
            .reply(200, ROWS),
    )
    .logged_in();
    let (a, b) = block_on(futures::future::join(c.get_json(DATA), c.get_json(DATA)));
    assert!(a.is_ok() && b.is_ok());
    let log = c.transport.log();
    assert_eq!(
        log.iter().filter(|l| l.starts_with("POST")).count(),
        1,
        "{log:#?}"
    );
    assert_eq!(log.last().unwrap(), "GET /api:data/customers Bearer t2");
}

#[test]
fn requests_queued_behind_a_renewal_fail_with_it() {
    let c = setup(
        Script::default()
            .reply_after(1, 401, UNAUTHORIZED) // A
            .reply_after(1, 401, UNAUTHORIZED) // B
            .time_out_after(3),
    )
    .logged_in();
    let (a, b) = block_on(futures::future::join(c.get_json(DATA), c.get_json(DATA)));
    assert!(matches!(a, Err(ApiError::Timeout { .. })), "{a:?}");
    assert_eq!(a, b, "B failed with A's renewal instead of trying its own");
    assert_eq!(count(&c, "POST"), 1);
    assert!(
        c.has_credentials(),
        "a timeout is not a refusal: retry can renew"
    );
}

#[test]
fn a_cancelled_request_sends_nothing_more() {
    let c = setup(
        Script::default()
            .reply_after(1, 401, UNAUTHORIZED) // A
            .reply_after(1, 401, UNAUTHORIZED) // B
            .reply_after(5, 200, &login_body("t2")) // A's login
            .reply(200, ROWS),
    )
    .logged_in();
    let a = c.get_json(DATA);
    // B is dropped (its view went away) while it waits behind A's renewal:
    // it loses a race against a two-poll timer.
    let b = async {
        let timer = Delayed {
            remaining: Cell::new(2),
            result: Some(Err(TransportError::Timeout(0))),
        };
        let load = std::pin::pin!(c.get_json(DATA));
        let timer = std::pin::pin!(timer);
        let raced = futures::future::select(load, timer).await;
        assert!(
            matches!(raced, futures::future::Either::Right(_)),
            "B should still be waiting"
        );
    };
    let (a, ()) = block_on(futures::future::join(a, b));
    assert!(a.is_ok());
    assert_eq!(c.transport.sent().len(), 4, "{:#?}", c.transport.log());
}
