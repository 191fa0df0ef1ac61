//! Markets over JSON: channels with their funnels and pipelines, putting a business into a
//! pipeline and moving it (refused with the missing requirements named), and financing
//! referrals (a bank's user sees and moves only its bank's). Money is whole rupiah.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sinergi_domain::auth::FieldError;
use sinergi_domain::market::{ReferralStatus, Stage};
use sinergi_domain::{BusinessId, PartnerId, RegionCode, Scope};
use sinergi_store::markets::{Channel, EntryRow, Funnel, ReferralFilter, ReferralInput, ReferralMove, ReferralRow};
use utoipa::ToSchema;

use super::ApiJson;
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, AppResult};
use crate::jobs::today_wib;
use crate::pages::channels::{channel_id, date_or_today, entry_id};
use crate::pages::financing::referral_id;

fn tenant_of(auth: &Authed) -> AppResult<RegionCode> {
    match &auth.actor.scope {
        Scope::Tenant(t) => Ok(t.clone()),
        // Channels and referrals are a Pemda's; the platform has none of its own.
        Scope::Platform => Err(AppError::Forbidden),
    }
}

fn date_opt(s: &Option<String>, field: &'static str) -> Result<time::Date, FieldError> {
    date_or_today(s.as_deref().unwrap_or(""), field)
}

#[derive(Serialize, ToSchema)]
pub struct FunnelDto {
    pub submitted: usize,
    pub requirements_met: usize,
    pub accepted: usize,
    pub supplying: usize,
    pub declined: usize,
    pub withdrawn: usize,
}

impl From<&Funnel> for FunnelDto {
    fn from(f: &Funnel) -> Self {
        Self {
            submitted: f.submitted,
            requirements_met: f.requirements_met,
            accepted: f.accepted,
            supplying: f.supplying,
            declined: f.declined,
            withdrawn: f.withdrawn,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct KitchenDto {
    pub suppliers: usize,
    /// Suppliers short of the fifteen a kitchen should draw on.
    pub short_by: usize,
    /// The supplier holding more than 20 % of the kitchen's supply, with its share in percent.
    pub dominant_business_id: Option<String>,
    pub dominant_share_percent: Option<u32>,
    /// Whole rupiah a month.
    pub monthly_total: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ChannelDto {
    pub id: String,
    /// ritel-modern, mbg-sppg, koperasi, e-katalog, lainnya
    pub kind: String,
    pub name: String,
    pub partner_id: Option<String>,
    pub partner_name: Option<String>,
    /// An SPPG kitchen's desa code.
    pub desa_code: Option<String>,
    pub daily_portions: Option<u32>,
    /// The checklist: nib, npwp, pirt, halal, bpom-md, label, barcode, kapasitas
    pub requirements: Vec<String>,
    pub funnel: FunnelDto,
    pub kitchen: Option<KitchenDto>,
}

#[derive(Serialize, ToSchema)]
pub struct EntryDto {
    pub id: String,
    pub business_id: String,
    pub business_name: String,
    pub kecamatan_code: Option<String>,
    /// diajukan, syarat-lengkap, diterima, memasok, ditolak, mundur
    pub stage: String,
    pub met: Vec<String>,
    pub missing: Vec<String>,
    pub submitted_on: String,
    pub requirements_met_on: Option<String>,
    pub accepted_on: Option<String>,
    pub supplying_on: Option<String>,
    pub closed_on: Option<String>,
    /// Whole rupiah a month, for a kitchen's supplier.
    pub monthly_supply: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ChannelDetailDto {
    pub channel: ChannelDto,
    pub entries: Vec<EntryDto>,
}

fn slugs(v: &[sinergi_domain::market::Requirement]) -> Vec<String> {
    v.iter().map(|r| r.slug().to_owned()).collect()
}

fn channel_dto(c: &Channel, funnel: &Funnel, entries: Option<&[EntryRow]>) -> ChannelDto {
    let kitchen = (c.kind == sinergi_domain::market::ChannelKind::Mbg).then(|| {
        let h = sinergi_store::markets::kitchen_health(entries.unwrap_or_default());
        KitchenDto {
            suppliers: h.suppliers,
            short_by: h.short_by,
            dominant_business_id: h.dominant.as_ref().map(|(b, _, _)| b.to_string()),
            dominant_share_percent: h.dominant.as_ref().map(|(_, _, s)| *s),
            monthly_total: h.monthly_total,
        }
    });
    ChannelDto {
        id: c.id.to_string(),
        kind: c.kind.slug().to_owned(),
        name: c.name.clone(),
        partner_id: c.partner_id.map(|p| p.to_string()),
        partner_name: c.partner_name.clone(),
        desa_code: c.desa.as_ref().map(|d| d.to_string()),
        daily_portions: c.daily_portions,
        requirements: slugs(&c.requirements),
        funnel: funnel.into(),
        kitchen,
    }
}

fn entry_dto(e: &EntryRow) -> EntryDto {
    let d = |d: Option<time::Date>| d.map(|d| d.to_string());
    EntryDto {
        id: e.id.to_string(),
        business_id: e.business.to_string(),
        business_name: e.business_name.clone(),
        kecamatan_code: e.kecamatan.as_ref().map(|k| k.to_string()),
        stage: e.stage.slug().to_owned(),
        met: slugs(&e.met),
        missing: slugs(&e.missing),
        submitted_on: e.submitted_on.to_string(),
        requirements_met_on: d(e.requirements_met_on),
        accepted_on: d(e.accepted_on),
        supplying_on: d(e.supplying_on),
        closed_on: d(e.closed_on),
        monthly_supply: e.monthly_supply,
    }
}

/// The Pemda's channels with their funnels (and kitchens' supply health).
#[utoipa::path(get, path = "/api/v1/channels", tag = "markets", security(("bearer" = [])),
    responses((status = 200, body = [ChannelDto]), (status = 403, body = super::ErrorBody)))]
pub async fn list_channels(State(state): State<AppState>, auth: Authed) -> AppResult<Json<Vec<ChannelDto>>> {
    let tenant = tenant_of(&auth)?;
    let today = today_wib();
    let list = state.store.channels(&auth.actor, &tenant, today).await?;
    let mut out = Vec::with_capacity(list.len());
    for s in &list {
        // The kitchen's dominant supplier is named by id: read its entries.
        let entries = if s.kitchen.is_some() {
            Some(state.store.channel_entries(&auth.actor, &tenant, s.channel.id, today).await?.1)
        } else {
            None
        };
        out.push(channel_dto(&s.channel, &s.funnel, entries.as_deref()));
    }
    Ok(Json(out))
}

/// One channel with its pipeline.
#[utoipa::path(get, path = "/api/v1/channels/{channel_id}", tag = "markets", security(("bearer" = [])),
    params(("channel_id" = String, Path)), responses((status = 200, body = ChannelDetailDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_channel(
    State(state): State<AppState>,
    auth: Authed,
    Path(channel_id): Path<String>,
) -> AppResult<Json<ChannelDetailDto>> {
    let tenant = tenant_of(&auth)?;
    let id = self::channel_id(&channel_id)?;
    let (channel, entries) = state.store.channel_entries(&auth.actor, &tenant, id, today_wib()).await?;
    let funnel = state
        .store
        .channels(&auth.actor, &tenant, today_wib())
        .await?
        .into_iter()
        .find(|s| s.channel.id == id)
        .map(|s| s.funnel)
        .unwrap_or_default();
    Ok(Json(ChannelDetailDto {
        channel: channel_dto(&channel, &funnel, Some(&entries)),
        entries: entries.iter().map(entry_dto).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct EntryBody {
    /// Required. Optional in the schema only so that another Pemda's channel is answered 404
    /// before the body is judged.
    #[serde(default)]
    pub business_id: Option<String>,
    /// YYYY-MM-DD; today when left out.
    pub on: Option<String>,
}

/// Put a registry business into a channel's pipeline.
#[utoipa::path(post, path = "/api/v1/channels/{channel_id}/entries", tag = "markets", security(("bearer" = [])), request_body = EntryBody,
    params(("channel_id" = String, Path)), responses((status = 201, body = EntryDto), (status = 404, body = super::ErrorBody), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn add_entry(
    State(state): State<AppState>,
    auth: Authed,
    Path(channel_id): Path<String>,
    ApiJson(body): ApiJson<EntryBody>,
) -> AppResult<(StatusCode, Json<EntryDto>)> {
    let tenant = tenant_of(&auth)?;
    let id = self::channel_id(&channel_id)?;
    let today = today_wib();
    state.store.channel(&auth.actor, &tenant, id).await?;
    let business: BusinessId = body
        .business_id
        .as_deref()
        .ok_or(AppError::Invalid(FieldError::new("business_id", "required")))?
        .parse()
        .map_err(|_| AppError::Invalid(FieldError::new("business_id", "invalid-choice")))?;
    let on = date_opt(&body.on, "on")?;
    let entry = state.store.add_channel_entry(&auth.actor, &tenant, id, business, on, today).await?;
    let (_, row) = state.store.channel_entry(&auth.actor, &tenant, entry, today).await?;
    Ok((StatusCode::CREATED, Json(entry_dto(&row))))
}

#[derive(Deserialize, ToSchema)]
pub struct StageBody {
    /// syarat-lengkap, diterima, memasok, ditolak, mundur
    pub stage: String,
    /// YYYY-MM-DD; today when left out.
    pub on: Option<String>,
}

/// The answer when a stage is refused for missing requirements.
#[derive(Serialize, ToSchema)]
pub struct MissingBody {
    pub error: super::ErrorDetail,
    /// The requirements still missing: nib, npwp, pirt, halal, bpom-md, label, barcode, kapasitas
    pub missing: Vec<String>,
}

/// Move an entry to its next stage. "syarat-lengkap" is refused (422, reason
/// `requirements-missing`) while the checklist has gaps; `missing` names them.
#[utoipa::path(post, path = "/api/v1/channel-entries/{entry_id}/stage", tag = "markets", security(("bearer" = [])), request_body = StageBody,
    params(("entry_id" = String, Path)), responses((status = 200, body = EntryDto), (status = 404, body = super::ErrorBody), (status = 422, body = MissingBody)))]
pub async fn move_entry(
    State(state): State<AppState>,
    auth: Authed,
    Path(entry_id): Path<String>,
    ApiJson(body): ApiJson<StageBody>,
) -> AppResult<Response> {
    let tenant = tenant_of(&auth)?;
    let id = self::entry_id(&entry_id)?;
    let today = today_wib();
    let (_, before) = state.store.channel_entry(&auth.actor, &tenant, id, today).await?;
    let to: Stage = body.stage.parse()?;
    let on = date_opt(&body.on, "on")?;
    match state.store.move_channel_entry(&auth.actor, &tenant, id, to, on, today).await {
        Ok(_) => {
            let (_, row) = state.store.channel_entry(&auth.actor, &tenant, id, today).await?;
            Ok(Json(entry_dto(&row)).into_response())
        }
        Err(sinergi_store::StoreError::Invalid(e)) if e.reason == "requirements-missing" => {
            let tr = auth.ctx.tr();
            let names: Vec<String> =
                before.missing.iter().map(|r| crate::pages::channels::requirement_label(tr, *r)).collect();
            let body = MissingBody {
                error: super::ErrorDetail {
                    code: "invalid".into(),
                    field: Some("stage".into()),
                    reason: Some("requirements-missing".into()),
                    message: tr.t1("channel-missing", "list", names.join(", ")),
                },
                missing: slugs(&before.missing),
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReferralEventDto {
    pub from: Option<String>,
    pub to: String,
    pub on: String,
    pub by: String,
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralDto {
    pub id: String,
    pub business_id: String,
    pub business_name: String,
    pub partner_id: String,
    pub partner_name: String,
    pub scheme_code: String,
    pub scheme_name: String,
    /// The scheme's ceiling when the business was referred, whole rupiah.
    pub ceiling: i64,
    pub amount_asked: i64,
    pub purpose: String,
    /// dirujuk, dinilai, disetujui, ditolak, dicairkan
    pub status: String,
    pub amount_approved: Option<i64>,
    pub amount_disbursed: Option<i64>,
    pub decline_reason: Option<String>,
    pub referred_on: String,
    pub events: Vec<ReferralEventDto>,
}

fn referral_dto(r: &ReferralRow) -> ReferralDto {
    ReferralDto {
        id: r.id.to_string(),
        business_id: r.business.to_string(),
        business_name: r.business_name.clone(),
        partner_id: r.partner_id.to_string(),
        partner_name: r.partner_name.clone(),
        scheme_code: r.scheme_code.clone(),
        scheme_name: r.scheme_name.clone(),
        ceiling: r.ceiling,
        amount_asked: r.amount_asked,
        purpose: r.purpose.clone(),
        status: r.status.slug().to_owned(),
        amount_approved: r.amount_approved,
        amount_disbursed: r.amount_disbursed,
        decline_reason: r.decline_reason.clone(),
        referred_on: r.referred_on.to_string(),
        events: r
            .events
            .iter()
            .map(|e| ReferralEventDto {
                from: e.from.map(|f| f.slug().to_owned()),
                to: e.to.slug().to_owned(),
                on: e.on.to_string(),
                by: e.by.clone(),
                note: e.note.clone(),
            })
            .collect(),
    }
}

/// The referrals the caller may see: all of the Pemda's for its people, its bank's for a
/// bank's user.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "markets", security(("bearer" = [])),
    responses((status = 200, body = [ReferralDto]), (status = 403, body = super::ErrorBody)))]
pub async fn list_referrals(State(state): State<AppState>, auth: Authed) -> AppResult<Json<Vec<ReferralDto>>> {
    let tenant = tenant_of(&auth)?;
    let rows = state.store.referrals(&auth.actor, &tenant, &ReferralFilter::default()).await?;
    Ok(Json(rows.iter().map(referral_dto).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct ReferralBody {
    pub business_id: String,
    /// The bank (a partner of kind bank).
    pub partner_id: String,
    /// kur-super-mikro, kur-mikro, kur-kecil, or a scheme the Pemda added.
    pub scheme_code: String,
    /// Whole rupiah, within the scheme's ceiling.
    pub amount_asked: i64,
    pub purpose: String,
    /// YYYY-MM-DD; today when left out.
    pub on: Option<String>,
}

/// Refer a business to a bank. Above the scheme's ceiling: 422 on `amount_asked`.
#[utoipa::path(post, path = "/api/v1/referrals", tag = "markets", security(("bearer" = [])), request_body = ReferralBody,
    responses((status = 201, body = ReferralDto), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn create_referral(
    State(state): State<AppState>,
    auth: Authed,
    ApiJson(body): ApiJson<ReferralBody>,
) -> AppResult<(StatusCode, Json<ReferralDto>)> {
    let tenant = tenant_of(&auth)?;
    let input = ReferralInput {
        business: body
            .business_id
            .parse()
            .map_err(|_| AppError::Invalid(FieldError::new("business_id", "invalid-choice")))?,
        partner_id: body
            .partner_id
            .parse::<PartnerId>()
            .map_err(|_| AppError::Invalid(FieldError::new("partner_id", "invalid-choice")))?,
        scheme_code: body.scheme_code,
        amount_asked: body.amount_asked,
        purpose: body.purpose,
        on: date_opt(&body.on, "on")?,
    };
    let id = state.store.create_referral(&auth.actor, &tenant, input, today_wib()).await?;
    let r = state.store.referral(&auth.actor, &tenant, id).await?;
    Ok((StatusCode::CREATED, Json(referral_dto(&r))))
}

#[utoipa::path(get, path = "/api/v1/referrals/{referral_id}", tag = "markets", security(("bearer" = [])),
    params(("referral_id" = String, Path)), responses((status = 200, body = ReferralDto), (status = 404, body = super::ErrorBody)))]
pub async fn get_referral(
    State(state): State<AppState>,
    auth: Authed,
    Path(referral_id): Path<String>,
) -> AppResult<Json<ReferralDto>> {
    let tenant = tenant_of(&auth)?;
    let r = state.store.referral(&auth.actor, &tenant, self::referral_id(&referral_id)?).await?;
    Ok(Json(referral_dto(&r)))
}

#[derive(Deserialize, ToSchema)]
pub struct ReferralStatusBody {
    /// dinilai, disetujui, ditolak, dicairkan
    pub status: String,
    /// YYYY-MM-DD; today when left out.
    pub on: Option<String>,
    /// Required to approve; at most the amount asked.
    pub amount_approved: Option<i64>,
    /// Required to disburse; at most the amount approved.
    pub amount_disbursed: Option<i64>,
    /// Required to decline.
    pub decline_reason: Option<String>,
    pub note: Option<String>,
}

/// Take a referral's next step (the bank's user for its own referrals, or an officer).
#[utoipa::path(post, path = "/api/v1/referrals/{referral_id}/status", tag = "markets", security(("bearer" = [])), request_body = ReferralStatusBody,
    params(("referral_id" = String, Path)), responses((status = 200, body = ReferralDto), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub async fn move_referral(
    State(state): State<AppState>,
    auth: Authed,
    Path(referral_id): Path<String>,
    ApiJson(body): ApiJson<ReferralStatusBody>,
) -> AppResult<Json<ReferralDto>> {
    let tenant = tenant_of(&auth)?;
    let id = self::referral_id(&referral_id)?;
    state.store.referral(&auth.actor, &tenant, id).await?;
    let to: ReferralStatus = body.status.parse()?;
    let mv = ReferralMove {
        to,
        on: date_opt(&body.on, "on")?,
        amount_approved: body.amount_approved,
        amount_disbursed: body.amount_disbursed,
        decline_reason: body.decline_reason,
        note: body.note,
    };
    state.store.move_referral(&auth.actor, &tenant, id, mv, today_wib()).await?;
    let r = state.store.referral(&auth.actor, &tenant, id).await?;
    Ok(Json(referral_dto(&r)))
}
