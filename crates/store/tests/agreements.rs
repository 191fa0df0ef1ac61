//! Agreements between two Pemda, through their stages, on both databases.

use sinergi_domain::cooperation::agreement::{AgreementKind, DocumentKind, Stage, TerminationReason};
use sinergi_domain::cooperation::documents::{DocumentPurpose, SigningChecklist};
use sinergi_domain::cooperation::dormancy::DormancyRule;
use sinergi_domain::cooperation::evaluation::{Recommendation, Scores};
use sinergi_domain::cooperation::funding::{FundingForm, FundingSource};
use sinergi_domain::cooperation::needs::{NeedStatus, PartnerKind};
use sinergi_domain::cooperation::outcomes::OutcomeKind;
use sinergi_domain::files::check_file;
use sinergi_domain::{ActivityId, OutcomeId};
use sinergi_domain::{Actor, RegionCode, Role, Scope};
use sinergi_store::agencies::AgencyInput;
use sinergi_store::agreements::{
    Activity, AgreementDetails, NewAgreement, NewEvaluation, Outcome, Party, PartySigning, StageMove, parse_date,
};
use sinergi_store::cooperation::NeedInput;
use sinergi_store::documents::NewDocument;
use sinergi_store::partners::PartnerInput;
use sinergi_store::tenants::NewTenant;
use sinergi_store::{StoreError, store_tests};

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn admin(c: &str) -> Actor {
    Actor { role: Role::RegionAdmin, scope: Scope::Tenant(code(c)), label: format!("admin {c}"), ..Actor::system("a") }
}

store_tests! {
    async fn a_kb_between_two_pemda_moves_to_pks_and_both_see_it(store: Store) {
        let root = Actor::system("t");
        for (c, n) in [("36.73", "Kota Serang"), ("36.04", "Kabupaten Serang"), ("36.71", "Kota Tangerang")] {
            store.create_tenant(&root, NewTenant::parse(c, n, None).expect("t")).await.expect("tenant");
        }
        let (kota, kab, other) = (admin("36.73"), admin("36.04"), admin("36.71"));
        let lab = store
            .create_agency(&kota, &code("36.73"), AgencyInput::parse("UPTD Labkesda", None, "dinas", None, true).expect("a"))
            .await
            .expect("agency");
        let need = store
            .create_need(&kota, &code("36.73"), NeedInput {
                agency_id: lab.id, year: 2026, title: "Layanan uji laboratorium untuk industri Kabupaten Serang".into(),
                problem: "Industri menguji sampel ke luar daerah".into(), urusan_code: "1.02".into(),
                partner_kind: PartnerKind::Region, expected_benefit: "PAD".into(), priority: None, target_ids: vec![],
            })
            .await
            .expect("need");
        store.set_need_status(&kota, need.id, NeedStatus::Submitted).await.expect("submit");
        let pemkab = store
            .create_partner(&kota, &code("36.73"), PartnerInput::parse("region", "Pemerintah Kabupaten Serang", "36.04", "", "", "", "", "", "", "", true).expect("p"))
            .await
            .expect("partner");

        let kb = store.draft_agreement_from_match(&kota, need.id, pemkab.id).await.expect("draft");
        assert_eq!((kb.kind, kb.stage), (AgreementKind::KsddSukarela, Stage::Persiapan));
        assert_eq!(store.need(&kota, need.id).await.expect("need").status, NeedStatus::Matched);

        // The other Pemda sees the same record; a third does not.
        let seen = store.agreement(&kab, kb.id).await.expect("shared");
        assert!(seen.shared);
        assert_eq!(seen.parties[1].party_tenant, Some(code("36.04")));
        assert!(matches!(store.agreement(&other, kb.id).await, Err(StoreError::NotFound)));
        assert_eq!(store.agreements(&kab, &Default::default()).await.expect("list").len(), 1);
        // Only the keeper moves it.
        assert!(matches!(store.move_agreement(&kab, kb.id, Stage::Penawaran, StageMove::default()).await, Err(StoreError::Forbidden)));

        // Internal notes stay on their side.
        store.add_agreement_note(&kota, kb.id, "Catatan internal Kota Serang").await.expect("note");
        store.add_agreement_note(&kab, kb.id, "Catatan internal Kabupaten Serang").await.expect("note");
        let mine = store.agreement(&kota, kb.id).await.expect("detail");
        assert_eq!(mine.notes.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), vec!["Catatan internal Kota Serang"]);
        let theirs = store.agreement(&kab, kb.id).await.expect("detail");
        assert_eq!(theirs.notes.iter().map(|n| n.body.as_str()).collect::<Vec<_>>(), vec!["Catatan internal Kabupaten Serang"]);

        for to in [Stage::Penawaran, Stage::PenyusunanKb, Stage::PenandatangananKb] {
            store.move_agreement(&kota, kb.id, to, StageMove::default()).await.expect("forward");
        }
        let unsigned = store.move_agreement(&kota, kb.id, Stage::PenyusunanPks, StageMove::default()).await;
        assert!(matches!(&unsigned, Err(StoreError::Invalid(e)) if e.reason == "kb-not-signed"), "{unsigned:?}");
        let skip = store.move_agreement(&kota, kb.id, Stage::Pelaksanaan, StageMove::default()).await;
        assert!(matches!(skip, Err(StoreError::Invalid(_))));
        let signed = StageMove { kb_signed_on: parse_date("kb_signed_on", "2026-01-30").expect("date"), note: Some("Ditandatangani Wali Kota dan Wakil Bupati".into()), ..Default::default() };
        let moved = store.move_agreement(&kota, kb.id, Stage::PenyusunanPks, signed).await.expect("to pks");
        assert_eq!(moved.kb_signed_on.map(|d| d.to_string()), Some("2026-01-30".into()));
        let ended = store.move_agreement(&kota, kb.id, Stage::Diakhiri, StageMove::default()).await;
        assert!(matches!(&ended, Err(StoreError::Invalid(e)) if e.reason == "reason-required"));
        let detail = store.agreement(&kab, kb.id).await.expect("detail");
        assert_eq!(detail.agreement.stage, Stage::PenyusunanPks, "the partner Pemda follows the stage");
        assert_eq!(detail.transitions.len(), 5, "draft and four moves, each recorded");
        assert_eq!(detail.transitions[4].note.as_deref(), Some("Ditandatangani Wali Kota dan Wakil Bupati"));
        let _ = TerminationReason::AimMet;
    }

    async fn documents_are_kept_with_their_checklist_and_evidence_is_atomic(store: Store) {
        let root = Actor::system("t");
        for (c, n) in [("36.73", "Kota Serang"), ("36.04", "Kabupaten Serang"), ("36.71", "Kota Tangerang")] {
            store.create_tenant(&root, NewTenant::parse(c, n, None).expect("t")).await.expect("tenant");
        }
        let (kota, kab, other) = (admin("36.73"), admin("36.04"), admin("36.71"));
        let kb = store
            .create_agreement(&kota, &code("36.73"), NewAgreement {
                kind: AgreementKind::KsddSukarela, title: "KB Kota dan Kabupaten Serang".into(), scope: "UMKM, industri, Labkesda".into(),
                urusan_code: "2.17".into(), starts_on: None, ends_on: None, value: None, funding: None,
                funding_form: None, location_codes: vec![], agency_id: None,
                parties: vec![Party { partner_id: None, party_tenant: Some(code("36.04")), name: "Pemerintah Kabupaten Serang".into(),
                    signatory_name: None, signatory_position: None, document_number: None, signs_by_authority: false }],
                need_ids: vec![],
            })
            .await
            .expect("kb");
        let pdf = |text: &str| check_file("file", "scan.pdf", format!("%PDF-1.4\n% {text}\n%%EOF\n").into_bytes(), 4096).expect("pdf");
        let signed = store
            .add_document(&kota, kb.id, NewDocument {
                purpose: DocumentPurpose::SignedKb, title: "KB bertanda tangan".into(), file: pdf("KB 30 Januari 2026"),
                activity_id: None, outcome_id: None, checklist: SigningChecklist { paraf: true, materai: false, stempel: true },
            })
            .await
            .expect("document");
        assert_eq!(signed.checklist.missing(), vec!["materai"]);
        // A party Pemda reads the signed KB but does not change it; a third Pemda sees nothing.
        let file = store.document_file(&kab, kb.id, signed.id).await.expect("shared file");
        assert!(String::from_utf8_lossy(&file.bytes).contains("KB 30 Januari 2026"));
        assert!(matches!(store.document_file(&other, kb.id, signed.id).await, Err(StoreError::NotFound)));
        let full = SigningChecklist { paraf: true, materai: true, stempel: true };
        assert!(matches!(store.set_signing_checklist(&kab, kb.id, signed.id, full).await, Err(StoreError::Forbidden)));
        assert!(store.set_signing_checklist(&kota, kb.id, signed.id, full).await.expect("checklist").checklist.is_complete());
        // A checklist on a letter is refused; a blank title is refused and nothing is kept.
        let letter = store
            .add_document(&kota, kb.id, NewDocument {
                purpose: DocumentPurpose::SuratKuasa, title: "Surat kuasa Sekda".into(), file: pdf("kuasa"),
                activity_id: None, outcome_id: None, checklist: full,
            })
            .await
            .expect("letter");
        assert_eq!(letter.checklist, SigningChecklist::default(), "a letter carries no checklist");
        let refused = store.set_signing_checklist(&kota, kb.id, letter.id, full).await;
        assert!(matches!(&refused, Err(StoreError::Invalid(e)) if e.reason == "checklist-not-applicable"), "{refused:?}");
        let blank = store
            .add_document(&kota, kb.id, NewDocument {
                purpose: DocumentPurpose::Other, title: "  ".into(), file: pdf("x"), activity_id: None, outcome_id: None, checklist: full,
            })
            .await;
        assert!(matches!(&blank, Err(StoreError::Invalid(e)) if e.field == "title"), "{blank:?}");

        // Evidence comes with its activity, in one transaction.
        let activity = Activity { id: ActivityId::new(), agency_id: None, status: sinergi_domain::cooperation::outcomes::ActivityStatus::Done, agreement_id: kb.id, title: "Rapat teknis PKS Labkesda".into(),
            planned_on: None, done_on: parse_date("d", "2026-02-10").expect("d"), budget: None };
        store.add_activity(&kota, kb.id, activity.clone(), Some(pdf("notulen"))).await.expect("activity");
        let detail = store.agreement(&kota, kb.id).await.expect("detail");
        assert_eq!(detail.documents.len(), 3);
        let evidence = detail.documents.iter().find(|d| d.activity_id == Some(activity.id)).expect("evidence linked");
        assert_eq!((evidence.purpose, evidence.title.as_str()), (DocumentPurpose::Evidence, "Rapat teknis PKS Labkesda"));
        // An outcome whose evidence cannot be kept (blank label → blank title) leaves nothing behind.
        let outcome = Outcome { id: OutcomeId::new(), baseline: None, target: None, agreement_id: kb.id, kind: OutcomeKind::Other, label: " ".into(), unit: "UMKM".into(),
            value: 12, period: "2026".into(), evidence: None, recorded_on: parse_date("d", "2026-03-01").expect("d").expect("d") };
        assert!(store.add_outcome(&kota, kb.id, outcome, Some(pdf("foto"))).await.is_err());
        let after = store.agreement(&kota, kb.id).await.expect("detail");
        assert!(after.outcomes.is_empty(), "the outcome was rolled back with its evidence");
        assert_eq!(after.documents.len(), 3);
    }

    async fn details_signatories_and_evaluations_are_the_keepers_and_audited(store: Store) {
        let root = Actor::system("t");
        for (c, n) in [("36.73", "Kota Serang"), ("36.04", "Kabupaten Serang")] {
            store.create_tenant(&root, NewTenant::parse(c, n, None).expect("t")).await.expect("tenant");
        }
        let (kota, kab) = (admin("36.73"), admin("36.04"));
        let kb = store
            .create_agreement(&kota, &code("36.73"), NewAgreement {
                kind: AgreementKind::KsddSukarela, title: "KB Serang".into(), scope: "".into(),
                urusan_code: "2.17".into(), starts_on: None, ends_on: None, value: None, funding: None,
                funding_form: None, location_codes: vec![], agency_id: None,
                parties: vec![Party { partner_id: None, party_tenant: Some(code("36.04")), name: "Pemerintah Kabupaten Serang".into(),
                    signatory_name: None, signatory_position: None, document_number: None, signs_by_authority: false }],
                need_ids: vec![],
            })
            .await
            .expect("kb");
        let details = |starts: &str, ends: &str| AgreementDetails {
            title: "KB Kota dan Kabupaten Serang".into(), scope: "UMKM, industri, Labkesda".into(), urusan_code: "2.17".into(),
            location_codes: vec![code("36.73"), code("36.04")], starts_on: parse_date("s", starts).expect("d"),
            ends_on: parse_date("e", ends).expect("d"), value: None, funding: Some(FundingSource::Shared),
            funding_form: Some(FundingForm::Mixed), burdens_public: false, budgeted_in_apbd: false, agency_id: None,
        };
        let signing = vec![
            PartySigning { seq: 0, signatory_name: Some("Budi Rustandi".into()), signatory_position: Some("Wali Kota Serang".into()), document_number: Some(" 000.7/03-KB/Huk/2026 ".into()), signs_by_authority: false },
            PartySigning { seq: 1, signatory_name: Some("Muhammad Najib Hamas".into()), signatory_position: Some("Wakil Bupati Serang".into()), document_number: Some("".into()), signs_by_authority: true },
        ];
        // The end before the start is refused, naming the field, and nothing changes.
        let bad = store.update_agreement(&kota, kb.id, details("2026-01-30", "2025-01-30"), signing.clone()).await;
        assert!(matches!(&bad, Err(StoreError::Invalid(e)) if e.field == "ends_on"), "{bad:?}");
        assert_eq!(store.agreement(&kota, kb.id).await.expect("d").parties[0].signatory_name, None);
        // The party Pemda reads but does not write.
        let theirs = store.update_agreement(&kab, kb.id, details("2026-01-30", "2031-01-30"), signing.clone()).await;
        assert!(matches!(theirs, Err(StoreError::Forbidden)));
        // A party beyond the list is not invented.
        let ghost = vec![PartySigning { seq: 5, signatory_name: None, signatory_position: None, document_number: None, signs_by_authority: false }];
        assert!(matches!(store.update_agreement(&kota, kb.id, details("2026-01-30", "2031-01-30"), ghost).await, Err(StoreError::NotFound)));

        let saved = store.update_agreement(&kota, kb.id, details("2026-01-30", "2031-01-30"), signing).await.expect("saved");
        assert!(saved.dprd().required, "a KSDD not budgeted in the APBD needs the DPRD");
        let d = store.agreement(&kab, kb.id).await.expect("shared");
        assert_eq!(d.agreement.location_codes, vec![code("36.73"), code("36.04")]);
        assert_eq!((d.agreement.funding, d.agreement.funding_form), (Some(FundingSource::Shared), Some(FundingForm::Mixed)));
        assert_eq!(d.parties[0].document_number.as_deref(), Some("000.7/03-KB/Huk/2026"), "trimmed");
        assert_eq!(d.parties[1].document_number, None, "blank is absent");
        assert!(d.parties[1].signs_by_authority);

        let scores = Scores::parse(["5", "4", "5", "4", "5", "5"]).expect("scores");
        let eval = |period: &str| NewEvaluation { period: period.into(), evaluated_on: parse_date("d", "2026-10-15").expect("d").expect("d"),
            scores, recommendation: Recommendation::Expand, notes: "Perluas".into() };
        assert!(matches!(store.add_evaluation(&kab, kb.id, eval("2026")).await, Err(StoreError::Forbidden)));
        let blank = store.add_evaluation(&kota, kb.id, eval(" ")).await;
        assert!(matches!(&blank, Err(StoreError::Invalid(e)) if e.field == "period"));
        store.add_evaluation(&kota, kb.id, eval("2026")).await.expect("evaluation");
        let d = store.agreement(&kab, kb.id).await.expect("shared");
        assert_eq!(d.evaluations.len(), 1);
        assert_eq!(d.evaluations[0].scores, scores);
        let events = store
            .audit_events(&kota, &sinergi_store::audit::AuditFilter { record_id: Some(kb.id.to_string()), limit: 50, ..Default::default() })
            .await
            .expect("audit");
        let actions: Vec<_> = events.iter().map(|e| e.action.as_str()).collect();
        assert!(actions.contains(&"update") && actions.contains(&"party") && actions.contains(&"evaluation"), "{actions:?}");
        assert_eq!(actions.iter().filter(|a| **a == "party").count(), 2);
    }

    async fn the_portfolio_finds_each_agreements_activities_and_outcomes(store: Store) {
        let root = Actor::system("t");
        store.create_tenant(&root, NewTenant::parse("36.73", "Kota Serang", None).expect("t")).await.expect("tenant");
        let kota = admin("36.73");
        let date = |s: &str| parse_date("date", s).expect("date").expect("some");
        let mut ids = Vec::new();
        for title in ["Kerja sama A", "Kerja sama B", "Kerja sama C"] {
            let new = NewAgreement {
                kind: AgreementKind::Ksdpk, title: title.into(), scope: String::new(), urusan_code: "2.17".into(),
                starts_on: None, ends_on: None, value: None, funding: None, funding_form: None, location_codes: vec![], agency_id: None,
                parties: vec![], need_ids: vec![],
            };
            ids.push(store.create_agreement(&kota, &code("36.73"), new).await.expect("agreement").id);
        }
        // Recorded interleaved, as they come in: the portfolio must still group them.
        for (n, id) in [ids[2], ids[0], ids[2], ids[1], ids[2]].into_iter().enumerate() {
            let done = if id == ids[0] { "2025-02-01" } else { "2025-08-01" };
            let activity = Activity { id: ActivityId::new(), agency_id: None, status: sinergi_domain::cooperation::outcomes::ActivityStatus::Done, agreement_id: id, title: format!("Kegiatan {n}"), planned_on: None, done_on: Some(date(done)), budget: None };
            store.add_activity(&kota, id, activity, None).await.expect("activity");
        }
        for (value, id) in [(10, ids[1]), (20, ids[2]), (30, ids[1])] {
            let outcome = Outcome { id: OutcomeId::new(), baseline: None, target: None, agreement_id: id, kind: OutcomeKind::Beneficiaries, label: "Warga".into(), unit: "orang".into(), value, period: "2026".into(), evidence: None, recorded_on: date("2026-04-01") };
            store.add_outcome(&kota, id, outcome, None).await.expect("outcome");
        }
        let p = store.portfolio(&kota).await.expect("portfolio");
        let titles = |id| p.activities_of(id).iter().map(|a| a.title.clone()).collect::<Vec<_>>();
        assert_eq!(titles(ids[2]), vec!["Kegiatan 0", "Kegiatan 2", "Kegiatan 4"], "in the order recorded");
        assert_eq!(titles(ids[0]), vec!["Kegiatan 1"]);
        assert_eq!(titles(ids[1]), vec!["Kegiatan 3"]);
        let values = |id| p.outcomes_of(id).iter().map(|o| o.value).collect::<Vec<_>>();
        assert_eq!((values(ids[0]), values(ids[1]), values(ids[2])), (vec![], vec![10, 30], vec![20]));
        assert!(p.outcomes_of(sinergi_domain::AgreementId::new()).is_empty());
        // A KB signed in January whose only activity was in February has stopped on paper by
        // September, however busy the other agreements were in August.
        for to in [Stage::Penawaran, Stage::PenyusunanKb, Stage::PenandatangananKb, Stage::PenyusunanPks] {
            let step = StageMove { feasibility_done: true, kb_signed_on: Some(date("2025-01-01")), ..Default::default() };
            store.move_agreement(&kota, ids[0], to, step).await.expect("move");
        }
        let p = store.portfolio(&kota).await.expect("portfolio");
        let stopped: Vec<_> = p.agreements.iter().filter(|a| p.dormancy(a, DormancyRule::default(), date("2025-09-01")).is_some()).map(|a| a.id).collect();
        assert_eq!(stopped, vec![ids[0]]);
    }

    async fn a_signed_kb_gets_its_pks_and_addenda_as_child_records(store: Store) {
        let root = Actor::system("t");
        for (c, n) in [("36.73", "Kota Serang"), ("36.04", "Kabupaten Serang")] {
            store.create_tenant(&root, NewTenant::parse(c, n, None).expect("t")).await.expect("tenant");
        }
        let (kota, kab) = (admin("36.73"), admin("36.04"));
        let kb = store
            .create_agreement(&kota, &code("36.73"), NewAgreement {
                kind: AgreementKind::KsddSukarela, title: "KB Kota dan Kabupaten Serang".into(), scope: "UMKM, industri, Labkesda".into(),
                urusan_code: "1.02".into(), starts_on: None, ends_on: None, value: None, funding: None,
                funding_form: None, location_codes: vec![], agency_id: None,
                parties: vec![Party { partner_id: None, party_tenant: Some(code("36.04")), name: "Pemerintah Kabupaten Serang".into(),
                    signatory_name: None, signatory_position: None, document_number: None, signs_by_authority: false }],
                need_ids: vec![],
            })
            .await
            .expect("kb");
        // Not before the KB is signed.
        let early = store.draft_child(&kota, kb.id, DocumentKind::Pks).await;
        assert!(matches!(&early, Err(StoreError::Invalid(e)) if e.reason == "parent-not-signed"), "{early:?}");
        for to in [Stage::Penawaran, Stage::PenyusunanKb, Stage::PenandatangananKb] {
            store.move_agreement(&kota, kb.id, to, StageMove::default()).await.expect("forward");
        }
        let signed = StageMove { kb_signed_on: parse_date("d", "2026-01-30").expect("d"), ..Default::default() };
        store.move_agreement(&kota, kb.id, Stage::PenyusunanPks, signed).await.expect("signed");
        assert!(matches!(store.draft_child(&kab, kb.id, DocumentKind::Pks).await, Err(StoreError::Forbidden)), "the keeper drafts");

        let labkesda = store.draft_child(&kota, kb.id, DocumentKind::Pks).await.expect("pks");
        assert_eq!((labkesda.document, labkesda.stage, labkesda.parent_id), (DocumentKind::Pks, Stage::PenyusunanPks, Some(kb.id)));
        assert_eq!(labkesda.kb_signed_on, parse_date("d", "2026-01-30").expect("d"), "the KB's signing carries over");
        let umkm = store.draft_child(&kota, kb.id, DocumentKind::Pks).await.expect("a second pks");
        let nested = store.draft_child(&kota, labkesda.id, DocumentKind::Pks).await;
        assert!(matches!(&nested, Err(StoreError::Invalid(e)) if e.reason == "invalid-parent"), "{nested:?}");
        // The child walks its own stages; the partner Pemda sees it as it sees the KB.
        let pks_signed = StageMove { pks_signed_on: parse_date("d", "2026-03-02").expect("d"), ..Default::default() };
        store.move_agreement(&kota, labkesda.id, Stage::PenandatangananPks, StageMove::default()).await.expect("to signing");
        store.move_agreement(&kota, labkesda.id, Stage::Pelaksanaan, pks_signed).await.expect("in force");
        let seen = store.agreement(&kab, kb.id).await.expect("shared");
        assert_eq!(seen.children.iter().map(|c| c.id).collect::<Vec<_>>(), vec![labkesda.id, umkm.id]);
        assert_eq!(store.agreement(&kab, labkesda.id).await.expect("child").parent.map(|p| p.id), Some(kb.id));
        assert_eq!(store.agreement(&kab, labkesda.id).await.expect("child").parties.len(), 2);

        // An addendum to the KB: drafted, signed like a KB, then in force with its parent.
        let addendum = store.draft_child(&kota, kb.id, DocumentKind::Addendum).await.expect("addendum");
        assert_eq!((addendum.stage, addendum.kb_signed_on), (Stage::PenyusunanKb, None));
        store.move_agreement(&kota, addendum.id, Stage::PenandatangananKb, StageMove::default()).await.expect("signing");
        let skip = store.move_agreement(&kota, addendum.id, Stage::PenyusunanPks, StageMove::default()).await;
        assert!(matches!(skip, Err(StoreError::Invalid(_))), "no PKS follows an addendum");
        let signed = StageMove { kb_signed_on: parse_date("d", "2026-06-01").expect("d"), ..Default::default() };
        store.move_agreement(&kota, addendum.id, Stage::Pelaksanaan, signed).await.expect("in force");

        // Stopped on paper: the KB counts as followed up only by a signed PKS.
        let p = store.portfolio(&kota).await.expect("portfolio");
        let late = date_of("2027-01-01");
        let kb_now = p.agreements.iter().find(|a| a.id == kb.id).expect("kb");
        assert!(p.dormancy(kb_now, DormancyRule::default(), late).is_none(), "its PKS was signed");
        let draft = p.agreements.iter().find(|a| a.id == umkm.id).expect("draft pks");
        assert!(p.dormancy(draft, DormancyRule::default(), late).is_none(), "an unsigned PKS has nothing to count from");
        let add = p.agreements.iter().find(|a| a.id == addendum.id).expect("addendum");
        assert!(p.dormancy(add, DormancyRule::default(), late).is_none(), "an addendum runs with its parent");
        let pks = p.agreements.iter().find(|a| a.id == labkesda.id).expect("pks");
        assert!(p.dormancy(pks, DormancyRule::default(), late).is_some(), "a signed PKS with nothing done stopped on paper");
    }
}

fn date_of(s: &str) -> time::Date {
    parse_date("d", s).expect("date").expect("some")
}
