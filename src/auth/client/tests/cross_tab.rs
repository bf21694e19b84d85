//! Two clients on one store and one lock are two tabs: they renew once between them and never
//! overwrite a newer token.

use super::*;

/// One tab's view of shared storage that sees other tabs' writes late, as
/// browsers propagate localStorage between tabs asynchronously: after the
/// shared value changes, the first `lag` reads still return the old one.
struct LaggingView {
    shared: Rc<MemoryStore>,
    seen: RefCell<Option<StoredToken>>,
    lag: Cell<u32>,
    reads_behind: Cell<u32>,
}

impl TokenStore for LaggingView {
    fn load(&self) -> Option<StoredToken> {
        let actual = self.shared.load();
        if actual != *self.seen.borrow() {
            if self.reads_behind.get() < self.lag.get() {
                self.reads_behind.set(self.reads_behind.get() + 1);
                return self.seen.borrow().clone();
            }
            self.reads_behind.set(0);
            *self.seen.borrow_mut() = actual.clone();
        }
        actual
    }
    fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
        *self.seen.borrow_mut() = Some(token.clone());
        self.shared.save(token)
    }
    fn clear(&self) {
        *self.seen.borrow_mut() = None;
        self.shared.clear()
    }
    fn silent_logins(&self) -> Vec<f64> {
        self.shared.silent_logins()
    }
    fn set_silent_logins(&self, at: &[f64]) {
        self.shared.set_silent_logins(at)
    }
}

#[test]
fn two_tabs_that_expire_together_log_in_once() {
    // Two clients on one store and one cross-tab lock are two tabs.
    let env = TestEnv::with_shared_lock();
    let store = Rc::new(MemoryStore::default());
    let script_a = Script::default()
        .reply(200, &login_body("t1"))
        .reply_after(1, 401, UNAUTHORIZED)
        .reply_after(2, 200, &login_body("t2"))
        .reply(200, ROWS);
    let script_b = Script::default()
        .reply(200, &login_body("t0"))
        .reply_after(1, 401, UNAUTHORIZED)
        .reply(200, ROWS);
    let a = setup(script_a)
        .store(store.clone())
        .env(env.clone())
        .build();
    let b = setup(script_b)
        .store(store.clone())
        .env(env.clone())
        .build();
    block_on(b.log_in(creds())).unwrap();
    block_on(a.log_in(creds())).unwrap(); // both tabs hold credentials; t1 is stored
    let (ra, rb) = block_on(futures::future::join(a.get_json(DATA), b.get_json(DATA)));
    assert!(ra.is_ok() && rb.is_ok());
    let logins = a
        .transport
        .log()
        .iter()
        .chain(b.transport.log().iter())
        .filter(|l| l.starts_with("POST"))
        .count();
    assert_eq!(logins, 3, "two form logins and one renewal for both tabs");
    assert_eq!(
        b.transport.log().last().unwrap(),
        &format!("GET {DATA} Bearer t2"),
        "B adopted A's token"
    );
    assert_eq!(store.raw().as_deref(), Some("t2"));
}

#[test]
fn without_a_cross_tab_lock_no_tab_overwrites_a_newer_token() {
    let env = TestEnv::default(); // no Web Locks
    let store = Rc::new(MemoryStore::default());
    store.save(&StoredToken::new("old", Some(0.0))).unwrap();
    // Tab B starts its renewal at 10 s; its login answers late.
    let b = setup(
        Script::default()
            .reply(200, &login_body("mine"))
            .reply(401, UNAUTHORIZED)
            .reply_after(5, 200, &login_body("b-token"))
            .reply(200, ROWS),
    )
    .store(store.clone())
    .env(env.clone())
    .build();
    block_on(b.log_in(creds())).unwrap();
    store.save(&StoredToken::new("old", Some(0.0))).unwrap();
    env.at(10_000.0);
    let load = b.get_json(DATA);
    let other_tab = async {
        // Meanwhile tab A (no lock) stores a token it received at 11 s.
        yield_times(3).await;
        store
            .save(&StoredToken::new("a-token", Some(11_000.0)))
            .unwrap();
    };
    let (result, ()) = block_on(futures::future::join(load, other_tab));
    assert!(result.is_ok());
    assert_eq!(
        store.raw().as_deref(),
        Some("a-token"),
        "B kept A's newer token"
    );
    assert_eq!(
        b.transport.log().last().unwrap(),
        &format!("GET {DATA} Bearer a-token")
    );
}

#[test]
fn a_tab_that_waited_for_the_lock_waits_for_the_other_tabs_token_to_arrive() {
    let env = TestEnv::with_shared_lock();
    let shared = Rc::new(MemoryStore::default());
    shared.save(&StoredToken::new("t1", Some(0.0))).unwrap();
    let view = LaggingView {
        shared: shared.clone(),
        seen: RefCell::new(shared.load()),
        lag: Cell::new(4),
        reads_behind: Cell::new(0),
    };
    let a = setup(
        Script::default()
            .reply(200, &login_body("t0"))
            .reply_after(1, 401, UNAUTHORIZED)
            .reply_after(2, 200, &login_body("t2"))
            .reply(200, ROWS),
    )
    .store(shared.clone())
    .env(env.clone())
    .build();
    let b = setup(
        Script::default()
            .reply(200, &login_body("t0"))
            .reply_after(1, 401, UNAUTHORIZED)
            .reply(200, ROWS),
    )
    .store(view)
    .env(env.clone())
    .build();
    block_on(a.log_in(creds())).unwrap();
    block_on(b.log_in(creds())).unwrap();
    shared.save(&StoredToken::new("t1", Some(0.0))).unwrap();
    *b.store().seen.borrow_mut() = shared.load();
    let (ra, rb) = block_on(futures::future::join(a.get_json(DATA), b.get_json(DATA)));
    assert!(ra.is_ok() && rb.is_ok(), "{ra:?} {rb:?}");
    assert_eq!(
        count(&b, "POST"),
        1,
        "B's only login is its form login: {:#?}",
        b.transport.log()
    );
    assert_eq!(
        b.transport.log().last().unwrap(),
        &format!("GET {DATA} Bearer t2")
    );
    assert!(env.sleeps.get() > 0, "B waited for the write to arrive");
}

#[test]
fn without_a_cross_tab_lock_a_later_login_replaces_an_older_token() {
    // Tab A's token was received before (or when) tab B started its
    // renewal: B's own token is the newer one, and B stores it.
    for a_received_at in [9_000.0, 10_000.0] {
        let env = TestEnv::default();
        let store = Rc::new(MemoryStore::default());
        let b = setup(
            Script::default()
                .reply(401, UNAUTHORIZED)
                .reply_after(5, 200, &login_body("b-token"))
                .reply(200, ROWS),
        )
        .store(store.clone())
        .env(env.clone())
        .logged_in();
        env.at(10_000.0);
        let load = b.get_json(DATA);
        let other_tab = async {
            yield_times(3).await;
            store
                .save(&StoredToken::new("a-token", Some(a_received_at)))
                .unwrap();
        };
        let (result, ()) = block_on(futures::future::join(load, other_tab));
        assert!(result.is_ok());
        assert_eq!(
            store.raw().as_deref(),
            Some("b-token"),
            "A's token from {a_received_at} ms"
        );
        assert_eq!(
            b.transport.log().last().unwrap(),
            &format!("GET {DATA} Bearer b-token")
        );
    }
}

#[test]
fn a_renewal_ahead_that_waited_out_a_logout_in_another_tab_asks_to_log_in() {
    let env = TestEnv::with_shared_lock();
    let c = setup(Script::default().reply(200, &login_body(&jws(0, 60))))
        .env(env.clone())
        .build();
    block_on(c.log_in(creds())).unwrap();
    env.at(48_000.0);
    let other_tab = env.lock.clone().expect("a shared lock");
    block_on(async {
        let held = other_tab.lock().await;
        let mut renewal = std::pin::pin!(c.renew_if_due());
        assert!(
            futures::poll!(renewal.as_mut()).is_pending(),
            "waits for the other tab"
        );
        // The other tab logs out: storage is cleared, and this tab hears
        // of it and forgets the credentials.
        c.store().clear();
        c.forget_credentials();
        drop(held);
        assert_eq!(
            renewal.await,
            Err(ApiError::NeedsLogin(NOT_SIGNED_IN.into()))
        );
    });
    assert_eq!(c.transport.sent().len(), 1, "no login after the logout");
}

#[test]
fn logging_out_in_one_tab_signs_out_the_other() {
    let store = Rc::new(MemoryStore::default());
    let a = setup(Script::default()).store(store.clone()).logged_in();
    let b = setup(Script::default()).store(store.clone()).build();
    assert!(b.has_token(), "B uses the token A stored");
    a.log_out();
    assert!(!b.has_token());
    assert_eq!(
        block_on(b.get_json(DATA)),
        Err(ApiError::NeedsLogin(NOT_SIGNED_IN.into()))
    );
}
