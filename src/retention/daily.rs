//! When the terms are carried out: once a day from the scheduler's tick, claimed by one instance
//! (the day is a unique key of `retention_runs`, as `job_state` is for jobs), or by hand,
//! audited. Also what is left of a run and of an expired link to show afterwards.

use chrono::{DateTime, Utc};

use super::{Report, RetentionError, Setup};
use crate::audit::{self, AuditAction};
use crate::catalog::Loaded;
use crate::db::{Db, Pool, Timestamp};
use crate::rounds::InvitationToken;

/// The day's run, if no instance has claimed today (Europe/Amsterdam) yet; `None` when one has.
/// A run that fails gives its claim back, so the next tick tries again; one that stops half-way
/// (the process killed) leaves it, and the next day's run finishes the work.
pub async fn daily(
    db: &Db,
    set: &Loaded,
    setup: &Setup,
    now: DateTime<Utc>,
) -> Result<Option<Report>, RetentionError> {
    let day = crate::time::amsterdam_date(now).to_string();
    let mut w = db.write().await?;
    let claimed: Option<i64> = sqlx::query_scalar(
        "INSERT INTO retention_runs (day, started_at) VALUES ($1, $2) ON CONFLICT (day) DO NOTHING RETURNING id",
    )
    .bind(&day)
    .bind(Timestamp::from(now))
    .fetch_optional(&mut *w)
    .await?;
    w.commit().await?;
    let Some(id) = claimed else { return Ok(None) };
    match super::run(db, set, setup, now, false).await {
        Ok(report) => {
            finish(db, id, &report, now).await?;
            Ok(Some(report))
        }
        Err(e) => {
            let mut w = db.write().await?;
            sqlx::query("DELETE FROM retention_runs WHERE id = $1").bind(id).execute(&mut *w).await?;
            w.commit().await?;
            Err(e)
        }
    }
}

/// A run now, by `actor` (`None`: the command line), recorded and written to the audit log with
/// its counts.
pub async fn by_hand(
    db: &Db,
    set: &Loaded,
    setup: &Setup,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<Report, RetentionError> {
    let report = super::run(db, set, setup, now, false).await?;
    let mut w = db.write().await?;
    let id: i64 = sqlx::query_scalar("INSERT INTO retention_runs (started_at) VALUES ($1) RETURNING id")
        .bind(Timestamp::from(now))
        .fetch_one(&mut *w)
        .await?;
    w.commit().await?;
    finish(db, id, &report, now).await?;
    audit::log(db, now, actor, AuditAction::RetentionRun, &report.summary()).await?;
    Ok(report)
}

async fn finish(db: &Db, id: i64, report: &Report, now: DateTime<Utc>) -> Result<(), RetentionError> {
    let json = serde_json::to_string(report).map_err(RetentionError::Answers)?;
    let mut w = db.write().await?;
    sqlx::query("UPDATE retention_runs SET finished_at = $2, report = $3 WHERE id = $1")
        .bind(id)
        .bind(Timestamp::from(now))
        .bind(json)
        .execute(&mut *w)
        .await?;
    w.commit().await?;
    Ok(())
}

/// The last run that finished.
#[derive(Clone, Debug)]
pub struct LastRun {
    pub finished_at: DateTime<Utc>,
    /// `false` for a run by hand.
    pub daily: bool,
    pub report: Report,
}

pub async fn last_run(pool: &Pool) -> Result<Option<LastRun>, RetentionError> {
    let row: Option<(Option<String>, Timestamp, String)> = sqlx::query_as(
        "SELECT day, finished_at, report FROM retention_runs WHERE finished_at IS NOT NULL \
         ORDER BY finished_at DESC, id DESC LIMIT 1",
    )
    .fetch_optional(pool)
    .await?;
    let Some((day, finished_at, report)) = row else { return Ok(None) };
    // A report this version cannot read is shown as empty rather than failing the page.
    let report = serde_json::from_str(&report).unwrap_or_default();
    Ok(Some(LastRun { finished_at: finished_at.at(), daily: day.is_some(), report }))
}

/// The title of the round whose link `token` was, if that link ended at its retention term.
pub async fn expired_link(pool: &Pool, token: &InvitationToken) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT r.title FROM expired_links e JOIN rounds r ON r.id = e.round_id WHERE e.token_hash = $1",
    )
    .bind(token.hash())
    .fetch_optional(pool)
    .await
}
