//! The bytes of uploaded files (scans, photos, BAST, attendance lists), kept in the database
//! in the same transaction as the record that points at them, so that a crash never leaves a
//! record without its file or a file nobody can reach.

use sea_query::{Expr, ExprTrait, Query};
use sha2::{Digest, Sha256};
use sinergi_domain::files::{CheckedFile, FileType};
use sinergi_domain::{Actor, FileId, RegionCode};

use crate::db::Tx;
use crate::schema::Files;
use crate::{Result, StoreError, now_ms};

/// The bytes of a kept file, to send back.
#[derive(Debug, Clone)]
pub struct FileContent {
    pub name: String,
    pub file_type: FileType,
    pub bytes: Vec<u8>,
}

/// Keep a checked file; returns its id and its SHA-256 (for the audit trail).
pub(crate) async fn insert_file(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    file: &CheckedFile,
) -> Result<(FileId, String)> {
    let id = FileId::new();
    let sha = hex::encode(Sha256::digest(&file.bytes));
    tx.execute(
        &Query::insert()
            .into_table(Files::Table)
            .columns([
                Files::TenantCode,
                Files::Id,
                Files::Name,
                Files::ContentType,
                Files::SizeBytes,
                Files::Sha256,
                Files::Content,
                Files::CreatedAt,
                Files::CreatedBy,
            ])
            .values_panic([
                tenant.as_str().into(),
                id.as_uuid().into(),
                file.name.clone().into(),
                file.file_type.mime().into(),
                (file.bytes.len() as i64).into(),
                sha.clone().into(),
                file.bytes.clone().into(),
                now_ms().into(),
                actor.label.clone().into(),
            ])
            .to_owned(),
    )
    .await?;
    Ok((id, sha))
}

/// Read a kept file. The caller has already decided that the reader may see it.
pub(crate) async fn load_file(tx: &mut Tx, tenant: &RegionCode, id: FileId) -> Result<FileContent> {
    #[derive(sqlx::FromRow)]
    struct Row {
        name: String,
        content_type: String,
        content: Vec<u8>,
    }
    let row: Row = tx
        .fetch_optional(
            Query::select()
                .columns([Files::Name, Files::ContentType, Files::Content])
                .from(Files::Table)
                .and_where(Expr::col(Files::TenantCode).eq(tenant.as_str()))
                .and_where(Expr::col(Files::Id).eq(id.as_uuid())),
        )
        .await?
        .ok_or(StoreError::NotFound)?;
    Ok(FileContent {
        file_type: FileType::from_mime(&row.content_type)
            .ok_or_else(|| StoreError::Corrupt(format!("file {id}: content type")))?,
        name: row.name,
        bytes: row.content,
    })
}
