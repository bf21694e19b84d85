//! [`ApiClient`]: attaches the bearer token (to API origins only), renews it
//! ahead of expiry when it can, and when the API answers 401 logs in again
//! with the credentials held in memory and replays the request — once.
//!
//! ```text
//!  send(req) ──► valid URL? ──no──► error "not a valid URL", nothing sent
//!                  │yes
//!                  ▼
//!             API origin? ──no──► send without Authorization, no renewal
//!                  │yes
//!                  ▼
//!            token? ──no──► NeedsLogin (form)
//!                  │yes        (due for renewal and credentials held → renew ahead first)
//!                  ▼
//!            req + Bearer t ──► not 401 ──► done
//!                  │401
//!                  ▼
//!       renew(t): tab mutex → cross-tab lock → stored token ≠ t? ──yes──► use it (CAS)
//!                  │no
//!                  ▼
//!   refresh token kept? ──yes──► POST refresh ──token t' (a new refresh token replaces
//!                  │no              │             the old one at once)──► replay below
//!                  │                ├─refused (400/401/403): forget it, fall through
//!                  │                └─no answer / 5xx: keep it, error
//!                  ▼
//!          credentials? ──no──► NeedsLogin        breaker: > N silent logins/min ──► TooManyRenewals
//!                  │yes                               (ahead of expiry: RenewalPaused, token kept)
//!                  │yes                               a refresh and a login count alike
//!                  ▼
//!        POST login ──refused──► NeedsLogin with the server's message
//!                  │token t'
//!                  ▼
//!  POST/PATCH not marked idempotent ──► NotReplayed (token renewed, request not repeated)
//!                  │
//!            req + Bearer t' ──401──► NeedsLogin (never a second replay)
//!                  │
//!                  ▼
//!                 done
//! ```
//!
//! Per call of [`ApiClient::send`] at most three requests go out: the
//! request, one login, one replay (four when a renewal ahead of expiry
//! precedes a request that still gets a 401, and one more when a refused
//! refresh falls back to the password). The refresh token is read inside
//! the cross-tab lock every time, so no refresh token is ever sent twice by
//! this tab or another one on the same storage. A renewal ahead of expiry
//! also asks again, inside the lock, whether the stored token is due: another
//! tab's writes arrive a key at a time, and its new token seen before its
//! receipt time looks due when it is not.
//!
//! The client holds the flow and the credentials; the decisions live in
//! small parts with their own tests: [`RenewalSchedule`] says when to renew
//! ahead, [`Breaker`] caps silent logins per minute — every login the user
//! did not ask for, ahead of expiry or after a 401 (a token another tab
//! stored is adopted, not counted) — [`SingleFlight`] runs
//! one renewal at a time and hands its failure to the requests queued
//! behind it, and [`decode`] turns answers into tokens, JSON or an
//! [`ApiError`].

use super::body::{self, BodyFormat};
use super::breaker::Breaker;
use super::decode;
use super::env::Environment;
use super::error::ApiError;
use super::events::{ClientEvent, RenewReason};
use super::origin::{ApiOrigins, Origin, UrlError};
use super::refresh::{self, RefreshSettings, Rotation};
use super::schedule::RenewalSchedule;
use super::session::{Credentials, SessionState};
use super::single_flight::SingleFlight;
use super::store::{KeptRefresh, StoreError, StoredToken, TokenStore};
use super::token::TokenPath;
use super::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// What the client needs to know about the login endpoint and the API.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthSettings {
    /// The login endpoint (`POST`, body in `login_body_format`).
    pub login_url: String,
    /// How the login body is written: JSON or form-encoded.
    pub login_body_format: BodyFormat,
    /// Fields added to every login body after the identity and the password
    /// (`grant_type=password` for an OAuth 2.0 password grant).
    pub login_extra_fields: Vec<(String, String)>,
    /// Where the token sits in the login response.
    pub token_path: TokenPath,
    /// The login body's field for the identity (`email`).
    pub identity_field: String,
    /// The login body's field for the password (`password`).
    pub password_field: String,
    /// Statuses that mean "this token is not (or no longer) accepted" and
    /// trigger one re-login and replay. Xano and most backends: `[401]`.
    pub unauthorized_statuses: Vec<u16>,
    /// The API's URLs and the page, which decide the origins the bearer
    /// token may be sent to.
    pub api_origins: ApiOrigins,
    /// The token lifetime from the configuration, for opaque tokens.
    pub lifetime_hint_ms: Option<f64>,
    /// Timeout of each API request.
    pub request_timeout_ms: u32,
    /// Timeout of each login.
    pub login_timeout_ms: u32,
    /// The circuit breaker: at most this many silent logins (ahead of
    /// expiry or after a 401) in any rolling minute.
    pub max_relogins_per_minute: usize,
    /// The most bytes read of any answer, logins included.
    pub max_response_bytes: u64,
    /// The name of the cross-tab renewal lock (one per storage key).
    pub lock_name: String,
    /// The refresh endpoint and its fields; `None`: renewals log in again
    /// with the password held in memory.
    pub refresh: Option<RefreshSettings>,
}

/// Shown when there is no token at all.
pub const NOT_SIGNED_IN: &str = "Log in to load the data.";
/// Shown when the token was rejected and no credentials are in memory
/// (after a page reload, or after logging out in another place).
pub const SESSION_EXPIRED: &str = "Your session has expired. Log in again to continue.";
/// After waiting for another tab's renewal: how often and how long to look
/// for its token to arrive in this tab's view of storage (at most 300 ms).
const SETTLE_POLLS: u32 = 10;
const SETTLE_POLL_MS: u32 = 30;

type Observer = Rc<dyn Fn(&ClientEvent)>;

/// The API client. See the module documentation for the flow.
pub struct ApiClient<T, S, E> {
    settings: AuthSettings,
    /// The origins the bearer token may be sent to, as the environment's
    /// URL parser decided them from the settings.
    api_origins: Vec<Origin>,
    transport: T,
    store: S,
    env: E,
    credentials: RefCell<Option<Credentials>>,
    storage_warning: RefCell<Option<StoreError>>,
    /// One renewal or form login at a time in this tab.
    renewals: SingleFlight,
    renewing: Cell<bool>,
    /// Counts the times this tab forgot the session (a logout here or in
    /// another tab): a renewal whose answer arrives after that stores
    /// nothing, so a logout is never undone by a late answer.
    signed_out: Cell<u64>,
    /// When to renew ahead of expiry.
    schedule: RefCell<RenewalSchedule>,
    /// Caps silent logins per minute.
    breaker: Breaker,
    /// Set when the breaker refused a renewal ahead: no renewal ahead until
    /// the user logs in or [`resume_renewal`](Self::resume_renewal) is called.
    renewal_paused: Cell<bool>,
    next_request_id: Cell<u64>,
    requests_sent: Cell<u64>,
    observer: RefCell<Option<Observer>>,
}

/// The flow, top to bottom: the token to send (renewed ahead when due), the
/// request, and on a 401 one renewal and one replay.
impl<T: Transport, S: TokenStore, E: Environment> ApiClient<T, S, E> {
    /// A client with no credentials in memory.
    pub fn new(settings: AuthSettings, transport: T, store: S, env: E) -> Self {
        let api_origins = settings
            .api_origins
            .resolve(|url, page| env.origin_of(url, page));
        Self {
            api_origins,
            schedule: RefCell::new(RenewalSchedule::new(settings.lifetime_hint_ms)),
            breaker: Breaker::new(settings.max_relogins_per_minute),
            settings,
            transport,
            store,
            env,
            credentials: RefCell::new(None),
            storage_warning: RefCell::new(None),
            renewals: SingleFlight::default(),
            renewing: Cell::new(false),
            signed_out: Cell::new(0),
            renewal_paused: Cell::new(false),
            next_request_id: Cell::new(0),
            requests_sent: Cell::new(0),
            observer: RefCell::new(None),
        }
    }

    /// Sends `request`: with the bearer token when it goes to an API origin,
    /// renewing and replaying once on a 401. Error statuses other than the
    /// unauthorized ones come back as [`ApiError::Http`]; a URL that does
    /// not parse, as [`ApiError::Network`] with nothing sent.
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse, ApiError> {
        if !self.goes_to_api(&request.url)? {
            // Another origin never sees the token, and its 401s are its own.
            let response = self
                .exchange(&request.without_header("Authorization"), None, false)
                .await?;
            return decode::success(response);
        }
        let current = self.current_token().await?;
        let first = self.exchange(&request, Some(&current.token), false).await?;
        if !self.is_unauthorized(first.status) {
            return decode::success(first);
        }
        self.schedule
            .borrow_mut()
            .learn_from_rejection(&current, self.env.now_ms());
        let fresh = self.renew(RenewReason::Rejected, &current.token).await?;
        if !request.may_replay() {
            self.emit(ClientEvent::NotReplayed(request.method));
            return Err(ApiError::NotReplayed(request.method));
        }
        let replay = self.exchange(&request, Some(&fresh.token), true).await?;
        if self.is_unauthorized(replay.status) {
            // A token issued a moment ago is refused too: this is not expiry
            // but an authorization problem. Stop here; never a second replay.
            self.forget_credentials();
            self.forget(&fresh.token);
            return Err(decode::fresh_token_refused(&replay));
        }
        decode::success(replay)
    }

    /// How many requests [`send`](Self::send) has sent in this client's
    /// life, replays included (logins are not counted): the page counts a
    /// user action's requests with it.
    pub fn requests_sent(&self) -> u64 {
        self.requests_sent.get()
    }

    /// `GET url` through [`send`](Self::send), parsed as JSON.
    pub async fn get_json(&self, url: &str) -> Result<Value, ApiError> {
        self.send_for_json(HttpRequest::get(url)).await
    }

    /// `request` through [`send`](Self::send), its answer parsed as JSON.
    pub async fn send_for_json(&self, request: HttpRequest) -> Result<Value, ApiError> {
        let url = request.url.clone();
        let response = self.send(request).await?;
        decode::json(&response, &url)
    }

    /// The token to send: the stored one, renewed first when due and
    /// possible; a token known to be expired with no way to renew it means
    /// the form, without a request.
    async fn current_token(&self) -> Result<StoredToken, ApiError> {
        let stored = self.store.load().ok_or_else(|| self.not_signed_in())?;
        let now = self.env.now_ms();
        if self.next_renewal().is_some_and(|at| now >= at) {
            match self.renew(RenewReason::Ahead, &stored.token).await {
                Ok(fresh) => return Ok(fresh),
                Err(e) if e.needs_login() => return Err(e),
                // A failed renewal ahead is not fatal: the old token may
                // still work, and a 401 will say if not.
                Err(_) => {}
            }
        } else if !self.can_renew()
            && self
                .schedule
                .borrow()
                .expiry_of(&stored)
                .is_some_and(|e| e.is_expired(now))
        {
            self.forget(&stored.token);
            return Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()));
        }
        Ok(stored)
    }

    /// A token to use instead of `stale`: the stored one if another request
    /// or tab already renewed it, else one from a silent login. Requests
    /// that queued behind a renewal that failed fail with its error.
    async fn renew(&self, reason: RenewReason, stale: &str) -> Result<StoredToken, ApiError> {
        self.renewals
            .run(|| {
                self.env.exclusive(&self.settings.lock_name, |contended| {
                    self.renew_locked(reason, stale, contended)
                })
            })
            .await
    }

    async fn renew_locked(
        &self,
        reason: RenewReason,
        stale: &str,
        contended: bool,
    ) -> Result<StoredToken, ApiError> {
        let session = self.signed_out.get();
        if contended {
            // Another tab held the lock, most likely renewing. Its write to
            // localStorage reaches this tab asynchronously, so give it a
            // moment before concluding that nobody renewed.
            for _ in 0..SETTLE_POLLS {
                if self.store.load().is_some_and(|t| t.token != stale) {
                    break;
                }
                self.env.sleep(SETTLE_POLL_MS).await;
            }
        }
        // Compare-and-swap: inside the lock, re-read the store.
        if let Some(current) = self.store.load().filter(|t| t.token != stale) {
            self.emit(ClientEvent::Adopted);
            return Ok(current);
        }
        // Ahead of expiry, "due" was decided outside the lock, maybe from a
        // view that held another tab's new token but not yet its receipt
        // time (storage reaches a tab a key at a time), which makes a fresh
        // token look due. Decide again on what storage holds now.
        if reason == RenewReason::Ahead
            && let Some(current) = self.store.load().filter(|t| !self.due(t))
        {
            self.emit(ClientEvent::Adopted);
            return Ok(current);
        }
        let credentials = self.credentials.borrow().clone();
        // Read inside the lock: another tab may have just rotated it. Only
        // the one that came with the token being renewed is ever sent.
        let refresh_token = self.refresh_for(stale);
        if credentials.is_none() && refresh_token.is_none() {
            if reason == RenewReason::Ahead {
                return self.store.load().ok_or_else(|| self.not_signed_in());
            }
            self.forget(stale);
            return Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()));
        }
        if let Some(refresh_token) = refresh_token {
            let started = self.env.now_ms();
            self.admit(reason, started)?;
            self.emit(ClientEvent::Renewing(reason));
            self.renewing.set(true);
            let result = self.request_refresh(&refresh_token, stale, session).await;
            self.renewing.set(false);
            self.still_signed_in(session)?;
            match result {
                Ok(token) => return Ok(self.renewed(reason, stale, started, token)),
                // Refused (expired, revoked, spent): never send it again.
                // The password, when held, is the fallback; else the form.
                Err(ApiError::LoginRejected { message, .. }) => {
                    self.set_refresh_token(None);
                    self.emit(ClientEvent::RenewFailed(message));
                    if credentials.is_none() {
                        if reason == RenewReason::Rejected {
                            self.forget(stale);
                        }
                        return Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()));
                    }
                }
                // No answer or a server error: the refresh token may still
                // be good, so it is kept for the next try.
                Err(other) => {
                    self.emit(ClientEvent::RenewFailed(other.to_string()));
                    return Err(other);
                }
            }
        }
        let Some(credentials) = credentials else {
            return Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()));
        };
        let started = self.env.now_ms();
        self.admit(reason, started)?;
        self.emit(ClientEvent::Renewing(reason));
        self.renewing.set(true);
        let result = self.request_token(&credentials).await;
        self.renewing.set(false);
        self.still_signed_in(session)?;
        match result {
            Ok((token, rotation)) => {
                self.rotate(rotation, &token);
                Ok(self.renewed(reason, stale, started, token))
            }
            Err(ApiError::LoginRejected { message, .. }) => {
                self.forget_credentials();
                if reason == RenewReason::Rejected {
                    self.forget(stale);
                }
                self.emit(ClientEvent::RenewFailed(message.clone()));
                Err(ApiError::NeedsLogin(message))
            }
            Err(other) => {
                self.emit(ClientEvent::RenewFailed(other.to_string()));
                Err(other)
            }
        }
    }

    /// Whether `stored` is due for renewal ahead of expiry now.
    fn due(&self, stored: &StoredToken) -> bool {
        let now = self.env.now_ms();
        self.schedule
            .borrow()
            .renew_at(stored)
            .is_some_and(|at| now >= at)
    }

    /// Whether the session a renewal started in (`session`, a reading of
    /// `signed_out`) is still the current one; else the user logged out
    /// meanwhile and the renewal's answer must not be stored.
    fn still_signed_in(&self, session: u64) -> Result<(), ApiError> {
        if self.signed_out.get() == session {
            Ok(())
        } else {
            Err(ApiError::NeedsLogin(NOT_SIGNED_IN.into()))
        }
    }

    /// Spends one silent login of the budget all tabs share (a refresh and
    /// a login alike), or says why not. Called inside the cross-tab lock:
    /// no other tab reads or writes the log meanwhile.
    fn admit(&self, reason: RenewReason, now: f64) -> Result<(), ApiError> {
        let mut logins = self.store.silent_logins();
        let Err(count) = self.breaker.admit(now, &mut logins) else {
            self.store.set_silent_logins(&logins);
            return Ok(());
        };
        let error = match reason {
            // Ahead of expiry the token in hand still works: keep it,
            // and stop renewing ahead until the user acts.
            RenewReason::Ahead => {
                self.renewal_paused.set(true);
                ApiError::RenewalPaused { count }
            }
            RenewReason::Rejected => {
                self.forget_credentials();
                ApiError::TooManyRenewals { count }
            }
        };
        self.emit(ClientEvent::RenewFailed(error.to_string()));
        Err(error)
    }

    /// Stores `token`, received by a renewal that started at `started`,
    /// unless another tab stored a newer one meanwhile (possible without a
    /// cross-tab lock): never overwrite that with ours.
    fn renewed(
        &self,
        reason: RenewReason,
        stale: &str,
        started: f64,
        token: String,
    ) -> StoredToken {
        if let Some(newer) = self
            .store
            .load()
            .filter(|t| t.token != stale && t.received_at.is_some_and(|at| at > started))
        {
            self.emit(ClientEvent::Adopted);
            return newer;
        }
        let fresh = StoredToken::new(token, Some(started));
        self.persist(&fresh);
        self.schedule.borrow_mut().logged_in(started);
        self.emit(ClientEvent::Renewed(reason));
        fresh
    }

    /// `POST` the refresh endpoint with `refresh_token` (which goes with the
    /// token `stale`) and take the access token out of its answer. What the
    /// answer says about the refresh token is stored before anything else
    /// happens — no await in between, so nothing can read the spent one.
    async fn request_refresh(
        &self,
        refresh_token: &str,
        stale: &str,
        session: u64,
    ) -> Result<String, ApiError> {
        let settings = &self.settings;
        let Some(refresh) = &settings.refresh else {
            return Err(ApiError::NeedsLogin(SESSION_EXPIRED.into()));
        };
        self.env
            .origin_of(&refresh.url, settings.api_origins.page())
            .map_err(invalid_url)?;
        let mut request = refresh::request(refresh, settings.login_body_format, refresh_token);
        request.timeout_ms = Some(settings.login_timeout_ms);
        let response = self
            .exchange_raw(request, false)
            .await
            .map_err(|e| e.from_token_endpoint("refreshUrl"))?;
        self.still_signed_in(session)?;
        let access = refresh::access_token(&response, refresh, &settings.token_path);
        if response.is_success() {
            // The refresh token goes with the new token; when the answer
            // has no usable token, with the one still stored.
            let with = access.as_deref().unwrap_or(stale);
            match refresh::rotation(&response, &refresh.token_path, Rotation::Keep) {
                // Not rotated: the same refresh token goes with the new token.
                Rotation::Keep => {
                    self.set_refresh_token(Some(&KeptRefresh::new(refresh_token, with)));
                }
                rotation => self.rotate(rotation, with),
            }
        }
        access
    }

    /// The refresh token to renew `access` with, when refresh tokens are on
    /// and the one kept goes with it.
    fn refresh_for(&self, access: &str) -> Option<String> {
        self.settings.refresh.as_ref()?;
        self.store
            .refresh_token()
            .filter(|kept| kept.goes_with(access))
            .map(|kept| kept.token)
    }

    /// Applies what an answer carrying the token `access` says about the
    /// refresh token.
    fn rotate(&self, rotation: Rotation, access: &str) {
        if self.settings.refresh.is_none() {
            return;
        }
        match rotation {
            Rotation::Keep => {}
            Rotation::Replace(token) => {
                self.set_refresh_token(Some(&KeptRefresh::new(token, access)));
            }
            Rotation::Forget => self.set_refresh_token(None),
        }
    }

    fn set_refresh_token(&self, kept: Option<&KeptRefresh>) {
        if let Err(e) = self.store.set_refresh_token(kept) {
            *self.storage_warning.borrow_mut() = Some(e);
        }
    }

    /// One HTTP exchange, with the bearer when `token` is given, the
    /// request's timeout (or the client's), and events either side.
    async fn exchange(
        &self,
        request: &HttpRequest,
        token: Option<&str>,
        replay: bool,
    ) -> Result<HttpResponse, ApiError> {
        self.requests_sent.set(self.requests_sent.get() + 1);
        let mut request = request.clone();
        if let Some(token) = token {
            request = request.with_header("Authorization", &format!("Bearer {token}"));
        }
        request.timeout_ms = Some(
            request
                .timeout_ms
                .unwrap_or(self.settings.request_timeout_ms),
        );
        self.exchange_raw(request, replay).await
    }

    async fn exchange_raw(
        &self,
        mut request: HttpRequest,
        replay: bool,
    ) -> Result<HttpResponse, ApiError> {
        request
            .max_response_bytes
            .get_or_insert(self.settings.max_response_bytes);
        let id = self.next_request_id.get() + 1;
        self.next_request_id.set(id);
        let url = request.url.clone();
        self.emit(ClientEvent::Request {
            id,
            method: request.method,
            url: url.clone(),
            replay,
            bearer: request.header("Authorization").is_some(),
        });
        match self.transport.send(request).await {
            Ok(response) => {
                self.emit(ClientEvent::Response {
                    id,
                    status: response.status,
                });
                Ok(response)
            }
            Err(error) => {
                self.emit(ClientEvent::Failed {
                    id,
                    message: error.to_string(),
                });
                Err(match error {
                    TransportError::Network(detail) => ApiError::Network { url, detail },
                    TransportError::Timeout(ms) => ApiError::Timeout { url, ms },
                    TransportError::TooLarge(limit) => ApiError::TooLarge {
                        url,
                        limit,
                        token_setting: None,
                    },
                })
            }
        }
    }

    /// `POST` the login endpoint and take the token out of its answer, with
    /// what the answer says about a refresh token.
    async fn request_token(
        &self,
        credentials: &Credentials,
    ) -> Result<(String, Rotation), ApiError> {
        let settings = &self.settings;
        self.env
            .origin_of(&settings.login_url, settings.api_origins.page())
            .map_err(|e| decode::login_unreachable(invalid_url(e)))?;
        let request = login_request(settings, credentials);
        let response = self
            .exchange_raw(request, false)
            .await
            .map_err(decode::login_unreachable)?;
        let token = decode::login_token(&response, &settings.login_url, &settings.token_path)?;
        let rotation = match &settings.refresh {
            // A new login starts a new refresh token, or none.
            Some(refresh) => refresh::rotation(&response, &refresh.token_path, Rotation::Forget),
            None => Rotation::Keep,
        };
        Ok((token, rotation))
    }

    /// Whether a request to `url` goes to an API origin, as the
    /// environment's URL parser (the browser's own, in a browser) resolves
    /// it against the page: the origin `fetch` will send it to.
    fn goes_to_api(&self, url: &str) -> Result<bool, ApiError> {
        let origin = self
            .env
            .origin_of(url, self.settings.api_origins.page())
            .map_err(invalid_url)?;
        Ok(origin.is_some_and(|origin| self.api_origins.contains(&origin)))
    }

    fn is_unauthorized(&self, status: u16) -> bool {
        self.settings.unauthorized_statuses.contains(&status)
    }
}

/// The session around the flow: logging in and out, renewing on a timer,
/// and what the UI reads.
impl<T: Transport, S: TokenStore, E: Environment> ApiClient<T, S, E> {
    /// Logs in with `credentials` (from the form), stores the token, and
    /// keeps the credentials in memory for silent re-login.
    pub async fn log_in(&self, credentials: Credentials) -> Result<(), ApiError> {
        let _renewing = self.renewals.hold().await;
        let received_at = self.env.now_ms();
        let (token, rotation) = self.request_token(&credentials).await?;
        self.rotate(rotation, &token);
        self.persist(&StoredToken::new(token, Some(received_at)));
        self.schedule.borrow_mut().logged_in(received_at);
        *self.credentials.borrow_mut() = Some(credentials);
        self.renewals.clear_failure();
        self.resume_renewal();
        self.emit(ClientEvent::LoggedIn);
        Ok(())
    }

    /// The user acted (logged in, pressed Refresh or Retry): resumes
    /// renewal ahead if the breaker paused it, with a fresh budget of silent
    /// logins. Call it for the user's own actions only, never for automatic
    /// retries or timers, or the budget bounds nothing.
    pub fn resume_renewal(&self) {
        self.renewal_paused.set(false);
        self.store.set_silent_logins(&[]);
    }

    /// Whether renewal ahead is paused because the silent logins of the
    /// last minute used up the budget.
    pub fn renewal_paused(&self) -> bool {
        self.renewal_paused.get()
    }

    /// Why there is no token to send: the store's reason when a stored
    /// value could not be used (too long for any server), else "log in".
    fn not_signed_in(&self) -> ApiError {
        ApiError::NeedsLogin(
            self.store
                .why_unusable()
                .unwrap_or_else(|| NOT_SIGNED_IN.into()),
        )
    }

    /// Forgets the token and the credentials.
    pub fn log_out(&self) {
        self.forget_credentials();
        self.store.clear();
        self.emit(ClientEvent::LoggedOut);
    }

    /// Forgets what a silent renewal needs — the credentials and the
    /// refresh token — but not the token (the user logged out in another
    /// tab, or the session cannot be renewed any more).
    pub fn forget_credentials(&self) {
        self.signed_out.set(self.signed_out.get() + 1);
        self.credentials.borrow_mut().take();
        if self.settings.refresh.is_some() {
            let _ = self.store.set_refresh_token(None);
        }
    }

    /// Renews the token if it is due (see [`next_renewal`](Self::next_renewal)).
    /// Call it from a timer, and when the page becomes visible or comes back
    /// online: it reads the wall clock, so sleep and throttled timers do not
    /// matter. Returns whether a renewal ran.
    pub async fn renew_if_due(&self) -> Result<bool, ApiError> {
        match (self.next_renewal(), self.store.load()) {
            (Some(at), Some(stored)) if self.env.now_ms() >= at => {
                let result = self.renew(RenewReason::Ahead, &stored.token).await;
                // A pause is not a failure to back off from: renewal waits
                // for the user instead.
                let failed = result
                    .as_ref()
                    .is_err_and(|e| !matches!(e, ApiError::RenewalPaused { .. }));
                self.schedule
                    .borrow_mut()
                    .ahead_finished(!failed, self.env.now_ms());
                result.map(|_| true)
            }
            _ => Ok(false),
        }
    }

    /// When [`renew_if_due`](Self::renew_if_due) should next run (local
    /// wall-clock ms), or `None` when the token is not renewed ahead
    /// (unknown or too short a lifetime, no credentials in memory, or
    /// renewal paused by the breaker).
    pub fn next_renewal(&self) -> Option<f64> {
        if !self.can_renew() || self.renewal_paused.get() {
            return None;
        }
        self.schedule.borrow().renew_at(&self.store.load()?)
    }

    /// Where the session stands now.
    pub fn session(&self) -> SessionState {
        if self.renewing.get() {
            return SessionState::Renewing;
        }
        let Some(stored) = self.store.load() else {
            return SessionState::SignedOut;
        };
        let expiry = self.schedule.borrow().expiry_of(&stored);
        if expiry.is_some_and(|e| e.is_expired(self.env.now_ms())) && !self.can_renew() {
            return SessionState::Expired;
        }
        if self.renewal_paused.get() && self.can_renew() {
            return SessionState::RenewalPaused {
                expires_at: expiry.map(|e| e.expires_at),
            };
        }
        SessionState::SignedIn {
            expires_at: expiry.map(|e| e.expires_at),
            renews_at: self.next_renewal(),
        }
    }

    /// Whether a usable token is stored.
    pub fn has_token(&self) -> bool {
        self.store.load().is_some()
    }

    /// Whether credentials for a silent re-login are held in memory.
    pub fn has_credentials(&self) -> bool {
        self.credentials.borrow().is_some()
    }

    /// Whether the token can be renewed without the form: credentials in
    /// memory, or a refresh token kept.
    pub fn can_renew(&self) -> bool {
        self.has_credentials()
            || self
                .store
                .load()
                .is_some_and(|stored| self.refresh_for(&stored.token).is_some())
    }

    /// The identity of the user who logged in on this page, if any.
    pub fn identity(&self) -> Option<String> {
        self.credentials
            .borrow()
            .as_ref()
            .map(|c| c.identity().to_owned())
    }

    /// Set when the last token could not be persisted (storage refused it):
    /// the session works from memory but will not survive a reload.
    pub fn storage_warning(&self) -> Option<StoreError> {
        self.storage_warning.borrow().clone()
    }

    /// Calls `observer` with every [`ClientEvent`] from now on.
    pub fn set_observer(&self, observer: impl Fn(&ClientEvent) + 'static) {
        *self.observer.borrow_mut() = Some(Rc::new(observer));
    }

    /// Where the token is kept (in the browser, shared with the other tabs).
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The settings it was built with; they do not change afterwards.
    pub fn settings(&self) -> &AuthSettings {
        &self.settings
    }

    fn persist(&self, token: &StoredToken) {
        *self.storage_warning.borrow_mut() = self.store.save(token).err();
    }

    /// Removes `token` from the store unless a newer one has replaced it.
    fn forget(&self, token: &str) {
        if self.store.load().is_some_and(|t| t.token == token) {
            self.store.clear();
        }
    }

    fn emit(&self, event: ClientEvent) {
        // Clone the observer out first: it may call back into the client.
        let observer = self.observer.borrow().clone();
        if let Some(observer) = observer {
            observer(&event);
        }
    }
}

/// A URL the parser refused, as the error the page shows. The browser
/// would refuse to fetch it too; here nothing is sent at all.
fn invalid_url(error: UrlError) -> ApiError {
    ApiError::Network {
        url: error.url,
        detail: "it is not a valid URL, so nothing was sent".into(),
    }
}

/// The login request for `credentials`: identity, password, then the extra
/// fields, written in the configured format, with the login timeout.
fn login_request(settings: &AuthSettings, credentials: &Credentials) -> HttpRequest {
    let fields = [
        (settings.identity_field.as_str(), credentials.identity()),
        (settings.password_field.as_str(), credentials.password()),
    ];
    let extra = settings
        .login_extra_fields
        .iter()
        .map(|(name, value)| (name.as_str(), value.as_str()));
    let mut request = body::post(
        &settings.login_url,
        settings.login_body_format,
        fields.into_iter().chain(extra),
    );
    request.timeout_ms = Some(settings.login_timeout_ms);
    request
}

#[cfg(test)]
mod tests;
