//! Server-rendered pages. Each handler builds a template struct with a [`Shell`] (the layout:
//! language, user, navigation, CSRF token) and renders it whole; htmx requests get the same
//! HTML and pick the part they need with `hx-select`.

pub mod account;
pub mod agencies;
pub mod agreement_edit;
pub mod agreements;
pub mod audit;
pub mod csr;
pub mod csr_public;
pub mod csr_reports;
pub mod dashboard;
pub mod exports;
pub mod home;
pub mod meetings;
pub mod needs;
pub mod partners;
pub mod programmes;
pub mod programmes_owner;
pub mod programmes_report;
pub mod programmes_run;
pub mod reference;
pub mod targets;
pub mod tenants;
pub mod umkm;
pub mod umkm_import;
pub mod umkm_owner;
pub mod umkm_search;
pub mod upload;
pub mod users;
// Markets: channels and financing referrals.
pub mod channels;
pub mod financing;
// Catalogue (issue 6, part 5)
pub mod catalogue;
pub mod catalogue_public;
// Issue 7: the Labkesda
pub mod lab;
pub mod lab_report;
// Issue 7: demand matching
pub mod demand;
// Issue 7: money kept local
pub mod local_value;

use std::collections::HashMap;

use askama::Template;
use axum::extract::Request;
use axum::http::header::{ACCEPT, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use sinergi_domain::auth::FieldError;
use sinergi_domain::{Permission, Role};

use crate::auth::Ctx;
use crate::error::{AppError, ErrorInfo};
use crate::i18n::Tr;

pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub active: bool,
}

pub struct ShellUser {
    pub name: String,
    pub role_label: String,
    pub tenant_label: Option<String>,
}

/// What the layout needs on every page.
pub struct Shell {
    pub tr: Tr,
    pub title: String,
    pub csrf: String,
    pub path: String,
    pub user: Option<ShellUser>,
    pub nav: Vec<NavItem>,
}

/// The menu, by what the role may do. A link a role cannot follow is not shown.
fn nav_for(tr: Tr, role: Role, path: &str) -> Vec<NavItem> {
    let mut items: Vec<(&'static str, &'static str)> = vec![("/", "nav-home")];
    if Permission::ViewDirectory.allows(role) {
        items.push(("/agencies", "nav-agencies"));
    }
    if Permission::ViewDirectory.allows(role) {
        items.push(("/cooperation", "nav-dashboard"));
        items.push(("/cooperation/needs", "nav-needs"));
        items.push(("/cooperation/targets", "nav-targets"));
        items.push(("/partners", "nav-partners"));
        items.push(("/cooperation/agreements", "nav-agreements"));
        items.push(("/meetings", "nav-meetings"));
    }
    // CSR is for the Pemda's users and for companies; a company lands on its portal.
    if role == Role::Partner {
        items.push(("/csr/portal", "nav-csr-portal"));
    }
    // The platform operator belongs to no Pemda, and CSR is a Pemda's.
    if !matches!(role, Role::UmkmOwner | Role::PlatformAdmin) {
        items.push(("/csr", "nav-csr"));
    }
    // The UMKM registry is a Pemda's; the platform operator reaches it from the command line.
    if Permission::ViewUmkm.allows(role) && role != Role::PlatformAdmin {
        items.push(("/umkm", "nav-umkm"));
        items.push(("/program", "nav-programmes"));
    }
    if Permission::OwnBusiness.allows(role) {
        items.push(("/usaha-saya", "nav-my-business"));
        items.push(("/usaha-saya/program", "nav-my-programmes"));
    }
    // Markets: the channels are the Pemda's; a bank's user follows the referrals sent to it.
    if Permission::ViewUmkm.allows(role) && role != Role::PlatformAdmin {
        items.push(("/pasar/kanal", "nav-channels"));
    }
    if (Permission::ViewUmkm.allows(role) && role != Role::PlatformAdmin) || role == Role::Partner {
        items.push(("/pembiayaan", "nav-financing"));
    }
    // Catalogue (issue 6, part 5): the officers' catalogue, a Pemda's like the registry.
    if Permission::ManageUmkm.allows(role) && role != Role::PlatformAdmin {
        items.push(("/umkm/katalog", "nav-catalogue"));
    }
    // Issue 7: the Labkesda: the Pemda's users see the laboratory; a company orders tests.
    if (Permission::ViewLab.allows(role) && role != Role::PlatformAdmin) || role == Role::Partner {
        items.push(("/lab/order", "nav-lab"));
    }
    // Issue 7: demand matching: every Pemda user; the store shows each its share.
    if role != Role::PlatformAdmin {
        items.push(("/permintaan", "nav-demand"));
    }
    if Permission::ViewLab.allows(role) && role != Role::PlatformAdmin {
        items.push(("/nilai-lokal", "nav-local-value"));
    }
    if Permission::ManageUsers.allows(role) {
        items.push(("/users", "nav-users"));
    }
    if Permission::ManageTenant.allows(role) {
        items.push(("/tenants", "nav-tenants"));
    }
    if Permission::ViewAudit.allows(role) {
        items.push(("/audit", "nav-audit"));
    }
    items.push(("/reference/regions", "nav-regions"));
    items.push(("/reference/kbli", "nav-kbli"));
    items.push(("/account/password", "nav-password"));
    // The longest item the path falls under lights up ("/usaha-saya/program" over "/usaha-saya");
    // "/" and "/cooperation" (the dashboard) only on themselves.
    let under = |href: &str| match href {
        "/" | "/cooperation" => path == href,
        _ => path == href || path.starts_with(&format!("{href}/")) || path.starts_with(&format!("{href}?")),
    };
    let lit = items.iter().map(|(h, _)| *h).filter(|h| under(h)).max_by_key(|h| h.len());
    items.into_iter().map(|(href, key)| NavItem { href, label: tr.t(key), active: Some(href) == lit }).collect()
}

impl Shell {
    pub fn new(ctx: &Ctx, title_key: &str) -> Self {
        let tr = ctx.tr();
        let user = ctx.session.as_ref().map(|s| ShellUser {
            name: s.user.name.clone(),
            role_label: tr.role(s.user.role),
            tenant_label: s
                .user
                .tenant
                .as_ref()
                .map(|t| sinergi_reference::region(t).map(|r| r.name.clone()).unwrap_or_else(|| t.to_string())),
        });
        let nav = ctx.session.as_ref().map(|s| nav_for(tr, s.user.role, &ctx.path)).unwrap_or_default();
        Self { tr, title: tr.t(title_key), csrf: ctx.csrf.clone(), path: ctx.path.clone(), user, nav }
    }
}

/// Field errors of a form, translated, keyed by field name.
#[derive(Default)]
pub struct FormErrors(HashMap<String, String>);

impl FormErrors {
    pub fn add(&mut self, tr: Tr, err: &FieldError) {
        self.0.insert(err.field.to_owned(), tr.reason(err.reason));
    }

    pub fn add_msg(&mut self, field: &str, message: String) {
        self.0.insert(field.to_owned(), message);
    }

    pub fn get(&self, field: &str) -> Option<&String> {
        self.0.get(field)
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A store error that belongs on the form (a bad or taken value) is kept; anything else
    /// is handed back to become an error page.
    pub fn absorb(&mut self, tr: Tr, err: AppError) -> Result<(), AppError> {
        match err {
            AppError::Invalid(e) => {
                self.add(tr, &e);
                Ok(())
            }
            AppError::Conflict { field } => {
                self.add_msg(field, tr.t(&format!("error-conflict-{field}")));
                Ok(())
            }
            other => Err(other),
        }
    }
}

pub fn render<T: Template>(template: &T) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => AppError::Internal(anyhow::Error::new(e)).into_response(),
    }
}

/// A form that did not pass: the same page again, with 422 so that scripts notice.
pub fn render_invalid<T: Template>(template: &T) -> Response {
    let mut response = render(template);
    if response.status() == StatusCode::OK {
        *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    response
}

/// After a successful POST: go to the page that shows the result.
pub fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// Only local paths are followed after login or a language switch, so that a crafted link
/// cannot send a user to another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_owned(),
        _ => "/".to_owned(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    shell: Shell,
    heading: String,
    message: String,
}

/// Turn an [`ErrorInfo`] response into a page in the user's language or a JSON error body.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let ctx = req.extensions().get::<Ctx>().cloned();
    let wants_json = req.uri().path().starts_with("/api/")
        || req.headers().get(ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("application/json"));
    let is_htmx = req.headers().contains_key("hx-request");
    let path_and_query = req.uri().path_and_query().map(|p| p.as_str().to_owned()).unwrap_or_default();
    let response = next.run(req).await;
    let Some(info) = response.extensions().get::<ErrorInfo>().cloned() else {
        return response;
    };
    let tr = ctx.as_ref().map(Ctx::tr).unwrap_or(Tr::new(Default::default()));
    let message = tr.t(&info.message_key);
    if wants_json {
        let body = serde_json::json!({
            "error": { "code": info.code, "field": info.field, "reason": info.reason, "message": message }
        });
        return (info.status, axum::Json(body)).into_response();
    }
    if info.status == StatusCode::UNAUTHORIZED {
        let to = format!("/login?next={}", urlencode(&path_and_query));
        if is_htmx {
            let mut r = StatusCode::OK.into_response();
            if let Ok(v) = HeaderValue::from_str(&to) {
                r.headers_mut().insert("hx-redirect", v);
            }
            return r;
        }
        let mut r = StatusCode::SEE_OTHER.into_response();
        if let Ok(v) = HeaderValue::from_str(&to) {
            r.headers_mut().insert(LOCATION, v);
        }
        return r;
    }
    let Some(ctx) = ctx else {
        return (info.status, message).into_response();
    };
    let heading_key = match info.status {
        StatusCode::NOT_FOUND => "error-title-not-found",
        StatusCode::FORBIDDEN => "error-title-forbidden",
        s if s.is_server_error() => "error-title-internal",
        _ => "error-title",
    };
    let page = ErrorPage { shell: Shell::new(&ctx, heading_key), heading: tr.t(heading_key), message };
    let mut response = render(&page);
    *response.status_mut() = info.status;
    response
}

fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|e| e.trim_start_matches('=').to_owned()).unwrap_or_default()
}

pub async fn not_found() -> AppError {
    AppError::NotFound
}

pub struct ApiOp {
    pub method: String,
    pub path: String,
    pub anchor: String,
    pub tag: String,
    pub secured: bool,
    pub params: Vec<String>,
    pub body: Option<String>,
    pub responses: Vec<String>,
}

#[derive(Template)]
#[template(path = "api_docs.html")]
struct ApiDocsPage {
    shell: Shell,
    title: String,
    description: String,
    version: String,
    ops: Vec<ApiOp>,
    schemas: Vec<(String, String)>,
}

/// The API reference as a page, read from the OpenAPI document itself so it cannot drift.
pub fn api_docs_page(ctx: &Ctx, doc: &utoipa::openapi::OpenApi) -> Response {
    let json = serde_json::to_value(doc).unwrap_or_default();
    let mut ops = Vec::new();
    if let Some(paths) = json.get("paths").and_then(|p| p.as_object()) {
        for (path, item) in paths {
            let Some(methods) = item.as_object() else { continue };
            for (method, op) in methods {
                let names = |key: &str| -> Vec<String> {
                    op.get(key)
                        .and_then(|v| v.as_array())
                        .map(|a| {
                            a.iter().filter_map(|p| p.get("name").and_then(|n| n.as_str()).map(str::to_owned)).collect()
                        })
                        .unwrap_or_default()
                };
                let body = op
                    .pointer("/requestBody/content/application~1json/schema/$ref")
                    .and_then(|r| r.as_str())
                    .map(|r| r.rsplit('/').next().unwrap_or(r).to_owned());
                let responses = op
                    .get("responses")
                    .and_then(|r| r.as_object())
                    .map(|r| r.keys().cloned().collect())
                    .unwrap_or_default();
                ops.push(ApiOp {
                    method: method.to_uppercase(),
                    anchor: format!("{method}-{}", path.replace(['/', '{', '}'], "-")),
                    path: path.clone(),
                    tag: op.pointer("/tags/0").and_then(|t| t.as_str()).unwrap_or_default().to_owned(),
                    secured: op.get("security").is_some(),
                    params: names("parameters"),
                    body,
                    responses,
                });
            }
        }
    }
    let schemas = json
        .pointer("/components/schemas")
        .and_then(|s| s.as_object())
        .map(|s| s.iter().map(|(k, v)| (k.clone(), serde_json::to_string_pretty(v).unwrap_or_default())).collect())
        .unwrap_or_default();
    let mut shell = Shell::new(ctx, "api-title");
    shell.title = "API".to_owned();
    render(&ApiDocsPage {
        shell,
        title: json.pointer("/info/title").and_then(|t| t.as_str()).unwrap_or("API").to_owned(),
        description: json.pointer("/info/description").and_then(|t| t.as_str()).unwrap_or_default().to_owned(),
        version: json.get("openapi").and_then(|t| t.as_str()).unwrap_or_default().to_owned(),
        ops,
        schemas,
    })
}
