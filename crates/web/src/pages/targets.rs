//! Performance targets: the list per year, a form for one, and the XLSX import for many.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_domain::{AgencyId, Permission};
use sinergi_io::SheetError;
use sinergi_store::cooperation::{PlanFilter, TargetInput, parse_year};

use super::needs::current_year;
use super::{FormErrors, Shell, render, render_invalid};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

pub struct TargetView {
    pub agency: String,
    pub indicator: String,
    pub target: String,
    pub realised: String,
}

#[derive(Default)]
pub struct TargetFormValues {
    pub agency_id: String,
    pub year: String,
    pub indicator: String,
    pub unit: String,
    pub target_value: String,
    pub realised_value: String,
}

#[derive(Template)]
#[template(path = "targets.html")]
struct TargetsPage {
    shell: Shell,
    year: i32,
    rows: Vec<TargetView>,
    agencies: Vec<(String, String)>,
    form: TargetFormValues,
    errors: FormErrors,
    import_errors: Vec<String>,
    notice: Option<String>,
}

struct Extra {
    form: TargetFormValues,
    errors: FormErrors,
    import_errors: Vec<String>,
    notice: Option<String>,
}

async fn page(state: &AppState, auth: &Authed, year: i32, extra: Extra) -> AppResult<TargetsPage> {
    let tr = auth.ctx.tr();
    let agencies = state.store.agencies(&auth.actor, None).await?;
    let targets = state.store.targets(&auth.actor, &PlanFilter { year: Some(year), ..Default::default() }).await?;
    let rows = targets
        .into_iter()
        .map(|t| TargetView {
            agency: agencies.iter().find(|a| a.id == t.agency_id).map(|a| a.name.clone()).unwrap_or_default(),
            indicator: t.indicator,
            target: format!("{} {}", tr.decimal(t.target_value), t.unit),
            realised: t.realised_value.map(|v| format!("{} {}", tr.decimal(v), t.unit)).unwrap_or_else(|| "—".into()),
        })
        .collect();
    let plannable = if auth.actor.can(Permission::PlanCooperation) {
        agencies.iter().filter(|a| auth.actor.may_plan_for(a.id)).map(|a| (a.id.to_string(), a.name.clone())).collect()
    } else {
        Vec::new()
    };
    let mut form = extra.form;
    if form.year.is_empty() {
        form.year = year.to_string();
    }
    if form.agency_id.is_empty() {
        form.agency_id = auth.actor.agency.map(|a| a.to_string()).unwrap_or_default();
    }
    Ok(TargetsPage {
        shell: Shell::new(&auth.ctx, "targets-title"),
        year,
        rows,
        agencies: plannable,
        form,
        errors: extra.errors,
        import_errors: extra.import_errors,
        notice: extra.notice,
    })
}

fn no_extra() -> Extra {
    Extra { form: TargetFormValues::default(), errors: FormErrors::default(), import_errors: Vec::new(), notice: None }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<String>,
}

pub async fn list(State(state): State<AppState>, auth: Authed, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let year = q.year.as_deref().and_then(|y| parse_year(y).ok()).unwrap_or_else(current_year);
    Ok(render(&page(&state, &auth, year, no_extra()).await?))
}

#[derive(Deserialize, Default)]
pub struct TargetForm {
    #[serde(default)]
    agency_id: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    indicator: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    target_value: String,
    #[serde(default)]
    realised_value: String,
}

fn tenant(auth: &Authed) -> AppResult<sinergi_domain::RegionCode> {
    auth.actor.scope.tenant().cloned().ok_or(AppError::Forbidden)
}

pub async fn create(State(state): State<AppState>, auth: Authed, Form(f): Form<TargetForm>) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant(&auth)?;
    let mut errors = FormErrors::default();
    let agency =
        f.agency_id.parse::<AgencyId>().map_err(|_| errors.add_msg("agency_id", tr.reason("invalid-choice"))).ok();
    let input = TargetInput::parse(&f.year, &f.indicator, &f.unit, &f.target_value, &f.realised_value)
        .map_err(|list| list.iter().for_each(|e| errors.add(tr, e)))
        .ok();
    let year = parse_year(&f.year).unwrap_or_else(|_| current_year());
    if let (Some(agency), Some(input)) = (agency, input) {
        match state.store.create_target(&auth.actor, &tenant, agency, input).await {
            Ok(_) => {
                let extra = Extra { notice: Some(tr.t("saved")), ..no_extra() };
                return Ok(render(&page(&state, &auth, year, extra).await?));
            }
            Err(e) => errors.absorb(tr, e.into())?,
        }
    }
    let form = TargetFormValues {
        agency_id: f.agency_id,
        year: f.year,
        indicator: f.indicator,
        unit: f.unit,
        target_value: f.target_value,
        realised_value: f.realised_value,
    };
    Ok(render_invalid(&page(&state, &auth, year, Extra { form, errors, ..no_extra() }).await?))
}

/// The largest spreadsheet accepted: targets of one agency fit in far less.
const MAX_UPLOAD: usize = 5 * 1024 * 1024;

fn sheet_message(tr: Tr, e: &SheetError) -> String {
    match e {
        SheetError::NotXlsx | SheetError::NoSheet => tr.t("import-not-xlsx"),
        SheetError::NoHeader(col) => tr.t1("import-no-header", "column", tr.t(&format!("import-column-{col}"))),
        SheetError::Empty => tr.t("import-empty"),
        SheetError::TooLarge(n) => tr.t1("import-too-large", "rows", tr.number(*n as i64)),
    }
}

pub async fn import(State(state): State<AppState>, auth: Authed, mut multipart: Multipart) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let tenant = tenant(&auth)?;
    let (mut agency, mut year, mut file) = (String::new(), String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|e| AppError::BadRequest(e.to_string()))? {
        match field.name().unwrap_or_default() {
            "agency_id" => agency = field.text().await.map_err(|e| AppError::BadRequest(e.to_string()))?,
            "year" => year = field.text().await.map_err(|e| AppError::BadRequest(e.to_string()))?,
            "file" => {
                let bytes = field.bytes().await.map_err(|e| AppError::BadRequest(e.to_string()))?;
                if bytes.len() > MAX_UPLOAD {
                    return Err(AppError::BadRequest("file too large".into()));
                }
                file = bytes.to_vec();
            }
            _ => {}
        }
    }
    let default_year = parse_year(&year).ok();
    let shown_year = default_year.unwrap_or_else(current_year);
    let refuse = |messages: Vec<String>| Extra { import_errors: messages, ..no_extra() };
    let agency: AgencyId = match agency.parse() {
        Ok(a) => a,
        Err(_) => {
            return Ok(render_invalid(
                &page(&state, &auth, shown_year, refuse(vec![tr.reason("invalid-choice")])).await?,
            ));
        }
    };
    let rows = match sinergi_io::targets::read_targets(&file, default_year) {
        Err(e) => {
            return Ok(render_invalid(&page(&state, &auth, shown_year, refuse(vec![sheet_message(tr, &e)])).await?));
        }
        Ok(Err(row_errors)) => {
            let messages = row_errors
                .iter()
                .take(50)
                .map(|e| {
                    let place = if e.column.is_empty() {
                        tr.t1("import-row", "row", e.row)
                    } else {
                        format!("{} · {}", tr.t1("import-row", "row", e.row), e.column)
                    };
                    format!("{place}: {}", tr.reason(e.reason))
                })
                .collect();
            return Ok(render_invalid(&page(&state, &auth, shown_year, refuse(messages)).await?));
        }
        Ok(Ok(rows)) => rows,
    };
    let inputs = rows
        .into_iter()
        .map(|r| TargetInput {
            year: r.year,
            indicator: r.indicator,
            unit: r.unit,
            target_value: r.target,
            realised_value: r.realised,
        })
        .collect();
    let done = state.store.import_targets(&auth.actor, &tenant, agency, inputs).await?;
    let extra = Extra { notice: Some(tr.t1("import-done", "count", done.len())), ..no_extra() };
    Ok(render(&page(&state, &auth, shown_year, extra).await?))
}
