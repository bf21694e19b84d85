//! `GET /api:auth/__dev/hint`: the demo login, so the app can show it on its login form.
//!
//! Dev API only — Xano has no such endpoint. It only ever reveals the published demo account.

use axum::Json;
use axum::extract::State;
use serde::Serialize;

use crate::state::AppState;

/// The demo credentials.
#[derive(Debug, Serialize)]
pub(crate) struct Hint {
    email: String,
    password: String,
}

/// Answers `{"email", "password"}` of the demo account.
pub(crate) async fn hint(State(state): State<AppState>) -> Json<Hint> {
    Json(Hint {
        email: state.demo_email(),
        password: state.config().demo_password.clone(),
    })
}
