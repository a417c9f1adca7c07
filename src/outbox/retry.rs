//! Trying a failed mail again, on the coordinator's word (`/beheer/mail`, `peil outbox retry`):
//! the row goes back to `pending`, due now, with a fresh count of attempts (so the worker's
//! backoff starts over instead of giving up at once), in one transaction with its audit row.
//! The worker checks again at send time whether the mail still makes sense (an opt-out, a closed
//! round), so a retry never sends what should not go.

use chrono::{DateTime, Utc};

use super::{OutboxError, OutboxId, Status};
use crate::audit::{self, AuditAction};
use crate::contacts::ContactId;
use crate::db::{Db, Timestamp, Write};
use crate::rounds::RoundId;

/// Puts failed mail `id` back in the queue; refused when there is no such mail or it has not
/// failed (a mail that waits or was sent is left alone).
pub async fn retry(
    db: &Db,
    id: OutboxId,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), OutboxError> {
    let mut tx = db.write().await?;
    let status: Option<String> = sqlx::query_scalar("SELECT status FROM outbox WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let status = status.ok_or(OutboxError::Unknown(id))?;
    let status = Status::parse(&status).ok_or(OutboxError::Unknown(id))?;
    if status != Status::Failed {
        return Err(OutboxError::NotFailed(id, status));
    }
    requeue(&mut tx, Failed::One(id), now).await?;
    audit::record(&mut tx, now, actor, AuditAction::MailRetried, &format!("mail {id}")).await?;
    tx.commit().await?;
    Ok(())
}

/// Puts every failed mail of `round` back in the queue; returns how many (0 changes nothing and
/// writes no audit row).
pub async fn retry_round(
    db: &Db,
    round: RoundId,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    let mut tx = db.write().await?;
    let again = requeue(&mut tx, Failed::OfRound(round), now).await?;
    if again > 0 {
        let detail = format!("{again} mislukte mail(s) van ronde {round}");
        audit::record(&mut tx, now, actor, AuditAction::MailRetried, &detail).await?;
    }
    tx.commit().await?;
    Ok(again)
}

/// Sends the failed mails of `contact` again, in the caller's transaction: after their address
/// was corrected, these are the mails that never arrived. What no longer applies (a round closed
/// since, an answer given) the worker cancels at send time, as for any mail. Returns how many.
pub async fn requeue_failed_for_contact(
    tx: &mut Write,
    contact: ContactId,
    now: DateTime<Utc>,
) -> Result<u64, OutboxError> {
    requeue(tx, Failed::OfContact(contact), now).await
}

/// Which failed mail to put back.
enum Failed {
    One(OutboxId),
    OfRound(RoundId),
    OfContact(ContactId),
}

/// The one way failed mail goes back in the queue: pending, due at `now`, with a fresh count of
/// attempts and no claim or error left.
async fn requeue(tx: &mut Write, which: Failed, now: DateTime<Utc>) -> Result<u64, OutboxError> {
    let (which, key) = match which {
        Failed::One(id) => ("id = $2", id.0),
        Failed::OfRound(round) => ("round_id = $2", round.0),
        Failed::OfContact(contact) => {
            ("invitation_id IN (SELECT id FROM invitations WHERE contact_id = $2)", contact.0)
        }
    };
    let sql = format!(
        "UPDATE outbox SET status = 'pending', due_at = $1, attempts = 0, claimed_until = NULL, \
         last_error = NULL WHERE status = 'failed' AND {which}"
    );
    let done =
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(Timestamp::from(now)).bind(key).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}
