//! Meetings, their attendees and action items, on both databases.

use sinergi_domain::auth::Email;
use sinergi_domain::cooperation::agreement::AgreementKind;
use sinergi_domain::cooperation::meetings::{ActionItemDraft, ActionStatus, AttendeeRef, MeetingDraft};
use sinergi_domain::cooperation::needs::PartnerKind;
use sinergi_domain::{Actor, AgreementId, MeetingId, NeedId, RegionCode, Role, Scope, UserId};
use sinergi_store::agencies::AgencyInput;
use sinergi_store::agreements::{NewAgreement, Party};
use sinergi_store::audit::{AuditFilter, RecordType};
use sinergi_store::cooperation::NeedInput;
use sinergi_store::meetings::{MeetingFilter, MeetingInput};
use sinergi_store::partners::{ContactInput, PartnerInput};
use sinergi_store::tenants::NewTenant;
use sinergi_store::users::NewUser;
use sinergi_store::{Store, StoreError, dummy_hash, store_tests};
use time::macros::date;

fn code(s: &str) -> RegionCode {
    RegionCode::parse(s).expect("code")
}

fn admin(c: &str) -> Actor {
    Actor { role: Role::RegionAdmin, scope: Scope::Tenant(code(c)), label: format!("admin {c}"), ..Actor::system("a") }
}

struct Setup {
    tangsel: Actor,
    other: Actor,
    need: NeedId,
    agreement: AgreementId,
    officer: UserId,
    contact: sinergi_domain::ContactId,
}

/// Kota Tangerang Selatan with a need, the APJATEL agreement, a Diskominfo officer and an
/// APJATEL contact; Kota Tangerang next door, with nothing of its own.
async fn setup(store: &Store) -> Setup {
    let root = Actor::system("t");
    for (c, n) in [("36.74", "Kota Tangerang Selatan"), ("36.71", "Kota Tangerang")] {
        store.create_tenant(&root, NewTenant::parse(c, n, None).expect("t")).await.expect("tenant");
    }
    let tangsel = admin("36.74");
    let t = code("36.74");
    let kominfo = store
        .create_agency(
            &root,
            &t,
            AgencyInput::parse("Dinas Komunikasi dan Informatika", None, "dinas", None, true).expect("a"),
        )
        .await
        .expect("agency");
    let need = store
        .create_need(
            &tangsel,
            &t,
            NeedInput {
                agency_id: kominfo.id,
                year: 2026,
                title: "Penataan kabel fiber optik bersama APJATEL".into(),
                problem: "Kabel optik semrawut".into(),
                urusan_code: "2.16".into(),
                partner_kind: PartnerKind::Association,
                expected_benefit: "Tanpa biaya APBD".into(),
                priority: None,
                target_ids: vec![],
            },
        )
        .await
        .expect("need");
    let apjatel = store
        .create_partner(
            &tangsel,
            &t,
            PartnerInput::parse("association", "APJATEL", "31", "", "", "", "", "", "", "", true).expect("p"),
        )
        .await
        .expect("partner");
    let contact = store
        .add_contact(
            &tangsel,
            apjatel.id,
            ContactInput::parse("Irfan Maulana", "Koordinator Wilayah Banten", "", "").expect("c"),
        )
        .await
        .expect("contact")
        .id;
    let agreement = store
        .create_agreement(
            &tangsel,
            &t,
            NewAgreement {
                kind: AgreementKind::Ksdpk,
                title: "Penataan kabel fiber optik bersama APJATEL".into(),
                scope: "Penataan kabel".into(),
                urusan_code: "2.16".into(),
                starts_on: None,
                ends_on: None,
                value: None,
                funding: None,
                funding_form: None,
                location_codes: vec![],
                agency_id: None,
                parties: vec![Party {
                    partner_id: Some(apjatel.id),
                    party_tenant: None,
                    name: apjatel.name.clone(),
                    signatory_name: None,
                    signatory_position: None,
                    document_number: None,
                    signs_by_authority: false,
                }],
                need_ids: vec![need.id],
            },
        )
        .await
        .expect("agreement")
        .id;
    let officer = store
        .create_user(
            &root,
            NewUser {
                tenant: Some(t.clone()),
                agency_id: Some(kominfo.id),
                partner_id: None,
                email: Email::parse("rizky@tangsel.test.id").expect("email"),
                name: "Rizky Pratama".into(),
                role: Role::AgencyOfficer,
                password_hash: dummy_hash(),
            },
        )
        .await
        .expect("officer")
        .id;
    Setup { tangsel, other: admin("36.71"), need: need.id, agreement, officer, contact }
}

fn mapping_meeting(s: &Setup) -> MeetingInput {
    MeetingInput {
        draft: MeetingDraft::parse(
            "rapat-pemetaan",
            "Rapat Pemetaan Kerja Sama Daerah",
            "2025-12-17",
            "Pranaya Hotel, Serpong",
            "Arah kerja sama daerah",
            "",
            "Setiap perangkat daerah menetapkan maksimal tiga kebutuhan prioritas\nPenataan kabel bersama APJATEL tanpa APBD",
        )
        .expect("draft"),
        need_ids: vec![s.need],
        agreement_ids: vec![s.agreement],
    }
}

fn item(title: &str, owner: &str, label: &str, due: &str) -> ActionItemDraft {
    ActionItemDraft::parse(title, owner, label, due).expect("item")
}

store_tests! {
    async fn a_meeting_with_attendees_and_action_items_stays_in_its_tenant(store: Store) {
        let s = setup(&store).await;
        let t = code("36.74");
        let meeting = store.create_meeting(&s.tangsel, &t, mapping_meeting(&s)).await.expect("create");

        // Attendees: a user (with their agency), a partner contact (with the partner), a guest.
        let user = store.add_attendee(&s.tangsel, meeting.id, AttendeeRef::User(s.officer)).await.expect("user");
        assert_eq!((user.name.as_str(), user.organisation.as_deref()), ("Rizky Pratama", Some("Dinas Komunikasi dan Informatika")));
        let contact = store.add_attendee(&s.tangsel, meeting.id, AttendeeRef::Contact(s.contact)).await.expect("contact");
        assert_eq!(contact.organisation.as_deref(), Some("APJATEL"));
        let guest = AttendeeRef::parse("", "Bambang Noertjahjo", "Sekretaris Daerah").expect("guest");
        store.add_attendee(&s.tangsel, meeting.id, guest).await.expect("guest");
        let twice = store.add_attendee(&s.tangsel, meeting.id, AttendeeRef::User(s.officer)).await;
        assert!(matches!(&twice, Err(StoreError::Invalid(e)) if e.reason == "attendee-already-listed"), "{twice:?}");

        // Action items: the owner's name stands in for an empty label.
        let owned = store.add_action_item(&s.tangsel, meeting.id, item("Laporan capaian penataan kabel", &s.officer.to_string(), "", "2026-09-30")).await.expect("item");
        assert_eq!((owned.owner_label.as_deref(), owned.status), (Some("Rizky Pratama"), ActionStatus::Open));
        let free = store.add_action_item(&s.tangsel, meeting.id, item("Inventarisasi MoU", "", "Bagian Kerja Sama", "2026-02-27")).await.expect("item");
        let started = store.set_action_status(&s.tangsel, meeting.id, free.id, ActionStatus::InProgress, date!(2026 - 01 - 05)).await.expect("start");
        assert_eq!(started.done_on, None);
        let done = store.set_action_status(&s.tangsel, meeting.id, owned.id, ActionStatus::Done, date!(2026 - 09 - 05)).await.expect("done");
        assert_eq!(done.done_on, Some(date!(2026 - 09 - 05)));
        let again = store.set_action_status(&s.tangsel, meeting.id, owned.id, ActionStatus::Open, date!(2026 - 09 - 06)).await;
        assert!(matches!(&again, Err(StoreError::Invalid(e)) if e.reason == "status-not-allowed"), "{again:?}");

        let detail = store.meeting(&s.tangsel, meeting.id).await.expect("detail");
        assert_eq!(detail.meeting.held_on, date!(2025 - 12 - 17));
        assert_eq!(detail.attendees.len(), 3);
        assert_eq!(detail.action_items.iter().map(|i| i.status).collect::<Vec<_>>(), vec![ActionStatus::Done, ActionStatus::InProgress]);
        assert_eq!((detail.need_ids, detail.agreement_ids), (vec![s.need], vec![s.agreement]));

        // Found from the need and from the agreement; a filter on something else finds nothing.
        for filter in [
            MeetingFilter { need: Some(s.need), ..Default::default() },
            MeetingFilter { agreement: Some(s.agreement), ..Default::default() },
        ] {
            let found = store.meetings(&s.tangsel, &filter).await.expect("list");
            assert_eq!(found.iter().map(|m| m.meeting.id).collect::<Vec<_>>(), vec![meeting.id]);
            assert_eq!(found[0].action_items.len(), 2);
        }
        let none = MeetingFilter { agreement: Some(AgreementId::new()), ..Default::default() };
        assert!(store.meetings(&s.tangsel, &none).await.expect("list").is_empty());

        // Another Pemda sees nothing, and cannot write: "not found", like a record that is not there.
        assert!(store.meetings(&s.other, &MeetingFilter::default()).await.expect("list").is_empty());
        assert!(matches!(store.meeting(&s.other, meeting.id).await, Err(StoreError::NotFound)));
        assert!(matches!(store.update_meeting(&s.other, meeting.id, mapping_meeting(&s)).await, Err(StoreError::NotFound)));
        assert!(matches!(store.add_action_item(&s.other, meeting.id, item("Disusupi", "", "", "")).await, Err(StoreError::NotFound)));
        assert!(matches!(
            store.set_action_status(&s.other, meeting.id, free.id, ActionStatus::Done, date!(2026 - 01 - 05)).await,
            Err(StoreError::NotFound)
        ));
        assert!(matches!(store.meeting(&s.tangsel, MeetingId::new()).await, Err(StoreError::NotFound)));
        // Nor can it link this Pemda's need or agreement to a meeting of its own.
        let stolen = store.create_meeting(&s.other, &code("36.71"), mapping_meeting(&s)).await;
        assert!(matches!(&stolen, Err(StoreError::Invalid(e)) if e.field == "need_ids"), "{stolen:?}");
        let only_agreement = MeetingInput { need_ids: vec![], ..mapping_meeting(&s) };
        let stolen = store.create_meeting(&s.other, &code("36.71"), only_agreement).await;
        assert!(matches!(&stolen, Err(StoreError::Invalid(e)) if e.field == "agreement_ids"), "{stolen:?}");
        // A user of another Pemda is not an attendee or an owner here.
        let foreign = store.add_action_item(&s.tangsel, meeting.id, item("X", &UserId::new().to_string(), "", "")).await;
        assert!(matches!(&foreign, Err(StoreError::Invalid(e)) if e.field == "owner_user_id"), "{foreign:?}");
        // Viewers read; only the Bagian Kerja Sama writes.
        let viewer = Actor { role: Role::Viewer, ..s.tangsel.clone() };
        assert_eq!(store.meetings(&viewer, &MeetingFilter::default()).await.expect("read").len(), 1);
        assert!(matches!(store.create_meeting(&viewer, &t, mapping_meeting(&s)).await, Err(StoreError::Forbidden)));
        let partner = Actor { role: Role::Partner, ..s.tangsel.clone() };
        assert!(matches!(store.meeting(&partner, meeting.id).await, Err(StoreError::Forbidden)));
    }

    async fn every_write_is_audited_on_the_meeting(store: Store) {
        let s = setup(&store).await;
        let meeting = store.create_meeting(&s.tangsel, &code("36.74"), mapping_meeting(&s)).await.expect("create");
        let mut changed = mapping_meeting(&s);
        changed.draft.minutes = Some("Notula rapat".into());
        changed.agreement_ids.clear();
        let updated = store.update_meeting(&s.tangsel, meeting.id, changed).await.expect("update");
        assert_eq!(updated.minutes.as_deref(), Some("Notula rapat"));
        assert!(store.meeting(&s.tangsel, meeting.id).await.expect("detail").agreement_ids.is_empty(), "links replaced");
        store.add_attendee(&s.tangsel, meeting.id, AttendeeRef::User(s.officer)).await.expect("attendee");
        let i = store.add_action_item(&s.tangsel, meeting.id, item("Kirim notula", "", "", "")).await.expect("item");
        store.set_action_status(&s.tangsel, meeting.id, i.id, ActionStatus::Cancelled, date!(2026 - 01 - 02)).await.expect("cancel");
        let filter = AuditFilter { record_type: Some(RecordType::Meeting), record_id: Some(meeting.id.to_string()), ..Default::default() };
        let mut actions: Vec<String> = store.audit_events(&s.tangsel, &filter).await.expect("audit").into_iter().map(|e| e.action).collect();
        actions.sort();
        assert_eq!(actions, vec!["action_status", "add_action_item", "add_attendee", "create", "update"]);
        // A refused write leaves no event behind.
        let bad = store.set_action_status(&s.tangsel, meeting.id, i.id, ActionStatus::Done, date!(2026 - 01 - 03)).await;
        assert!(bad.is_err());
        assert_eq!(store.audit_events(&s.tangsel, &filter).await.expect("audit").len(), 5);
        // The other Pemda's audit trail shows none of it.
        assert!(store.audit_events(&s.other, &filter).await.expect("audit").is_empty());
    }

    async fn overdue_action_items_are_listed_per_tenant(store: Store) {
        let s = setup(&store).await;
        let m = store.create_meeting(&s.tangsel, &code("36.74"), mapping_meeting(&s)).await.expect("create");
        let late = store.add_action_item(&s.tangsel, m.id, item("Inventarisasi MoU", "", "Bagian Kerja Sama", "2026-02-27")).await.expect("late");
        let due_today = store.add_action_item(&s.tangsel, m.id, item("Due today", "", "", "2026-03-01")).await.expect("today");
        store.add_action_item(&s.tangsel, m.id, item("No date", "", "", "")).await.expect("undated");
        let done = store.add_action_item(&s.tangsel, m.id, item("Done late", "", "", "2026-01-31")).await.expect("done");
        store.set_action_status(&s.tangsel, m.id, done.id, ActionStatus::Done, date!(2026 - 02 - 10)).await.expect("done");
        let started = store.add_action_item(&s.tangsel, m.id, item("Started", "", "", "2026-01-15")).await.expect("started");
        store.set_action_status(&s.tangsel, m.id, started.id, ActionStatus::InProgress, date!(2026 - 01 - 10)).await.expect("start");

        let overdue = store.overdue_action_items(&s.tangsel, date!(2026 - 03 - 01)).await.expect("overdue");
        let titles: Vec<_> = overdue.iter().map(|o| o.item.title.as_str()).collect();
        assert_eq!(titles, vec!["Started", "Inventarisasi MoU"], "oldest first; not the undated, done or due-today ones");
        assert_eq!(overdue[1].meeting_title, "Rapat Pemetaan Kerja Sama Daerah");
        assert_eq!((overdue[1].meeting_id, overdue[1].tenant.clone()), (m.id, code("36.74")));
        let next_day = store.overdue_action_items(&s.tangsel, date!(2026 - 03 - 02)).await.expect("overdue");
        assert!(next_day.iter().any(|o| o.item.id == due_today.id), "late from the day after");
        assert!(store.overdue_action_items(&s.other, date!(2026 - 03 - 02)).await.expect("other").is_empty());
        // The platform sees every tenant's (the daily job runs per tenant).
        let all = store.overdue_action_items(&Actor::system("job"), date!(2026 - 03 - 02)).await.expect("all");
        assert_eq!(all.len(), 3);
        assert!(all.iter().any(|o| o.item.id == late.id));
        let summary = store.meetings(&s.tangsel, &MeetingFilter::default()).await.expect("list");
        assert_eq!(summary[0].action_items.iter().filter(|i| i.is_overdue(date!(2026 - 03 - 02))).count(), 3);
    }

    async fn invitees_are_the_tenants_users_and_contacts(store: Store) {
        let s = setup(&store).await;
        let invitees = store.meeting_invitees(&s.tangsel, &code("36.74")).await.expect("invitees");
        assert!(invitees.users.iter().any(|(id, name, agency)| *id == s.officer && name == "Rizky Pratama" && agency.as_deref() == Some("Dinas Komunikasi dan Informatika")));
        assert_eq!(invitees.contacts.iter().map(|(_, n, p)| (n.as_str(), p.as_str())).collect::<Vec<_>>(), vec![("Irfan Maulana", "APJATEL")]);
        assert!(matches!(store.meeting_invitees(&s.other, &code("36.74")).await, Err(StoreError::NotFound)));
        let theirs = store.meeting_invitees(&s.other, &code("36.71")).await.expect("own");
        assert!(theirs.users.is_empty() && theirs.contacts.is_empty());
    }
}
