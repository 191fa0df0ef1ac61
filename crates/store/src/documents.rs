//! Files kept with an agreement: signed scans with their signing checklist, surat kuasa, the
//! feasibility study, and the evidence of activities and outcomes.
//!
//! The keeper's Bagian Kerja Sama adds them; everyone who sees the agreement (a party Pemda
//! too) may read them, because a signed KB belongs to both sides. The bytes live in `files`,
//! written in the same transaction as the record that points at them.

use sea_query::{Expr, ExprTrait, Order, Query};
use serde::Serialize;
use sinergi_domain::cooperation::documents::{DocumentPurpose, SigningChecklist};
use sinergi_domain::files::{CheckedFile, FileType};
use sinergi_domain::{ActivityId, Actor, AgreementId, DocumentId, OutcomeId, Permission, RegionCode};
use uuid::Uuid;

use crate::audit::{Change, RecordType, record};
use crate::db::Tx;
pub use crate::files::FileContent;
use crate::files::insert_file;
use crate::schema::{AgreementDocuments, Files};
use crate::{Result, Store, StoreError, now_ms};

/// A kept file, without its bytes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub id: DocumentId,
    pub agreement_id: AgreementId,
    pub purpose: DocumentPurpose,
    pub title: String,
    pub file_name: String,
    pub file_type: FileType,
    pub size_bytes: i64,
    pub activity_id: Option<ActivityId>,
    pub outcome_id: Option<OutcomeId>,
    pub checklist: SigningChecklist,
    pub created_at_ms: i64,
}

/// A file to keep with an agreement.
#[derive(Debug, Clone)]
pub struct NewDocument {
    pub purpose: DocumentPurpose,
    pub title: String,
    pub file: CheckedFile,
    pub activity_id: Option<ActivityId>,
    pub outcome_id: Option<OutcomeId>,
    pub checklist: SigningChecklist,
}

impl NewDocument {
    /// Evidence of an activity or an outcome, named after what it proves.
    pub fn evidence(
        title: String,
        file: CheckedFile,
        activity_id: Option<ActivityId>,
        outcome_id: Option<OutcomeId>,
    ) -> NewDocument {
        NewDocument {
            purpose: DocumentPurpose::Evidence,
            title,
            file,
            activity_id,
            outcome_id,
            checklist: SigningChecklist::default(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct DocumentRow {
    id: Uuid,
    agreement_id: Uuid,
    purpose: String,
    title: String,
    name: String,
    content_type: String,
    size_bytes: i64,
    activity_id: Option<Uuid>,
    outcome_id: Option<Uuid>,
    paraf: bool,
    materai: bool,
    stempel: bool,
    created_at: i64,
}

impl TryFrom<DocumentRow> for Document {
    type Error = StoreError;
    fn try_from(r: DocumentRow) -> Result<Self> {
        let corrupt = |w: &str| StoreError::Corrupt(format!("document {}: {w}", r.id));
        Ok(Document {
            id: DocumentId::from_uuid(r.id),
            agreement_id: AgreementId::from_uuid(r.agreement_id),
            purpose: r.purpose.parse().map_err(|_| corrupt("purpose"))?,
            file_type: FileType::from_mime(&r.content_type).ok_or_else(|| corrupt("content type"))?,
            title: r.title,
            file_name: r.name,
            size_bytes: r.size_bytes,
            activity_id: r.activity_id.map(ActivityId::from_uuid),
            outcome_id: r.outcome_id.map(OutcomeId::from_uuid),
            checklist: SigningChecklist { paraf: r.paraf, materai: r.materai, stempel: r.stempel },
            created_at_ms: r.created_at,
        })
    }
}

/// The documents of one agreement, oldest first (metadata only).
pub(crate) async fn documents_of(tx: &mut Tx, tenant: &RegionCode, agreement: AgreementId) -> Result<Vec<Document>> {
    let rows: Vec<DocumentRow> = tx
        .fetch_all(
            Query::select()
                .columns([
                    (AgreementDocuments::Table, AgreementDocuments::Id),
                    (AgreementDocuments::Table, AgreementDocuments::AgreementId),
                    (AgreementDocuments::Table, AgreementDocuments::Purpose),
                    (AgreementDocuments::Table, AgreementDocuments::Title),
                    (AgreementDocuments::Table, AgreementDocuments::ActivityId),
                    (AgreementDocuments::Table, AgreementDocuments::OutcomeId),
                    (AgreementDocuments::Table, AgreementDocuments::Paraf),
                    (AgreementDocuments::Table, AgreementDocuments::Materai),
                    (AgreementDocuments::Table, AgreementDocuments::Stempel),
                    (AgreementDocuments::Table, AgreementDocuments::CreatedAt),
                ])
                .columns([
                    (Files::Table, Files::Name),
                    (Files::Table, Files::ContentType),
                    (Files::Table, Files::SizeBytes),
                ])
                .from(AgreementDocuments::Table)
                .inner_join(
                    Files::Table,
                    Expr::col((Files::Table, Files::TenantCode))
                        .equals((AgreementDocuments::Table, AgreementDocuments::TenantCode))
                        .and(
                            Expr::col((Files::Table, Files::Id))
                                .equals((AgreementDocuments::Table, AgreementDocuments::FileId)),
                        ),
                )
                .and_where(Expr::col((AgreementDocuments::Table, AgreementDocuments::TenantCode)).eq(tenant.as_str()))
                .and_where(
                    Expr::col((AgreementDocuments::Table, AgreementDocuments::AgreementId)).eq(agreement.as_uuid()),
                )
                .order_by((AgreementDocuments::Table, AgreementDocuments::CreatedAt), Order::Asc)
                .order_by((AgreementDocuments::Table, AgreementDocuments::Id), Order::Asc),
        )
        .await?;
    rows.into_iter().map(Document::try_from).collect()
}

/// Keep a file with an agreement, in the caller's transaction, and audit it (without the
/// bytes: the audit trail says what was added, the file itself is the record).
pub(crate) async fn insert_document(
    tx: &mut Tx,
    actor: &Actor,
    tenant: &RegionCode,
    agreement: AgreementId,
    new: &NewDocument,
) -> Result<Document> {
    let title = sinergi_domain::auth::required_text("title", &new.title, 200)?;
    let now = now_ms();
    let (file_id, sha) = insert_file(tx, actor, tenant, &new.file).await?;
    // Only a signed agreement has a checklist; for anything else it stays all false.
    let checklist = if new.purpose.is_signed_agreement() { new.checklist } else { SigningChecklist::default() };
    let doc = Document {
        id: DocumentId::new(),
        agreement_id: agreement,
        purpose: new.purpose,
        title,
        file_name: new.file.name.clone(),
        file_type: new.file.file_type,
        size_bytes: new.file.bytes.len() as i64,
        activity_id: new.activity_id,
        outcome_id: new.outcome_id,
        checklist,
        created_at_ms: now,
    };
    tx.execute(
        &Query::insert()
            .into_table(AgreementDocuments::Table)
            .columns([
                AgreementDocuments::TenantCode,
                AgreementDocuments::Id,
                AgreementDocuments::AgreementId,
                AgreementDocuments::FileId,
                AgreementDocuments::Purpose,
                AgreementDocuments::Title,
                AgreementDocuments::ActivityId,
                AgreementDocuments::OutcomeId,
                AgreementDocuments::Paraf,
                AgreementDocuments::Materai,
                AgreementDocuments::Stempel,
                AgreementDocuments::CreatedAt,
                AgreementDocuments::UpdatedAt,
            ])
            .values_panic([
                tenant.as_str().into(),
                doc.id.as_uuid().into(),
                agreement.as_uuid().into(),
                file_id.as_uuid().into(),
                doc.purpose.slug().into(),
                doc.title.clone().into(),
                doc.activity_id.map(|a| a.as_uuid()).into(),
                doc.outcome_id.map(|o| o.as_uuid()).into(),
                checklist.paraf.into(),
                checklist.materai.into(),
                checklist.stempel.into(),
                now.into(),
                now.into(),
            ])
            .to_owned(),
    )
    .await?;
    let mut after = serde_json::to_value(&doc).unwrap_or_default();
    if let Some(o) = after.as_object_mut() {
        o.insert("sha256".into(), sha.into());
    }
    record(
        tx,
        actor,
        Change {
            tenant: Some(tenant),
            action: "add_document",
            record_type: RecordType::Agreement,
            record_id: agreement.to_string(),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    Ok(doc)
}

async fn load_document(tx: &mut Tx, tenant: &RegionCode, agreement: AgreementId, id: DocumentId) -> Result<Document> {
    documents_of(tx, tenant, agreement).await?.into_iter().find(|d| d.id == id).ok_or(StoreError::NotFound)
}

impl Store {
    /// Keep a file with an agreement (the keeper's Bagian Kerja Sama only).
    pub async fn add_document(&self, actor: &Actor, agreement: AgreementId, new: NewDocument) -> Result<Document> {
        let owner = self.keeper_tenant(actor, agreement).await?;
        let mut tx = self.begin().await?;
        let doc = insert_document(&mut tx, actor, &owner, agreement, &new).await?;
        tx.commit().await?;
        Ok(doc)
    }

    /// Record what was confirmed on a signed document's scan.
    pub async fn set_signing_checklist(
        &self,
        actor: &Actor,
        agreement: AgreementId,
        id: DocumentId,
        checklist: SigningChecklist,
    ) -> Result<Document> {
        let owner = self.keeper_tenant(actor, agreement).await?;
        let mut tx = self.begin().await?;
        let before = load_document(&mut tx, &owner, agreement, id).await?;
        if !before.purpose.is_signed_agreement() {
            return Err(StoreError::Invalid(sinergi_domain::auth::FieldError::new(
                "purpose",
                "checklist-not-applicable",
            )));
        }
        tx.execute(
            &Query::update()
                .table(AgreementDocuments::Table)
                .values([
                    (AgreementDocuments::Paraf, checklist.paraf.into()),
                    (AgreementDocuments::Materai, checklist.materai.into()),
                    (AgreementDocuments::Stempel, checklist.stempel.into()),
                    (AgreementDocuments::UpdatedAt, now_ms().into()),
                ])
                .and_where(Expr::col(AgreementDocuments::TenantCode).eq(owner.as_str()))
                .and_where(Expr::col(AgreementDocuments::Id).eq(id.as_uuid()))
                .to_owned(),
        )
        .await?;
        let after = Document { checklist, ..before.clone() };
        record(
            &mut tx,
            actor,
            Change {
                tenant: Some(&owner),
                action: "checklist",
                record_type: RecordType::Agreement,
                record_id: agreement.to_string(),
                before: serde_json::to_value(&before).ok(),
                after: serde_json::to_value(&after).ok(),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// The bytes of a document, for anyone who may see the agreement.
    pub async fn document_file(&self, actor: &Actor, agreement: AgreementId, id: DocumentId) -> Result<FileContent> {
        if !actor.can(Permission::ViewDirectory) {
            return Err(StoreError::Forbidden);
        }
        let owner = self.agreement_owner(actor, agreement).await?;
        #[derive(sqlx::FromRow)]
        struct Row {
            name: String,
            content_type: String,
            content: Vec<u8>,
        }
        let row: Row = self
            .fetch_optional(
                Query::select()
                    .columns([
                        (Files::Table, Files::Name),
                        (Files::Table, Files::ContentType),
                        (Files::Table, Files::Content),
                    ])
                    .from(Files::Table)
                    .inner_join(
                        AgreementDocuments::Table,
                        Expr::col((Files::Table, Files::TenantCode))
                            .equals((AgreementDocuments::Table, AgreementDocuments::TenantCode))
                            .and(
                                Expr::col((Files::Table, Files::Id))
                                    .equals((AgreementDocuments::Table, AgreementDocuments::FileId)),
                            ),
                    )
                    .and_where(
                        Expr::col((AgreementDocuments::Table, AgreementDocuments::TenantCode)).eq(owner.as_str()),
                    )
                    .and_where(
                        Expr::col((AgreementDocuments::Table, AgreementDocuments::AgreementId)).eq(agreement.as_uuid()),
                    )
                    .and_where(Expr::col((AgreementDocuments::Table, AgreementDocuments::Id)).eq(id.as_uuid())),
            )
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(FileContent {
            file_type: FileType::from_mime(&row.content_type)
                .ok_or_else(|| StoreError::Corrupt(format!("document {id}: content type")))?,
            name: row.name,
            bytes: row.content,
        })
    }
}
