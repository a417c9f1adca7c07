//! What is kept by age rather than by round: mail that was dealt with, and its `.eml` files;
//! registrations never confirmed; audit entries; and the rows the rate limits count, which are
//! needed for their window only.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::db::{Timestamp, Write};

/// Longer than any rate limit's window (15 minutes for links and logins, an hour for
/// registrations): rows older than this count for nothing.
pub const ATTEMPTS_KEPT: chrono::Duration = chrono::Duration::days(1);

/// Mail rows that were sent, failed for good or were cancelled at or before `cutoff`. Mail that
/// still waits is not touched: it goes when its link expires.
pub(super) async fn outbox(tx: &mut Write, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM outbox WHERE status IN ('sent', 'failed', 'cancelled') \
         AND COALESCE(sent_at, created_at) <= $1",
    )
    .bind(Timestamp::from(cutoff))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

pub(super) async fn audit(tx: &mut Write, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM audit_log WHERE at <= $1")
        .bind(Timestamp::from(cutoff))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

pub(super) async fn attempts(tx: &mut Write, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let mut removed = 0;
    for table in ["login_attempts", "link_failures", "registration_attempts"] {
        let sql = format!("DELETE FROM {table} WHERE at <= $1");
        let done = sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(Timestamp::from(now - ATTEMPTS_KEPT))
            .execute(&mut **tx)
            .await?;
        removed += done.rows_affected();
    }
    Ok(removed)
}

/// The `.eml` files in `dir` (the file transport's folder) last written at or before `cutoff`;
/// removed unless `dry_run`. A folder that is not there holds nothing.
pub(super) fn mail_files(dir: &Path, cutoff: DateTime<Utc>, dry_run: bool) -> std::io::Result<u64> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(e),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry?;
        let path = entry.path();
        if path.extension().is_none_or(|ext| ext != "eml") {
            continue;
        }
        let written: DateTime<Utc> = entry.metadata()?.modified()?.into();
        if written > cutoff {
            continue;
        }
        if !dry_run {
            std::fs::remove_file(&path)?;
        }
        removed += 1;
    }
    Ok(removed)
}
