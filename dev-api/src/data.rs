//! The `data` API group: the token-protected `customers` table.

use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};

use crate::bearer::Authenticated;
use crate::errors::ApiError;
use crate::paging::{Page, PageRequest};
use crate::state::AppState;

/// `GET /api:data/customers`: all rows as an array, or one page in Xano's envelope when
/// `page` and/or `per_page` is given. 401 without a valid token (checked before the inputs).
pub(crate) async fn customers(
    _auth: Authenticated,
    State(state): State<AppState>,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(pairs) =
        query.map_err(|_| ApiError::input("page", "Unable to parse the query string."))?;
    let rows = state.customers();
    Ok(match PageRequest::from_query(&pairs)? {
        None => Json(rows).into_response(),
        Some(request) => Json(Page::of(rows, request)).into_response(),
    })
}
