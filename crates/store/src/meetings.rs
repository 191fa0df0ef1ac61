//! Meetings (rapat, FGD, mapping meetings, CSR forums): who attended, what was decided, and the
//! action items that follow, linked to the needs and agreements they are about.
//!
//! A meeting belongs to the tenant that held it, like an internal note: when two Pemda meet
//! about an agreement they share, each keeps its own record of the meeting.

use sea_query::{Condition, Expr, ExprTrait, Order, Query, SelectStatement};
use serde::Serialize;
use sinergi_domain::auth::FieldError;
use sinergi_domain::cooperation::meetings::{
    ActionItemDraft, ActionStatus, AttendeeRef, MeetingDraft, MeetingKind, action_overdue,
};
use sinergi_domain::{
    ActionItemId, Actor, AgencyId, AgreementId, ContactId, MeetingId, NeedId, PartnerId, Permission, RegionCode, UserId,
};
use time::Date;
use uuid::Uuid;

use crate::agencies::target_tenant;
use crate::agreements::parse_date;
use crate::audit::{Change, RecordType, record, snapshot};
use crate::db::Tx;
use crate::schema::{
    ActionItems, Agencies, AgreementParties, Agreements, MeetingAttendees, MeetingLinks, Meetings, Needs,
    PartnerContacts, Partners, Users,
};
use crate::{Result, Store, StoreError, now_ms};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Meeting {
    /// The tenant that held the meeting and keeps its record.
    pub tenant: RegionCode,
    pub id: MeetingId,
    pub kind: MeetingKind,
    pub title: String,
    pub held_on: Date,
    pub place: Option<String>,
    pub agenda: Option<String>,
    pub minutes: Option<String>,
    /// One decision per line (see `decision_lines`).
    pub decisions: Option<String>,
    pub updated_at_ms: i64,
}

/// Someone who attended, as recorded at the time: the name stays even if the user or the
/// contact later changes or leaves the registry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attendee {
    pub user_id: Option<UserId>,
    pub contact_id: Option<ContactId>,
    pub name: String,
    /// The user's agency, the contact's partner, or what was typed for a guest.
    pub organisation: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionItem {
    pub id: ActionItemId,
    pub meeting_id: MeetingId,
    pub title: String,
    pub owner_user_id: Option<UserId>,
    pub owner_label: Option<String>,
    pub due_on: Option<Date>,
    pub status: ActionStatus,
    pub done_on: Option<Date>,
    pub updated_at_ms: i64,
}

impl ActionItem {
    pub fn is_overdue(&self, today: Date) -> bool {
        action_overdue(self.due_on, self.status, today)
    }
}

/// A meeting with everything on its page.
#[derive(Debug, Clone)]
pub struct MeetingDetail {
    pub meeting: Meeting,
    pub attendees: Vec<Attendee>,
    pub action_items: Vec<ActionItem>,
    pub need_ids: Vec<NeedId>,
    pub agreement_ids: Vec<AgreementId>,
}

/// A meeting in a list, with its action items (to count what is open and late).
#[derive(Debug, Clone)]
pub struct MeetingSummary {
    pub meeting: Meeting,
    pub action_items: Vec<ActionItem>,
}

/// An action item past its due date, with the meeting it came from.
#[derive(Debug, Clone)]
pub struct OverdueAction {
    pub tenant: RegionCode,
    pub meeting_id: MeetingId,
    pub meeting_title: String,
    pub item: ActionItem,
}

/// A meeting as written: its fields and what it is about.
#[derive(Debug, Clone)]
pub struct MeetingInput {
    pub draft: MeetingDraft,
    pub need_ids: Vec<NeedId>,
    pub agreement_ids: Vec<AgreementId>,
}

#[derive(Debug, Clone, Default)]
pub struct MeetingFilter {
    pub kind: Option<MeetingKind>,
    /// Meetings about this need.
    pub need: Option<NeedId>,
    /// Meetings about this agreement.
    pub agreement: Option<AgreementId>,
}

/// People who can be recorded as attending: the tenant's users and the partners' contacts.
#[derive(Debug, Clone, Default)]
pub struct Invitees {
    /// (id, name, agency)
    pub users: Vec<(UserId, String, Option<String>)>,
    /// (id, name, partner)
    pub contacts: Vec<(ContactId, String, String)>,
}

/// What a link row points at. Stored as text so that later kinds (a CSR pledge) need no
/// migration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LinkKind {
    Need,
    Agreement,
}

impl LinkKind {
    fn as_str(self) -> &'static str {
        match self {
            LinkKind::Need => "need",
            LinkKind::Agreement => "agreement",
        }
    }
}

#[derive(sqlx::FromRow)]
struct MeetingRow {
    tenant_code: String,
    id: Uuid,
    kind: String,
    title: String,
    held_on: String,
    place: Option<String>,
    agenda: Option<String>,
    minutes: Option<String>,
    decisions: Option<String>,
    updated_at: i64,
}

impl TryFrom<MeetingRow> for Meeting {
    type Error = StoreError;
    fn try_from(r: MeetingRow) -> Result<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("meeting {}: {what}", r.id));
        Ok(Meeting {
            tenant: RegionCode::parse(&r.tenant_code).map_err(|_| corrupt("tenant"))?,
            id: MeetingId::from_uuid(r.id),
            kind: r.kind.parse().map_err(|_| corrupt("kind"))?,
            held_on: parse_date("held_on", &r.held_on).ok().flatten().ok_or_else(|| corrupt("date"))?,
            title: r.title,
            place: r.place,
            agenda: r.agenda,
            minutes: r.minutes,
            decisions: r.decisions,
            updated_at_ms: r.updated_at,
        })
    }
}

const MEETING_COLUMNS: [Meetings; 10] = [
    Meetings::TenantCode,
    Meetings::Id,
    Meetings::Kind,
    Meetings::Title,
    Meetings::HeldOn,
    Meetings::Place,
    Meetings::Agenda,
    Meetings::Minutes,
    Meetings::Decisions,
    Meetings::UpdatedAt,
];

fn meeting_values(m: &Meeting) -> Vec<Expr> {
    vec![
        m.tenant.as_str().into(),
        m.id.as_uuid().into(),
        m.kind.slug().into(),
        m.title.clone().into(),
        m.held_on.to_string().into(),
        m.place.clone().into(),
        m.agenda.clone().into(),
        m.minutes.clone().into(),
        m.decisions.clone().into(),
        m.updated_at_ms.into(),
    ]
}

#[derive(sqlx::FromRow)]
struct AttendeeRow {
    user_id: Option<Uuid>,
    contact_id: Option<Uuid>,
    name: String,
    organisation: Option<String>,
}

impl From<AttendeeRow> for Attendee {
    fn from(r: AttendeeRow) -> Self {
        Attendee {
            user_id: r.user_id.map(UserId::from_uuid),
            contact_id: r.contact_id.map(ContactId::from_uuid),
            name: r.name,
            organisation: r.organisation,
        }
    }
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    tenant_code: String,
    id: Uuid,
    meeting_id: Uuid,
    title: String,
    owner_user_id: Option<Uuid>,
    owner_label: Option<String>,
    due_on: Option<String>,
    status: String,
    done_on: Option<String>,
    updated_at: i64,
}

impl TryFrom<ItemRow> for ActionItem {
    type Error = StoreError;
    fn try_from(r: ItemRow) -> Result<Self> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("action item {}: {what}", r.id));
        let date = |s: &Option<String>| parse_date("date", s.as_deref().unwrap_or("")).map_err(|_| corrupt("date"));
        Ok(ActionItem {
            id: ActionItemId::from_uuid(r.id),
            meeting_id: MeetingId::from_uuid(r.meeting_id),
            owner_user_id: r.owner_user_id.map(UserId::from_uuid),
            due_on: date(&r.due_on)?,
            done_on: date(&r.done_on)?,
            status: r.status.parse().map_err(|_| corrupt("status"))?,
            title: r.title,
            owner_label: r.owner_label,
            updated_at_ms: r.updated_at,
        })
    }
}

const ITEM_COLUMNS: [ActionItems; 10] = [
    ActionItems::TenantCode,
    ActionItems::Id,
    ActionItems::MeetingId,
    ActionItems::Title,
    ActionItems::OwnerUserId,
    ActionItems::OwnerLabel,
    ActionItems::DueOn,
    ActionItems::Status,
    ActionItems::DoneOn,
    ActionItems::UpdatedAt,
];

#[derive(sqlx::FromRow)]
struct LinkRow {
    link_kind: String,
    link_id: Uuid,
}

/// A row that exists: only counted.
#[derive(sqlx::FromRow)]
struct IdRow {
    #[allow(dead_code)]
    id: Uuid,
}

#[derive(sqlx::FromRow)]
struct TenantRow {
    tenant_code: String,
}

fn check_manage(actor: &Actor) -> Result<()> {
    if actor.can(Permission::ManageAgreements) { Ok(()) } else { Err(StoreError::Forbidden) }
}

fn check_view(actor: &Actor) -> Result<()> {
    if actor.can(Permission::ViewDirectory) { Ok(()) } else { Err(StoreError::Forbidden) }
}

fn meeting_select() -> SelectStatement {
    Query::select().columns(MEETING_COLUMNS).from(Meetings::Table).to_owned()
}

fn item_select() -> SelectStatement {
    Query::select().columns(ITEM_COLUMNS).from(ActionItems::Table).to_owned()
}

fn invalid(field: &'static str) -> StoreError {
    StoreError::Invalid(FieldError::new(field, "invalid-choice"))
}

async fn load(tx: &mut Tx, tenant: &RegionCode, id: MeetingId) -> Result<Meeting> {
    let row: MeetingRow = tx
        .fetch_optional(
            meeting_select()
                .and_where(Expr::col(Meetings::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Meetings::Id).eq(id.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    row.try_into()
}

/// Every linked need must be the tenant's own; every linked agreement one the tenant keeps or
/// is a party to. Checked in the writing transaction.
async fn check_links(tx: &mut Tx, tenant: &RegionCode, needs: &[NeedId], agreements: &[AgreementId]) -> Result<()> {
    if !needs.is_empty() {
        let ids: Vec<Uuid> = needs.iter().map(|n| n.as_uuid()).collect();
        let found: Vec<IdRow> = tx
            .fetch_all(
                Query::select()
                    .column(Needs::Id)
                    .from(Needs::Table)
                    .and_where(Expr::col(Needs::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(Needs::Id).is_in(ids)),
            )
            .await?;
        if found.len() != dedup_len(needs) {
            return Err(invalid("need_ids"));
        }
    }
    if !agreements.is_empty() {
        let ids: Vec<Uuid> = agreements.iter().map(|a| a.as_uuid()).collect();
        let visible = Condition::any().add(Expr::col(Agreements::TenantCode).eq(tenant.as_str())).add(
            Expr::col(Agreements::Id).in_subquery(
                Query::select()
                    .column(AgreementParties::AgreementId)
                    .from(AgreementParties::Table)
                    .and_where(Expr::col(AgreementParties::PartyTenantCode).eq(tenant.as_str()))
                    .to_owned(),
            ),
        );
        let found: Vec<IdRow> = tx
            .fetch_all(
                Query::select()
                    .column(Agreements::Id)
                    .from(Agreements::Table)
                    .cond_where(visible)
                    .and_where(Expr::col(Agreements::Id).is_in(ids)),
            )
            .await?;
        if found.len() != dedup_len(agreements) {
            return Err(invalid("agreement_ids"));
        }
    }
    Ok(())
}

fn dedup_len<T: Ord + Clone>(ids: &[T]) -> usize {
    let mut v = ids.to_vec();
    v.sort();
    v.dedup();
    v.len()
}

async fn write_links(
    tx: &mut Tx,
    tenant: &RegionCode,
    meeting: MeetingId,
    needs: &[NeedId],
    agreements: &[AgreementId],
) -> Result<()> {
    tx.execute(
        &Query::delete()
            .from_table(MeetingLinks::Table)
            .and_where(Expr::col(MeetingLinks::TenantCode).eq(tenant.as_str()))
            .and_where(Expr::col(MeetingLinks::MeetingId).eq(meeting.as_uuid()))
            .to_owned(),
    )
    .await?;
    let mut links: Vec<(LinkKind, Uuid)> = needs
        .iter()
        .map(|n| (LinkKind::Need, n.as_uuid()))
        .chain(agreements.iter().map(|a| (LinkKind::Agreement, a.as_uuid())))
        .collect();
    links.sort_by_key(|(k, id)| (k.as_str(), *id));
    links.dedup();
    for (kind, id) in links {
        tx.execute(
            &Query::insert()
                .into_table(MeetingLinks::Table)
                .columns([
                    MeetingLinks::TenantCode,
                    MeetingLinks::MeetingId,
                    MeetingLinks::LinkKind,
                    MeetingLinks::LinkId,
                ])
                .values_panic([tenant.as_str().into(), meeting.as_uuid().into(), kind.as_str().into(), id.into()])
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

/// The name (and agency) of a user of the tenant; a user of another tenant is not a choice.
async fn tenant_user(
    tx: &mut Tx,
    tenant: &RegionCode,
    id: UserId,
    field: &'static str,
) -> Result<(String, Option<String>)> {
    #[derive(sqlx::FromRow)]
    struct UserRow {
        name: String,
        agency_id: Option<Uuid>,
    }
    let user: UserRow = tx
        .fetch_optional(
            Query::select()
                .columns([Users::Name, Users::AgencyId])
                .from(Users::Table)
                .and_where(Expr::col(Users::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Users::Id).eq(id.as_uuid())),
        )
        .await?
        .ok_or_else(|| invalid(field))?;
    let agency = match user.agency_id {
        Some(a) => agency_name(tx, tenant, AgencyId::from_uuid(a)).await?,
        None => None,
    };
    Ok((user.name, agency))
}

async fn agency_name(tx: &mut Tx, tenant: &RegionCode, id: AgencyId) -> Result<Option<String>> {
    #[derive(sqlx::FromRow)]
    struct Name {
        name: String,
    }
    let row: Option<Name> = tx
        .fetch_optional(
            Query::select()
                .column(Agencies::Name)
                .from(Agencies::Table)
                .and_where(Expr::col(Agencies::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Agencies::Id).eq(id.as_uuid())),
        )
        .await?;
    Ok(row.map(|r| r.name))
}

/// A contact of the tenant's registry, with the name of its partner.
async fn tenant_contact(tx: &mut Tx, tenant: &RegionCode, id: ContactId) -> Result<(String, String)> {
    #[derive(sqlx::FromRow)]
    struct ContactRow {
        name: String,
        partner_id: Uuid,
    }
    #[derive(sqlx::FromRow)]
    struct PartnerRow {
        name: String,
    }
    let contact: ContactRow = tx
        .fetch_optional(
            Query::select()
                .columns([PartnerContacts::Name, PartnerContacts::PartnerId])
                .from(PartnerContacts::Table)
                .and_where(Expr::col(PartnerContacts::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(PartnerContacts::Id).eq(id.as_uuid())),
        )
        .await?
        .ok_or_else(|| invalid("who"))?;
    let partner = PartnerId::from_uuid(contact.partner_id);
    let row: PartnerRow = tx
        .fetch_optional(
            Query::select()
                .column(Partners::Name)
                .from(Partners::Table)
                .and_where(Expr::col(Partners::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Partners::Id).eq(partner.as_uuid())),
        )
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("contact {id}: partner {partner}")))?;
    Ok((contact.name, row.name))
}

fn meeting_change<'a>(tenant: &'a RegionCode, action: &'static str, id: MeetingId) -> Change<'a> {
    Change {
        tenant: Some(tenant),
        action,
        record_type: RecordType::Meeting,
        record_id: id.to_string(),
        before: None,
        after: None,
    }
}

impl Store {
    /// The tenant a meeting belongs to, if the actor may see it.
    async fn meeting_tenant(&self, actor: &Actor, id: MeetingId) -> Result<RegionCode> {
        let mut stmt = Query::select()
            .column(Meetings::TenantCode)
            .from(Meetings::Table)
            .and_where(Expr::col(Meetings::Id).eq(id.as_uuid()))
            .to_owned();
        if let Some(t) = target_tenant(actor, None)? {
            stmt.and_where(Expr::col(Meetings::TenantCode).eq(t.as_str()));
        }
        let row: TenantRow = self.fetch_one(&stmt).await?;
        RegionCode::parse(&row.tenant_code).map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    /// The actor's meetings, newest first, each with its action items.
    pub async fn meetings(&self, actor: &Actor, filter: &MeetingFilter) -> Result<Vec<MeetingSummary>> {
        check_view(actor)?;
        let tenant = target_tenant(actor, None)?;
        let mut stmt = meeting_select();
        let mut items = item_select();
        if let Some(t) = &tenant {
            stmt.and_where(Expr::col(Meetings::TenantCode).eq(t.as_str()));
            items.and_where(Expr::col(ActionItems::TenantCode).eq(t.as_str()));
        }
        if let Some(k) = filter.kind {
            stmt.and_where(Expr::col(Meetings::Kind).eq(k.slug()));
        }
        let about = match (filter.need, filter.agreement) {
            (Some(n), _) => Some((LinkKind::Need, n.as_uuid())),
            (None, Some(a)) => Some((LinkKind::Agreement, a.as_uuid())),
            (None, None) => None,
        };
        if let Some((kind, id)) = about {
            let mut links = Query::select()
                .column(MeetingLinks::MeetingId)
                .from(MeetingLinks::Table)
                .and_where(Expr::col(MeetingLinks::LinkKind).eq(kind.as_str()))
                .and_where(Expr::col(MeetingLinks::LinkId).eq(id))
                .to_owned();
            if let Some(t) = &tenant {
                links.and_where(Expr::col(MeetingLinks::TenantCode).eq(t.as_str()));
            }
            stmt.and_where(Expr::col(Meetings::Id).in_subquery(links));
        }
        stmt.order_by(Meetings::HeldOn, Order::Desc).order_by(Meetings::CreatedAt, Order::Desc);
        let mut tx = self.begin_read().await?;
        let rows: Vec<MeetingRow> = tx.fetch_all(&stmt).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let item_rows: Vec<ItemRow> = if ids.is_empty() {
            Vec::new()
        } else {
            tx.fetch_all(
                items
                    .and_where(Expr::col(ActionItems::MeetingId).is_in(ids))
                    .order_by(ActionItems::CreatedAt, Order::Asc)
                    .order_by(ActionItems::Id, Order::Asc),
            )
            .await?
        };
        tx.commit().await?;
        let mut items: Vec<(String, ActionItem)> = item_rows
            .into_iter()
            .map(|r| {
                let tenant = r.tenant_code.clone();
                ActionItem::try_from(r).map(|i| (tenant, i))
            })
            .collect::<Result<_>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut items)
                .into_iter()
                .partition(|(t, i)| i.meeting_id.as_uuid() == row.id && *t == row.tenant_code);
            items = rest;
            let action_items = mine.into_iter().map(|(_, i)| i).collect();
            out.push(MeetingSummary { meeting: row.try_into()?, action_items });
        }
        Ok(out)
    }

    pub async fn meeting(&self, actor: &Actor, id: MeetingId) -> Result<MeetingDetail> {
        check_view(actor)?;
        let tenant = self.meeting_tenant(actor, id).await?;
        let mut tx = self.begin_read().await?;
        let meeting = load(&mut tx, &tenant, id).await?;
        let attendees: Vec<AttendeeRow> = tx
            .fetch_all(
                Query::select()
                    .columns([
                        MeetingAttendees::UserId,
                        MeetingAttendees::ContactId,
                        MeetingAttendees::Name,
                        MeetingAttendees::Organisation,
                    ])
                    .from(MeetingAttendees::Table)
                    .and_where(Expr::col(MeetingAttendees::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(MeetingAttendees::MeetingId).eq(id.as_uuid()))
                    .order_by(MeetingAttendees::CreatedAt, Order::Asc)
                    .order_by(MeetingAttendees::Id, Order::Asc),
            )
            .await?;
        let items: Vec<ItemRow> = tx
            .fetch_all(
                item_select()
                    .and_where(Expr::col(ActionItems::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(ActionItems::MeetingId).eq(id.as_uuid()))
                    .order_by(ActionItems::CreatedAt, Order::Asc)
                    .order_by(ActionItems::Id, Order::Asc),
            )
            .await?;
        let links: Vec<LinkRow> = tx
            .fetch_all(
                Query::select()
                    .columns([MeetingLinks::LinkKind, MeetingLinks::LinkId])
                    .from(MeetingLinks::Table)
                    .and_where(Expr::col(MeetingLinks::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(MeetingLinks::MeetingId).eq(id.as_uuid())),
            )
            .await?;
        tx.commit().await?;
        let of = |kind: LinkKind| links.iter().filter(move |l| l.link_kind == kind.as_str()).map(|l| l.link_id);
        Ok(MeetingDetail {
            meeting,
            attendees: attendees.into_iter().map(Attendee::from).collect(),
            action_items: items.into_iter().map(ActionItem::try_from).collect::<Result<_>>()?,
            need_ids: of(LinkKind::Need).map(NeedId::from_uuid).collect(),
            agreement_ids: of(LinkKind::Agreement).map(AgreementId::from_uuid).collect(),
        })
    }

    /// Record a meeting in `tenant` (the actor's own; the platform names one).
    pub async fn create_meeting(&self, actor: &Actor, tenant: &RegionCode, input: MeetingInput) -> Result<Meeting> {
        check_manage(actor)?;
        let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
        let MeetingInput { draft, need_ids, agreement_ids } = input;
        let meeting = Meeting {
            tenant: tenant.clone(),
            id: MeetingId::new(),
            kind: draft.kind,
            title: draft.title,
            held_on: draft.held_on,
            place: draft.place,
            agenda: draft.agenda,
            minutes: draft.minutes,
            decisions: draft.decisions,
            updated_at_ms: now_ms(),
        };
        let mut tx = self.begin().await?;
        check_links(&mut tx, &tenant, &need_ids, &agreement_ids).await?;
        let mut values = meeting_values(&meeting);
        values.push(meeting.updated_at_ms.into());
        tx.execute(
            &Query::insert()
                .into_table(Meetings::Table)
                .columns(MEETING_COLUMNS.into_iter().chain([Meetings::CreatedAt]))
                .values_panic(values)
                .to_owned(),
        )
        .await?;
        write_links(&mut tx, &tenant, meeting.id, &need_ids, &agreement_ids).await?;
        let after = serde_json::json!({ "meeting": meeting, "need_ids": need_ids, "agreement_ids": agreement_ids });
        record(&mut tx, actor, Change { after: Some(after), ..meeting_change(&tenant, "create", meeting.id) }).await?;
        tx.commit().await?;
        Ok(meeting)
    }

    /// Change a meeting's record (the minutes are often written after the day) and what it is
    /// about; the links are replaced by the input's.
    pub async fn update_meeting(&self, actor: &Actor, id: MeetingId, input: MeetingInput) -> Result<Meeting> {
        let tenant = self.meeting_tenant(actor, id).await?;
        check_manage(actor)?;
        let mut tx = self.begin().await?;
        let before = load(&mut tx, &tenant, id).await?;
        let MeetingInput { draft, need_ids, agreement_ids } = input;
        check_links(&mut tx, &tenant, &need_ids, &agreement_ids).await?;
        let after = Meeting {
            kind: draft.kind,
            title: draft.title,
            held_on: draft.held_on,
            place: draft.place,
            agenda: draft.agenda,
            minutes: draft.minutes,
            decisions: draft.decisions,
            updated_at_ms: now_ms(),
            ..before.clone()
        };
        let sets: Vec<(Meetings, Expr)> = MEETING_COLUMNS
            .into_iter()
            .zip(meeting_values(&after))
            .filter(|(c, _)| !matches!(c, Meetings::TenantCode | Meetings::Id))
            .collect();
        tx.execute(
            &Query::update()
                .table(Meetings::Table)
                .values(sets)
                .and_where(Expr::col(Meetings::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Meetings::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        write_links(&mut tx, &tenant, id, &need_ids, &agreement_ids).await?;
        let after_json = serde_json::json!({ "meeting": after, "need_ids": need_ids, "agreement_ids": agreement_ids });
        record(
            &mut tx,
            actor,
            Change { before: snapshot(&before), after: Some(after_json), ..meeting_change(&tenant, "update", id) },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Add someone to the attendance list. A user or contact already listed is refused.
    pub async fn add_attendee(&self, actor: &Actor, meeting: MeetingId, who: AttendeeRef) -> Result<Attendee> {
        let tenant = self.meeting_tenant(actor, meeting).await?;
        check_manage(actor)?;
        let mut tx = self.begin().await?;
        let attendee = match &who {
            AttendeeRef::User(id) => {
                let (name, organisation) = tenant_user(&mut tx, &tenant, *id, "who").await?;
                Attendee { user_id: Some(*id), contact_id: None, name, organisation }
            }
            AttendeeRef::Contact(id) => {
                let (name, partner) = tenant_contact(&mut tx, &tenant, *id).await?;
                Attendee { user_id: None, contact_id: Some(*id), name, organisation: Some(partner) }
            }
            AttendeeRef::Guest { name, organisation } => {
                Attendee { user_id: None, contact_id: None, name: name.clone(), organisation: organisation.clone() }
            }
        };
        let listed = match (attendee.user_id, attendee.contact_id) {
            (Some(u), _) => Some(Expr::col(MeetingAttendees::UserId).eq(u.as_uuid())),
            (None, Some(c)) => Some(Expr::col(MeetingAttendees::ContactId).eq(c.as_uuid())),
            (None, None) => None,
        };
        if let Some(cond) = listed {
            let found: Vec<IdRow> = tx
                .fetch_all(
                    Query::select()
                        .column(MeetingAttendees::Id)
                        .from(MeetingAttendees::Table)
                        .and_where(Expr::col(MeetingAttendees::TenantCode).eq(tenant.as_str()))
                        .and_where(Expr::col(MeetingAttendees::MeetingId).eq(meeting.as_uuid()))
                        .and_where(cond),
                )
                .await?;
            if !found.is_empty() {
                return Err(StoreError::Invalid(FieldError::new("who", "attendee-already-listed")));
            }
        }
        tx.execute(
            &Query::insert()
                .into_table(MeetingAttendees::Table)
                .columns([
                    MeetingAttendees::TenantCode,
                    MeetingAttendees::Id,
                    MeetingAttendees::MeetingId,
                    MeetingAttendees::UserId,
                    MeetingAttendees::ContactId,
                    MeetingAttendees::Name,
                    MeetingAttendees::Organisation,
                    MeetingAttendees::CreatedAt,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    Uuid::now_v7().into(),
                    meeting.as_uuid().into(),
                    attendee.user_id.map(|u| u.as_uuid()).into(),
                    attendee.contact_id.map(|c| c.as_uuid()).into(),
                    attendee.name.clone().into(),
                    attendee.organisation.clone().into(),
                    now_ms().into(),
                ])
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change { after: snapshot(&attendee), ..meeting_change(&tenant, "add_attendee", meeting) },
        )
        .await?;
        tx.commit().await?;
        Ok(attendee)
    }

    /// Add a follow-up, open. An owner picked from the users must be the tenant's; their name
    /// stands for them when no label is given.
    pub async fn add_action_item(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        draft: ActionItemDraft,
    ) -> Result<ActionItem> {
        let tenant = self.meeting_tenant(actor, meeting).await?;
        check_manage(actor)?;
        let mut tx = self.begin().await?;
        let owner_label = match (draft.owner_user, draft.owner_label) {
            (Some(user), None) => Some(tenant_user(&mut tx, &tenant, user, "owner_user_id").await?.0),
            (Some(user), label) => {
                tenant_user(&mut tx, &tenant, user, "owner_user_id").await?;
                label
            }
            (None, label) => label,
        };
        let now = now_ms();
        let item = ActionItem {
            id: ActionItemId::new(),
            meeting_id: meeting,
            title: draft.title,
            owner_user_id: draft.owner_user,
            owner_label,
            due_on: draft.due_on,
            status: ActionStatus::Open,
            done_on: None,
            updated_at_ms: now,
        };
        tx.execute(
            &Query::insert()
                .into_table(ActionItems::Table)
                .columns(ITEM_COLUMNS.into_iter().chain([ActionItems::CreatedAt]))
                .values_panic([
                    tenant.as_str().into(),
                    item.id.as_uuid().into(),
                    meeting.as_uuid().into(),
                    item.title.clone().into(),
                    item.owner_user_id.map(|u| u.as_uuid()).into(),
                    item.owner_label.clone().into(),
                    item.due_on.map(|d| d.to_string()).into(),
                    item.status.slug().into(),
                    Option::<String>::None.into(),
                    now.into(),
                    now.into(),
                ])
                .to_owned(),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change { after: snapshot(&item), ..meeting_change(&tenant, "add_action_item", meeting) },
        )
        .await?;
        tx.commit().await?;
        Ok(item)
    }

    /// Move an action item along (open → in progress → done, or cancelled). `on` is the day
    /// it happened: the day an item is done is when it stops being late.
    pub async fn set_action_status(
        &self,
        actor: &Actor,
        meeting: MeetingId,
        item: ActionItemId,
        to: ActionStatus,
        on: Date,
    ) -> Result<ActionItem> {
        let tenant = self.meeting_tenant(actor, meeting).await?;
        check_manage(actor)?;
        let mut tx = self.begin().await?;
        let row: ItemRow = tx
            .fetch_optional(
                item_select()
                    .and_where(Expr::col(ActionItems::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(ActionItems::MeetingId).eq(meeting.as_uuid()))
                    .and_where(Expr::col(ActionItems::Id).eq(item.as_uuid())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        let before = ActionItem::try_from(row)?;
        before.status.check_move(to)?;
        let after = ActionItem {
            status: to,
            done_on: (to == ActionStatus::Done).then_some(on),
            updated_at_ms: now_ms(),
            ..before.clone()
        };
        tx.execute(
            &Query::update()
                .table(ActionItems::Table)
                .values([
                    (ActionItems::Status, to.slug().into()),
                    (ActionItems::DoneOn, after.done_on.map(|d| d.to_string()).into()),
                    (ActionItems::UpdatedAt, after.updated_at_ms.into()),
                ])
                .and_where(Expr::col(ActionItems::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(ActionItems::Id).eq(item.as_uuid()))
                .to_owned(),
        )
        .await?;
        let brief = |i: &ActionItem| serde_json::json!({ "item": i.title, "status": i.status, "done_on": i.done_on });
        record(
            &mut tx,
            actor,
            Change {
                before: Some(brief(&before)),
                after: Some(brief(&after)),
                ..meeting_change(&tenant, "action_status", meeting)
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Action items past their due date and still open, oldest first: for the dashboard and
    /// the daily reminders.
    pub async fn overdue_action_items(&self, actor: &Actor, today: Date) -> Result<Vec<OverdueAction>> {
        check_view(actor)?;
        let tenant = target_tenant(actor, None)?;
        let open: Vec<&str> = ActionStatus::ALL.into_iter().filter(|s| !s.is_closed()).map(|s| s.slug()).collect();
        // ISO dates compare as text on both backends; the domain rule below has the last word.
        let mut items = item_select()
            .and_where(Expr::col(ActionItems::Status).is_in(open))
            .and_where(Expr::col(ActionItems::DueOn).lt(today.to_string()))
            .order_by(ActionItems::DueOn, Order::Asc)
            .order_by(ActionItems::Id, Order::Asc)
            .to_owned();
        let mut meetings = meeting_select();
        if let Some(t) = &tenant {
            items.and_where(Expr::col(ActionItems::TenantCode).eq(t.as_str()));
            meetings.and_where(Expr::col(Meetings::TenantCode).eq(t.as_str()));
        }
        let mut tx = self.begin_read().await?;
        let item_rows: Vec<ItemRow> = tx.fetch_all(&items).await?;
        let ids: Vec<Uuid> = item_rows.iter().map(|i| i.meeting_id).collect();
        let meeting_rows: Vec<MeetingRow> = if ids.is_empty() {
            Vec::new()
        } else {
            tx.fetch_all(meetings.and_where(Expr::col(Meetings::Id).is_in(ids))).await?
        };
        tx.commit().await?;
        let mut out = Vec::new();
        for row in item_rows {
            let Some(m) = meeting_rows.iter().find(|m| m.id == row.meeting_id && m.tenant_code == row.tenant_code)
            else {
                continue;
            };
            let tenant = RegionCode::parse(&row.tenant_code).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let item = ActionItem::try_from(row)?;
            if item.is_overdue(today) {
                out.push(OverdueAction {
                    tenant,
                    meeting_id: MeetingId::from_uuid(m.id),
                    meeting_title: m.title.clone(),
                    item,
                });
            }
        }
        Ok(out)
    }

    /// Who can be put on a meeting's attendance list or own an action item in `tenant`.
    pub async fn meeting_invitees(&self, actor: &Actor, tenant: &RegionCode) -> Result<Invitees> {
        check_view(actor)?;
        let tenant = target_tenant(actor, Some(tenant))?.ok_or(StoreError::NotFound)?;
        #[derive(sqlx::FromRow)]
        struct UserRow {
            id: Uuid,
            name: String,
            agency_id: Option<Uuid>,
        }
        #[derive(sqlx::FromRow)]
        struct NamedRow {
            id: Uuid,
            name: String,
        }
        #[derive(sqlx::FromRow)]
        struct ContactRow {
            id: Uuid,
            name: String,
            partner_id: Uuid,
        }
        let mut tx = self.begin_read().await?;
        let users: Vec<UserRow> = tx
            .fetch_all(
                Query::select()
                    .columns([Users::Id, Users::Name, Users::AgencyId])
                    .from(Users::Table)
                    .and_where(Expr::col(Users::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(Users::Active).eq(true))
                    .order_by(Users::Name, Order::Asc),
            )
            .await?;
        let agencies: Vec<NamedRow> = tx
            .fetch_all(
                Query::select()
                    .columns([Agencies::Id, Agencies::Name])
                    .from(Agencies::Table)
                    .and_where(Expr::col(Agencies::TenantCode).eq(tenant.as_str())),
            )
            .await?;
        let contacts: Vec<ContactRow> = tx
            .fetch_all(
                Query::select()
                    .columns([PartnerContacts::Id, PartnerContacts::Name, PartnerContacts::PartnerId])
                    .from(PartnerContacts::Table)
                    .and_where(Expr::col(PartnerContacts::TenantCode).eq(tenant.as_str()))
                    .order_by(PartnerContacts::Name, Order::Asc),
            )
            .await?;
        let partners: Vec<NamedRow> = tx
            .fetch_all(
                Query::select()
                    .columns([Partners::Id, Partners::Name])
                    .from(Partners::Table)
                    .and_where(Expr::col(Partners::TenantCode).eq(tenant.as_str())),
            )
            .await?;
        tx.commit().await?;
        let name_of = |rows: &[NamedRow], id: Uuid| rows.iter().find(|r| r.id == id).map(|r| r.name.clone());
        Ok(Invitees {
            users: users
                .into_iter()
                .map(|u| (UserId::from_uuid(u.id), u.name, u.agency_id.and_then(|a| name_of(&agencies, a))))
                .collect(),
            contacts: contacts
                .into_iter()
                .map(|c| (ContactId::from_uuid(c.id), c.name, name_of(&partners, c.partner_id).unwrap_or_default()))
                .collect(),
        })
    }
}
