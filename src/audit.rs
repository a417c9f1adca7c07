//! The audit log: who logged in (or tried to), who added whom, who looked at free text or took an
//! export. It answers "who saw what, when" for the organisation's privacy officer. A row never
//! holds answers, passwords or tokens: callers pass a short description, not data.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;

use crate::db::{self, Pool};

/// What happened. Stored as the lower-case name (`login_failed`), so the log stays readable in
/// plain SQL and new kinds need no migration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    Login,
    LoginFailed,
    /// A login refused by the rate limit before the password was even checked.
    LoginThrottled,
    Logout,
    UserAdded,
    PasswordLinkCreated,
    PasswordSet,
    ResultsViewed,
    FreeTextViewed,
    Exported,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::LoginThrottled => "login_throttled",
            AuditAction::Logout => "logout",
            AuditAction::UserAdded => "user_added",
            AuditAction::PasswordLinkCreated => "password_link_created",
            AuditAction::PasswordSet => "password_set",
            AuditAction::ResultsViewed => "results_viewed",
            AuditAction::FreeTextViewed => "free_text_viewed",
            AuditAction::Exported => "exported",
        }
    }
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the log as read back. `action` stays the stored text, so rows written by a newer
/// version (with kinds this one does not know) still show.
#[derive(Clone, Debug, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<String>,
    pub action: String,
    pub detail: String,
}

/// Appends a row. Takes any executor, so a change and its audit row can share one transaction:
/// `record(&mut *tx, ...)` or `record(&pool, ...)`.
pub async fn record<'e, E>(
    executor: E,
    at: DateTime<Utc>,
    actor: Option<&str>,
    action: AuditAction,
    detail: &str,
) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("INSERT INTO audit_log (at, actor, action, detail) VALUES ($1, $2, $3, $4)")
        .bind(db::timestamp(at))
        .bind(actor.map(str::to_owned))
        .bind(action.as_str())
        .bind(detail.to_owned())
        .execute(executor)
        .await?;
    Ok(())
}

/// The newest `limit` rows, newest first.
pub async fn list(pool: &Pool, limit: i64) -> Result<Vec<AuditEntry>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, at, actor, action, detail FROM audit_log ORDER BY id DESC LIMIT $1")
        .bind(limit.max(0))
        .fetch_all(pool)
        .await?;
    let mut entries = Vec::with_capacity(rows.len());
    for row in rows {
        let at: String = row.try_get("at")?;
        entries.push(AuditEntry {
            id: row.try_get("id")?,
            at: db::parse_timestamp(&at).unwrap_or_default(),
            actor: row.try_get("actor")?,
            action: row.try_get("action")?,
            detail: row.try_get("detail")?,
        });
    }
    Ok(entries)
}
