//! The audit entries about a person. For now the log has no column that says whose data an
//! entry concerns, so this reads the rows whose detail names the address or the contact number
//! (`contact 12 ...`, as the contact pages and this module write it) and those the person wrote
//! as a staff member. When the log gets a proper "whose data" column, this one function is where
//! it is read; the erasure's [`forget_address`] goes with it.

use chrono::{DateTime, Utc};

use super::{Address, AuditData};
use crate::contacts::ContactId;
use crate::db::{Pool, Timestamp, Write};

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
    let named = format!("%{}%", like_escaped(address.as_str()));
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

/// Takes the address out of every audit entry's detail, in the erasure's transaction: the entry
/// stays (what was done, when, by whom), the address becomes "[gewist]". Details hold addresses
/// as stored (lower case); a row that still names it in other capitals is lower-cased whole
/// rather than kept. Returns the rows changed.
pub(super) async fn forget_address(tx: &mut Write, address: &Address) -> Result<u64, sqlx::Error> {
    let pattern = format!("%{}%", like_escaped(address.as_str()));
    let mut changed = 0;
    for sql in [
        "UPDATE audit_log SET detail = REPLACE(detail, $1, '[gewist]') WHERE detail LIKE $2 ESCAPE '\\'",
        "UPDATE audit_log SET detail = REPLACE(LOWER(detail), $1, '[gewist]') \
         WHERE LOWER(detail) LIKE $2 ESCAPE '\\'",
    ] {
        let done = sqlx::query(sql).bind(address.as_str()).bind(&pattern).execute(&mut **tx).await?;
        changed += done.rows_affected();
    }
    Ok(changed)
}

/// The text matched literally by LIKE: `%` and `_` (common in addresses) are no wildcards.
fn like_escaped(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}
