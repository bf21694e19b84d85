//! Refresh tokens: every renewal sends the refresh token first, the password
//! when the refresh is refused, then the form; a rotated refresh token
//! replaces the old one at once, and none is ever sent twice — not by
//! concurrent requests, not by several tabs.

use super::*;
use crate::auth::refresh::RefreshSettings;
use crate::auth::store::KeptRefresh;
use std::collections::HashMap;

const REFRESH: &str = "/api:auth/auth/refresh";

fn refresh_settings() -> AuthSettings {
    AuthSettings {
        refresh: Some(RefreshSettings {
            url: REFRESH.into(),
            token_path: TokenPath::parse("refresh_token").unwrap(),
            request_field: "refresh_token".into(),
            extra_fields: Vec::new(),
        }),
        ..settings("authToken")
    }
}

/// Keeps `refresh` in `store`, going with the token stored there now.
fn keep<S: TokenStore>(store: &S, refresh: &str) {
    let access = store.load().expect("a token to go with").token;
    store
        .set_refresh_token(Some(&KeptRefresh::new(refresh, &access)))
        .unwrap();
}

/// A login or refresh answer with an access and a refresh token.
fn pair(access: &str, refresh: &str) -> String {
    format!(r#"{{"authToken":"{access}","refresh_token":"{refresh}"}}"#)
}

/// The JSON body of a request.
fn body(request: &HttpRequest) -> Value {
    serde_json::from_str(request.body.as_deref().unwrap_or("null")).unwrap()
}

/// The refresh tokens sent, in order.
fn refreshes_sent(script: &Script) -> Vec<String> {
    script
        .sent()
        .iter()
        .filter(|r| r.url == REFRESH)
        .map(|r| body(r)["refresh_token"].as_str().unwrap_or("?").to_owned())
        .collect()
}

/// A client on `store` that logged in through the form and got `t1` and
/// refresh token `r1`; the login is taken out of the log.
fn logged_in_with_refresh<S: TokenStore>(
    script: Script,
    store: S,
) -> ApiClient<Script, S, TestEnv> {
    script.replies.borrow_mut().push_front(Reply {
        result: Ok(HttpResponse {
            status: 200,
            headers: vec![],
            body: pair("t1", "r1"),
        }),
        delay: 0,
    });
    let client = setup(script)
        .settings(refresh_settings())
        .store(store)
        .build();
    block_on(client.log_in(creds())).expect("form login");
    client.transport.sent.borrow_mut().clear();
    client
}

#[test]
fn a_401_renews_with_the_refresh_token_and_never_sends_the_password() {
    let c = logged_in_with_refresh(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, &pair("t2", "r2"))
            .reply(200, ROWS),
        MemoryStore::default(),
    );
    assert_eq!(
        c.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r1"),
        "kept from the login answer"
    );
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    let sent = c.transport.sent();
    assert_eq!(
        c.transport.log(),
        [
            format!("GET {DATA} Bearer t1"),
            format!("POST {REFRESH} -"),
            format!("GET {DATA} Bearer t2"),
        ]
    );
    assert_eq!(
        body(&sent[1]),
        json!({"refresh_token": "r1"}),
        "the refresh token only"
    );
    assert_eq!(sent[1].header("Content-Type"), Some("application/json"));
    assert_eq!(c.store.raw().as_deref(), Some("t2"));
    assert_eq!(
        c.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r2"),
        "rotated"
    );
    assert!(
        c.has_credentials(),
        "the password stays in memory as the fallback"
    );
}

#[test]
fn the_refresh_request_carries_the_extra_fields_in_order_and_no_bearer() {
    let mut settings = refresh_settings();
    if let Some(refresh) = &mut settings.refresh {
        refresh.request_field = "refresh".into();
        refresh.extra_fields = vec![
            ("grant_type".into(), "refresh_token".into()),
            ("client_id".into(), "web".into()),
        ];
    }
    let store = MemoryStore::with_raw("t1");
    keep(&store, "r1");
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, &pair("t2", "r2"))
            .reply(200, ROWS),
    )
    .settings(settings)
    .store(store)
    .build();
    block_on(c.get_json(DATA)).unwrap();
    let refresh = &c.transport.sent()[1];
    assert_eq!(refresh.url, REFRESH);
    assert_eq!(refresh.header("Authorization"), None);
    assert_eq!(
        refresh.body.as_deref(),
        Some(r#"{"grant_type":"refresh_token","client_id":"web","refresh":"r1"}"#)
    );
    assert_eq!(refresh.timeout_ms, Some(10_000), "the login timeout");
}

#[test]
fn a_reload_with_an_expired_token_refreshes_instead_of_showing_the_form() {
    // After a reload: no credentials, the stored token and a kept refresh token.
    let store = MemoryStore::with_raw("t1");
    keep(&store, "r1");
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, &pair("t2", "r2"))
            .reply(200, ROWS),
    )
    .settings(refresh_settings())
    .store(store)
    .build();
    assert!(!c.has_credentials());
    assert!(c.can_renew());
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    assert_eq!(refreshes_sent(&c.transport), ["r1"]);
    assert_eq!(
        c.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r2")
    );
}

#[test]
fn a_reload_with_a_jws_known_to_be_expired_refreshes_before_the_first_request() {
    let env = TestEnv::default();
    env.at(1_000_000.0);
    // Received 70 s ago, lived 60 s.
    let expired = jws(1_000, 1_060);
    let store = MemoryStore::default();
    store
        .save(&StoredToken::new(expired.clone(), Some(930_000.0)))
        .unwrap();
    keep(&store, "r1");
    let fresh = jws(2_000, 2_060);
    let c = setup(
        Script::default()
            .reply(200, &pair(&fresh, "r2"))
            .reply(200, ROWS),
    )
    .settings(refresh_settings())
    .store(store)
    .env(env)
    .build();
    assert_ne!(c.session(), SessionState::Expired, "renewable, not expired");
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    assert_eq!(
        c.transport.log(),
        [
            format!("POST {REFRESH} -"),
            format!("GET {DATA} Bearer {fresh}")
        ],
        "the expired token is never sent"
    );
}

#[test]
fn without_a_refresh_token_an_expired_token_still_means_the_form() {
    let env = TestEnv::default();
    env.at(1_000_000.0);
    let store = MemoryStore::default();
    store
        .save(&StoredToken::new(jws(1_000, 1_060), Some(930_000.0)))
        .unwrap();
    let c = setup(Script::default())
        .settings(refresh_settings())
        .store(store)
        .env(env)
        .build();
    assert_eq!(c.session(), SessionState::Expired);
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()))
    );
    assert!(c.transport.sent().is_empty());
}

#[test]
fn renewal_ahead_of_expiry_uses_the_refresh_token_after_a_reload() {
    let env = TestEnv::default();
    let store = MemoryStore::default();
    store
        .save(&StoredToken::new(jws(0, 60), Some(0.0)))
        .unwrap();
    keep(&store, "r1");
    let fresh = jws(48, 108);
    let c = setup(Script::default().reply(200, &pair(&fresh, "r2")))
        .settings(refresh_settings())
        .store(store)
        .env(env.clone())
        .build();
    assert_eq!(
        c.next_renewal(),
        Some(48_000.0),
        "renewable without credentials"
    );
    env.at(48_000.0);
    assert_eq!(block_on(c.renew_if_due()), Ok(true));
    assert_eq!(refreshes_sent(&c.transport), ["r1"]);
    assert_eq!(c.store.raw(), Some(fresh));
}

#[test]
fn a_refused_refresh_falls_back_to_the_password_then_replays() {
    let c = logged_in_with_refresh(Script::default(), MemoryStore::default());
    for reply in [
        (401, UNAUTHORIZED.to_owned()),
        (
            401,
            r#"{"detail":"Token is invalid or expired"}"#.to_owned(),
        ),
        (200, login_body("t2")),
        (200, ROWS.to_owned()),
    ] {
        c.transport.replies.borrow_mut().push_back(Reply {
            result: Ok(HttpResponse {
                status: reply.0,
                headers: vec![],
                body: reply.1,
            }),
            delay: 0,
        });
    }
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    let sent = c.transport.sent();
    assert_eq!(
        c.transport.log(),
        [
            format!("GET {DATA} Bearer t1"),
            format!("POST {REFRESH} -"),
            format!("POST {LOGIN} -"),
            format!("GET {DATA} Bearer t2"),
        ]
    );
    assert_eq!(body(&sent[2])["password"], "pw 123");
    assert_eq!(
        c.store.refresh_token(),
        None,
        "refused: forgotten (and this login answer had none)"
    );
}

#[test]
fn a_refused_refresh_without_a_password_shows_the_form_and_forgets_both_tokens() {
    let store = MemoryStore::with_raw("t1");
    keep(&store, "r1");
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(400, r#"{"error":"invalid_grant"}"#),
    )
    .settings(refresh_settings())
    .store(store)
    .build();
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()))
    );
    assert_eq!(c.transport.sent().len(), 2, "no replay, no login");
    assert_eq!(c.store.refresh_token(), None);
    assert_eq!(c.store.raw(), None);
    assert!(!c.can_renew());
}

#[test]
fn a_network_error_or_a_server_error_keeps_the_refresh_token_for_the_next_try() {
    let store = MemoryStore::with_raw("t1");
    keep(&store, "r1");
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .fail("Failed to fetch")
            .reply(401, UNAUTHORIZED)
            .reply(503, r#"{"message":"busy"}"#)
            .reply(401, UNAUTHORIZED)
            .reply(200, &pair("t2", "r2"))
            .reply(200, ROWS),
    )
    .settings(refresh_settings())
    .store(store)
    .build();
    assert!(matches!(
        block_on(c.get_json(DATA)),
        Err(ApiError::Network { .. })
    ));
    assert_eq!(
        c.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r1")
    );
    assert!(matches!(
        block_on(c.get_json(DATA)),
        Err(ApiError::Http { status: 503, .. })
    ));
    assert_eq!(
        c.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r1")
    );
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    assert_eq!(
        refreshes_sent(&c.transport),
        ["r1", "r1", "r1"],
        "never answered, so never spent"
    );
    assert_eq!(
        c.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r2")
    );
}

#[test]
fn a_refresh_answer_over_the_limit_names_the_refresh_url_not_paging() {
    let store = MemoryStore::with_raw("t1");
    keep(&store, "r1");
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .too_large(1 << 20),
    )
    .settings(refresh_settings())
    .store(store)
    .build();
    let error = block_on(c.get_json(DATA)).unwrap_err();
    assert!(
        error.to_string().ends_with(
            "is larger than 1 MiB, the `maxResponseBytes` setting. An answer with a token is a few fields: check the `refreshUrl` setting."
        ),
        "{error}"
    );
    assert_eq!(
        c.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r1"),
        "kept for the next try"
    );
}

#[test]
fn a_refresh_answer_without_a_new_refresh_token_keeps_the_old_one() {
    // Django REST framework SimpleJWT without ROTATE_REFRESH_TOKENS: `{"access"}` only.
    let store = MemoryStore::with_raw("t1");
    keep(&store, "r1");
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body("t2"))
            .reply(200, ROWS)
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body("t3"))
            .reply(200, ROWS),
    )
    .settings(refresh_settings())
    .store(store)
    .build();
    block_on(c.get_json(DATA)).unwrap();
    assert_eq!(c.store.refresh_token(), Some(KeptRefresh::new("r1", "t2")));
    assert_eq!(c.store.raw().as_deref(), Some("t2"));
    block_on(c.get_json(DATA)).unwrap();
    assert_eq!(
        refreshes_sent(&c.transport),
        ["r1", "r1"],
        "it now goes with t2"
    );
}

#[test]
fn a_refresh_token_that_came_with_another_token_is_never_sent() {
    // Someone logged in elsewhere (another user, or with the password):
    // the token stored is not the one this refresh token came with.
    let store = MemoryStore::with_raw("t1");
    keep(&store, "r1");
    store.save(&StoredToken::new("other", None)).unwrap();
    let c = setup(Script::default().reply(401, UNAUTHORIZED))
        .settings(refresh_settings())
        .store(store)
        .build();
    assert!(!c.can_renew());
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()))
    );
    assert_eq!(refreshes_sent(&c.transport), Vec::<String>::new());
}

#[test]
fn a_rotated_refresh_token_is_kept_even_when_the_rest_of_the_answer_is_unusable() {
    let store = MemoryStore::with_raw("t1");
    keep(&store, "r1");
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            // A new refresh token, but nothing at `tokenPath`.
            .reply(200, r#"{"access_token":"t2","refresh_token":"r2"}"#)
            .reply(401, UNAUTHORIZED)
            .reply(200, &pair("t3", "r3"))
            .reply(200, ROWS),
    )
    .settings(refresh_settings())
    .store(store)
    .build();
    assert!(matches!(
        block_on(c.get_json(DATA)),
        Err(ApiError::TokenMissing { .. })
    ));
    assert_eq!(
        c.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r2"),
        "r1 is spent"
    );
    block_on(c.get_json(DATA)).unwrap();
    assert_eq!(refreshes_sent(&c.transport), ["r1", "r2"]);
}

#[test]
fn a_login_without_a_refresh_token_forgets_an_old_one() {
    let store = MemoryStore::default();
    store
        .set_refresh_token(Some(&KeptRefresh::new("someone-elses", "t0")))
        .unwrap();
    let c = setup(Script::default().reply(200, &login_body("t1")))
        .settings(refresh_settings())
        .store(store)
        .build();
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(c.store.refresh_token(), None);
}

#[test]
fn with_refresh_tokens_off_none_is_kept_or_sent() {
    let c = setup(
        Script::default()
            .reply(200, &pair("t1", "r1"))
            .reply(401, UNAUTHORIZED)
            .reply(200, &pair("t2", "r2"))
            .reply(200, ROWS),
    )
    .build();
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(c.store.refresh_token(), None);
    block_on(c.get_json(DATA)).unwrap();
    assert_eq!(
        count(&c, &format!("POST {LOGIN}")),
        2,
        "the password renews"
    );
    assert_eq!(c.store.refresh_token(), None);
    // A refresh token left in the store (refresh turned off since) is not used.
    let store = MemoryStore::with_raw("t1");
    keep(&store, "r1");
    let c = setup(Script::default().reply(401, UNAUTHORIZED))
        .store(store)
        .build();
    assert!(!c.can_renew());
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()))
    );
}

#[test]
fn logging_out_here_or_elsewhere_forgets_the_refresh_token() {
    let c = logged_in_with_refresh(Script::default(), MemoryStore::default());
    assert_eq!(
        c.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r1")
    );
    c.log_out();
    assert_eq!(c.store.refresh_token(), None);
    assert!(!c.can_renew());

    let c = logged_in_with_refresh(Script::default(), MemoryStore::default());
    // Another tab logged out: the page forgets what renews the session.
    c.forget_credentials();
    assert_eq!(c.store.refresh_token(), None);
    assert!(!c.can_renew());
}

#[test]
fn refreshes_spend_the_silent_login_budget_like_logins() {
    let store = MemoryStore::with_raw("t0");
    keep(&store, "r0");
    let mut script = Script::default();
    for n in 1..=3 {
        script = script
            .reply(401, UNAUTHORIZED)
            .reply(200, &pair(&format!("t{n}"), &format!("r{n}")))
            .reply(200, ROWS);
    }
    let c = setup(script.reply(401, UNAUTHORIZED))
        .settings(refresh_settings())
        .store(store)
        .build();
    for _ in 0..3 {
        block_on(c.get_json(DATA)).unwrap();
    }
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::TooManyRenewals { count: 3 })
    );
    assert_eq!(refreshes_sent(&c.transport), ["r0", "r1", "r2"]);
    assert_eq!(c.store.silent_logins().len(), 3);
    assert_eq!(
        c.store.refresh_token(),
        None,
        "the breaker ends the session"
    );
}

#[test]
fn a_refused_refresh_and_the_password_login_after_it_spend_two_of_the_budget() {
    let c = logged_in_with_refresh(Script::default(), MemoryStore::default());
    c.transport.replies.borrow_mut().extend([
        Reply {
            result: Ok(HttpResponse {
                status: 401,
                headers: vec![],
                body: UNAUTHORIZED.into(),
            }),
            delay: 0,
        },
        Reply {
            result: Ok(HttpResponse {
                status: 401,
                headers: vec![],
                body: UNAUTHORIZED.into(),
            }),
            delay: 0,
        },
        Reply {
            result: Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: pair("t2", "r2"),
            }),
            delay: 0,
        },
        Reply {
            result: Ok(HttpResponse {
                status: 200,
                headers: vec![],
                body: ROWS.into(),
            }),
            delay: 0,
        },
    ]);
    block_on(c.get_json(DATA)).unwrap();
    assert_eq!(c.store.silent_logins().len(), 2);
    assert_eq!(
        c.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r2"),
        "the new login's"
    );
}

/// A server that rotates refresh tokens and detects reuse, on one login
/// family: a login issues `aN`/`rN`; a refresh with the family's current
/// refresh token issues the next pair and spends the old one; a spent one
/// revokes the whole family and is answered 401. Data requests pass with
/// the current access token unless [`expire`](Self::expire) was called
/// after it was issued. Every answer takes `delay` polls, so concurrent
/// requests interleave.
#[derive(Default)]
struct Rotating {
    delay: u32,
    issued: Cell<u32>,
    access: RefCell<Option<String>>,
    refresh: RefCell<Option<String>>,
    spent: RefCell<Vec<String>>,
    expired: Cell<bool>,
    revoked: Cell<bool>,
    /// Refresh tokens presented, with what happened: "rotated", "reused".
    refreshes: RefCell<Vec<(String, &'static str)>>,
    /// Data requests by status.
    data: RefCell<HashMap<u16, u32>>,
}

impl Rotating {
    fn issue(&self) -> String {
        let n = self.issued.get() + 1;
        self.issued.set(n);
        let (access, refresh) = (format!("a{n}"), format!("r{n}"));
        *self.access.borrow_mut() = Some(access.clone());
        *self.refresh.borrow_mut() = Some(refresh.clone());
        self.expired.set(false);
        pair(&access, &refresh)
    }

    /// The current access token expires.
    fn expire(&self) {
        self.expired.set(true);
    }

    fn answer(&self, request: &HttpRequest) -> (u16, String) {
        if request.url == LOGIN {
            self.revoked.set(false);
            return (200, self.issue());
        }
        if request.url == REFRESH {
            let presented = body(request)["refresh_token"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if self.spent.borrow().contains(&presented) {
                self.refreshes.borrow_mut().push((presented, "reused"));
                self.revoked.set(true);
                *self.access.borrow_mut() = None;
                *self.refresh.borrow_mut() = None;
                return (401, r#"{"message":"refresh token reused"}"#.into());
            }
            if self.revoked.get() || self.refresh.borrow().as_deref() != Some(&presented) {
                return (401, r#"{"message":"unknown refresh token"}"#.into());
            }
            self.spent.borrow_mut().push(presented.clone());
            self.refreshes.borrow_mut().push((presented, "rotated"));
            return (200, self.issue());
        }
        let bearer = request.header("Authorization").unwrap_or_default();
        let current = self.access.borrow().as_ref().map(|a| format!("Bearer {a}"));
        let status = if current.as_deref() == Some(bearer) && !self.expired.get() {
            200
        } else {
            401
        };
        *self.data.borrow_mut().entry(status).or_default() += 1;
        (
            status,
            if status == 200 {
                ROWS.into()
            } else {
                UNAUTHORIZED.into()
            },
        )
    }
}

impl Transport for Rotating {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        // Decided when the request arrives; answered after the delay.
        let (status, body) = self.answer(&request);
        Delayed {
            remaining: Cell::new(self.delay),
            result: Some(Ok(HttpResponse {
                status,
                headers: vec![],
                body,
            })),
        }
        .await
    }
}

type Tab = ApiClient<Rc<Rotating>, Rc<MemoryStore>, TestEnv>;

/// `tabs` clients on one store (a refresh token in `localStorage` is
/// shared) and one cross-tab lock, against one rotating server. The first
/// tab logged in through the form; the others opened afterwards, so they
/// hold no password.
fn tabs(server: &Rc<Rotating>, tabs: usize) -> Vec<Tab> {
    let env = TestEnv::with_shared_lock();
    let store = Rc::new(MemoryStore::default());
    let clients: Vec<Tab> = (0..tabs)
        .map(|_| {
            ApiClient::new(
                refresh_settings(),
                server.clone(),
                store.clone(),
                env.clone(),
            )
        })
        .collect();
    block_on(clients[0].log_in(creds())).unwrap();
    clients
}

#[test]
fn twenty_concurrent_401s_in_one_tab_send_the_refresh_token_once() {
    let server = Rc::new(Rotating {
        delay: 2,
        ..Rotating::default()
    });
    let tab = tabs(&server, 1).remove(0);
    server.expire();
    let results = block_on(futures::future::join_all(
        (0..20).map(|_| tab.get_json(DATA)),
    ));
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(*server.refreshes.borrow(), [("r1".to_owned(), "rotated")]);
    assert_eq!(
        tab.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r2")
    );
}

#[test]
fn three_tabs_sharing_a_rotating_refresh_token_refresh_once_per_expiry() {
    let server = Rc::new(Rotating {
        delay: 1,
        ..Rotating::default()
    });
    let tabs = tabs(&server, 3);
    for expiry in 1..=3 {
        server.expire();
        // Each tab loads twice at once; the tabs at once too.
        let loads = tabs
            .iter()
            .flat_map(|tab| [tab.get_json(DATA), tab.get_json(DATA)]);
        let results = block_on(futures::future::join_all(loads));
        assert!(results.iter().all(Result::is_ok), "{expiry}: {results:?}");
        let refreshes = server.refreshes.borrow();
        assert_eq!(
            refreshes.len(),
            expiry,
            "one refresh per expiry: {refreshes:?}"
        );
        assert!(
            refreshes.iter().all(|(_, what)| *what == "rotated"),
            "{refreshes:?}"
        );
    }
    let presented: Vec<String> = server
        .refreshes
        .borrow()
        .iter()
        .map(|(token, _)| token.clone())
        .collect();
    assert_eq!(presented, ["r1", "r2", "r3"], "each sent once");
    assert_eq!(
        tabs[2].store.silent_logins().len(),
        3,
        "one budget for all tabs"
    );
    assert!(!tabs[1].has_credentials() && tabs[1].can_renew());
}

#[test]
fn a_tab_that_waited_for_the_lock_uses_the_token_the_other_tab_got() {
    let server = Rc::new(Rotating {
        delay: 3,
        ..Rotating::default()
    });
    let tabs = tabs(&server, 2);
    server.expire();
    let (a, b) = block_on(futures::future::join(
        tabs[0].get_json(DATA),
        tabs[1].get_json(DATA),
    ));
    assert!(a.is_ok() && b.is_ok());
    assert_eq!(server.refreshes.borrow().len(), 1);
    assert_eq!(
        server.data.borrow().get(&200),
        Some(&2),
        "both replays carried a2"
    );
}

/// One tab's storage: the token and the budget in storage all tabs share,
/// the refresh token in a storage of the tab's own (`sessionStorage`).
struct TabStorage {
    shared: Rc<MemoryStore>,
    own: RefCell<Option<KeptRefresh>>,
}

impl TokenStore for TabStorage {
    fn load(&self) -> Option<StoredToken> {
        self.shared.load()
    }
    fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
        self.shared.save(token)
    }
    fn clear(&self) {
        self.own.borrow_mut().take();
        self.shared.clear()
    }
    fn silent_logins(&self) -> Vec<f64> {
        self.shared.silent_logins()
    }
    fn set_silent_logins(&self, at: &[f64]) {
        self.shared.set_silent_logins(at)
    }
    fn refresh_token(&self) -> Option<KeptRefresh> {
        self.own.borrow().clone()
    }
    fn set_refresh_token(&self, token: Option<&KeptRefresh>) -> Result<(), StoreError> {
        *self.own.borrow_mut() = token.cloned();
        Ok(())
    }
}

#[test]
fn a_duplicated_tab_never_sends_the_refresh_token_its_twin_spent() {
    let server = Rc::new(Rotating::default());
    let env = TestEnv::with_shared_lock();
    let shared = Rc::new(MemoryStore::default());
    let tab = |own: Option<KeptRefresh>| {
        ApiClient::new(
            refresh_settings(),
            server.clone(),
            TabStorage {
                shared: shared.clone(),
                own: RefCell::new(own),
            },
            env.clone(),
        )
    };
    let a = tab(None);
    block_on(a.log_in(creds())).unwrap();
    // Duplicating a tab copies its sessionStorage: the twin holds r1 too.
    let b = tab(a.store.refresh_token());
    server.expire();
    block_on(a.get_json(DATA)).unwrap(); // A spends r1
    block_on(b.get_json(DATA)).unwrap(); // B adopts A's token
    server.expire();
    // B is first this time, alone: its r1 came with a token long gone.
    assert_eq!(
        block_on(b.get_json(DATA)),
        Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()))
    );
    assert!(
        server
            .refreshes
            .borrow()
            .iter()
            .all(|(_, what)| *what == "rotated"),
        "r1 was never sent again: {:?}",
        server.refreshes.borrow()
    );
    assert!(
        !server.revoked.get(),
        "had B sent it, the server would have revoked A's session too"
    );
    assert_eq!(
        a.store.refresh_token().map(|k| k.token).as_deref(),
        Some("r2"),
        "A's own is untouched"
    );
}

#[test]
fn a_logout_while_a_refresh_is_in_flight_stores_nothing_it_brings() {
    let env = TestEnv::default();
    let c = setup(Script::default().reply(200, &pair("t1", "r1")).reply_after(
        5,
        200,
        &pair("t2", "r2"),
    ))
    .settings(AuthSettings {
        lifetime_hint_ms: Some(60_000.0),
        ..refresh_settings()
    })
    .env(env.clone())
    .build();
    block_on(c.log_in(creds())).expect("form login");
    env.at(50_000.0);
    let (renewal, ()) = block_on(futures::future::join(c.renew_if_due(), async {
        yield_times(2).await;
        c.log_out();
    }));
    assert!(
        renewal.is_err(),
        "the renewal ends with the session: {renewal:?}"
    );
    assert_eq!(
        refreshes_sent(&c.transport),
        ["r1"],
        "the refresh was on its way"
    );
    assert_eq!(
        c.store.raw(),
        None,
        "the logout stands: no token stored after it"
    );
    assert_eq!(
        c.store.refresh_token(),
        None,
        "nor the rotated refresh token"
    );
    assert!(!c.has_credentials());
}

/// One tab's view of the storage all tabs share, as a browser hands it over
/// from another tab: a key at a time. For the next `meta_late` reads this
/// tab sees the token but not yet when it was received.
struct KeyByKey {
    shared: Rc<MemoryStore>,
    meta_late: Cell<u32>,
}

impl TokenStore for KeyByKey {
    fn load(&self) -> Option<StoredToken> {
        let mut stored = self.shared.load()?;
        if self.meta_late.get() > 0 {
            self.meta_late.set(self.meta_late.get() - 1);
            stored.received_at = None;
        }
        Some(stored)
    }
    fn save(&self, token: &StoredToken) -> Result<(), StoreError> {
        self.shared.save(token)
    }
    fn clear(&self) {
        self.shared.clear()
    }
    fn silent_logins(&self) -> Vec<f64> {
        self.shared.silent_logins()
    }
    fn set_silent_logins(&self, at: &[f64]) {
        self.shared.set_silent_logins(at)
    }
    fn refresh_token(&self) -> Option<KeptRefresh> {
        self.shared.refresh_token()
    }
    fn set_refresh_token(&self, token: Option<&KeptRefresh>) -> Result<(), StoreError> {
        self.shared.set_refresh_token(token)
    }
}

type KeyByKeyTab = ApiClient<Rc<Script>, KeyByKey, TestEnv>;

/// Two tabs on one storage and lock with 20 s tokens (renewed ahead 4 s
/// before expiry): A has just renewed t1 ahead of its expiry with r1 and
/// got `t2`, returned. `replies` answer what comes after.
fn a_renewed_t1(replies: Script) -> (Rc<Script>, KeyByKeyTab, KeyByKeyTab, String) {
    let (t1, t2) = (jws(1_000, 1_020), jws(1_016, 1_036));
    let script = Rc::new(Script {
        sent: RefCell::default(),
        ..replies
    });
    script.replies.borrow_mut().push_front(Reply {
        result: Ok(HttpResponse {
            status: 200,
            headers: vec![],
            body: pair(&t2, "r2"),
        }),
        delay: 0,
    });
    let env = TestEnv::with_shared_lock();
    let shared = Rc::new(MemoryStore::default());
    shared
        .save(&StoredToken::new(t1, Some(1_000_000.0)))
        .unwrap();
    keep(&shared, "r1");
    let tab = || {
        ApiClient::new(
            refresh_settings(),
            script.clone(),
            KeyByKey {
                shared: shared.clone(),
                meta_late: Cell::new(0),
            },
            env.clone(),
        )
    };
    let (a, b) = (tab(), tab());
    env.at(1_016_000.0);
    assert_eq!(block_on(a.renew_if_due()), Ok(true));
    assert_eq!(a.store.load().map(|s| s.token), Some(t2.clone()));
    (script, a, b, t2)
}

#[test]
fn a_tab_that_sees_the_new_token_before_its_receipt_time_does_not_refresh_it_again() {
    let (script, _a, b, t2) = a_renewed_t1(Script::default().reply(200, &pair("t3", "r3")));
    // B's timer fires for t1 too. The token key has reached B, its `.meta`
    // not yet: by the token's own `exp` on B's clock, t2 looks due. By the
    // time B holds the lock, the receipt time is there.
    b.store.meta_late.set(2);
    block_on(b.renew_if_due()).unwrap();
    assert_eq!(
        refreshes_sent(&script),
        ["r1"],
        "one refresh for one expiry"
    );
    assert_eq!(b.store.load().map(|s| s.token), Some(t2));
    assert_eq!(
        b.next_renewal(),
        Some(1_032_000.0),
        "B renews t2 when it is due"
    );
}

#[test]
fn a_load_in_a_tab_that_sees_the_new_token_before_its_receipt_time_sends_it_unrenewed() {
    let (script, _a, b, t2) = a_renewed_t1(Script::default().reply(200, ROWS).reply(200, ROWS));
    // As above, for a load: the token, then whether it is due, are read
    // before the `.meta` reaches B.
    b.store.meta_late.set(3);
    assert_eq!(block_on(b.get_json(DATA)).map(rows), Ok(1));
    assert_eq!(refreshes_sent(&script), ["r1"]);
    let sent = script.sent();
    let last = sent.last().unwrap();
    assert_eq!(last.url, DATA);
    assert_eq!(
        last.header("Authorization"),
        Some(format!("Bearer {t2}").as_str())
    );
}
