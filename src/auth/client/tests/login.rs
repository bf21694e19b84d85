//! Logging in through the form: the request it sends, the token it keeps, and the errors that name
//! the setting to check.

use super::*;

#[test]
fn form_login_sends_configured_fields_and_stores_the_token() {
    let c = setup(Script::default().reply(200, r#"{"authToken":"t1"}"#)).build();
    block_on(c.log_in(creds())).unwrap();
    let sent = c.transport.sent();
    assert_eq!(sent[0].method, Method::Post);
    assert_eq!(sent[0].url, LOGIN);
    assert_eq!(
        sent[0].header("Authorization"),
        None,
        "login carries no bearer"
    );
    let body: Value = serde_json::from_str(sent[0].body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"email": "demo@example.com", "password": "pw 123"})
    );
    assert_eq!(c.store().raw().as_deref(), Some("t1"));
    assert!(c.has_credentials());
}

#[test]
fn form_login_refusals_carry_the_servers_message() {
    for (status, body, message) in [
        (403, DENIED, "Invalid Credentials."),
        (
            400,
            r#"{"code":"ERROR_CODE_INPUT_ERROR","message":"Invalid email.","param":"email"}"#,
            "Invalid email.",
        ),
        (400, r#""Cannot find user""#, "Cannot find user"),
    ] {
        let c = setup(Script::default().reply(status, body)).build();
        let err = block_on(c.log_in(creds())).unwrap_err();
        assert_eq!(
            err,
            ApiError::LoginRejected {
                status,
                message: message.into()
            }
        );
        assert!(err.needs_login());
        assert!(!c.has_credentials(), "refused credentials are not kept");
        assert_eq!(c.store().raw(), None);
    }
}

#[test]
fn a_missing_login_endpoint_names_the_setting() {
    let c = setup(Script::default().reply(
        404,
        r#"{"code":"ERROR_CODE_NOT_FOUND","message":"Not Found"}"#,
    ))
    .build();
    let err = block_on(c.log_in(creds())).unwrap_err();
    assert!(!err.needs_login());
    assert!(err.to_string().contains("`loginUrl`"), "{err}");
}

#[test]
fn token_paths_cover_other_backends() {
    for (path, body) in [
        ("accessToken", r#"{"accessToken":"tok","user":{"id":1}}"#),
        ("data.token", r#"{"data":{"token":"tok"}}"#),
        ("authToken", r#"{"authToken":"tok"}"#),
    ] {
        let c = setup(Script::default().reply(200, body))
            .settings(settings(path))
            .build();
        block_on(c.log_in(creds())).unwrap();
        assert_eq!(c.store().raw().as_deref(), Some("tok"), "{path}");
    }
}

#[test]
fn a_login_answer_without_a_usable_token_names_the_setting() {
    let c = setup(Script::default().reply(200, r#"{"accessToken":"tok"}"#)).build();
    let err = block_on(c.log_in(creds())).unwrap_err();
    assert_eq!(
        err,
        ApiError::TokenMissing {
            path: "authToken".into(),
            fields: "`accessToken`".into()
        }
    );
    assert!(err.to_string().contains("`tokenPath`"));

    for (body, found) in [
        (r#"{"authToken":12}"#, "a number"),
        (r#"{"authToken":null}"#, "null"),
        (
            r#"{"authToken":"has spaces in it"}"#,
            "a string that is not a bearer token",
        ),
    ] {
        let c = setup(Script::default().reply(200, body)).build();
        let err = block_on(c.log_in(creds())).unwrap_err();
        assert_eq!(
            err,
            ApiError::TokenInvalid {
                path: "authToken".into(),
                found: found.into()
            },
            "{body}"
        );
        assert_eq!(c.store().raw(), None);
    }
}

#[test]
fn an_unreachable_login_url_names_the_setting() {
    let c = setup(Script::default().fail("Failed to fetch")).build();
    let err = block_on(c.log_in(creds())).unwrap_err();
    assert!(err.to_string().contains("`loginUrl`"), "{err}");
}
