//! The login form. The password goes from the input straight into the
//! credentials handed to `log_in`; it is never put in a signal or storage.
//! What was typed is checked first ([`crate::form::validate_login`]); each
//! problem is shown under its field, tied to it with `aria-describedby` and
//! `aria-invalid`, and the first invalid field gets the focus.

use crate::auth::{ApiError, Credentials, HttpRequest, Transport, transport::FetchTransport};
use crate::form::{Field, validate_login};
use futures::future::LocalBoxFuture;
use leptos::ev::SubmitEvent;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Logs in with the credentials typed; resolves when the page has moved on
/// to the table, or with why not (shown on the form).
pub type LogIn = Callback<Credentials, LocalBoxFuture<'static, Result<(), ApiError>>>;

/// Email (or the configured identity field) and password.
#[component]
pub fn LoginForm(
    /// The identity field's label ("Email", "Username").
    identity_label: String,
    /// Whether the identity must look like an email address.
    identity_is_email: bool,
    /// Why the form is shown (session expired…), above it.
    notice: ReadSignal<Option<String>>,
    /// Called with the credentials once they pass the checks.
    log_in: LogIn,
    /// The development API's demo-login URL, for the hint under the form.
    hint_url: Option<String>,
) -> impl IntoView {
    let identity_input = NodeRef::<html::Input>::new();
    let password_input = NodeRef::<html::Input>::new();
    let submitting = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let identity_problem = RwSignal::new(None::<&'static str>);
    let password_problem = RwSignal::new(None::<&'static str>);
    let hint = RwSignal::new(None::<(String, String)>);
    if let Some(url) = hint_url {
        spawn_local(async move {
            if let Some(found) = demo_login(url).await {
                // The form may be gone by the time the answer arrives.
                let _ = hint.try_set(Some(found));
            }
        });
    }

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        // One request per login, however often the button is pressed.
        if submitting.get_untracked() {
            return;
        }
        let (Some(identity), Some(password)) = (identity_input.get(), password_input.get()) else {
            return;
        };
        let problems = validate_login(&identity.value(), &password.value(), identity_is_email);
        let problem = |field| problems.iter().find(|(f, _)| *f == field).map(|(_, m)| *m);
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
                error.set(Some(e.to_string()));
                submitting.set(false);
            }
        });
    };

    let fill_demo = move |(email, password): (String, String)| {
        if let (Some(i), Some(p)) = (identity_input.get(), password_input.get()) {
            i.set_value(&email);
            p.set_value(&password);
        }
    };

    view! {
        <section class="panel login" aria-labelledby="login-title">
            <h2 id="login-title">"Log in"</h2>
            {move || notice.get().map(|notice| view! {
                <p class="notice" role="status" data-testid="login-notice">{notice}</p>
            })}
            // `novalidate`: the checks and their messages are ours, so they
            // read the same in every browser and reach screen readers.
            <form on:submit=on_submit data-testid="login-form" novalidate>
                {field(FieldView {
                    label: identity_label,
                    id: "login-identity",
                    name: "identity",
                    kind: if identity_is_email { "email" } else { "text" },
                    autocomplete: "username",
                    input: identity_input,
                    problem: identity_problem,
                    problem_id: "login-identity-problem",
                })}
                {field(FieldView {
                    label: "Password".to_owned(),
                    id: "login-password",
                    name: "password",
                    kind: "password",
                    autocomplete: "current-password",
                    input: password_input,
                    problem: password_problem,
                    problem_id: "login-password-problem",
                })}
                {move || error.get().map(|message| view! {
                    <p class="form-error" role="alert" data-testid="login-error">{message}</p>
                })}
                <button type="submit" disabled=move || submitting.get() aria-busy=move || submitting.get().to_string() data-testid="login-submit">
                    {move || if submitting.get() { "Logging in…" } else { "Log in" }}
                </button>
            </form>
            {move || hint.get().map(|(email, password)| {
                let shown = format!("{email} / {password}");
                view! {
                    <p class="hint" data-testid="login-hint">
                        "Development API demo account: " <code>{shown}</code> " "
                        <button type="button" class="link" on:click=move |_| fill_demo((email.clone(), password.clone()))>
                            "Fill in"
                        </button>
                    </p>
                }
            })}
        </section>
    }
}

/// What differs between the form's two fields.
struct FieldView {
    label: String,
    /// The input's `id` and `data-testid`.
    id: &'static str,
    name: &'static str,
    /// The input's `type`.
    kind: &'static str,
    autocomplete: &'static str,
    input: NodeRef<html::Input>,
    /// What is wrong with the value, shown under the input.
    problem: RwSignal<Option<&'static str>>,
    /// The problem line's `id` and `data-testid`.
    problem_id: &'static str,
}

/// A labelled input with its problem line under it, tied to it with
/// `aria-describedby` and `aria-invalid`. Both fields are built here, so
/// the bundle carries this view once.
fn field(field: FieldView) -> impl IntoView {
    let FieldView {
        label,
        id,
        name,
        kind,
        autocomplete,
        input,
        problem,
        problem_id,
    } = field;
    view! {
        <label for=id>{label}</label>
        <input
            id=id
            name=name
            node_ref=input
            type=kind
            autocomplete=autocomplete
            required
            aria-invalid=move || problem.get().is_some().to_string()
            aria-describedby=move || problem.get().map(|_| problem_id)
            data-testid=id
        />
        {move || problem.get().map(|message| view! {
            <p id=problem_id class="field-error" data-testid=problem_id>{message}</p>
        })}
    }
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
