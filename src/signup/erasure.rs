//! A person's seats ended and removed on their request (`persons::erase`). A confirmed seat in a
//! session still to come is given up as a cancellation gives it up, so the first on the waiting
//! list moves up with a mail; the person gets no cancellation mail (there is no one to send it
//! to any more).

use chrono::{DateTime, Utc};

use super::{SeatId, SeatStatus, SessionId, SignupError, seats, sessions};

/// What giving up a seat did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GivenUp {
    /// A confirmed seat of a session still to come was freed.
    pub freed: bool,
    /// Someone from the waiting list took it.
    pub promoted: bool,
}

/// Ends `seat` (of `status`, in `session`, starting at `starts`) in the caller's transaction: a
/// confirmed seat still to come passes to the first person waiting; one in a past session only
/// stops counting as taken. Nothing for a waiting or cancelled seat, or a cancelled session.
pub async fn give_up(
    tx: &mut crate::db::Write,
    seat: SeatId,
    status: SeatStatus,
    session: SessionId,
    session_cancelled: bool,
    starts: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<GivenUp, SignupError> {
    if status != SeatStatus::Confirmed || session_cancelled {
        return Ok(GivenUp::default());
    }
    sessions::lock(tx, session).await?;
    seats::end(tx, seat, now).await?;
    if starts > now {
        let promoted = seats::pass_on(tx, session, SeatStatus::Confirmed, now).await?.is_some();
        return Ok(GivenUp { freed: true, promoted });
    }
    sqlx::query("UPDATE sessions SET taken = CASE WHEN taken > 0 THEN taken - 1 ELSE 0 END WHERE id = $1")
        .bind(session)
        .execute(&mut **tx)
        .await?;
    Ok(GivenUp::default())
}

/// Deletes a seat whose mails and certificate are gone already; the rows removed.
pub async fn remove(tx: &mut crate::db::Write, seat: SeatId) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM seats WHERE id = $1").bind(seat).execute(&mut **tx).await?.rows_affected())
}
