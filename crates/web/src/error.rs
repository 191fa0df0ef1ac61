//! One error type for every handler. It becomes a response in two steps: `into_response`
//! records what went wrong (status, stable code, field) in a response extension, and the
//! `render_errors` middleware, which knows the user's language and whether the request was
//! for the API, turns that into a JSON body or an error page. Causes are logged, never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sinergi_domain::auth::FieldError;
use sinergi_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    #[error("login required")]
    Unauthenticated,
    #[error("csrf token missing or wrong")]
    Csrf,
    #[error("too many attempts")]
    TooManyAttempts,
    #[error("invalid {0}")]
    Invalid(FieldError),
    #[error("conflict on {field}")]
    Conflict { field: &'static str },
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Forbidden => AppError::Forbidden,
            StoreError::Conflict { field } => AppError::Conflict { field },
            StoreError::Invalid(e) => AppError::Invalid(e),
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(err: FieldError) -> Self {
        AppError::Invalid(err)
    }
}

/// What the error renderer needs; attached to the response as an extension.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub status: StatusCode,
    /// Stable, machine-readable: `not_found`, `invalid`, ...
    pub code: &'static str,
    pub field: Option<&'static str>,
    /// For `invalid`: the domain's stable reason (`required`, `not-next`, `kb-not-signed`...),
    /// so an API client can act on it without parsing the sentence.
    pub reason: Option<&'static str>,
    /// Translation key of the sentence for the user.
    pub message_key: String,
}

impl AppError {
    pub fn info(&self) -> ErrorInfo {
        let reason = match self {
            AppError::Invalid(e) => Some(e.reason),
            _ => None,
        };
        let (status, code, field, key) = match self {
            AppError::NotFound => (StatusCode::NOT_FOUND, "not_found", None, "error-not-found".to_owned()),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden", None, "error-forbidden".to_owned()),
            AppError::Unauthenticated => {
                (StatusCode::UNAUTHORIZED, "unauthenticated", None, "error-unauthenticated".to_owned())
            }
            AppError::Csrf => (StatusCode::FORBIDDEN, "csrf", None, "error-csrf".to_owned()),
            AppError::TooManyAttempts => {
                (StatusCode::TOO_MANY_REQUESTS, "too_many_attempts", None, "error-too-many-attempts".to_owned())
            }
            AppError::Invalid(e) => {
                (StatusCode::UNPROCESSABLE_ENTITY, "invalid", Some(e.field), format!("error-{}", e.reason))
            }
            AppError::Conflict { field } => {
                (StatusCode::CONFLICT, "conflict", Some(*field), format!("error-conflict-{field}"))
            }
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request", None, "error-bad-request".to_owned()),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None, "error-internal".to_owned()),
        };
        ErrorInfo { status, code, field, reason, message_key: key }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            AppError::Internal(cause) => tracing::error!(error = ?cause, "request failed"),
            AppError::BadRequest(why) => tracing::info!(%why, "bad request"),
            _ => {}
        }
        let info = self.info();
        let mut response = info.status.into_response();
        response.extensions_mut().insert(info);
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;

impl From<sinergi_umkm::RegistryError> for AppError {
    fn from(err: sinergi_umkm::RegistryError) -> Self {
        match err {
            sinergi_umkm::RegistryError::Store(e) => e.into(),
            other => AppError::Internal(anyhow::Error::new(other)),
        }
    }
}
