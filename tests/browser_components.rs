//! Each page component mounted alone in headless Chromium, with plain
//! signals and callbacks for props: what a user sees, and what pressing its
//! buttons calls.
#![cfg(target_arch = "wasm32")]

use futures::future::LocalBoxFuture;
use leptos::prelude::*;
use tokengrid::auth::{ApiError, ClientEvent, Credentials, Method, SessionState};
use tokengrid::components::{
    ConfigProblem, LoadStatus, LogIn, LoginForm, SessionBar, TimelinePanel,
};
use tokengrid::config::ConfigError;
use tokengrid::page::LoadPhase;
use tokengrid::timeline::Timeline;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod dom;
use dom::{container, settle};

wasm_bindgen_test_configure!(run_in_browser);

fn find(parent: &web_sys::HtmlElement, test_id: &str) -> Option<web_sys::HtmlElement> {
    parent
        .query_selector(&format!("[data-testid=\"{test_id}\"]"))
        .unwrap()
        .map(JsCast::unchecked_into)
}

fn element(parent: &web_sys::HtmlElement, test_id: &str) -> web_sys::HtmlElement {
    find(parent, test_id).unwrap_or_else(|| panic!("no [data-testid={test_id}]"))
}

fn text(parent: &web_sys::HtmlElement, test_id: &str) -> String {
    element(parent, test_id).text_content().unwrap_or_default()
}

fn attribute(parent: &web_sys::HtmlElement, test_id: &str, name: &str) -> Option<String> {
    element(parent, test_id).get_attribute(name)
}

fn type_into(parent: &web_sys::HtmlElement, test_id: &str, value: &str) {
    element(parent, test_id)
        .unchecked_into::<web_sys::HtmlInputElement>()
        .set_value(value);
}

fn focused_id() -> String {
    let document = web_sys::window().unwrap().document().unwrap();
    document
        .active_element()
        .map(|e| e.id())
        .unwrap_or_default()
}

/// A press counter for a button's callback.
fn counter() -> (RwSignal<u32>, Callback<()>) {
    let presses = RwSignal::new(0);
    (
        presses,
        Callback::new(move |()| presses.update(|n| *n += 1)),
    )
}

/// A login form whose `log_in` records the credentials and answers with
/// `answer`; `None` never answers (a login still in flight).
fn mount_form(
    identity_is_email: bool,
    notice: RwSignal<Option<String>>,
    answer: Option<Result<(), ApiError>>,
) -> (web_sys::HtmlElement, RwSignal<Vec<Credentials>>, impl Drop) {
    mount_form_at(
        identity_is_email,
        notice,
        answer,
        RwSignal::new(js_sys::Date::now()),
    )
}

/// [`mount_form`] with the page's clock `now`.
fn mount_form_at(
    identity_is_email: bool,
    notice: RwSignal<Option<String>>,
    answer: Option<Result<(), ApiError>>,
    now: RwSignal<f64>,
) -> (web_sys::HtmlElement, RwSignal<Vec<Credentials>>, impl Drop) {
    let parent = container();
    let sent = RwSignal::new(Vec::<Credentials>::new());
    let log_in: LogIn = Callback::new(move |credentials| {
        sent.update(|s| s.push(credentials));
        let answer = answer.clone();
        Box::pin(async move {
            match answer {
                Some(answer) => answer,
                None => futures::future::pending().await,
            }
        }) as LocalBoxFuture<'static, Result<(), ApiError>>
    });
    let label = if identity_is_email {
        "Email"
    } else {
        "Username"
    };
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        LoginForm {
            identity_label: label.to_owned(),
            identity_is_email,
            notice: notice.read_only(),
            log_in,
            hint_url: None,
            now: now.read_only(),
        }
        .view()
    });
    (parent, sent, handle)
}

#[wasm_bindgen_test]
async fn a_rate_limited_login_counts_down_on_the_button_and_sends_nothing_meanwhile() {
    let now = RwSignal::new(js_sys::Date::now());
    let limited = ApiError::RateLimited {
        message: "Too many requests".into(),
        retry_after_s: Some(5),
    };
    let (form, sent, _handle) = mount_form_at(true, RwSignal::new(None), Some(Err(limited)), now);
    type_into(&form, "login-identity", "demo@example.com");
    type_into(&form, "login-password", "pw");
    element(&form, "login-submit").click();
    settle().await;
    assert_eq!(sent.get_untracked().len(), 1);
    assert!(text(&form, "login-error").contains("It asks to wait 5 s."));
    let button = element(&form, "login-submit");
    assert_eq!(
        button.text_content().as_deref(),
        Some("Log in again in 5 s")
    );
    assert_eq!(
        button.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    button.click();
    settle().await;
    assert_eq!(sent.get_untracked().len(), 1, "nothing sent while it waits");
    now.update(|n| *n += 2_000.0);
    settle().await;
    assert_eq!(
        button.text_content().as_deref(),
        Some("Log in again in 3 s")
    );
    now.update(|n| *n += 3_100.0);
    settle().await;
    assert_eq!(button.text_content().as_deref(), Some("Log in"));
    assert_eq!(button.get_attribute("aria-disabled"), None);
    button.click();
    settle().await;
    assert_eq!(
        sent.get_untracked().len(),
        2,
        "sent again once the wait is over"
    );
}

#[wasm_bindgen_test]
async fn the_form_refuses_a_malformed_email_under_its_field_and_sends_nothing() {
    let (form, sent, _handle) = mount_form(true, RwSignal::new(None), Some(Ok(())));
    type_into(&form, "login-identity", "demo");
    type_into(&form, "login-password", "pw");
    element(&form, "login-submit").click();
    settle().await;
    assert_eq!(
        text(&form, "login-identity-problem"),
        "Enter an email address like name@example.com."
    );
    assert_eq!(
        attribute(&form, "login-identity", "aria-invalid").as_deref(),
        Some("true")
    );
    assert_eq!(
        attribute(&form, "login-identity", "aria-describedby").as_deref(),
        Some("login-identity-problem")
    );
    assert_eq!(
        focused_id(),
        "login-identity",
        "the bad field has the focus"
    );
    assert!(find(&form, "login-password-problem").is_none());
    assert_eq!(sent.get_untracked().len(), 0, "nothing is sent");

    type_into(&form, "login-password", "");
    type_into(&form, "login-identity", "demo@tokengrid.dev");
    element(&form, "login-submit").click();
    settle().await;
    assert!(find(&form, "login-identity-problem").is_none(), "fixed");
    assert_eq!(
        text(&form, "login-password-problem"),
        "Enter your password."
    );
    assert_eq!(focused_id(), "login-password");
    assert_eq!(sent.get_untracked().len(), 0);
}

#[wasm_bindgen_test]
async fn the_form_sends_the_credentials_and_shows_a_refusal_on_the_form() {
    let refusal = ApiError::LoginRejected {
        status: 401,
        message: "Invalid credentials.".into(),
    };
    let (form, sent, _handle) = mount_form(true, RwSignal::new(None), Some(Err(refusal)));
    type_into(&form, "login-identity", "  demo@tokengrid.dev ");
    type_into(&form, "login-password", " secret ");
    element(&form, "login-submit").click();
    settle().await;
    assert_eq!(
        sent.get_untracked(),
        [Credentials::new("demo@tokengrid.dev", " secret ")],
        "the identity trimmed, the password exactly as typed"
    );
    assert_eq!(text(&form, "login-error"), "Invalid credentials.");
    let submit = element(&form, "login-submit");
    assert_eq!(submit.get_attribute("aria-disabled"), None, "can try again");
    assert_eq!(submit.text_content().unwrap(), "Log in");
}

#[wasm_bindgen_test]
async fn the_form_sends_one_login_however_often_it_is_submitted() {
    let (form, sent, _handle) = mount_form(true, RwSignal::new(None), None);
    type_into(&form, "login-identity", "demo@tokengrid.dev");
    type_into(&form, "login-password", "pw");
    let submit = element(&form, "login-submit");
    // Twice before the page re-renders: the button is not disabled yet.
    submit.focus().unwrap();
    submit.click();
    submit.click();
    settle().await;
    assert_eq!(
        submit.get_attribute("aria-disabled").as_deref(),
        Some("true")
    );
    let active = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .active_element();
    assert_eq!(
        active,
        Some(submit.clone().into()),
        "the button keeps the focus"
    );
    assert_eq!(submit.text_content().unwrap(), "Logging in…");
    submit.click();
    settle().await;
    assert_eq!(sent.get_untracked().len(), 1);
}

#[wasm_bindgen_test]
async fn the_form_shows_why_it_is_shown_and_takes_user_names_when_configured() {
    let notice = RwSignal::new(Some(
        "Your session has expired. Log in again to continue.".into(),
    ));
    let (form, sent, _handle) = mount_form(false, notice, Some(Ok(())));
    assert_eq!(
        text(&form, "login-notice"),
        "Your session has expired. Log in again to continue."
    );
    notice.set(None);
    settle().await;
    assert!(find(&form, "login-notice").is_none());

    let identity = element(&form, "login-identity");
    assert_eq!(identity.get_attribute("type").as_deref(), Some("text"));
    assert_eq!(
        form.query_selector("label[for=login-identity]")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Username"
    );
    type_into(&form, "login-identity", "admin");
    type_into(&form, "login-password", "pw");
    element(&form, "login-submit").click();
    settle().await;
    assert_eq!(sent.get_untracked(), [Credentials::new("admin", "pw")]);
}

#[wasm_bindgen_test]
async fn the_form_offers_the_development_apis_demo_login_and_fills_it_in() {
    // Set by scripts/test.sh; read at build time like tests/browser_client.rs.
    let Some(api) = option_env!("TOKENGRID_TEST_API") else {
        panic!("set TOKENGRID_TEST_API to a running dev API (scripts/test.sh does this)");
    };
    let parent = container();
    let log_in: LogIn = Callback::new(|_| Box::pin(async { Ok(()) }) as _);
    let hint_url = Some(format!("{api}/api:auth/__dev/hint"));
    let _handle = leptos::mount::mount_to(parent.clone(), move || {
        LoginForm {
            identity_label: "Email".to_owned(),
            identity_is_email: true,
            notice: RwSignal::new(None).read_only(),
            log_in,
            hint_url: hint_url.clone(),
            now: RwSignal::new(0.0).read_only(),
        }
        .view()
    });
    for _ in 0..200 {
        if find(&parent, "login-hint").is_some() {
            break;
        }
        settle().await;
    }
    let hint = element(&parent, "login-hint");
    assert!(
        hint.text_content()
            .unwrap()
            .contains("demo@tokengrid.dev / "),
        "{:?}",
        hint.text_content()
    );
    hint.query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    let value = |id| {
        element(&parent, id)
            .unchecked_into::<web_sys::HtmlInputElement>()
            .value()
    };
    assert_eq!(value("login-identity"), "demo@tokengrid.dev");
    assert!(!value("login-password").is_empty());
}

/// A load status over plain signals; returns them and the Retry presses.
#[allow(clippy::type_complexity)]
fn mount_status(
    phase: LoadPhase,
    stale: bool,
) -> (
    web_sys::HtmlElement,
    RwSignal<LoadPhase>,
    RwSignal<f64>,
    RwSignal<u32>,
    impl Drop,
) {
    let parent = container();
    let phase = RwSignal::new(phase);
    let now = RwSignal::new(1_000_000.0);
    let (presses, on_retry) = counter();
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        LoadStatus {
            phase: phase.read_only(),
            stale: RwSignal::new(stale).read_only(),
            now: now.read_only(),
            on_retry,
        }
        .view()
    });
    (parent, phase, now, presses, handle)
}

#[wasm_bindgen_test]
async fn the_load_status_shows_loading_then_the_error_and_retry_calls_back() {
    let (status, phase, _now, retries, _handle) = mount_status(LoadPhase::Loading, false);
    assert_eq!(text(&status, "loading"), "Loading…");
    assert!(find(&status, "load-error").is_none());

    phase.set(LoadPhase::Failed(
        "HTTP 500 (Internal Server Error).".into(),
    ));
    settle().await;
    assert!(find(&status, "loading").is_none());
    assert_eq!(
        text(&status, "load-error").split("Retry").next().unwrap(),
        "The data could not be loaded. HTTP 500 (Internal Server Error)."
    );
    assert_eq!(
        attribute(&status, "load-error", "role").as_deref(),
        Some("alert")
    );
    assert!(find(&status, "stale-note").is_none(), "no table: not stale");
    let retry = element(&status, "retry");
    assert_eq!(retry.text_content().unwrap(), "Retry");
    retry.click();
    retry.click();
    assert_eq!(retries.get_untracked(), 2);

    phase.set(LoadPhase::Idle);
    settle().await;
    assert!(find(&status, "load-error").is_none());
    assert!(find(&status, "loading").is_none());
}

#[wasm_bindgen_test]
async fn a_failed_refresh_says_what_shows_below_may_be_out_of_date() {
    let (status, _phase, _now, _retries, _handle) =
        mount_status(LoadPhase::Failed("no answer".into()), true);
    // Below may be a table or the note that the answer had no rows: the
    // words fit both.
    assert_eq!(
        text(&status, "stale-note"),
        "Shown below: the last data that loaded, which may be out of date."
    );
}

#[wasm_bindgen_test]
async fn an_automatic_retry_counts_down_and_can_be_started_now() {
    let (status, phase, now, retries, _handle) = mount_status(LoadPhase::Loading, true);
    phase.set(LoadPhase::Retrying {
        message: "Could not reach /api:data/customers.".into(),
        at: 1_004_000.0,
    });
    settle().await;
    assert_eq!(
        attribute(&status, "load-error", "data-retrying").as_deref(),
        Some("true")
    );
    assert_eq!(
        text(&status, "retry-countdown"),
        "Trying again by itself in 4 s."
    );
    now.set(1_001_500.0);
    settle().await;
    assert_eq!(
        text(&status, "retry-countdown"),
        "Trying again by itself in 3 s."
    );
    now.set(1_009_000.0);
    settle().await;
    assert_eq!(
        text(&status, "retry-countdown"),
        "Trying again by itself in 0 s.",
        "never negative"
    );
    assert!(find(&status, "stale-note").is_some());
    let retry = element(&status, "retry");
    assert_eq!(retry.text_content().unwrap(), "Retry now");
    retry.click();
    assert_eq!(retries.get_untracked(), 1);
}

struct Bar {
    parent: web_sys::HtmlElement,
    signed_in: RwSignal<bool>,
    identity: RwSignal<Option<String>>,
    session: RwSignal<SessionState>,
    loading: RwSignal<bool>,
    warning: RwSignal<Option<String>>,
    refreshes: RwSignal<u32>,
    logouts: RwSignal<u32>,
}

const NOW: f64 = 1_700_000_000_000.0;

fn mount_bar() -> (Bar, impl Drop) {
    let parent = container();
    let signed_in = RwSignal::new(false);
    let identity = RwSignal::new(None);
    let session = RwSignal::new(SessionState::SignedOut);
    let loading = RwSignal::new(false);
    let warning = RwSignal::new(None);
    let (refreshes, on_refresh) = counter();
    let (logouts, on_log_out) = counter();
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        SessionBar {
            signed_in: signed_in.read_only(),
            identity: identity.read_only(),
            session: session.read_only(),
            now: RwSignal::new(NOW).read_only(),
            loading: loading.read_only(),
            storage_warning: warning.read_only(),
            on_refresh,
            on_log_out,
        }
        .view()
    });
    let bar = Bar {
        parent,
        signed_in,
        identity,
        session,
        loading,
        warning,
        refreshes,
        logouts,
    };
    (bar, handle)
}

#[wasm_bindgen_test]
async fn the_session_bar_shows_who_and_the_session_and_its_buttons_call_back() {
    let (bar, _handle) = mount_bar();
    let p = &bar.parent;
    assert!(find(p, "session-bar").is_none(), "empty while signed out");

    bar.signed_in.set(true);
    bar.session.set(SessionState::SignedIn {
        expires_at: Some(NOW + 130_000.0),
        renews_at: Some(NOW + 65_000.0),
    });
    settle().await;
    assert_eq!(text(p, "session-who"), "Signed in");
    assert_eq!(text(p, "session-state"), "Token renews in 1 min 5 s");
    assert_eq!(
        attribute(p, "session-state", "data-state").as_deref(),
        Some("signed-in")
    );
    bar.identity.set(Some("demo@tokengrid.dev".into()));
    bar.session.set(SessionState::SignedIn {
        expires_at: Some(NOW + 41_000.0),
        renews_at: None,
    });
    settle().await;
    assert_eq!(text(p, "session-who"), "Signed in as demo@tokengrid.dev");
    assert_eq!(text(p, "session-state"), "Token expires in 41 s");

    bar.session.set(SessionState::Renewing);
    settle().await;
    assert_eq!(
        attribute(p, "session-state", "data-state").as_deref(),
        Some("renewing")
    );

    assert_eq!(
        attribute(p, "refresh", "aria-busy").as_deref(),
        Some("false")
    );
    bar.loading.set(true);
    settle().await;
    assert_eq!(
        attribute(p, "refresh", "aria-busy").as_deref(),
        Some("true")
    );
    element(p, "refresh").click();
    assert_eq!(bar.refreshes.get_untracked(), 1, "pressable while loading");
    assert_eq!(bar.logouts.get_untracked(), 0);
    element(p, "logout").click();
    assert_eq!(bar.logouts.get_untracked(), 1);
    assert_eq!(bar.refreshes.get_untracked(), 1);

    assert!(find(p, "storage-warning").is_none());
    bar.warning
        .set(Some("The token is kept in memory only.".into()));
    settle().await;
    assert_eq!(
        text(p, "storage-warning"),
        "The token is kept in memory only."
    );

    bar.signed_in.set(false);
    settle().await;
    assert!(find(p, "session-bar").is_none());
    assert!(find(p, "storage-warning").is_none());
}

#[wasm_bindgen_test]
async fn the_session_bar_says_when_the_session_expired() {
    let (bar, _handle) = mount_bar();
    bar.signed_in.set(true);
    bar.session.set(SessionState::Expired);
    settle().await;
    assert_eq!(
        text(&bar.parent, "session-state"),
        "Session expired: the next load asks you to log in"
    );
    assert_eq!(
        attribute(&bar.parent, "session-state", "data-state").as_deref(),
        Some("expired")
    );
}

#[wasm_bindgen_test]
async fn the_timeline_lists_the_newest_entry_first_with_its_count() {
    let parent = container();
    let timeline = RwSignal::new(Timeline::default());
    let _handle = leptos::mount::mount_to(parent.clone(), move || {
        TimelinePanel {
            timeline: timeline.read_only(),
        }
        .view()
    });
    assert_eq!(
        parent
            .query_selector("summary")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Request timeline (0)"
    );
    timeline.update(|t| {
        t.record(
            NOW,
            &ClientEvent::Request {
                id: 1,
                method: Method::Get,
                url: "/api:data/customers".into(),
                replay: false,
                bearer: true,
            },
        );
        t.record(NOW, &ClientEvent::Response { id: 1, status: 401 });
        t.record(NOW, &ClientEvent::LoggedIn);
    });
    settle().await;
    assert_eq!(
        parent
            .query_selector("summary")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Request timeline (2)"
    );
    let items = parent.query_selector_all("li").unwrap();
    let item = |i| -> (String, String) {
        let li: web_sys::Element = items.item(i).unwrap().unchecked_into();
        let text = li
            .query_selector("span")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap();
        (li.get_attribute("data-kind").unwrap(), text)
    };
    assert_eq!(items.length(), 2);
    assert_eq!(item(0), ("session".into(), "logged in".into()));
    assert_eq!(
        item(1),
        ("problem".into(), "GET /api:data/customers → 401".into())
    );
}

#[wasm_bindgen_test]
fn a_configuration_problem_names_the_setting_and_where_to_fix_it() {
    let parent = container();
    let error = ConfigError::Invalid {
        setting: "dataUrl",
        problem: "must not be empty".into(),
    };
    let _handle = leptos::mount::mount_to(parent.clone(), move || {
        ConfigProblem {
            error: error.clone(),
        }
        .view()
    });
    let panel = text(&parent, "config-error");
    assert!(
        panel.contains("Setting `dataUrl` must not be empty"),
        "{panel}"
    );
    assert!(
        panel.contains("<script id=\"tokengrid-config\">"),
        "{panel}"
    );
    assert_eq!(
        attribute(&parent, "config-error", "role").as_deref(),
        Some("alert")
    );
}

#[wasm_bindgen_test]
async fn unmounted_components_stop_updating_and_listening() {
    let parent = container();
    let phase = RwSignal::new(LoadPhase::Failed("x".into()));
    let presses = RwSignal::new(0);
    let stale = RwSignal::new(false);
    let now = RwSignal::new(0.0);
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        LoadStatus {
            phase: phase.read_only(),
            stale: stale.read_only(),
            now: now.read_only(),
            on_retry: Callback::new(move |()| presses.update(|n| *n += 1)),
        }
        .view()
    });
    settle().await;
    let slot: web_sys::HtmlElement = parent
        .query_selector(".status-slot")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let button: web_sys::HtmlElement = parent
        .query_selector("[data-testid=retry]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    assert_eq!(presses.get_untracked(), 1);
    phase.set(LoadPhase::Retrying {
        message: "y".into(),
        at: 5000.0,
    });
    settle().await;
    let countdown = parent
        .query_selector("[data-testid=retry-countdown]")
        .unwrap()
        .unwrap();
    let before = countdown.text_content();
    let button: web_sys::HtmlElement = parent
        .query_selector("[data-testid=retry]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    // A rebuilt error: the old countdown's effect must be gone.
    phase.set(LoadPhase::Failed("z".into()));
    settle().await;
    now.set(3000.0);
    settle().await;
    assert_eq!(
        countdown.text_content(),
        before,
        "old countdown not updated"
    );
    button.click();
    assert_eq!(presses.get_untracked(), 1, "old button's listener removed");
    drop(handle);
    let html = slot.inner_html();
    phase.set(LoadPhase::Loading);
    stale.set(true);
    settle().await;
    assert_eq!(slot.inner_html(), html, "no update after unmount");
    let button: web_sys::HtmlElement = slot
        .query_selector("[data-testid=retry]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    assert_eq!(presses.get_untracked(), 1, "no listener after unmount");
    assert!(parent.inner_html().is_empty(), "{}", parent.inner_html());
}

#[wasm_bindgen_test]
async fn the_session_bar_comes_and_goes_and_unmounts() {
    let parent = container();
    let signed_in = RwSignal::new(false);
    let warning = RwSignal::new(Some("w".to_owned()));
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        view! {
            <p>"a"</p>
            {SessionBar { signed_in: signed_in.read_only(), identity: RwSignal::new(None).read_only(), session: RwSignal::new(SessionState::SignedOut).read_only(), now: RwSignal::new(0.0).read_only(), loading: RwSignal::new(false).read_only(), storage_warning: warning.read_only(), on_refresh: Callback::new(|()| {}), on_log_out: Callback::new(|()| {}) }.view()}
            <p>"b"</p>
        }
    });
    settle().await;
    let strip = |s: String| s.replace("<!---->", "");
    assert_eq!(strip(parent.inner_html()), "<p>a</p><p>b</p>");
    signed_in.set(true);
    settle().await;
    let html = strip(parent.inner_html());
    assert!(
        html.starts_with("<p>a</p><div class=\"session-bar\""),
        "{html}"
    );
    assert!(html.ends_with("<p class=\"storage-warning\" role=\"status\" data-testid=\"storage-warning\">w</p><p>b</p>"), "{html}");
    warning.set(None);
    settle().await;
    assert!(!parent.inner_html().contains("storage-warning"));
    signed_in.set(false);
    settle().await;
    assert_eq!(strip(parent.inner_html()), "<p>a</p><p>b</p>");
    signed_in.set(true);
    settle().await;
    drop(handle);
    assert_eq!(parent.inner_html(), "");
}

#[wasm_bindgen_test]
async fn a_tick_that_changes_no_text_changes_no_node() {
    let parent = container();
    let now = RwSignal::new(0.0);
    let _handle = leptos::mount::mount_to(parent.clone(), move || {
        SessionBar {
            signed_in: RwSignal::new(true).read_only(),
            identity: RwSignal::new(None).read_only(),
            session: RwSignal::new(SessionState::SignedIn {
                expires_at: None,
                renews_at: None,
            })
            .read_only(),
            now: now.read_only(),
            loading: RwSignal::new(false).read_only(),
            storage_warning: RwSignal::new(None).read_only(),
            on_refresh: Callback::new(|()| {}),
            on_log_out: Callback::new(|()| {}),
        }
        .view()
    });
    settle().await;
    let state = parent
        .query_selector("[data-testid=session-state]")
        .unwrap()
        .unwrap();
    let text = state.first_child().unwrap();
    now.set(1000.0);
    settle().await;
    now.set(2000.0);
    settle().await;
    assert!(state.first_child().unwrap() == text, "the same text node");
    assert_eq!(state.child_nodes().length(), 1);
}

/// The app's main part is a `dom::switch` (the table or the form) whose
/// table is a slot that changes what it shows after it is placed: logging
/// out must take away what shows then, not what showed when it was placed.
#[wasm_bindgen_test]
async fn a_switch_takes_away_what_its_content_shows_now_and_drops_its_effects() {
    use tokengrid::dom::{self as page_dom, Markup};
    let parent = container();
    let signed_in = RwSignal::new(true);
    let rows = RwSignal::new(1);
    let place = parent.clone();
    let handle = leptos::mount::mount_to(parent.clone(), move || {
        page_dom::switch(
            &place,
            None,
            Box::new(move || {
                if signed_in.get() {
                    let document = web_sys::window().unwrap().document().unwrap();
                    let fragment = document.create_document_fragment();
                    let start: web_sys::Node = document.create_comment("").into();
                    fragment.append_child(&start).unwrap();
                    page_dom::slot(
                        &fragment,
                        None,
                        Box::new(move || {
                            let text = rows.get().to_string();
                            Some(page_dom::html_text(r#"<p class="rows"></p>"#, &text))
                        }),
                    );
                    let end = fragment.last_child().unwrap();
                    vec![Markup::nodes(fragment, start, end)]
                } else {
                    vec![Markup::element(page_dom::html(
                        r#"<form class="login"></form>"#,
                    ))]
                }
            }),
        );
    });
    let shown = |selector: &str| parent.query_selector_all(selector).unwrap().length();
    assert_eq!(parent.text_content().unwrap(), "1");
    rows.set(2);
    settle().await;
    assert_eq!(
        parent.text_content().unwrap(),
        "2",
        "the slot's new content replaced its old"
    );
    assert_eq!(shown(".rows"), 1);
    signed_in.set(false);
    settle().await;
    assert_eq!((shown(".rows"), shown("form.login")), (0, 1));
    rows.set(3);
    settle().await;
    assert_eq!(
        shown(".rows"),
        0,
        "the slot of the content taken away no longer runs"
    );
    signed_in.set(true);
    settle().await;
    assert_eq!((shown(".rows"), shown("form.login")), (1, 0));
    assert_eq!(parent.text_content().unwrap(), "3");
    drop(handle);
}

/// After a login the form (and its focused button) goes: the focus goes to
/// the place that changed, not to the page's body.
#[wasm_bindgen_test]
async fn the_focus_in_what_a_switch_takes_away_goes_to_its_place() {
    use tokengrid::dom::{self as page_dom, Markup};
    let parent = container();
    parent.set_attribute("tabindex", "-1").unwrap();
    let signed_in = RwSignal::new(false);
    let place = parent.clone();
    let _handle = leptos::mount::mount_to(parent.clone(), move || {
        page_dom::switch(
            &place,
            None,
            Box::new(move || {
                let html = if signed_in.get() {
                    r#"<p class="table"><button>Sort</button></p>"#
                } else {
                    r#"<form><button class="submit">Log in</button></form>"#
                };
                vec![Markup::element(page_dom::html(html))]
            }),
        );
    });
    let active = || {
        web_sys::window()
            .unwrap()
            .document()
            .unwrap()
            .active_element()
    };
    let submit: web_sys::HtmlElement = parent
        .query_selector(".submit")
        .unwrap()
        .unwrap()
        .unchecked_into();
    submit.focus().unwrap();
    signed_in.set(true);
    settle().await;
    assert_eq!(
        active(),
        Some(parent.clone().into()),
        "the focus is where the form was"
    );
    // Focus elsewhere on the page stays where it is.
    let outside = container();
    let button = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .create_element("button")
        .unwrap();
    outside.append_child(&button).unwrap();
    button
        .unchecked_ref::<web_sys::HtmlElement>()
        .focus()
        .unwrap();
    signed_in.set(false);
    settle().await;
    assert_eq!(active(), Some(button), "the focus outside the switch stays");
}
