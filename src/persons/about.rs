//! The audit entries about a person. For now the log has no column that says whose data an
//! entry concerns, so this reads the rows whose detail names the address or the contact number
//! (`contact 12 ...`, as the contact pages and this module write it) and those the person wrote
//! as a staff member. When the log gets a proper "whose data" column, this one function is where
//! it is read; the erasure's `audit::forget_address` goes with it.

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
    let named = crate::audit::containing(address.as_str());
    // `contact 12` followed by a space, a colon or nothing: not `contact 123`.
    let numbered = contact.map(|id| format!("contact {id}"));
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT at, actor, action, detail FROM audit_log \
         WHERE LOWER(detail) LIKE $1 ESCAPE '\\' OR LOWER(actor) = $2 \
         OR ($3 IS NOT NULL AND (detail = $3 OR detail LIKE $3 || ' %' OR detail LIKE $3 || ':%')) \
         ORDER BY id DESC LIMIT $4",
    )
    .bind(named)
    .bind(address.as_str())
    .bind(numbered)
    .bind(MAX_ROWS)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| AuditData { at: r.at, actor: r.actor, action: r.action, detail: r.detail })
        .collect())
}
