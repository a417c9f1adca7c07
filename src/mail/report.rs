//! `peil outbox`: how many mails of each round are waiting, sent, failed or cancelled, why mail
//! waits (the last error and the next attempt, while the relay is down) and why the last ones
//! failed. Addresses are shown (the coordinator needs them to fix a list); bodies and
//! links are not, as the outbox does not hold them.

use std::fmt;

use super::{MailError, Status};
use crate::db::{Pool, Timestamp};
use crate::outbox::MailKind;
use crate::rounds::RoundId;

/// The whole picture, ready to print.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub rounds: Vec<RoundCounts>,
    /// The outbox in a few figures, with why mail waits.
    pub summary: crate::outbox::delivery::Summary,
    pub failures: Vec<Failure>,
}

/// Mails per status for one round (`None`: mails that belong to no round).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoundCounts {
    pub round: Option<RoundId>,
    /// In the order of `Status::ALL`.
    pub counts: [i64; 5],
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Failure {
    /// What `peil outbox retry` takes.
    pub id: crate::outbox::OutboxId,
    pub round: Option<RoundId>,
    #[sqlx(try_from = "String")]
    pub kind: MailKind,
    pub email: Option<String>,
    pub reason: String,
    pub attempts: i64,
    /// When the last attempt was made.
    pub at: Timestamp,
}

/// One line of `SELECT ... GROUP BY round_id, status`.
#[derive(sqlx::FromRow)]
struct Count {
    round_id: Option<RoundId>,
    #[sqlx(try_from = "String")]
    status: Status,
    n: i64,
}

/// How many failures the report lists.
const FAILURES: i64 = 10;

pub async fn report(pool: &Pool) -> Result<Report, MailError> {
    let counts: Vec<Count> = sqlx::query_as(
        "SELECT round_id, status, COUNT(*) AS n FROM outbox GROUP BY round_id, status ORDER BY round_id",
    )
    .fetch_all(pool)
    .await?;
    let mut rounds: Vec<RoundCounts> = Vec::new();
    for count in counts {
        // `Status::ALL` lists the variants in their declared order.
        let slot = count.status as usize;
        if rounds.last().is_none_or(|r| r.round != count.round_id) {
            rounds.push(RoundCounts { round: count.round_id, counts: [0; 5] });
        }
        if let Some(last) = rounds.last_mut() {
            last.counts[slot] += count.n;
        }
    }
    let summary = crate::outbox::delivery::summary(pool).await?;
    Ok(Report { rounds, summary, failures: failures(pool).await? })
}

async fn failures(pool: &Pool) -> Result<Vec<Failure>, MailError> {
    let failures = sqlx::query_as(
        "SELECT o.id, o.round_id AS round, o.kind, c.email, COALESCE(o.last_error, '') AS reason, o.attempts, \
         o.due_at AS at FROM outbox o \
         LEFT JOIN invitations i ON i.id = o.invitation_id LEFT JOIN contacts c ON c.id = i.contact_id \
         WHERE o.status = 'failed' ORDER BY o.due_at DESC, o.id DESC LIMIT $1",
    )
    .bind(FAILURES)
    .fetch_all(pool)
    .await?;
    Ok(failures)
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
        let waiting = &self.summary;
        if waiting.waiting > 0 {
            write!(f, "\n{} waiting", waiting.waiting)?;
            if let Some(next) = waiting.next_attempt {
                write!(f, "; next attempt {}", crate::time::dutch(next))?;
            }
            writeln!(f)?;
        }
        if let (n @ 1.., Some(error)) = (waiting.retrying, &waiting.last_error) {
            writeln!(f, "{n} of them to be tried again; last error: {error}")?;
        }
        if !self.failures.is_empty() {
            writeln!(f, "\nlast failures (peil outbox retry MAIL tries one again):")?;
        }
        for failure in &self.failures {
            let at = crate::time::dutch(failure.at.at());
            let round = failure.round.map_or_else(|| "-".to_string(), |r| r.to_string());
            let email = failure.email.as_deref().unwrap_or("(no contact)");
            let (kind, attempts, reason) = (failure.kind.as_str(), failure.attempts, &failure.reason);
            let id = failure.id;
            writeln!(
                f,
                "{at}  mail {id}  round {round}  {kind} to {email} after {attempts} attempt(s): {reason}"
            )?;
        }
        Ok(())
    }
}
