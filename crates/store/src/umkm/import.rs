//! An uploaded spreadsheet's way through the importer: kept with its mapping while the officer
//! checks the preview, then committed once (a second commit of the same upload is refused, so
//! a double click or a reloaded page cannot import a file twice).

use sea_query::{Expr, ExprTrait, OnConflict, Query};
use serde::Serialize;
use sinergi_domain::files::CheckedFile;
use sinergi_domain::{Actor, FileId, ImportId, Permission, RegionCode, WaveId};
use uuid::Uuid;

use super::registry_tenant;
use super::write::{CommitSummary, Incoming, Resolution, write_batch};
use crate::audit::{Change, RecordType, record};
use crate::files::{FileContent, insert_file, load_file};
use crate::schema::*;
use crate::{Result, Store, StoreError, now_ms};

sinergi_domain::slug_enum! {
    pub enum ImportStatus: "status" {
        Preview = "preview",
        Committed = "committed",
    }
}

/// A new upload, as the mapping step first saw it.
#[derive(Debug, Clone)]
pub struct NewImport {
    pub source: String,
    pub file: CheckedFile,
    pub sheet: String,
    pub header_row: i32,
    /// The column mapping, as the importer serialises it.
    pub mapping: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportRow {
    pub id: ImportId,
    pub source: String,
    pub file_id: FileId,
    pub file_name: String,
    pub sheet: String,
    pub header_row: i32,
    pub mapping: String,
    pub status: String,
    pub summary: Option<String>,
    pub created_by: String,
    pub created_at: i64,
    pub committed_at: Option<i64>,
    /// The programme wave this list of applicants fills, if any.
    pub wave: Option<WaveId>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    source: String,
    file_id: Uuid,
    file_name: String,
    sheet: String,
    header_row: i32,
    mapping: String,
    status: String,
    summary: Option<String>,
    created_by: String,
    created_at: i64,
    committed_at: Option<i64>,
    wave_id: Option<Uuid>,
}

impl From<Row> for ImportRow {
    fn from(r: Row) -> Self {
        ImportRow {
            id: ImportId::from_uuid(r.id),
            source: r.source,
            file_id: FileId::from_uuid(r.file_id),
            file_name: r.file_name,
            sheet: r.sheet,
            header_row: r.header_row,
            mapping: r.mapping,
            status: r.status,
            summary: r.summary,
            created_by: r.created_by,
            created_at: r.created_at,
            committed_at: r.committed_at,
            wave: r.wave_id.map(WaveId::from_uuid),
        }
    }
}

impl ImportRow {
    pub fn status(&self) -> ImportStatus {
        self.status.parse().unwrap_or(ImportStatus::Preview)
    }

    /// For an applicants' list: how many businesses were applied to the wave, and how many had
    /// applied already.
    pub fn applied(&self) -> Option<(u32, u32)> {
        let v: serde_json::Value = serde_json::from_str(self.summary.as_deref()?).ok()?;
        let a = v.get("applied")?;
        let n = |k: &str| a.get(k).and_then(serde_json::Value::as_u64).and_then(|n| u32::try_from(n).ok());
        Some((n("added")?, n("already")?))
    }

    pub fn summary(&self) -> Option<CommitSummary> {
        self.summary.as_deref().and_then(|s| serde_json::from_str(s).ok())
    }
}

fn by_id(tenant: &RegionCode, id: ImportId) -> sea_query::Condition {
    sea_query::Condition::all()
        .add(Expr::col(UmkmImports::TenantCode).eq(tenant.as_str()))
        .add(Expr::col(UmkmImports::Id).eq(id.as_uuid()))
}

fn select() -> sea_query::SelectStatement {
    Query::select()
        .columns([
            UmkmImports::Id,
            UmkmImports::Source,
            UmkmImports::FileId,
            UmkmImports::FileName,
            UmkmImports::Sheet,
            UmkmImports::HeaderRow,
            UmkmImports::Mapping,
            UmkmImports::Status,
            UmkmImports::Summary,
            UmkmImports::CreatedBy,
            UmkmImports::CreatedAt,
            UmkmImports::CommittedAt,
            UmkmImports::WaveId,
        ])
        .from(UmkmImports::Table)
        .to_owned()
}

impl Store {
    /// Keep an upload and its first mapping; nothing reaches the registry yet.
    pub async fn create_umkm_import(&self, actor: &Actor, tenant: &RegionCode, new: NewImport) -> Result<ImportId> {
        self.create_umkm_import_for(actor, tenant, new, None).await
    }

    /// An upload that also fills a programme wave: committing it applies every business its
    /// rows went to, in the same transaction as the records.
    pub async fn create_umkm_import_for(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        new: NewImport,
        wave: Option<WaveId>,
    ) -> Result<ImportId> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let source = new.source.trim();
        if source.is_empty() || source.chars().count() > 80 {
            return Err(StoreError::Invalid(sinergi_domain::auth::FieldError::new("source", "required")));
        }
        let id = ImportId::new();
        let mut tx = self.begin().await?;
        if let Some(w) = wave {
            tx.check_in_tenant(
                (ProgrammeWaves::Table, ProgrammeWaves::TenantCode, ProgrammeWaves::Id),
                &tenant,
                w.as_uuid(),
                "wave",
            )
            .await?;
        }
        let (file_id, sha) = insert_file(&mut tx, actor, &tenant, &new.file).await?;
        tx.execute(
            Query::insert()
                .into_table(UmkmImports::Table)
                .columns([
                    UmkmImports::TenantCode,
                    UmkmImports::Id,
                    UmkmImports::Source,
                    UmkmImports::FileId,
                    UmkmImports::FileName,
                    UmkmImports::Sheet,
                    UmkmImports::HeaderRow,
                    UmkmImports::Mapping,
                    UmkmImports::Status,
                    UmkmImports::CreatedBy,
                    UmkmImports::CreatedAt,
                    UmkmImports::WaveId,
                ])
                .values_panic([
                    tenant.as_str().into(),
                    id.as_uuid().into(),
                    source.into(),
                    file_id.as_uuid().into(),
                    new.file.name.clone().into(),
                    new.sheet.into(),
                    new.header_row.into(),
                    new.mapping.into(),
                    ImportStatus::Preview.slug().into(),
                    actor.label.clone().into(),
                    now_ms().into(),
                    wave.map(|w| w.as_uuid()).into(),
                ]),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&tenant),
                action: "upload_umkm_import",
                record_type: RecordType::Umkm,
                record_id: id.to_string(),
                before: None,
                after: Some(serde_json::json!({
                    "source": source,
                    "file": new.file.name,
                    "sha256": sha,
                    "wave": wave.map(|w| w.to_string()),
                })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn umkm_import(&self, actor: &Actor, tenant: &RegionCode, id: ImportId) -> Result<ImportRow> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let row: Row =
            self.fetch_optional(select().cond_where(by_id(&tenant, id))).await?.ok_or(StoreError::NotFound)?;
        Ok(row.into())
    }

    /// The uploaded file itself, to read again for the preview and the commit.
    pub async fn umkm_import_file(&self, actor: &Actor, tenant: &RegionCode, id: ImportId) -> Result<FileContent> {
        let row = self.umkm_import(actor, tenant, id).await?;
        let mut tx = self.begin_read().await?;
        let file = load_file(&mut tx, tenant, row.file_id).await?;
        tx.commit().await?;
        Ok(file)
    }

    pub async fn umkm_imports(&self, actor: &Actor, tenant: &RegionCode, limit: u64) -> Result<Vec<ImportRow>> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let rows: Vec<Row> = self
            .fetch_all(
                select()
                    .and_where(Expr::col(UmkmImports::TenantCode).eq(tenant.as_str()))
                    .order_by(UmkmImports::CreatedAt, sea_query::Order::Desc)
                    .limit(limit),
            )
            .await?;
        Ok(rows.into_iter().map(ImportRow::from).collect())
    }

    /// Change the sheet, header row or mapping (the importer's per-column `Mapping` JSON) of an
    /// upload still in preview.
    pub async fn set_umkm_import_mapping(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ImportId,
        sheet: &str,
        header_row: i32,
        mapping: &str,
    ) -> Result<()> {
        let row = self.umkm_import(actor, tenant, id).await?;
        if row.status() != ImportStatus::Preview {
            return Err(StoreError::Conflict { field: "status" });
        }
        let mut tx = self.begin().await?;
        tx.execute(
            Query::update()
                .table(UmkmImports::Table)
                .value(UmkmImports::Sheet, sheet)
                .value(UmkmImports::HeaderRow, header_row)
                .value(UmkmImports::Mapping, mapping)
                .cond_where(by_id(tenant, id)),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(tenant),
                action: "map_umkm_import",
                record_type: RecordType::Umkm,
                record_id: id.to_string(),
                before: Some(
                    serde_json::json!({"sheet": row.sheet, "header_row": row.header_row, "mapping": row.mapping}),
                ),
                after: Some(serde_json::json!({"sheet": sheet, "header_row": header_row, "mapping": mapping})),
            },
        )
        .await?;
        tx.commit().await
    }

    /// Remember how a source's columns are read (the importer's `SavedMapping` JSON, keyed by
    /// header), for the next file from that source.
    pub async fn save_umkm_source_mapping(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        source: &str,
        saved: &str,
    ) -> Result<()> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        let mut tx = self.begin().await?;
        save_source_mapping(&mut tx, &tenant, source, saved).await?;
        tx.commit().await
    }

    /// The mapping last saved for a source, if any.
    pub async fn umkm_source_mapping(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        source: &str,
    ) -> Result<Option<String>> {
        let tenant = registry_tenant(actor, Permission::ManageUmkm, tenant)?;
        #[derive(sqlx::FromRow)]
        struct Row {
            mapping: String,
        }
        let row: Option<Row> = self
            .fetch_optional(
                Query::select()
                    .column(UmkmSources::Mapping)
                    .from(UmkmSources::Table)
                    .and_where(Expr::col(UmkmSources::TenantCode).eq(tenant.as_str()))
                    .and_where(Expr::col(UmkmSources::Name).eq(source.trim())),
            )
            .await?;
        Ok(row.map(|r| r.mapping))
    }

    /// The names of the sources imported before, for the upload form's suggestions.
    pub async fn umkm_source_names(&self, actor: &Actor, tenant: &RegionCode) -> Result<Vec<String>> {
        let tenant = registry_tenant(actor, Permission::ViewUmkm, tenant)?;
        #[derive(sqlx::FromRow)]
        struct Row {
            name: String,
        }
        let rows: Vec<Row> = self
            .fetch_all(
                Query::select()
                    .column(UmkmSources::Name)
                    .from(UmkmSources::Table)
                    .and_where(Expr::col(UmkmSources::TenantCode).eq(tenant.as_str()))
                    .order_by(UmkmSources::Name, sea_query::Order::Asc),
            )
            .await?;
        Ok(rows.into_iter().map(|r| r.name).collect())
    }

    /// Commit an upload: its accepted rows with their resolutions, in one transaction with the
    /// import's status, so that the file is imported once and whole.
    pub async fn commit_umkm_import(
        &self,
        actor: &Actor,
        tenant: &RegionCode,
        id: ImportId,
        rows: Vec<(Incoming, Resolution)>,
        rejected: usize,
    ) -> Result<CommitSummary> {
        // Checks the role, the tenant and that the import exists.
        let import = self.umkm_import(actor, tenant, id).await?;
        let vault = self.vault()?;
        let mut tx = self.begin().await?;
        // Claim the import first: of two concurrent commits, the second updates no row.
        let claimed = tx
            .execute(
                Query::update()
                    .table(UmkmImports::Table)
                    .value(UmkmImports::Status, ImportStatus::Committed.slug())
                    .value(UmkmImports::CommittedAt, now_ms())
                    .cond_where(by_id(tenant, id))
                    .and_where(Expr::col(UmkmImports::Status).eq(ImportStatus::Preview.slug())),
            )
            .await?;
        if claimed == 0 {
            return Err(StoreError::Conflict { field: "status" });
        }
        let summary = write_batch(&mut tx, actor, tenant, vault, Some(id), rows).await?;
        // An applicants' list: every business its rows went to applies to the wave, with the
        // records or not at all.
        let applied = match import.wave {
            Some(wave) => {
                Some(crate::programmes::apply_imported(&mut tx, actor, tenant, wave, &summary.businesses).await?)
            }
            None => None,
        };
        let stored = serde_json::json!({
            "records": summary.records,
            "new_businesses": summary.new_businesses,
            "linked_existing": summary.linked_existing,
            "sent_to_review": summary.sent_to_review,
            "rejected": rejected,
            "applied": applied.map(|(added, already)| serde_json::json!({ "added": added, "already": already })),
        });
        tx.execute(
            Query::update()
                .table(UmkmImports::Table)
                .value(UmkmImports::Summary, stored.to_string())
                .cond_where(by_id(tenant, id)),
        )
        .await?;
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(tenant),
                action: "commit_umkm_import",
                record_type: RecordType::Umkm,
                record_id: id.to_string(),
                before: None,
                after: Some(stored),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }
}

async fn save_source_mapping(tx: &mut crate::db::Tx, tenant: &RegionCode, source: &str, mapping: &str) -> Result<()> {
    tx.execute(
        Query::insert()
            .into_table(UmkmSources::Table)
            .columns([UmkmSources::TenantCode, UmkmSources::Name, UmkmSources::Mapping, UmkmSources::UpdatedAt])
            .values_panic([tenant.as_str().into(), source.trim().into(), mapping.into(), now_ms().into()])
            .on_conflict(
                OnConflict::columns([UmkmSources::TenantCode, UmkmSources::Name])
                    .update_columns([UmkmSources::Mapping, UmkmSources::UpdatedAt])
                    .to_owned(),
            ),
    )
    .await?;
    Ok(())
}
