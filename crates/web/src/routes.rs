//! The route table. Every route is added through [`Routes`], which records its method, path
//! and [`Access`] next to the handler and wraps the handler in the access check, so the check
//! cannot be forgotten and the route-walk test sees every route without anyone listing them.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::routing::{MethodFilter, MethodRouter, on};
use sinergi_domain::Permission;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;
use utoipa::OpenApi;

use crate::AppState;
use crate::api::{self, ApiDoc};
use crate::auth::{self, Access};
use crate::ops;
use crate::pages::{
    self, account, agencies, agreement_edit, agreements, audit, dashboard, exports, home, needs, partners, reference,
    targets, tenants, users,
};
use crate::pages::{
    csr, csr_public, csr_reports, meetings, programmes, programmes_owner, programmes_report, programmes_run, umkm,
    umkm_import, umkm_owner,
};
// Markets: channels and financing referrals.
use crate::pages::{channels, financing};
// Catalogue (issue 6, part 5)
use crate::pages::{catalogue, catalogue_public};
// Issue 7: the Labkesda
use crate::pages::{lab, lab_report};
// Issue 7: demand matching
use crate::pages::demand;
// Issue 7: money kept local
use crate::pages::local_value;

/// One route as the walk test sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

struct Routes {
    router: Router<AppState>,
    specs: Vec<RouteSpec>,
}

impl Routes {
    fn new() -> Self {
        Self { router: Router::new(), specs: Vec::new() }
    }

    fn add<H, T>(mut self, method: Method, path: &'static str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let filter = MethodFilter::try_from(method.clone()).unwrap_or(MethodFilter::GET);
        let route: MethodRouter<AppState> =
            on(filter, handler).route_layer(from_fn_with_state(access, auth::enforce)).route_layer(from_fn(ops::track));
        self.router = self.router.route(path, route);
        self.specs.push(RouteSpec { method, path, access });
        self
    }

    fn get<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, access: Access, h: H) -> Self {
        self.add(Method::GET, path, access, h)
    }

    fn post<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, access: Access, h: H) -> Self {
        self.add(Method::POST, path, access, h)
    }

    /// A form that carries a file: a larger body than the default, up to the upload limit.
    fn upload<H: Handler<T, AppState>, T: 'static>(mut self, path: &'static str, access: Access, h: H) -> Self {
        let route: MethodRouter<AppState> = on(MethodFilter::POST, h)
            .route_layer(from_fn_with_state(access, auth::enforce))
            .route_layer(from_fn(ops::track))
            .layer(DefaultBodyLimit::max(pages::upload::BODY_LIMIT));
        self.router = self.router.route(path, route);
        self.specs.push(RouteSpec { method: Method::POST, path, access });
        self
    }

    fn put<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, access: Access, h: H) -> Self {
        self.add(Method::PUT, path, access, h)
    }

    fn delete<H: Handler<T, AppState>, T: 'static>(self, path: &'static str, access: Access, h: H) -> Self {
        self.add(Method::DELETE, path, access, h)
    }
}

fn table() -> Routes {
    use Access::{Public, User};
    let directory = Access::Permission(Permission::ViewDirectory);
    let agencies_w = Access::Permission(Permission::ManageAgencies);
    let users_w = Access::Permission(Permission::ManageUsers);
    let tenant_w = Access::Permission(Permission::ManageTenant);
    let platform = Access::Permission(Permission::ManagePlatform);
    let audit_r = Access::Permission(Permission::ViewAudit);
    let plan = Access::Permission(Permission::PlanCooperation);
    let partners_w = Access::Permission(Permission::ManagePartners);
    let agreements_w = Access::Permission(Permission::ManageAgreements);
    let umkm_r = Access::Permission(Permission::ViewUmkm);
    let umkm_w = Access::Permission(Permission::ManageUmkm);
    let umkm_reveal = Access::Permission(Permission::RevealPersonalData);
    let owner = Access::Permission(Permission::OwnBusiness);
    // Issue 7: the Labkesda
    let lab_o = Access::Permission(Permission::OrderLab);

    Routes::new()
        // Operations
        .get("/healthz", Public, ops::healthz)
        .get("/metrics", Public, ops::metrics_text)
        .get("/static/{name}", Public, ops::static_asset)
        .get("/favicon.svg", Public, ops::favicon)
        .get("/favicon.ico", Public, ops::favicon)
        // Session
        .get("/login", Public, account::login_page)
        .post("/login", Public, account::login_submit)
        .post("/logout", User, account::logout)
        .post("/language", Public, account::set_language)
        .get("/account/password", User, account::password_page)
        .post("/account/password", User, account::password_submit)
        // Pages
        .get("/", User, home::home)
        .get("/tenants", tenant_w, tenants::list)
        .get("/tenants/new", platform, tenants::new_form)
        .post("/tenants", platform, tenants::create)
        .get("/tenants/{tenant_code}", tenant_w, tenants::edit_form)
        .post("/tenants/{tenant_code}", tenant_w, tenants::update)
        .get("/agencies", directory, agencies::list)
        .get("/agencies/new", agencies_w, agencies::new_form)
        .post("/agencies", agencies_w, agencies::create)
        .get("/agencies/{agency_id}", directory, agencies::show)
        .get("/agencies/{agency_id}/edit", agencies_w, agencies::edit_form)
        .post("/agencies/{agency_id}", agencies_w, agencies::update)
        .get("/users", users_w, users::list)
        .get("/users/new", users_w, users::new_form)
        .post("/users", users_w, users::create)
        .get("/users/{user_id}", users_w, users::edit_form)
        .post("/users/{user_id}", users_w, users::update)
        .get("/audit", audit_r, audit::audit_page)
        .get("/cooperation/needs", directory, needs::list)
        .get("/cooperation/needs/new", plan, needs::new_form)
        .post("/cooperation/needs", plan, needs::create)
        .get("/cooperation/needs/{need_id}", directory, needs::show)
        .get("/cooperation/needs/{need_id}/edit", plan, needs::edit_form)
        .post("/cooperation/needs/{need_id}", plan, needs::update)
        .post("/cooperation/needs/{need_id}/status", plan, needs::set_status)
        .get("/cooperation", directory, dashboard::dashboard)
        .get("/cooperation/agreements", directory, agreements::list)
        .get("/cooperation/agreements.xlsx", directory, exports::agreements_xlsx)
        .get("/cooperation/needs.xlsx", directory, exports::needs_xlsx)
        .get("/cooperation/agreements/{agreement_id}", directory, agreements::show)
        .get("/cooperation/agreements/{agreement_id}/edit", agreements_w, agreement_edit::edit_form)
        .post("/cooperation/agreements/{agreement_id}", agreements_w, agreement_edit::update)
        .post("/cooperation/agreements/{agreement_id}/evaluations", agreements_w, agreements::add_evaluation)
        .post("/cooperation/agreements/{agreement_id}/children", agreements_w, agreements::draft_child)
        .post("/cooperation/agreements/{agreement_id}/stage", agreements_w, agreements::move_stage)
        .post("/cooperation/agreements/{agreement_id}/notes", directory, agreements::add_note)
        .upload("/cooperation/agreements/{agreement_id}/activities", agreements_w, agreements::add_activity)
        .upload("/cooperation/agreements/{agreement_id}/outcomes", agreements_w, agreements::add_outcome)
        .upload("/cooperation/agreements/{agreement_id}/documents", agreements_w, agreements::add_document)
        .get("/cooperation/agreements/{agreement_id}/documents/{document_id}", directory, agreements::download_document)
        .post(
            "/cooperation/agreements/{agreement_id}/documents/{document_id}/checklist",
            agreements_w,
            agreements::set_checklist,
        )
        .post("/cooperation/needs/{need_id}/draft", agreements_w, agreements::draft_from_need)
        .get("/partners", directory, partners::list)
        .get("/partners/new", partners_w, partners::new_form)
        .post("/partners", partners_w, partners::create)
        .get("/partners/{partner_id}", directory, partners::show)
        .get("/partners/{partner_id}/edit", partners_w, partners::edit_form)
        .post("/partners/{partner_id}", partners_w, partners::update)
        .post("/partners/{partner_id}/contacts", partners_w, partners::add_contact)
        .post("/partners/{partner_id}/offers", partners_w, partners::add_offer)
        .get("/cooperation/targets", directory, targets::list)
        .post("/cooperation/targets", plan, targets::create)
        .post("/cooperation/targets/import", plan, targets::import)
        .get("/reference/regions", User, reference::regions)
        .get("/reference/kbli", User, reference::kbli)
        // API
        .get("/api/v1/openapi.json", Public, openapi_json)
        .get("/api/docs", Public, api_docs)
        .post("/api/v1/auth/token", Public, api::tokens::issue)
        .get("/api/v1/auth/tokens", User, api::tokens::list)
        .delete("/api/v1/auth/tokens/{token_id}", User, api::tokens::revoke)
        .get("/api/v1/tenants", User, api::directory::list_tenants)
        .post("/api/v1/tenants", platform, api::directory::create_tenant)
        .get("/api/v1/tenants/{tenant_code}", User, api::directory::get_tenant)
        .put("/api/v1/tenants/{tenant_code}", tenant_w, api::directory::update_tenant)
        .get("/api/v1/agencies", directory, api::directory::list_agencies)
        .post("/api/v1/agencies", agencies_w, api::directory::create_agency)
        .get("/api/v1/agencies/{agency_id}", directory, api::directory::get_agency)
        .put("/api/v1/agencies/{agency_id}", agencies_w, api::directory::update_agency)
        .get("/api/v1/users", users_w, api::directory::list_users)
        .post("/api/v1/users", users_w, api::directory::create_user)
        .get("/api/v1/users/{user_id}", users_w, api::directory::get_user)
        .put("/api/v1/users/{user_id}", users_w, api::directory::update_user)
        .get("/api/v1/regions", User, api::reference::regions)
        .get("/api/v1/kbli", User, api::reference::kbli)
        .get("/api/v1/urusan", User, api::reference::urusan)
        .get("/api/v1/targets", directory, api::cooperation::list_targets)
        .post("/api/v1/targets", plan, api::cooperation::create_target)
        .get("/api/v1/needs", directory, api::cooperation::list_needs)
        .post("/api/v1/needs", plan, api::cooperation::create_need)
        .get("/api/v1/needs/{need_id}", directory, api::cooperation::get_need)
        .put("/api/v1/needs/{need_id}", plan, api::cooperation::update_need)
        .post("/api/v1/needs/{need_id}/status", plan, api::cooperation::set_need_status)
        // PDF exports, with the same access as the XLSX ones and the agreement's page
        .get("/cooperation/agreements.pdf", directory, exports::agreements_pdf)
        .get("/cooperation/needs.pdf", directory, exports::needs_pdf)
        .get("/cooperation/agreements/{agreement_id}/fact-sheet.pdf", directory, exports::agreement_fact_sheet)
        .get("/api/v1/partners", directory, api::partners::list_partners)
        .post("/api/v1/partners", partners_w, api::partners::create_partner)
        .get("/api/v1/partners/{partner_id}", directory, api::partners::get_partner)
        .put("/api/v1/partners/{partner_id}", partners_w, api::partners::update_partner)
        .post("/api/v1/partners/{partner_id}/contacts", partners_w, api::partners::add_contact)
        .get("/api/v1/partners/{partner_id}/offers", directory, api::partners::list_partner_offers)
        .post("/api/v1/partners/{partner_id}/offers", partners_w, api::partners::add_offer)
        .get("/api/v1/offers", directory, api::partners::list_offers)
        .get("/api/v1/agreements", directory, api::agreements::list_agreements)
        .post("/api/v1/agreements", agreements_w, api::agreements::create_agreement)
        .get("/api/v1/agreements/{agreement_id}", directory, api::agreements::get_agreement)
        .post("/api/v1/agreements/{agreement_id}/stage", agreements_w, api::agreements::move_stage)
        .post("/api/v1/needs/{need_id}/draft-agreement", agreements_w, api::agreements::draft_from_need)
        .get("/api/v1/agreements/{agreement_id}/activities", directory, api::agreements::list_activities)
        .post("/api/v1/agreements/{agreement_id}/activities", agreements_w, api::agreements::add_activity)
        .get("/api/v1/agreements/{agreement_id}/outcomes", directory, api::agreements::list_outcomes)
        .post("/api/v1/agreements/{agreement_id}/outcomes", agreements_w, api::agreements::add_outcome)
        .post("/api/v1/agreements/{agreement_id}/notes", directory, api::agreements::add_note)
        // Meetings: read by every internal user, kept by the Bagian Kerja Sama.
        .get("/meetings", directory, meetings::list)
        .get("/meetings/new", agreements_w, meetings::new_form)
        .post("/meetings", agreements_w, meetings::create)
        .get("/meetings/{meeting_id}", directory, meetings::show)
        .get("/meetings/{meeting_id}/edit", agreements_w, meetings::edit_form)
        .post("/meetings/{meeting_id}", agreements_w, meetings::update)
        .post("/meetings/{meeting_id}/attendees", agreements_w, meetings::add_attendee)
        .post("/meetings/{meeting_id}/action-items", agreements_w, meetings::add_action_item)
        .post("/meetings/{meeting_id}/action-items/{item_id}/status", agreements_w, meetings::set_action_status)
        // CSR: officers and companies alike; the store decides what each may see and do.
        .get("/csr", User, csr::list)
        .get("/csr/portal", User, csr::portal)
        .get("/csr/reviews", directory, csr::reviews)
        .get("/csr/needs/new", User, csr::new_need_form)
        .upload("/csr/needs", User, csr::create_need)
        .get("/csr/needs/{csr_need_id}", User, csr::show_need)
        .get("/csr/needs/{csr_need_id}/edit", User, csr::edit_need_form)
        .upload("/csr/needs/{csr_need_id}", User, csr::update_need)
        .post("/csr/needs/{csr_need_id}/status", User, csr::move_need)
        .upload("/csr/needs/{csr_need_id}/photos", User, csr::add_photo)
        .post("/csr/needs/{csr_need_id}/pledges", User, csr::pledge)
        .get("/csr/pledges/{pledge_id}/report", User, csr::report_form)
        .upload("/csr/pledges/{pledge_id}/report", User, csr::save_report)
        .post("/csr/reports/{report_id}/status", User, csr::move_report)
        .get("/csr/files/{file_id}", User, csr::file)
        .get("/api/v1/csr/needs", User, api::csr::list_needs)
        .post("/api/v1/csr/needs", User, api::csr::create_need)
        .get("/api/v1/csr/needs/{csr_need_id}", User, api::csr::get_need)
        .post("/api/v1/csr/needs/{csr_need_id}/status", User, api::csr::move_need)
        .post("/api/v1/csr/needs/{csr_need_id}/pledges", User, api::csr::pledge)
        .post("/api/v1/csr/reports/{report_id}/status", User, api::csr::move_report)
        .get("/api/v1/public/{tenant_slug}/csr", Public, api::csr::public_csr)
        .get("/api/v1/meetings", directory, api::meetings::list_meetings)
        .post("/api/v1/meetings", agreements_w, api::meetings::create_meeting)
        .get("/api/v1/meetings/{meeting_id}", directory, api::meetings::get_meeting)
        .post("/api/v1/meetings/{meeting_id}/attendees", agreements_w, api::meetings::add_attendee)
        .post("/api/v1/meetings/{meeting_id}/action-items", agreements_w, api::meetings::add_action_item)
        .post(
            "/api/v1/meetings/{meeting_id}/action-items/{item_id}/status",
            agreements_w,
            api::meetings::set_action_status,
        )
        // CSR: the public transparency page, open data and the annual report
        .get("/publik/{tenant_slug}/csr", Public, csr_public::page)
        .get("/publik/{tenant_slug}/csr.csv", Public, csr_public::csv)
        .get("/publik/{tenant_slug}/csr.xlsx", Public, csr_public::xlsx)
        .get("/publik/{tenant_slug}/csr/berkas/{file_id}", Public, csr_public::file)
        .get("/csr/laporan-tahunan.pdf", directory, csr_reports::annual_pdf)
        .get("/csr/laporan-tahunan.xlsx", directory, csr_reports::annual_xlsx)
        // The UMKM registry: read by every internal user, kept by the UMKM officers.
        .get("/umkm", umkm_r, umkm::list)
        .get("/umkm/export.xlsx", umkm_r, umkm::export)
        .get("/umkm/naik-kelas", umkm_r, umkm::naik_kelas)
        .get("/umkm/tinjau", umkm_w, umkm::reviews)
        .get("/umkm/tinjau/{review_id}", umkm_w, umkm::review)
        .post("/umkm/tinjau/{review_id}/gabung", umkm_w, umkm::merge)
        .post("/umkm/tinjau/{review_id}/bukan-duplikat", umkm_w, umkm::keep_apart)
        // UMKM owners' self-service
        .get("/usaha-saya", owner, umkm_owner::mine)
        .post("/usaha-saya/klaim", owner, umkm_owner::claim)
        .get("/usaha-saya/{business_id}", owner, umkm_owner::owner_edit)
        .post("/usaha-saya/{business_id}", owner, umkm_owner::owner_save)
        .get("/usaha-saya/{business_id}/data.xlsx", owner, umkm_owner::owner_data)
        .post("/usaha-saya/{business_id}/izin", owner, umkm_owner::owner_add_permit)
        .get("/umkm/impor", umkm_w, umkm_import::start)
        .upload("/umkm/impor", umkm_w, umkm_import::upload)
        .get("/umkm/impor/{import_id}", umkm_w, umkm_import::show)
        .post("/umkm/impor/{import_id}/pemetaan", umkm_w, umkm_import::save_mapping)
        .post("/umkm/impor/{import_id}/komit", umkm_w, umkm_import::commit)
        .get("/umkm/impor/{import_id}/ditolak.xlsx", umkm_w, umkm_import::rejected)
        .get("/umkm/baru", umkm_w, umkm_owner::new_business)
        .post("/umkm/baru", umkm_w, umkm_owner::create_business)
        .get("/umkm/klaim", umkm_w, umkm_owner::claims)
        .post("/umkm/klaim/{claim_id}/setujui", umkm_w, umkm_owner::approve)
        .post("/umkm/klaim/{claim_id}/tolak", umkm_w, umkm_owner::reject)
        .get("/umkm/{business_id}", umkm_r, umkm::show)
        .get("/umkm/{business_id}/ubah", umkm_w, umkm_owner::officer_edit)
        .post("/umkm/{business_id}/ubah", umkm_w, umkm_owner::officer_save)
        .post("/umkm/{business_id}/keanggotaan", umkm_w, umkm_owner::add_tag)
        .post("/umkm/{business_id}/keanggotaan/hapus", umkm_w, umkm_owner::remove_tag)
        .post("/umkm/{business_id}/lepas-pemilik", umkm_w, umkm_owner::release)
        .post("/umkm/{business_id}/izin", umkm_w, umkm_owner::officer_add_permit)
        .post("/umkm/{business_id}/izin/hapus", umkm_w, umkm_owner::officer_remove_permit)
        .post("/umkm/{business_id}/nik", umkm_reveal, umkm::reveal_nik)
        .post("/umkm/{business_id}/pisah", umkm_w, umkm::split)
        .post("/umkm/{business_id}/urungkan/{merge_id}", umkm_w, umkm::undo)
        // Programmes (issue 6): programmes and waves read by internal users, run by the UMKM
        // officers; owners apply and answer surveys; anyone verifies a certificate.
        .get("/program", umkm_r, programmes::list)
        .get("/program/baru", umkm_w, programmes::new_programme)
        .post("/program/baru", umkm_w, programmes::create_programme)
        .get("/program/{programme_id}", umkm_r, programmes::show_programme)
        .get("/program/{programme_id}/laporan", umkm_r, programmes_report::report)
        .get("/program/{programme_id}/laporan.xlsx", umkm_r, programmes_report::report_xlsx)
        .get("/program/{programme_id}/laporan.pdf", umkm_r, programmes_report::report_pdf)
        .get("/program/{programme_id}/gelombang/baru", umkm_w, programmes::new_wave)
        .post("/program/{programme_id}/gelombang/baru", umkm_w, programmes::create_wave)
        .get("/program/gelombang/{wave_id}", umkm_r, programmes::show_wave)
        .post("/program/gelombang/{wave_id}/status", umkm_w, programmes::move_wave)
        .post("/program/gelombang/{wave_id}/seleksi", umkm_w, programmes::run_selection)
        .get("/program/gelombang/{wave_id}/pendaftar", umkm_w, programmes::find_applicant)
        .post("/program/gelombang/{wave_id}/pendaftar", umkm_w, programmes::add_applicant)
        .post("/program/gelombang/{wave_id}/pendaftar/{application_id}/putusan", umkm_w, programmes::override_decision)
        .get("/program/gelombang/{wave_id}/peserta.xlsx", umkm_r, programmes_run::participants_xlsx)
        .post("/program/gelombang/{wave_id}/undangan", umkm_w, programmes_run::invite)
        .get("/program/gelombang/{wave_id}/undangan/{application_id}", umkm_w, programmes_run::invitation)
        .post("/program/gelombang/{wave_id}/undangan/{application_id}/wa", umkm_w, programmes_run::whatsapp)
        .get("/program/gelombang/{wave_id}/sesi/{session_id}", umkm_w, programmes_run::check_in_form)
        .post("/program/gelombang/{wave_id}/sesi/{session_id}", umkm_w, programmes_run::check_in)
        .post("/program/gelombang/{wave_id}/sertifikat", umkm_w, programmes_run::issue_certificates)
        .get("/program/gelombang/{wave_id}/sertifikat/{application_id}", umkm_r, programmes_run::certificate)
        .get("/program/gelombang/{wave_id}/tindak-lanjut/{application_id}", umkm_w, programmes_run::follow_up_form)
        .post("/program/gelombang/{wave_id}/tindak-lanjut/{application_id}", umkm_w, programmes_run::save_follow_up)
        .get("/sertifikat", Public, programmes_run::verify)
        .get("/api/v1/programmes", umkm_r, api::programmes::list_programmes)
        .get("/api/v1/programmes/{programme_id}/report", umkm_r, api::programmes::programme_report)
        .get("/api/v1/waves/{wave_id}", umkm_r, api::programmes::get_wave)
        .post("/api/v1/waves/{wave_id}/selection", umkm_w, api::programmes::run_selection)
        .post("/api/v1/waves/{wave_id}/sessions/{session_id}/check-ins", umkm_w, api::programmes::check_in)
        .get("/api/v1/public/certificates/{code}", Public, api::programmes::verify_certificate)
        .get("/usaha-saya/program", owner, programmes_owner::mine)
        .post("/usaha-saya/program/{wave_id}/daftar", owner, programmes_owner::apply)
        .get("/usaha-saya/program/sertifikat/{application_id}", owner, programmes_owner::certificate)
        .get("/usaha-saya/program/tindak-lanjut/{application_id}", owner, programmes_owner::follow_up_form)
        .post("/usaha-saya/program/tindak-lanjut/{application_id}", owner, programmes_owner::save_follow_up)
        // Markets: channel pipelines, SPPG kitchens and financing referrals. Referrals are
        // open to every logged-in user: the store lets a bank's user see its own bank's only.
        .get("/pasar/kanal", umkm_r, channels::list)
        .post("/pasar/kanal", umkm_w, channels::create)
        .get("/pasar/kanal.xlsx", umkm_r, channels::export)
        .get("/pasar/kanal/{channel_id}", umkm_r, channels::show)
        .post("/pasar/kanal/{channel_id}/syarat", umkm_w, channels::set_requirements)
        .post("/pasar/kanal/{channel_id}/peserta", umkm_w, channels::add_entry)
        .post("/pasar/peserta/{entry_id}/tahap", umkm_w, channels::move_entry)
        .post("/pasar/peserta/{entry_id}/centang", umkm_w, channels::tick_entry)
        .post("/pasar/peserta/{entry_id}/pasokan", umkm_w, channels::set_supply)
        .get("/pembiayaan", User, financing::list)
        .post("/pembiayaan", umkm_w, financing::create)
        .get("/pembiayaan.xlsx", User, financing::export)
        .post("/pembiayaan/skema", umkm_w, financing::save_scheme)
        .get("/pembiayaan/{referral_id}", User, financing::show)
        .post("/pembiayaan/{referral_id}/status", User, financing::move_status)
        .get("/api/v1/channels", umkm_r, api::markets::list_channels)
        .get("/api/v1/channels/{channel_id}", umkm_r, api::markets::get_channel)
        .post("/api/v1/channels/{channel_id}/entries", umkm_w, api::markets::add_entry)
        .post("/api/v1/channel-entries/{entry_id}/stage", umkm_w, api::markets::move_entry)
        .get("/api/v1/referrals", User, api::markets::list_referrals)
        .post("/api/v1/referrals", umkm_w, api::markets::create_referral)
        .get("/api/v1/referrals/{referral_id}", User, api::markets::get_referral)
        .post("/api/v1/referrals/{referral_id}/status", User, api::markets::move_referral)
        // Catalogue (issue 6, part 5): officers keep and curate, owners submit their own, the
        // public reads what was curated.
        .get("/umkm/katalog", umkm_w, catalogue::list)
        .get("/umkm/katalog/baru", umkm_w, catalogue::new_form)
        .post("/umkm/katalog", umkm_w, catalogue::create)
        .get("/umkm/katalog/galeri", umkm_w, catalogue::galleries)
        .post("/umkm/katalog/galeri", umkm_w, catalogue::create_gallery)
        .get("/umkm/katalog/galeri/{gallery_id}", umkm_w, catalogue::gallery)
        .post("/umkm/katalog/galeri/{gallery_id}", umkm_w, catalogue::update_gallery)
        .post("/umkm/katalog/galeri/{gallery_id}/produk", umkm_w, catalogue::gallery_product)
        .get("/umkm/katalog/{product_id}", umkm_w, catalogue::officer_show)
        .post("/umkm/katalog/{product_id}", umkm_w, catalogue::officer_update)
        .upload("/umkm/katalog/{product_id}/foto", umkm_w, catalogue::officer_photo_upload)
        .get("/umkm/katalog/{product_id}/foto/{file_id}", umkm_w, catalogue::officer_photo)
        .post("/umkm/katalog/{product_id}/foto/{file_id}/hapus", umkm_w, catalogue::officer_photo_remove)
        .post("/umkm/katalog/{product_id}/status", umkm_w, catalogue::officer_status)
        .post("/umkm/katalog/{product_id}/kurasi", umkm_w, catalogue::curate)
        .get("/usaha-saya/{business_id}/produk", owner, catalogue::mine)
        .post("/usaha-saya/{business_id}/produk", owner, catalogue::owner_create)
        .get("/usaha-saya/{business_id}/produk/{product_id}", owner, catalogue::owner_show)
        .post("/usaha-saya/{business_id}/produk/{product_id}", owner, catalogue::owner_update)
        .upload("/usaha-saya/{business_id}/produk/{product_id}/foto", owner, catalogue::owner_photo_upload)
        .get("/usaha-saya/{business_id}/produk/{product_id}/foto/{file_id}", owner, catalogue::owner_photo)
        .post(
            "/usaha-saya/{business_id}/produk/{product_id}/foto/{file_id}/hapus",
            owner,
            catalogue::owner_photo_remove,
        )
        .post("/usaha-saya/{business_id}/produk/{product_id}/status", owner, catalogue::owner_status)
        .get("/publik/{tenant_slug}/katalog", Public, catalogue_public::list)
        .get("/publik/{tenant_slug}/katalog/foto/{file_id}", Public, catalogue_public::photo)
        .get("/publik/{tenant_slug}/katalog/{product_id}", Public, catalogue_public::product)
        .get("/publik/{tenant_slug}/galeri", Public, catalogue_public::galleries)
        .get("/api/v1/public/{tenant_slug}/katalog", Public, api::catalogue::public_catalogue)
        // Issue 7: the Labkesda. Orders are open to internal users and partner users: the store
        // lets the Pemda's users see the laboratory's orders and a company's user only its own;
        // the steps are the lab officers'. Anyone verifies a certificate.
        .get("/lab/katalog", lab_o, lab::catalogue)
        .post("/lab/katalog/tarif", Access::Permission(Permission::ManageLab), lab::set_tariff)
        .post("/lab/katalog/parameter", Access::Permission(Permission::ManageLab), lab::add_parameter)
        .post("/lab/katalog/paket", Access::Permission(Permission::ManageLab), lab::add_package)
        .post("/lab/pengaturan", Access::Permission(Permission::ManageLab), lab::set_settings)
        .get("/lab/order", lab_o, lab::orders)
        .get("/lab/order/baru", lab_o, lab::new_order)
        .post("/lab/order", lab_o, lab::create_order)
        .get("/lab/order/{lab_order_id}", lab_o, lab::order)
        .post("/lab/order/{lab_order_id}/langkah", lab_o, lab::step)
        .get("/lab/order/{lab_order_id}/sertifikat.pdf", lab_o, lab::certificate)
        .get("/lab/order/{lab_order_id}/penawaran.pdf", lab_o, lab::quotation)
        .post("/lab/order/{lab_order_id}/serah-terima", Access::Permission(Permission::ManageLab), lab::hand_over)
        .get("/lab/dasbor", Access::Permission(Permission::ViewLab), lab_report::dashboard)
        .get("/lab/dasbor.xlsx", Access::Permission(Permission::ViewLab), lab_report::dashboard_xlsx)
        .get("/lab/dasbor.pdf", Access::Permission(Permission::ViewLab), lab_report::dashboard_pdf)
        .get("/lab/sertifikat", Public, lab::verify)
        .get("/api/v1/lab/catalogue", lab_o, api::lab::catalogue)
        .get("/api/v1/lab/orders", lab_o, api::lab::orders)
        .get("/api/v1/lab/orders/{lab_order_id}/results", lab_o, api::lab::results)
        .get("/api/v1/lab/revenue", Access::Permission(Permission::ViewLab), api::lab::revenue)
        .get("/api/v1/public/lab-certificates/{code}", Public, api::lab::verify_certificate)
        // Issue 7: demand matching. Open to every logged-in user: the store shows each its
        // share (the Pemda's people all, a buyer its own, a supplier what it was notified of).
        .get("/permintaan", User, demand::list)
        .get("/permintaan/baru", User, demand::new_form)
        .post("/permintaan", User, demand::create)
        .get("/permintaan.xlsx", User, demand::export)
        .get("/permintaan/nilai", umkm_r, demand::value)
        .get("/permintaan/{demand_id}", User, demand::show)
        .post("/permintaan/{demand_id}/beritahu", User, demand::notify)
        .post("/permintaan/{demand_id}/penawaran", User, demand::offer)
        .post("/permintaan/{demand_id}/terima", User, demand::accept)
        .post("/permintaan/{demand_id}/tutup", User, demand::close)
        .get("/api/v1/demands", User, api::demand::list_demands)
        .get("/api/v1/demands/{demand_id}/matches", User, api::demand::demand_matches)
        // Issue 7: money kept local: the Pemda's own people (the laboratory's revenue and the
        // deals are both theirs to read).
        .get("/nilai-lokal", Access::Permission(Permission::ViewLab), local_value::page)
        .get("/nilai-lokal.xlsx", Access::Permission(Permission::ViewLab), local_value::xlsx)
        .get("/nilai-lokal.pdf", Access::Permission(Permission::ViewLab), local_value::pdf)
        .get("/api/v1/local-value", Access::Permission(Permission::ViewLab), api::local_value::local_value)
}

async fn openapi_json() -> axum::Json<utoipa::openapi::OpenApi> {
    axum::Json(ApiDoc::openapi())
}

/// A readable API reference, rendered from the same OpenAPI document, with no script from
/// outside the binary.
async fn api_docs(ctx: auth::Ctx) -> axum::response::Response {
    crate::pages::api_docs_page(&ctx, &ApiDoc::openapi())
}

/// Every route of the application, for the route-walk test and the docs.
pub fn route_specs() -> Vec<RouteSpec> {
    table().specs
}

/// The whole application.
pub fn app(state: AppState) -> Router {
    ops::init_metrics();
    table()
        .router
        .fallback(pages::not_found)
        .layer(from_fn(pages::render_errors))
        // The register runs to megabytes at 10,000 agreements; HTML compresses about tenfold,
        // which matters on a phone connection (bench/cooperation-pages.md).
        .layer(CompressionLayer::new())
        .layer(from_fn_with_state(state.clone(), auth::resolve))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .with_state(state)
}
