//! The top-level component and the page controller that wires the auth
//! client to signals, timers and browser events.
//!
//! The controller is the only place that turns client results and browser
//! events (storage, visibility, online) into page state; components read
//! its signals and call its methods.

use crate::auth::env::BrowserEnvironment;
use crate::auth::{
    ApiClient, ApiError, ClientEvent, Credentials, SessionState, store::LocalStorageStore,
    transport::FetchTransport,
};
use crate::components::{ConfigProblem, LoadStatus, LoginForm, SessionBar, TimelinePanel};
use crate::config::{self, Config, ConfigError};
use crate::retry;
use crate::table::query::server_page_url;
use crate::table::{Dataset, TableState, view::DataTable};
use crate::timeline::{EntryKind, Timeline};
use futures::future::{AbortHandle, abortable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

/// The most rows whose sort ranks and search text are built in idle time.
pub const PREPARE_MAX_ROWS: usize = 20_000;

/// The client as the browser uses it.
pub type BrowserClient = ApiClient<FetchTransport, LocalStorageStore, BrowserEnvironment>;

/// Where a data load stands.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadPhase {
    /// Nothing in flight.
    Idle,
    /// A request is in flight.
    Loading,
    /// The last load failed with this message; any earlier table stays
    /// shown. The way forward is the Retry button.
    Failed(String),
    /// The last load failed with this message and the page tries again by
    /// itself at `at` (wall-clock ms); see [`crate::retry`].
    Retrying {
        /// What went wrong.
        message: String,
        /// When the next try starts.
        at: f64,
    },
}

/// Page state and the actions on it. `Copy`: every field is an arena handle.
#[derive(Clone, Copy)]
pub struct Controller {
    client: StoredValue<Rc<BrowserClient>, LocalStorage>,
    config: StoredValue<Config>,
    /// Whether the table side (not the login form) is shown.
    pub signed_in: RwSignal<bool>,
    /// Why the login form is shown (session expired, refused token…).
    pub login_notice: RwSignal<Option<String>>,
    /// The last table that loaded successfully.
    pub dataset: RwSignal<Option<Arc<Dataset>>>,
    /// The current load.
    pub phase: RwSignal<LoadPhase>,
    /// Who is signed in, when known (not after a reload).
    pub identity: RwSignal<Option<String>>,
    /// Set when the browser refused to persist the token.
    pub storage_warning: RwSignal<Option<String>>,
    /// The session as the client sees it, refreshed on every client event
    /// and every second.
    pub session: RwSignal<SessionState>,
    /// Wall-clock now, ticking every second, for countdowns.
    pub now: RwSignal<f64>,
    /// What the client did.
    pub timeline: RwSignal<Timeline>,
    /// Sort, search, filters, page, page size and hidden columns: kept
    /// across refreshes and re-logins.
    pub table: RwSignal<TableState>,
    /// The data URL of the current load: the configured one, or the same
    /// with `page`/`per_page` for a server-paged endpoint.
    data_url: RwSignal<String>,
    generation: StoredValue<u64>,
    current_load: StoredValue<Option<AbortHandle>>,
    renewal_timer: StoredValue<Option<TimeoutHandle>>,
    retry_timer: StoredValue<Option<TimeoutHandle>>,
}

impl Controller {
    fn new(config: Config) -> Self {
        let store = LocalStorageStore::new(config.storage_key.clone());
        let origin = window().location().origin().ok();
        let settings = config.auth_settings(origin.as_deref());
        let client = Rc::new(ApiClient::new(
            settings,
            FetchTransport,
            store,
            BrowserEnvironment,
        ));
        let signed_in = client.has_token();
        let session = client.session();
        let data_url = config.data_url.clone();
        let controller = Self {
            client: StoredValue::new_local(client.clone()),
            config: StoredValue::new(config),
            signed_in: RwSignal::new(signed_in),
            login_notice: RwSignal::new(None),
            dataset: RwSignal::new(None),
            phase: RwSignal::new(LoadPhase::Idle),
            identity: RwSignal::new(None),
            storage_warning: RwSignal::new(None),
            session: RwSignal::new(session),
            now: RwSignal::new(js_sys::Date::now()),
            timeline: RwSignal::new(Timeline::default()),
            table: RwSignal::new(TableState::default()),
            data_url: RwSignal::new(data_url),
            generation: StoredValue::new(0),
            current_load: StoredValue::new(None),
            renewal_timer: StoredValue::new(None),
            retry_timer: StoredValue::new(None),
        };
        client.set_observer(move |event| controller.on_client_event(event));
        controller
    }

    /// The configuration.
    pub fn config<R>(&self, f: impl FnOnce(&Config) -> R) -> R {
        self.config.with_value(f)
    }

    fn client(&self) -> Rc<BrowserClient> {
        self.client.get_value()
    }

    fn on_client_event(self, event: &ClientEvent) {
        let now = js_sys::Date::now();
        // The observer may outlive the page's reactive owner during teardown.
        let _ = self.timeline.try_update(|t| t.record(now, event));
        self.refresh_session();
        if matches!(
            event,
            ClientEvent::Renewed(_) | ClientEvent::Adopted | ClientEvent::LoggedIn
        ) {
            self.schedule_renewal();
        }
    }

    fn refresh_session(self) {
        let session = self.client().session();
        let _ = self.session.try_set(session);
    }

    /// Loads the data (a user action: open, Refresh, Retry). A newer load
    /// supersedes an older one still in flight: the older one is aborted
    /// (its `fetch` too).
    pub fn load(self) {
        self.load_attempt(0);
    }

    /// Loads the data; `retries` automatic retries were already made for
    /// the user action this load belongs to.
    fn load_attempt(self, retries: usize) {
        self.cancel_retry_timer();
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.phase.set(LoadPhase::Loading);
        let client = self.client();
        let url = self.data_url.get_untracked();
        let (task, handle) = abortable(async move {
            let result = client.get_json(&url).await;
            if self.generation.get_value() != generation {
                return;
            }
            match result {
                Ok(json) => match Dataset::from_json(json) {
                    Ok(dataset) => {
                        let dataset = Arc::new(dataset);
                        self.dataset.set(Some(dataset.clone()));
                        self.phase.set(LoadPhase::Idle);
                        self.prepare_in_idle_time(dataset, generation, 0);
                    }
                    Err(e) => self.phase.set(LoadPhase::Failed(e.to_string())),
                },
                Err(e) if e.needs_login() => self.show_login(Some(e.to_string())),
                Err(e) => self.failed(e, retries),
            }
            self.schedule_renewal();
        });
        self.replace_load(Some(handle));
        spawn_local(async move {
            let _ = task.await;
        });
    }

    /// A load failed: retry by itself when [`retry::after_failure`] says so,
    /// else wait for the user.
    fn failed(self, error: ApiError, retries: usize) {
        match retry::after_failure(&error, retries) {
            retry::Next::RetryAfter(delay) => {
                let at = js_sys::Date::now() + delay.as_secs_f64() * 1000.0;
                self.phase.set(LoadPhase::Retrying {
                    message: error.to_string(),
                    at,
                });
                let handle = set_timeout_with_handle(move || self.load_attempt(retries + 1), delay);
                let _ = self.retry_timer.try_set_value(handle.ok());
            }
            retry::Next::WaitForUser => self.phase.set(LoadPhase::Failed(error.to_string())),
        }
    }

    fn cancel_retry_timer(self) {
        if let Some(handle) = self.retry_timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }

    /// Ranks each column for sorting and builds the search text while the
    /// browser is idle, one column per idle callback, so the first click on
    /// a header or the first keystroke in the search box only sorts or
    /// scans. Up to [`PREPARE_MAX_ROWS`] rows; beyond, the work is done on
    /// first use (a single column of 100,000 rows would be a long task).
    fn prepare_in_idle_time(self, dataset: Arc<Dataset>, generation: u64, step: usize) {
        if dataset.rows.len() > PREPARE_MAX_ROWS || step > dataset.columns.len() {
            return;
        }
        request_idle_callback(move || {
            if self.generation.try_get_value() != Some(generation) {
                return; // a newer load replaced this dataset
            }
            if step < dataset.columns.len() {
                dataset.prepare_sort(step);
            } else {
                dataset.prepare_search();
            }
            self.prepare_in_idle_time(dataset.clone(), generation, step + 1);
        });
    }

    /// Loads page `page` (1-based) of `per_page` rows of a server-paged
    /// endpoint, through the auth client like every request.
    pub fn load_page(self, page: u64, per_page: u64) {
        let url = self.config(|c| server_page_url(&c.data_url, page, per_page));
        self.data_url.set(url);
        self.load();
    }

    fn replace_load(self, handle: Option<AbortHandle>) {
        if let Some(previous) = self
            .current_load
            .try_update_value(|slot| std::mem::replace(slot, handle))
            .flatten()
        {
            previous.abort();
        }
    }

    /// Logs in with the form's credentials; on success shows and loads the table.
    pub async fn log_in(self, credentials: Credentials) -> Result<(), ApiError> {
        let identity = credentials.identity().to_owned();
        let client = self.client();
        client.log_in(credentials).await?;
        if self
            .identity
            .get_untracked()
            .is_some_and(|previous| previous != identity)
        {
            // Someone else's rows must not show while the new user's load.
            self.dataset.set(None);
        }
        self.identity.set(Some(identity));
        self.storage_warning
            .set(client.storage_warning().map(|w| w.to_string()));
        self.login_notice.set(None);
        self.signed_in.set(true);
        self.load();
        Ok(())
    }

    /// Forgets the token, the credentials and the rows; shows the form.
    pub fn log_out(self) {
        self.client().log_out();
        self.signed_out(None);
    }

    fn signed_out(self, notice: Option<String>) {
        self.dataset.set(None);
        self.identity.set(None);
        self.show_login(notice);
    }

    fn show_login(self, notice: Option<String>) {
        // Cancel any load in flight: its result belongs to the old session.
        self.generation.update_value(|g| *g += 1);
        self.replace_load(None);
        self.cancel_renewal_timer();
        self.cancel_retry_timer();
        self.phase.set(LoadPhase::Idle);
        self.login_notice.set(notice);
        self.signed_in.set(false);
        self.refresh_session();
    }

    /// Sets a timer for the client's next renewal ahead of expiry.
    fn schedule_renewal(self) {
        self.cancel_renewal_timer();
        let Some(at) = self.client().next_renewal() else {
            return;
        };
        let delay = (at - js_sys::Date::now()).clamp(0.0, f64::from(i32::MAX));
        let handle = set_timeout_with_handle(
            move || self.renew_if_due(),
            Duration::from_millis(delay as u64),
        );
        let _ = self.renewal_timer.try_set_value(handle.ok());
    }

    fn cancel_renewal_timer(self) {
        if let Some(handle) = self.renewal_timer.try_update_value(Option::take).flatten() {
            handle.clear();
        }
    }

    /// Renews if due — by the wall clock, so a timer that fired late
    /// (sleep, a throttled background tab) still does the right thing.
    fn renew_if_due(self) {
        if document().visibility_state() == web_sys::VisibilityState::Hidden {
            // A hidden tab waits: visibilitychange re-checks. Another tab
            // may renew meanwhile and this one adopts its token.
            return;
        }
        let client = self.client();
        spawn_local(async move {
            if let Err(e) = client.renew_if_due().await
                && e.needs_login()
            {
                self.show_login(Some(e.to_string()));
                return;
            }
            self.schedule_renewal();
        });
    }

    /// The page became visible or the network came back: re-check by the
    /// wall clock.
    fn wake(self) {
        self.refresh_session();
        if self.signed_in.get_untracked() {
            self.renew_if_due();
            // Back online: a load that is waiting to retry goes now.
            if matches!(self.phase.get_untracked(), LoadPhase::Retrying { .. }) {
                self.load();
            }
        }
    }

    /// Another tab changed the token in `localStorage`.
    fn storage_changed(self, new_token: Option<String>) {
        let now = js_sys::Date::now();
        match new_token {
            None => {
                self.timeline
                    .update(|t| t.note(now, EntryKind::Session, "signed out in another tab"));
                self.client().forget_credentials();
                if self.signed_in.get_untracked() {
                    self.signed_out(Some("You logged out in another tab.".into()));
                }
            }
            Some(_) => {
                self.timeline
                    .update(|t| t.note(now, EntryKind::Session, "token adopted from another tab"));
                self.refresh_session();
                if !self.signed_in.get_untracked() && self.client().has_token() {
                    self.login_notice.set(None);
                    self.signed_in.set(true);
                    self.load();
                } else {
                    self.schedule_renewal();
                }
            }
        }
    }
}

/// The whole page.
#[component]
pub fn App() -> impl IntoView {
    match read_config() {
        Ok(config) => view! { <Workspace config/> }.into_any(),
        Err(error) => view! { <ConfigProblem error/> }.into_any(),
    }
}

fn read_config() -> Result<Config, ConfigError> {
    let text = document()
        .get_element_by_id(config::ELEMENT_ID)
        .and_then(|element| element.text_content())
        .ok_or(ConfigError::Missing)?;
    Config::from_json(&text)
}

#[component]
fn Workspace(config: Config) -> impl IntoView {
    let title = config.title.clone();
    let storage_key = config.storage_key.clone();
    let controller = Controller::new(config);
    provide_context(controller);

    let storage = window_event_listener(leptos::ev::storage, move |event| {
        // A `clear()` elsewhere has no key: it removed the token too.
        if event.key().is_none_or(|key| key == storage_key) {
            controller.storage_changed(event.new_value().filter(|_| event.key().is_some()));
        }
    });
    let visible = window_event_listener(leptos::ev::visibilitychange, move |_| controller.wake());
    let online = window_event_listener(leptos::ev::online, move |_| controller.wake());
    let ticker = set_interval_with_handle(
        move || {
            controller.now.set(js_sys::Date::now());
            controller.refresh_session();
        },
        Duration::from_secs(1),
    )
    .ok();
    on_cleanup(move || {
        storage.remove();
        visible.remove();
        online.remove();
        if let Some(ticker) = ticker {
            ticker.clear();
        }
        controller.replace_load(None);
        controller.cancel_renewal_timer();
        controller.cancel_retry_timer();
    });

    if controller.signed_in.get_untracked() {
        controller.load();
    }
    view! {
        <header class="app-header">
            <h1>"tokengrid"</h1>
            <SessionBar/>
        </header>
        <main class="app-main">
            // A plain closure rather than <Show>: the same switch, less code
            // in the bundle. It re-runs only when `signed_in` changes.
            {move || if controller.signed_in.get() {
                view! {
                    <LoadStatus/>
                    <DataTable
                        title=title.clone()
                        dataset=controller.dataset.into()
                        state=controller.table
                        on_server_page=Callback::new(move |(page, per_page)| controller.load_page(page, per_page))
                    />
                }
                .into_any()
            } else {
                view! { <LoginForm/> }.into_any()
            }}
            <TimelinePanel/>
        </main>
    }
}
