use sinergi_domain::auth::FieldError;

/// What can go wrong in the store, in terms the web edge can turn into a response.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or it exists in a tenant the actor may not see: the two are
    /// deliberately indistinguishable, so that ids cannot be probed across tenants.
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// A unique value is already taken (an email, a slug, an agency name).
    #[error("conflict on {field}")]
    Conflict { field: &'static str },
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("{0}")]
    Config(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::RowNotFound = err {
            return StoreError::NotFound;
        }
        if let Some(db) = err.as_database_error()
            && db.is_unique_violation()
        {
            return StoreError::Conflict { field: conflict_field(db.message(), db.constraint()) };
        }
        StoreError::Database(err)
    }
}

/// Map a unique violation to the form field it concerns. SQLite names the columns in the
/// message ("UNIQUE constraint failed: users.email"); PostgreSQL names the index.
fn conflict_field(message: &str, constraint: Option<&str>) -> &'static str {
    let hay = constraint.unwrap_or(message);
    for field in ["priority_rank", "email", "slug", "name", "code"] {
        if hay.contains(field) {
            return field;
        }
    }
    "id"
}
