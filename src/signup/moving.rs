//! What a coordinator does with one person's place: moving it to another session of the round
//! (`move_to`), and enrolling a contact by hand (`enrol`), with an invitation made for them if
//! they had none, as `rounds::invite_late` does for contacts who came later. Each is one
//! transaction with its mails and its audit row; `peil session move|enrol` and
//! `/beheer/bijeenkomsten/<id>` call these.

use chrono::{DateTime, Utc};

use super::seats::{self, Taken};
use super::sessions::{self, Session};
use super::{SeatId, SeatStatus, SessionId, SignupError};
use crate::audit::{self, AuditAction};
use crate::contacts::{self, Contact, ContactId};
use crate::db::{Db, Pool, Write};
use crate::outbox::{self, MailKind, Queue};
use crate::rounds::{self, InvitationId};
use crate::settings::Secret;

/// The outcome of a move: the new seat (confirmed or waiting), and who moved up into the seat
/// the person left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Moved {
    pub from: SessionId,
    pub taken: Taken,
    pub promoted: Option<SeatId>,
}

#[derive(sqlx::FromRow)]
struct Holder {
    session_id: SessionId,
    invitation_id: InvitationId,
}

/// Moves the person in `seat` to session `to` of the same round. The old seat ends (the first
/// person on its waiting list moves up, with their mail; the person gets a mail that withdraws
/// the old calendar entry), and the person takes a seat in `to`, or a waiting place when it is
/// full, with the usual mail and calendar file.
///
/// Both sessions' rows are locked in one transaction, in ascending id order: every other change
/// locks a single session row, and two moves lock in the same order, so no two transactions can
/// each hold a row the other waits for (no deadlock on PostgreSQL; SQLite has one writer anyway).
/// One transaction rather than two steps, so a failure never leaves the person without either
/// place.
pub async fn move_to(
    db: &Db,
    seat: SeatId,
    to: SessionId,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<Moved, SignupError> {
    let holder: Holder = sqlx::query_as("SELECT session_id, invitation_id FROM seats WHERE id = $1")
        .bind(seat)
        .fetch_optional(db.read())
        .await?
        .ok_or(SignupError::UnknownSeat(seat))?;
    let from = holder.session_id;
    if from == to {
        return Err(SignupError::SameSession);
    }
    let mut tx = db.write().await?;
    sessions::lock(&mut tx, from.min(to)).await?;
    sessions::lock(&mut tx, from.max(to)).await?;
    let (old, new) = (sessions::fetch(&mut *tx, from).await?, sessions::fetch(&mut *tx, to).await?);
    if new.round != old.round {
        return Err(SignupError::OtherRound(to));
    }
    if new.cancelled {
        return Err(SignupError::SessionCancelled(to));
    }
    if new.ends_at <= now {
        return Err(SignupError::Over(to));
    }
    // Read again under the locks: the person may have cancelled meanwhile.
    let status: String =
        sqlx::query_scalar("SELECT status FROM seats WHERE id = $1").bind(seat).fetch_one(&mut *tx).await?;
    let was = SeatStatus::parse(&status).ok_or(SignupError::UnknownSeat(seat))?;
    if was == SeatStatus::Cancelled {
        return Err(SignupError::AlreadyCancelled);
    }
    holds_no_place(&mut tx, to, holder.invitation_id).await?;
    seats::end(&mut tx, seat, now).await?;
    outbox::enqueue(&mut tx, Queue::Seat(MailKind::SeatMoved, seat, ""), now, now).await?;
    let promoted = seats::pass_on(&mut tx, from, was, now).await?;
    let taken = seats::take(&mut tx, new.round, &new.code, holder.invitation_id, now).await?;
    let detail = format!(
        "plaats {seat} van bijeenkomst {from} ({}) naar bijeenkomst {to} ({}): {}",
        old.title,
        new.title,
        taken.status.dutch()
    );
    audit::record(&mut tx, now, actor, AuditAction::SeatMoved, &detail).await?;
    tx.commit().await?;
    Ok(Moved { from, taken, promoted })
}

/// Refuses a second place in one session for one person (the database would too, less clearly).
async fn holds_no_place(
    tx: &mut Write,
    session: SessionId,
    invitation: InvitationId,
) -> Result<(), SignupError> {
    let held: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM seats WHERE session_id = $1 AND invitation_id = $2 AND status <> 'cancelled'",
    )
    .bind(session)
    .bind(invitation)
    .fetch_one(&mut **tx)
    .await?;
    if held > 0 { Err(SignupError::AlreadyThere(session)) } else { Ok(()) }
}

/// The contact with this e-mail address (as typed: case and spaces do not matter).
pub async fn contact_by_email(pool: &Pool, email: &str) -> Result<Contact, SignupError> {
    let wanted = email.trim().to_lowercase();
    let id: Option<ContactId> = sqlx::query_scalar("SELECT id FROM contacts WHERE email = $1")
        .bind(&wanted)
        .fetch_optional(pool)
        .await?;
    let found = match id {
        Some(id) => contacts::find(pool, id).await?,
        None => None,
    };
    found.ok_or(SignupError::NotAContact(wanted))
}

/// Gives `contact` a seat in `session`, or a waiting place when it is full, with its mail and
/// calendar file. A contact without an invitation in the round gets one first (no invitation
/// mail: the seat's mail carries their personal link).
pub async fn enrol(
    db: &Db,
    secret: &Secret,
    session: SessionId,
    contact: &Contact,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<Taken, SignupError> {
    let mut tx = db.write().await?;
    sessions::lock(&mut tx, session).await?;
    let target: Session = sessions::fetch(&mut *tx, session).await?;
    if target.cancelled {
        return Err(SignupError::SessionCancelled(session));
    }
    if target.ends_at <= now {
        return Err(SignupError::Over(session));
    }
    let invitation = rounds::invitation_for(&mut tx, target.round, contact, secret, now).await?;
    holds_no_place(&mut tx, session, invitation).await?;
    let taken = seats::take(&mut tx, target.round, &target.code, invitation, now).await?;
    let detail = format!(
        "{} ingeschreven bij bijeenkomst {session} ({}): {}",
        contact.email,
        target.title,
        taken.status.dutch()
    );
    audit::record(&mut tx, now, actor, AuditAction::SeatEnrolled, &detail).await?;
    tx.commit().await?;
    Ok(taken)
}
