//! `peil outbox`: how many mails of each round are waiting, sent, failed or cancelled, and why the
//! last ones failed. Addresses are shown (the coordinator needs them to fix a list); bodies and
//! links are not, as the outbox does not hold them.

use std::fmt;

use sqlx::Row;

use super::{MailError, Status};
use crate::db::{self, Pool};
use crate::outbox::MailKind;
use crate::rounds::RoundId;

/// The whole picture, ready to print.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub rounds: Vec<RoundCounts>,
    pub failures: Vec<Failure>,
}

/// Mails per status for one round (`None`: mails that belong to no round).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundCounts {
    pub round: Option<RoundId>,
    /// In the order of `Status::ALL`.
    pub counts: [i64; 5],
}

#[derive(Clone, Debug)]
pub struct Failure {
    pub round: Option<RoundId>,
    pub kind: MailKind,
    pub email: Option<String>,
    pub reason: String,
    pub attempts: i64,
    pub at: Option<chrono::DateTime<chrono::Utc>>,
}

/// How many failures the report lists.
const FAILURES: i64 = 10;

pub async fn report(pool: &Pool) -> Result<Report, MailError> {
    let rows = sqlx::query(
        "SELECT round_id, status, COUNT(*) AS n FROM outbox GROUP BY round_id, status ORDER BY round_id",
    )
    .fetch_all(pool)
    .await?;
    let mut rounds: Vec<RoundCounts> = Vec::new();
    for row in &rows {
        let round = row.try_get::<Option<i64>, _>("round_id")?.map(RoundId);
        let status: String = row.try_get("status")?;
        let slot = Status::parse(&status).and_then(|s| Status::ALL.iter().position(|a| *a == s));
        let slot = slot.ok_or(MailError::Corrupt(round.map_or(0, |r| r.0), "status"))?;
        if rounds.last().is_none_or(|r| r.round != round) {
            rounds.push(RoundCounts { round, counts: [0; 5] });
        }
        if let Some(last) = rounds.last_mut() {
            last.counts[slot] += row.try_get::<i64, _>("n")?;
        }
    }
    Ok(Report { rounds, failures: failures(pool).await? })
}

async fn failures(pool: &Pool) -> Result<Vec<Failure>, MailError> {
    let rows = sqlx::query(
        "SELECT o.id, o.round_id, o.kind, o.attempts, o.last_error, o.due_at, c.email FROM outbox o \
         LEFT JOIN invitations i ON i.id = o.invitation_id LEFT JOIN contacts c ON c.id = i.contact_id \
         WHERE o.status = 'failed' ORDER BY o.due_at DESC, o.id DESC LIMIT $1",
    )
    .bind(FAILURES)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let id: i64 = row.try_get("id")?;
            let kind: String = row.try_get("kind")?;
            let at: String = row.try_get("due_at")?;
            Ok(Failure {
                round: row.try_get::<Option<i64>, _>("round_id")?.map(RoundId),
                kind: MailKind::parse(&kind).ok_or(MailError::Corrupt(id, "kind"))?,
                email: row.try_get("email")?,
                reason: row.try_get::<Option<String>, _>("last_error")?.unwrap_or_default(),
                attempts: row.try_get("attempts")?,
                at: db::parse_timestamp(&at),
            })
        })
        .collect()
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rounds.is_empty() {
            return writeln!(f, "the outbox is empty");
        }
        write!(f, "{:<8}", "round")?;
        for status in Status::ALL {
            write!(f, "{:>11}", status.as_str())?;
        }
        writeln!(f)?;
        for round in &self.rounds {
            let label = round.round.map_or_else(|| "-".to_string(), |r| r.to_string());
            write!(f, "{label:<8}")?;
            for count in round.counts {
                write!(f, "{count:>11}")?;
            }
            writeln!(f)?;
        }
        if !self.failures.is_empty() {
            writeln!(f, "\nlast failures:")?;
        }
        for failure in &self.failures {
            let at = failure.at.map(crate::time::dutch).unwrap_or_default();
            let round = failure.round.map_or_else(|| "-".to_string(), |r| r.to_string());
            let email = failure.email.as_deref().unwrap_or("(no contact)");
            let (kind, attempts, reason) = (failure.kind.as_str(), failure.attempts, &failure.reason);
            writeln!(f, "{at}  round {round}  {kind} to {email} after {attempts} attempt(s): {reason}")?;
        }
        Ok(())
    }
}
