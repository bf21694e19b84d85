//! The `auth` API group: Xano's login, signup and me endpoints.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::bearer::Authenticated;
use crate::errors::ApiError;
use crate::input::{LoginInput, SignupInput, XanoJson};
use crate::state::AppState;
use crate::users::Profile;

/// Body of a successful login or signup.
#[derive(Debug, Serialize)]
pub(crate) struct AuthToken {
    /// The token to send back as `Authorization: Bearer <token>`.
    #[serde(rename = "authToken")]
    auth_token: String,
}

/// `POST /api:auth/auth/login` `{email, password}` → `{"authToken"}`, or 403 / 400, or 429
/// once the e-mail has used up its attempts (right or wrong) for the rate-limit window.
pub(crate) async fn login(
    State(state): State<AppState>,
    XanoJson(credentials): XanoJson<LoginInput>,
) -> Result<Json<AuthToken>, ApiError> {
    state
        .login_limiter()
        .attempt(&credentials.email, state.issuer().now_ms())?;
    let user_id = state
        .users()
        .authenticate(&credentials.email, &credentials.password)?;
    issue(&state, user_id)
}

/// `POST /api:auth/auth/signup` `{name, email, password}` → `{"authToken"}`, or 403 / 400.
pub(crate) async fn signup(
    State(state): State<AppState>,
    XanoJson(signup): XanoJson<SignupInput>,
) -> Result<Json<AuthToken>, ApiError> {
    let user_id = state.users().create(
        signup.name,
        signup.email,
        &signup.password,
        state.issuer().now_ms(),
    )?;
    issue(&state, user_id)
}

/// `GET /api:auth/auth/me` → `{"id","created_at","name","email"}` of the token's holder.
pub(crate) async fn me(
    Authenticated(session): Authenticated,
    State(state): State<AppState>,
) -> Result<Json<Profile>, ApiError> {
    state
        .users()
        .profile(session.user_id)
        .map(Json)
        .ok_or(ApiError::Unauthorized)
}

fn issue(state: &AppState, user_id: u64) -> Result<Json<AuthToken>, ApiError> {
    let auth_token = state.issuer().issue(user_id)?;
    Ok(Json(AuthToken { auth_token }))
}
