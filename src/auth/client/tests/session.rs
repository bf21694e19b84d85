//! What the client does without a request: no token, garbage in storage, logout, a known-expired
//! token, and the session state it reports.

use super::*;

#[test]
fn a_request_carries_the_stored_token_as_bearer() {
    let c = setup(Script::default().reply(200, ROWS))
        .stored("t1")
        .build();
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    assert_eq!(c.transport.log(), ["GET /api:data/customers Bearer t1"]);
}

#[test]
fn no_token_asks_for_login_without_any_request() {
    let c = setup(Script::default()).build();
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(NOT_SIGNED_IN.into()))
    );
    assert!(c.transport.sent().is_empty());
}

#[test]
fn garbage_in_storage_counts_as_no_token() {
    for raw in ["", "null", r#"{"authToken":"x"}"#, "not a token"] {
        let c = setup(Script::default()).stored(raw).build();
        assert!(
            block_on(c.get_json(DATA)).unwrap_err().needs_login(),
            "{raw:?}"
        );
        assert!(c.transport.sent().is_empty(), "{raw:?}");
    }
}

#[test]
fn logout_forgets_token_and_credentials() {
    let c = setup(Script::default()).logged_in();
    c.log_out();
    assert_eq!(c.store().raw(), None);
    assert!(!c.has_credentials());
    assert!(block_on(c.get_json(DATA)).unwrap_err().needs_login());
}

#[test]
fn a_known_expired_jws_without_credentials_goes_to_the_form_without_a_request() {
    let env = TestEnv::default();
    let store = MemoryStore::default();
    store
        .save(&StoredToken::new(jws(0, 60), Some(0.0)))
        .unwrap();
    let c = setup(Script::default())
        .store(store)
        .env(env.clone())
        .build();
    env.at(30_000.0);
    assert!(matches!(
        c.session(),
        SessionState::SignedIn {
            renews_at: None,
            ..
        }
    ));
    env.at(61_000.0);
    assert_eq!(c.session(), SessionState::Expired);
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()))
    );
    assert!(c.transport.sent().is_empty());
}

#[test]
fn the_session_state_machine() {
    let c = setup(
        Script::default()
            .reply(200, &login_body("t1"))
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body("t2"))
            .reply(200, ROWS),
    )
    .build();
    assert_eq!(c.session(), SessionState::SignedOut);
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(
        c.session(),
        SessionState::SignedIn {
            expires_at: None,
            renews_at: None
        }
    );
    let c = Rc::new(c);
    let seen = Rc::new(RefCell::new(Vec::new()));
    {
        let (client, seen) = (Rc::downgrade(&c), seen.clone());
        c.set_observer(move |event| {
            if let (ClientEvent::Request { url, .. }, Some(client)) = (event, client.upgrade())
                && url == LOGIN
            {
                seen.borrow_mut().push(client.session());
            }
        });
    }
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(
        *seen.borrow(),
        [SessionState::Renewing],
        "renewing while the silent login runs"
    );
    c.log_out();
    assert_eq!(c.session(), SessionState::SignedOut);
}

#[test]
fn a_jws_without_iat_counts_as_expired_only_five_seconds_after_its_exp() {
    // exp = 60 s; the client's clock may be a little off, so the token is
    // used until 65 s and the form shown only after that.
    let env = TestEnv::default();
    let store = MemoryStore::default();
    store
        .save(&StoredToken::new(jws_exp_only(60), None))
        .unwrap();
    let c = setup(Script::default().reply(200, ROWS))
        .store(store)
        .env(env.clone())
        .build();
    env.at(65_000.0);
    assert!(matches!(c.session(), SessionState::SignedIn { .. }));
    assert!(block_on(c.get_json(DATA)).is_ok(), "still sent at 65 s");
    env.at(65_001.0);
    assert_eq!(c.session(), SessionState::Expired);
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()))
    );
    assert_eq!(c.transport.sent().len(), 1, "no request after 65 s");
}

#[test]
fn the_client_tells_whether_a_token_is_stored_and_who_logged_in() {
    let c = setup(Script::default()).stored("someone-elses").build();
    assert!(c.has_token(), "a token from an earlier page");
    assert_eq!(c.identity(), None, "but nobody logged in on this page");
    let c = setup(Script::default()).logged_in();
    assert!(c.has_token());
    assert_eq!(c.identity().as_deref(), Some("demo@example.com"));
    c.log_out();
    assert!(!c.has_token());
    assert_eq!(c.identity(), None);
}

/// A store the browser refuses to write to: the token is kept in memory
/// only, as the `localStorage` store does.
#[derive(Default)]
struct RefusingStore(MemoryStore);

impl TokenStore for RefusingStore {
    fn load(&self) -> Option<StoredToken> {
        self.0.load()
    }
    fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
        self.0.save(token)?;
        Err(StoreError::Unavailable("quota exceeded".into()))
    }
    fn clear(&self) {
        self.0.clear()
    }
    fn silent_logins(&self) -> Vec<f64> {
        self.0.silent_logins()
    }
    fn set_silent_logins(&self, at: &[f64]) {
        self.0.set_silent_logins(at)
    }
}

#[test]
fn a_token_storage_refused_works_for_this_page_with_a_warning() {
    let c = setup(Script::default().reply(200, ROWS))
        .store(RefusingStore::default())
        .logged_in();
    assert_eq!(
        c.storage_warning(),
        Some(StoreError::Unavailable("quota exceeded".into()))
    );
    assert!(block_on(c.get_json(DATA)).is_ok());
    let c = setup(Script::default()).logged_in();
    assert_eq!(c.storage_warning(), None);
}
