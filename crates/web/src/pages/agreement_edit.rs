//! The facts of an agreement an officer fills in after drafting it: scope, place, term, value
//! and funding, the DPRD inputs, and each party's signatory and document number.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use sinergi_domain::auth::FieldError;
use sinergi_domain::cooperation::funding::{FundingForm, FundingSource};
use sinergi_domain::cooperation::outcomes::parse_amount;
use sinergi_domain::{AgencyId, RegionCode};
use sinergi_store::agencies::Agency;
use sinergi_store::agreements::{AgreementDetail, AgreementDetails, PartySigning, parse_date};

use super::{FormErrors, Shell, render, render_invalid, see_other};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::i18n::Tr;

pub struct PartyFields {
    pub seq: usize,
    pub name: String,
    pub signatory_name: String,
    pub signatory_position: String,
    pub document_number: String,
    pub signs_by_authority: bool,
}

#[derive(Template)]
#[template(path = "agreement_form.html")]
struct AgreementFormPage {
    shell: Shell,
    id: String,
    values: HashMap<String, String>,
    parties: Vec<PartyFields>,
    urusan: Vec<(String, String)>,
    agencies: Vec<(String, String)>,
    funding_sources: Vec<(String, String)>,
    funding_forms: Vec<(String, String)>,
    burdens_public: bool,
    budgeted_in_apbd: bool,
    errors: FormErrors,
}

impl AgreementFormPage {
    fn value(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or_default()
    }
}

fn choices<T: Copy>(tr: Tr, all: &[T], slug: fn(T) -> &'static str, prefix: &str) -> Vec<(String, String)> {
    all.iter().map(|v| (slug(*v).to_owned(), tr.t(&format!("{prefix}-{}", slug(*v))))).collect()
}

/// The agencies of the Pemda that keeps the agreement: one of them answers for it.
async fn keeper_agencies(state: &AppState, auth: &Authed, d: &AgreementDetail) -> AppResult<Vec<Agency>> {
    Ok(state.store.agencies(&auth.actor, Some(&d.agreement.tenant)).await?.into_iter().filter(|g| g.active).collect())
}

fn form_page(
    auth: &Authed,
    d: &AgreementDetail,
    agencies: &[Agency],
    values: HashMap<String, String>,
    parties: Vec<PartyFields>,
    flags: (bool, bool),
    errors: FormErrors,
) -> AgreementFormPage {
    let tr = auth.ctx.tr();
    let mut shell = Shell::new(&auth.ctx, "agreements-edit");
    shell.title = format!("{} — {}", tr.t("agreements-edit"), d.agreement.title);
    AgreementFormPage {
        shell,
        id: d.agreement.id.to_string(),
        values,
        parties,
        agencies: agencies.iter().map(|g| (g.id.to_string(), g.name.clone())).collect(),
        urusan: sinergi_reference::urusan_all()
            .iter()
            .map(|u| (u.code.clone(), format!("{} {}", u.code, u.name(tr.locale))))
            .collect(),
        funding_sources: choices(tr, FundingSource::ALL, FundingSource::slug, "funding-source"),
        funding_forms: choices(tr, FundingForm::ALL, FundingForm::slug, "funding-form"),
        burdens_public: flags.0,
        budgeted_in_apbd: flags.1,
        errors,
    }
}

fn agreement_id(s: &str) -> AppResult<sinergi_domain::AgreementId> {
    s.parse().map_err(|_| AppError::NotFound)
}

pub async fn edit_form(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
) -> AppResult<Response> {
    let d = state.store.agreement(&auth.actor, self::agreement_id(&agreement_id)?).await?;
    if d.shared {
        // Only the keeper changes the record; a party Pemda reads it.
        return Err(AppError::Forbidden);
    }
    let agencies = keeper_agencies(&state, &auth, &d).await?;
    let a = &d.agreement;
    let date = |v: Option<time::Date>| v.map(|d| d.to_string()).unwrap_or_default();
    let values = HashMap::from([
        ("title".to_owned(), a.title.clone()),
        ("scope".to_owned(), a.scope.clone()),
        ("urusan".to_owned(), a.urusan_code.clone()),
        ("agency_id".to_owned(), a.agency_id.map(|id| id.to_string()).unwrap_or_default()),
        ("location_codes".to_owned(), a.location_codes.iter().map(RegionCode::as_str).collect::<Vec<_>>().join(", ")),
        ("starts_on".to_owned(), date(a.starts_on)),
        ("ends_on".to_owned(), date(a.ends_on)),
        ("value".to_owned(), a.value.map(|v| v.to_string()).unwrap_or_default()),
        ("funding_source".to_owned(), a.funding.map(|f| f.slug().to_owned()).unwrap_or_default()),
        ("funding_form".to_owned(), a.funding_form.map(|f| f.slug().to_owned()).unwrap_or_default()),
    ]);
    let parties = d
        .parties
        .iter()
        .enumerate()
        .map(|(seq, p)| PartyFields {
            seq,
            name: p.name.clone(),
            signatory_name: p.signatory_name.clone().unwrap_or_default(),
            signatory_position: p.signatory_position.clone().unwrap_or_default(),
            document_number: p.document_number.clone().unwrap_or_default(),
            signs_by_authority: p.signs_by_authority,
        })
        .collect();
    Ok(render(&form_page(
        &auth,
        &d,
        &agencies,
        values,
        parties,
        (a.burdens_public, a.budgeted_in_apbd),
        FormErrors::default(),
    )))
}

/// Region codes as officers type them: "36.73, 36.04" or one per line; each must be a known
/// Kemendagri code.
fn parse_locations(input: &str) -> Result<Vec<RegionCode>, FieldError> {
    let mut codes = Vec::new();
    for raw in input.split([',', ';', '\n']).map(str::trim).filter(|s| !s.is_empty()) {
        let code = RegionCode::parse(raw).map_err(|_| FieldError::new("location_codes", "invalid-region-code"))?;
        if sinergi_reference::region(&code).is_none() {
            return Err(FieldError::new("location_codes", "unknown-region-code"));
        }
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

fn optional_choice<T: std::str::FromStr<Err = FieldError>>(s: &str) -> Result<Option<T>, FieldError> {
    match s.trim() {
        "" => Ok(None),
        t => t.parse().map(Some),
    }
}

pub async fn update(
    State(state): State<AppState>,
    auth: Authed,
    Path(agreement_id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let tr = auth.ctx.tr();
    let id = self::agreement_id(&agreement_id)?;
    let d = state.store.agreement(&auth.actor, id).await?;
    let agencies = keeper_agencies(&state, &auth, &d).await?;
    let values: HashMap<String, String> = fields.into_iter().collect();
    let get = |k: &str| values.get(k).map(String::as_str).unwrap_or_default();
    let mut errors = Vec::new();
    let starts_on = parse_date("starts_on", get("starts_on")).map_err(|e| errors.push(e)).ok();
    let ends_on = parse_date("ends_on", get("ends_on")).map_err(|e| errors.push(e)).ok();
    // A blank value is "not reported", never zero.
    let value = match get("value").trim() {
        "" => Some(None),
        v => parse_amount("value", v).map(Some).map_err(|e| errors.push(e)).ok(),
    };
    let funding = optional_choice::<FundingSource>(get("funding_source")).map_err(|e| errors.push(e)).ok();
    let funding_form = optional_choice::<FundingForm>(get("funding_form")).map_err(|e| errors.push(e)).ok();
    let locations = parse_locations(get("location_codes")).map_err(|e| errors.push(e)).ok();
    let agency_id = match get("agency_id").trim() {
        "" => Some(None),
        raw => match raw.parse::<AgencyId>() {
            Ok(id) if agencies.iter().any(|g| g.id == id) => Some(Some(id)),
            _ => {
                errors.push(FieldError::new("agency_id", "invalid-choice"));
                None
            }
        },
    };
    let urusan = get("urusan").trim().to_owned();
    if sinergi_reference::urusan(&urusan).is_none() {
        errors.push(FieldError::new("urusan", "invalid-choice"));
    }
    let flags = (values.contains_key("burdens_public"), values.contains_key("budgeted_in_apbd"));
    let parties: Vec<PartyFields> = d
        .parties
        .iter()
        .enumerate()
        .map(|(seq, p)| PartyFields {
            seq,
            name: p.name.clone(),
            signatory_name: get(&format!("signatory_name_{seq}")).to_owned(),
            signatory_position: get(&format!("signatory_position_{seq}")).to_owned(),
            document_number: get(&format!("document_number_{seq}")).to_owned(),
            signs_by_authority: values.contains_key(&format!("signs_by_authority_{seq}")),
        })
        .collect();
    let mut shown = FormErrors::default();
    if let (
        Some(starts_on),
        Some(ends_on),
        Some(value),
        Some(funding),
        Some(funding_form),
        Some(location_codes),
        Some(agency_id),
        true,
    ) = (starts_on, ends_on, value, funding, funding_form, locations, agency_id, errors.is_empty())
    {
        let details = AgreementDetails {
            title: get("title").to_owned(),
            scope: get("scope").to_owned(),
            urusan_code: urusan,
            location_codes,
            starts_on,
            ends_on,
            value,
            funding,
            funding_form,
            burdens_public: flags.0,
            budgeted_in_apbd: flags.1,
            agency_id,
        };
        let signing = parties
            .iter()
            .map(|p| PartySigning {
                seq: p.seq,
                signatory_name: Some(p.signatory_name.clone()),
                signatory_position: Some(p.signatory_position.clone()),
                document_number: Some(p.document_number.clone()),
                signs_by_authority: p.signs_by_authority,
            })
            .collect();
        match state.store.update_agreement(&auth.actor, id, details, signing).await {
            Ok(_) => return Ok(see_other(&format!("/cooperation/agreements/{id}"))),
            Err(e) => shown.absorb(tr, e.into())?,
        }
    }
    errors.iter().for_each(|e| shown.add(tr, e));
    Ok(render_invalid(&form_page(&auth, &d, &agencies, values, parties, flags, shown)))
}
