//! What is kept by age rather than by round: mail that was dealt with, and its `.eml` files;
//! registrations never confirmed; audit entries; and the rows the rate limits count, which are
//! needed for their window only.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::db::Write;

/// Longer than any rate limit's window (15 minutes for links and logins, an hour for
/// registrations): rows older than this count for nothing.
pub const ATTEMPTS_KEPT: chrono::Duration = chrono::Duration::days(1);

/// Mail rows that were sent, failed for good or were cancelled at or before `cutoff`. Mail that
/// still waits is not touched: it goes when its link expires.
pub(super) async fn outbox(tx: &mut Write, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    crate::outbox::retention::remove_done_before(tx, cutoff).await
}

pub(super) async fn audit(tx: &mut Write, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    crate::audit::remove_before(tx, cutoff).await
}

/// The rows the rate limits count (failed logins, failed links, registrations), each removed by
/// the module that owns its table.
pub(super) async fn attempts(tx: &mut Write, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let cutoff = now - ATTEMPTS_KEPT;
    let logins = crate::accounts::remove_login_attempts_before(tx, cutoff).await?;
    let links = crate::rounds::retention::remove_link_failures_before(tx, cutoff).await?;
    let registrations = crate::signup::retention::remove_attempts_before(tx, cutoff).await?;
    Ok(logins + links + registrations)
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
