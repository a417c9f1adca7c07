//! What a coordinator does with rounds besides listing them (`summary`): opening one by hand
//! (audited), closing early, extending, inviting contacts who came later and reminding now.
//! `peil round ...` and `/beheer/rondes` call these; each change is one transaction with its
//! mail rows and its audit row.
//!
//! What closing means for mail: the invitations, reminders and registration links of the round
//! still waiting are cancelled in the closing transaction (the worker would refuse them at send
//! time anyway, see `mail::obsolete`), and the personal links stop taking answers at once, since
//! the answering pages read a round's dates afresh (`RoundCache`).

use chrono::{DateTime, Utc};

use super::{Audience, OpenRequest, Opened, RoundId, RoundState, RoundsError, invitations};
use crate::audit::{self, AuditAction};
use crate::contacts::Contact;
use crate::db::{Db, Pool, Timestamp, Write};
use crate::forms::Forms;
use crate::outbox::{self, Queue};
use crate::settings::Secret;

/// A survey round opened by a person (`/beheer/rondes/nieuw`, `peil round open`): [`super::open`]
/// with its audit row in the same transaction.
pub async fn open_by_hand(
    db: &Db,
    forms: &Forms,
    secret: &Secret,
    request: &OpenRequest,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<Opened, RoundsError> {
    let mut opening = super::begin(db, forms, secret, request, super::Offer::Survey, now).await?;
    let detail = format!(
        "ronde {} ({}): {} uitgenodigd, open tot {}",
        opening.round(),
        request.form_id,
        opening.invited,
        crate::time::dutch(request.closes_at)
    );
    audit::record(opening.tx(), now, actor, AuditAction::RoundOpened, &detail).await?;
    opening.finish(now).await
}

/// The dates of a round, read in the caller's transaction.
struct Dates {
    title: String,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
}

async fn dates(tx: &mut Write, round: RoundId) -> Result<Dates, RoundsError> {
    let row: Option<(String, Timestamp, Timestamp)> =
        sqlx::query_as("SELECT title, opens_at, closes_at FROM rounds WHERE id = $1")
            .bind(round)
            .fetch_optional(&mut **tx)
            .await?;
    let (title, opens_at, closes_at) = row.ok_or(RoundsError::UnknownRound(round))?;
    Ok(Dates { title, opens_at: opens_at.at(), closes_at: closes_at.at() })
}

/// What closing did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Closed {
    /// Waiting invitations, reminders and registration links that will not be sent.
    pub cancelled_mails: u64,
}

/// Closes `round` at `now`: its links take no more answers, and its mails still waiting are
/// cancelled. A round closed already is refused.
pub async fn close(
    db: &Db,
    round: RoundId,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<Closed, RoundsError> {
    let mut tx = db.write().await?;
    let dates = dates(&mut tx, round).await?;
    if dates.closes_at <= now {
        return Err(RoundsError::Closed(round));
    }
    sqlx::query("UPDATE rounds SET closes_at = $2 WHERE id = $1")
        .bind(round)
        .bind(Timestamp::from(now))
        .execute(&mut *tx)
        .await?;
    let cancelled_mails = outbox::cancel_for_closed_round(&mut tx, round, now).await?;
    let detail = format!(
        "ronde {round} ({}) gesloten, was open tot {}; {cancelled_mails} wachtende mails niet verstuurd",
        dates.title,
        crate::time::dutch(dates.closes_at)
    );
    audit::record(&mut tx, now, actor, AuditAction::RoundClosed, &detail).await?;
    tx.commit().await?;
    Ok(Closed { cancelled_mails })
}

/// How many mails [`close`] would cancel now: the round's invitations, reminders and
/// registration links still waiting. (Seat mails of a sign-up round go out as they would.)
pub async fn waiting_mail(pool: &Pool, round: RoundId) -> Result<i64, RoundsError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE round_id = $1 AND status = 'pending' \
         AND kind IN ('invitation', 'reminder', 'registration')",
    )
    .bind(round)
    .fetch_one(pool)
    .await?)
}

/// Moves the close of an open (or not yet open) round to `closes_at`, which must lie after now
/// and after the present close. A closed round stays closed: its results may have been read
/// with the answers it had. The scheduler's reminders count from when the round opened and
/// stop at its close, so they follow the new date by themselves.
pub async fn extend(
    db: &Db,
    round: RoundId,
    closes_at: DateTime<Utc>,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<(), RoundsError> {
    if closes_at <= now {
        return Err(RoundsError::ClosesInThePast);
    }
    let mut tx = db.write().await?;
    let dates = dates(&mut tx, round).await?;
    if dates.closes_at <= now {
        return Err(RoundsError::Closed(round));
    }
    if closes_at <= dates.closes_at {
        return Err(RoundsError::NotLater(crate::time::dutch(dates.closes_at)));
    }
    sqlx::query("UPDATE rounds SET closes_at = $2 WHERE id = $1")
        .bind(round)
        .bind(Timestamp::from(closes_at))
        .execute(&mut *tx)
        .await?;
    let detail = format!(
        "ronde {round} ({}) verlengd van {} tot {}",
        dates.title,
        crate::time::dutch(dates.closes_at),
        crate::time::dutch(closes_at)
    );
    audit::record(&mut tx, now, actor, AuditAction::RoundExtended, &detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Whom [`invite_late`] invites: everyone the round's audience reaches now who has no
/// invitation yet, or the contacts with the given addresses.
#[derive(Clone, Copy, Debug)]
pub enum LateInvitation<'a> {
    Audience,
    Addresses(&'a [String]),
}

/// The contacts [`invite_late`] would invite now, without inviting them.
pub async fn late_contacts(
    pool: &Pool,
    round: RoundId,
    who: LateInvitation<'_>,
) -> Result<Vec<Contact>, RoundsError> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT audience_json FROM rounds WHERE id = $1")
        .bind(round)
        .fetch_optional(pool)
        .await?;
    let (audience,) = row.ok_or(RoundsError::UnknownRound(round))?;
    let invited: Vec<crate::contacts::ContactId> =
        sqlx::query_scalar("SELECT contact_id FROM invitations WHERE round_id = $1")
            .bind(round)
            .fetch_all(pool)
            .await?;
    let invited: std::collections::HashSet<_> = invited.into_iter().collect();
    let people = match who {
        LateInvitation::Audience => {
            let audience = audience.ok_or(RoundsError::NoStoredAudience(round))?;
            let audience: Audience =
                serde_json::from_str(&audience).map_err(|e| RoundsError::Snapshot(round, e))?;
            audience.people(pool).await?
        }
        LateInvitation::Addresses(addresses) => {
            let everyone = Audience::default().people(pool).await?;
            let mut chosen = Vec::new();
            for address in addresses {
                let wanted = address.trim().to_lowercase();
                let contact = everyone.iter().find(|c| c.email == wanted);
                chosen.push(contact.cloned().ok_or_else(|| RoundsError::NotAContact(address.clone()))?);
            }
            chosen
        }
    };
    Ok(people.into_iter().filter(|c| !invited.contains(&c.id)).collect())
}

/// Invites `who` to the open `round` and queues their invitation mails, in one transaction;
/// returns how many were invited. Named addresses need not match the round's audience: the
/// coordinator chose them.
pub async fn invite_late(
    db: &Db,
    secret: &Secret,
    round: RoundId,
    who: LateInvitation<'_>,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<usize, RoundsError> {
    let people = late_contacts(db.read(), round, who).await?;
    let mut tx = db.write().await?;
    let dates = dates(&mut tx, round).await?;
    if dates.closes_at <= now {
        return Err(RoundsError::Closed(round));
    }
    let mut invited = 0;
    for person in &people {
        if invitations::invite(&mut tx, round, person, secret, now).await?.is_some() {
            invited += 1;
        }
    }
    if invited == 0 {
        return Ok(0);
    }
    // Only the new invitations have no mail yet: the dedupe key skips the others.
    outbox::enqueue(&mut tx, Queue::Invitations(round), now, now).await?;
    let detail = format!("ronde {round} ({}): {invited} nagekomen contacten uitgenodigd", dates.title);
    audit::record(&mut tx, now, actor, AuditAction::LateInvited, &detail).await?;
    tx.commit().await?;
    Ok(invited)
}

/// How many people [`remind_now`] would remind: invited, not answered, not opted out.
pub async fn to_remind(pool: &Pool, round: RoundId) -> Result<i64, RoundsError> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM invitations i JOIN contacts c ON c.id = i.contact_id \
         WHERE i.round_id = $1 AND i.answered = 0 AND c.opted_out = 0",
    )
    .bind(round)
    .fetch_one(pool)
    .await?)
}

/// Queues a reminder now for everyone invited to the open `round` who has not answered or opted
/// out, as the scheduler's reminders are queued; returns how many were queued (none for those
/// reminded by hand within the hour).
pub async fn remind_now(
    db: &Db,
    round: RoundId,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<u64, RoundsError> {
    let mut tx = db.write().await?;
    let dates = dates(&mut tx, round).await?;
    match RoundState::at(dates.opens_at, dates.closes_at, now) {
        RoundState::Closed => return Err(RoundsError::Closed(round)),
        RoundState::NotYetOpen => return Err(RoundsError::NotYetOpen(round)),
        RoundState::Open => {}
    }
    let queued = outbox::enqueue(&mut tx, Queue::RemindersNow(round), now, now).await?;
    let detail = format!("ronde {round} ({}): {queued} herinneringen in de wachtrij", dates.title);
    audit::record(&mut tx, now, actor, AuditAction::RemindersSent, &detail).await?;
    tx.commit().await?;
    Ok(queued)
}
