//! Seats and registration attempts removed when their retention term is over
//! (`retention::run`), in the run's transaction (rolled back in a dry run).

use chrono::{DateTime, Utc};

/// The seats of round `$1`'s sessions that ended at or before `$2`, whose attendance term is over:
/// one definition for the three tables that let them go (certificates, outbox, seats), as a
/// literal so each statement stays one static SQL string.
macro_rules! past_seats {
    () => {
        "SELECT s.id FROM seats s JOIN sessions x ON x.id = s.session_id WHERE x.round_id = $1 AND x.ends_at <= $2"
    };
}
pub(crate) use past_seats;

use crate::db::{Timestamp, Write};
use crate::rounds::RoundId;

/// The seats of `round`'s sessions that ended at or before `cutoff`: the attendance term is over.
/// Their certificates and mails must be gone first. The rows removed.
pub(crate) async fn remove_past_seats(
    tx: &mut Write,
    round: RoundId,
    cutoff: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(concat!("DELETE FROM seats WHERE id IN (", past_seats!(), ")"))
        .bind(round)
        .bind(Timestamp::from(cutoff))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Registration attempts at or before `cutoff`: older than the rate limit's window, they count
/// for nothing. The rows removed.
pub(crate) async fn remove_attempts_before(
    tx: &mut Write,
    cutoff: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM registration_attempts WHERE at <= $1")
        .bind(Timestamp::from(cutoff))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}
