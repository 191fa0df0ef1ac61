//! The cooperation dashboard: benefits delivered, agreements that stopped on paper, those
//! expiring, and where every agreement stands. Every figure opens the records behind it.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use sinergi_domain::cooperation::agreement::Stage;
use sinergi_domain::cooperation::dormancy::{DEFAULT_REMINDER_DAYS, expiry_reminder};
use sinergi_domain::cooperation::outcomes::OutcomeKind;
use sinergi_domain::format::format_date;

use super::agreements::outcome_value;
use super::{Shell, render};
use crate::AppState;
use crate::auth::Authed;
use crate::error::AppResult;

pub struct Total {
    pub kind: &'static str,
    pub label: String,
    pub value: String,
    pub rows: Vec<(String, String, String)>,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    shell: Shell,
    totals: Vec<Total>,
    /// (id, title, why, idle, responsible agency)
    stopped: Vec<(String, String, String, String, String)>,
    stopped_help: String,
    expiring: Vec<(String, String, String)>,
    by_stage: Vec<(String, String, usize)>,
    /// (meeting id, action item, meeting, due date, owner)
    overdue_actions: Vec<(String, String, String, String, String)>,
}

pub async fn dashboard(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let p = state.store.portfolio(&auth.actor).await?;
    let today = crate::jobs::today_wib();
    // Each Pemda sets its own limit; the platform's view judges each agreement by its keeper's.
    let rules: HashMap<_, _> =
        state.store.tenants(&auth.actor).await?.into_iter().map(|t| (t.code, t.dormancy)).collect();
    let rule_of = |a: &sinergi_store::agreements::Agreement| rules.get(&a.tenant).copied().unwrap_or_default();
    let rule = auth.actor.scope.tenant().and_then(|t| rules.get(t).copied()).unwrap_or_default();
    let titles: HashMap<_, _> = p.agreements.iter().map(|a| (a.id, a.title.as_str())).collect();
    let title_of = |id: sinergi_domain::AgreementId| titles.get(&id).map(|t| (*t).to_owned()).unwrap_or_default();

    let totals = [
        OutcomeKind::ApbdSaved,
        OutcomeKind::PartnerFunded,
        OutcomeKind::PadEarned,
        OutcomeKind::Beneficiaries,
        OutcomeKind::UmkmReached,
    ]
    .into_iter()
    .map(|kind| {
        let of_kind: Vec<_> = p.outcomes.iter().filter(|o| o.kind == kind).collect();
        let sum: i64 = of_kind.iter().map(|o| o.value).sum();
        Total {
            kind: kind.slug(),
            label: tr.t(&format!("outcome-{}", kind.slug())),
            value: if kind.is_rupiah() { tr.rupiah(sum) } else { tr.number(sum) },
            rows: of_kind
                .iter()
                .map(|o| (o.agreement_id.to_string(), title_of(o.agreement_id), outcome_value(tr, o)))
                .collect(),
        }
    })
    .collect();

    // Named on the stopped list: the agency that has to act.
    let agencies: HashMap<_, _> =
        state.store.agencies(&auth.actor, None).await?.into_iter().map(|g| (g.id, g.name)).collect();
    let mut stopped = Vec::new();
    let mut expiring = Vec::new();
    for a in &p.agreements {
        if let Some(d) = p.dormancy(a, rule_of(a), today) {
            stopped.push((
                a.id.to_string(),
                a.title.clone(),
                tr.t(&format!("dormancy-{}", d.reason.slug())),
                tr.t1("dashboard-months", "months", d.months_idle),
                a.agency_id.and_then(|id| agencies.get(&id).cloned()).unwrap_or_else(|| "—".to_owned()),
            ));
        }
        if let Some(end) = a.ends_on
            && !a.stage.is_terminal()
            && expiry_reminder(end, today, &DEFAULT_REMINDER_DAYS).is_some()
        {
            expiring.push((a.id.to_string(), a.title.clone(), format_date(end, tr.locale)));
        }
    }
    let by_stage = Stage::ALL
        .into_iter()
        .map(|s| {
            (
                s.slug().to_owned(),
                tr.t(&format!("stage-{}", s.slug())),
                p.agreements.iter().filter(|a| a.stage == s).count(),
            )
        })
        .filter(|(_, _, n)| *n > 0)
        .collect();
    let overdue_actions = state
        .store
        .overdue_action_items(&auth.actor, today)
        .await?
        .into_iter()
        .map(|o| {
            let due = o.item.due_on.map(|d| format_date(d, tr.locale)).unwrap_or_default();
            let owner = o.item.owner_label.unwrap_or_else(|| "—".into());
            (o.meeting_id.to_string(), o.item.title, o.meeting_title, due, owner)
        })
        .collect();
    Ok(render(&DashboardPage {
        overdue_actions,
        shell: Shell::new(&auth.ctx, "dashboard-title"),
        totals,
        stopped,
        stopped_help: tr.t1("dashboard-stopped-help", "months", rule.months),
        expiring,
        by_stage,
    }))
}
