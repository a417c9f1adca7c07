//! Seats: taking one (or a place on the waiting list), cancelling one, and moving the first
//! person on the waiting list up when a seat comes free. Each runs inside a transaction that
//! first updates the session's row; see the module above for why that is enough.

use chrono::{DateTime, Utc};

use super::sessions::{self, Session};
use super::{SeatId, SeatStatus, SessionId, SignupError};
use crate::certificates;
use crate::db::{Db, Pool, Timestamp, Write};
use crate::outbox::MailKind;
use crate::outbox::{self, Queue};
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
///
/// The session row stays locked from the first statement here to the caller's COMMIT, so on
/// PostgreSQL, where each statement is a round trip and sign-ups for one session wait for that
/// lock one after another, it is all one statement, and the caller commits at once. SQLite has
/// one writer at a time anyway and no round trips; there it goes step by step.
pub async fn take(
    tx: &mut Write,
    round: RoundId,
    code: &str,
    invitation: InvitationId,
    now: DateTime<Utc>,
) -> Result<Taken, SignupError> {
    if tx.backend_name() == "PostgreSQL" {
        let taken = take_in_one_statement(tx, round, code, invitation, now).await?;
        return taken.ok_or_else(|| SignupError::NotOffered(code.to_string()));
    }
    // The one step that gives a seat: the row is only updated while a seat is left.
    let confirmed: Option<SessionId> = sqlx::query_scalar(
        "UPDATE sessions SET taken = taken + 1 \
         WHERE round_id = $1 AND code = $2 AND cancelled = 0 AND taken < capacity RETURNING id",
    )
    .bind(round)
    .bind(code)
    .fetch_optional(&mut **tx)
    .await?;
    let (session, status) = match confirmed {
        Some(id) => (id, SeatStatus::Confirmed),
        None => {
            let full: Option<SessionId> = sqlx::query_scalar(
                "UPDATE sessions SET revision = revision WHERE round_id = $1 AND code = $2 AND cancelled = 0 RETURNING id",
            )
            .bind(round)
            .bind(code)
            .fetch_optional(&mut **tx)
            .await?;
            (full.ok_or_else(|| SignupError::NotOffered(code.to_string()))?, SeatStatus::Waiting)
        }
    };
    seat_in(tx, session, invitation, status, now).await
}

/// A seat as [`take_in_one_statement`] returns it.
#[derive(sqlx::FromRow)]
struct TakenRow {
    id: SeatId,
    session_id: SessionId,
    #[sqlx(try_from = "String")]
    status: SeatStatus,
    position: Option<i64>,
}

/// [`take`] on PostgreSQL: locks the session's row, counts a confirmed seat while one is left,
/// inserts the seat and queues its mail, in one statement. `None` when the round offers no such
/// session (cancelled, or an unknown code). `FOR UPDATE` reads the row as the last holder of the
/// lock committed it, and the `UPDATE` of `taken` acts on that same version, so the count stays
/// exact; the waiting place comes from `waiting_before` (migration 0019), which reads after the
/// lock is held.
async fn take_in_one_statement(
    tx: &mut Write,
    round: RoundId,
    code: &str,
    invitation: InvitationId,
    now: DateTime<Utc>,
) -> Result<Option<Taken>, SignupError> {
    let row: Option<TakenRow> = sqlx::query_as(concat!(
        "WITH chosen AS MATERIALIZED (SELECT id, taken < capacity AS free FROM sessions \
         WHERE round_id = $1 AND code = $2 AND cancelled = 0 FOR UPDATE), \
         counted AS (UPDATE sessions SET taken = taken + 1 FROM chosen \
         WHERE sessions.id = chosen.id AND chosen.free), \
         new_seat AS (INSERT INTO seats (session_id, invitation_id, status, created_at, updated_at) \
         SELECT id, $3, CASE WHEN free THEN 'confirmed' ELSE 'waiting' END, $4, $4 FROM chosen \
         RETURNING id, session_id, invitation_id, status, created_at), \
         mail AS (",
        crate::outbox::mail_about_new_seat!(),
        ") SELECT id, session_id, status, \
         CASE WHEN status = 'waiting' THEN waiting_before(session_id, id) + 1 END AS position FROM new_seat"
    ))
    .bind(round)
    .bind(code)
    .bind(invitation)
    .bind(Timestamp::from(now))
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(|row| Taken {
        seat: row.id,
        session: row.session_id,
        status: row.status,
        position: row.position.and_then(|p| u32::try_from(p).ok()),
    }))
}

/// Writes a seat of `status` in `session` for `invitation` and queues the mail that says which.
/// The caller holds the session's lock and has counted a confirmed seat in `taken` already.
pub(crate) async fn seat_in(
    tx: &mut Write,
    session: SessionId,
    invitation: InvitationId,
    status: SeatStatus,
    now: DateTime<Utc>,
) -> Result<Taken, SignupError> {
    let seat: SeatId = sqlx::query_scalar(
        "INSERT INTO seats (session_id, invitation_id, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $4) RETURNING id",
    )
    .bind(session)
    .bind(invitation)
    .bind(status.as_str())
    .bind(Timestamp::from(now))
    .fetch_one(&mut **tx)
    .await?;
    let kind = if status == SeatStatus::Confirmed { MailKind::SeatConfirmed } else { MailKind::SeatWaiting };
    outbox::enqueue(tx, Queue::Seat(kind, seat, ""), now, now).await?;
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
    .bind(session)
    .bind(seat)
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

/// A seat as a cancellation needs it, read under the session's lock.
#[derive(sqlx::FromRow)]
struct Held {
    #[sqlx(try_from = "String")]
    status: SeatStatus,
    invitation_id: InvitationId,
    #[sqlx(try_from = "Timestamp")]
    starts_at: DateTime<Utc>,
    cancel_until_secs: i64,
}

/// Cancels a seat. A confirmed seat goes, in the same transaction, to the first person on the
/// waiting list, who is told by mail; the person who cancelled gets a cancellation (with the
/// calendar entry withdrawn).
pub async fn cancel(db: &Db, seat: SeatId, by: By, now: DateTime<Utc>) -> Result<Cancelled, SignupError> {
    let mut tx = db.write().await?;
    // The first statement writes: a SQLite transaction that read first could not upgrade to a
    // writer while another process writes, and would fail instead of waiting its turn.
    let session: Option<SessionId> = sqlx::query_scalar(
        "UPDATE sessions SET revision = revision WHERE id = (SELECT session_id FROM seats WHERE id = $1) RETURNING id",
    )
    .bind(seat)
    .fetch_optional(&mut *tx)
    .await?;
    let session = session.ok_or(SignupError::UnknownSeat(seat))?;
    // Read again under the lock: another cancellation may have come first.
    let held: Held = sqlx::query_as(
        "SELECT st.status, st.invitation_id, s.starts_at, r.cancel_until_secs FROM seats st \
         JOIN sessions s ON s.id = st.session_id JOIN rounds r ON r.id = s.round_id WHERE st.id = $1",
    )
    .bind(seat)
    .fetch_one(&mut *tx)
    .await?;
    let was = held.status;
    if let By::Person(invitation) = by {
        if held.invitation_id != invitation {
            return Err(SignupError::UnknownSeat(seat));
        }
        let deadline = held.starts_at - chrono::Duration::seconds(held.cancel_until_secs);
        if was != SeatStatus::Cancelled && now >= deadline {
            return Err(SignupError::TooLate { deadline });
        }
    }
    if was == SeatStatus::Cancelled {
        return Err(SignupError::AlreadyCancelled);
    }
    end(&mut tx, seat, now).await?;
    outbox::enqueue(&mut tx, Queue::Seat(MailKind::SeatCancelled, seat, ""), now, now).await?;
    let promoted = pass_on(&mut tx, session, was, now).await?;
    tx.commit().await?;
    Ok(Cancelled { session, was, promoted })
}

/// Gives the place of a seat that just ended to the first person waiting (who is mailed), or
/// frees it; nothing for a seat that held no place (`was` waiting). The caller holds the
/// session's lock and has ended the seat. Cancelling, moving and erasing a person all come
/// through here, so the waiting list moves up the same way for each.
pub(crate) async fn pass_on(
    tx: &mut Write,
    session: SessionId,
    was: SeatStatus,
    now: DateTime<Utc>,
) -> Result<Option<SeatId>, SignupError> {
    if was != SeatStatus::Confirmed {
        return Ok(None);
    }
    let promoted = promote_first(tx, session, now).await?;
    if promoted.is_none() {
        sqlx::query("UPDATE sessions SET taken = taken - 1 WHERE id = $1")
            .bind(session)
            .execute(&mut **tx)
            .await?;
    }
    Ok(promoted)
}

/// Marks a seat cancelled; the caller holds its session's lock and keeps `taken` right.
pub(crate) async fn end(tx: &mut Write, seat: SeatId, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE seats SET status = 'cancelled', updated_at = $2 WHERE id = $1")
        .bind(seat)
        .bind(Timestamp::from(now))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Moves the first person on the waiting list into a seat and queues their mail. The caller
/// holds the session's lock and keeps `taken` right.
///
/// In a round whose form allows one session per person (the intervisie), a waiting person who
/// holds a confirmed seat in another session of the round by now (a second waiting list moved
/// first) is passed over: their waiting place here ends, without a mail, and the next in line
/// moves up. No mail because they did nothing and lose nothing they could still use: the seat
/// they hold was confirmed by its own mail, and their page shows this place as ended. The other
/// session is only read, never locked: a second lock here could deadlock on PostgreSQL against
/// a promotion there.
pub(crate) async fn promote_first(
    tx: &mut Write,
    session: SessionId,
    now: DateTime<Utc>,
) -> Result<Option<SeatId>, SignupError> {
    let one_per_person = super::switch::terms_of_session(tx, session).await?.per_person == 1;
    loop {
        let first: Option<(SeatId, InvitationId)> = sqlx::query_as(
            "SELECT id, invitation_id FROM seats WHERE session_id = $1 AND status = 'waiting' ORDER BY id LIMIT 1",
        )
        .bind(session)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((seat, invitation)) = first else { return Ok(None) };
        if one_per_person && seated_elsewhere(tx, session, invitation).await? {
            end(tx, seat, now).await?;
            continue;
        }
        sqlx::query("UPDATE seats SET status = 'confirmed', updated_at = $2 WHERE id = $1")
            .bind(seat)
            .bind(Timestamp::from(now))
            .execute(&mut **tx)
            .await?;
        outbox::enqueue(tx, Queue::Seat(MailKind::SeatPromoted, seat, ""), now, now).await?;
        return Ok(Some(seat));
    }
}

/// Whether `invitation` holds a confirmed seat in another session of `session`'s round.
async fn seated_elsewhere(
    tx: &mut Write,
    session: SessionId,
    invitation: InvitationId,
) -> Result<bool, sqlx::Error> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM seats st JOIN sessions s ON s.id = st.session_id \
         WHERE st.invitation_id = $1 AND st.status = 'confirmed' AND s.id <> $2 \
         AND s.round_id = (SELECT round_id FROM sessions WHERE id = $2)",
    )
    .bind(invitation)
    .bind(session)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

#[derive(sqlx::FromRow)]
struct Active {
    id: SeatId,
    #[sqlx(try_from = "String")]
    status: SeatStatus,
}

/// The seats of a session that still hold a place, in queue order.
pub(crate) async fn active(
    tx: &mut Write,
    session: SessionId,
) -> Result<Vec<(SeatId, SeatStatus)>, SignupError> {
    let rows: Vec<Active> = sqlx::query_as(
        "SELECT id, status FROM seats WHERE session_id = $1 AND status <> 'cancelled' ORDER BY id",
    )
    .bind(session)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(|row| (row.id, row.status)).collect())
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

#[derive(sqlx::FromRow)]
struct Mine {
    id: SeatId,
    session_id: SessionId,
    #[sqlx(try_from = "String")]
    status: SeatStatus,
    cancel_until_secs: i64,
}

/// Every seat an invitation holds or held, in session order.
pub async fn of_invitation(pool: &Pool, invitation: InvitationId) -> Result<Vec<MySeat>, SignupError> {
    let rows: Vec<Mine> = sqlx::query_as(
        "SELECT st.id, st.session_id, st.status, r.cancel_until_secs FROM seats st \
         JOIN sessions s ON s.id = st.session_id JOIN rounds r ON r.id = s.round_id \
         WHERE st.invitation_id = $1 ORDER BY s.starts_at, st.id",
    )
    .bind(invitation)
    .fetch_all(pool)
    .await?;
    let mut seats = Vec::new();
    for row in rows {
        let session = sessions::get(pool, row.session_id).await?;
        let position = match row.status {
            SeatStatus::Waiting => Some(position(pool, session.id, row.id).await?),
            _ => None,
        };
        let cancel_until = session.starts_at - chrono::Duration::seconds(row.cancel_until_secs);
        seats.push(MySeat { seat: row.id, status: row.status, position, session, cancel_until });
    }
    Ok(seats)
}

#[derive(sqlx::FromRow)]
struct Upcoming {
    id: SessionId,
    #[sqlx(try_from = "Timestamp")]
    starts_at: DateTime<Utc>,
    remind_before_secs: i64,
}

/// Queues the day-before reminder for every confirmed seat of a session that starts within its
/// round's `remind_before`; the dedupe key makes repeated ticks harmless. Returns new rows.
pub async fn queue_session_reminders(db: &Db, now: DateTime<Utc>) -> Result<u64, SignupError> {
    let horizon = now + chrono::Duration::days(14);
    let rows: Vec<Upcoming> = sqlx::query_as(
        "SELECT s.id, s.starts_at, r.remind_before_secs FROM sessions s JOIN rounds r ON r.id = s.round_id \
         WHERE s.cancelled = 0 AND s.starts_at > $1 AND s.starts_at <= $2",
    )
    .bind(Timestamp::from(now))
    .bind(Timestamp::from(horizon))
    .fetch_all(db.read())
    .await?;
    let mut queued = 0;
    for row in rows {
        let before = chrono::Duration::seconds(row.remind_before_secs);
        if before.is_zero() || row.starts_at - before > now {
            continue;
        }
        let mut tx = db.write().await?;
        sessions::lock(&mut tx, row.id).await?;
        for (seat, status) in active(&mut tx, row.id).await? {
            if status == SeatStatus::Confirmed {
                queued +=
                    outbox::enqueue(&mut tx, Queue::Seat(MailKind::SessionReminder, seat, ""), now, now)
                        .await?;
            }
        }
        tx.commit().await?;
    }
    Ok(queued)
}

/// Records whether the person in `seat` attended, in the caller's transaction: present issues
/// their certificate of attendance (or makes it valid again) and queues its mail, absent
/// withdraws it (see `crate::certificates`). Every way of recording attendance (the command, the
/// tablet page) comes through here, so what follows from it follows from each.
pub(crate) async fn mark_attended(
    tx: &mut Write,
    seat: SeatId,
    attended: bool,
    now: DateTime<Utc>,
) -> Result<(), SignupError> {
    let done = sqlx::query("UPDATE seats SET attended = $2, updated_at = $3 WHERE id = $1")
        .bind(seat)
        .bind(i64::from(attended))
        .bind(Timestamp::from(now))
        .execute(&mut **tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(SignupError::UnknownSeat(seat));
    }
    if attended {
        certificates::issue(tx, seat, now).await?;
    } else {
        certificates::withdraw(tx, seat, now).await?;
    }
    Ok(())
}
