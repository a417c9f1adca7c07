//! Reading the log back: a page of it for `/beheer/logboek` and `peil audit`, filtered by what,
//! who and whose data, and every entry about one contact for a person's request to see their
//! data (AVG art. 15).

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::AuditAction;
use crate::contacts::ContactId;
use crate::db::{Pool, Timestamp};

/// One row of the log as read back. `action` stays the stored text, so rows written by a newer
/// version (with kinds this one does not know) still show. The NEN 7513 fields are `None` in
/// rows written before they existed, and by actions that concern no one's data.
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    #[sqlx(try_from = "Timestamp")]
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub detail: String,
    pub subject_contact: Option<i64>,
    pub subject: Option<String>,
    pub on_behalf: Option<String>,
    pub via: Option<String>,
}

/// The columns of [`AuditEntry`], for both queries (sqlx takes only literal SQL).
macro_rules! columns {
    () => {
        "id, at, actor, action, detail, subject_contact, subject, on_behalf, via"
    };
}

/// Which rows of the log to read: one kind of action, an actor whose address contains a text,
/// and/or the entries about one contact.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub actor: Option<String>,
    pub contact: Option<ContactId>,
}

/// Rows `offset..offset + limit` of the log as `filter` selects it, newest first, and whether
/// older rows follow.
pub async fn page(
    pool: &Pool,
    filter: &AuditFilter,
    offset: i64,
    limit: i64,
) -> Result<(Vec<AuditEntry>, bool), sqlx::Error> {
    // The typed text is matched literally: `%` and `_` in it are no wildcards.
    let actor = filter.actor.as_deref().map(|text| crate::db::like_containing(&text.to_lowercase()));
    let mut rows: Vec<AuditEntry> = sqlx::query_as(concat!(
        "SELECT ",
        columns!(),
        " FROM audit_log \
         WHERE ($1 IS NULL OR action = $1) AND ($2 IS NULL OR LOWER(actor) LIKE $2 ESCAPE '\\') \
         AND ($3 IS NULL OR subject_contact = $3) \
         ORDER BY id DESC LIMIT $4 OFFSET $5",
    ))
    .bind(filter.action.map(AuditAction::as_str))
    .bind(actor)
    .bind(filter.contact.map(|c| c.0))
    .bind(limit.max(0) + 1)
    .bind(offset.max(0))
    .fetch_all(pool)
    .await?;
    let more = rows.len() as i64 > limit.max(0);
    rows.truncate(usize::try_from(limit.max(0)).unwrap_or(0));
    Ok((rows, more))
}

/// The newest `limit` rows, newest first. A row whose time is not a stored moment is an error,
/// not a row from 1970: the log must not misdate what it answers for.
pub async fn list(pool: &Pool, limit: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
    Ok(page(pool, &AuditFilter::default(), 0, limit).await?.0)
}

/// Every entry whose data subject is `contact`, oldest first: who read or exported their data,
/// when, in what capacity and how. Entries about a round name no one, so they are not here.
pub async fn about_contact(pool: &Pool, contact: ContactId) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as(concat!("SELECT ", columns!(), " FROM audit_log WHERE subject_contact = $1 ORDER BY id"))
        .bind(contact.0)
        .fetch_all(pool)
        .await
}
