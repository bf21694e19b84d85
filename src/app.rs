//! The top-level component and the page controller.
//!
//! The [`Controller`] is the page's only moving part, and a thin one: it
//! turns browser events, timers and client results into
//! [`page::Event`]s, lets the pure [`PageState`] decide, mirrors the state
//! into read-only signals, and carries out the [`Effect`]s — requests,
//! aborts, timers. Time and timers come from the [`Environment`]. The
//! components get plain signals and callbacks as props.

use crate::auth::env::{BrowserEnvironment, Timer};
use crate::auth::{
    ApiClient, ApiError, ClientEvent, Credentials, Environment, HttpRequest, SessionState,
    TokenStore, decode, store::LocalStorageStore, transport::FetchTransport,
};
use crate::components::{ConfigProblem, LoadStatus, LogIn, LoginForm, SessionBar, TimelinePanel};
use crate::config::{self, Config, ConfigError};
use crate::dom::{self, Local, Markup};
use crate::page::{self, Effect, Event, LoadFailure, LoadPhase, PageState};
use crate::table::model::label_for_key;
use crate::table::parse::{FIRST_STEP_BYTES, ParseError, STEP_BYTES, StepParser};
use crate::table::query::PREVIEW_MAX_ROWS;
use crate::table::{Dataset, TableState, view::DataTable};
use crate::timeline::{EntryKind, Timeline};
use futures::future::{AbortHandle, abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// The most rows whose sort ranks are built in idle time.
pub const PREPARE_MAX_ROWS: usize = 20_000;

/// The most cells whose search text one idle callback builds (a few
/// milliseconds of work).
pub const PREPARE_CELLS: usize = 20_000;

/// The client as the browser uses it.
pub type BrowserClient = ApiClient<FetchTransport, LocalStorageStore, BrowserEnvironment>;

type Rows = Arc<Dataset>;

/// What the controller keeps between events besides its signals: the
/// client, the page state and the handles of what is under way, in one
/// arena slot (one copy of the slot's code in the bundle, not one per type).
struct Kept {
    client: Rc<BrowserClient>,
    page: PageState<Rows>,
    current_load: Option<AbortHandle>,
    retry_timer: Option<Timer>,
    renewal_timer: Option<Timer>,
    ticker: Option<Timer>,
}

/// One of the timers in [`Kept`].
type TimerSlot = fn(&mut Kept) -> &mut Option<Timer>;

/// Page state as read-only signals, and the actions on it. `Copy`: every
/// field is an arena handle.
#[derive(Clone, Copy)]
pub struct Controller {
    kept: StoredValue<Local<Kept>>,
    env: BrowserEnvironment,
    signed_in: RwSignal<bool>,
    login_notice: RwSignal<Option<String>>,
    dataset: RwSignal<Option<Rows>>,
    /// The first rows of an answer still being read, while no table shows.
    preview: RwSignal<Option<Rows>>,
    phase: RwSignal<LoadPhase>,
    stale: RwSignal<bool>,
    loading: RwSignal<bool>,
    identity: RwSignal<Option<String>>,
    storage_warning: RwSignal<Option<String>>,
    session: RwSignal<SessionState>,
    now: RwSignal<f64>,
    timeline: RwSignal<Timeline>,
}

impl Controller {
    fn new(config: &Config) -> Self {
        let env = BrowserEnvironment;
        let store = LocalStorageStore::new(config.storage_key.clone())
            .with_refresh_storage(config.refresh_token_storage);
        let origin = window().location().origin().ok();
        let settings = config.auth_settings(origin.as_deref());
        let client = Rc::new(ApiClient::new(settings, FetchTransport, store, env));
        let page = PageState::new(config.data_url.clone(), client.has_token())
            .with_login_notice(client.store().why_unusable());
        let login_notice = page.login_notice().map(str::to_owned);
        let signed_in = page.signed_in();
        let controller = Self {
            kept: StoredValue::new(Local(Kept {
                client: client.clone(),
                page,
                current_load: None,
                retry_timer: None,
                renewal_timer: None,
                ticker: None,
            })),
            env,
            signed_in: RwSignal::new(signed_in),
            login_notice: RwSignal::new(login_notice),
            dataset: RwSignal::new(None),
            preview: RwSignal::new(None),
            phase: RwSignal::new(LoadPhase::Idle),
            stale: RwSignal::new(false),
            loading: RwSignal::new(false),
            identity: RwSignal::new(None),
            storage_warning: RwSignal::new(None),
            session: RwSignal::new(client.session()),
            now: RwSignal::new(env.now_ms()),
            timeline: RwSignal::new(Timeline::default()),
        };
        client.set_observer(move |event| controller.on_client_event(event));
        controller
    }

    /// Whether the table side (not the login form) is shown.
    pub fn signed_in(&self) -> ReadSignal<bool> {
        self.signed_in.read_only()
    }

    /// Why the login form is shown (session expired, refused token…).
    pub fn login_notice(&self) -> ReadSignal<Option<String>> {
        self.login_notice.read_only()
    }

    /// The last table that loaded successfully.
    pub fn dataset(&self) -> ReadSignal<Option<Rows>> {
        self.dataset.read_only()
    }

    /// The first rows of a large answer, while the rest is read and no
    /// table shows yet (see [`StepParser::preview`]).
    pub fn preview(&self) -> ReadSignal<Option<Rows>> {
        self.preview.read_only()
    }

    /// The current load.
    pub fn phase(&self) -> ReadSignal<LoadPhase> {
        self.phase.read_only()
    }

    /// Whether the table on screen is from an earlier load (the last failed).
    pub fn stale(&self) -> ReadSignal<bool> {
        self.stale.read_only()
    }

    /// Who is signed in, when known (not after a reload).
    pub fn identity(&self) -> ReadSignal<Option<String>> {
        self.identity.read_only()
    }

    /// Set when the browser refused to persist the token.
    pub fn storage_warning(&self) -> ReadSignal<Option<String>> {
        self.storage_warning.read_only()
    }

    /// The session as the client sees it, refreshed on every client event
    /// and every second.
    pub fn session(&self) -> ReadSignal<SessionState> {
        self.session.read_only()
    }

    /// Whether a load is in flight.
    pub fn loading(&self) -> ReadSignal<bool> {
        self.loading.read_only()
    }

    /// Wall-clock now for countdowns: ticks every second, and is read
    /// afresh whenever the page state changes (a new countdown starts).
    pub fn now(&self) -> ReadSignal<f64> {
        self.now.read_only()
    }

    /// What the client did.
    pub fn timeline(&self) -> ReadSignal<Timeline> {
        self.timeline.read_only()
    }

    /// Loads the data (a user action: Refresh, Retry). A newer load
    /// supersedes an older one still in flight, which is aborted. The user
    /// acted, so a renewal ahead that the silent-login budget paused resumes.
    pub fn load(self) {
        self.client().resume_renewal();
        self.dispatch(Event::Load);
    }

    /// Loads page `page` (1-based) of `per_page` rows of a server-paged
    /// endpoint, through the auth client like every request (a user action,
    /// like [`load`](Self::load)).
    pub fn load_page(self, page: u64, per_page: u64) {
        self.client().resume_renewal();
        self.dispatch(Event::LoadPage { page, per_page });
    }

    /// Logs in with the form's credentials; on success shows and loads the table.
    pub async fn log_in(self, credentials: Credentials) -> Result<(), ApiError> {
        let identity = credentials.identity().to_owned();
        let client = self.client();
        client.log_in(credentials).await?;
        let storage_warning = client.storage_warning().map(|w| w.to_string());
        self.dispatch(Event::LoggedIn {
            identity,
            storage_warning,
        });
        Ok(())
    }

    /// Forgets the token, the credentials and the rows; shows the form.
    pub fn log_out(self) {
        self.client().log_out();
        self.dispatch(Event::LoggedOut);
    }

    fn client(self) -> Rc<BrowserClient> {
        self.kept.with_value(|kept| kept.client.clone())
    }

    /// Lets the page state decide about `event`, shows the outcome and
    /// carries out its effects.
    fn dispatch(self, event: Event<Rows>) {
        let now = self.env.now_ms();
        // The page's owner may be gone when a late callback arrives.
        let Some(effects) = self
            .kept
            .try_update_value(|kept| kept.page.handle(event, now))
        else {
            return;
        };
        update(self.now, now);
        self.show_state();
        for effect in effects {
            self.run(effect);
        }
    }

    /// Mirrors the page state into the signals that changed.
    fn show_state(self) {
        let Some((signed_in, notice, rows, phase, stale, identity, warning)) =
            self.kept.try_with_value(|Local(Kept { page: p, .. })| {
                (
                    p.signed_in(),
                    p.login_notice().map(str::to_owned),
                    p.rows().cloned(),
                    p.phase().clone(),
                    p.is_stale(),
                    p.identity().map(str::to_owned),
                    p.storage_warning().map(str::to_owned),
                )
            })
        else {
            return;
        };
        let settled = !signed_in || phase != LoadPhase::Loading;
        update(self.signed_in, signed_in);
        update(self.login_notice, notice);
        update(self.loading, phase == LoadPhase::Loading);
        update(self.phase, phase);
        update(self.stale, stale);
        update(self.identity, identity);
        update(self.storage_warning, warning);
        // The first load has ended (its table, if any, shows in this task's
        // microtasks), or the page shows the form: the first page drawn
        // before the app ran goes.
        if settled {
            dom::end_first_paint();
        }
        let same_rows = self.dataset.with_untracked(|shown| match (shown, &rows) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        });
        if !same_rows {
            let old = self.dataset.try_get_untracked().flatten();
            self.dataset.set(rows);
            if let Some(old) = old {
                drop_in_idle_time(old, 0);
            }
        }
    }

    fn run(self, effect: Effect) {
        match effect {
            Effect::StartRequest {
                generation,
                url,
                replay,
            } => self.start_request(generation, url, replay),
            Effect::AbortCurrent => {
                if let Some(load) = self
                    .kept
                    .try_update_value(|kept| kept.current_load.take())
                    .flatten()
                {
                    load.abort();
                }
            }
            Effect::ScheduleRetry { at } => {
                self.set_timer(
                    |kept| &mut kept.retry_timer,
                    Some(at),
                    move || self.dispatch(Event::RetryDue),
                );
            }
            Effect::CancelRetry => self.set_timer(|kept| &mut kept.retry_timer, None, || {}),
            Effect::ScheduleRenewal => {
                let at = self.client().next_renewal();
                // Checked by the wall clock when it fires, so a timer that
                // fired late (sleep, a throttled background tab) is fine.
                self.set_timer(
                    |kept| &mut kept.renewal_timer,
                    at,
                    move || self.dispatch(Event::RenewalDue { hidden: hidden() }),
                );
            }
            Effect::CancelRenewal => self.set_timer(|kept| &mut kept.renewal_timer, None, || {}),
            Effect::Renew => {
                let client = self.client();
                spawn_local(async move {
                    let result = client.renew_if_due().await.map(|_| ());
                    self.dispatch(Event::Renewed(result));
                });
            }
            Effect::RefreshSession => self.refresh_session(),
            Effect::PrepareRows { generation } => {
                if let Some(rows) = self
                    .kept
                    .try_with_value(|kept| kept.page.rows().cloned())
                    .flatten()
                {
                    self.prepare_in_idle_time(rows, generation);
                }
            }
        }
    }

    /// Replaces the timer in `slot` (dropping a timer clears it) with one
    /// that calls `fire` at `at` (wall-clock ms), or with none.
    fn set_timer(self, slot: TimerSlot, at: Option<f64>, fire: impl FnOnce() + 'static) {
        let timer = at.map(|at| self.env.timer(page::delay_ms(at, self.env.now_ms()), fire));
        // The timer it replaces is dropped (cleared) after the slot is let go.
        let _replaced = self
            .kept
            .try_update_value(|kept| std::mem::replace(slot(kept), timer));
    }

    fn start_request(self, generation: u64, url: String, replay: bool) {
        let client = self.client();
        let mut request = HttpRequest::get(url);
        if !replay {
            request = request.single_shot();
        }
        let (task, handle) = abortable(async move {
            let before = client.requests_sent();
            let url = request.url.clone();
            let result = client.send(request).await;
            // Loads never overlap (a new one aborts the old), so every
            // request the client sent meanwhile belongs to this one.
            let sent = u32::try_from(client.requests_sent() - before).unwrap_or(u32::MAX);
            if self.superseded(generation) {
                return; // not worth reading
            }
            let body = result
                .and_then(|response| decode::data_body(response, &url))
                .map_err(LoadFailure::Api);
            let result = match body {
                Ok(body) => match self.read_rows(body, &url, generation).await {
                    Some(result) => result,
                    None => return,
                },
                Err(e) => Err(e),
            };
            self.dispatch(Event::Loaded {
                generation,
                sent,
                result,
            });
        });
        let _ = self
            .kept
            .try_update_value(|kept| kept.current_load = Some(handle));
        spawn_local(async move {
            let _ = task.await;
        });
    }

    /// Whether a newer load replaced load `generation` (or the page is gone).
    fn superseded(self, generation: u64) -> bool {
        self.kept.try_with_value(|kept| kept.page.generation()) != Some(generation)
    }

    /// Reads `body` (the answer from `url`) as rows, [`STEP_BYTES`] at a
    /// time, giving the browser its turn between steps with a 0 ms timer
    /// of the environment, so no response makes a long task. Not while the
    /// page is hidden: nobody is typing into it, and browsers hold a
    /// hidden page's timers back to one a second. A body larger than a step
    /// starts with a shorter one ([`FIRST_STEP_BYTES`]) and, when no table
    /// shows yet, its first rows show after it, until the whole table
    /// replaces them or the load ends otherwise. `None` when a newer load
    /// replaced this one meanwhile.
    async fn read_rows(
        self,
        body: String,
        url: &str,
        generation: u64,
    ) -> Option<Result<Rows, LoadFailure>> {
        /// Takes a preview shown away however the reading ends (also when
        /// the load is aborted, which drops this future).
        struct Previewing(RwSignal<Option<Rows>>);
        impl Drop for Previewing {
            fn drop(&mut self) {
                let _ = self.0.try_set(None);
            }
        }
        let mut _previewing = None;
        // A body one step reads is read in one go, as ever; a larger one
        // starts with a short step, so its first page shows soon.
        let mut first = body.len() > STEP_BYTES;
        let mut parser = StepParser::new(body);
        loop {
            let budget = if first { FIRST_STEP_BYTES } else { STEP_BYTES };
            if let Some(result) = parser.step(budget) {
                return Some(result.map(Arc::new).map_err(|e| match e {
                    ParseError::Json(detail) => LoadFailure::Api(decode::not_json(url, &detail)),
                    ParseError::Shape(e) => LoadFailure::Data(e.to_string()),
                }));
            }
            if std::mem::take(&mut first)
                && self.dataset.with_untracked(Option::is_none)
                && let Some(preview) = parser.preview(PREVIEW_MAX_ROWS)
            {
                let _ = self.preview.try_set(Some(Arc::new(preview)));
                _previewing = Some(Previewing(self.preview));
            }
            if !hidden() {
                self.env.sleep(0).await;
                if self.superseded(generation) {
                    return None;
                }
            }
        }
    }

    /// Builds the search text and ranks each column for sorting while the
    /// browser is idle, so the first keystroke in the search box or the
    /// first click on a header only scans or sorts: the search text first,
    /// [`PREPARE_CELLS`] cells per step (a row of 20,000 columns alone is
    /// one step), then one column per step, for up to [`PREPARE_MAX_ROWS`]
    /// rows (beyond, a column is ranked on its first sort: a single column
    /// of 100,000 rows would be a long task); as many steps per idle period
    /// as it has time for (`dom::in_idle_time`).
    fn prepare_in_idle_time(self, dataset: Rows, generation: u64) {
        let rows = dataset.rows.len();
        let per_step = (PREPARE_CELLS / dataset.columns.len().max(1)).max(1);
        let search_steps = rows.div_ceil(per_step);
        let sort_steps = if rows > PREPARE_MAX_ROWS {
            0
        } else {
            dataset.columns.len()
        };
        let mut step = 0;
        dom::in_idle_time(move || {
            if step >= search_steps + sort_steps || self.superseded(generation) {
                return false; // done, or a newer load replaced this dataset
            }
            if step < search_steps {
                let start = step * per_step;
                dataset.prepare_search(start..(start + per_step).min(rows));
            } else {
                dataset.prepare_sort(step - search_steps);
            }
            step += 1;
            true
        });
    }

    fn on_client_event(self, event: &ClientEvent) {
        let now = self.env.now_ms();
        // The observer may outlive the page's reactive owner during teardown.
        let _ = self.timeline.try_update(|t| t.record(now, event));
        self.refresh_session();
        if matches!(
            event,
            ClientEvent::Renewed(_) | ClientEvent::Adopted | ClientEvent::LoggedIn
        ) {
            self.dispatch(Event::TokenChanged);
        }
    }

    fn refresh_session(self) {
        let session = self.client().session();
        let _ = self.session.try_set(session);
    }

    /// Every second: the countdowns' clock and the session state.
    fn tick(self) {
        let _ = self.now.try_set(self.env.now_ms());
        self.refresh_session();
        let next = self.env.timer(1000, move || self.tick());
        let _replaced = self.kept.try_update_value(|kept| kept.ticker.replace(next));
    }

    /// Another tab changed the token in `localStorage`.
    fn storage_changed(self, new_token: Option<String>) {
        let now = self.env.now_ms();
        match new_token {
            None => {
                self.timeline
                    .update(|t| t.note(now, EntryKind::Session, "signed out in another tab"));
                self.client().forget_credentials();
                self.dispatch(Event::LoggedOutElsewhere);
            }
            Some(_) => {
                self.timeline
                    .update(|t| t.note(now, EntryKind::Session, "token adopted from another tab"));
                let has_token = self.client().has_token();
                self.dispatch(Event::TokenStoredElsewhere { has_token });
            }
        }
    }

    /// The page is going away: abort the load, clear every timer.
    fn unload(self) {
        self.dispatch(Event::Unload);
        self.set_timer(|kept| &mut kept.ticker, None, || {});
    }
}

/// Drops a table the page no longer shows a part at a time in idle time:
/// freeing the values of a 32 MiB response at once is a long task. The
/// view lets go of it when it renders the new table; until then (`tries`
/// idle callbacks at most) this waits, then drops its own reference.
fn drop_in_idle_time(old: Rows, tries: u32) {
    // The callback is an `Fn`: it takes the table out of its slot.
    let slot = std::cell::Cell::new(Some(old));
    request_idle_callback(move || match slot.take().map(Arc::try_unwrap) {
        Some(Ok(dataset)) => drop_rows_in_idle_time(dataset.into_rows()),
        Some(Err(old)) if tries < 10 => drop_in_idle_time(old, tries + 1),
        _ => {}
    });
}

/// Drops `rows` from the end, about [`PREPARE_CELLS`] values per idle callback.
fn drop_rows_in_idle_time(mut rows: Vec<Vec<serde_json::Value>>) {
    let mut cells = 0;
    while cells < PREPARE_CELLS {
        match rows.pop() {
            Some(row) => cells += row.len().max(1),
            None => return,
        }
    }
    let slot = std::cell::Cell::new(Some(rows));
    request_idle_callback(move || {
        if let Some(rows) = slot.take() {
            drop_rows_in_idle_time(rows);
        }
    });
}

/// Sets `signal` to `value` only when it differs, so nothing re-renders
/// for a state that did not change.
fn update<T: PartialEq + Send + Sync + 'static>(signal: RwSignal<T>, value: T) {
    if signal.try_with_untracked(|current| *current != value) == Some(true) {
        signal.set(value);
    }
}

/// Whether the page is hidden (`document.hidden`: its visibility state is
/// "hidden"; a boolean, not the enum's string conversion).
fn hidden() -> bool {
    document().hidden()
}

/// The whole page.
pub fn app() -> Markup {
    match read_config() {
        Ok(config) => workspace(config),
        Err(error) => {
            dom::end_first_paint();
            ConfigProblem { error }.view()
        }
    }
}

fn read_config() -> Result<Config, ConfigError> {
    let text = document()
        .get_element_by_id(config::ELEMENT_ID)
        .and_then(|element| element.text_content())
        .ok_or(ConfigError::Missing)?;
    Config::from_json(&text)
}

/// The page for a configuration that reads: the header with the session
/// bar, then the status line and the table or the login form, then the
/// timeline. The pieces are called as plain functions and placed with
/// [`dom`], so the bundle holds no copy of Leptos' view renderer.
fn workspace(config: Config) -> Markup {
    let controller = Controller::new(&config);
    let identity_is_email = config.identity_is_email();
    let identity_label = label_for_key(&config.identity_field);
    let Config {
        title,
        storage_key,
        dev_hint_url: hint_url,
        ..
    } = config;
    // Sort, search, filters, page, page size and hidden columns: kept
    // across refreshes and re-logins.
    let table = RwSignal::new(TableState::default());

    dom::on_window(
        "storage",
        Box::new(move |event| {
            let event: web_sys::StorageEvent = event.unchecked_into();
            // A `clear()` elsewhere has no key: it removed the token too.
            if event.key().is_none_or(|key| key == storage_key) {
                controller.storage_changed(event.new_value().filter(|_| event.key().is_some()));
            }
        }),
    );
    for event in ["visibilitychange", "online"] {
        dom::on_window(
            event,
            Box::new(move |_| controller.dispatch(Event::Wake { hidden: hidden() })),
        );
    }
    on_cleanup(move || controller.unload());
    controller.tick();
    controller.dispatch(Event::Opened);

    let phase = controller.phase();
    let now = controller.now();
    let log_in: LogIn =
        Callback::new(move |credentials| Box::pin(controller.log_in(credentials)) as _);
    // Refresh (header) and Retry (status line) do the same.
    let load = Callback::new(move |()| controller.load());

    let header = dom::html(HEADER);
    let main = dom::html(MAIN);
    SessionBar {
        signed_in: controller.signed_in(),
        identity: controller.identity(),
        session: controller.session(),
        now,
        loading: controller.loading(),
        storage_warning: controller.storage_warning(),
        on_refresh: load,
        on_log_out: Callback::new(move |()| controller.log_out()),
    }
    .view()
    .insert(&header, None);
    // Re-runs only when `signed_in` changes.
    dom::switch(
        &main,
        None,
        Box::new(move || {
            if controller.signed_in().get() {
                vec![
                    LoadStatus {
                        phase,
                        stale: controller.stale(),
                        now,
                        on_retry: load,
                    }
                    .view(),
                    DataTable {
                        title: title.clone(),
                        dataset: controller.dataset(),
                        preview: Some(controller.preview()),
                        state: table,
                        on_server_page: Some(Callback::new(move |(page, per_page)| {
                            controller.load_page(page, per_page)
                        })),
                    }
                    .view(),
                ]
            } else {
                vec![
                    LoginForm {
                        identity_label: identity_label.clone(),
                        identity_is_email,
                        notice: controller.login_notice(),
                        log_in,
                        hint_url: hint_url.clone(),
                        now,
                    }
                    .view(),
                ]
            }
        }),
    );
    TimelinePanel {
        timeline: controller.timeline(),
    }
    .view()
    .insert(&main, None);
    let fragment = document().create_document_fragment();
    let _ = fragment.append_child(&header);
    let _ = fragment.append_child(&main);
    Markup::nodes(fragment, header.into(), main.into())
}

/// The page's main part: the status line, the table or the login form,
/// and the timeline.
const MAIN: &str = r#"<main class="app-main" tabindex="-1"></main>"#;

/// The page's header; the session bar goes after the title.
const HEADER: &str = r#"<header class="app-header"><h1>tokengrid</h1></header>"#;
