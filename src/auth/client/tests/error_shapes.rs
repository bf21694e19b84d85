//! The error bodies of common backends, read the same on both paths a user
//! sees: the login form's message (a refused login) and the table's error
//! (a refused data request). A login the login endpoint refuses with 401 is
//! a refused login: one request, never a renewal.

use super::*;

/// A backend's error answer and the message it must read as.
struct Shape {
    name: &'static str,
    status: u16,
    content_type: &'static str,
    body: &'static str,
    message: &'static str,
}

const SHAPES: [Shape; 8] = [
    Shape {
        name: "FastAPI / pydantic validation",
        status: 422,
        content_type: "application/json",
        body: r#"{"detail":[{"type":"missing","loc":["body","username"],"msg":"Field required","input":null},{"type":"missing","loc":["body","password"],"msg":"Field required","input":null}]}"#,
        message: "username: Field required; password: Field required",
    },
    Shape {
        name: "FastAPI refused credentials",
        status: 401,
        content_type: "application/json",
        body: r#"{"detail":"Incorrect username or password"}"#,
        message: "Incorrect username or password",
    },
    Shape {
        name: "Django REST framework field errors",
        status: 400,
        content_type: "application/json",
        body: r#"{"username":["This field is required."],"password":["This field is required."]}"#,
        message: "username: This field is required. password: This field is required.",
    },
    Shape {
        name: "Django REST framework non-field errors",
        status: 400,
        content_type: "application/json",
        body: r#"{"non_field_errors":["Unable to log in with provided credentials."]}"#,
        message: "Unable to log in with provided credentials.",
    },
    Shape {
        name: "RFC 9457 problem details",
        status: 401,
        content_type: "application/problem+json",
        body: r#"{"type":"about:blank","title":"Unauthorized","status":401,"detail":"Bad credentials","instance":"/login"}"#,
        message: "Unauthorized: Bad credentials",
    },
    Shape {
        name: "Laravel validation",
        status: 422,
        content_type: "application/json",
        body: r#"{"message":"The email field is required. (and 1 more error)","errors":{"email":["The email field is required."],"password":["The password field is required."]}}"#,
        message: "email: The email field is required. password: The password field is required.",
    },
    Shape {
        name: "Spring Boot",
        status: 401,
        content_type: "application/json",
        body: r#"{"timestamp":"2025-01-01T00:00:00.000+00:00","status":401,"error":"Unauthorized","message":"Bad credentials","path":"/login"}"#,
        message: "Bad credentials",
    },
    Shape {
        name: "Spring Boot without a message",
        status: 403,
        content_type: "application/json",
        body: r#"{"timestamp":"2025-01-01T00:00:00.000+00:00","status":403,"error":"Forbidden","message":"No message available","path":"/login"}"#,
        message: "Forbidden",
    },
];

#[test]
fn every_shape_reads_well_on_the_login_form() {
    for shape in &SHAPES {
        let c = setup(Script::default().reply_with(shape.status, shape.content_type, shape.body))
            .build();
        let err = block_on(c.log_in(creds())).unwrap_err();
        assert_eq!(
            err,
            ApiError::LoginRejected {
                status: shape.status,
                message: shape.message.into()
            },
            "{}",
            shape.name
        );
        assert!(err.needs_login(), "{}: the form stays", shape.name);
        assert_eq!(c.transport.sent().len(), 1, "{}", shape.name);
    }
}

#[test]
fn every_shape_reads_well_in_the_tables_error() {
    for shape in &SHAPES {
        // A 401 from the data endpoint means renewal, not an error to show:
        // the data endpoint answers these bodies with another status.
        let status = if shape.status == 401 {
            403
        } else {
            shape.status
        };
        let c = setup(Script::default().reply_with(status, shape.content_type, shape.body))
            .stored("t1")
            .build();
        let want = format!(
            "The server answered {}: {}",
            crate::auth::message::status_label(status),
            shape.message
        );
        assert_eq!(
            block_on(c.get_json(DATA)),
            Err(ApiError::Http {
                status,
                message: want
            }),
            "{}",
            shape.name
        );
        assert_eq!(c.transport.sent().len(), 1, "{}", shape.name);
    }
}

#[test]
fn a_login_refused_with_401_is_one_request_and_never_a_renewal() {
    // Even with a token stored and 401 meaning "renew" for data requests.
    let c = setup(Script::default().reply_with(
        401,
        "application/json",
        r#"{"detail":"No active account found with the given credentials"}"#,
    ))
    .stored("t0")
    .build();
    let events = Rc::new(RefCell::new(Vec::new()));
    let sink = events.clone();
    c.set_observer(move |e| sink.borrow_mut().push(e.clone()));
    let err = block_on(c.log_in(creds())).unwrap_err();
    assert_eq!(
        err,
        ApiError::LoginRejected {
            status: 401,
            message: "No active account found with the given credentials".into()
        }
    );
    assert_eq!(c.transport.log(), [format!("POST {LOGIN} -")]);
    assert!(
        events.borrow().iter().all(|e| matches!(
            e,
            ClientEvent::Request { .. } | ClientEvent::Response { .. }
        )),
        "no renewal, no login event: {:?}",
        events.borrow()
    );
    assert!(!c.has_credentials(), "refused credentials are not kept");
    assert_eq!(c.store().raw().as_deref(), Some("t0"), "nothing stored");
}

#[test]
fn a_silent_login_refused_with_401_goes_to_the_form_without_a_replay() {
    let c = setup(Script::default().reply(401, UNAUTHORIZED).reply_with(
        401,
        "application/problem+json",
        SHAPES[4].body,
    ))
    .logged_in();
    assert_eq!(
        block_on(c.get_json(DATA)),
        Err(ApiError::NeedsLogin(SHAPES[4].message.into()))
    );
    assert_eq!(
        c.transport.log(),
        [format!("GET {DATA} Bearer t1"), format!("POST {LOGIN} -")],
        "one data request, one login, no replay and no second login"
    );
    assert!(!c.has_credentials());
    // The next load asks for the form without a request.
    assert!(block_on(c.get_json(DATA)).unwrap_err().needs_login());
    assert_eq!(c.transport.sent().len(), 2);
}
