//! Login, logout, the language switch and the password change.

use std::net::SocketAddr;

use askama::Template;
use axum::Form;
use axum::extract::connect_info::ConnectInfo;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::HeaderValue;
use axum::http::header::SET_COOKIE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sinergi_domain::auth::{Email, FieldError, NewPassword};
use sinergi_domain::format::Locale;
use sinergi_store::sessions::SessionKind;
use sinergi_store::{dummy_hash, hash_password, verify_password};

use super::{FormErrors, Shell, render, render_invalid, safe_next, see_other};
use crate::AppState;
use crate::auth::{Authed, Ctx, LANG_COOKIE, SESSION_COOKIE, clear_cookie, session_cookie};
use crate::error::{AppError, AppResult};

/// The client's address, for throttling. Behind a reverse proxy this is the proxy; the
/// per-account limit still holds.
pub struct ClientAddr(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|c| c.0.ip().to_string())
                .unwrap_or_else(|| "unknown".to_owned()),
        ))
    }
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    shell: Shell,
    error: Option<String>,
    email: String,
    next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_page(ctx: Ctx, Query(q): Query<NextQuery>) -> Response {
    if ctx.session.is_some() {
        return see_other(&safe_next(q.next.as_deref()));
    }
    render(&LoginPage {
        shell: Shell::new(&ctx, "login-title"),
        error: None,
        email: String::new(),
        next: safe_next(q.next.as_deref()),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    email: String,
    password: String,
    next: Option<String>,
}

/// Outcome of checking credentials, shared by the login form and the API token endpoint.
pub enum LoginOutcome {
    Ok(sinergi_store::users::User),
    Wrong,
    Throttled,
}

pub async fn check_credentials(state: &AppState, email: &str, password: &str, addr: &str) -> AppResult<LoginOutcome> {
    let key = email.trim().to_lowercase();
    if state.throttle.blocked(&key, addr) {
        return Ok(LoginOutcome::Throttled);
    }
    let found = match Email::parse(email) {
        Ok(e) => state.store.user_for_login(&e).await?,
        Err(_) => None,
    };
    // Verify against a dummy hash when the account is unknown, so timing does not tell
    // which emails have accounts.
    let (user, hash) = match found {
        Some((u, h)) => (Some(u), h),
        None => (None, dummy_hash()),
    };
    let ok = verify_password(password, &hash).await;
    match user {
        Some(u) if ok && u.active => {
            if let Some(t) = &u.tenant
                && !state.store.tenant_active(t).await?
            {
                state.throttle.fail(&key, addr);
                return Ok(LoginOutcome::Wrong);
            }
            state.throttle.succeed(&key);
            Ok(LoginOutcome::Ok(u))
        }
        _ => {
            state.throttle.fail(&key, addr);
            tracing::info!(%addr, "failed login");
            Ok(LoginOutcome::Wrong)
        }
    }
}

pub async fn login_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    ClientAddr(addr): ClientAddr,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let tr = ctx.tr();
    let next = safe_next(form.next.as_deref());
    let failed = |key: &str| {
        render_invalid(&LoginPage {
            shell: Shell::new(&ctx, "login-title"),
            error: Some(tr.t(key)),
            email: form.email.clone(),
            next: next.clone(),
        })
    };
    let user = match check_credentials(&state, &form.email, &form.password, &addr).await? {
        LoginOutcome::Ok(u) => u,
        LoginOutcome::Wrong => return Ok(failed("login-failed")),
        LoginOutcome::Throttled => {
            let mut r = failed("error-too-many-attempts");
            *r.status_mut() = axum::http::StatusCode::TOO_MANY_REQUESTS;
            return Ok(r);
        }
    };
    let policy = &state.config.session_policy;
    let issued = state.store.create_session(&user, SessionKind::Web, None, policy).await?;
    let cookie = session_cookie(&issued.token, policy.web_absolute_ms / 1000, state.config.secure_cookies);
    let mut response = see_other(&next);
    append_cookie(&mut response, &cookie.to_string());
    Ok(response)
}

fn append_cookie(response: &mut Response, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        response.headers_mut().append(SET_COOKIE, v);
    }
}

pub async fn logout(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    state.store.revoke_session(&auth.actor, auth.session.id).await?;
    let mut response = see_other("/login");
    append_cookie(&mut response, &clear_cookie(SESSION_COOKIE).to_string());
    Ok(response)
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    next: Option<String>,
}

/// Switch language: saved on the account when logged in, in a cookie otherwise.
pub async fn set_language(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let locale = Locale::parse(&form.lang).map_err(|_| AppError::Invalid(FieldError::new("lang", "invalid-choice")))?;
    if let Some(actor) = ctx.actor() {
        state.store.set_locale(&actor, locale).await?;
    }
    let mut response = see_other(&safe_next(form.next.as_deref()));
    let cookie = axum_extra::extract::cookie::Cookie::build((LANG_COOKIE, locale.as_str()))
        .path("/")
        .max_age(time::Duration::days(365))
        .same_site(axum_extra::extract::cookie::SameSite::Lax)
        .build();
    append_cookie(&mut response, &cookie.to_string());
    Ok(response)
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    shell: Shell,
    errors: FormErrors,
    notice: Option<String>,
}

pub async fn password_page(auth: Authed) -> Response {
    render(&PasswordPage {
        shell: Shell::new(&auth.ctx, "password-title"),
        errors: FormErrors::default(),
        notice: None,
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current: String,
    password: String,
    confirm: String,
}

pub async fn password_submit(
    State(state): State<AppState>,
    auth: Authed,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let mut errors = FormErrors::default();
    let (_, hash) = state.store.user_for_login(&auth.session.user.email).await?.ok_or(AppError::NotFound)?;
    if !verify_password(&form.current, &hash).await {
        errors.add_msg("current", tr.t("error-wrong-password"));
    }
    let new = NewPassword::parse(&form.password);
    if let Err(e) = &new {
        errors.add(tr, e);
    }
    if form.password != form.confirm {
        errors.add_msg("confirm", tr.t("error-password-mismatch"));
    }
    let new = match new {
        Ok(n) if errors.is_empty() => n,
        _ => {
            return Ok(render_invalid(&PasswordPage {
                shell: Shell::new(&auth.ctx, "password-title"),
                errors,
                notice: None,
            }));
        }
    };
    let hash = hash_password(&new).await?;
    state.store.set_password(&auth.actor, auth.actor.user_id, hash, Some(auth.session.id)).await?;
    Ok(render(&PasswordPage {
        shell: Shell::new(&auth.ctx, "password-title"),
        errors,
        notice: Some(tr.t("password-changed")),
    })
    .into_response())
}
