//! API tokens: issue with email and password, list, revoke.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sinergi_domain::TokenId;
use sinergi_store::sessions::SessionKind;
use utoipa::ToSchema;

use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::pages::account::{ClientAddr, LoginOutcome, check_credentials};

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
    /// What the token is for, shown in the token list ("integrasi SIPD").
    pub label: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub id: String,
    /// Shown once; keep it secret.
    pub token: String,
    pub expires_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenInfo {
    pub id: String,
    pub label: Option<String>,
    pub created_at: String,
    pub last_seen_at: String,
    pub expires_at: String,
}

pub fn rfc3339(ms: i64) -> String {
    sinergi_store::ms_to_datetime(ms).format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses((status = 201, body = TokenResponse), (status = 401, body = super::ErrorBody), (status = 429, body = super::ErrorBody)))]
pub async fn issue(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    ApiJson(body): ApiJson<TokenRequest>,
) -> AppResult<(StatusCode, Json<TokenResponse>)> {
    let user = match check_credentials(&state, &body.email, &body.password, &addr).await? {
        LoginOutcome::Ok(u) => u,
        LoginOutcome::Wrong => return Err(AppError::Unauthenticated),
        LoginOutcome::Throttled => return Err(AppError::TooManyAttempts),
    };
    let label = body.label.map(|l| l.trim().chars().take(80).collect::<String>()).filter(|l| !l.is_empty());
    let issued = state.store.create_session(&user, SessionKind::Api, label, &state.config.session_policy).await?;
    Ok((
        StatusCode::CREATED,
        Json(TokenResponse {
            id: issued.id.to_string(),
            token: issued.token,
            expires_at: rfc3339(issued.expires_at_ms),
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = [TokenInfo])))]
pub async fn list(State(state): State<AppState>, auth: Authed) -> AppResult<Json<Vec<TokenInfo>>> {
    let tokens = state.store.api_tokens(&auth.actor).await?;
    Ok(Json(
        tokens
            .into_iter()
            .map(|t| TokenInfo {
                id: t.id.to_string(),
                label: t.label,
                created_at: rfc3339(t.created_at_ms),
                last_seen_at: rfc3339(t.last_seen_at_ms),
                expires_at: rfc3339(t.expires_at_ms),
            })
            .collect(),
    ))
}

#[utoipa::path(delete, path = "/api/v1/auth/tokens/{token_id}", tag = "auth", security(("bearer" = [])),
    params(("token_id" = String, Path)), responses((status = 204), (status = 404, body = super::ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    auth: Authed,
    Path(token_id): Path<String>,
) -> AppResult<StatusCode> {
    let id: TokenId = token_id.parse().map_err(|_| AppError::NotFound)?;
    state.store.revoke_session(&auth.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
