//! Renewing ahead of expiry: when, how often, and what a request due for renewal costs.

use super::*;

#[test]
fn a_jws_is_renewed_ahead_of_expiry_so_the_load_after_expiry_costs_one_request() {
    // Server clock and client clock differ wildly; only lifetimes matter.
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(1_700_000_000, 1_700_000_060)))
        .reply(200, &login_body(&jws(1_700_000_048, 1_700_000_108)))
        .reply(200, ROWS);
    let c = setup(script).env(env.clone()).build();
    env.at(1_000.0);
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(
        c.next_renewal(),
        Some(1_000.0 + 48_000.0),
        "lead = 20 % of 60 s"
    );
    match c.session() {
        SessionState::SignedIn {
            expires_at,
            renews_at,
        } => {
            assert_eq!((expires_at, renews_at), (Some(61_000.0), Some(49_000.0)));
        }
        other => panic!("{other:?}"),
    }
    env.at(30_000.0);
    assert_eq!(block_on(c.renew_if_due()), Ok(false), "not yet due");
    env.at(49_500.0);
    assert_eq!(block_on(c.renew_if_due()), Ok(true));
    // Just after the first token's expiry: one request, no 401, no login.
    env.at(61_500.0);
    c.transport.sent.borrow_mut().clear();
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(
        c.transport.log(),
        [format!(
            "GET {DATA} Bearer {}",
            jws(1_700_000_048, 1_700_000_108)
        )]
    );
}

#[test]
fn sixty_second_tokens_never_renew_in_a_storm() {
    let env = TestEnv::default();
    let mut script = Script::default().reply(200, &login_body(&jws(0, 60)));
    for i in 1..=20u64 {
        script = script.reply(200, &login_body(&jws(i * 48, i * 48 + 60)));
    }
    let c = setup(script).env(env.clone()).build();
    block_on(c.log_in(creds())).unwrap();
    // Ten minutes of a timer that checks every second.
    for second in 1..=600 {
        env.at(f64::from(second) * 1000.0);
        block_on(c.renew_if_due()).unwrap();
    }
    let renewals = count(&c, "POST") - 1;
    assert_eq!(renewals, 12, "one renewal per 48 s over 600 s");
}

#[test]
fn a_request_due_for_renewal_renews_first_then_sends_once() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(0, 60)))
        .reply(200, &login_body(&jws(50, 110)))
        .reply(200, ROWS);
    let c = setup(script).env(env.clone()).build();
    block_on(c.log_in(creds())).unwrap();
    env.at(50_000.0);
    assert!(block_on(c.get_json(DATA)).is_ok());
    let log = c.transport.log();
    assert_eq!(
        log[1..],
        [
            format!("POST {LOGIN} -"),
            format!("GET {DATA} Bearer {}", jws(50, 110))
        ]
    );
}

#[test]
fn opaque_tokens_renew_ahead_with_the_lifetime_hint() {
    let env = TestEnv::default();
    let mut s = settings("authToken");
    s.lifetime_hint_ms = Some(60_000.0);
    let script = Script::default()
        .reply(200, &login_body("opaque1"))
        .reply(200, &login_body("opaque2"));
    let c = setup(script).settings(s).env(env.clone()).build();
    env.at(5_000.0);
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(c.next_renewal(), Some(53_000.0));
    env.at(53_000.0);
    assert_eq!(block_on(c.renew_if_due()), Ok(true));
    assert_eq!(c.store().raw().as_deref(), Some("opaque2"));
}

#[test]
fn an_opaque_tokens_lifetime_is_learned_from_two_401s_at_the_same_age() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body("opaque1"))
        .reply(401, UNAUTHORIZED)
        .reply(200, &login_body("opaque2"))
        .reply(200, ROWS)
        .reply(401, UNAUTHORIZED)
        .reply(200, &login_body("opaque3"))
        .reply(200, ROWS);
    let c = setup(script).env(env.clone()).build();
    env.at(10_000.0);
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(
        c.next_renewal(),
        None,
        "an opaque token's lifetime is unknown at first"
    );
    // Lived 30 s (10 s → 40 s): one 401 is not evidence enough.
    env.at(40_000.0);
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(c.next_renewal(), None);
    // The next one lived 30.5 s too (40 s → 70.5 s): 30 s is learned, and
    // the new token, received at 70.5 s, renews 6 s before 100.5 s.
    env.at(70_500.0);
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(c.next_renewal(), Some(70_500.0 + 24_000.0));
}

#[test]
fn a_failed_renewal_ahead_backs_off_instead_of_hammering() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(0, 60)))
        .fail("offline")
        .reply(200, &login_body(&jws(60, 120)));
    let c = setup(script).env(env.clone()).build();
    block_on(c.log_in(creds())).unwrap();
    env.at(48_000.0);
    assert!(block_on(c.renew_if_due()).is_err());
    assert_eq!(
        c.next_renewal(),
        Some(53_000.0),
        "retry 5 s after the failure"
    );
    for ms in (48_100..53_000).step_by(100) {
        env.at(f64::from(ms));
        assert_eq!(block_on(c.renew_if_due()), Ok(false));
    }
    env.at(53_000.0);
    assert_eq!(block_on(c.renew_if_due()), Ok(true));
    assert_eq!(count(&c, "POST"), 3);
}

#[test]
fn four_requests_when_a_renewal_ahead_precedes_a_request_that_still_gets_a_401() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(0, 60)))
        .reply(200, &login_body(&jws(50, 110))) // the renewal ahead
        .reply(401, UNAUTHORIZED) // yet the server refuses the new token
        .reply(200, &login_body(&jws(50, 111))) // the silent login
        .reply(200, ROWS); // the replay
    let c = setup(script).env(env.clone()).build();
    block_on(c.log_in(creds())).unwrap();
    c.transport.sent.borrow_mut().clear();
    env.at(50_000.0);
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(
        c.transport.log(),
        [
            format!("POST {LOGIN} -"),
            format!("GET {DATA} Bearer {}", jws(50, 110)),
            format!("POST {LOGIN} -"),
            format!("GET {DATA} Bearer {}", jws(50, 111)),
        ]
    );
}

#[test]
fn a_renewal_ahead_then_a_refused_replay_still_stops_at_four_requests() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(0, 60)))
        .reply(200, &login_body(&jws(50, 110)))
        .reply(401, UNAUTHORIZED)
        .reply(200, &login_body(&jws(50, 111)))
        .reply(401, UNAUTHORIZED);
    let c = setup(script).env(env.clone()).build();
    block_on(c.log_in(creds())).unwrap();
    env.at(50_000.0);
    assert!(block_on(c.get_json(DATA)).unwrap_err().needs_login());
    assert_eq!(c.transport.sent().len(), 5, "the form login and four more");
}

#[test]
fn a_request_at_the_very_renewal_time_renews_first() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(0, 60)))
        .reply(200, &login_body(&jws(48, 108)))
        .reply(200, ROWS);
    let c = setup(script).env(env.clone()).build();
    block_on(c.log_in(creds())).unwrap();
    env.at(47_999.0);
    assert_eq!(c.next_renewal(), Some(48_000.0));
    env.at(48_000.0);
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(
        c.transport.log()[1..],
        [
            format!("POST {LOGIN} -"),
            format!("GET {DATA} Bearer {}", jws(48, 108))
        ]
    );
}

#[test]
fn a_request_whose_renewal_ahead_fails_is_sent_with_the_old_token() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(0, 60)))
        .fail("offline") // the renewal ahead
        .reply(200, ROWS);
    let c = setup(script).env(env.clone()).build();
    block_on(c.log_in(creds())).unwrap();
    env.at(50_000.0);
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(
        c.transport.log().last().unwrap(),
        &format!("GET {DATA} Bearer {}", jws(0, 60)),
        "the old token still works for 10 s"
    );
    assert!(c.has_credentials());
}

#[test]
fn a_request_whose_renewal_ahead_is_refused_goes_to_the_form_without_sending() {
    let env = TestEnv::default();
    let script = Script::default()
        .reply(200, &login_body(&jws(0, 60)))
        .reply(403, DENIED); // the password changed meanwhile
    let c = setup(script).env(env.clone()).build();
    block_on(c.log_in(creds())).unwrap();
    env.at(50_000.0);
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin("Invalid Credentials.".into()))
    );
    assert_eq!(c.transport.sent().len(), 2, "no data request");
    assert!(!c.has_credentials());
    assert_eq!(
        c.store().raw(),
        Some(jws(0, 60)),
        "the token, still valid for 10 s, is kept"
    );
}

#[test]
fn a_logout_while_a_renewal_ahead_is_in_flight_is_not_undone_by_its_answer() {
    let env = TestEnv::default();
    let c = setup(Script::default().reply(200, &login_body("t1")).reply_after(
        5,
        200,
        &login_body("t2"),
    ))
    .settings(AuthSettings {
        lifetime_hint_ms: Some(60_000.0),
        ..settings("authToken")
    })
    .env(env.clone())
    .build();
    block_on(c.log_in(creds())).unwrap();
    env.at(50_000.0);
    let (renewal, ()) = block_on(futures::future::join(c.renew_if_due(), async {
        yield_times(2).await;
        c.log_out();
    }));
    assert!(renewal.is_err(), "{renewal:?}");
    assert_eq!(
        c.transport.log().last().map(String::as_str),
        Some(format!("POST {LOGIN} -").as_str()),
        "the silent login was on its way"
    );
    assert_eq!(c.store.raw(), None, "the logout stands");
    assert!(!c.has_credentials());
    assert_eq!(c.next_renewal(), None, "nothing left to renew");
}
