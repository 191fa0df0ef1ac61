//! The partner registry over JSON: partners, their contacts and their offers.
//!
//! Saving a partner that looks like one already in the registry answers 409 with the
//! look-alikes (`code: "duplicate"`), exactly as the form shows them back; the client saves it
//! anyway by sending the same body again with `"confirm_new": true`, the form's "this is a
//! different partner" box.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sinergi_domain::auth::FieldError;
use sinergi_domain::cooperation::needs::PartnerKind;
use sinergi_domain::{Actor, PartnerId};
use sinergi_store::partners::{Contact, ContactInput, Offer, Partner, PartnerFilter, PartnerInput, Similar};
use utoipa::{IntoParams, ToSchema};

use super::cooperation::write_tenant;
use super::tokens::rfc3339;
use super::{ApiJson, ErrorDetail};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::pages::partners::{check_references, parse_offer, visible_npwp, visible_phone};

/// The first error of a parse that collects them all: the API names one field at a time.
pub(super) fn first_error(errors: Vec<FieldError>, what: &str) -> AppError {
    errors.into_iter().next().map(AppError::Invalid).unwrap_or_else(|| AppError::BadRequest(what.to_owned()))
}

#[derive(Serialize, ToSchema)]
pub struct PartnerDto {
    pub id: String,
    /// The Pemda whose registry holds the partner.
    pub tenant: String,
    /// region, company, state-enterprise, bank, university, association, retailer, cooperative, foreign
    pub kind: String,
    pub name: String,
    /// For another Pemda its region code; for others where it is based.
    pub region_code: Option<String>,
    pub nib: Option<String>,
    /// Whole (formatted) for those who keep the registry, masked for other roles.
    pub npwp: Option<String>,
    pub kbli: Option<String>,
    pub sector: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub active: bool,
    pub updated_at: String,
}

impl PartnerDto {
    fn new(p: Partner, viewer: &Actor) -> Self {
        Self {
            id: p.id.to_string(),
            tenant: p.tenant.to_string(),
            kind: p.kind.slug().to_owned(),
            region_code: p.region_code.map(|c| c.to_string()),
            nib: p.nib.map(|n| n.to_string()),
            npwp: p.npwp.as_ref().map(|n| visible_npwp(n, viewer)),
            kbli: p.kbli.map(|k| k.to_string()),
            name: p.name,
            sector: p.sector,
            address: p.address,
            website: p.website,
            description: p.description,
            active: p.active,
            updated_at: rfc3339(p.updated_at_ms),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ContactDto {
    pub id: String,
    pub name: String,
    pub position: Option<String>,
    pub email: Option<String>,
    /// Personal data: whole for those who keep the registry, masked (+62812****7890) for others.
    pub phone: Option<String>,
}

impl ContactDto {
    fn new(c: Contact, viewer: &Actor) -> Self {
        Self {
            id: c.id.to_string(),
            phone: c.phone.as_ref().map(|p| visible_phone(p, viewer)),
            email: c.email.map(|e| e.to_string()),
            name: c.name,
            position: c.position,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OfferDto {
    pub id: String,
    pub partner_id: String,
    /// Government affair code (Permendagri 90/2019), e.g. 2.17.
    pub urusan: String,
    pub title: String,
    pub description: String,
    /// The region the offer covers, when it is limited to one.
    pub area_code: Option<String>,
}

impl From<Offer> for OfferDto {
    fn from(o: Offer) -> Self {
        Self {
            id: o.id.to_string(),
            partner_id: o.partner_id.to_string(),
            urusan: o.urusan_code,
            title: o.title,
            description: o.description,
            area_code: o.area_code.map(|c| c.to_string()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PartnerDetailDto {
    #[serde(flatten)]
    pub partner: PartnerDto,
    pub contacts: Vec<ContactDto>,
    pub offers: Vec<OfferDto>,
}

#[derive(Deserialize, IntoParams)]
pub struct PartnerQuery {
    /// A partner kind slug, e.g. bank.
    pub kind: Option<String>,
    /// Words of the name.
    pub q: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct PartnerBody {
    /// Platform only: the Pemda whose registry gets the partner.
    pub tenant: Option<String>,
    pub kind: String,
    pub name: String,
    /// Required for another Pemda (kind region).
    pub region_code: Option<String>,
    /// 13 digits.
    pub nib: Option<String>,
    /// 15 or 16 digits.
    pub npwp: Option<String>,
    pub kbli: Option<String>,
    pub sector: Option<String>,
    pub address: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    /// Save although similar partners exist: the caller has looked at the 409's list and says
    /// this one is different.
    #[serde(default)]
    pub confirm_new: bool,
}

fn yes() -> bool {
    true
}

impl PartnerBody {
    fn input(&self) -> AppResult<PartnerInput> {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        PartnerInput::parse(
            &self.kind,
            &self.name,
            &text(&self.region_code),
            &text(&self.nib),
            &text(&self.npwp),
            &text(&self.kbli),
            &text(&self.sector),
            &text(&self.address),
            &text(&self.website),
            &text(&self.description),
            self.active,
        )
        .and_then(check_references)
        .map_err(|e| first_error(e, "partner"))
    }
}

#[derive(Serialize, ToSchema)]
pub struct SimilarDto {
    pub id: String,
    pub name: String,
    pub kind: String,
    pub region_code: Option<String>,
    /// same-nib, same-npwp, same-region, same-name, similar-name (strongest first).
    pub reason: String,
    /// The reason in the caller's language.
    pub reason_label: String,
}

/// The 409 answer when the partner looks like one already registered.
#[derive(Serialize, ToSchema)]
pub struct DuplicateBody {
    /// `code` is `duplicate`, `reason` the strongest reason of the first look-alike.
    pub error: ErrorDetail,
    pub similar: Vec<SimilarDto>,
}

#[derive(Deserialize, ToSchema)]
pub struct ContactBody {
    pub name: String,
    pub position: Option<String>,
    pub email: Option<String>,
    /// An Indonesian number, e.g. 0812-3456-7890.
    pub phone: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct OfferBody {
    pub title: String,
    pub description: String,
    /// Government affair code (Permendagri 90/2019), e.g. 2.17.
    pub urusan: String,
    pub area_code: Option<String>,
}

fn partner_id(s: &str) -> AppResult<PartnerId> {
    s.parse().map_err(|_| AppError::NotFound)
}

#[utoipa::path(get, path = "/api/v1/partners", tag = "partners", security(("bearer" = [])), params(PartnerQuery),
    responses((status = 200, body = [PartnerDto]), (status = 422, body = super::ErrorBody)))]
pub async fn list_partners(
    State(state): State<AppState>,
    auth: Authed,
    Query(q): Query<PartnerQuery>,
) -> AppResult<Json<Vec<PartnerDto>>> {
    let kind = match q.kind.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        Some(k) => Some(k.parse::<PartnerKind>().map_err(|_| FieldError::new("kind", "invalid-choice"))?),
        None => None,
    };
    let filter = PartnerFilter { kind, query: q.q };
    let partners = state.store.partners(&auth.actor, &filter).await?;
    Ok(Json(partners.into_iter().map(|p| PartnerDto::new(p, &auth.actor)).collect()))
}

#[utoipa::path(get, path = "/api/v1/partners/{partner_id}", tag = "partners", security(("bearer" = [])),
    params(("partner_id" = String, Path)), responses((status = 200, body = PartnerDetailDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_partner(
    State(state): State<AppState>,
    auth: Authed,
    Path(partner_id): Path<String>,
) -> AppResult<Json<PartnerDetailDto>> {
    let d = state.store.partner(&auth.actor, self::partner_id(&partner_id)?).await?;
    let viewer = &auth.actor;
    Ok(Json(PartnerDetailDto {
        partner: PartnerDto::new(d.partner, viewer),
        contacts: d.contacts.into_iter().map(|c| ContactDto::new(c, viewer)).collect(),
        offers: d.offers.into_iter().map(Into::into).collect(),
    }))
}

/// The look-alikes as a 409, in the caller's language.
fn duplicate(auth: &Authed, similar: Vec<Similar>) -> Response {
    let tr = auth.ctx.tr();
    let error = ErrorDetail {
        code: "duplicate".to_owned(),
        field: Some("name".to_owned()),
        reason: similar.first().map(|s| s.reason.slug().to_owned()),
        message: tr.t("partners-duplicate-warning"),
    };
    let similar = similar
        .into_iter()
        .map(|s| SimilarDto {
            id: s.partner.id.to_string(),
            kind: s.partner.kind.slug().to_owned(),
            region_code: s.partner.region_code.map(|c| c.to_string()),
            name: s.partner.name,
            reason: s.reason.slug().to_owned(),
            reason_label: tr.t(&format!("duplicate-{}", s.reason.slug())),
        })
        .collect();
    (StatusCode::CONFLICT, Json(DuplicateBody { error, similar })).into_response()
}

#[utoipa::path(post, path = "/api/v1/partners", tag = "partners", security(("bearer" = [])), request_body = PartnerBody,
    responses((status = 201, body = PartnerDto), (status = 409, description = "Similar partners exist; resend with confirm_new", body = DuplicateBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn create_partner(
    State(state): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<PartnerBody>,
) -> AppResult<Response> {
    let tenant = write_tenant(&auth, body.tenant.as_deref())?;
    let input = body.input()?;
    if !body.confirm_new {
        // The platform sees every registry; only the one the partner goes into matters.
        let similar: Vec<Similar> = state
            .store
            .similar_partners(&auth.actor, &input, None)
            .await?
            .into_iter()
            .filter(|s| s.partner.tenant == tenant)
            .collect();
        if !similar.is_empty() {
            return Ok(duplicate(&auth, similar));
        }
    }
    let partner = state.store.create_partner(&auth.actor, &tenant, input).await?;
    Ok((StatusCode::CREATED, Json(PartnerDto::new(partner, &auth.actor))).into_response())
}

#[utoipa::path(put, path = "/api/v1/partners/{partner_id}", tag = "partners", security(("bearer" = [])), request_body = PartnerBody,
    params(("partner_id" = String, Path)),
    responses((status = 200, body = PartnerDto), (status = 404, body = super::ErrorBody),
        (status = 409, description = "Similar partners exist; resend with confirm_new", body = DuplicateBody),
        (status = 422, body = super::ErrorBody)))]
pub async fn update_partner(
    State(state): State<AppState>,
    auth: Authed,
    Path(partner_id): Path<String>,
    ApiJson(body): ApiJson<PartnerBody>,
) -> AppResult<Response> {
    let id = self::partner_id(&partner_id)?;
    let tenant = state.store.partner(&auth.actor, id).await?.partner.tenant;
    let input = body.input()?;
    if !body.confirm_new {
        let similar: Vec<Similar> = state
            .store
            .similar_partners(&auth.actor, &input, Some(id))
            .await?
            .into_iter()
            .filter(|s| s.partner.tenant == tenant)
            .collect();
        if !similar.is_empty() {
            return Ok(duplicate(&auth, similar));
        }
    }
    let partner = state.store.update_partner(&auth.actor, id, input).await?;
    Ok(Json(PartnerDto::new(partner, &auth.actor)).into_response())
}

#[utoipa::path(post, path = "/api/v1/partners/{partner_id}/contacts", tag = "partners", security(("bearer" = [])), request_body = ContactBody,
    params(("partner_id" = String, Path)),
    responses((status = 201, body = ContactDto), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_contact(
    State(state): State<AppState>,
    auth: Authed,
    Path(partner_id): Path<String>,
    ApiJson(body): ApiJson<ContactBody>,
) -> AppResult<(StatusCode, Json<ContactDto>)> {
    let id = self::partner_id(&partner_id)?;
    state.store.partner(&auth.actor, id).await?;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let input = ContactInput::parse(&body.name, &text(&body.position), &text(&body.email), &text(&body.phone))
        .map_err(|errors| {
            // The form calls the name `contact_name` (the partner's own name is on the same
            // page); this body calls it `name`, and the error must name the field sent.
            let renamed = errors
                .into_iter()
                .map(|e| if e.field == "contact_name" { FieldError::new("name", e.reason) } else { e })
                .collect();
            first_error(renamed, "contact")
        })?;
    let contact = state.store.add_contact(&auth.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(ContactDto::new(contact, &auth.actor))))
}

#[utoipa::path(get, path = "/api/v1/partners/{partner_id}/offers", tag = "partners", security(("bearer" = [])),
    params(("partner_id" = String, Path)), responses((status = 200, body = [OfferDto]), (status = 404, body = super::ErrorBody)))]
pub async fn list_partner_offers(
    State(state): State<AppState>,
    auth: Authed,
    Path(partner_id): Path<String>,
) -> AppResult<Json<Vec<OfferDto>>> {
    let d = state.store.partner(&auth.actor, self::partner_id(&partner_id)?).await?;
    Ok(Json(d.offers.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/partners/{partner_id}/offers", tag = "partners", security(("bearer" = [])), request_body = OfferBody,
    params(("partner_id" = String, Path)),
    responses((status = 201, body = OfferDto), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_offer(
    State(state): State<AppState>,
    auth: Authed,
    Path(partner_id): Path<String>,
    ApiJson(body): ApiJson<OfferBody>,
) -> AppResult<(StatusCode, Json<OfferDto>)> {
    let id = self::partner_id(&partner_id)?;
    state.store.partner(&auth.actor, id).await?;
    let input = parse_offer(&body.title, &body.description, &body.urusan, body.area_code.as_deref().unwrap_or(""))
        .map_err(|e| first_error(e, "offer"))?;
    let offer = state.store.add_offer(&auth.actor, id, input).await?;
    Ok((StatusCode::CREATED, Json(offer.into())))
}

#[utoipa::path(get, path = "/api/v1/offers", tag = "partners", security(("bearer" = [])),
    responses((status = 200, body = [OfferDto])))]
pub async fn list_offers(State(state): State<AppState>, auth: Authed) -> AppResult<Json<Vec<OfferDto>>> {
    Ok(Json(state.store.offers(&auth.actor).await?.into_iter().map(Into::into).collect()))
}
