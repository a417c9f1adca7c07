//! Mail rows removed when their retention term is over (`retention::run`), in the run's
//! transaction (rolled back in a dry run).

use chrono::{DateTime, Utc};

use crate::db::{Timestamp, Write};
use crate::rounds::{InvitationId, RoundId};

/// Mail that was sent, failed for good or was cancelled at or before `cutoff`: the outbox term is
/// over. Mail that still waits is not touched. The rows removed.
pub(crate) async fn remove_done_before(tx: &mut Write, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM outbox WHERE status IN ('sent', 'failed', 'cancelled') \
         AND COALESCE(sent_at, created_at) <= $1",
    )
    .bind(Timestamp::from(cutoff))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Mail of `invitation` still waiting to go: its link has expired (the links term is over).
pub(crate) async fn remove_pending_of_invitation(
    tx: &mut Write,
    invitation: InvitationId,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM outbox WHERE invitation_id = $1 AND status = 'pending'")
        .bind(invitation)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Mail of the seats of `round`'s sessions that ended at or before `cutoff`: the attendance term
/// is over and the seats go. The rows removed.
pub(crate) async fn remove_of_past_seats(
    tx: &mut Write,
    round: RoundId,
    cutoff: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(concat!(
        "DELETE FROM outbox WHERE seat_id IN (",
        crate::signup::retention::past_seats!(),
        ")"
    ))
    .bind(round)
    .bind(Timestamp::from(cutoff))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}
