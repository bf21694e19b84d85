//! The page's state machine: whether the table or the login form shows,
//! the data load in progress, automatic retries, and what to do when the
//! session changes. Pure: no Leptos, no browser; tested natively.
//!
//! [`PageState::handle`] takes an [`Event`] (a user action, a load's
//! answer, a timer, a browser or session change) and the wall-clock time,
//! updates what the page shows, and returns the [`Effect`]s — requests,
//! aborts, timers — for the `app::Controller` to carry out. The controller
//! mirrors the state into signals and does nothing else on its own.
//!
//! * Each load gets a new *generation*; an answer for an older generation
//!   is dropped, and a newer load aborts the older one still in flight.
//! * A failed load keeps the last good rows on screen, marked stale, and
//!   retries by itself as [`crate::retry`] says; coming back online or
//!   visible brings the next retry forward. Each user action has one
//!   budget of [`retry::MAX_REQUESTS_PER_ACTION`] data requests: every
//!   automatic retry, every replay after a renewal and every retry a
//!   wake-up brings forward is paid from it, and the counts start again
//!   only with the next user action.
//! * Logging out, another tab logging out, and the page going away abort
//!   the load in flight and cancel the timers; rows are cleared when the
//!   user logs out or another user logs in.

use crate::auth::ApiError;
use crate::retry::{self, Next};
use crate::table::query::server_page_url;

mod session_text;
pub use session_text::{describe_session, duration_text, retry_countdown};

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

/// Why a load produced no rows.
#[derive(Debug, Clone, PartialEq)]
pub enum LoadFailure {
    /// The request failed: retried, shown, or the login form, by kind.
    Api(ApiError),
    /// The answer arrived but is not a table: shown, never retried.
    Data(String),
}

/// Something that happened to the page.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<D> {
    /// The page opened (with a stored token or without).
    Opened,
    /// The user asked for the data: Refresh or Retry.
    Load,
    /// The user asked for page `page` (1-based) of `per_page` rows of a
    /// server-paged endpoint.
    LoadPage {
        /// 1-based page number.
        page: u64,
        /// Rows per page.
        per_page: u64,
    },
    /// The answer to load `generation`.
    Loaded {
        /// The generation of the [`Effect::StartRequest`] it answers.
        generation: u64,
        /// How many data requests the load sent: 1, 2 with a replay after
        /// a renewal, 0 when nothing could be sent.
        sent: u32,
        /// The rows, or why there are none.
        result: Result<D, LoadFailure>,
    },
    /// The retry timer set by [`Effect::ScheduleRetry`] fired.
    RetryDue,
    /// The page became visible or hidden, or the network came back.
    Wake {
        /// Whether the page is hidden now.
        hidden: bool,
    },
    /// The renewal timer set for [`Effect::ScheduleRenewal`] fired.
    RenewalDue {
        /// Whether the page is hidden now: a hidden tab waits (another tab
        /// may renew meanwhile, and this one adopts its token).
        hidden: bool,
    },
    /// [`Effect::Renew`] finished.
    Renewed(Result<(), ApiError>),
    /// The client stored a new token (login, renewal, adoption).
    TokenChanged,
    /// The user logged in on the form.
    LoggedIn {
        /// Who logged in.
        identity: String,
        /// Set when the browser refused to persist the token.
        storage_warning: Option<String>,
    },
    /// The user pressed Log out.
    LoggedOut,
    /// Another tab removed the token.
    LoggedOutElsewhere,
    /// Another tab stored a token.
    TokenStoredElsewhere {
        /// Whether a usable token is stored now.
        has_token: bool,
    },
    /// The page is going away.
    Unload,
}

/// Something for the controller to do.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Request `url` and answer with [`Event::Loaded`] for `generation`.
    StartRequest {
        /// The load this request belongs to.
        generation: u64,
        /// The data URL.
        url: String,
        /// Whether the request may be repeated after a 401 and renewal:
        /// not when the action has only one request left.
        replay: bool,
    },
    /// Abort the request in flight (its `fetch` too).
    AbortCurrent,
    /// Set the retry timer to send [`Event::RetryDue`] at `at` (wall-clock ms).
    ScheduleRetry {
        /// When to retry.
        at: f64,
    },
    /// Clear the retry timer.
    CancelRetry,
    /// Set the renewal timer for the client's next renewal, if it has one.
    ScheduleRenewal,
    /// Clear the renewal timer.
    CancelRenewal,
    /// Renew the token if due, and answer with [`Event::Renewed`].
    Renew,
    /// Re-read the client's session state.
    RefreshSession,
    /// Prepare the rows of load `generation` for sorting and search in
    /// idle time, unless a newer load replaces them first.
    PrepareRows {
        /// The load whose rows to prepare.
        generation: u64,
    },
}

/// What the page shows and the load in progress. `D` is the table's rows.
#[derive(Debug, Clone, PartialEq)]
pub struct PageState<D> {
    base_url: String,
    url: String,
    generation: u64,
    retries: usize,
    /// Data requests sent for the current user action.
    sent: u32,
    signed_in: bool,
    login_notice: Option<String>,
    rows: Option<D>,
    phase: LoadPhase,
    identity: Option<String>,
    storage_warning: Option<String>,
}

/// The notice on the form after another tab logged out.
pub const LOGGED_OUT_ELSEWHERE: &str = "You logged out in another tab.";

impl<D> PageState<D> {
    /// A page that loads from `data_url`, showing the table when a token is
    /// stored (`signed_in`) and the login form otherwise.
    pub fn new(data_url: impl Into<String>, signed_in: bool) -> Self {
        let base_url = data_url.into();
        Self {
            url: base_url.clone(),
            base_url,
            generation: 0,
            retries: 0,
            sent: 0,
            signed_in,
            login_notice: None,
            rows: None,
            phase: LoadPhase::Idle,
            identity: None,
            storage_warning: None,
        }
    }

    /// The page opens with `notice` on the login form — why a stored value
    /// could not be used, for example.
    #[must_use]
    pub fn with_login_notice(mut self, notice: Option<String>) -> Self {
        self.login_notice = notice;
        self
    }

    /// Whether the table side (not the login form) is shown.
    pub fn signed_in(&self) -> bool {
        self.signed_in
    }

    /// Why the login form is shown (session expired, refused token…).
    pub fn login_notice(&self) -> Option<&str> {
        self.login_notice.as_deref()
    }

    /// The last rows that loaded successfully.
    pub fn rows(&self) -> Option<&D> {
        self.rows.as_ref()
    }

    /// The current load.
    pub fn phase(&self) -> &LoadPhase {
        &self.phase
    }

    /// Whether the rows on screen are from an earlier load: the last one
    /// failed, and the table stays under a note.
    pub fn is_stale(&self) -> bool {
        self.rows.is_some()
            && matches!(
                self.phase,
                LoadPhase::Failed(_) | LoadPhase::Retrying { .. }
            )
    }

    /// Who logged in on this page; unknown after a reload.
    pub fn identity(&self) -> Option<&str> {
        self.identity.as_deref()
    }

    /// Why the token lives in memory only, if it does.
    pub fn storage_warning(&self) -> Option<&str> {
        self.storage_warning.as_deref()
    }

    /// The current load's generation: rows of any other are outdated.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The data URL loads use: the configured one, or the same with
    /// `page`/`per_page` after [`Event::LoadPage`].
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Applies `event`, which happened at `now_ms` (wall-clock ms), and
    /// returns what to do, in order.
    pub fn handle(&mut self, event: Event<D>, now_ms: f64) -> Vec<Effect> {
        let mut effects = Vec::new();
        let fx = &mut effects;
        match event {
            Event::Opened => {
                if self.signed_in {
                    self.start_load(0, fx);
                }
            }
            Event::Load => self.start_load(0, fx),
            Event::LoadPage { page, per_page } => {
                self.url = server_page_url(&self.base_url, page, per_page);
                self.start_load(0, fx);
            }
            Event::Loaded {
                generation,
                sent,
                result,
            } => {
                if generation == self.generation && self.phase == LoadPhase::Loading {
                    self.sent = self.sent.saturating_add(sent);
                    self.loaded(result, now_ms, fx);
                }
            }
            Event::RetryDue => {
                if matches!(self.phase, LoadPhase::Retrying { .. }) {
                    // The timer has fired: nothing to cancel.
                    self.phase = LoadPhase::Idle;
                    self.start_load(self.retries + 1, fx);
                }
            }
            Event::Wake { hidden } => {
                fx.push(Effect::RefreshSession);
                if self.signed_in {
                    if !hidden {
                        fx.push(Effect::Renew);
                    }
                    // Back online: the retry that was waiting goes now, as
                    // the next retry of the same action (never a fresh
                    // budget: waking up repeatedly must not add requests).
                    if matches!(self.phase, LoadPhase::Retrying { .. }) {
                        self.start_load(self.retries + 1, fx);
                    }
                }
            }
            Event::RenewalDue { hidden } => {
                if !hidden {
                    fx.push(Effect::Renew);
                }
            }
            Event::Renewed(Err(error)) if error.needs_login() => {
                self.show_login(Some(error.to_string()), fx);
            }
            Event::Renewed(_) | Event::TokenChanged => fx.push(Effect::ScheduleRenewal),
            Event::LoggedIn {
                identity,
                storage_warning,
            } => {
                if self
                    .identity
                    .as_ref()
                    .is_none_or(|known| *known != identity)
                {
                    // Someone else's rows must not show while the new user's
                    // load: rows whose owner is unknown (loaded from a stored
                    // token after a reload) may be someone else's too.
                    self.rows = None;
                }
                self.identity = Some(identity);
                self.storage_warning = storage_warning;
                self.login_notice = None;
                self.signed_in = true;
                self.start_load(0, fx);
            }
            Event::LoggedOut => self.signed_out(None, fx),
            Event::LoggedOutElsewhere => {
                if self.signed_in {
                    self.signed_out(Some(LOGGED_OUT_ELSEWHERE.to_owned()), fx);
                }
            }
            Event::TokenStoredElsewhere { has_token } => {
                fx.push(Effect::RefreshSession);
                if !self.signed_in && has_token {
                    self.login_notice = None;
                    self.signed_in = true;
                    self.start_load(0, fx);
                } else {
                    fx.push(Effect::ScheduleRenewal);
                }
            }
            Event::Unload => {
                self.stop(fx);
                fx.push(Effect::CancelRenewal);
            }
        }
        effects
    }

    /// Starts a load, superseding the one in flight; `retries` automatic
    /// retries were already made for the user action it belongs to (0: a
    /// new action, with a whole budget of requests).
    fn start_load(&mut self, retries: usize, fx: &mut Vec<Effect>) {
        self.stop(fx);
        if retries == 0 {
            self.sent = 0;
        }
        self.retries = retries;
        self.phase = LoadPhase::Loading;
        fx.push(Effect::StartRequest {
            generation: self.generation,
            url: self.url.clone(),
            replay: retry::MAX_REQUESTS_PER_ACTION.saturating_sub(self.sent) >= 2,
        });
    }

    /// Ends the current load: its answer, should one still come, is dropped.
    fn stop(&mut self, fx: &mut Vec<Effect>) {
        self.generation += 1;
        match self.phase {
            LoadPhase::Loading => fx.push(Effect::AbortCurrent),
            LoadPhase::Retrying { .. } => fx.push(Effect::CancelRetry),
            LoadPhase::Idle | LoadPhase::Failed(_) => {}
        }
        self.phase = LoadPhase::Idle;
    }

    fn loaded(&mut self, result: Result<D, LoadFailure>, now_ms: f64, fx: &mut Vec<Effect>) {
        // The request has answered: nothing is in flight any more.
        self.phase = LoadPhase::Idle;
        match result {
            Ok(rows) => {
                self.rows = Some(rows);
                fx.push(Effect::PrepareRows {
                    generation: self.generation,
                });
            }
            Err(LoadFailure::Data(message)) => self.phase = LoadPhase::Failed(message),
            Err(LoadFailure::Api(error)) if error.needs_login() => {
                self.show_login(Some(error.to_string()), fx);
                return;
            }
            Err(LoadFailure::Api(error)) => {
                let message = error.to_string();
                let budget_left = self.sent < retry::MAX_REQUESTS_PER_ACTION;
                self.phase = match retry::after_failure(&error, self.retries) {
                    Next::RetryAfter(delay) if budget_left => {
                        let at = now_ms + delay.as_secs_f64() * 1000.0;
                        fx.push(Effect::ScheduleRetry { at });
                        LoadPhase::Retrying { message, at }
                    }
                    Next::RetryAfter(_) | Next::WaitForUser => LoadPhase::Failed(message),
                };
            }
        }
        // A 401 on the way may have taught the client the token's lifetime.
        fx.push(Effect::ScheduleRenewal);
    }

    fn signed_out(&mut self, notice: Option<String>, fx: &mut Vec<Effect>) {
        self.rows = None;
        self.identity = None;
        self.show_login(notice, fx);
    }

    /// Shows the form. Any load in flight is aborted: its answer belongs to
    /// the old session. The last rows stay for the same user's return.
    fn show_login(&mut self, notice: Option<String>, fx: &mut Vec<Effect>) {
        self.stop(fx);
        fx.push(Effect::CancelRenewal);
        self.login_notice = notice;
        self.signed_in = false;
        fx.push(Effect::RefreshSession);
    }
}

/// Milliseconds from `now_ms` until `at_ms` for a timer: 0 when it is past.
pub fn delay_ms(at_ms: f64, now_ms: f64) -> u32 {
    // `as` saturates: anything beyond u32 range waits the longest it can.
    (at_ms - now_ms).max(0.0) as u32
}

#[cfg(test)]
mod tests;
