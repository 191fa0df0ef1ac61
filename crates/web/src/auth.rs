//! Who is asking: sessions (cookie) and API tokens (bearer), the request context every
//! handler reads, per-route access checks, CSRF, and login throttling.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, to_bytes};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore;
use sinergi_domain::format::Locale;
use sinergi_domain::{Actor, Permission};
use sinergi_store::sessions::{SessionInfo, SessionKind};

use crate::AppState;
use crate::error::AppError;
use crate::i18n::Tr;

pub const SESSION_COOKIE: &str = "sinergi_session";
pub const CSRF_COOKIE: &str = "sinergi_csrf";
pub const LANG_COOKIE: &str = "sinergi_lang";
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Who may call a route. Every route declares one; the route walk test reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Public,
    /// Any logged-in user.
    User,
    Permission(Permission),
}

impl Access {
    pub fn allows(self, actor: Option<&Actor>) -> bool {
        match (self, actor) {
            (Access::Public, _) => true,
            (_, None) => false,
            (Access::User, Some(_)) => true,
            (Access::Permission(p), Some(a)) => a.can(p),
        }
    }
}

/// The context of one request, resolved once by [`resolve`] and read by every handler.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub session: Option<Arc<SessionInfo>>,
    pub via_bearer: bool,
    pub locale: Locale,
    /// The token forms must echo: the session's, or for anonymous visitors the cookie's.
    pub csrf: String,
    pub path: String,
}

impl Ctx {
    pub fn tr(&self) -> Tr {
        Tr::new(self.locale)
    }

    pub fn actor(&self) -> Option<Actor> {
        self.session.as_ref().map(|s| s.user.actor())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))
    }
}

/// A logged-in user: the extractor of every route that needs one.
#[derive(Debug, Clone)]
pub struct Authed {
    pub ctx: Ctx,
    pub actor: Actor,
    pub session: Arc<SessionInfo>,
}

impl<S: Send + Sync> FromRequestParts<S> for Authed {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        let session = ctx.session.clone().ok_or(AppError::Unauthenticated)?;
        Ok(Authed { actor: session.user.actor(), session, ctx })
    }
}

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn bearer(req: &Request) -> Option<&str> {
    let value = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty())
}

/// Resolve the session and language of every request and put a [`Ctx`] in its extensions.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let policy = &state.config.session_policy;
    let (token, via_bearer) = match bearer(&req) {
        Some(t) => (Some(t.to_owned()), true),
        None => (jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()), false),
    };
    let session = match token {
        Some(t) => match state.store.session(&t, policy).await {
            // A bearer header must carry an API token and a cookie a web session: a token
            // copied into a cookie (or the reverse) is not a login.
            Ok(Some(s)) if (s.kind == SessionKind::Api) == via_bearer => Some(Arc::new(s)),
            Ok(_) => None,
            Err(e) => return AppError::from(e).into_response(),
        },
        None => None,
    };
    let locale = match &session {
        Some(s) => s.user.locale,
        None => jar.get(LANG_COOKIE).and_then(|c| Locale::parse(c.value()).ok()).unwrap_or_default(),
    };
    let (csrf, new_csrf) = match (&session, jar.get(CSRF_COOKIE)) {
        (Some(s), _) => (s.csrf_token.clone(), false),
        (None, Some(c)) if c.value().len() >= 32 => (c.value().to_owned(), false),
        (None, _) => (random_token(), true),
    };
    let path = req.uri().path().to_owned();
    req.extensions_mut().insert(Ctx { session, via_bearer, locale, csrf: csrf.clone(), path });
    let mut response = next.run(req).await;
    if new_csrf && !via_bearer {
        let cookie = Cookie::build((CSRF_COOKIE, csrf))
            .path("/")
            .http_only(true)
            .same_site(SameSite::Lax)
            .secure(state.config.secure_cookies)
            .build();
        if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    response
}

/// The per-route check: login, permission, and CSRF on state-changing requests.
pub async fn enforce(State(access): State<Access>, req: Request, next: Next) -> Result<Response, AppError> {
    let ctx = req
        .extensions()
        .get::<Ctx>()
        .cloned()
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("request context missing")))?;
    let actor = ctx.actor();
    if !access.allows(actor.as_ref()) {
        return Err(if actor.is_none() { AppError::Unauthenticated } else { AppError::Forbidden });
    }
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let json = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    // A bearer token is not sent by browsers on their own, and a cross-site JSON request
    // needs a CORS preflight we never grant: neither can be forged, so neither needs a token.
    if safe || ctx.via_bearer || json {
        return Ok(next.run(req).await);
    }
    let req = check_csrf(req, &ctx.csrf).await?;
    Ok(next.run(req).await)
}

/// Forms echo the token in a field, htmx sends it in a header. The body is read here (forms
/// are small) and handed on untouched.
async fn check_csrf(req: Request, expected: &str) -> Result<Request, AppError> {
    if let Some(h) = req.headers().get(CSRF_HEADER) {
        return if constant_eq(h.as_bytes(), expected.as_bytes()) { Ok(req) } else { Err(AppError::Csrf) };
    }
    // A file upload (multipart) cannot be read here without buffering the file; its form
    // carries the token in the action's query string instead.
    let multipart = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if multipart {
        let query = req.uri().query().unwrap_or_default();
        let fields: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let given = fields.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.as_str());
        return match given {
            Some(v) if constant_eq(v.as_bytes(), expected.as_bytes()) => Ok(req),
            _ => Err(AppError::Csrf),
        };
    }
    let (parts, body) = req.into_parts();
    let bytes = to_bytes(body, 2 * 1024 * 1024).await.map_err(|_| AppError::BadRequest("form too large".into()))?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let given = fields.iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.as_str());
    match given {
        Some(v) if constant_eq(v.as_bytes(), expected.as_bytes()) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(AppError::Csrf),
    }
}

fn constant_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Failed logins, counted per account and per client address over a sliding window.
/// In memory: a restart forgets them, which is acceptable for throttling (it slows guessing,
/// it is not an account lock).
#[derive(Debug)]
pub struct Throttle {
    window: Duration,
    per_account: usize,
    per_address: usize,
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Throttle {
    pub fn new(window: Duration, per_account: usize, per_address: usize) -> Self {
        Self { window, per_account, per_address, failures: Mutex::new(HashMap::new()) }
    }

    fn count(&self, key: &str) -> usize {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map.entry(key.to_owned()).or_default();
        entry.retain(|t| now.duration_since(*t) < self.window);
        entry.len()
    }

    pub fn blocked(&self, account: &str, address: &str) -> bool {
        self.count(&format!("a:{account}")) >= self.per_account
            || self.count(&format!("i:{address}")) >= self.per_address
    }

    pub fn fail(&self, account: &str, address: &str) {
        let now = Instant::now();
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        for key in [format!("a:{account}"), format!("i:{address}")] {
            map.entry(key).or_default().push(now);
        }
        // Keep the map from growing without bound under a spray of random emails.
        if map.len() > 100_000 {
            map.retain(|_, v| v.last().is_some_and(|t| now.duration_since(*t) < self.window));
        }
    }

    pub fn succeed(&self, account: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        map.remove(&format!("a:{account}"));
    }
}

pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token.to_owned()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(time::Duration::seconds(max_age_secs))
        .build()
}

pub fn clear_cookie(name: &'static str) -> Cookie<'static> {
    let mut c = Cookie::build((name, "")).path("/").build();
    c.make_removal();
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttle_blocks_after_limit_and_forgets_on_success() {
        let t = Throttle::new(Duration::from_secs(60), 3, 10);
        for _ in 0..3 {
            assert!(!t.blocked("a@x.id", "1.2.3.4"));
            t.fail("a@x.id", "1.2.3.4");
        }
        assert!(t.blocked("a@x.id", "1.2.3.4"));
        assert!(!t.blocked("b@x.id", "5.6.7.8"));
        t.succeed("a@x.id");
        assert!(!t.blocked("a@x.id", "1.2.3.4"));
    }

    #[test]
    fn constant_time_compare() {
        assert!(constant_eq(b"abc", b"abc"));
        assert!(!constant_eq(b"abc", b"abd"));
        assert!(!constant_eq(b"abc", b"ab"));
    }
}
