//! Form-encoded logins (`application/x-www-form-urlencoded`), as an OAuth 2.0
//! password grant or FastAPI's `OAuth2PasswordRequestForm` sends them: the same
//! users, tokens and errors as a JSON login.
//!
//! In-process with `oneshot` on the shared test server (`support/`).

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dev_api::{CUSTOMERS_PATH, LOGIN_PATH};

mod support;
use support::{Answer, Server, assert_exact, assert_input_error, keys};

const INVALID_CREDENTIALS: &str =
    r#"{"code":"ERROR_CODE_ACCESS_DENIED","message":"Invalid Credentials."}"#;

async fn form_login(server: &Server, content_type: &str, body: &str) -> Answer {
    server
        .send(
            Request::post(LOGIN_PATH)
                .header(header::CONTENT_TYPE, content_type)
                .body(Body::from(body.to_owned()))
                .expect("request builds"),
        )
        .await
}

#[tokio::test]
async fn a_form_login_with_extra_fields_gets_a_working_token() {
    let server = Server::default();
    let answer = form_login(
        &server,
        "application/x-www-form-urlencoded",
        "email=demo%40tokengrid.dev&password=tokengrid-demo&grant_type=password&client_id=web",
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let body = answer.json();
    assert_eq!(keys(&body), ["authToken"]);
    let token = body["authToken"].as_str().expect("a string token");
    assert_eq!(
        server.get(CUSTOMERS_PATH, Some(token)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_form_content_type_is_recognised_with_parameters_and_in_any_case() {
    let server = Server::default();
    for content_type in [
        "application/x-www-form-urlencoded;charset=UTF-8",
        "Application/X-WWW-Form-URLEncoded ; charset=utf-8",
    ] {
        let answer = form_login(
            &server,
            content_type,
            "password=tokengrid-demo&email=+Demo%40TokenGrid.dev+",
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{content_type}");
    }
}

#[tokio::test]
async fn a_form_password_is_decoded_before_it_is_checked() {
    let server = Server::default();
    // `+` is a space and `%2B` a plus: the demo password has neither, so
    // both of these are wrong passwords, and the encoded one is right.
    for (password, status) in [
        ("tokengrid%2Ddemo", StatusCode::OK),
        ("tokengrid+demo", StatusCode::FORBIDDEN),
        ("tokengrid%2Bdemo", StatusCode::FORBIDDEN),
    ] {
        let body = format!("email=demo%40tokengrid.dev&password={password}");
        let answer = form_login(&server, "application/x-www-form-urlencoded", &body).await;
        assert_eq!(answer.status, status, "{password}");
        if status == StatusCode::FORBIDDEN {
            assert_exact(&answer, status, INVALID_CREDENTIALS);
        }
    }
}

#[tokio::test]
async fn malformed_form_logins_are_input_errors_naming_the_param() {
    let server = Server::default();
    for (body, param) in [
        ("", "email"),
        ("password=tokengrid-demo", "email"),
        ("email=&password=tokengrid-demo", "email"),
        ("email=demo%40tokengrid.dev", "password"),
        ("email=demo%40tokengrid.dev&password=", "password"),
        ("%7B%22email%22%3A1%7D", "email"),
    ] {
        let answer = form_login(&server, "application/x-www-form-urlencoded", body).await;
        assert_input_error(&answer, param);
    }
}

#[tokio::test]
async fn json_labelled_as_a_form_is_still_json_as_curl_sends_it() {
    // `curl -d '{…}'` says `application/x-www-form-urlencoded`; a form body never starts with
    // `{` (a browser writes it as `%7B`).
    let server = Server::default();
    let answer = form_login(
        &server,
        "application/x-www-form-urlencoded",
        r#" {"email":"demo@tokengrid.dev","password":"tokengrid-demo"}"#,
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let answer = form_login(&server, "application/x-www-form-urlencoded", "{not json").await;
    assert_input_error(&answer, "email");
}
