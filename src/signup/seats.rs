//! Seats: taking one (or a place on the waiting list), cancelling one, and moving the first
//! person on the waiting list up when a seat comes free. Each runs inside a transaction that
//! first updates the session's row; see the module above for why that is enough.

use chrono::{DateTime, Utc};
use sqlx::Row;

use super::queue_seat_mail;
use super::sessions::{self, Session};
use super::{SeatId, SeatStatus, SessionId, SignupError, Tx};
use crate::db::{self, Pool};
use crate::outbox::MailKind;
use crate::rounds::{InvitationId, RoundId};

/// The outcome of a sign-up for one session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Taken {
    pub seat: SeatId,
    pub session: SessionId,
    pub status: SeatStatus,
    /// Place on the waiting list, counted from 1.
    pub position: Option<u32>,
}

/// The outcome of a cancellation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cancelled {
    pub session: SessionId,
    pub was: SeatStatus,
    /// Who moved up into the freed seat.
    pub promoted: Option<SeatId>,
}

/// Takes a seat in the session `code` of `round` for `invitation`, or a place on its waiting
/// list when it is full, and queues the mail that says which, all in the caller's transaction.
pub async fn take(
    tx: &mut Tx<'_>,
    round: RoundId,
    code: &str,
    invitation: InvitationId,
    now: DateTime<Utc>,
) -> Result<Taken, SignupError> {
    // The one step that gives a seat: the row is only updated while a seat is left.
    let confirmed: Option<i64> = sqlx::query_scalar(
        "UPDATE sessions SET taken = taken + 1 \
         WHERE round_id = $1 AND code = $2 AND cancelled = 0 AND taken < capacity RETURNING id",
    )
    .bind(round.0)
    .bind(code)
    .fetch_optional(&mut **tx)
    .await?;
    let (session, status) = match confirmed {
        Some(id) => (SessionId(id), SeatStatus::Confirmed),
        None => {
            let full: Option<i64> = sqlx::query_scalar(
                "UPDATE sessions SET revision = revision WHERE round_id = $1 AND code = $2 AND cancelled = 0 RETURNING id",
            )
            .bind(round.0)
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?;
            (SessionId(full.ok_or_else(|| SignupError::NotOffered(code.to_string()))?), SeatStatus::Waiting)
        }
    };
    let seat: i64 = sqlx::query_scalar(
        "INSERT INTO seats (session_id, invitation_id, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(session.0)
    .bind(invitation.0)
    .bind(status.as_str())
    .bind(db::timestamp(now))
    .fetch_one(&mut **tx)
    .await?;
    let seat = SeatId(seat);
    let kind = if status == SeatStatus::Confirmed { MailKind::SeatConfirmed } else { MailKind::SeatWaiting };
    queue_seat_mail(tx, kind, seat, "", now).await?;
    let position = match status {
        SeatStatus::Waiting => Some(position(&mut **tx, session, seat).await?),
        _ => None,
    };
    Ok(Taken { seat, session, status, position })
}

/// The place of a waiting seat in its session's queue, counted from 1.
async fn position<'e, E>(db: E, session: SessionId, seat: SeatId) -> Result<u32, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM seats WHERE session_id = $1 AND status = 'waiting' AND id <= $2",
    )
    .bind(session.0)
    .bind(seat.0)
    .fetch_one(db)
    .await?;
    Ok(u32::try_from(n).unwrap_or(0))
}

/// Who may cancel: the person by their link (before the deadline), or a coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Person(InvitationId),
    Coordinator,
}

/// Cancels a seat. A confirmed seat goes, in the same transaction, to the first person on the
/// waiting list, who is told by mail; the person who cancelled gets a cancellation (with the
/// calendar entry withdrawn).
pub async fn cancel(pool: &Pool, seat: SeatId, by: By, now: DateTime<Utc>) -> Result<Cancelled, SignupError> {
    let mut tx = pool.begin().await?;
    // The first statement writes: a SQLite transaction that read first could not upgrade to a
    // writer while another process writes, and would fail instead of waiting its turn.
    let session: Option<i64> = sqlx::query_scalar(
        "UPDATE sessions SET revision = revision WHERE id = (SELECT session_id FROM seats WHERE id = $1) RETURNING id",
    )
    .bind(seat.0)
    .fetch_optional(&mut *tx)
    .await?;
    let session = SessionId(session.ok_or(SignupError::UnknownSeat(seat))?);
    // Read again under the lock: another cancellation may have come first.
    let row = sqlx::query(
        "SELECT st.status, st.invitation_id, s.starts_at, r.cancel_until_secs FROM seats st \
         JOIN sessions s ON s.id = st.session_id JOIN rounds r ON r.id = s.round_id WHERE st.id = $1",
    )
    .bind(seat.0)
    .fetch_one(&mut *tx)
    .await?;
    let was = super::seat_status(&row)?;
    if let By::Person(invitation) = by {
        if row.try_get::<i64, _>("invitation_id")? != invitation.0 {
            return Err(SignupError::UnknownSeat(seat));
        }
        let deadline =
            super::time(&row, "starts_at")? - chrono::Duration::seconds(row.try_get("cancel_until_secs")?);
        if was != SeatStatus::Cancelled && now >= deadline {
            return Err(SignupError::TooLate { deadline });
        }
    }
    if was == SeatStatus::Cancelled {
        return Err(SignupError::AlreadyCancelled);
    }
    sqlx::query("UPDATE seats SET status = 'cancelled', updated_at = $2 WHERE id = $1")
        .bind(seat.0)
        .bind(db::timestamp(now))
        .execute(&mut *tx)
        .await?;
    queue_seat_mail(&mut tx, MailKind::SeatCancelled, seat, "", now).await?;
    let mut promoted = None;
    if was == SeatStatus::Confirmed {
        promoted = promote_first(&mut tx, session, now).await?;
        if promoted.is_none() {
            sqlx::query("UPDATE sessions SET taken = taken - 1 WHERE id = $1")
                .bind(session.0)
                .execute(&mut *tx)
                .await?;
        }
    }
    tx.commit().await?;
    Ok(Cancelled { session, was, promoted })
}

/// Moves the first person on the waiting list into a seat and queues their mail. The caller
/// holds the session's lock and keeps `taken` right.
pub(crate) async fn promote_first(
    tx: &mut Tx<'_>,
    session: SessionId,
    now: DateTime<Utc>,
) -> Result<Option<SeatId>, SignupError> {
    let promoted: Option<i64> = sqlx::query_scalar(
        "UPDATE seats SET status = 'confirmed', updated_at = $2 WHERE id = \
         (SELECT id FROM seats WHERE session_id = $1 AND status = 'waiting' ORDER BY id LIMIT 1) RETURNING id",
    )
    .bind(session.0)
    .bind(db::timestamp(now))
    .fetch_optional(&mut **tx)
    .await?;
    let Some(seat) = promoted.map(SeatId) else { return Ok(None) };
    queue_seat_mail(tx, MailKind::SeatPromoted, seat, "", now).await?;
    Ok(Some(seat))
}

/// The seats of a session that still hold a place, in queue order.
pub(crate) async fn active(
    tx: &mut Tx<'_>,
    session: SessionId,
) -> Result<Vec<(SeatId, SeatStatus)>, SignupError> {
    let rows = sqlx::query(
        "SELECT id, status FROM seats WHERE session_id = $1 AND status <> 'cancelled' ORDER BY id",
    )
    .bind(session.0)
    .fetch_all(&mut **tx)
    .await?;
    let mut seats = Vec::new();
    for row in &rows {
        let status = super::seat_status(row)?;
        seats.push((SeatId(row.try_get("id")?), status));
    }
    Ok(seats)
}

/// A person's seat, as their own page shows it.
#[derive(Clone, Debug, serde::Serialize)]
pub struct MySeat {
    pub seat: SeatId,
    pub status: SeatStatus,
    pub position: Option<u32>,
    pub session: Session,
    /// Until when the link can cancel it.
    pub cancel_until: DateTime<Utc>,
}

/// Every seat an invitation holds or held, in session order.
pub async fn of_invitation(pool: &Pool, invitation: InvitationId) -> Result<Vec<MySeat>, SignupError> {
    let rows = sqlx::query(
        "SELECT st.id, st.session_id, st.status, r.cancel_until_secs FROM seats st \
         JOIN sessions s ON s.id = st.session_id JOIN rounds r ON r.id = s.round_id \
         WHERE st.invitation_id = $1 ORDER BY s.starts_at, st.id",
    )
    .bind(invitation.0)
    .fetch_all(pool)
    .await?;
    let mut seats = Vec::new();
    for row in &rows {
        let seat = SeatId(row.try_get("id")?);
        let status = super::seat_status(row)?;
        let session = sessions::get(pool, SessionId(row.try_get("session_id")?)).await?;
        let position = match status {
            SeatStatus::Waiting => Some(position(pool, session.id, seat).await?),
            _ => None,
        };
        let cancel_until = session.starts_at - chrono::Duration::seconds(row.try_get("cancel_until_secs")?);
        seats.push(MySeat { seat, status, position, session, cancel_until });
    }
    Ok(seats)
}

/// Queues the day-before reminder for every confirmed seat of a session that starts within its
/// round's `remind_before`; the dedupe key makes repeated ticks harmless. Returns new rows.
pub async fn queue_session_reminders(pool: &Pool, now: DateTime<Utc>) -> Result<u64, SignupError> {
    let horizon = now + chrono::Duration::days(14);
    let rows = sqlx::query(
        "SELECT s.id, s.starts_at, r.remind_before_secs FROM sessions s JOIN rounds r ON r.id = s.round_id \
         WHERE s.cancelled = 0 AND s.starts_at > $1 AND s.starts_at <= $2",
    )
    .bind(db::timestamp(now))
    .bind(db::timestamp(horizon))
    .fetch_all(pool)
    .await?;
    let mut queued = 0;
    for row in &rows {
        let before = chrono::Duration::seconds(row.try_get("remind_before_secs")?);
        if before.is_zero() || super::time(row, "starts_at")? - before > now {
            continue;
        }
        let session = SessionId(row.try_get("id")?);
        let mut tx = pool.begin().await?;
        sessions::lock(&mut tx, session).await?;
        for (seat, status) in active(&mut tx, session).await? {
            if status == SeatStatus::Confirmed {
                queued += queue_seat_mail(&mut tx, MailKind::SessionReminder, seat, "", now).await?;
            }
        }
        tx.commit().await?;
    }
    Ok(queued)
}

/// Records whether the person in `seat` attended.
pub async fn mark_attended(pool: &Pool, seat: SeatId, attended: bool) -> Result<(), SignupError> {
    let done = sqlx::query("UPDATE seats SET attended = $2 WHERE id = $1")
        .bind(seat.0)
        .bind(i64::from(attended))
        .execute(pool)
        .await?;
    if done.rows_affected() == 0 {
        return Err(SignupError::UnknownSeat(seat));
    }
    Ok(())
}
