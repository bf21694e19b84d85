//! `POST /__dev/revoke`: revokes every token issued so far.
//!
//! The client is not told, so its next request with the old token is a 401 while it still
//! believes the token valid — the "token revoked server-side" case. Opaque sessions are
//! removed (the answer counts the live ones); in JWT mode every token whose `iat` is not after
//! now is refused (the answer says `true`, as JWTs cannot be counted). Tokens issued
//! afterwards work as usual.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::issuer::Issuer;
use crate::tokens::Revoked;

/// `POST /__dev/revoke` → `{"revoked": <live opaque sessions removed> | true}`.
pub(crate) async fn revoke_all(State(issuer): State<Issuer>) -> Json<Value> {
    let revoked = match issuer.revoke_all() {
        Revoked::Sessions(count) => json!(count),
        Revoked::All => json!(true),
    };
    Json(json!({ "revoked": revoked }))
}
