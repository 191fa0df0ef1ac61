//! Schema migrations, defined once with sea-query and rendered for each backend.
//!
//! Each migration is a numbered list of DDL statements applied in one transaction together
//! with its row in `schema_migrations`; running `migrate` again does nothing. A migration,
//! once released, is never edited: a change is a new migration.

use sea_query::{
    ColumnDef, Expr, ExprTrait, ForeignKey, ForeignKeyAction, ForeignKeyCreateStatement, Index, IndexCreateStatement,
    PostgresQueryBuilder, Query, SqliteQueryBuilder, Table, TableAlterStatement, TableCreateStatement, TableRef,
};

use crate::db::Tx;
use crate::schema::*;
use crate::{Result, Store, now_ms};

pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    statements: fn() -> Vec<Ddl>,
}

#[allow(clippy::large_enum_variant)] // built once per migration run; size is irrelevant
enum Ddl {
    Table(TableCreateStatement),
    Index(IndexCreateStatement),
    /// One added column per statement: SQLite alters a table one column at a time.
    Alter(TableAlterStatement),
}

impl Ddl {
    fn render(&self) -> (String, String) {
        match self {
            Ddl::Table(t) => (t.to_string(SqliteQueryBuilder), t.to_string(PostgresQueryBuilder)),
            Ddl::Index(i) => (i.to_string(SqliteQueryBuilder), i.to_string(PostgresQueryBuilder)),
            Ddl::Alter(a) => (a.to_string(SqliteQueryBuilder), a.to_string(PostgresQueryBuilder)),
        }
    }
}

pub const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "foundation", statements: foundation },
    Migration { version: 2, name: "cooperation_needs", statements: cooperation_needs },
    Migration { version: 3, name: "partners", statements: partners },
    Migration { version: 4, name: "agreements", statements: agreements },
    Migration { version: 5, name: "activities_outcomes", statements: activities_outcomes },
    Migration { version: 6, name: "reminders", statements: reminders },
    Migration { version: 7, name: "agreement_documents", statements: agreement_documents },
    Migration { version: 8, name: "meetings", statements: meetings },
    Migration { version: 9, name: "agreement_details_evaluations", statements: agreement_details_evaluations },
    Migration { version: 10, name: "agreement_lookup_indexes", statements: agreement_lookup_indexes },
    Migration { version: 11, name: "responsible_agencies_targets", statements: responsible_agencies_targets },
    Migration { version: 12, name: "csr", statements: csr },
    Migration { version: 13, name: "umkm", statements: umkm },
    Migration { version: 14, name: "umkm_claims", statements: umkm_claims },
    Migration { version: 15, name: "programmes", statements: programmes },
    // Issue 6: the curated catalogue, market channels and financing, programme imports.
    Migration { version: 16, name: "catalogue", statements: catalogue },
    Migration { version: 17, name: "channels", statements: channels },
    Migration { version: 18, name: "programme_imports", statements: programme_imports },
    // Issue 7: the Labkesda
    Migration { version: 19, name: "labkesda", statements: labkesda },
    // Issue 7: demand matching
    Migration { version: 20, name: "demand", statements: demand },
    Migration { version: 21, name: "supply_change_indexes", statements: supply_change_indexes },
];

/// What `sinergi check` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationStatus {
    pub applied: Vec<i64>,
    pub pending: Vec<i64>,
}

impl MigrationStatus {
    pub fn is_current(&self) -> bool {
        self.pending.is_empty()
    }
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    version: i64,
}

fn tracking_table() -> TableCreateStatement {
    Table::create()
        .table(SchemaMigrations::Table)
        .if_not_exists()
        .col(ColumnDef::new(SchemaMigrations::Version).big_integer().not_null().primary_key())
        .col(ColumnDef::new(SchemaMigrations::Name).text().not_null())
        .col(ColumnDef::new(SchemaMigrations::AppliedAt).big_integer().not_null())
        .to_owned()
}

async fn applied_versions(tx: &mut Tx) -> Result<Vec<i64>> {
    let rows: Vec<VersionRow> = tx
        .fetch_all(
            &Query::select()
                .column(SchemaMigrations::Version)
                .from(SchemaMigrations::Table)
                .order_by(SchemaMigrations::Version, sea_query::Order::Asc)
                .to_owned(),
        )
        .await?;
    Ok(rows.into_iter().map(|r| r.version).collect())
}

impl Store {
    /// Apply every pending migration. Safe to run at every start and from several processes:
    /// on PostgreSQL an advisory lock serialises concurrent migrators; on SQLite the
    /// IMMEDIATE transaction does.
    pub async fn migrate(&self) -> Result<Vec<i64>> {
        let mut tx = self.begin().await?;
        if let Tx::Postgres(pg) = &mut tx {
            sqlx::query("SELECT pg_advisory_xact_lock(7319120)").execute(&mut **pg).await?;
        }
        let (lite, pg) = Ddl::Table(tracking_table()).render();
        tx.execute_raw(lite, pg).await?;
        let applied = applied_versions(&mut tx).await?;
        let mut done = Vec::new();
        for migration in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
            for ddl in (migration.statements)() {
                let (lite, pg) = ddl.render();
                tx.execute_raw(lite, pg).await?;
            }
            tx.execute(
                &Query::insert()
                    .into_table(SchemaMigrations::Table)
                    .columns([SchemaMigrations::Version, SchemaMigrations::Name, SchemaMigrations::AppliedAt])
                    .values_panic([migration.version.into(), migration.name.into(), now_ms().into()])
                    .to_owned(),
            )
            .await?;
            tracing::info!(version = migration.version, name = migration.name, "applied migration");
            done.push(migration.version);
        }
        tx.commit().await?;
        Ok(done)
    }

    pub async fn migration_status(&self) -> Result<MigrationStatus> {
        let mut tx = self.begin().await?;
        let (lite, pg) = Ddl::Table(tracking_table()).render();
        tx.execute_raw(lite, pg).await?;
        let applied = applied_versions(&mut tx).await?;
        // Nothing was written but the (idempotent) tracking table; commit to release the lock.
        tx.commit().await?;
        let pending = MIGRATIONS.iter().map(|m| m.version).filter(|v| !applied.contains(v)).collect();
        Ok(MigrationStatus { applied, pending })
    }
}

fn timestamps(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(ColumnDef::new(Alias::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(Alias::UpdatedAt).big_integer().not_null())
}

#[derive(sea_query::Iden, Clone, Copy)]
enum Alias {
    CreatedAt,
    UpdatedAt,
}

fn foundation() -> Vec<Ddl> {
    let tenants = timestamps(
        Table::create()
            .table(Tenants::Table)
            .col(ColumnDef::new(Tenants::Code).text().not_null().primary_key())
            .col(ColumnDef::new(Tenants::Slug).text().not_null().unique_key())
            .col(ColumnDef::new(Tenants::Name).text().not_null())
            .col(ColumnDef::new(Tenants::Active).boolean().not_null().default(true)),
    )
    .to_owned();

    let agencies = timestamps(
        Table::create()
            .table(Agencies::Table)
            .col(ColumnDef::new(Agencies::TenantCode).text().not_null())
            .col(ColumnDef::new(Agencies::Id).uuid().not_null())
            .col(ColumnDef::new(Agencies::ParentId).uuid().null())
            .col(ColumnDef::new(Agencies::Name).text().not_null())
            .col(ColumnDef::new(Agencies::ShortName).text().null())
            .col(ColumnDef::new(Agencies::Kind).text().not_null())
            .col(ColumnDef::new(Agencies::Active).boolean().not_null().default(true))
            .primary_key(Index::create().col(Agencies::TenantCode).col(Agencies::Id))
            .foreign_key(
                ForeignKey::create()
                    .from(Agencies::Table, Agencies::TenantCode)
                    .to(Tenants::Table, Tenants::Code)
                    .on_delete(ForeignKeyAction::Restrict),
            )
            .foreign_key(
                ForeignKey::create()
                    .from(Agencies::Table, (Agencies::TenantCode, Agencies::ParentId))
                    .to(Agencies::Table, (Agencies::TenantCode, Agencies::Id))
                    .on_delete(ForeignKeyAction::Restrict),
            ),
    )
    .to_owned();

    let users = timestamps(
        Table::create()
            .table(Users::Table)
            .col(ColumnDef::new(Users::Id).uuid().not_null().primary_key())
            .col(ColumnDef::new(Users::TenantCode).text().null())
            .col(ColumnDef::new(Users::AgencyId).uuid().null())
            .col(ColumnDef::new(Users::Email).text().not_null().unique_key())
            .col(ColumnDef::new(Users::Name).text().not_null())
            .col(ColumnDef::new(Users::Role).text().not_null())
            .col(ColumnDef::new(Users::PasswordHash).text().not_null())
            .col(ColumnDef::new(Users::Locale).text().not_null().default("id"))
            .col(ColumnDef::new(Users::Active).boolean().not_null().default(true))
            .col(ColumnDef::new(Users::PasswordChangedAt).big_integer().not_null())
            .foreign_key(ForeignKey::create().from(Users::Table, Users::TenantCode).to(Tenants::Table, Tenants::Code))
            .foreign_key(
                ForeignKey::create()
                    .from(Users::Table, (Users::TenantCode, Users::AgencyId))
                    .to(Agencies::Table, (Agencies::TenantCode, Agencies::Id)),
            ),
    )
    .to_owned();

    let sessions = Table::create()
        .table(Sessions::Table)
        .col(ColumnDef::new(Sessions::Id).uuid().not_null().primary_key())
        .col(ColumnDef::new(Sessions::TokenHash).text().not_null().unique_key())
        .col(ColumnDef::new(Sessions::UserId).uuid().not_null())
        .col(ColumnDef::new(Sessions::Kind).text().not_null())
        .col(ColumnDef::new(Sessions::Label).text().null())
        .col(ColumnDef::new(Sessions::CsrfToken).text().not_null())
        .col(ColumnDef::new(Sessions::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(Sessions::LastSeenAt).big_integer().not_null())
        .col(ColumnDef::new(Sessions::ExpiresAt).big_integer().not_null())
        .col(ColumnDef::new(Sessions::RevokedAt).big_integer().null())
        .foreign_key(
            ForeignKey::create()
                .from(Sessions::Table, Sessions::UserId)
                .to(Users::Table, Users::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();

    let audit = Table::create()
        .table(AuditEvents::Table)
        // '' for platform-level events that belong to no tenant.
        .col(ColumnDef::new(AuditEvents::TenantCode).text().not_null())
        .col(ColumnDef::new(AuditEvents::Id).uuid().not_null())
        .col(ColumnDef::new(AuditEvents::At).big_integer().not_null())
        .col(ColumnDef::new(AuditEvents::ActorId).uuid().null())
        .col(ColumnDef::new(AuditEvents::ActorLabel).text().not_null())
        .col(ColumnDef::new(AuditEvents::Action).text().not_null())
        .col(ColumnDef::new(AuditEvents::RecordType).text().not_null())
        .col(ColumnDef::new(AuditEvents::RecordId).text().not_null())
        .col(ColumnDef::new(AuditEvents::Before).text().null())
        .col(ColumnDef::new(AuditEvents::After).text().null())
        .col(ColumnDef::new(AuditEvents::RequestId).text().null())
        .primary_key(Index::create().col(AuditEvents::TenantCode).col(AuditEvents::Id))
        .to_owned();

    vec![
        Ddl::Table(tenants),
        Ddl::Table(agencies),
        Ddl::Index(
            Index::create()
                .name("agencies_tenant_name")
                .table(Agencies::Table)
                .col(Agencies::TenantCode)
                .col(Agencies::Name)
                .unique()
                .to_owned(),
        ),
        Ddl::Table(users),
        Ddl::Index(
            Index::create()
                .name("users_tenant_email")
                .table(Users::Table)
                .col(Users::TenantCode)
                .col(Users::Email)
                .to_owned(),
        ),
        Ddl::Table(sessions),
        Ddl::Index(Index::create().name("sessions_user").table(Sessions::Table).col(Sessions::UserId).to_owned()),
        Ddl::Table(audit),
        Ddl::Index(
            Index::create()
                .name("audit_tenant_at")
                .table(AuditEvents::Table)
                .col(AuditEvents::TenantCode)
                .col(AuditEvents::At)
                .to_owned(),
        ),
        Ddl::Index(
            Index::create()
                .name("audit_tenant_record")
                .table(AuditEvents::Table)
                .col(AuditEvents::TenantCode)
                .col(AuditEvents::RecordType)
                .col(AuditEvents::RecordId)
                .to_owned(),
        ),
        Ddl::Index(
            Index::create()
                .name("audit_tenant_actor")
                .table(AuditEvents::Table)
                .col(AuditEvents::TenantCode)
                .col(AuditEvents::ActorId)
                .to_owned(),
        ),
    ]
}

fn cooperation_needs() -> Vec<Ddl> {
    let targets = timestamps(
        Table::create()
            .table(PerformanceTargets::Table)
            .col(ColumnDef::new(PerformanceTargets::TenantCode).text().not_null())
            .col(ColumnDef::new(PerformanceTargets::Id).uuid().not_null())
            .col(ColumnDef::new(PerformanceTargets::AgencyId).uuid().not_null())
            .col(ColumnDef::new(PerformanceTargets::Year).integer().not_null())
            .col(ColumnDef::new(PerformanceTargets::Indicator).text().not_null())
            .col(ColumnDef::new(PerformanceTargets::Unit).text().not_null())
            .col(ColumnDef::new(PerformanceTargets::TargetValue).double().not_null())
            .col(ColumnDef::new(PerformanceTargets::RealisedValue).double().null())
            .primary_key(Index::create().col(PerformanceTargets::TenantCode).col(PerformanceTargets::Id))
            .foreign_key(
                ForeignKey::create()
                    .from(PerformanceTargets::Table, (PerformanceTargets::TenantCode, PerformanceTargets::AgencyId))
                    .to(Agencies::Table, (Agencies::TenantCode, Agencies::Id)),
            ),
    )
    .to_owned();

    let needs = timestamps(
        Table::create()
            .table(Needs::Table)
            .col(ColumnDef::new(Needs::TenantCode).text().not_null())
            .col(ColumnDef::new(Needs::Id).uuid().not_null())
            .col(ColumnDef::new(Needs::AgencyId).uuid().not_null())
            .col(ColumnDef::new(Needs::Year).integer().not_null())
            .col(ColumnDef::new(Needs::Title).text().not_null())
            .col(ColumnDef::new(Needs::Problem).text().not_null())
            .col(ColumnDef::new(Needs::UrusanCode).text().not_null())
            .col(ColumnDef::new(Needs::PartnerKind).text().not_null())
            .col(ColumnDef::new(Needs::ExpectedBenefit).text().not_null())
            // 1..3 and unique per agency and year (below): the database itself holds the
            // three-priorities rule, even under concurrent writes. NULL = not a priority.
            .col(
                ColumnDef::new(Needs::PriorityRank)
                    .integer()
                    .null()
                    .check(Expr::col(Needs::PriorityRank).between(1, 3)),
            )
            .col(ColumnDef::new(Needs::Status).text().not_null())
            .primary_key(Index::create().col(Needs::TenantCode).col(Needs::Id))
            .foreign_key(
                ForeignKey::create()
                    .from(Needs::Table, (Needs::TenantCode, Needs::AgencyId))
                    .to(Agencies::Table, (Agencies::TenantCode, Agencies::Id)),
            ),
    )
    .to_owned();

    let need_targets = Table::create()
        .table(NeedTargets::Table)
        .col(ColumnDef::new(NeedTargets::TenantCode).text().not_null())
        .col(ColumnDef::new(NeedTargets::NeedId).uuid().not_null())
        .col(ColumnDef::new(NeedTargets::TargetId).uuid().not_null())
        .primary_key(Index::create().col(NeedTargets::TenantCode).col(NeedTargets::NeedId).col(NeedTargets::TargetId))
        .foreign_key(
            ForeignKey::create()
                .from(NeedTargets::Table, (NeedTargets::TenantCode, NeedTargets::NeedId))
                .to(Needs::Table, (Needs::TenantCode, Needs::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(NeedTargets::Table, (NeedTargets::TenantCode, NeedTargets::TargetId))
                .to(PerformanceTargets::Table, (PerformanceTargets::TenantCode, PerformanceTargets::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();

    vec![
        Ddl::Table(targets),
        Ddl::Index(
            Index::create()
                .name("targets_tenant_agency_year")
                .table(PerformanceTargets::Table)
                .col(PerformanceTargets::TenantCode)
                .col(PerformanceTargets::AgencyId)
                .col(PerformanceTargets::Year)
                .to_owned(),
        ),
        Ddl::Table(needs),
        Ddl::Index(
            Index::create()
                .name("needs_tenant_year_agency")
                .table(Needs::Table)
                .col(Needs::TenantCode)
                .col(Needs::Year)
                .col(Needs::AgencyId)
                .to_owned(),
        ),
        Ddl::Index(
            Index::create()
                .name("needs_priority_rank_unique")
                .table(Needs::Table)
                .col(Needs::TenantCode)
                .col(Needs::AgencyId)
                .col(Needs::Year)
                .col(Needs::PriorityRank)
                .unique()
                .to_owned(),
        ),
        Ddl::Table(need_targets),
    ]
}

fn partners() -> Vec<Ddl> {
    let partners = timestamps(
        Table::create()
            .table(Partners::Table)
            .col(ColumnDef::new(Partners::TenantCode).text().not_null())
            .col(ColumnDef::new(Partners::Id).uuid().not_null())
            .col(ColumnDef::new(Partners::Kind).text().not_null())
            .col(ColumnDef::new(Partners::Name).text().not_null())
            // The normalised name, for the duplicate warning and for search.
            .col(ColumnDef::new(Partners::NameKey).text().not_null())
            .col(ColumnDef::new(Partners::RegionCode).text().null())
            .col(ColumnDef::new(Partners::Nib).text().null())
            .col(ColumnDef::new(Partners::Npwp).text().null())
            .col(ColumnDef::new(Partners::KbliCode).text().null())
            .col(ColumnDef::new(Partners::Sector).text().null())
            .col(ColumnDef::new(Partners::Address).text().null())
            .col(ColumnDef::new(Partners::Website).text().null())
            .col(ColumnDef::new(Partners::Description).text().null())
            .col(ColumnDef::new(Partners::Active).boolean().not_null().default(true))
            .primary_key(Index::create().col(Partners::TenantCode).col(Partners::Id))
            .foreign_key(
                ForeignKey::create().from(Partners::Table, Partners::TenantCode).to(Tenants::Table, Tenants::Code),
            ),
    )
    .to_owned();
    let contacts = timestamps(
        Table::create()
            .table(PartnerContacts::Table)
            .col(ColumnDef::new(PartnerContacts::TenantCode).text().not_null())
            .col(ColumnDef::new(PartnerContacts::Id).uuid().not_null())
            .col(ColumnDef::new(PartnerContacts::PartnerId).uuid().not_null())
            .col(ColumnDef::new(PartnerContacts::Name).text().not_null())
            .col(ColumnDef::new(PartnerContacts::Position).text().null())
            .col(ColumnDef::new(PartnerContacts::Email).text().null())
            .col(ColumnDef::new(PartnerContacts::Phone).text().null())
            .primary_key(Index::create().col(PartnerContacts::TenantCode).col(PartnerContacts::Id))
            .foreign_key(
                ForeignKey::create()
                    .from(PartnerContacts::Table, (PartnerContacts::TenantCode, PartnerContacts::PartnerId))
                    .to(Partners::Table, (Partners::TenantCode, Partners::Id))
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .to_owned();
    let offers = timestamps(
        Table::create()
            .table(Offers::Table)
            .col(ColumnDef::new(Offers::TenantCode).text().not_null())
            .col(ColumnDef::new(Offers::Id).uuid().not_null())
            .col(ColumnDef::new(Offers::PartnerId).uuid().not_null())
            .col(ColumnDef::new(Offers::UrusanCode).text().not_null())
            .col(ColumnDef::new(Offers::Title).text().not_null())
            .col(ColumnDef::new(Offers::Description).text().not_null())
            .col(ColumnDef::new(Offers::AreaCode).text().null())
            .primary_key(Index::create().col(Offers::TenantCode).col(Offers::Id))
            .foreign_key(
                ForeignKey::create()
                    .from(Offers::Table, (Offers::TenantCode, Offers::PartnerId))
                    .to(Partners::Table, (Partners::TenantCode, Partners::Id))
                    .on_delete(ForeignKeyAction::Cascade),
            ),
    )
    .to_owned();
    vec![
        Ddl::Table(partners),
        Ddl::Index(
            Index::create()
                .name("partners_tenant_name_key")
                .table(Partners::Table)
                .col(Partners::TenantCode)
                .col(Partners::NameKey)
                .to_owned(),
        ),
        Ddl::Table(contacts),
        Ddl::Index(
            Index::create()
                .name("contacts_tenant_partner")
                .table(PartnerContacts::Table)
                .col(PartnerContacts::TenantCode)
                .col(PartnerContacts::PartnerId)
                .to_owned(),
        ),
        Ddl::Table(offers),
        Ddl::Index(
            Index::create()
                .name("offers_tenant_partner")
                .table(Offers::Table)
                .col(Offers::TenantCode)
                .col(Offers::PartnerId)
                .to_owned(),
        ),
    ]
}

fn agreements() -> Vec<Ddl> {
    let agreements = timestamps(
        Table::create()
            .table(Agreements::Table)
            .col(ColumnDef::new(Agreements::TenantCode).text().not_null())
            .col(ColumnDef::new(Agreements::Id).uuid().not_null())
            .col(ColumnDef::new(Agreements::Kind).text().not_null())
            .col(ColumnDef::new(Agreements::Document).text().not_null())
            .col(ColumnDef::new(Agreements::ParentId).uuid().null())
            .col(ColumnDef::new(Agreements::Title).text().not_null())
            .col(ColumnDef::new(Agreements::Scope).text().not_null())
            .col(ColumnDef::new(Agreements::UrusanCode).text().not_null())
            .col(ColumnDef::new(Agreements::Stage).text().not_null())
            // Calendar dates as ISO text (YYYY-MM-DD): they sort and compare the same on both
            // backends, and a signing date has no time of day.
            .col(ColumnDef::new(Agreements::StartsOn).text().null())
            .col(ColumnDef::new(Agreements::EndsOn).text().null())
            .col(ColumnDef::new(Agreements::KbSignedOn).text().null())
            .col(ColumnDef::new(Agreements::PksSignedOn).text().null())
            // NULL is "not reported", never zero.
            .col(ColumnDef::new(Agreements::ValueRupiah).big_integer().null())
            .col(ColumnDef::new(Agreements::Funding).text().null())
            .col(ColumnDef::new(Agreements::BurdensPublic).boolean().not_null().default(false))
            .col(ColumnDef::new(Agreements::BudgetedInApbd).boolean().not_null().default(true))
            .col(ColumnDef::new(Agreements::FeasibilityDone).boolean().not_null().default(false))
            .col(ColumnDef::new(Agreements::DprdApproved).boolean().not_null().default(false))
            .col(ColumnDef::new(Agreements::TerminationReason).text().null())
            .primary_key(Index::create().col(Agreements::TenantCode).col(Agreements::Id))
            .foreign_key(
                ForeignKey::create()
                    .from(Agreements::Table, (Agreements::TenantCode, Agreements::ParentId))
                    .to(Agreements::Table, (Agreements::TenantCode, Agreements::Id)),
            ),
    )
    .to_owned();
    let parties = Table::create()
        .table(AgreementParties::Table)
        .col(ColumnDef::new(AgreementParties::TenantCode).text().not_null())
        .col(ColumnDef::new(AgreementParties::AgreementId).uuid().not_null())
        .col(ColumnDef::new(AgreementParties::Seq).integer().not_null())
        .col(ColumnDef::new(AgreementParties::PartnerId).uuid().null())
        // Set when the party is another Pemda that uses Sinergi: it then sees the agreement.
        .col(ColumnDef::new(AgreementParties::PartyTenantCode).text().null())
        .col(ColumnDef::new(AgreementParties::Name).text().not_null())
        .col(ColumnDef::new(AgreementParties::SignatoryName).text().null())
        .col(ColumnDef::new(AgreementParties::SignatoryPosition).text().null())
        .col(ColumnDef::new(AgreementParties::DocumentNumber).text().null())
        .primary_key(
            Index::create()
                .col(AgreementParties::TenantCode)
                .col(AgreementParties::AgreementId)
                .col(AgreementParties::Seq),
        )
        .foreign_key(
            ForeignKey::create()
                .from(AgreementParties::Table, (AgreementParties::TenantCode, AgreementParties::AgreementId))
                .to(Agreements::Table, (Agreements::TenantCode, Agreements::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let transitions = Table::create()
        .table(AgreementTransitions::Table)
        .col(ColumnDef::new(AgreementTransitions::TenantCode).text().not_null())
        .col(ColumnDef::new(AgreementTransitions::Id).uuid().not_null())
        .col(ColumnDef::new(AgreementTransitions::AgreementId).uuid().not_null())
        .col(ColumnDef::new(AgreementTransitions::FromStage).text().null())
        .col(ColumnDef::new(AgreementTransitions::ToStage).text().not_null())
        .col(ColumnDef::new(AgreementTransitions::At).big_integer().not_null())
        .col(ColumnDef::new(AgreementTransitions::ActorLabel).text().not_null())
        .col(ColumnDef::new(AgreementTransitions::Note).text().null())
        .primary_key(Index::create().col(AgreementTransitions::TenantCode).col(AgreementTransitions::Id))
        .foreign_key(
            ForeignKey::create()
                .from(
                    AgreementTransitions::Table,
                    (AgreementTransitions::TenantCode, AgreementTransitions::AgreementId),
                )
                .to(Agreements::Table, (Agreements::TenantCode, Agreements::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    // Notes are keyed by the tenant that wrote them, which may not own the agreement: no
    // foreign key to it across tenants (that would tie two shards together).
    let notes = Table::create()
        .table(AgreementNotes::Table)
        .col(ColumnDef::new(AgreementNotes::TenantCode).text().not_null())
        .col(ColumnDef::new(AgreementNotes::Id).uuid().not_null())
        .col(ColumnDef::new(AgreementNotes::AgreementId).uuid().not_null())
        .col(ColumnDef::new(AgreementNotes::At).big_integer().not_null())
        .col(ColumnDef::new(AgreementNotes::ActorLabel).text().not_null())
        .col(ColumnDef::new(AgreementNotes::Body).text().not_null())
        .primary_key(Index::create().col(AgreementNotes::TenantCode).col(AgreementNotes::Id))
        .to_owned();
    let needs = Table::create()
        .table(AgreementNeeds::Table)
        .col(ColumnDef::new(AgreementNeeds::TenantCode).text().not_null())
        .col(ColumnDef::new(AgreementNeeds::AgreementId).uuid().not_null())
        .col(ColumnDef::new(AgreementNeeds::NeedId).uuid().not_null())
        .primary_key(
            Index::create()
                .col(AgreementNeeds::TenantCode)
                .col(AgreementNeeds::AgreementId)
                .col(AgreementNeeds::NeedId),
        )
        .foreign_key(
            ForeignKey::create()
                .from(AgreementNeeds::Table, (AgreementNeeds::TenantCode, AgreementNeeds::AgreementId))
                .to(Agreements::Table, (Agreements::TenantCode, Agreements::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(AgreementNeeds::Table, (AgreementNeeds::TenantCode, AgreementNeeds::NeedId))
                .to(Needs::Table, (Needs::TenantCode, Needs::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    vec![
        Ddl::Table(agreements),
        Ddl::Index(
            Index::create()
                .name("agreements_tenant_stage")
                .table(Agreements::Table)
                .col(Agreements::TenantCode)
                .col(Agreements::Stage)
                .to_owned(),
        ),
        Ddl::Table(parties),
        Ddl::Index(
            Index::create()
                .name("parties_party_tenant")
                .table(AgreementParties::Table)
                .col(AgreementParties::PartyTenantCode)
                .to_owned(),
        ),
        Ddl::Table(transitions),
        Ddl::Table(notes),
        Ddl::Index(
            Index::create()
                .name("notes_tenant_agreement")
                .table(AgreementNotes::Table)
                .col(AgreementNotes::TenantCode)
                .col(AgreementNotes::AgreementId)
                .to_owned(),
        ),
        Ddl::Table(needs),
    ]
}

fn activities_outcomes() -> Vec<Ddl> {
    let fk = |table: Activities| {
        ForeignKey::create()
            .from(table, (Activities::TenantCode, Activities::AgreementId))
            .to(Agreements::Table, (Agreements::TenantCode, Agreements::Id))
            .on_delete(ForeignKeyAction::Cascade)
            .to_owned()
    };
    let activities = Table::create()
        .table(Activities::Table)
        .col(ColumnDef::new(Activities::TenantCode).text().not_null())
        .col(ColumnDef::new(Activities::Id).uuid().not_null())
        .col(ColumnDef::new(Activities::AgreementId).uuid().not_null())
        .col(ColumnDef::new(Activities::Title).text().not_null())
        .col(ColumnDef::new(Activities::PlannedOn).text().null())
        .col(ColumnDef::new(Activities::DoneOn).text().null())
        .col(ColumnDef::new(Activities::Budget).big_integer().null())
        .col(ColumnDef::new(Activities::CreatedAt).big_integer().not_null())
        .primary_key(Index::create().col(Activities::TenantCode).col(Activities::Id))
        .foreign_key(&mut fk(Activities::Table))
        .to_owned();
    let outcomes = Table::create()
        .table(Outcomes::Table)
        .col(ColumnDef::new(Outcomes::TenantCode).text().not_null())
        .col(ColumnDef::new(Outcomes::Id).uuid().not_null())
        .col(ColumnDef::new(Outcomes::AgreementId).uuid().not_null())
        .col(ColumnDef::new(Outcomes::Kind).text().not_null())
        .col(ColumnDef::new(Outcomes::Label).text().not_null())
        .col(ColumnDef::new(Outcomes::Unit).text().not_null())
        // Whole units: people, UMKM, or rupiah.
        .col(ColumnDef::new(Outcomes::Value).big_integer().not_null())
        .col(ColumnDef::new(Outcomes::Period).text().not_null())
        .col(ColumnDef::new(Outcomes::Evidence).text().null())
        .col(ColumnDef::new(Outcomes::RecordedOn).text().not_null())
        .col(ColumnDef::new(Outcomes::CreatedAt).big_integer().not_null())
        .primary_key(Index::create().col(Outcomes::TenantCode).col(Outcomes::Id))
        .foreign_key(
            ForeignKey::create()
                .from(Outcomes::Table, (Outcomes::TenantCode, Outcomes::AgreementId))
                .to(Agreements::Table, (Agreements::TenantCode, Agreements::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    vec![
        Ddl::Table(activities),
        Ddl::Index(
            Index::create()
                .name("activities_tenant_agreement")
                .table(Activities::Table)
                .col(Activities::TenantCode)
                .col(Activities::AgreementId)
                .to_owned(),
        ),
        Ddl::Table(outcomes),
        Ddl::Index(
            Index::create()
                .name("outcomes_tenant_agreement")
                .table(Outcomes::Table)
                .col(Outcomes::TenantCode)
                .col(Outcomes::AgreementId)
                .to_owned(),
        ),
    ]
}

fn reminders() -> Vec<Ddl> {
    let outbox = Table::create()
        .table(Outbox::Table)
        .col(ColumnDef::new(Outbox::TenantCode).text().not_null())
        .col(ColumnDef::new(Outbox::Id).uuid().not_null())
        // What the message is about ("expiry:<agreement>:30"): the daily job may run twice, a
        // reminder goes out once.
        .col(ColumnDef::new(Outbox::DedupeKey).text().not_null())
        .col(ColumnDef::new(Outbox::ToEmail).text().not_null())
        .col(ColumnDef::new(Outbox::Subject).text().not_null())
        .col(ColumnDef::new(Outbox::Body).text().not_null())
        .col(ColumnDef::new(Outbox::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(Outbox::NextAttemptAt).big_integer().not_null())
        .col(ColumnDef::new(Outbox::Attempts).integer().not_null().default(0))
        .col(ColumnDef::new(Outbox::SentAt).big_integer().null())
        .col(ColumnDef::new(Outbox::LastError).text().null())
        .primary_key(Index::create().col(Outbox::TenantCode).col(Outbox::Id))
        .to_owned();
    let notifications = Table::create()
        .table(Notifications::Table)
        .col(ColumnDef::new(Notifications::TenantCode).text().not_null())
        .col(ColumnDef::new(Notifications::Id).uuid().not_null())
        .col(ColumnDef::new(Notifications::DedupeKey).text().not_null())
        .col(ColumnDef::new(Notifications::Kind).text().not_null())
        .col(ColumnDef::new(Notifications::Message).text().not_null())
        .col(ColumnDef::new(Notifications::Link).text().not_null())
        .col(ColumnDef::new(Notifications::CreatedAt).big_integer().not_null())
        .primary_key(Index::create().col(Notifications::TenantCode).col(Notifications::Id))
        .to_owned();
    vec![
        Ddl::Table(outbox),
        Ddl::Index(
            Index::create()
                .name("outbox_dedupe")
                .table(Outbox::Table)
                .col(Outbox::TenantCode)
                .col(Outbox::DedupeKey)
                .col(Outbox::ToEmail)
                .unique()
                .to_owned(),
        ),
        Ddl::Index(
            Index::create()
                .name("outbox_pending")
                .table(Outbox::Table)
                .col(Outbox::SentAt)
                .col(Outbox::NextAttemptAt)
                .to_owned(),
        ),
        Ddl::Table(notifications),
        Ddl::Index(
            Index::create()
                .name("notifications_dedupe")
                .table(Notifications::Table)
                .col(Notifications::TenantCode)
                .col(Notifications::DedupeKey)
                .unique()
                .to_owned(),
        ),
    ]
}

fn agreement_documents() -> Vec<Ddl> {
    let files = Table::create()
        .table(Files::Table)
        .col(ColumnDef::new(Files::TenantCode).text().not_null())
        .col(ColumnDef::new(Files::Id).uuid().not_null())
        .col(ColumnDef::new(Files::Name).text().not_null())
        // Detected from the content at upload, never taken from the sender.
        .col(ColumnDef::new(Files::ContentType).text().not_null())
        .col(ColumnDef::new(Files::SizeBytes).big_integer().not_null())
        .col(ColumnDef::new(Files::Sha256).text().not_null())
        .col(ColumnDef::new(Files::Content).blob().not_null())
        .col(ColumnDef::new(Files::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(Files::CreatedBy).text().not_null())
        .primary_key(Index::create().col(Files::TenantCode).col(Files::Id))
        .to_owned();
    let documents = Table::create()
        .table(AgreementDocuments::Table)
        .col(ColumnDef::new(AgreementDocuments::TenantCode).text().not_null())
        .col(ColumnDef::new(AgreementDocuments::Id).uuid().not_null())
        .col(ColumnDef::new(AgreementDocuments::AgreementId).uuid().not_null())
        .col(ColumnDef::new(AgreementDocuments::FileId).uuid().not_null())
        .col(ColumnDef::new(AgreementDocuments::Purpose).text().not_null())
        .col(ColumnDef::new(AgreementDocuments::Title).text().not_null())
        // Evidence names what it proves: an activity or an outcome of the same agreement.
        .col(ColumnDef::new(AgreementDocuments::ActivityId).uuid().null())
        .col(ColumnDef::new(AgreementDocuments::OutcomeId).uuid().null())
        .col(ColumnDef::new(AgreementDocuments::Paraf).boolean().not_null().default(false))
        .col(ColumnDef::new(AgreementDocuments::Materai).boolean().not_null().default(false))
        .col(ColumnDef::new(AgreementDocuments::Stempel).boolean().not_null().default(false))
        .col(ColumnDef::new(AgreementDocuments::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(AgreementDocuments::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(AgreementDocuments::TenantCode).col(AgreementDocuments::Id))
        .foreign_key(
            ForeignKey::create()
                .from(AgreementDocuments::Table, (AgreementDocuments::TenantCode, AgreementDocuments::AgreementId))
                .to(Agreements::Table, (Agreements::TenantCode, Agreements::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(AgreementDocuments::Table, (AgreementDocuments::TenantCode, AgreementDocuments::FileId))
                .to(Files::Table, (Files::TenantCode, Files::Id)),
        )
        .to_owned();
    vec![
        Ddl::Table(files),
        Ddl::Table(documents),
        Ddl::Index(
            Index::create()
                .name("agreement_documents_tenant_agreement")
                .table(AgreementDocuments::Table)
                .col(AgreementDocuments::TenantCode)
                .col(AgreementDocuments::AgreementId)
                .to_owned(),
        ),
    ]
}

fn agreement_details_evaluations() -> Vec<Ddl> {
    let add = |table: TableRef, col: &mut ColumnDef| Ddl::Alter(Table::alter().table(table).add_column(col).to_owned());
    let evaluations = Table::create()
        .table(Evaluations::Table)
        .col(ColumnDef::new(Evaluations::TenantCode).text().not_null())
        .col(ColumnDef::new(Evaluations::Id).uuid().not_null())
        .col(ColumnDef::new(Evaluations::AgreementId).uuid().not_null())
        .col(ColumnDef::new(Evaluations::Period).text().not_null())
        .col(ColumnDef::new(Evaluations::EvaluatedOn).text().not_null())
        // Marks 1..5, checked in the domain before they get here.
        .col(ColumnDef::new(Evaluations::Aim).small_integer().not_null())
        .col(ColumnDef::new(Evaluations::Timeliness).small_integer().not_null())
        .col(ColumnDef::new(Evaluations::Contribution).small_integer().not_null())
        .col(ColumnDef::new(Evaluations::Indicator).small_integer().not_null())
        .col(ColumnDef::new(Evaluations::Impact).small_integer().not_null())
        .col(ColumnDef::new(Evaluations::Relevance).small_integer().not_null())
        .col(ColumnDef::new(Evaluations::Recommendation).text().not_null())
        .col(ColumnDef::new(Evaluations::Notes).text().not_null())
        .col(ColumnDef::new(Evaluations::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(Evaluations::CreatedBy).text().not_null())
        .primary_key(Index::create().col(Evaluations::TenantCode).col(Evaluations::Id))
        .foreign_key(
            ForeignKey::create()
                .from(Evaluations::Table, (Evaluations::TenantCode, Evaluations::AgreementId))
                .to(Agreements::Table, (Agreements::TenantCode, Agreements::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    vec![
        add(Agreements::Table.into(), ColumnDef::new(Agreements::FundingForm).text().null()),
        // Region codes of where the cooperation takes place, comma-separated.
        add(Agreements::Table.into(), ColumnDef::new(Agreements::LocationCodes).text().not_null().default("")),
        // The signatory acts for the regional head under a surat kuasa.
        add(
            AgreementParties::Table.into(),
            ColumnDef::new(AgreementParties::SignsByAuthority).boolean().not_null().default(false),
        ),
        // "Stopped on paper" after this many months without follow-up (Permendagri leaves it
        // to the Pemda; six is the default the Tangerang Selatan meeting used).
        add(Tenants::Table.into(), ColumnDef::new(Tenants::DormancyMonths).integer().not_null().default(6)),
        Ddl::Table(evaluations),
        Ddl::Index(
            Index::create()
                .name("evaluations_tenant_agreement")
                .table(Evaluations::Table)
                .col(Evaluations::TenantCode)
                .col(Evaluations::AgreementId)
                .to_owned(),
        ),
    ]
}

fn meetings() -> Vec<Ddl> {
    let meetings = timestamps(
        Table::create()
            .table(Meetings::Table)
            .col(ColumnDef::new(Meetings::TenantCode).text().not_null())
            .col(ColumnDef::new(Meetings::Id).uuid().not_null())
            .col(ColumnDef::new(Meetings::Kind).text().not_null())
            .col(ColumnDef::new(Meetings::Title).text().not_null())
            // ISO dates, like the agreements' dates.
            .col(ColumnDef::new(Meetings::HeldOn).text().not_null())
            .col(ColumnDef::new(Meetings::Place).text().null())
            .col(ColumnDef::new(Meetings::Agenda).text().null())
            .col(ColumnDef::new(Meetings::Minutes).text().null())
            // One decision per line.
            .col(ColumnDef::new(Meetings::Decisions).text().null())
            .primary_key(Index::create().col(Meetings::TenantCode).col(Meetings::Id))
            .foreign_key(
                ForeignKey::create().from(Meetings::Table, Meetings::TenantCode).to(Tenants::Table, Tenants::Code),
            ),
    )
    .to_owned();
    // An attendee is a user, a partner contact, or neither (a guest); the name is kept either
    // way, so the attendance list still reads right after a contact is removed from the
    // registry. That is also why there is no foreign key to the contacts.
    let attendees = Table::create()
        .table(MeetingAttendees::Table)
        .col(ColumnDef::new(MeetingAttendees::TenantCode).text().not_null())
        .col(ColumnDef::new(MeetingAttendees::Id).uuid().not_null())
        .col(ColumnDef::new(MeetingAttendees::MeetingId).uuid().not_null())
        .col(ColumnDef::new(MeetingAttendees::UserId).uuid().null())
        .col(ColumnDef::new(MeetingAttendees::ContactId).uuid().null())
        .col(ColumnDef::new(MeetingAttendees::Name).text().not_null())
        .col(ColumnDef::new(MeetingAttendees::Organisation).text().null())
        .col(ColumnDef::new(MeetingAttendees::CreatedAt).big_integer().not_null())
        .check(Expr::col(MeetingAttendees::UserId).is_null().or(Expr::col(MeetingAttendees::ContactId).is_null()))
        .primary_key(Index::create().col(MeetingAttendees::TenantCode).col(MeetingAttendees::Id))
        .foreign_key(
            ForeignKey::create()
                .from(MeetingAttendees::Table, (MeetingAttendees::TenantCode, MeetingAttendees::MeetingId))
                .to(Meetings::Table, (Meetings::TenantCode, Meetings::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create().from(MeetingAttendees::Table, MeetingAttendees::UserId).to(Users::Table, Users::Id),
        )
        .to_owned();
    let items = Table::create()
        .table(ActionItems::Table)
        .col(ColumnDef::new(ActionItems::TenantCode).text().not_null())
        .col(ColumnDef::new(ActionItems::Id).uuid().not_null())
        .col(ColumnDef::new(ActionItems::MeetingId).uuid().not_null())
        .col(ColumnDef::new(ActionItems::Title).text().not_null())
        .col(ColumnDef::new(ActionItems::OwnerUserId).uuid().null())
        .col(ColumnDef::new(ActionItems::OwnerLabel).text().null())
        .col(ColumnDef::new(ActionItems::DueOn).text().null())
        .col(ColumnDef::new(ActionItems::Status).text().not_null())
        .col(ColumnDef::new(ActionItems::DoneOn).text().null())
        .col(ColumnDef::new(ActionItems::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(ActionItems::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(ActionItems::TenantCode).col(ActionItems::Id))
        .foreign_key(
            ForeignKey::create()
                .from(ActionItems::Table, (ActionItems::TenantCode, ActionItems::MeetingId))
                .to(Meetings::Table, (Meetings::TenantCode, Meetings::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create().from(ActionItems::Table, ActionItems::OwnerUserId).to(Users::Table, Users::Id),
        )
        .to_owned();
    // Links to needs and agreements by kind and id, without foreign keys: an agreement kept by
    // another Pemda (a KSDD it shares with this one) lives in the other tenant's rows, and the
    // CSR forum will link records of kinds that do not exist yet.
    let links = Table::create()
        .table(MeetingLinks::Table)
        .col(ColumnDef::new(MeetingLinks::TenantCode).text().not_null())
        .col(ColumnDef::new(MeetingLinks::MeetingId).uuid().not_null())
        .col(ColumnDef::new(MeetingLinks::LinkKind).text().not_null())
        .col(ColumnDef::new(MeetingLinks::LinkId).uuid().not_null())
        .primary_key(
            Index::create()
                .col(MeetingLinks::TenantCode)
                .col(MeetingLinks::MeetingId)
                .col(MeetingLinks::LinkKind)
                .col(MeetingLinks::LinkId),
        )
        .foreign_key(
            ForeignKey::create()
                .from(MeetingLinks::Table, (MeetingLinks::TenantCode, MeetingLinks::MeetingId))
                .to(Meetings::Table, (Meetings::TenantCode, Meetings::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    vec![
        Ddl::Table(meetings),
        Ddl::Index(
            Index::create()
                .name("meetings_tenant_held_on")
                .table(Meetings::Table)
                .col(Meetings::TenantCode)
                .col(Meetings::HeldOn)
                .to_owned(),
        ),
        Ddl::Table(attendees),
        Ddl::Index(
            Index::create()
                .name("attendees_tenant_meeting")
                .table(MeetingAttendees::Table)
                .col(MeetingAttendees::TenantCode)
                .col(MeetingAttendees::MeetingId)
                .to_owned(),
        ),
        Ddl::Table(items),
        Ddl::Index(
            Index::create()
                .name("action_items_tenant_meeting")
                .table(ActionItems::Table)
                .col(ActionItems::TenantCode)
                .col(ActionItems::MeetingId)
                .to_owned(),
        ),
        // The daily job and the dashboard look for open items past their date.
        Ddl::Index(
            Index::create()
                .name("action_items_tenant_status_due")
                .table(ActionItems::Table)
                .col(ActionItems::TenantCode)
                .col(ActionItems::Status)
                .col(ActionItems::DueOn)
                .to_owned(),
        ),
        Ddl::Table(links),
        Ddl::Index(
            Index::create()
                .name("meeting_links_tenant_target")
                .table(MeetingLinks::Table)
                .col(MeetingLinks::TenantCode)
                .col(MeetingLinks::LinkKind)
                .col(MeetingLinks::LinkId)
                .to_owned(),
        ),
    ]
}

/// An agreement's page reads its stage history and its child documents; without these, both
/// scan every row of the tenant (10 ms per page at 10,000 agreements, see bench/).
fn agreement_lookup_indexes() -> Vec<Ddl> {
    vec![
        Ddl::Index(
            Index::create()
                .name("agreement_transitions_tenant_agreement")
                .table(AgreementTransitions::Table)
                .col(AgreementTransitions::TenantCode)
                .col(AgreementTransitions::AgreementId)
                .to_owned(),
        ),
        Ddl::Index(
            Index::create()
                .name("agreements_tenant_parent")
                .table(Agreements::Table)
                .col(Agreements::TenantCode)
                .col(Agreements::ParentId)
                .to_owned(),
        ),
    ]
}

/// The agency responsible for an agreement and for each activity, an activity's status, and
/// an outcome's baseline and target next to its realised value.
fn responsible_agencies_targets() -> Vec<Ddl> {
    let add = |table: TableRef, col: &mut ColumnDef| Ddl::Alter(Table::alter().table(table).add_column(col).to_owned());
    vec![
        add(Agreements::Table.into(), ColumnDef::new(Agreements::AgencyId).uuid().null()),
        add(Activities::Table.into(), ColumnDef::new(Activities::AgencyId).uuid().null()),
        // NULL for rows written before: read as done when a date done is recorded, else planned.
        add(Activities::Table.into(), ColumnDef::new(Activities::Status).text().null()),
        // Whole units like the realised value; NULL when not set.
        add(Outcomes::Table.into(), ColumnDef::new(Outcomes::Baseline).big_integer().null()),
        add(Outcomes::Table.into(), ColumnDef::new(Outcomes::Target).big_integer().null()),
    ]
}

/// CSR (issue 4): needs with photos, pledges, realisation reports with evidence and their
/// review trail; the partner a partner user speaks for; a Pemda's reporting window length.
fn csr() -> Vec<Ddl> {
    let add = |table: TableRef, col: &mut ColumnDef| Ddl::Alter(Table::alter().table(table).add_column(col).to_owned());
    let needs = timestamps(
        Table::create()
            .table(CsrNeeds::Table)
            .col(ColumnDef::new(CsrNeeds::TenantCode).text().not_null())
            .col(ColumnDef::new(CsrNeeds::Id).uuid().not_null())
            .col(ColumnDef::new(CsrNeeds::Category).text().not_null())
            .col(ColumnDef::new(CsrNeeds::Title).text().not_null())
            .col(ColumnDef::new(CsrNeeds::Description).text().not_null())
            .col(ColumnDef::new(CsrNeeds::LocationCode).text().not_null())
            .col(ColumnDef::new(CsrNeeds::Latitude).double().null())
            .col(ColumnDef::new(CsrNeeds::Longitude).double().null())
            // Whole rupiah; NULL when not estimated (never 0 for "unknown").
            .col(ColumnDef::new(CsrNeeds::EstimatedCost).big_integer().null())
            .col(ColumnDef::new(CsrNeeds::AgencyId).uuid().null())
            .col(ColumnDef::new(CsrNeeds::ProposedByPartner).uuid().null())
            .col(ColumnDef::new(CsrNeeds::PriorityProgramme).text().null())
            .col(ColumnDef::new(CsrNeeds::Status).text().not_null())
            .col(ColumnDef::new(CsrNeeds::PublishedAt).big_integer().null())
            .col(ColumnDef::new(CsrNeeds::CreatedBy).text().not_null()),
    )
    .primary_key(Index::create().col(CsrNeeds::TenantCode).col(CsrNeeds::Id))
    .to_owned();
    let photos = Table::create()
        .table(CsrNeedPhotos::Table)
        .col(ColumnDef::new(CsrNeedPhotos::TenantCode).text().not_null())
        .col(ColumnDef::new(CsrNeedPhotos::Id).uuid().not_null())
        .col(ColumnDef::new(CsrNeedPhotos::NeedId).uuid().not_null())
        .col(ColumnDef::new(CsrNeedPhotos::FileId).uuid().not_null())
        .col(ColumnDef::new(CsrNeedPhotos::ThumbFileId).uuid().null())
        .col(ColumnDef::new(CsrNeedPhotos::Caption).text().not_null())
        .col(ColumnDef::new(CsrNeedPhotos::CreatedAt).big_integer().not_null())
        .primary_key(Index::create().col(CsrNeedPhotos::TenantCode).col(CsrNeedPhotos::Id))
        .foreign_key(
            ForeignKey::create()
                .from(CsrNeedPhotos::Table, (CsrNeedPhotos::TenantCode, CsrNeedPhotos::NeedId))
                .to(CsrNeeds::Table, (CsrNeeds::TenantCode, CsrNeeds::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(CsrNeedPhotos::Table, (CsrNeedPhotos::TenantCode, CsrNeedPhotos::FileId))
                .to(Files::Table, (Files::TenantCode, Files::Id)),
        )
        .to_owned();
    let pledges = timestamps(
        Table::create()
            .table(CsrPledges::Table)
            .col(ColumnDef::new(CsrPledges::TenantCode).text().not_null())
            .col(ColumnDef::new(CsrPledges::Id).uuid().not_null())
            .col(ColumnDef::new(CsrPledges::NeedId).uuid().not_null())
            .col(ColumnDef::new(CsrPledges::PartnerId).uuid().not_null())
            // NULL: the company did not say ("tidak dilaporkan"), never 0.
            .col(ColumnDef::new(CsrPledges::Value).big_integer().null())
            .col(ColumnDef::new(CsrPledges::Form).text().not_null())
            .col(ColumnDef::new(CsrPledges::PeriodStart).text().not_null())
            .col(ColumnDef::new(CsrPledges::PeriodEnd).text().not_null())
            .col(ColumnDef::new(CsrPledges::AgreementId).uuid().null())
            .col(ColumnDef::new(CsrPledges::Note).text().null())
            .col(ColumnDef::new(CsrPledges::CreatedBy).text().not_null()),
    )
    .primary_key(Index::create().col(CsrPledges::TenantCode).col(CsrPledges::Id))
    .foreign_key(
        ForeignKey::create()
            .from(CsrPledges::Table, (CsrPledges::TenantCode, CsrPledges::NeedId))
            .to(CsrNeeds::Table, (CsrNeeds::TenantCode, CsrNeeds::Id)),
    )
    .foreign_key(
        ForeignKey::create()
            .from(CsrPledges::Table, (CsrPledges::TenantCode, CsrPledges::PartnerId))
            .to(Partners::Table, (Partners::TenantCode, Partners::Id)),
    )
    .to_owned();
    let reports = timestamps(
        Table::create()
            .table(CsrReports::Table)
            .col(ColumnDef::new(CsrReports::TenantCode).text().not_null())
            .col(ColumnDef::new(CsrReports::Id).uuid().not_null())
            .col(ColumnDef::new(CsrReports::PledgeId).uuid().not_null())
            .col(ColumnDef::new(CsrReports::WindowYear).integer().not_null())
            .col(ColumnDef::new(CsrReports::WindowIndex).small_integer().not_null())
            .col(ColumnDef::new(CsrReports::Value).big_integer().null())
            .col(ColumnDef::new(CsrReports::Description).text().not_null())
            .col(ColumnDef::new(CsrReports::LocationCode).text().null())
            .col(ColumnDef::new(CsrReports::Status).text().not_null())
            .col(ColumnDef::new(CsrReports::PublishedAt).big_integer().null())
            .col(ColumnDef::new(CsrReports::CreatedBy).text().not_null()),
    )
    .primary_key(Index::create().col(CsrReports::TenantCode).col(CsrReports::Id))
    .foreign_key(
        ForeignKey::create()
            .from(CsrReports::Table, (CsrReports::TenantCode, CsrReports::PledgeId))
            .to(CsrPledges::Table, (CsrPledges::TenantCode, CsrPledges::Id)),
    )
    .to_owned();
    let report_files = Table::create()
        .table(CsrReportFiles::Table)
        .col(ColumnDef::new(CsrReportFiles::TenantCode).text().not_null())
        .col(ColumnDef::new(CsrReportFiles::Id).uuid().not_null())
        .col(ColumnDef::new(CsrReportFiles::ReportId).uuid().not_null())
        .col(ColumnDef::new(CsrReportFiles::FileId).uuid().not_null())
        .col(ColumnDef::new(CsrReportFiles::ThumbFileId).uuid().null())
        .col(ColumnDef::new(CsrReportFiles::Kind).text().not_null())
        .col(ColumnDef::new(CsrReportFiles::CreatedAt).big_integer().not_null())
        .primary_key(Index::create().col(CsrReportFiles::TenantCode).col(CsrReportFiles::Id))
        .foreign_key(
            ForeignKey::create()
                .from(CsrReportFiles::Table, (CsrReportFiles::TenantCode, CsrReportFiles::ReportId))
                .to(CsrReports::Table, (CsrReports::TenantCode, CsrReports::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .foreign_key(
            ForeignKey::create()
                .from(CsrReportFiles::Table, (CsrReportFiles::TenantCode, CsrReportFiles::FileId))
                .to(Files::Table, (Files::TenantCode, Files::Id)),
        )
        .to_owned();
    let events = Table::create()
        .table(CsrReportEvents::Table)
        .col(ColumnDef::new(CsrReportEvents::TenantCode).text().not_null())
        .col(ColumnDef::new(CsrReportEvents::Id).uuid().not_null())
        .col(ColumnDef::new(CsrReportEvents::ReportId).uuid().not_null())
        .col(ColumnDef::new(CsrReportEvents::FromStatus).text().not_null())
        .col(ColumnDef::new(CsrReportEvents::ToStatus).text().not_null())
        .col(ColumnDef::new(CsrReportEvents::Comment).text().null())
        .col(ColumnDef::new(CsrReportEvents::ActorLabel).text().not_null())
        .col(ColumnDef::new(CsrReportEvents::At).big_integer().not_null())
        .primary_key(Index::create().col(CsrReportEvents::TenantCode).col(CsrReportEvents::Id))
        .foreign_key(
            ForeignKey::create()
                .from(CsrReportEvents::Table, (CsrReportEvents::TenantCode, CsrReportEvents::ReportId))
                .to(CsrReports::Table, (CsrReports::TenantCode, CsrReports::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    vec![
        add(Users::Table.into(), ColumnDef::new(Users::PartnerId).uuid().null()),
        // Quarterly by default, as the issue and most Perda TJSL ask.
        add(Tenants::Table.into(), ColumnDef::new(Tenants::CsrWindowMonths).integer().not_null().default(3)),
        Ddl::Table(needs),
        Ddl::Table(photos),
        Ddl::Table(pledges),
        Ddl::Table(reports),
        Ddl::Table(report_files),
        Ddl::Table(events),
        tenant_index("csr_pledges_tenant_need", CsrPledges::Table, CsrPledges::TenantCode, CsrPledges::NeedId),
        tenant_index("csr_pledges_tenant_partner", CsrPledges::Table, CsrPledges::TenantCode, CsrPledges::PartnerId),
        // One report per pledge and window: a second one is a revision of the first.
        Ddl::Index(
            Index::create()
                .name("csr_reports_one_per_window")
                .table(CsrReports::Table)
                .col(CsrReports::TenantCode)
                .col(CsrReports::PledgeId)
                .col(CsrReports::WindowYear)
                .col(CsrReports::WindowIndex)
                .unique()
                .to_owned(),
        ),
        tenant_index(
            "csr_report_files_tenant_report",
            CsrReportFiles::Table,
            CsrReportFiles::TenantCode,
            CsrReportFiles::ReportId,
        ),
        tenant_index(
            "csr_report_events_tenant_report",
            CsrReportEvents::Table,
            CsrReportEvents::TenantCode,
            CsrReportEvents::ReportId,
        ),
        tenant_index(
            "csr_need_photos_tenant_need",
            CsrNeedPhotos::Table,
            CsrNeedPhotos::TenantCode,
            CsrNeedPhotos::NeedId,
        ),
    ]
}

fn umkm() -> Vec<Ddl> {
    fn text<C: sea_query::Iden + 'static>(c: C) -> ColumnDef {
        ColumnDef::new(c).text().not_null().to_owned()
    }
    fn text_null<C: sea_query::Iden + 'static>(c: C) -> ColumnDef {
        ColumnDef::new(c).text().null().to_owned()
    }
    let sources = Table::create()
        .table(UmkmSources::Table)
        .col(text(UmkmSources::TenantCode))
        .col(text(UmkmSources::Name))
        // The column mapping last used for this source, re-applied when its headers come back.
        .col(text(UmkmSources::Mapping))
        .col(ColumnDef::new(UmkmSources::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(UmkmSources::TenantCode).col(UmkmSources::Name))
        .to_owned();
    let imports = Table::create()
        .table(UmkmImports::Table)
        .col(text(UmkmImports::TenantCode))
        .col(ColumnDef::new(UmkmImports::Id).uuid().not_null())
        .col(text(UmkmImports::Source))
        .col(ColumnDef::new(UmkmImports::FileId).uuid().not_null())
        .col(text(UmkmImports::FileName))
        .col(text(UmkmImports::Sheet))
        .col(ColumnDef::new(UmkmImports::HeaderRow).integer().not_null())
        .col(text(UmkmImports::Mapping))
        .col(text(UmkmImports::Status))
        .col(text_null(UmkmImports::Summary))
        .col(text(UmkmImports::CreatedBy))
        .col(ColumnDef::new(UmkmImports::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(UmkmImports::CommittedAt).big_integer().null())
        .primary_key(Index::create().col(UmkmImports::TenantCode).col(UmkmImports::Id))
        .foreign_key(
            ForeignKey::create()
                .from(UmkmImports::Table, (UmkmImports::TenantCode, UmkmImports::FileId))
                .to(Files::Table, (Files::TenantCode, Files::Id)),
        )
        .to_owned();
    let businesses = Table::create()
        .table(UmkmBusinesses::Table)
        .col(text(UmkmBusinesses::TenantCode))
        .col(ColumnDef::new(UmkmBusinesses::Id).uuid().not_null())
        .col(text(UmkmBusinesses::Name))
        // Lower-cased, accents and legal forms dropped: what search and sorting read.
        .col(text(UmkmBusinesses::NameKey))
        .col(text_null(UmkmBusinesses::LegalForm))
        .col(text_null(UmkmBusinesses::OwnerName))
        // NIK and NPWP sealed with the data key; the index is a keyed hash for equality lookups;
        // the masked form is what lists show.
        .col(text_null(UmkmBusinesses::NikSealed))
        .col(text_null(UmkmBusinesses::NikIndex))
        .col(text_null(UmkmBusinesses::NikMasked))
        .col(text_null(UmkmBusinesses::Sex))
        .col(ColumnDef::new(UmkmBusinesses::BirthYear).integer().null())
        .col(text_null(UmkmBusinesses::Nib))
        .col(text_null(UmkmBusinesses::NpwpSealed))
        .col(text_null(UmkmBusinesses::NpwpMasked))
        .col(text_null(UmkmBusinesses::Kbli))
        .col(text_null(UmkmBusinesses::Address))
        .col(text_null(UmkmBusinesses::DesaCode))
        .col(text_null(UmkmBusinesses::KecamatanCode))
        .col(text_null(UmkmBusinesses::Phone))
        .col(text_null(UmkmBusinesses::Email))
        .col(text_null(UmkmBusinesses::Products))
        .col(ColumnDef::new(UmkmBusinesses::Employees).integer().null())
        // The latest year's figures, copied here so that lists filter without a join.
        .col(ColumnDef::new(UmkmBusinesses::LatestYear).integer().null())
        .col(ColumnDef::new(UmkmBusinesses::Capital).big_integer().null())
        .col(ColumnDef::new(UmkmBusinesses::Sales).big_integer().null())
        .col(text_null(UmkmBusinesses::ClassCapital))
        .col(text_null(UmkmBusinesses::ClassSales))
        .col(text(UmkmBusinesses::Status))
        .col(ColumnDef::new(UmkmBusinesses::MergedInto).uuid().null())
        .col(ColumnDef::new(UmkmBusinesses::ClaimedBy).uuid().null())
        .col(ColumnDef::new(UmkmBusinesses::OwnerEditedAt).big_integer().null())
        .col(ColumnDef::new(UmkmBusinesses::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(UmkmBusinesses::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(UmkmBusinesses::TenantCode).col(UmkmBusinesses::Id))
        .to_owned();
    fn child<C: sea_query::Iden + 'static>(table: TableRef, tenant: C, business: C) -> ForeignKeyCreateStatement {
        ForeignKey::create()
            .from(table, (tenant, business))
            .to(UmkmBusinesses::Table, (UmkmBusinesses::TenantCode, UmkmBusinesses::Id))
            .to_owned()
    }
    let kbli = Table::create()
        .table(UmkmBusinessKbli::Table)
        .col(text(UmkmBusinessKbli::TenantCode))
        .col(ColumnDef::new(UmkmBusinessKbli::BusinessId).uuid().not_null())
        .col(text(UmkmBusinessKbli::Code))
        // Every level of the code, so that a filter on any level is an equality.
        .col(text(UmkmBusinessKbli::Section))
        .col(text(UmkmBusinessKbli::K2))
        .col(text(UmkmBusinessKbli::K3))
        .col(text(UmkmBusinessKbli::K4))
        .primary_key(
            Index::create()
                .col(UmkmBusinessKbli::TenantCode)
                .col(UmkmBusinessKbli::BusinessId)
                .col(UmkmBusinessKbli::Code),
        )
        .foreign_key(&mut child(
            UmkmBusinessKbli::Table.into(),
            UmkmBusinessKbli::TenantCode,
            UmkmBusinessKbli::BusinessId,
        ))
        .to_owned();
    let years = Table::create()
        .table(UmkmYears::Table)
        .col(text(UmkmYears::TenantCode))
        .col(ColumnDef::new(UmkmYears::BusinessId).uuid().not_null())
        .col(ColumnDef::new(UmkmYears::Year).integer().not_null())
        .col(ColumnDef::new(UmkmYears::Capital).big_integer().null())
        .col(ColumnDef::new(UmkmYears::Sales).big_integer().null())
        .col(ColumnDef::new(UmkmYears::Employees).integer().null())
        .col(text_null(UmkmYears::ClassCapital))
        .col(text_null(UmkmYears::ClassSales))
        .col(ColumnDef::new(UmkmYears::RecordId).uuid().null())
        .primary_key(Index::create().col(UmkmYears::TenantCode).col(UmkmYears::BusinessId).col(UmkmYears::Year))
        .foreign_key(&mut child(UmkmYears::Table.into(), UmkmYears::TenantCode, UmkmYears::BusinessId))
        .to_owned();
    let permits = Table::create()
        .table(UmkmPermits::Table)
        .col(text(UmkmPermits::TenantCode))
        .col(ColumnDef::new(UmkmPermits::Id).uuid().not_null())
        .col(ColumnDef::new(UmkmPermits::BusinessId).uuid().not_null())
        .col(text(UmkmPermits::Kind))
        .col(text(UmkmPermits::Number))
        .col(text_null(UmkmPermits::Issued))
        .col(text_null(UmkmPermits::Expires))
        .col(ColumnDef::new(UmkmPermits::RecordId).uuid().null())
        .col(ColumnDef::new(UmkmPermits::RemindedAt).big_integer().null())
        .col(ColumnDef::new(UmkmPermits::CreatedAt).big_integer().not_null())
        .primary_key(Index::create().col(UmkmPermits::TenantCode).col(UmkmPermits::Id))
        .foreign_key(&mut child(UmkmPermits::Table.into(), UmkmPermits::TenantCode, UmkmPermits::BusinessId))
        .to_owned();
    let tags = Table::create()
        .table(UmkmTags::Table)
        .col(text(UmkmTags::TenantCode))
        .col(ColumnDef::new(UmkmTags::BusinessId).uuid().not_null())
        // "tag" or "membership" (a cooperative such as Koperasi Merah Putih).
        .col(text(UmkmTags::Kind))
        .col(text(UmkmTags::Value))
        .primary_key(
            Index::create()
                .col(UmkmTags::TenantCode)
                .col(UmkmTags::BusinessId)
                .col(UmkmTags::Kind)
                .col(UmkmTags::Value),
        )
        .foreign_key(&mut child(UmkmTags::Table.into(), UmkmTags::TenantCode, UmkmTags::BusinessId))
        .to_owned();
    let records = Table::create()
        .table(UmkmRecords::Table)
        .col(text(UmkmRecords::TenantCode))
        .col(ColumnDef::new(UmkmRecords::Id).uuid().not_null())
        .col(ColumnDef::new(UmkmRecords::BusinessId).uuid().not_null())
        .col(ColumnDef::new(UmkmRecords::ImportId).uuid().null())
        // Provenance: the source's name, and for imports the file, sheet and Excel row.
        .col(text(UmkmRecords::Source))
        .col(text_null(UmkmRecords::FileName))
        .col(text_null(UmkmRecords::Sheet))
        .col(ColumnDef::new(UmkmRecords::RowNumber).integer().null())
        .col(text(UmkmRecords::Origin))
        // The row as written (identity numbers masked) and everything parsed from it, as JSON.
        .col(text(UmkmRecords::Raw))
        .col(text(UmkmRecords::Fields))
        .col(text(UmkmRecords::BusinessName))
        .col(text_null(UmkmRecords::OwnerName))
        .col(text_null(UmkmRecords::NikSealed))
        .col(text_null(UmkmRecords::NikIndex))
        .col(text_null(UmkmRecords::Nib))
        .col(text_null(UmkmRecords::Phone))
        .col(text_null(UmkmRecords::DesaCode))
        .col(text_null(UmkmRecords::KecamatanCode))
        .col(text_null(UmkmRecords::Kbli))
        .col(text_null(UmkmRecords::Address))
        .col(ColumnDef::new(UmkmRecords::Year).integer().not_null())
        // How it joined its business: auto, review, officer, new, owner.
        .col(text(UmkmRecords::Link))
        .col(ColumnDef::new(UmkmRecords::Weight).double().null())
        .col(text_null(UmkmRecords::Explanation))
        .col(text(UmkmRecords::CreatedBy))
        .col(ColumnDef::new(UmkmRecords::CreatedAt).big_integer().not_null())
        .primary_key(Index::create().col(UmkmRecords::TenantCode).col(UmkmRecords::Id))
        .foreign_key(&mut child(UmkmRecords::Table.into(), UmkmRecords::TenantCode, UmkmRecords::BusinessId))
        .to_owned();
    let field_sources = Table::create()
        .table(UmkmFieldSources::Table)
        .col(text(UmkmFieldSources::TenantCode))
        .col(ColumnDef::new(UmkmFieldSources::BusinessId).uuid().not_null())
        .col(text(UmkmFieldSources::Field))
        .col(ColumnDef::new(UmkmFieldSources::RecordId).uuid().not_null())
        .primary_key(
            Index::create()
                .col(UmkmFieldSources::TenantCode)
                .col(UmkmFieldSources::BusinessId)
                .col(UmkmFieldSources::Field),
        )
        .to_owned();
    let reviews = Table::create()
        .table(UmkmReviews::Table)
        .col(text(UmkmReviews::TenantCode))
        .col(ColumnDef::new(UmkmReviews::Id).uuid().not_null())
        .col(ColumnDef::new(UmkmReviews::RecordId).uuid().not_null())
        // The business the unsure record was given, and the one it may be a duplicate of.
        .col(ColumnDef::new(UmkmReviews::BusinessId).uuid().not_null())
        .col(ColumnDef::new(UmkmReviews::CandidateId).uuid().not_null())
        .col(ColumnDef::new(UmkmReviews::Weight).double().not_null())
        .col(ColumnDef::new(UmkmReviews::Probability).double().not_null())
        .col(text(UmkmReviews::Explanation))
        .col(text(UmkmReviews::Status))
        .col(ColumnDef::new(UmkmReviews::ImportId).uuid().null())
        .col(text_null(UmkmReviews::DecidedBy))
        .col(ColumnDef::new(UmkmReviews::DecidedAt).big_integer().null())
        .col(ColumnDef::new(UmkmReviews::CreatedAt).big_integer().not_null())
        .primary_key(Index::create().col(UmkmReviews::TenantCode).col(UmkmReviews::Id))
        .to_owned();
    let merges = Table::create()
        .table(UmkmMerges::Table)
        .col(text(UmkmMerges::TenantCode))
        .col(ColumnDef::new(UmkmMerges::Id).uuid().not_null())
        .col(text(UmkmMerges::Kind))
        .col(ColumnDef::new(UmkmMerges::IntoBusiness).uuid().not_null())
        .col(ColumnDef::new(UmkmMerges::FromBusiness).uuid().not_null())
        // Everything needed to undo it: the surviving business before, what moved.
        .col(text(UmkmMerges::Snapshot))
        .col(text(UmkmMerges::CreatedBy))
        .col(ColumnDef::new(UmkmMerges::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(UmkmMerges::UndoneAt).big_integer().null())
        .col(text_null(UmkmMerges::UndoneBy))
        .primary_key(Index::create().col(UmkmMerges::TenantCode).col(UmkmMerges::Id))
        .to_owned();
    let models = Table::create()
        .table(UmkmModels::Table)
        .col(text(UmkmModels::TenantCode))
        .col(text(UmkmModels::Model))
        .col(ColumnDef::new(UmkmModels::TrainedAt).big_integer().not_null())
        .primary_key(Index::create().col(UmkmModels::TenantCode))
        .to_owned();
    let b =
        |name: &str, col: UmkmBusinesses| tenant_index(name, UmkmBusinesses::Table, UmkmBusinesses::TenantCode, col);
    vec![
        Ddl::Table(sources),
        Ddl::Table(imports),
        Ddl::Table(businesses),
        Ddl::Table(kbli),
        Ddl::Table(years),
        Ddl::Table(permits),
        Ddl::Table(tags),
        Ddl::Table(records),
        Ddl::Table(field_sources),
        Ddl::Table(reviews),
        Ddl::Table(merges),
        Ddl::Table(models),
        b("umkm_businesses_kecamatan", UmkmBusinesses::KecamatanCode),
        b("umkm_businesses_desa", UmkmBusinesses::DesaCode),
        b("umkm_businesses_name_key", UmkmBusinesses::NameKey),
        b("umkm_businesses_nik_index", UmkmBusinesses::NikIndex),
        b("umkm_businesses_nib", UmkmBusinesses::Nib),
        b("umkm_businesses_phone", UmkmBusinesses::Phone),
        b("umkm_businesses_claimed_by", UmkmBusinesses::ClaimedBy),
        tenant_index("umkm_kbli_k2", UmkmBusinessKbli::Table, UmkmBusinessKbli::TenantCode, UmkmBusinessKbli::K2),
        tenant_index("umkm_kbli_code", UmkmBusinessKbli::Table, UmkmBusinessKbli::TenantCode, UmkmBusinessKbli::Code),
        tenant_index("umkm_permits_business", UmkmPermits::Table, UmkmPermits::TenantCode, UmkmPermits::BusinessId),
        tenant_index("umkm_permits_expires", UmkmPermits::Table, UmkmPermits::TenantCode, UmkmPermits::Expires),
        tenant_index("umkm_records_business", UmkmRecords::Table, UmkmRecords::TenantCode, UmkmRecords::BusinessId),
        tenant_index("umkm_records_import", UmkmRecords::Table, UmkmRecords::TenantCode, UmkmRecords::ImportId),
        tenant_index("umkm_reviews_status", UmkmReviews::Table, UmkmReviews::TenantCode, UmkmReviews::Status),
        tenant_index("umkm_merges_into", UmkmMerges::Table, UmkmMerges::TenantCode, UmkmMerges::IntoBusiness),
    ]
}

/// Owners' claims on businesses, each waiting for (or carrying) an officer's decision.
fn umkm_claims() -> Vec<Ddl> {
    use UmkmClaims as C;
    let claims = Table::create()
        .table(C::Table)
        .col(ColumnDef::new(C::TenantCode).text().not_null())
        .col(ColumnDef::new(C::Id).uuid().not_null())
        .col(ColumnDef::new(C::BusinessId).uuid().not_null())
        .col(ColumnDef::new(C::UserId).uuid().not_null())
        .col(ColumnDef::new(C::Status).text().not_null())
        .col(ColumnDef::new(C::Note).text().null())
        // Whether the NIK and phone the owner typed match the registry's: the officer's
        // evidence. The typed NIK itself is not kept.
        .col(ColumnDef::new(C::NikMatches).boolean().null())
        .col(ColumnDef::new(C::PhoneMatches).boolean().null())
        .col(ColumnDef::new(C::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(C::DecidedBy).text().null())
        .col(ColumnDef::new(C::DecidedAt).big_integer().null())
        .col(ColumnDef::new(C::DecisionNote).text().null())
        .primary_key(Index::create().col(C::TenantCode).col(C::Id))
        .foreign_key(
            ForeignKey::create()
                .from(C::Table, (C::TenantCode, C::BusinessId))
                .to(UmkmBusinesses::Table, (UmkmBusinesses::TenantCode, UmkmBusinesses::Id)),
        )
        .foreign_key(ForeignKey::create().from(C::Table, C::UserId).to(Users::Table, Users::Id))
        .to_owned();
    vec![
        Ddl::Table(claims),
        tenant_index("umkm_claims_status", C::Table, C::TenantCode, C::Status),
        tenant_index("umkm_claims_user", C::Table, C::TenantCode, C::UserId),
        tenant_index("umkm_claims_business", C::Table, C::TenantCode, C::BusinessId),
    ]
}

/// UMKM programmes: programmes, their waves with quotas and sessions, and applications with
/// what selection made of them.
fn programmes() -> Vec<Ddl> {
    let text = |c: &mut ColumnDef| c.text().not_null().to_owned();
    let programmes = Table::create()
        .table(Programmes::Table)
        .col(text(&mut ColumnDef::new(Programmes::TenantCode)))
        .col(ColumnDef::new(Programmes::Id).uuid().not_null())
        .col(text(&mut ColumnDef::new(Programmes::Kind)))
        .col(text(&mut ColumnDef::new(Programmes::Title)))
        .col(ColumnDef::new(Programmes::Description).text().null())
        .col(ColumnDef::new(Programmes::AgencyId).uuid().null())
        .col(text(&mut ColumnDef::new(Programmes::Funding)))
        // The CSR pledge that funds it, and the agreement whose outcomes it feeds, if any.
        .col(ColumnDef::new(Programmes::PledgeId).uuid().null())
        .col(ColumnDef::new(Programmes::AgreementId).uuid().null())
        .col(text(&mut ColumnDef::new(Programmes::CreatedBy)))
        .col(ColumnDef::new(Programmes::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(Programmes::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(Programmes::TenantCode).col(Programmes::Id))
        .to_owned();
    let waves = Table::create()
        .table(ProgrammeWaves::Table)
        .col(text(&mut ColumnDef::new(ProgrammeWaves::TenantCode)))
        .col(ColumnDef::new(ProgrammeWaves::Id).uuid().not_null())
        .col(ColumnDef::new(ProgrammeWaves::ProgrammeId).uuid().not_null())
        .col(ColumnDef::new(ProgrammeWaves::Number).integer().not_null())
        .col(text(&mut ColumnDef::new(ProgrammeWaves::Status)))
        .col(ColumnDef::new(ProgrammeWaves::TotalQuota).integer().not_null())
        .col(ColumnDef::new(ProgrammeWaves::Redistribute).boolean().not_null().default(false))
        .col(ColumnDef::new(ProgrammeWaves::MinAttendancePercent).integer().not_null())
        // The eligibility rules as JSON (class, KBLI, NIB, recent waves, free criteria).
        .col(text(&mut ColumnDef::new(ProgrammeWaves::Eligibility)))
        .col(ColumnDef::new(ProgrammeWaves::ClosesOn).text().null())
        .col(ColumnDef::new(ProgrammeWaves::SelectedAt).big_integer().null())
        .col(ColumnDef::new(ProgrammeWaves::SelectedBy).text().null())
        .col(ColumnDef::new(ProgrammeWaves::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(ProgrammeWaves::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(ProgrammeWaves::TenantCode).col(ProgrammeWaves::Id))
        .foreign_key(
            ForeignKey::create()
                .from(ProgrammeWaves::Table, (ProgrammeWaves::TenantCode, ProgrammeWaves::ProgrammeId))
                .to(Programmes::Table, (Programmes::TenantCode, Programmes::Id)),
        )
        .to_owned();
    let quotas = Table::create()
        .table(WaveQuotas::Table)
        .col(text(&mut ColumnDef::new(WaveQuotas::TenantCode)))
        .col(ColumnDef::new(WaveQuotas::WaveId).uuid().not_null())
        .col(text(&mut ColumnDef::new(WaveQuotas::KecamatanCode)))
        .col(ColumnDef::new(WaveQuotas::Seats).integer().not_null())
        .primary_key(Index::create().col(WaveQuotas::TenantCode).col(WaveQuotas::WaveId).col(WaveQuotas::KecamatanCode))
        .foreign_key(
            ForeignKey::create()
                .from(WaveQuotas::Table, (WaveQuotas::TenantCode, WaveQuotas::WaveId))
                .to(ProgrammeWaves::Table, (ProgrammeWaves::TenantCode, ProgrammeWaves::Id))
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let sessions = Table::create()
        .table(WaveSessions::Table)
        .col(text(&mut ColumnDef::new(WaveSessions::TenantCode)))
        .col(ColumnDef::new(WaveSessions::Id).uuid().not_null())
        .col(ColumnDef::new(WaveSessions::WaveId).uuid().not_null())
        // Local date and times (WIB) as written: 2025-10-20, 08:00, 16:00.
        .col(text(&mut ColumnDef::new(WaveSessions::Day)))
        .col(ColumnDef::new(WaveSessions::Starts).text().null())
        .col(ColumnDef::new(WaveSessions::Ends).text().null())
        .col(text(&mut ColumnDef::new(WaveSessions::Venue)))
        .col(ColumnDef::new(WaveSessions::Topic).text().null())
        .primary_key(Index::create().col(WaveSessions::TenantCode).col(WaveSessions::Id))
        .foreign_key(
            ForeignKey::create()
                .from(WaveSessions::Table, (WaveSessions::TenantCode, WaveSessions::WaveId))
                .to(ProgrammeWaves::Table, (ProgrammeWaves::TenantCode, ProgrammeWaves::Id)),
        )
        .to_owned();
    let applications = Table::create()
        .table(WaveApplications::Table)
        .col(text(&mut ColumnDef::new(WaveApplications::TenantCode)))
        .col(ColumnDef::new(WaveApplications::Id).uuid().not_null())
        .col(ColumnDef::new(WaveApplications::WaveId).uuid().not_null())
        .col(ColumnDef::new(WaveApplications::BusinessId).uuid().not_null())
        .col(ColumnDef::new(WaveApplications::Number).integer().not_null())
        // officer, import or owner.
        .col(text(&mut ColumnDef::new(WaveApplications::Channel)))
        .col(ColumnDef::new(WaveApplications::AppliedAt).big_integer().not_null())
        .col(text(&mut ColumnDef::new(WaveApplications::CriteriaMet)))
        // What the last selection decided (selected, waitlisted, ineligible), its rank and
        // position, and the reasons as JSON; an officer's override with its reason.
        .col(ColumnDef::new(WaveApplications::Outcome).text().null())
        .col(ColumnDef::new(WaveApplications::Rank).integer().null())
        .col(ColumnDef::new(WaveApplications::Position).integer().null())
        .col(ColumnDef::new(WaveApplications::Reasons).text().null())
        .col(ColumnDef::new(WaveApplications::OverrideOutcome).text().null())
        .col(ColumnDef::new(WaveApplications::OverrideReason).text().null())
        .col(ColumnDef::new(WaveApplications::OverrideBy).text().null())
        .col(text(&mut ColumnDef::new(WaveApplications::InvitationCode)))
        .col(ColumnDef::new(WaveApplications::NotifiedAt).big_integer().null())
        .col(ColumnDef::new(WaveApplications::Withdrawn).boolean().not_null().default(false))
        .col(text(&mut ColumnDef::new(WaveApplications::CreatedBy)))
        .primary_key(Index::create().col(WaveApplications::TenantCode).col(WaveApplications::Id))
        .foreign_key(
            ForeignKey::create()
                .from(WaveApplications::Table, (WaveApplications::TenantCode, WaveApplications::WaveId))
                .to(ProgrammeWaves::Table, (ProgrammeWaves::TenantCode, ProgrammeWaves::Id)),
        )
        .foreign_key(
            ForeignKey::create()
                .from(WaveApplications::Table, (WaveApplications::TenantCode, WaveApplications::BusinessId))
                .to(UmkmBusinesses::Table, (UmkmBusinesses::TenantCode, UmkmBusinesses::Id)),
        )
        .to_owned();
    let attendance = Table::create()
        .table(SessionAttendance::Table)
        .col(text(&mut ColumnDef::new(SessionAttendance::TenantCode)))
        .col(ColumnDef::new(SessionAttendance::SessionId).uuid().not_null())
        .col(ColumnDef::new(SessionAttendance::ApplicationId).uuid().not_null())
        .col(ColumnDef::new(SessionAttendance::CheckedInAt).big_integer().not_null())
        .col(text(&mut ColumnDef::new(SessionAttendance::CheckedInBy)))
        .primary_key(
            Index::create()
                .col(SessionAttendance::TenantCode)
                .col(SessionAttendance::SessionId)
                .col(SessionAttendance::ApplicationId),
        )
        .foreign_key(
            ForeignKey::create()
                .from(SessionAttendance::Table, (SessionAttendance::TenantCode, SessionAttendance::SessionId))
                .to(WaveSessions::Table, (WaveSessions::TenantCode, WaveSessions::Id)),
        )
        .foreign_key(
            ForeignKey::create()
                .from(SessionAttendance::Table, (SessionAttendance::TenantCode, SessionAttendance::ApplicationId))
                .to(WaveApplications::Table, (WaveApplications::TenantCode, WaveApplications::Id)),
        )
        .to_owned();
    let certificates = Table::create()
        .table(ProgrammeCertificates::Table)
        .col(text(&mut ColumnDef::new(ProgrammeCertificates::TenantCode)))
        .col(ColumnDef::new(ProgrammeCertificates::Id).uuid().not_null())
        .col(ColumnDef::new(ProgrammeCertificates::ApplicationId).uuid().not_null())
        // Printed on the certificate and typed on the public verification page: unique across
        // every Pemda, since the page does not know whose it is.
        .col(text(&mut ColumnDef::new(ProgrammeCertificates::Code)))
        .col(ColumnDef::new(ProgrammeCertificates::IssuedAt).big_integer().not_null())
        .col(text(&mut ColumnDef::new(ProgrammeCertificates::IssuedBy)))
        .primary_key(Index::create().col(ProgrammeCertificates::TenantCode).col(ProgrammeCertificates::Id))
        .foreign_key(
            ForeignKey::create()
                .from(
                    ProgrammeCertificates::Table,
                    (ProgrammeCertificates::TenantCode, ProgrammeCertificates::ApplicationId),
                )
                .to(WaveApplications::Table, (WaveApplications::TenantCode, WaveApplications::Id)),
        )
        .to_owned();
    let follow_ups = Table::create()
        .table(FollowUps::Table)
        .col(text(&mut ColumnDef::new(FollowUps::TenantCode)))
        .col(ColumnDef::new(FollowUps::Id).uuid().not_null())
        .col(ColumnDef::new(FollowUps::ApplicationId).uuid().not_null())
        .col(ColumnDef::new(FollowUps::Months).integer().not_null())
        .col(ColumnDef::new(FollowUps::Sales).big_integer().null())
        .col(ColumnDef::new(FollowUps::Employees).integer().null())
        // Permits obtained and channels entered since the training, as JSON lists.
        .col(text(&mut ColumnDef::new(FollowUps::PermitsObtained)))
        .col(text(&mut ColumnDef::new(FollowUps::NewChannels)))
        .col(ColumnDef::new(FollowUps::Note).text().null())
        .col(ColumnDef::new(FollowUps::ByOwner).boolean().not_null().default(false))
        .col(text(&mut ColumnDef::new(FollowUps::FilledBy)))
        .col(ColumnDef::new(FollowUps::FilledAt).big_integer().not_null())
        .primary_key(Index::create().col(FollowUps::TenantCode).col(FollowUps::Id))
        .foreign_key(
            ForeignKey::create()
                .from(FollowUps::Table, (FollowUps::TenantCode, FollowUps::ApplicationId))
                .to(WaveApplications::Table, (WaveApplications::TenantCode, WaveApplications::Id)),
        )
        .to_owned();
    vec![
        Ddl::Table(programmes),
        Ddl::Table(waves),
        Ddl::Table(quotas),
        Ddl::Table(sessions),
        Ddl::Table(applications),
        Ddl::Table(attendance),
        Ddl::Table(certificates),
        Ddl::Table(follow_ups),
        Ddl::Index(
            Index::create()
                .name("programme_certificates_code")
                .table(ProgrammeCertificates::Table)
                .col(ProgrammeCertificates::Code)
                .unique()
                .to_owned(),
        ),
        Ddl::Index(
            Index::create()
                .name("programme_certificates_application")
                .table(ProgrammeCertificates::Table)
                .col(ProgrammeCertificates::TenantCode)
                .col(ProgrammeCertificates::ApplicationId)
                .unique()
                .to_owned(),
        ),
        Ddl::Index(
            Index::create()
                .name("follow_ups_application_months")
                .table(FollowUps::Table)
                .col(FollowUps::TenantCode)
                .col(FollowUps::ApplicationId)
                .col(FollowUps::Months)
                .unique()
                .to_owned(),
        ),
        Ddl::Index(
            Index::create()
                .name("programme_waves_number")
                .table(ProgrammeWaves::Table)
                .col(ProgrammeWaves::TenantCode)
                .col(ProgrammeWaves::ProgrammeId)
                .col(ProgrammeWaves::Number)
                .unique()
                .to_owned(),
        ),
        Ddl::Index(
            Index::create()
                .name("wave_applications_business")
                .table(WaveApplications::Table)
                .col(WaveApplications::TenantCode)
                .col(WaveApplications::WaveId)
                .col(WaveApplications::BusinessId)
                .unique()
                .to_owned(),
        ),
        Ddl::Index(
            Index::create()
                .name("wave_applications_invitation")
                .table(WaveApplications::Table)
                .col(WaveApplications::TenantCode)
                .col(WaveApplications::InvitationCode)
                .unique()
                .to_owned(),
        ),
        tenant_index("wave_sessions_wave", WaveSessions::Table, WaveSessions::TenantCode, WaveSessions::WaveId),
        tenant_index(
            "wave_applications_business_id",
            WaveApplications::Table,
            WaveApplications::TenantCode,
            WaveApplications::BusinessId,
        ),
    ]
}

// Catalogue (issue 6, part 5) ------------------------------------------------------------------

/// The curated catalogue: products of registry businesses, their photos, every curation
/// decision with its checklist, and the galleries that display curated products.
fn catalogue() -> Vec<Ddl> {
    use CatalogueProducts as P;
    let text = |c: &mut ColumnDef| c.text().not_null().to_owned();
    let products = Table::create()
        .table(P::Table)
        .col(text(&mut ColumnDef::new(P::TenantCode)))
        .col(ColumnDef::new(P::Id).uuid().not_null())
        .col(ColumnDef::new(P::BusinessId).uuid().not_null())
        .col(text(&mut ColumnDef::new(P::Name)))
        // The name and description folded for search (lower case, words only).
        .col(text(&mut ColumnDef::new(P::SearchKey)))
        .col(text(&mut ColumnDef::new(P::Category)))
        .col(ColumnDef::new(P::Description).text().null())
        // Whole rupiah per unit.
        .col(ColumnDef::new(P::Price).big_integer().null())
        .col(text(&mut ColumnDef::new(P::Unit)))
        .col(ColumnDef::new(P::CapacityPerMonth).big_integer().null())
        .col(ColumnDef::new(P::Packaging).text().null())
        .col(ColumnDef::new(P::Composition).text().null())
        .col(ColumnDef::new(P::Expiry).text().null())
        .col(ColumnDef::new(P::ProducerAddress).text().null())
        .col(ColumnDef::new(P::ClaimsHalal).boolean().not_null().default(false))
        // The owner (or the officer for them) agreed to show the business phone publicly.
        .col(ColumnDef::new(P::ShowContact).boolean().not_null().default(false))
        // The officer's judgement of the photos, part of the checklist.
        .col(ColumnDef::new(P::PhotoOk).boolean().not_null().default(false))
        .col(text(&mut ColumnDef::new(P::Status)))
        .col(ColumnDef::new(P::Notes).text().null())
        .col(ColumnDef::new(P::CuratedAt).big_integer().null())
        .col(ColumnDef::new(P::CuratedBy).text().null())
        .col(text(&mut ColumnDef::new(P::CreatedBy)))
        .col(ColumnDef::new(P::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(P::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(P::TenantCode).col(P::Id))
        .foreign_key(
            ForeignKey::create()
                .from(P::Table, (P::TenantCode, P::BusinessId))
                .to(UmkmBusinesses::Table, (UmkmBusinesses::TenantCode, UmkmBusinesses::Id)),
        )
        .to_owned();
    let photos = Table::create()
        .table(CataloguePhotos::Table)
        .col(text(&mut ColumnDef::new(CataloguePhotos::TenantCode)))
        .col(ColumnDef::new(CataloguePhotos::Id).uuid().not_null())
        .col(ColumnDef::new(CataloguePhotos::ProductId).uuid().not_null())
        .col(ColumnDef::new(CataloguePhotos::FileId).uuid().not_null())
        .col(ColumnDef::new(CataloguePhotos::ThumbFileId).uuid().null())
        .col(ColumnDef::new(CataloguePhotos::CreatedAt).big_integer().not_null())
        .primary_key(Index::create().col(CataloguePhotos::TenantCode).col(CataloguePhotos::Id))
        .foreign_key(
            ForeignKey::create()
                .from(CataloguePhotos::Table, (CataloguePhotos::TenantCode, CataloguePhotos::ProductId))
                .to(P::Table, (P::TenantCode, P::Id)),
        )
        .to_owned();
    let curations = Table::create()
        .table(CatalogueCurations::Table)
        .col(text(&mut ColumnDef::new(CatalogueCurations::TenantCode)))
        .col(ColumnDef::new(CatalogueCurations::Id).uuid().not_null())
        .col(ColumnDef::new(CatalogueCurations::ProductId).uuid().not_null())
        .col(text(&mut ColumnDef::new(CatalogueCurations::Decision)))
        // The checklist as evaluated at the decision, as JSON: what the officer saw.
        .col(text(&mut ColumnDef::new(CatalogueCurations::Checklist)))
        .col(ColumnDef::new(CatalogueCurations::Notes).text().null())
        .col(text(&mut ColumnDef::new(CatalogueCurations::DecidedBy)))
        .col(ColumnDef::new(CatalogueCurations::DecidedAt).big_integer().not_null())
        .primary_key(Index::create().col(CatalogueCurations::TenantCode).col(CatalogueCurations::Id))
        .foreign_key(
            ForeignKey::create()
                .from(CatalogueCurations::Table, (CatalogueCurations::TenantCode, CatalogueCurations::ProductId))
                .to(P::Table, (P::TenantCode, P::Id)),
        )
        .to_owned();
    let galleries = Table::create()
        .table(CatalogueGalleries::Table)
        .col(text(&mut ColumnDef::new(CatalogueGalleries::TenantCode)))
        .col(ColumnDef::new(CatalogueGalleries::Id).uuid().not_null())
        .col(text(&mut ColumnDef::new(CatalogueGalleries::Name)))
        .col(text(&mut ColumnDef::new(CatalogueGalleries::Address)))
        // The desa or kecamatan it stands in.
        .col(ColumnDef::new(CatalogueGalleries::RegionCode).text().null())
        .col(ColumnDef::new(CatalogueGalleries::Latitude).double().null())
        .col(ColumnDef::new(CatalogueGalleries::Longitude).double().null())
        .col(ColumnDef::new(CatalogueGalleries::OpeningHours).text().null())
        .col(ColumnDef::new(CatalogueGalleries::Contact).text().null())
        .col(ColumnDef::new(CatalogueGalleries::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(CatalogueGalleries::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(CatalogueGalleries::TenantCode).col(CatalogueGalleries::Id))
        .to_owned();
    let shown = Table::create()
        .table(CatalogueGalleryProducts::Table)
        .col(text(&mut ColumnDef::new(CatalogueGalleryProducts::TenantCode)))
        .col(ColumnDef::new(CatalogueGalleryProducts::GalleryId).uuid().not_null())
        .col(ColumnDef::new(CatalogueGalleryProducts::ProductId).uuid().not_null())
        .col(ColumnDef::new(CatalogueGalleryProducts::AddedAt).big_integer().not_null())
        .primary_key(
            Index::create()
                .col(CatalogueGalleryProducts::TenantCode)
                .col(CatalogueGalleryProducts::GalleryId)
                .col(CatalogueGalleryProducts::ProductId),
        )
        .foreign_key(
            ForeignKey::create()
                .from(
                    CatalogueGalleryProducts::Table,
                    (CatalogueGalleryProducts::TenantCode, CatalogueGalleryProducts::GalleryId),
                )
                .to(CatalogueGalleries::Table, (CatalogueGalleries::TenantCode, CatalogueGalleries::Id)),
        )
        .foreign_key(
            ForeignKey::create()
                .from(
                    CatalogueGalleryProducts::Table,
                    (CatalogueGalleryProducts::TenantCode, CatalogueGalleryProducts::ProductId),
                )
                .to(P::Table, (P::TenantCode, P::Id)),
        )
        .to_owned();
    vec![
        Ddl::Table(products),
        Ddl::Table(photos),
        Ddl::Table(curations),
        Ddl::Table(galleries),
        Ddl::Table(shown),
        tenant_index("catalogue_products_business", P::Table, P::TenantCode, P::BusinessId),
        tenant_index("catalogue_products_status", P::Table, P::TenantCode, P::Status),
        // The public index asks "did anything change since I was built?" on every request.
        tenant_index("catalogue_products_updated", P::Table, P::TenantCode, P::UpdatedAt),
        tenant_index(
            "catalogue_photos_product",
            CataloguePhotos::Table,
            CataloguePhotos::TenantCode,
            CataloguePhotos::ProductId,
        ),
        tenant_index(
            "catalogue_curations_product",
            CatalogueCurations::Table,
            CatalogueCurations::TenantCode,
            CatalogueCurations::ProductId,
        ),
        tenant_index(
            "catalogue_gallery_products_product",
            CatalogueGalleryProducts::Table,
            CatalogueGalleryProducts::TenantCode,
            CatalogueGalleryProducts::ProductId,
        ),
    ]
}

/// An index on a tenant's rows by one column: how every list of children is read.
fn tenant_index<T: sea_query::Iden + Copy + 'static>(name: &str, table: T, tenant: T, col: T) -> Ddl {
    Ddl::Index(Index::create().name(name).table(table).col(tenant).col(col).to_owned())
}

/// An applicants' list is imported through the registry's importer: the upload remembers the
/// wave it fills, so that committing it writes the records and the applications together.
fn programme_imports() -> Vec<Ddl> {
    vec![Ddl::Alter(
        Table::alter()
            .table(UmkmImports::Table)
            .add_column(ColumnDef::new(UmkmImports::WaveId).uuid().null())
            .to_owned(),
    )]
}

// --- Markets (migration 17): channel pipelines and financing referrals.
fn channels() -> Vec<Ddl> {
    let text = |c: &mut ColumnDef| c.text().not_null().to_owned();
    let channels = Table::create()
        .table(MarketChannels::Table)
        .col(text(&mut ColumnDef::new(MarketChannels::TenantCode)))
        .col(ColumnDef::new(MarketChannels::Id).uuid().not_null())
        .col(text(&mut ColumnDef::new(MarketChannels::Kind)))
        .col(text(&mut ColumnDef::new(MarketChannels::Name)))
        // The partner from the registry (a retailer, a cooperative, LKPP); none for an SPPG
        // kitchen, which is described by its place, portions and contact instead.
        .col(ColumnDef::new(MarketChannels::PartnerId).uuid().null())
        .col(ColumnDef::new(MarketChannels::DesaCode).text().null())
        .col(ColumnDef::new(MarketChannels::KecamatanCode).text().null())
        .col(ColumnDef::new(MarketChannels::DailyPortions).integer().null())
        .col(ColumnDef::new(MarketChannels::Contact).text().null())
        // The checklist as a JSON list of requirement slugs.
        .col(text(&mut ColumnDef::new(MarketChannels::Requirements)))
        .col(ColumnDef::new(MarketChannels::Active).boolean().not_null().default(true))
        .col(text(&mut ColumnDef::new(MarketChannels::CreatedBy)))
        .col(ColumnDef::new(MarketChannels::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(MarketChannels::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(MarketChannels::TenantCode).col(MarketChannels::Id))
        .foreign_key(
            ForeignKey::create()
                .from(MarketChannels::Table, (MarketChannels::TenantCode, MarketChannels::PartnerId))
                .to(Partners::Table, (Partners::TenantCode, Partners::Id)),
        )
        .to_owned();
    let entries = Table::create()
        .table(ChannelEntries::Table)
        .col(text(&mut ColumnDef::new(ChannelEntries::TenantCode)))
        .col(ColumnDef::new(ChannelEntries::Id).uuid().not_null())
        .col(ColumnDef::new(ChannelEntries::ChannelId).uuid().not_null())
        .col(ColumnDef::new(ChannelEntries::BusinessId).uuid().not_null())
        .col(text(&mut ColumnDef::new(ChannelEntries::Stage)))
        // Officer-ticked requirements (label, barcode, capacity) as a JSON list of slugs.
        .col(text(&mut ColumnDef::new(ChannelEntries::Ticked)))
        // The local date (YYYY-MM-DD) each stage was reached, as the officer recorded it.
        .col(text(&mut ColumnDef::new(ChannelEntries::SubmittedOn)))
        .col(ColumnDef::new(ChannelEntries::RequirementsMetOn).text().null())
        .col(ColumnDef::new(ChannelEntries::AcceptedOn).text().null())
        .col(ColumnDef::new(ChannelEntries::SupplyingOn).text().null())
        .col(ColumnDef::new(ChannelEntries::ClosedOn).text().null())
        // For a supplying entry of an MBG kitchen: what it supplies a month, whole rupiah.
        .col(ColumnDef::new(ChannelEntries::MonthlySupply).big_integer().null())
        .col(ColumnDef::new(ChannelEntries::Note).text().null())
        .col(text(&mut ColumnDef::new(ChannelEntries::CreatedBy)))
        .col(ColumnDef::new(ChannelEntries::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(ChannelEntries::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(ChannelEntries::TenantCode).col(ChannelEntries::Id))
        .foreign_key(
            ForeignKey::create()
                .from(ChannelEntries::Table, (ChannelEntries::TenantCode, ChannelEntries::ChannelId))
                .to(MarketChannels::Table, (MarketChannels::TenantCode, MarketChannels::Id)),
        )
        .foreign_key(
            ForeignKey::create()
                .from(ChannelEntries::Table, (ChannelEntries::TenantCode, ChannelEntries::BusinessId))
                .to(UmkmBusinesses::Table, (UmkmBusinesses::TenantCode, UmkmBusinesses::Id)),
        )
        .to_owned();
    let schemes = Table::create()
        .table(FinancingSchemes::Table)
        .col(text(&mut ColumnDef::new(FinancingSchemes::TenantCode)))
        // A Pemda's own version of a scheme: the defaults (KUR super mikro, mikro, kecil) are
        // read from the domain until a Pemda edits one, which writes its row here.
        .col(text(&mut ColumnDef::new(FinancingSchemes::Code)))
        .col(text(&mut ColumnDef::new(FinancingSchemes::Name)))
        .col(ColumnDef::new(FinancingSchemes::PartnerId).uuid().null())
        .col(ColumnDef::new(FinancingSchemes::Ceiling).big_integer().not_null())
        .col(ColumnDef::new(FinancingSchemes::Active).boolean().not_null().default(true))
        .col(text(&mut ColumnDef::new(FinancingSchemes::UpdatedBy)))
        .col(ColumnDef::new(FinancingSchemes::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(FinancingSchemes::TenantCode).col(FinancingSchemes::Code))
        .foreign_key(
            ForeignKey::create()
                .from(FinancingSchemes::Table, (FinancingSchemes::TenantCode, FinancingSchemes::PartnerId))
                .to(Partners::Table, (Partners::TenantCode, Partners::Id)),
        )
        .to_owned();
    let referrals = Table::create()
        .table(FinancingReferrals::Table)
        .col(text(&mut ColumnDef::new(FinancingReferrals::TenantCode)))
        .col(ColumnDef::new(FinancingReferrals::Id).uuid().not_null())
        .col(ColumnDef::new(FinancingReferrals::BusinessId).uuid().not_null())
        .col(ColumnDef::new(FinancingReferrals::PartnerId).uuid().not_null())
        // The scheme as it stood when the business was referred: a later edit of the ceiling
        // does not change what was asked under the old one.
        .col(text(&mut ColumnDef::new(FinancingReferrals::SchemeCode)))
        .col(text(&mut ColumnDef::new(FinancingReferrals::SchemeName)))
        .col(ColumnDef::new(FinancingReferrals::Ceiling).big_integer().not_null())
        .col(ColumnDef::new(FinancingReferrals::AmountAsked).big_integer().not_null())
        .col(text(&mut ColumnDef::new(FinancingReferrals::Purpose)))
        .col(text(&mut ColumnDef::new(FinancingReferrals::Status)))
        .col(ColumnDef::new(FinancingReferrals::AmountApproved).big_integer().null())
        .col(ColumnDef::new(FinancingReferrals::AmountDisbursed).big_integer().null())
        .col(ColumnDef::new(FinancingReferrals::DeclineReason).text().null())
        .col(text(&mut ColumnDef::new(FinancingReferrals::ReferredOn)))
        .col(text(&mut ColumnDef::new(FinancingReferrals::CreatedBy)))
        .col(ColumnDef::new(FinancingReferrals::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(FinancingReferrals::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(FinancingReferrals::TenantCode).col(FinancingReferrals::Id))
        .foreign_key(
            ForeignKey::create()
                .from(FinancingReferrals::Table, (FinancingReferrals::TenantCode, FinancingReferrals::BusinessId))
                .to(UmkmBusinesses::Table, (UmkmBusinesses::TenantCode, UmkmBusinesses::Id)),
        )
        .foreign_key(
            ForeignKey::create()
                .from(FinancingReferrals::Table, (FinancingReferrals::TenantCode, FinancingReferrals::PartnerId))
                .to(Partners::Table, (Partners::TenantCode, Partners::Id)),
        )
        .to_owned();
    let events = Table::create()
        .table(ReferralEvents::Table)
        .col(text(&mut ColumnDef::new(ReferralEvents::TenantCode)))
        .col(ColumnDef::new(ReferralEvents::Id).uuid().not_null())
        .col(ColumnDef::new(ReferralEvents::ReferralId).uuid().not_null())
        .col(ColumnDef::new(ReferralEvents::FromStatus).text().null())
        .col(text(&mut ColumnDef::new(ReferralEvents::ToStatus)))
        .col(text(&mut ColumnDef::new(ReferralEvents::OnDate)))
        .col(ColumnDef::new(ReferralEvents::At).big_integer().not_null())
        .col(text(&mut ColumnDef::new(ReferralEvents::By)))
        .col(ColumnDef::new(ReferralEvents::Note).text().null())
        .primary_key(Index::create().col(ReferralEvents::TenantCode).col(ReferralEvents::Id))
        .foreign_key(
            ForeignKey::create()
                .from(ReferralEvents::Table, (ReferralEvents::TenantCode, ReferralEvents::ReferralId))
                .to(FinancingReferrals::Table, (FinancingReferrals::TenantCode, FinancingReferrals::Id)),
        )
        .to_owned();
    vec![
        Ddl::Table(channels),
        Ddl::Table(entries),
        Ddl::Table(schemes),
        Ddl::Table(referrals),
        Ddl::Table(events),
        Ddl::Index(
            Index::create()
                .name("channel_entries_channel_business")
                .table(ChannelEntries::Table)
                .col(ChannelEntries::TenantCode)
                .col(ChannelEntries::ChannelId)
                .col(ChannelEntries::BusinessId)
                .unique()
                .to_owned(),
        ),
        tenant_index(
            "channel_entries_business",
            ChannelEntries::Table,
            ChannelEntries::TenantCode,
            ChannelEntries::BusinessId,
        ),
        tenant_index(
            "financing_referrals_partner",
            FinancingReferrals::Table,
            FinancingReferrals::TenantCode,
            FinancingReferrals::PartnerId,
        ),
        tenant_index(
            "referral_events_referral",
            ReferralEvents::Table,
            ReferralEvents::TenantCode,
            ReferralEvents::ReferralId,
        ),
    ]
}

// --- Issue 7: the Labkesda (migration 19): catalogue, orders, samples, results, certificates.
fn labkesda() -> Vec<Ddl> {
    let text = |c: &mut ColumnDef| c.text().not_null().to_owned();
    let settings = Table::create()
        .table(LabSettings::Table)
        .col(ColumnDef::new(LabSettings::TenantCode).text().not_null().primary_key())
        // The agreement the laboratory's service to the partner Pemda's industries carries out:
        // a payment by a customer from a party's region counts as that agreement's PAD.
        .col(ColumnDef::new(LabSettings::AgreementId).uuid().null())
        .col(ColumnDef::new(LabSettings::UpdatedAt).big_integer().not_null())
        .to_owned();
    let parameters = Table::create()
        .table(LabParameters::Table)
        .col(text(&mut ColumnDef::new(LabParameters::TenantCode)))
        .col(ColumnDef::new(LabParameters::Id).uuid().not_null())
        .col(text(&mut ColumnDef::new(LabParameters::Medium)))
        .col(text(&mut ColumnDef::new(LabParameters::Name)))
        .col(text(&mut ColumnDef::new(LabParameters::Unit)))
        .col(text(&mut ColumnDef::new(LabParameters::Method)))
        // The quality standard: either bound may be absent (a maximum, a minimum, or none).
        .col(ColumnDef::new(LabParameters::LimitMin).double().null())
        .col(ColumnDef::new(LabParameters::LimitMax).double().null())
        .col(text(&mut ColumnDef::new(LabParameters::LegalBasis)))
        // The retribution tariff in whole rupiah and the Perda that sets it.
        .col(ColumnDef::new(LabParameters::Tariff).big_integer().not_null())
        .col(text(&mut ColumnDef::new(LabParameters::TariffBasis)))
        .col(ColumnDef::new(LabParameters::TurnaroundDays).integer().not_null())
        .col(ColumnDef::new(LabParameters::Active).boolean().not_null().default(true))
        .col(ColumnDef::new(LabParameters::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(LabParameters::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(LabParameters::TenantCode).col(LabParameters::Id))
        .to_owned();
    let packages = Table::create()
        .table(LabPackages::Table)
        .col(text(&mut ColumnDef::new(LabPackages::TenantCode)))
        .col(ColumnDef::new(LabPackages::Id).uuid().not_null())
        .col(text(&mut ColumnDef::new(LabPackages::Medium)))
        .col(text(&mut ColumnDef::new(LabPackages::Name)))
        .col(ColumnDef::new(LabPackages::Tariff).big_integer().not_null())
        .col(text(&mut ColumnDef::new(LabPackages::TariffBasis)))
        .col(ColumnDef::new(LabPackages::TurnaroundDays).integer().not_null())
        .col(ColumnDef::new(LabPackages::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(LabPackages::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(LabPackages::TenantCode).col(LabPackages::Id))
        .to_owned();
    let package_parameters = Table::create()
        .table(LabPackageParameters::Table)
        .col(text(&mut ColumnDef::new(LabPackageParameters::TenantCode)))
        .col(ColumnDef::new(LabPackageParameters::PackageId).uuid().not_null())
        .col(ColumnDef::new(LabPackageParameters::ParameterId).uuid().not_null())
        .primary_key(
            Index::create()
                .col(LabPackageParameters::TenantCode)
                .col(LabPackageParameters::PackageId)
                .col(LabPackageParameters::ParameterId),
        )
        .foreign_key(
            ForeignKey::create()
                .from(LabPackageParameters::Table, (LabPackageParameters::TenantCode, LabPackageParameters::PackageId))
                .to(LabPackages::Table, (LabPackages::TenantCode, LabPackages::Id)),
        )
        .foreign_key(
            ForeignKey::create()
                .from(
                    LabPackageParameters::Table,
                    (LabPackageParameters::TenantCode, LabPackageParameters::ParameterId),
                )
                .to(LabParameters::Table, (LabParameters::TenantCode, LabParameters::Id)),
        )
        .to_owned();
    let orders = Table::create()
        .table(LabOrders::Table)
        .col(text(&mut ColumnDef::new(LabOrders::TenantCode)))
        .col(ColumnDef::new(LabOrders::Id).uuid().not_null())
        .col(text(&mut ColumnDef::new(LabOrders::Number)))
        .col(ColumnDef::new(LabOrders::PartnerId).uuid().not_null())
        // The customer's kab/kota when ordering (revenue by region; the cooperation's PAD).
        .col(ColumnDef::new(LabOrders::CustomerRegion).text().null())
        .col(text(&mut ColumnDef::new(LabOrders::Medium)))
        .col(text(&mut ColumnDef::new(LabOrders::Status)))
        // The results' version: a retraction opens the next one.
        .col(ColumnDef::new(LabOrders::Version).integer().not_null())
        .col(text(&mut ColumnDef::new(LabOrders::Location)))
        .col(ColumnDef::new(LabOrders::Note).text().null())
        .col(ColumnDef::new(LabOrders::Total).big_integer().null())
        .col(ColumnDef::new(LabOrders::InvoiceNumber).text().null())
        .col(ColumnDef::new(LabOrders::PaidOn).text().null())
        .col(ColumnDef::new(LabOrders::PaidAmount).big_integer().null())
        .col(ColumnDef::new(LabOrders::SamplingOn).text().null())
        .col(ColumnDef::new(LabOrders::SamplingStaff).text().null())
        // Who entered the current results (the second-person rule compares the verifier).
        .col(ColumnDef::new(LabOrders::ResultsBy).uuid().null())
        .col(ColumnDef::new(LabOrders::ResultsByLabel).text().null())
        .col(ColumnDef::new(LabOrders::VerifiedBy).text().null())
        .col(ColumnDef::new(LabOrders::VerifiedAt).big_integer().null())
        .col(ColumnDef::new(LabOrders::PublishedAt).big_integer().null())
        .col(ColumnDef::new(LabOrders::CertificateCode).text().null())
        // The last retract, reject or cancel reason.
        .col(ColumnDef::new(LabOrders::Reason).text().null())
        .col(ColumnDef::new(LabOrders::OrderedAt).big_integer().not_null())
        .col(text(&mut ColumnDef::new(LabOrders::CreatedBy)))
        .col(ColumnDef::new(LabOrders::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(LabOrders::TenantCode).col(LabOrders::Id))
        .foreign_key(
            ForeignKey::create()
                .from(LabOrders::Table, (LabOrders::TenantCode, LabOrders::PartnerId))
                .to(Partners::Table, (Partners::TenantCode, Partners::Id)),
        )
        .to_owned();
    let lines = Table::create()
        .table(LabOrderLines::Table)
        .col(text(&mut ColumnDef::new(LabOrderLines::TenantCode)))
        .col(ColumnDef::new(LabOrderLines::OrderId).uuid().not_null())
        .col(ColumnDef::new(LabOrderLines::Seq).integer().not_null())
        .col(ColumnDef::new(LabOrderLines::PackageId).uuid().null())
        .col(ColumnDef::new(LabOrderLines::ParameterId).uuid().null())
        .col(text(&mut ColumnDef::new(LabOrderLines::Name)))
        // The tariff when quoted: a later tariff change does not rewrite a quotation.
        .col(ColumnDef::new(LabOrderLines::Tariff).big_integer().not_null())
        .primary_key(Index::create().col(LabOrderLines::TenantCode).col(LabOrderLines::OrderId).col(LabOrderLines::Seq))
        .foreign_key(
            ForeignKey::create()
                .from(LabOrderLines::Table, (LabOrderLines::TenantCode, LabOrderLines::OrderId))
                .to(LabOrders::Table, (LabOrders::TenantCode, LabOrders::Id)),
        )
        .to_owned();
    let samples = Table::create()
        .table(LabSamples::Table)
        .col(text(&mut ColumnDef::new(LabSamples::TenantCode)))
        .col(ColumnDef::new(LabSamples::Id).uuid().not_null())
        .col(ColumnDef::new(LabSamples::OrderId).uuid().not_null())
        .col(text(&mut ColumnDef::new(LabSamples::Code)))
        .col(text(&mut ColumnDef::new(LabSamples::Description)))
        .col(ColumnDef::new(LabSamples::ReceivedAt).big_integer().not_null())
        .primary_key(Index::create().col(LabSamples::TenantCode).col(LabSamples::Id))
        .foreign_key(
            ForeignKey::create()
                .from(LabSamples::Table, (LabSamples::TenantCode, LabSamples::OrderId))
                .to(LabOrders::Table, (LabOrders::TenantCode, LabOrders::Id)),
        )
        .to_owned();
    let custody = Table::create()
        .table(LabCustody::Table)
        .col(text(&mut ColumnDef::new(LabCustody::TenantCode)))
        .col(ColumnDef::new(LabCustody::Id).uuid().not_null())
        .col(ColumnDef::new(LabCustody::SampleId).uuid().not_null())
        .col(ColumnDef::new(LabCustody::At).big_integer().not_null())
        .col(text(&mut ColumnDef::new(LabCustody::FromPerson)))
        .col(text(&mut ColumnDef::new(LabCustody::ToPerson)))
        .col(ColumnDef::new(LabCustody::Note).text().null())
        .primary_key(Index::create().col(LabCustody::TenantCode).col(LabCustody::Id))
        .foreign_key(
            ForeignKey::create()
                .from(LabCustody::Table, (LabCustody::TenantCode, LabCustody::SampleId))
                .to(LabSamples::Table, (LabSamples::TenantCode, LabSamples::Id)),
        )
        .to_owned();
    let results = Table::create()
        .table(LabResults::Table)
        .col(text(&mut ColumnDef::new(LabResults::TenantCode)))
        .col(ColumnDef::new(LabResults::OrderId).uuid().not_null())
        .col(ColumnDef::new(LabResults::ParameterId).uuid().not_null())
        .col(ColumnDef::new(LabResults::Version).integer().not_null())
        // The parameter as it stood when measured: name, unit, method and standard are copied
        // so that a certificate reads the same after the catalogue changes.
        .col(text(&mut ColumnDef::new(LabResults::Name)))
        .col(text(&mut ColumnDef::new(LabResults::Unit)))
        .col(text(&mut ColumnDef::new(LabResults::Method)))
        .col(ColumnDef::new(LabResults::Value).double().not_null())
        .col(ColumnDef::new(LabResults::LimitMin).double().null())
        .col(ColumnDef::new(LabResults::LimitMax).double().null())
        .col(text(&mut ColumnDef::new(LabResults::Verdict)))
        .col(ColumnDef::new(LabResults::EnteredBy).uuid().not_null())
        .col(ColumnDef::new(LabResults::EnteredAt).big_integer().not_null())
        .primary_key(
            Index::create()
                .col(LabResults::TenantCode)
                .col(LabResults::OrderId)
                .col(LabResults::ParameterId)
                .col(LabResults::Version),
        )
        .foreign_key(
            ForeignKey::create()
                .from(LabResults::Table, (LabResults::TenantCode, LabResults::OrderId))
                .to(LabOrders::Table, (LabOrders::TenantCode, LabOrders::Id)),
        )
        .to_owned();
    let transitions = Table::create()
        .table(LabTransitions::Table)
        .col(text(&mut ColumnDef::new(LabTransitions::TenantCode)))
        .col(ColumnDef::new(LabTransitions::Id).uuid().not_null())
        .col(ColumnDef::new(LabTransitions::OrderId).uuid().not_null())
        .col(ColumnDef::new(LabTransitions::FromStatus).text().null())
        .col(text(&mut ColumnDef::new(LabTransitions::ToStatus)))
        .col(ColumnDef::new(LabTransitions::At).big_integer().not_null())
        .col(text(&mut ColumnDef::new(LabTransitions::ActorLabel)))
        .col(ColumnDef::new(LabTransitions::Reason).text().null())
        .primary_key(Index::create().col(LabTransitions::TenantCode).col(LabTransitions::Id))
        .foreign_key(
            ForeignKey::create()
                .from(LabTransitions::Table, (LabTransitions::TenantCode, LabTransitions::OrderId))
                .to(LabOrders::Table, (LabOrders::TenantCode, LabOrders::Id)),
        )
        .to_owned();
    vec![
        Ddl::Table(settings),
        Ddl::Table(parameters),
        Ddl::Table(packages),
        Ddl::Table(package_parameters),
        Ddl::Table(orders),
        Ddl::Index(
            Index::create()
                .name("lab_orders_number")
                .table(LabOrders::Table)
                .col(LabOrders::TenantCode)
                .col(LabOrders::Number)
                .unique()
                .to_owned(),
        ),
        // Certificates are verified publicly by their code alone.
        Ddl::Index(
            Index::create()
                .name("lab_orders_certificate_code")
                .table(LabOrders::Table)
                .col(LabOrders::CertificateCode)
                .unique()
                .to_owned(),
        ),
        tenant_index("lab_orders_partner", LabOrders::Table, LabOrders::TenantCode, LabOrders::PartnerId),
        tenant_index("lab_orders_status", LabOrders::Table, LabOrders::TenantCode, LabOrders::Status),
        Ddl::Table(lines),
        Ddl::Table(samples),
        Ddl::Index(
            Index::create()
                .name("lab_samples_code")
                .table(LabSamples::Table)
                .col(LabSamples::TenantCode)
                .col(LabSamples::Code)
                .unique()
                .to_owned(),
        ),
        tenant_index("lab_samples_order", LabSamples::Table, LabSamples::TenantCode, LabSamples::OrderId),
        Ddl::Table(custody),
        Ddl::Table(results),
        Ddl::Table(transitions),
        tenant_index(
            "lab_transitions_order",
            LabTransitions::Table,
            LabTransitions::TenantCode,
            LabTransitions::OrderId,
        ),
    ]
}

// Issue 7: demand matching.
/// Buyers' demands, the suppliers notified of each (with the score and reasons they were
/// ranked by, kept as shown), and the suppliers' offers. The deal is the accepted offer and its
/// value, on the demand itself: one deal per demand.
fn demand() -> Vec<Ddl> {
    let text = |c: &mut ColumnDef| c.text().not_null().to_owned();
    let demands = Table::create()
        .table(Demands::Table)
        .col(text(&mut ColumnDef::new(Demands::TenantCode)))
        .col(ColumnDef::new(Demands::Id).uuid().not_null())
        .col(ColumnDef::new(Demands::BuyerId).uuid().not_null())
        .col(text(&mut ColumnDef::new(Demands::BuyerKind)))
        .col(text(&mut ColumnDef::new(Demands::Title)))
        .col(ColumnDef::new(Demands::Category).text().null())
        .col(ColumnDef::new(Demands::Kbli).text().null())
        .col(text(&mut ColumnDef::new(Demands::Description)))
        .col(ColumnDef::new(Demands::Quantity).big_integer().not_null())
        .col(text(&mut ColumnDef::new(Demands::Unit)))
        .col(text(&mut ColumnDef::new(Demands::Frequency)))
        .col(text(&mut ColumnDef::new(Demands::RegionCode)))
        // Permit slugs joined by commas: a short closed list, read whole with the demand.
        .col(text(&mut ColumnDef::new(Demands::Permits)))
        .col(ColumnDef::new(Demands::PriceMin).big_integer().null())
        .col(ColumnDef::new(Demands::PriceMax).big_integer().null())
        .col(text(&mut ColumnDef::new(Demands::Deadline)))
        .col(text(&mut ColumnDef::new(Demands::Status)))
        .col(ColumnDef::new(Demands::AcceptedOfferId).uuid().null())
        .col(ColumnDef::new(Demands::DealValue).big_integer().null())
        .col(ColumnDef::new(Demands::DealOn).text().null())
        .col(text(&mut ColumnDef::new(Demands::CreatedBy)))
        .col(ColumnDef::new(Demands::CreatedAt).big_integer().not_null())
        .col(ColumnDef::new(Demands::UpdatedAt).big_integer().not_null())
        .primary_key(Index::create().col(Demands::TenantCode).col(Demands::Id))
        .foreign_key(
            ForeignKey::create()
                .from(Demands::Table, (Demands::TenantCode, Demands::BuyerId))
                .to(Partners::Table, (Partners::TenantCode, Partners::Id)),
        )
        .to_owned();
    let suppliers = Table::create()
        .table(DemandSuppliers::Table)
        .col(text(&mut ColumnDef::new(DemandSuppliers::TenantCode)))
        .col(ColumnDef::new(DemandSuppliers::DemandId).uuid().not_null())
        .col(text(&mut ColumnDef::new(DemandSuppliers::SupplierKind)))
        .col(ColumnDef::new(DemandSuppliers::SupplierId).uuid().not_null())
        .col(text(&mut ColumnDef::new(DemandSuppliers::SupplierName)))
        .col(ColumnDef::new(DemandSuppliers::Rank).integer().not_null())
        .col(ColumnDef::new(DemandSuppliers::Score).integer().not_null())
        .col(text(&mut ColumnDef::new(DemandSuppliers::Reasons)))
        .col(ColumnDef::new(DemandSuppliers::NotifiedAt).big_integer().not_null())
        .primary_key(
            Index::create()
                .col(DemandSuppliers::TenantCode)
                .col(DemandSuppliers::DemandId)
                .col(DemandSuppliers::SupplierKind)
                .col(DemandSuppliers::SupplierId),
        )
        .foreign_key(
            ForeignKey::create()
                .from(DemandSuppliers::Table, (DemandSuppliers::TenantCode, DemandSuppliers::DemandId))
                .to(Demands::Table, (Demands::TenantCode, Demands::Id)),
        )
        .to_owned();
    let offers = Table::create()
        .table(DemandOffers::Table)
        .col(text(&mut ColumnDef::new(DemandOffers::TenantCode)))
        .col(ColumnDef::new(DemandOffers::Id).uuid().not_null())
        .col(ColumnDef::new(DemandOffers::DemandId).uuid().not_null())
        .col(text(&mut ColumnDef::new(DemandOffers::SupplierKind)))
        .col(ColumnDef::new(DemandOffers::SupplierId).uuid().not_null())
        .col(text(&mut ColumnDef::new(DemandOffers::SupplierName)))
        .col(ColumnDef::new(DemandOffers::Price).big_integer().not_null())
        .col(ColumnDef::new(DemandOffers::Quantity).big_integer().not_null())
        .col(text(&mut ColumnDef::new(DemandOffers::DeliveryOn)))
        .col(ColumnDef::new(DemandOffers::Note).text().null())
        .col(text(&mut ColumnDef::new(DemandOffers::Status)))
        .col(text(&mut ColumnDef::new(DemandOffers::CreatedBy)))
        .col(ColumnDef::new(DemandOffers::CreatedAt).big_integer().not_null())
        .primary_key(Index::create().col(DemandOffers::TenantCode).col(DemandOffers::Id))
        .foreign_key(
            ForeignKey::create()
                .from(DemandOffers::Table, (DemandOffers::TenantCode, DemandOffers::DemandId))
                .to(Demands::Table, (Demands::TenantCode, Demands::Id)),
        )
        .to_owned();
    vec![
        Ddl::Table(demands),
        Ddl::Table(suppliers),
        Ddl::Table(offers),
        tenant_index("demands_buyer", Demands::Table, Demands::TenantCode, Demands::BuyerId),
        tenant_index("demand_offers_demand", DemandOffers::Table, DemandOffers::TenantCode, DemandOffers::DemandId),
        Ddl::Index(
            Index::create()
                .name("demand_suppliers_supplier")
                .table(DemandSuppliers::Table)
                .col(DemandSuppliers::TenantCode)
                .col(DemandSuppliers::SupplierId)
                .to_owned(),
        ),
    ]
}

/// What keeps the demand-matching index current reads "rows of this Pemda changed since"
/// from five tables before a ranking, whenever the Pemda has written anything: without these,
/// each read scans the whole registry (0.4 s at 1,000,000 businesses).
fn supply_change_indexes() -> Vec<Ddl> {
    fn by_time<T: sea_query::Iden + Copy + 'static>(name: &str, table: T, tenant: T, at: T) -> Ddl {
        Ddl::Index(Index::create().name(name).table(table).col(tenant).col(at).to_owned())
    }
    vec![
        by_time(
            "umkm_businesses_tenant_updated",
            UmkmBusinesses::Table,
            UmkmBusinesses::TenantCode,
            UmkmBusinesses::UpdatedAt,
        ),
        by_time("umkm_permits_tenant_created", UmkmPermits::Table, UmkmPermits::TenantCode, UmkmPermits::CreatedAt),
        by_time(
            "catalogue_products_tenant_updated",
            CatalogueProducts::Table,
            CatalogueProducts::TenantCode,
            CatalogueProducts::UpdatedAt,
        ),
        by_time(
            "channel_entries_tenant_updated",
            ChannelEntries::Table,
            ChannelEntries::TenantCode,
            ChannelEntries::UpdatedAt,
        ),
        by_time("partners_tenant_updated", Partners::Table, Partners::TenantCode, Partners::UpdatedAt),
        by_time("demands_tenant_updated", Demands::Table, Demands::TenantCode, Demands::UpdatedAt),
    ]
}
