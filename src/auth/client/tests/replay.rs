//! A 401 means one silent login and one replay, never more; what is replayed and what is not.

use super::*;

#[test]
fn expired_token_is_renewed_once_and_the_request_replayed_with_the_new_token() {
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, r#"{"authToken":"t2"}"#)
            .reply(200, ROWS),
    )
    .logged_in();
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    assert_eq!(
        c.transport.log(),
        [
            "GET /api:data/customers Bearer t1",
            "POST /api:auth/auth/login -",
            "GET /api:data/customers Bearer t2",
        ]
    );
    assert_eq!(c.store().raw().as_deref(), Some("t2"));
    assert_eq!(
        c.env.sleeps.get(),
        0,
        "no waiting: no other tab held the lock"
    );
}

#[test]
fn a_401_on_the_replay_ends_at_the_login_form_without_a_third_request() {
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, r#"{"authToken":"t2"}"#)
            .reply(401, UNAUTHORIZED),
    )
    .logged_in();
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert!(err.needs_login(), "{err:?}");
    assert!(
        err.to_string()
            .contains("Unauthorized - Authentication Required"),
        "{err}"
    );
    assert_eq!(c.transport.sent().len(), 3);
    assert_eq!(c.store().raw(), None, "the refused token is not kept");
    assert!(!c.has_credentials(), "no silent login is tried again");
    // The next load goes straight to the form: no request at all.
    assert!(block_on(c.get_json(DATA)).unwrap_err().needs_login());
    assert_eq!(c.transport.sent().len(), 3);
}

#[test]
fn silent_login_refused_shows_the_servers_message_on_the_form() {
    for (status, body, message) in [
        (403, DENIED, "Invalid Credentials."),
        (
            400,
            r#""Wrong email or password""#,
            "Wrong email or password",
        ),
        (401, r#"{"error":"bad password"}"#, "bad password"),
    ] {
        let c = setup(
            Script::default()
                .reply(401, UNAUTHORIZED)
                .reply(status, body),
        )
        .logged_in();
        assert_eq!(
            block_on(c.get_json(DATA)),
            Err(ApiError::NeedsLogin(message.into()))
        );
        assert_eq!(
            c.transport.sent().len(),
            2,
            "no replay after a refused login"
        );
        assert!(!c.has_credentials());
        assert_eq!(c.store().raw(), None);
    }
}

#[test]
fn token_rejected_with_no_credentials_in_memory_goes_to_the_form() {
    let c = setup(Script::default().reply(401, UNAUTHORIZED))
        .stored("old")
        .build();
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()))
    );
    assert_eq!(c.transport.sent().len(), 1);
    assert_eq!(c.store().raw(), None);
}

#[test]
fn a_network_failure_during_silent_login_keeps_the_credentials_for_a_retry() {
    let c = setup(Script::default().reply(401, UNAUTHORIZED).fail("offline")).logged_in();
    assert!(matches!(
        block_on(c.get_json(DATA)),
        Err(ApiError::Network { .. })
    ));
    assert!(c.has_credentials());
}

#[test]
fn the_unauthorized_statuses_are_configurable() {
    let mut s = settings("authToken");
    s.unauthorized_statuses = vec![401, 419];
    let script = Script::default()
        .reply(200, r#"{"authToken":"t1"}"#)
        .reply(419, "")
        .reply(200, r#"{"authToken":"t2"}"#)
        .reply(200, ROWS);
    let c = setup(script).settings(s).build();
    block_on(c.log_in(creds())).unwrap();
    assert!(block_on(c.get_json(DATA)).is_ok());
    assert_eq!(c.transport.sent().len(), 4);
}

#[test]
fn an_always_401_server_costs_at_most_three_requests_per_action_and_then_the_form() {
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, r#"{"authToken":"t2"}"#)
            .reply(401, UNAUTHORIZED),
    )
    .logged_in();
    let err = block_on(c.get_json(DATA)).unwrap_err();
    assert!(err.needs_login());
    assert_eq!(c.transport.sent().len(), 3);
    // The next action sends nothing: the form is the way forward.
    assert!(block_on(c.get_json(DATA)).unwrap_err().needs_login());
    assert_eq!(c.transport.sent().len(), 3);
}

#[test]
fn events_tell_the_story_of_a_401() {
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, &login_body("t2"))
            .reply(200, ROWS),
    )
    .logged_in();
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = events.clone();
    c.set_observer(move |e| sink.borrow_mut().push(e.clone()));
    assert!(block_on(c.get_json(DATA)).is_ok());
    let kinds: Vec<String> = events
        .borrow()
        .iter()
        .map(|e| match e {
            ClientEvent::Request {
                id,
                method,
                url,
                replay,
                bearer,
            } => format!("request #{id} {method} {url} replay={replay} bearer={bearer}"),
            ClientEvent::Response { id, status } => format!("response #{id} {status}"),
            other => format!("{other:?}"),
        })
        .collect();
    assert_eq!(
        kinds,
        [
            // The form login was request #1.
            format!("request #2 GET {DATA} replay=false bearer=true"),
            "response #2 401".into(),
            "Renewing(Rejected)".into(),
            format!("request #3 POST {LOGIN} replay=false bearer=false"),
            "response #3 200".into(),
            "Renewed(Rejected)".into(),
            format!("request #4 GET {DATA} replay=true bearer=true"),
            "response #4 200".into(),
        ]
    );
}

#[test]
fn post_and_patch_are_not_replayed_unless_marked_idempotent() {
    for method in [Method::Post, Method::Patch] {
        let c = setup(
            Script::default()
                .reply(401, UNAUTHORIZED)
                .reply(200, &login_body("t2")),
        )
        .logged_in();
        let request = HttpRequest::json(method, DATA, &json!({"name": "x"}));
        assert_eq!(
            block_on(c.send(request)),
            Err(ApiError::NotReplayed(method))
        );
        assert_eq!(
            c.transport.sent().len(),
            2,
            "{method}: request and login, no replay"
        );
        assert_eq!(
            c.store().raw().as_deref(),
            Some("t2"),
            "the session is renewed for the next call"
        );
    }
}

#[test]
fn idempotent_methods_and_marked_posts_are_replayed_with_the_same_body() {
    for (request, body) in [
        (
            HttpRequest::json(Method::Put, DATA, &json!({"id": 1})),
            Some(r#"{"id":1}"#),
        ),
        (HttpRequest::new(Method::Delete, DATA), None),
        (HttpRequest::new(Method::Head, DATA), None),
        (
            HttpRequest::json(Method::Post, DATA, &json!({"key": "k-1"})).idempotent(),
            Some(r#"{"key":"k-1"}"#),
        ),
    ] {
        let method = request.method;
        let c = setup(
            Script::default()
                .reply(401, UNAUTHORIZED)
                .reply(200, &login_body("t2"))
                .reply(200, "{}"),
        )
        .logged_in();
        assert!(block_on(c.send(request)).is_ok(), "{method}");
        let sent = c.transport.sent();
        assert_eq!(sent.len(), 3);
        assert_eq!((sent[2].method, sent[2].body.as_deref()), (method, body));
        assert_eq!(sent[0].body, sent[2].body);
    }
}

#[test]
fn a_single_shot_get_renews_on_a_401_but_is_not_sent_again() {
    let c = setup(
        Script::default()
            .reply(401, UNAUTHORIZED)
            .reply(200, r#"{"authToken":"t2"}"#),
    )
    .logged_in();
    let err = block_on(c.send_for_json(HttpRequest::get(DATA).single_shot())).unwrap_err();
    assert_eq!(err, ApiError::NotReplayed(Method::Get));
    assert_eq!(
        c.transport.log(),
        [
            "GET /api:data/customers Bearer t1",
            "POST /api:auth/auth/login -",
        ],
        "one data request: the action had no second one left"
    );
    assert_eq!(
        c.store().raw().as_deref(),
        Some("t2"),
        "the next try has a fresh token"
    );
}

#[test]
fn the_client_counts_the_requests_it_sends_replays_included_logins_not() {
    let c = setup(
        Script::default()
            .reply(200, ROWS)
            .reply(401, UNAUTHORIZED)
            .reply(200, r#"{"authToken":"t2"}"#)
            .reply(503, "{}"),
    )
    .logged_in();
    assert_eq!(c.requests_sent(), 0);
    block_on(c.get_json(DATA)).unwrap();
    assert_eq!(c.requests_sent(), 1);
    block_on(c.get_json(DATA)).unwrap_err();
    assert_eq!(
        c.requests_sent(),
        3,
        "the first try and its replay; not the login"
    );
}
