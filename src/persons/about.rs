//! The audit entries about a person: those whose "whose data" is their contact (`subject_contact`,
//! as every view and export of one person's data writes it), and the older rows that only name
//! the address or the contact number in their detail (`contact 12 ...`), and those the person
//! wrote as a staff member. The erasure's `audit::forget_address` takes the address out of the
//! latter.

use chrono::{DateTime, Utc};

use super::{Address, AuditData};
use crate::contacts::ContactId;
use crate::db::{Pool, Timestamp};

/// Rows read at most, newest first.
const MAX_ROWS: i64 = 500;

#[derive(sqlx::FromRow)]
struct Row {
    #[sqlx(try_from = "Timestamp")]
    at: DateTime<Utc>,
    actor: Option<String>,
    action: String,
    detail: String,
}

/// The audit entries about `address` (and its contact, when there is one), newest first.
pub async fn about(
    pool: &Pool,
    address: &Address,
    contact: Option<ContactId>,
) -> Result<Vec<AuditData>, sqlx::Error> {
    let named = crate::db::like_containing(address.as_str());
    // `contact 12` followed by a space, a colon or nothing: not `contact 123`.
    let numbered = contact.map(|id| format!("contact {id}"));
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT at, actor, action, detail FROM audit_log \
         WHERE LOWER(detail) LIKE $1 ESCAPE '\\' OR LOWER(actor) = $2 \
         OR ($3 IS NOT NULL AND (detail = $3 OR detail LIKE $3 || ' %' OR detail LIKE $3 || ':%')) \
         OR ($5 IS NOT NULL AND subject_contact = $5) \
         ORDER BY id DESC LIMIT $4",
    )
    .bind(named)
    .bind(address.as_str())
    .bind(numbered)
    .bind(MAX_ROWS)
    .bind(contact.map(|id| id.0))
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditData { at: r.at, actor: r.actor, action: r.action, detail: r.detail })
        .collect())
}
