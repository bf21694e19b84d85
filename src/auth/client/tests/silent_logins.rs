//! Bounds on the logins the user did not ask for, over ten simulated
//! minutes: no storm after an early 401 or with a tiny lifetime, and one
//! budget (`maxReloginsPerMinute`) for renewals ahead and after a 401 alike.

use super::*;
use crate::page::describe_session;

const TEN_MINUTES_S: u32 = 600;

/// The most logins among `times` (ms) in any rolling minute.
fn most_in_a_minute(times: &[f64]) -> usize {
    times
        .iter()
        .map(|start| {
            times
                .iter()
                .filter(|at| **at >= *start && **at - start < 60_000.0)
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// An idle page for `seconds`, from `from` ms: the renewal timer checks
/// every second (as a sleeping laptop's `visibilitychange` would, at worst).
fn idle<S: TokenStore>(c: &ApiClient<Script, S, TestEnv>, env: &TestEnv, from: f64, seconds: u32) {
    for second in 1..=seconds {
        env.at(from + f64::from(second) * 1000.0);
        let _ = block_on(c.renew_if_due());
    }
}

/// Logs in through the form at 0 ms and returns the logins after it.
fn form_login<S: TokenStore>(c: &ApiClient<Script, S, TestEnv>, logins: &RefCell<Vec<f64>>) {
    block_on(c.log_in(creds())).unwrap();
    logins.borrow_mut().clear();
}

#[test]
fn a_token_revoked_after_5_s_teaches_no_lifetime_and_the_idle_page_does_not_storm() {
    // Opaque tokens that live 60 s; the first one is revoked after 5 s.
    let env = TestEnv::default();
    let (script, logins) = Script::server(
        &env,
        |n| format!("opaque{n}"),
        |n, age, _| age >= if n == 1 { 5_000.0 } else { 60_000.0 },
    );
    let c = setup(script).env(env.clone()).build();
    form_login(&c, &logins);
    env.at(5_000.0);
    assert_eq!(
        block_on(c.get_json(DATA)).map(rows),
        Ok(1),
        "401 → login → replay"
    );
    idle(&c, &env, 5_000.0, TEN_MINUTES_S);
    assert_eq!(
        logins.borrow().len(),
        1,
        "only the login after the 401, none while idle"
    );
    assert_eq!(c.next_renewal(), None, "one early 401 teaches nothing");
}

#[test]
fn a_server_that_revokes_every_token_after_5_s_is_renewed_at_need_only() {
    // Two 401s at the same age of 5 s: a lifetime is learned, but it is
    // below the floor, so tokens are renewed on their 401 and never ahead.
    let env = TestEnv::default();
    let (script, logins) =
        Script::server(&env, |n| format!("opaque{n}"), |_, age, _| age >= 5_000.0);
    let c = setup(script).env(env.clone()).build();
    form_login(&c, &logins);
    for at in [5_000.0, 10_000.0] {
        env.at(at);
        assert_eq!(block_on(c.get_json(DATA)).map(rows), Ok(1));
    }
    idle(&c, &env, 10_000.0, TEN_MINUTES_S);
    assert_eq!(logins.borrow().len(), 2, "the two after a 401; none ahead");
    assert_eq!(c.schedule.borrow().learned_lifetime_ms(), Some(5_000.0));
    assert_eq!(c.next_renewal(), None);
}

#[test]
fn jws_lifetimes_of_one_zero_and_minus_five_seconds_never_renew_ahead() {
    for (iat, exp) in [(0, 1), (0, 0), (5, 0)] {
        let env = TestEnv::default();
        let (script, logins) = Script::server(
            &env,
            move |n| jws(iat + u64::from(n), exp + u64::from(n)),
            |_, _, _| false,
        );
        let c = setup(script).env(env.clone()).build();
        form_login(&c, &logins);
        idle(&c, &env, 0.0, TEN_MINUTES_S);
        assert_eq!(logins.borrow().len(), 0, "exp − iat = {exp} − {iat}");
        assert_eq!(c.next_renewal(), None, "exp − iat = {exp} − {iat}");
    }
}

#[test]
fn a_sixty_second_opaque_token_with_a_lifetime_hint_renews_once_per_48_s() {
    let env = TestEnv::default();
    let mut s = settings("authToken");
    s.lifetime_hint_ms = Some(60_000.0);
    let (script, logins) = Script::server(&env, |n| format!("opaque{n}"), |_, _, _| false);
    let c = setup(script).settings(s).env(env.clone()).build();
    form_login(&c, &logins);
    idle(&c, &env, 0.0, TEN_MINUTES_S);
    assert_eq!(logins.borrow().len(), 12, "one renewal per 48 s over 600 s");
    assert!(
        !c.renewal_paused(),
        "the budget of 3 a minute has room to spare"
    );
}

#[test]
fn renewals_ahead_and_after_a_401_share_one_budget() {
    // A server that refuses every request with 401, and a page that renews
    // 60 s tokens ahead (the first at 48 s) and from 50 s on sends a POST
    // every 5 s (not replayed, so the credentials stay and every POST would
    // cost a login).
    let env = TestEnv::default();
    let (script, logins) = Script::server(
        &env,
        |n| jws(u64::from(n) * 100, u64::from(n) * 100 + 60),
        |_, _, _| true,
    );
    let c = setup(script).env(env.clone()).build();
    form_login(&c, &logins);
    for second in 1..=TEN_MINUTES_S {
        env.at(f64::from(second) * 1000.0);
        let _ = block_on(c.renew_if_due());
        if second >= 50 && second % 5 == 0 {
            let _ = block_on(c.send(HttpRequest::post_json(DATA, &json!({"name": "Ada"}))));
        }
    }
    let logins = logins.borrow();
    assert_eq!(logins.first(), Some(&48_000.0), "the renewal ahead counts");
    assert_eq!(
        most_in_a_minute(&logins),
        3,
        "at most maxReloginsPerMinute silent logins in any minute: {logins:?}"
    );
}

#[test]
fn past_the_budget_renewal_ahead_pauses_until_the_user_logs_in() {
    // 12 s tokens: each renews 2.4 s before its expiry, about every 10 s.
    let env = TestEnv::default();
    let (script, logins) = Script::server(
        &env,
        |n| jws(u64::from(n) * 100, u64::from(n) * 100 + 12),
        |_, _, _| false,
    );
    let c = setup(script).env(env.clone()).build();
    form_login(&c, &logins);
    idle(&c, &env, 0.0, TEN_MINUTES_S);
    assert_eq!(
        *logins.borrow(),
        [10_000.0, 20_000.0, 30_000.0],
        "three renewals, then none for the other nine minutes"
    );
    assert!(c.renewal_paused());
    assert_eq!(c.next_renewal(), None);
    let session = c.session();
    assert!(
        matches!(
            session,
            SessionState::RenewalPaused {
                expires_at: Some(_)
            }
        ),
        "{session:?}"
    );
    assert_eq!(
        describe_session(session, env.now_ms()),
        (
            "paused",
            "Automatic renewal paused: too many logins in a minute".into()
        )
    );
    // The user logs in again: renewal ahead resumes with a fresh budget.
    block_on(c.log_in(creds())).unwrap();
    assert!(!c.renewal_paused());
    assert!(matches!(
        c.session(),
        SessionState::SignedIn {
            renews_at: Some(_),
            ..
        }
    ));
    logins.borrow_mut().clear();
    idle(&c, &env, env.now_ms(), 60);
    assert_eq!(logins.borrow().len(), 3, "three more, then paused again");
}

#[test]
fn a_renewal_ahead_refused_by_the_budget_keeps_the_token_and_the_credentials() {
    let env = TestEnv::default();
    let (script, logins) = Script::server(
        &env,
        |n| jws(u64::from(n) * 100, u64::from(n) * 100 + 12),
        |_, _, _| false,
    );
    let c = setup(script).env(env.clone()).build();
    form_login(&c, &logins);
    idle(&c, &env, 0.0, 39);
    env.at(40_000.0);
    let before = c.store().raw();
    assert_eq!(
        block_on(c.renew_if_due()),
        Err(ApiError::RenewalPaused { count: 3 })
    );
    assert!(!ApiError::RenewalPaused { count: 3 }.needs_login());
    assert!(c.has_credentials());
    assert_eq!(c.store().raw(), before);
    // A request goes out with the token in hand, no login.
    assert_eq!(block_on(c.get_json(DATA)).map(rows), Ok(1));
    assert_eq!(logins.borrow().len(), 3);
    // Refresh (the user's action) resumes renewal with a fresh budget.
    c.resume_renewal();
    assert_eq!(block_on(c.renew_if_due()), Ok(true));
    assert_eq!(logins.borrow().len(), 4);
}

#[test]
fn every_tab_on_one_storage_spends_one_budget_of_silent_logins() {
    // Two tabs on one store and one lock, a budget of one silent login a
    // minute. Tab A renews at 48 s; tab B uses A's token without a login.
    // At 96 s B's own renewal would be the second silent login within a
    // minute of the two tabs together: it pauses, until the user acts.
    let env = TestEnv::with_shared_lock();
    let mut s = settings("authToken");
    s.max_relogins_per_minute = 1;
    let store = Rc::new(MemoryStore::default());
    let tab = |issue: fn(u32) -> String| {
        let (script, logins) = Script::server(&env, issue, |_, _, _| false);
        let client = setup(script)
            .settings(s.clone())
            .store(store.clone())
            .env(env.clone())
            .build();
        (client, logins)
    };
    let (a, logins_a) = tab(|n| jws(u64::from(n) * 100, u64::from(n) * 100 + 60));
    let (b, logins_b) = tab(|n| jws(u64::from(n) * 100 + 50, u64::from(n) * 100 + 110));
    form_login(&a, &logins_a);
    env.at(1.0);
    form_login(&b, &logins_b);
    env.at(48_001.0);
    assert_eq!(block_on(a.renew_if_due()), Ok(true));
    assert_eq!(
        block_on(b.renew_if_due()),
        Ok(false),
        "B uses A's fresh token"
    );
    env.at(96_001.0);
    assert_eq!(
        block_on(b.renew_if_due()),
        Err(ApiError::RenewalPaused { count: 1 }),
        "A's silent login 48 s ago spent the budget of both tabs"
    );
    assert!(b.renewal_paused());
    assert_eq!((logins_a.borrow().len(), logins_b.borrow().len()), (1, 0));
    // The user acts in B (Refresh): a fresh budget, for every tab.
    b.resume_renewal();
    assert_eq!(block_on(b.renew_if_due()), Ok(true));
    assert_eq!((logins_a.borrow().len(), logins_b.borrow().len()), (1, 1));
}
