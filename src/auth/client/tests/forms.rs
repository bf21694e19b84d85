//! The login body as configured: form-encoded or JSON, with the extra
//! fields, on the form's login and on every silent login alike.

use super::*;

/// A FastAPI-style password-grant configuration.
fn form_settings() -> AuthSettings {
    let mut s = settings("access_token");
    s.login_body_format = BodyFormat::Form;
    s.identity_field = "username".into();
    s.login_extra_fields = vec![
        ("grant_type".into(), "password".into()),
        ("client_id".into(), "web app".into()),
    ];
    s
}

const FORM_BODY: &str =
    "username=demo%40example.com&password=pw+123&grant_type=password&client_id=web+app";

/// Every login the client sent: its content type and body.
fn logins(c: &ApiClient<Script, MemoryStore, TestEnv>) -> Vec<(String, String)> {
    c.transport
        .sent()
        .iter()
        .filter(|r| r.url == LOGIN)
        .map(|r| {
            assert_eq!(r.method, Method::Post);
            assert_eq!(r.header("Authorization"), None, "a login carries no bearer");
            (
                r.header("Content-Type").unwrap_or("-").to_owned(),
                r.body.clone().unwrap_or_default(),
            )
        })
        .collect()
}

fn form_login() -> (String, String) {
    ("application/x-www-form-urlencoded".into(), FORM_BODY.into())
}

#[test]
fn a_form_login_sends_the_credentials_then_the_extra_fields_form_encoded() {
    let c = setup(Script::default().reply(200, r#"{"access_token":"t1","token_type":"bearer"}"#))
        .settings(form_settings())
        .build();
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(logins(&c), [form_login()]);
    assert_eq!(c.transport.sent()[0].timeout_ms, Some(10_000));
    assert_eq!(c.store().raw().as_deref(), Some("t1"));
}

#[test]
fn a_form_login_encodes_what_would_change_the_form_and_non_ascii_text() {
    let c = setup(Script::default().reply(200, r#"{"access_token":"t1"}"#))
        .settings(form_settings())
        .build();
    block_on(c.log_in(Credentials::new("zoë+1@example.com", "a&b=c d%e+f\n€"))).unwrap();
    let body = logins(&c).remove(0).1;
    assert_eq!(
        body,
        "username=zo%C3%AB%2B1%40example.com&password=a%26b%3Dc+d%25e%2Bf%0A%E2%82%AC\
         &grant_type=password&client_id=web+app"
    );
}

/// Read back as a server reads it (the URL standard's parser, natively):
/// the same credentials, and no pair more than sent.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_form_login_reads_back_as_the_same_credentials() {
    let c = setup(Script::default().reply(200, r#"{"access_token":"t1"}"#))
        .settings(form_settings())
        .build();
    block_on(c.log_in(Credentials::new("zoë+1@example.com", "a&b=c d%e+f\n€"))).unwrap();
    let body = logins(&c).remove(0).1;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    assert_eq!(
        pairs,
        [
            ("username".into(), "zoë+1@example.com".into()),
            ("password".into(), "a&b=c d%e+f\n€".into()),
            ("grant_type".into(), "password".into()),
            ("client_id".into(), "web app".into()),
        ]
    );
}

#[test]
fn a_json_login_carries_the_extra_fields_too() {
    let mut s = settings("authToken");
    s.login_extra_fields = vec![("client_id".into(), "web".into())];
    let c = setup(Script::default().reply(200, r#"{"authToken":"t1"}"#))
        .settings(s)
        .build();
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(
        logins(&c),
        [(
            "application/json".into(),
            r#"{"email":"demo@example.com","password":"pw 123","client_id":"web"}"#.into()
        )]
    );
}

#[test]
fn the_default_login_is_json_with_only_the_credentials() {
    let c = setup(Script::default().reply(200, r#"{"authToken":"t1"}"#)).build();
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(
        logins(&c),
        [(
            "application/json".into(),
            r#"{"email":"demo@example.com","password":"pw 123"}"#.into()
        )]
    );
}

#[test]
fn the_silent_login_after_a_401_sends_the_same_form_body() {
    let script = Script::default()
        .reply(200, r#"{"access_token":"t1"}"#)
        .reply(401, r#"{"detail":"Could not validate credentials"}"#)
        .reply(200, r#"{"access_token":"t2"}"#)
        .reply(200, ROWS);
    let c = setup(script).settings(form_settings()).build();
    block_on(c.log_in(creds())).unwrap();
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    assert_eq!(
        c.transport.log()[1..],
        [
            format!("GET {DATA} Bearer t1"),
            format!("POST {LOGIN} -"),
            format!("GET {DATA} Bearer t2"),
        ]
    );
    assert_eq!(logins(&c), [form_login(), form_login()]);
}

#[test]
fn the_renewal_ahead_of_expiry_sends_the_same_form_body() {
    let env = TestEnv::default();
    let mut s = form_settings();
    s.lifetime_hint_ms = Some(60_000.0);
    let script = Script::default()
        .reply(200, r#"{"access_token":"t1"}"#)
        .reply(200, r#"{"access_token":"t2"}"#)
        .reply(200, ROWS);
    let c = setup(script).settings(s).env(env.clone()).build();
    block_on(c.log_in(creds())).unwrap();
    env.at(50_000.0);
    assert_eq!(rows(block_on(c.get_json(DATA)).unwrap()), 1);
    assert_eq!(
        c.transport.log()[1..],
        [format!("POST {LOGIN} -"), format!("GET {DATA} Bearer t2")]
    );
    assert_eq!(logins(&c), [form_login(), form_login()]);
}
