//! CSR needs, pledges, realisation reports and their verification, on both databases: who
//! may do what, who sees what, and money that was not reported staying unknown.

use sinergi_domain::csr::{CsrCategory, CsrNeedStatus, EvidenceKind, PledgeForm, ReportStatus, Reported, Window};
use sinergi_domain::files::check_file;
use sinergi_domain::{Actor, AgencyId, PartnerId, RegionCode, Role, Scope};
use sinergi_store::agencies::AgencyInput;
use sinergi_store::audit::{AuditFilter, RecordType};
use sinergi_store::csr::{CsrNeedInput, PledgeInput, ReportInput, Upload, totals_by};
use sinergi_store::partners::PartnerInput;
use sinergi_store::tenants::NewTenant;
use sinergi_store::{Store, StoreError, store_tests};
use time::macros::date;

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn admin(c: &str) -> Actor {
    Actor { role: Role::RegionAdmin, scope: Scope::Tenant(code(c)), label: format!("admin {c}"), ..Actor::system("a") }
}

/// A PNG by its signature: enough for the content check.
fn photo(name: &str) -> Upload {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    bytes.extend_from_slice(&[0; 64]);
    Upload { file: check_file("file", name, bytes, 1 << 20).expect("png"), thumbnail: None }
}

struct Setup {
    admin: Actor,
    officer: Actor,
    agency: AgencyId,
    company: Actor,
    company_id: PartnerId,
    rival: Actor,
    rival_id: PartnerId,
    other_pemda: Actor,
}

async fn setup(store: &Store) -> Setup {
    let root = Actor::system("t");
    for (c, n) in [("36.73", "Kota Serang"), ("36.04", "Kabupaten Serang")] {
        store.create_tenant(&root, NewTenant::parse(c, n, None).expect("t")).await.expect("tenant");
    }
    let other = admin("36.04");
    let admin = admin("36.73");
    let t = code("36.73");
    let dlh = store
        .create_agency(&root, &t, AgencyInput::parse("Dinas Lingkungan Hidup", None, "dinas", None, true).expect("a"))
        .await
        .expect("agency");
    let officer =
        Actor { role: Role::AgencyOfficer, agency: Some(dlh.id), label: "officer DLH".into(), ..admin.clone() };
    let partner =
        |name: &str| PartnerInput::parse("company", name, "36.73", "", "", "", "", "", "", "", true).expect("p");
    let sosor = store.create_partner(&admin, &t, partner("PT Serang Sosor")).await.expect("partner");
    let bjb = store.create_partner(&admin, &t, partner("Bank BJB")).await.expect("partner");
    let company_actor = |id| Actor { role: Role::Partner, partner: Some(id), label: "company".into(), ..admin.clone() };
    Setup {
        officer,
        agency: dlh.id,
        company: company_actor(sosor.id),
        company_id: sosor.id,
        rival: company_actor(bjb.id),
        rival_id: bjb.id,
        other_pemda: other,
        admin,
    }
}

fn need_input(agency: Option<AgencyId>, title: &str, cost: Option<i64>) -> CsrNeedInput {
    CsrNeedInput {
        category: CsrCategory::LingkunganHidup,
        title: title.into(),
        description: "Ruang terbuka hijau di bantaran Kali Banten".into(),
        location: code("36.73.02.1007"),
        point: Some((-6.04, 106.15)),
        estimated_cost: cost,
        agency_id: agency,
        priority_programme: Some("RPJMD: Serang hijau".into()),
    }
}

fn pledge_input(partner: PartnerId, value: Option<i64>) -> PledgeInput {
    PledgeInput {
        partner_id: partner,
        value,
        form: PledgeForm::Cash,
        period_start: date!(2026 - 01 - 01),
        period_end: date!(2026 - 12 - 31),
        agreement_id: None,
        note: None,
    }
}

fn report(window: u8, value: Option<i64>) -> ReportInput {
    ReportInput {
        window: Window { year: 2026, index: window },
        value,
        description: "Penanaman 500 pohon dan bangku taman".into(),
        location: None,
    }
}

store_tests! {
    async fn a_need_goes_from_proposal_to_public_realisation(store: Store) {
        let s = setup(&store).await;
        let t = code("36.73");
        // The agency proposes; it may not publish its own need.
        let need = store.create_csr_need(&s.officer, &t, need_input(Some(s.agency), "RTH Banten Lama", Some(750_000_000))).await.expect("need");
        assert_eq!(need.status, CsrNeedStatus::Draft);
        let refused = store.move_csr_need(&s.officer, need.id, CsrNeedStatus::Published).await.unwrap_err();
        assert!(matches!(refused, StoreError::Invalid(ref e) if e.reason == "csr-admin-only"), "{refused:?}");
        // Companies see no draft, nor can they pledge to one.
        assert!(store.csr_book(&s.company, &t).await.expect("book").need(need.id).is_none());
        let early = store.pledge_csr(&s.company, need.id, pledge_input(s.company_id, Some(1))).await.unwrap_err();
        assert!(matches!(early, StoreError::Invalid(ref e) if e.reason == "csr-need-not-open"), "{early:?}");

        store.add_csr_photo(&s.officer, need.id, "Lokasi", photo("lokasi.png")).await.expect("photo");
        assert_eq!(store.move_csr_need(&s.admin, need.id, CsrNeedStatus::Published).await.expect("publish"), CsrNeedStatus::Published);

        // A company pledges for itself only.
        let forged = store.pledge_csr(&s.company, need.id, pledge_input(s.rival_id, Some(1))).await.unwrap_err();
        assert!(matches!(forged, StoreError::Forbidden), "{forged:?}");
        let pledge = store.pledge_csr(&s.company, need.id, pledge_input(s.company_id, Some(500_000_000))).await.expect("pledge");
        store.pledge_csr(&s.rival, need.id, pledge_input(s.rival_id, None)).await.expect("rival pledge");
        let book = store.csr_book(&s.admin, &t).await.expect("book");
        let entry = book.need(need.id).expect("need");
        assert_eq!(entry.need.status, CsrNeedStatus::Pledged);
        assert_eq!(entry.pledges.len(), 2);
        // 500 million known, one company did not say: never "500 million in total".
        let pledged = entry.pledged();
        assert_eq!((pledged.known, pledged.unknown_count), (500_000_000, 1));
        assert!(pledged.is_partial());

        // Each company sees its own pledge, not the other's.
        let own = store.csr_book(&s.company, &t).await.expect("book");
        let mine = &own.need(need.id).expect("visible").pledges;
        assert_eq!(mine.len(), 1);
        assert_eq!(mine[0].pledge.partner_id, s.company_id);

        // What is due: the three quarters of 2026 that ended by 23 November.
        assert_eq!(mine[0].due(own.windows, date!(2026 - 11 - 23)).len(), 3);

        // The company reports Q3 with a photo; the rival cannot touch it.
        let no_evidence = store.save_csr_report(&s.company, pledge.id, report(2, Some(1)), vec![]).await.expect("draft");
        let bare = store.move_csr_report(&s.company, no_evidence, ReportStatus::Submitted, None).await.unwrap_err();
        assert!(matches!(bare, StoreError::Invalid(ref e) if e.field == "evidence"), "{bare:?}");
        let rid = store
            .save_csr_report(&s.company, pledge.id, report(3, Some(480_000_000)), vec![(EvidenceKind::Photo, photo("penanaman.png"))])
            .await
            .expect("report");
        let stolen = store.save_csr_report(&s.rival, pledge.id, report(3, Some(1)), vec![]).await.unwrap_err();
        assert!(matches!(stolen, StoreError::Forbidden), "{stolen:?}");
        store.move_csr_report(&s.company, rid, ReportStatus::Submitted, None).await.expect("submit");
        // The company cannot approve itself; the verifier must say why it sends a report back.
        assert!(matches!(store.move_csr_report(&s.company, rid, ReportStatus::Approved, None).await, Err(StoreError::Forbidden)));
        let silent = store.move_csr_report(&s.officer, rid, ReportStatus::RevisionRequested, Some(" ")).await.unwrap_err();
        assert!(matches!(silent, StoreError::Invalid(ref e) if e.field == "comment"), "{silent:?}");
        store
            .move_csr_report(&s.officer, rid, ReportStatus::RevisionRequested, Some("Lampirkan BAST yang ditandatangani"))
            .await
            .expect("revision");
        let own = store.csr_book(&s.company, &t).await.expect("book");
        let (_, _, r) = own.report(rid).expect("own report");
        assert_eq!(r.open_revision_comment(), Some("Lampirkan BAST yang ditandatangani"));
        // Not public yet.
        assert!(store.public_csr_book(&t).await.expect("public").published_realisations().is_empty());

        store
            .save_csr_report(&s.company, pledge.id, report(3, Some(480_000_000)), vec![(EvidenceKind::Bast, photo("bast.png"))])
            .await
            .expect("revised");
        store.move_csr_report(&s.company, rid, ReportStatus::Submitted, None).await.expect("resubmit");
        store.move_csr_report(&s.officer, rid, ReportStatus::Approved, None).await.expect("approve");
        assert_eq!(store.csr_book(&s.admin, &t).await.expect("b").need(need.id).expect("n").need.status, CsrNeedStatus::InProgress);
        // Approved is not published: the public still sees nothing.
        assert!(store.public_csr_book(&t).await.expect("public").published_realisations().is_empty());
        let locked = store.save_csr_report(&s.company, pledge.id, report(3, Some(1)), vec![]).await.unwrap_err();
        assert!(matches!(locked, StoreError::Invalid(ref e) if e.reason == "csr-report-locked"), "{locked:?}");
        store.move_csr_report(&s.admin, rid, ReportStatus::Published, None).await.expect("publish");

        let public = store.public_csr_book(&t).await.expect("public");
        let rows = public.published_realisations();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].value, Reported::Rupiah(480_000_000));
        assert_eq!(rows[0].partner_name, "PT Serang Sosor");
        assert_eq!(rows[0].kecamatan(), Some(code("36.73.02")));
        assert_eq!(rows[0].evidence.len(), 2);
        // The public sees no review trail, no draft, and no company without a published report.
        let n = public.need(need.id).expect("public need");
        assert_eq!(n.pledges.len(), 1);
        assert!(n.pledges[0].reports.iter().all(|r| r.status == ReportStatus::Published && r.events.is_empty()));
        // Evidence of a published report is public; a draft's is not.
        let evidence = rows[0].evidence[0].file_id;
        assert!(store.public_csr_file(&t, evidence).await.is_ok());
        let book = store.csr_book(&s.admin, &t).await.expect("b");
        let (_, _, draft) = book.report(no_evidence).expect("draft");
        assert!(draft.evidence.is_empty());
        let photo_id = book.need(need.id).expect("n").photos[0].file_id;
        assert!(store.public_csr_file(&t, photo_id).await.is_ok(), "photos of a published need are public");
        // The other Pemda sees none of it.
        assert!(store.csr_book(&s.other_pemda, &t).await.is_err());
        assert!(store.public_csr_book(&code("36.04")).await.expect("empty").needs.is_empty());

        // Every step is in the audit trail.
        let events = store
            .audit_events(&s.admin, &AuditFilter { record_type: Some(RecordType::Csr), record_id: Some(need.id.to_string()), ..Default::default() })
            .await
            .expect("audit");
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        for a in ["create_csr_need", "add_csr_photo", "move_csr_need", "pledge_csr", "save_csr_report", "move_csr_report"] {
            assert!(actions.contains(&a), "{a} missing from {actions:?}");
        }
    }

    async fn unreported_values_are_never_summed_as_zero(store: Store) {
        let s = setup(&store).await;
        let t = code("36.73");
        let need = store.create_csr_need(&s.admin, &t, need_input(Some(s.agency), "Sanitasi", None)).await.expect("need");
        store.move_csr_need(&s.admin, need.id, CsrNeedStatus::Published).await.expect("publish");
        for (actor, partner, value) in [(&s.company, s.company_id, Some(300_000_000)), (&s.rival, s.rival_id, None)] {
            let p = store.pledge_csr(actor, need.id, pledge_input(partner, value)).await.expect("pledge");
            let r = store.save_csr_report(actor, p.id, report(1, value), vec![(EvidenceKind::Photo, photo("a.png"))]).await.expect("r");
            store.move_csr_report(actor, r, ReportStatus::Submitted, None).await.expect("s");
            store.move_csr_report(&s.admin, r, ReportStatus::Approved, None).await.expect("a");
            store.move_csr_report(&s.admin, r, ReportStatus::Published, None).await.expect("p");
        }
        let rows = store.public_csr_book(&t).await.expect("public").published_realisations();
        let by_company = totals_by(&rows, |r| r.partner_name.clone());
        let bjb = &by_company.iter().find(|(k, _)| k == "Bank BJB").expect("bjb").1;
        assert!(bjb.is_unknown(), "Bank BJB reported no value: unknown, not Rp 0");
        assert_eq!(bjb.known_count, 0);
        let all = totals_by(&rows, |r| r.year());
        assert_eq!(all.len(), 1);
        assert_eq!((all[0].1.known, all[0].1.known_count, all[0].1.unknown_count), (300_000_000, 1, 1));
        // The unknown is stored as NULL, read back as unknown.
        let book = store.csr_book(&s.admin, &t).await.expect("b");
        let values: Vec<Reported> = book.need(need.id).expect("n").pledges.iter().map(|p| p.pledge.value).collect();
        assert!(values.contains(&Reported::Unknown) && values.contains(&Reported::Rupiah(300_000_000)));
    }

    async fn companies_propose_their_own_programme(store: Store) {
        let s = setup(&store).await;
        let t = code("36.73");
        let own = store.create_csr_need(&s.company, &t, need_input(None, "Pusat kuliner UMKM", None)).await.expect("own");
        assert_eq!(own.proposed_by, Some(s.company_id));
        assert_eq!(own.agency_id, None);
        // It carries its own pledge before it is published; nobody else may pledge yet.
        store.pledge_csr(&s.company, own.id, pledge_input(s.company_id, None)).await.expect("own pledge");
        assert!(store.pledge_csr(&s.rival, own.id, pledge_input(s.rival_id, None)).await.is_err());
        assert!(store.csr_book(&s.rival, &t).await.expect("b").need(own.id).is_none(), "a draft of another company");
        // Publishing it lands on pledged; it can no longer go back to draft.
        assert_eq!(store.move_csr_need(&s.admin, own.id, CsrNeedStatus::Published).await.expect("p"), CsrNeedStatus::Pledged);
        assert!(store.move_csr_need(&s.admin, own.id, CsrNeedStatus::Draft).await.is_err());
        // An officer outside the need's agency cannot move it; an invalid place is refused.
        assert!(matches!(store.move_csr_need(&s.officer, own.id, CsrNeedStatus::InProgress).await, Err(StoreError::Forbidden)));
        let mut outside = need_input(Some(s.agency), "Di luar wilayah", None);
        outside.location = code("36.04.01.2001");
        let e = store.create_csr_need(&s.officer, &t, outside).await.unwrap_err();
        assert!(matches!(e, StoreError::Invalid(ref f) if f.field == "location"), "{e:?}");
        // A viewer proposes nothing.
        let viewer = Actor { role: Role::Viewer, ..s.admin.clone() };
        assert!(store.create_csr_need(&viewer, &t, need_input(Some(s.agency), "x", None)).await.is_err());
    }
}
