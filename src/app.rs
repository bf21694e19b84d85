//! The top-level component and the page controller that wires the auth
//! client to signals.
//!
//! The controller is the only place that turns client results into page
//! state; components read its signals and call its methods.

use crate::auth::{
    ApiClient, ApiError, Credentials, store::LocalStorageStore, transport::FetchTransport,
};
use crate::components::{ConfigProblem, LoadStatus, LoginForm, SessionBar};
use crate::config::{self, Config, ConfigError};
use crate::table::{Dataset, view::DataTable};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use std::sync::Arc;

/// The client as the browser uses it.
pub type BrowserClient = ApiClient<FetchTransport, LocalStorageStore>;

/// Where a data load stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadPhase {
    /// Nothing in flight.
    Idle,
    /// A request is in flight.
    Loading,
    /// The last load failed with this message; any earlier table stays shown.
    Failed(String),
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
    generation: StoredValue<u64>,
}

impl Controller {
    fn new(config: Config) -> Self {
        let store = LocalStorageStore::new(config.storage_key.clone());
        let client = Rc::new(ApiClient::new(
            config.auth_settings(),
            FetchTransport,
            store,
        ));
        let signed_in = client.has_token();
        Self {
            client: StoredValue::new_local(client),
            config: StoredValue::new(config),
            signed_in: RwSignal::new(signed_in),
            login_notice: RwSignal::new(None),
            dataset: RwSignal::new(None),
            phase: RwSignal::new(LoadPhase::Idle),
            identity: RwSignal::new(None),
            storage_warning: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// The configuration.
    pub fn config<R>(&self, f: impl FnOnce(&Config) -> R) -> R {
        self.config.with_value(f)
    }

    /// Loads the data. A newer load supersedes an older one still in
    /// flight: the older result is dropped.
    pub fn load(self) {
        let generation = self.generation.get_value() + 1;
        self.generation.set_value(generation);
        self.phase.set(LoadPhase::Loading);
        let client = self.client.get_value();
        let url = self.config(|c| c.data_url.clone());
        spawn_local(async move {
            let result = client.get_json(&url).await;
            if self.generation.get_value() != generation {
                return;
            }
            match result {
                Ok(json) => match Dataset::from_json(json) {
                    Ok(dataset) => {
                        self.dataset.set(Some(Arc::new(dataset)));
                        self.phase.set(LoadPhase::Idle);
                    }
                    Err(e) => self.phase.set(LoadPhase::Failed(e.to_string())),
                },
                Err(e) if e.needs_login() => self.show_login(Some(e.to_string())),
                Err(e) => self.phase.set(LoadPhase::Failed(e.to_string())),
            }
        });
    }

    /// Logs in with the form's credentials; on success shows and loads the table.
    pub async fn log_in(self, credentials: Credentials) -> Result<(), ApiError> {
        let identity = credentials.identity().to_owned();
        let client = self.client.get_value();
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
        self.client.with_value(|c| c.log_out());
        self.dataset.set(None);
        self.identity.set(None);
        self.show_login(None);
    }

    fn show_login(self, notice: Option<String>) {
        // Invalidate any load in flight: its result belongs to the old session.
        self.generation.update_value(|g| *g += 1);
        self.phase.set(LoadPhase::Idle);
        self.login_notice.set(notice);
        self.signed_in.set(false);
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
    let controller = Controller::new(config);
    provide_context(controller);
    if controller.signed_in.get_untracked() {
        controller.load();
    }
    view! {
        <header class="app-header">
            <h1>"tokengrid"</h1>
            <SessionBar/>
        </header>
        <main class="app-main">
            <Show
                when=move || controller.signed_in.get()
                fallback=|| view! { <LoginForm/> }
            >
                <LoadStatus/>
                <DataTable title=title.clone() dataset=controller.dataset.into()/>
            </Show>
        </main>
    }
}
