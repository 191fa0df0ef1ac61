//! XLSX downloads of the needs map and the cooperation register, in the user's language, with
//! the Pemda's name as letterhead.

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sinergi_io::export::{Sheet, Value, xlsx};
use sinergi_store::cooperation::{PlanFilter, parse_year};

use super::agencies::tree_order;
use super::needs::{current_year, urusan_label};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn download(bytes: Vec<u8>, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

fn letterhead(auth: &Authed) -> (String, String) {
    match auth.actor.scope.tenant() {
        Some(t) => {
            let name = sinergi_reference::region(t).map(|r| r.name.clone()).unwrap_or_else(|| t.to_string());
            let slug = sinergi_domain::org::TenantSlug::from_name(&name)
                .map(|s| s.to_string())
                .unwrap_or_else(|_| t.to_string());
            (name, slug)
        }
        None => ("Sinergi".to_owned(), "semua".to_owned()),
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

pub async fn needs_xlsx(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let year = q.year.as_deref().and_then(|y| parse_year(y).ok()).unwrap_or_else(current_year);
    let needs = state.store.needs(&auth.actor, &PlanFilter { year: Some(year), ..Default::default() }).await?;
    let agencies = state.store.agencies(&auth.actor, None).await?;
    let targets = state.store.targets(&auth.actor, &PlanFilter { year: Some(year), ..Default::default() }).await?;
    let mut rows = Vec::new();
    for (agency, _) in tree_order(&agencies) {
        let mut of_agency: Vec<_> = needs.iter().filter(|n| n.agency_id == agency.id).collect();
        of_agency.sort_by_key(|n| (n.priority.is_none(), n.priority, n.title.clone()));
        for n in of_agency {
            let served: Vec<String> =
                targets.iter().filter(|t| n.target_ids.contains(&t.id)).map(|t| t.indicator.clone()).collect();
            rows.push(vec![
                Value::from(agency.name.clone()),
                n.priority.map(|p| Value::Number(f64::from(p.get()))).unwrap_or(Value::Empty),
                Value::from(n.title.clone()),
                Value::from(n.problem.clone()),
                Value::from(urusan_label(tr, &n.urusan_code)),
                Value::from(tr.t(&format!("partner-kind-{}", n.partner_kind.slug()))),
                Value::from(n.expected_benefit.clone()),
                Value::from(served.join("; ")),
                Value::from(tr.t(&format!("need-status-{}", n.status.slug()))),
            ]);
        }
    }
    let headers: Vec<String> = [
        "field-agency",
        "field-priority",
        "field-title",
        "field-problem",
        "field-urusan",
        "field-partner-kind",
        "field-expected-benefit",
        "needs-targets",
        "field-status",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let (name, slug) = letterhead(&auth);
    let title = format!("{} {year}", tr.t("needs-title").to_uppercase());
    let bytes =
        xlsx(&Sheet { name: &tr.t("needs-title"), title: &title, subtitle: &name, headers: &headers, rows: &rows })
            .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(download(bytes, &format!("peta-kebutuhan-{slug}-{year}.xlsx")))
}

pub async fn agreements_xlsx(State(state): State<AppState>, auth: Authed) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let portfolio = state.store.portfolio(&auth.actor).await?;
    let date = |d: Option<time::Date>| d.map(|d| d.to_string()).map(Value::Text).unwrap_or(Value::Empty);
    let rows: Vec<Vec<Value>> = portfolio
        .agreements
        .iter()
        .map(|a| {
            let sum = |kind: sinergi_domain::cooperation::outcomes::OutcomeKind| -> i64 {
                portfolio.outcomes_of(a.id).iter().filter(|o| o.kind == kind).map(|o| o.value).sum()
            };
            use sinergi_domain::cooperation::outcomes::OutcomeKind::*;
            vec![
                Value::from(a.title.clone()),
                Value::from(tr.t(&format!("agreement-kind-{}", a.kind.slug()))),
                Value::from(tr.t(&format!("stage-{}", a.stage.slug()))),
                Value::from(urusan_label(tr, &a.urusan_code)),
                date(a.kb_signed_on),
                date(a.pks_signed_on),
                date(a.ends_on),
                a.value.map(Value::Rupiah).unwrap_or_else(|| Value::from(tr.t("agreements-not-reported"))),
                Value::Rupiah(sum(ApbdSaved)),
                Value::Rupiah(sum(PartnerFunded)),
                Value::Rupiah(sum(PadEarned)),
                Value::Number(sum(Beneficiaries) as f64),
                Value::Number(sum(UmkmReached) as f64),
            ]
        })
        .collect();
    let headers: Vec<String> = [
        "field-title",
        "field-kind-agreement",
        "field-stage",
        "field-urusan",
        "field-kb-signed-on",
        "field-pks-signed-on",
        "dashboard-ends",
        "field-value",
        "outcome-apbd-saved",
        "outcome-partner-funded",
        "outcome-pad-earned",
        "outcome-beneficiaries",
        "outcome-umkm-reached",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let (name, slug) = letterhead(&auth);
    let title = tr.t("agreements-register").to_uppercase();
    let bytes = xlsx(&Sheet {
        name: &tr.t("agreements-register"),
        title: &title,
        subtitle: &name,
        headers: &headers,
        rows: &rows,
    })
    .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
    Ok(download(bytes, &format!("register-kerja-sama-{slug}.xlsx")))
}
