//! The circuit breaker on silent logins, through the client.

use super::*;

#[test]
fn the_circuit_breaker_caps_silent_logins_per_minute() {
    // Every token works once and is then refused (a server that expires
    // tokens immediately): each action costs 401 → login → replay.
    let mut script = Script::default();
    for i in 0..3 {
        script = script
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body(&format!("n{i}")))
            .reply(200, ROWS);
    }
    let c = setup(script.reply(401, UNAUTHORIZED)).logged_in();
    let env = c.env.clone();
    // All within a few milliseconds (no lifetime is learned from tokens
    // younger than a second).
    for _ in 0..3 {
        assert!(block_on(c.get_json(DATA)).is_ok());
    }
    env.at(10.0);
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert_eq!(err, ApiError::TooManyRenewals { count: 3 });
    assert!(err.needs_login(), "the breaker ends at the form");
    assert_eq!(count(&c, "POST"), 3, "no fourth login");
    assert_eq!(
        c.transport.sent().len(),
        10,
        "the fourth action cost one request"
    );
}

#[test]
fn the_breaker_counts_a_rolling_minute() {
    let mut script = Script::default();
    for i in 0..4 {
        script = script
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body(&format!("n{i}")))
            .reply(200, ROWS);
    }
    let c = setup(script).logged_in();
    for at in [0.0, 0.0, 0.0, 61_000.0] {
        c.env.at(at);
        assert!(block_on(c.get_json(DATA)).is_ok(), "at {at}");
    }
    assert_eq!(count(&c, "POST"), 4);
}
