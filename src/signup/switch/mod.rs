//! A person's own changes after signing up, from their link: another session of the round for
//! the same invitation (a seat, or a place on its waiting list), or a switch from a waiting list
//! to a session that still has a seat, in one transaction that either does all of it or nothing.
//!
//! Which sessions a link offers ([`offers`]): not cancelled and not past the round's cancellation
//! deadline (`starts_at - cancel_until`), also after the round's answering period closed, since
//! the intervisie round is open ten days and its meetings come later in the month. How many a
//! person may hold: as many confirmed seats as the form's slot questions allow together
//! ([`super::choices::seats_per_person`]); one for the intervisie.
//!
//! Locking (see the module above): a switch changes the seats of two sessions, so it takes both
//! rows, the lower id first; two switches in opposite directions then wait for each other instead
//! of deadlocking on PostgreSQL. A promotion ([`super::seats::promote_first`]) takes one row only.

use chrono::{DateTime, Duration, Utc};

use super::sessions::{self, Session};
use super::{SeatId, SeatStatus, SessionId, SignupError, seats};
use crate::db::{Db, Pool, Write};
use crate::forms::Form;
use crate::outbox::{self, MailKind, Queue};
use crate::rounds::{InvitationId, RoundId};

/// A round's rules for what its people may choose by link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Terms {
    pub cancel_until: Duration,
    /// Confirmed seats one person may hold in the round.
    pub per_person: u32,
}

#[derive(sqlx::FromRow)]
struct TermsRow {
    form_json: String,
    cancel_until_secs: i64,
}

/// The terms of `round`, read from its form as it was when the round opened.
pub async fn terms<'e, E>(db: E, round: RoundId) -> Result<Terms, SignupError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row: TermsRow = sqlx::query_as("SELECT form_json, cancel_until_secs FROM rounds WHERE id = $1")
        .bind(round)
        .fetch_one(db)
        .await?;
    let form: Form = serde_json::from_str(&row.form_json).map_err(|e| SignupError::Snapshot(round, e))?;
    Ok(Terms {
        cancel_until: Duration::seconds(row.cancel_until_secs),
        per_person: super::choices::seats_per_person(&form),
    })
}

/// The terms of the round `session` belongs to, inside the caller's transaction.
pub(crate) async fn terms_of_session(tx: &mut Write, session: SessionId) -> Result<Terms, SignupError> {
    let round: Option<RoundId> = sqlx::query_scalar("SELECT round_id FROM sessions WHERE id = $1")
        .bind(session)
        .fetch_optional(&mut **tx)
        .await?;
    terms(&mut **tx, round.ok_or(SignupError::UnknownSession(session))?).await
}

/// A seat or waiting place a person holds now.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Held {
    #[sqlx(rename = "id")]
    pub seat: SeatId,
    #[sqlx(rename = "session_id")]
    pub session: SessionId,
    #[sqlx(try_from = "String")]
    pub status: SeatStatus,
}

/// The seats and waiting places `invitation` holds in `round`, cancelled ones left out.
pub async fn held<'e, E>(db: E, round: RoundId, invitation: InvitationId) -> Result<Vec<Held>, SignupError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    Ok(sqlx::query_as(
        "SELECT st.id, st.session_id, st.status FROM seats st JOIN sessions s ON s.id = st.session_id \
         WHERE st.invitation_id = $1 AND s.round_id = $2 AND st.status <> 'cancelled' ORDER BY st.id",
    )
    .bind(invitation)
    .bind(round)
    .fetch_all(db)
    .await?)
}

/// What a person may do with one session of their round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Offer {
    pub session: Session,
    /// Until when it can be chosen by link.
    pub deadline: DateTime<Utc>,
    /// The waiting places the person could leave for a seat here (only when a seat is left).
    pub switch_from: Vec<(SeatId, Session)>,
    /// Whether the person can take a seat (or waiting place) here and keep what they hold.
    pub join: bool,
}

/// The sessions of `round` that `invitation` can still choose, in date order.
pub async fn offers(
    pool: &Pool,
    round: RoundId,
    invitation: InvitationId,
    now: DateTime<Utc>,
) -> Result<Vec<Offer>, SignupError> {
    let terms = terms(pool, round).await?;
    let sessions = sessions::of_round(pool, round).await?;
    let held = held(pool, round, invitation).await?;
    Ok(offered(&sessions, &held, terms, now))
}

/// [`offers`] from what was read. A waiting person is offered a switch to a session with a seat;
/// in a one-session round that is all they are offered there, as a seat kept beside a waiting
/// place would only end that place at its first promotion. Nobody is offered more confirmed seats
/// than the form allows, nor a waiting list they could never move up from.
pub fn offered(sessions: &[Session], held: &[Held], terms: Terms, now: DateTime<Utc>) -> Vec<Offer> {
    let confirmed = held.iter().filter(|h| h.status == SeatStatus::Confirmed).count();
    let room = u32::try_from(confirmed).unwrap_or(u32::MAX) < terms.per_person;
    let waiting: Vec<(SeatId, Session)> = held
        .iter()
        .filter(|h| h.status == SeatStatus::Waiting)
        .filter_map(|h| sessions.iter().find(|s| s.id == h.session).map(|s| (h.seat, s.clone())))
        .collect();
    let mut offers = Vec::new();
    for session in sessions {
        let deadline = session.starts_at - terms.cancel_until;
        if !room || session.cancelled || now >= deadline || held.iter().any(|h| h.session == session.id) {
            continue;
        }
        let seat_left = session.seats_left() > 0;
        let switch_from = if seat_left { waiting.clone() } else { Vec::new() };
        let join = !(terms.per_person == 1 && seat_left && !waiting.is_empty());
        offers.push(Offer { session: session.clone(), deadline, switch_from, join });
    }
    offers
}

/// What a person chose on their page: a session by its code, and the waiting place to leave for
/// a seat there, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Choice<'a> {
    pub code: &'a str,
    pub leave: Option<SeatId>,
}

/// The outcome of a choice: the new seat or waiting place, and the waiting place left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub taken: seats::Taken,
    pub left: Option<SessionId>,
}

/// Carries out `choice` for `invitation` in `round`: all of it in one transaction, or nothing.
/// A switch only goes to a seat: when the last one went meanwhile it is `Full` and nothing
/// changes, the person keeps their waiting place.
pub async fn choose(
    db: &Db,
    round: RoundId,
    invitation: InvitationId,
    choice: &Choice<'_>,
    now: DateTime<Utc>,
) -> Result<Chosen, SignupError> {
    let mut tx = db.write().await?;
    let target: SessionId = sqlx::query_scalar("SELECT id FROM sessions WHERE round_id = $1 AND code = $2")
        .bind(round)
        .bind(choice.code)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| SignupError::NotOffered(choice.code.to_string()))?;
    let leaving = match choice.leave {
        Some(seat) => Some((seat, session_of(&mut tx, seat, round, invitation).await?)),
        None => None,
    };
    let mut locks = vec![target];
    locks.extend(leaving.map(|(_, session)| session).filter(|s| *s != target));
    locks.sort_by_key(|s| s.0);
    for session in locks {
        sessions::lock(&mut tx, session).await?;
    }
    // Everything below is read under the locks: what the page showed may have changed.
    let terms = terms(&mut *tx, round).await?;
    let session = sessions::fetch(&mut *tx, target).await?;
    if session.cancelled {
        return Err(SignupError::NotOffered(choice.code.to_string()));
    }
    let deadline = session.starts_at - terms.cancel_until;
    if now >= deadline {
        return Err(SignupError::ChoiceClosed { deadline });
    }
    let held = held(&mut *tx, round, invitation).await?;
    if held.iter().any(|h| h.session == target) {
        return Err(SignupError::AlreadyHeld);
    }
    let confirmed = u32::try_from(held.iter().filter(|h| h.status == SeatStatus::Confirmed).count());
    if confirmed.unwrap_or(u32::MAX) >= terms.per_person {
        return Err(SignupError::SeatLimit(terms.per_person));
    }
    let chosen = match leaving {
        None => {
            Chosen { taken: seats::take(&mut tx, round, choice.code, invitation, now).await?, left: None }
        }
        Some((seat, from)) => {
            if !held.iter().any(|h| h.seat == seat && h.status == SeatStatus::Waiting) {
                return Err(SignupError::NotWaiting);
            }
            switch(&mut tx, seat, target, now).await?;
            let taken = seats::seat_in(&mut tx, target, invitation, SeatStatus::Confirmed, now).await?;
            Chosen { taken, left: Some(from) }
        }
    };
    tx.commit().await?;
    Ok(chosen)
}

/// The session of `seat`, which must be `invitation`'s own in `round`.
async fn session_of(
    tx: &mut Write,
    seat: SeatId,
    round: RoundId,
    invitation: InvitationId,
) -> Result<SessionId, SignupError> {
    let session: Option<SessionId> = sqlx::query_scalar(
        "SELECT st.session_id FROM seats st JOIN sessions s ON s.id = st.session_id \
         WHERE st.id = $1 AND st.invitation_id = $2 AND s.round_id = $3",
    )
    .bind(seat)
    .bind(invitation)
    .bind(round)
    .fetch_optional(&mut **tx)
    .await?;
    session.ok_or(SignupError::UnknownSeat(seat))
}

/// Counts a seat in `target` and ends the waiting place `seat`, with its cancellation mail; a
/// full `target` is `Full` before anything is written.
async fn switch(
    tx: &mut Write,
    seat: SeatId,
    target: SessionId,
    now: DateTime<Utc>,
) -> Result<(), SignupError> {
    let counted: Option<SessionId> = sqlx::query_scalar(
        "UPDATE sessions SET taken = taken + 1 WHERE id = $1 AND cancelled = 0 AND taken < capacity RETURNING id",
    )
    .bind(target)
    .fetch_optional(&mut **tx)
    .await?;
    if counted.is_none() {
        let code: String = sqlx::query_scalar("SELECT code FROM sessions WHERE id = $1")
            .bind(target)
            .fetch_one(&mut **tx)
            .await?;
        return Err(SignupError::Full(code));
    }
    seats::end(tx, seat, now).await?;
    outbox::enqueue(tx, Queue::Seat(MailKind::SeatCancelled, seat, ""), now, now).await?;
    Ok(())
}

#[cfg(test)]
mod tests;
