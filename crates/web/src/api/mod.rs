//! The JSON API under `/api/v1`, described by an OpenAPI 3 document generated from the
//! handlers' annotations (`/api/v1/openapi.json`, readable at `/api/docs`).

pub mod agreements;
pub mod cooperation;
pub mod csr;
pub mod directory;
pub mod meetings;
pub mod partners;
pub mod programmes;
pub mod reference;
pub mod tokens;
// Markets: channels and financing referrals.
pub mod markets;
// Catalogue (issue 6, part 5)
pub mod catalogue;
// Issue 7: the Labkesda
pub mod lab;
// Issue 7: demand matching
pub mod demand;
// Issue 7: money kept local
pub mod local_value;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

use crate::error::AppError;

/// A JSON body whose parse errors come back as our JSON errors (with the serde message),
/// not as axum's plain-text rejection.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum::Json::<T>::from_request(req, state)
            .await
            .map(|axum::Json(v)| ApiJson(v))
            .map_err(|e: JsonRejection| AppError::BadRequest(e.body_text()))
    }
}

/// The error body of every failed API call.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable code: not_found, forbidden, unauthenticated, csrf, invalid, conflict, duplicate, bad_request, too_many_attempts, internal.
    pub code: String,
    /// The request field at fault, when there is one.
    pub field: Option<String>,
    /// For `invalid` (and `duplicate`): the stable reason, e.g. required, invalid-date,
    /// not-next, kb-not-signed, same-nib.
    pub reason: Option<String>,
    /// A sentence for people, in the caller's language.
    pub message: String,
}

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Sinergi API", version = "1", description = "Kerja sama daerah, CSR dan UMKM. Authenticate with POST /api/v1/auth/token, then send `Authorization: Bearer <token>`."),
    paths(
        tokens::issue, tokens::list, tokens::revoke,
        directory::list_tenants, directory::get_tenant, directory::create_tenant, directory::update_tenant,
        directory::list_agencies, directory::get_agency, directory::create_agency, directory::update_agency,
        directory::list_users, directory::get_user, directory::create_user, directory::update_user,
        reference::regions, reference::kbli, reference::urusan,
        cooperation::list_targets, cooperation::create_target,
        cooperation::list_needs, cooperation::get_need, cooperation::create_need, cooperation::update_need,
        cooperation::set_need_status,
        partners::list_partners, partners::create_partner, partners::get_partner, partners::update_partner,
        partners::add_contact, partners::list_partner_offers, partners::add_offer, partners::list_offers,
        agreements::list_agreements, agreements::create_agreement, agreements::get_agreement, agreements::move_stage,
        agreements::draft_from_need, agreements::list_activities, agreements::add_activity,
        agreements::list_outcomes, agreements::add_outcome, agreements::add_note,
        meetings::list_meetings, meetings::get_meeting, meetings::create_meeting, meetings::add_attendee,
        meetings::add_action_item, meetings::set_action_status,
        csr::list_needs, csr::get_need, csr::create_need, csr::move_need, csr::pledge, csr::move_report,
        csr::public_csr,
        programmes::list_programmes, programmes::programme_report, programmes::get_wave, programmes::run_selection,
        programmes::check_in, programmes::verify_certificate,
        // Markets: channels and financing referrals.
        markets::list_channels, markets::get_channel, markets::add_entry, markets::move_entry,
        markets::list_referrals, markets::create_referral, markets::get_referral, markets::move_referral,
        // Catalogue (issue 6, part 5)
        catalogue::public_catalogue,
        // Issue 7: the Labkesda
        lab::catalogue, lab::orders, lab::results, lab::revenue, lab::verify_certificate,
        // Issue 7: demand matching
        demand::list_demands, demand::demand_matches,
        // Issue 7: money kept local
        local_value::local_value,
    ),
    components(schemas(ErrorBody, ErrorDetail)),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "API tokens"),
        (name = "directory", description = "Tenants (Pemda), agencies (perangkat daerah) and users"),
        (name = "reference", description = "Regions, KBLI 2020, government affairs"),
        (name = "cooperation", description = "Performance targets and cooperation needs"),
        (name = "partners", description = "The partner registry: partners, contacts, offers"),
        (name = "agreements", description = "Agreements (KB, PKS) through the stages of Permendagri 22/2020, with activities, outcomes and internal notes"),
        (name = "meetings", description = "Meetings (rapat, FGD, mapping meetings, CSR forums), attendees and action items"),
        (name = "csr", description = "CSR (TJSL): needs, company pledges, realisation reports and their review; the published CSR of a Pemda. Unreported money is null, never 0."),
        (name = "programmes", description = "UMKM programmes: trainings and their waves, selection with reasons, check-in, the programme report (alumni against similar non-alumni), and the public check of a certificate"),
        (name = "markets", description = "Market channels (modern retail, MBG/SPPG kitchens, Koperasi Merah Putih, e-catalogue) with their pipelines, and financing referrals (KUR) to partner banks. A bank's user sees only its bank's referrals."),
        // Catalogue (issue 6, part 5)
        (name = "catalogue", description = "The public catalogue of curated UMKM products: search by words, category, kecamatan and permit."),
        // Issue 7: the Labkesda
        (name = "lab", description = "The regional laboratory (Labkesda): catalogue and tariffs, orders, results against quality standards, retribution revenue, and the public check of a certificate."),
        // Issue 7: demand matching
        (name = "demand", description = "Buyers' demands and the local suppliers ranked for each, with the reasons (hard filters: active, permits valid at the deadline, capacity; soft scores: KBLI, category, words, nearness, curation, channels, past deals)."),
    )
)]
pub struct ApiDoc;
