//! The login form. The password goes from the input straight into the
//! credentials handed to `log_in`; it is never put in a signal or storage.
//! What was typed is checked first ([`crate::form::validate_login`]); each
//! problem is shown under its field, tied to it with `aria-describedby` and
//! `aria-invalid`, and the first invalid field gets the focus.

use crate::auth::{ApiError, Credentials, HttpRequest, Transport, transport::FetchTransport};
use crate::dom::{Markup, bind_attribute, bind_text, find, html, on, slot, text_slot};
use crate::form::{Field, validate_login};
use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};

/// Logs in with the credentials typed; resolves when the page has moved on
/// to the table, or with why not (shown on the form).
pub type LogIn = Callback<Credentials, LocalBoxFuture<'static, Result<(), ApiError>>>;

/// The form's markup; the label of the identity field, the problem lines,
/// the notice, the error and the hint are added by [`LoginForm`].
const FORM: &str = concat!(
    r#"<section class="panel login" aria-labelledby="login-title">"#,
    r#"<h2 id="login-title">Log in</h2>"#,
    // `novalidate`: the checks and their messages are ours, so they read
    // the same in every browser and reach screen readers.
    r#"<form data-testid="login-form" novalidate="">"#,
    r#"<label for="login-identity"></label>"#,
    r#"<input id="login-identity" name="identity" type="email" autocomplete="username" required="" aria-invalid="false" data-testid="login-identity">"#,
    r#"<label for="login-password">Password</label>"#,
    r#"<input id="login-password" name="password" type="password" autocomplete="current-password" required="" aria-invalid="false" data-testid="login-password">"#,
    r#"<button type="submit" aria-busy="false" data-testid="login-submit"></button>"#,
    "</form></section>",
);

/// Why the form is shown, above it.
const NOTICE: &str = r#"<p class="notice" role="status" data-testid="login-notice"></p>"#;

/// Why the login failed, above the button.
const ERROR: &str = r#"<p class="form-error" role="alert" data-testid="login-error"></p>"#;

/// What is wrong with the identity, under its input.
const IDENTITY_PROBLEM: &str = r#"<p class="field-error" id="login-identity-problem" data-testid="login-identity-problem"></p>"#;

/// What is wrong with the password, under its input.
const PASSWORD_PROBLEM: &str = r#"<p class="field-error" id="login-password-problem" data-testid="login-password-problem"></p>"#;

/// The hint under the form; its `<code>` gets the demo account.
const HINT: &str = concat!(
    r#"<p class="hint" data-testid="login-hint">Development API demo account: <code></code> "#,
    r#"<button class="link" type="button">Fill in</button></p>"#,
);

/// Email (or the configured identity field) and password.
pub struct LoginForm {
    /// The identity field's label ("Email", "Username").
    pub identity_label: String,
    /// Whether the identity must look like an email address.
    pub identity_is_email: bool,
    /// Why the form is shown (session expired…), above it.
    pub notice: ReadSignal<Option<String>>,
    /// Called with the credentials once they pass the checks.
    pub log_in: LogIn,
    /// The development API's demo-login URL, for the hint under the form.
    pub hint_url: Option<String>,
    /// Wall-clock ms, ticking every second: the countdown of a login the
    /// server rate-limited.
    pub now: ReadSignal<f64>,
}

impl LoginForm {
    /// Its elements, wired to its signals and callbacks.
    pub fn view(self) -> Markup {
        let Self {
            identity_label,
            identity_is_email,
            notice,
            log_in,
            hint_url,
            now,
        } = self;
        let section = html(FORM);
        let form = find(&section, "form");
        let identity_input: HtmlInputElement = find(&form, "#login-identity").unchecked_into();
        let password_input: HtmlInputElement = find(&form, "#login-password").unchecked_into();
        let button = find(&form, "button");
        find(&form, "label").set_text_content(Some(&identity_label));
        if !identity_is_email {
            let _ = identity_input.set_attribute("type", "text");
        }

        let submitting = RwSignal::new(false);
        let error = RwSignal::new(None::<String>);
        // Until when (wall-clock ms) a 429 with `Retry-After` asks to wait:
        // the button counts down meanwhile and a submit sends nothing.
        let wait_until = RwSignal::new(0.0_f64);
        // Whole seconds, as an integer: formatting a float would bring
        // core's float printing into the bundle (≈ 7 KB brotli).
        let wait_left = move || ((wait_until.get() - now.get()) / 1000.0).ceil().max(0.0) as u64;
        // Signals of the types the page already has: every signal type is
        // its own copy of the reactive code in the bundle.
        let identity_problem = RwSignal::new(None::<String>);
        let password_problem = RwSignal::new(None::<String>);
        // The demo account: its password, then its email, which shows the hint.
        let hint_password = RwSignal::new(None::<String>);
        let hint_email = RwSignal::new(None::<String>);
        if let Some(url) = hint_url {
            spawn_local(async move {
                if let Some((email, password)) = demo_login(url).await {
                    // The form may be gone by the time the answer arrives.
                    let _ = hint_password.try_set(Some(password));
                    let _ = hint_email.try_set(Some(email));
                }
            });
        }

        text_slot(&section, Some(&form), NOTICE, notice);
        let password_label = find(&form, "label[for=login-password]");
        field(
            &identity_input,
            &password_label,
            identity_problem,
            "login-identity-problem",
            IDENTITY_PROBLEM,
        );
        field(
            &password_input,
            &button,
            password_problem,
            "login-password-problem",
            PASSWORD_PROBLEM,
        );
        text_slot(&form, Some(&button), ERROR, error.read_only());
        // `aria-disabled`, not `disabled`: a disabled button loses the
        // focus (to the page's body) while the login is under way; this one
        // keeps it, and the submit handler ignores it meanwhile.
        bind_attribute(
            &button,
            "aria-disabled",
            Box::new(move || (submitting.get() || wait_left() > 0).then(|| "true".to_owned())),
        );
        bind_attribute(
            &button,
            "aria-busy",
            Box::new(move || Some(submitting.get().to_string())),
        );
        bind_text(
            &button,
            Box::new(move || {
                let left = wait_left();
                if submitting.get() {
                    "Logging in…".to_owned()
                } else if left > 0 {
                    format!("Log in again in {left} s")
                } else {
                    "Log in".to_owned()
                }
            }),
        );

        let inputs = (identity_input.clone(), password_input.clone());
        on(
            &form,
            "submit",
            Box::new(move |ev| {
                ev.unchecked_ref::<web_sys::Event>().prevent_default();
                // One request per login, however often the button is pressed,
                // and none while the server asks to wait.
                if submitting.get_untracked() || untrack(wait_left) > 0 {
                    return;
                }
                let (identity, password) = &inputs;
                let problems =
                    validate_login(&identity.value(), &password.value(), identity_is_email);
                let problem = |field| {
                    problems
                        .iter()
                        .find(|(f, _)| *f == field)
                        .map(|(_, m)| (*m).to_owned())
                };
                identity_problem.set(problem(Field::Identity));
                password_problem.set(problem(Field::Password));
                if let Some((first, _)) = problems.first() {
                    let _ = match first {
                        Field::Identity => identity.focus(),
                        Field::Password => password.focus(),
                    };
                    return;
                }
                let credentials = Credentials::new(&identity.value(), &password.value());
                submitting.set(true);
                error.set(None);
                spawn_local(async move {
                    // On success the page switches to the table and this form
                    // unmounts; only a failure comes back here.
                    if let Err(e) = log_in.run(credentials).await {
                        if let ApiError::RateLimited {
                            retry_after_s: Some(wait),
                            ..
                        } = e
                        {
                            // From the page's clock, so the count starts at
                            // the seconds the message names.
                            wait_until.set(now.get_untracked() + f64::from(wait) * 1000.0);
                        }
                        error.set(Some(e.to_string()));
                        submitting.set(false);
                    }
                });
            }),
        );

        // The form takes the focus when nothing holds it (the page's body
        // has it) — on open, after a log-out (whose button is gone) — in its
        // first empty field. Where the focus was in what the form replaced,
        // `dom::switch` has already given it to the page's main part, and
        // it stays there.
        let first_empty = if identity_input.value().is_empty() {
            identity_input.clone()
        } else {
            password_input.clone()
        };
        queue_microtask(move || {
            let document = document();
            let active = document.active_element();
            if active.is_none() || active == document.body().map(Element::from) {
                let _ = first_empty.focus();
            }
        });

        slot(
            &section,
            None,
            Box::new(move || {
                hint_email.get().map(|email| {
                    let password = hint_password.get_untracked().unwrap_or_default();
                    let p = html(HINT);
                    find(&p, "code").set_text_content(Some(&format!("{email} / {password}")));
                    let inputs = (identity_input.clone(), password_input.clone());
                    on(
                        &find(&p, "button"),
                        "click",
                        Box::new(move |_| {
                            inputs.0.set_value(&email);
                            inputs.1.set_value(&password);
                        }),
                    );
                    p
                })
            }),
        );

        Markup::element(section)
    }
}

/// Ties `input` to its problem line, shown before `before` while `problem`
/// holds one, with `aria-describedby` and `aria-invalid`. Both fields are
/// wired here, so the bundle carries this code once.
fn field(
    input: &Element,
    before: &Element,
    problem: RwSignal<Option<String>>,
    problem_id: &'static str,
    problem_template: &'static str,
) {
    bind_attribute(
        input,
        "aria-invalid",
        Box::new(move || Some(problem.get().is_some().to_string())),
    );
    bind_attribute(
        input,
        "aria-describedby",
        Box::new(move || problem.get().map(|_| problem_id.to_owned())),
    );
    let parent = before.parent_node().expect("the input is in the form");
    text_slot(&parent, Some(before), problem_template, problem.read_only());
}

/// The development API's demo login, if the configuration names a hint URL
/// and the server there answers with one. Real backends have no such URL
/// (set `devHintUrl` to null); a failed look-up only means no hint.
async fn demo_login(url: String) -> Option<(String, String)> {
    let response = FetchTransport.send(HttpRequest::get(url)).await.ok()?;
    if !response.is_success() {
        return None;
    }
    let json: serde_json::Value = serde_json::from_str(&response.body).ok()?;
    let field = |name: &str| json.get(name)?.as_str().map(str::to_owned);
    Some((field("email")?, field("password")?))
}
