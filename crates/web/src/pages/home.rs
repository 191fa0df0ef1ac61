//! The home page: what exists now, by role.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use sinergi_domain::Permission;
use sinergi_store::audit::AuditFilter;
use sinergi_store::users::UserFilter;

use super::audit::{EventRow, event_row};
use super::{Shell, render};
use crate::AppState;
use crate::auth::Authed;
use crate::error::AppResult;

pub struct Stat {
    pub value: String,
    pub label: String,
    pub href: &'static str,
}

pub struct AgencyLink {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    shell: Shell,
    greeting: String,
    stats: Vec<Stat>,
    agencies: Vec<AgencyLink>,
    recent: Vec<EventRow>,
    reminders: Vec<(String, String)>,
    role_help: String,
    /// Where this role works on CSR: the partner portal for a company, the portfolio for the
    /// Pemda's users.
    csr_links: Vec<(&'static str, String)>,
}

pub async fn home(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let actor = &auth.actor;
    let mut stats = Vec::new();
    if actor.can(Permission::ManagePlatform) {
        let n = state.store.tenants(actor).await?.len();
        stats.push(Stat { value: tr.number(n as i64), label: tr.t("home-stat-tenants"), href: "/tenants" });
    }
    let mut agencies = Vec::new();
    if actor.can(Permission::ViewDirectory) {
        let list = state.store.agencies(actor, None).await?;
        stats.push(Stat { value: tr.number(list.len() as i64), label: tr.t("home-stat-agencies"), href: "/agencies" });
        // The platform sees every tenant's agencies; the short list is for one Pemda.
        if !actor.can(Permission::ManagePlatform) {
            agencies = list.into_iter().map(|a| AgencyLink { id: a.id.to_string(), name: a.name }).collect();
        }
    }
    if actor.can(Permission::ManageUsers) {
        let n = state.store.users(actor, &UserFilter::default()).await?.len();
        stats.push(Stat { value: tr.number(n as i64), label: tr.t("home-stat-users"), href: "/users" });
    }
    if actor.can(Permission::OwnBusiness)
        && let Some(tenant) = actor.scope.tenant()
    {
        let n = state.store.owned_umkm_businesses(actor, tenant).await?.len();
        stats.push(Stat { value: tr.number(n as i64), label: tr.t("nav-my-business"), href: "/usaha-saya" });
    }
    let recent = if actor.can(Permission::ViewAudit) {
        let filter = AuditFilter { limit: 8, ..Default::default() };
        state.store.audit_events(actor, &filter).await?.iter().map(|e| event_row(tr, e)).collect()
    } else {
        Vec::new()
    };
    let reminders = if actor.can(Permission::ViewDirectory) && actor.scope.tenant().is_some() {
        state.store.notifications(actor, 5).await?.into_iter().map(|n| (n.link, n.message)).collect()
    } else {
        Vec::new()
    };
    let greeting = tr.t1("home-greeting", "name", &auth.session.user.name);
    let role_help = tr.t(&format!("home-help-{}", auth.session.user.role.slug()));

    let mut csr_links = Vec::new();
    if actor.role == sinergi_domain::Role::Partner {
        csr_links.push(("/csr/portal", tr.t("nav-csr-portal")));
    }
    if actor.role != sinergi_domain::Role::UmkmOwner && actor.scope.tenant().is_some() {
        csr_links.push(("/csr", tr.t("nav-csr")));
    }

    Ok(render(&HomePage {
        shell: Shell::new(&auth.ctx, "home-title"),
        greeting,
        stats,
        agencies,
        recent,
        reminders,
        role_help,
        csr_links,
    }))
}
