//! Recording who came: by e-mail address (`peil session attended`) or by seat from the tablet
//! page, one tick or everyone at once, and undone the same way. Only from the session's start,
//! all or nothing, audited in the same transaction, and always through `seats::mark_attended`.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::AttendanceError;
use crate::audit::{self, AuditAction};
use crate::db::{Db, Timestamp, Write};
use crate::signup::{SeatId, SessionId, seats, sessions};

/// Someone whose attendance was recorded.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Recorded {
    #[sqlx(rename = "id")]
    pub seat: SeatId,
    pub name: String,
    pub email: String,
}

/// Records that the holders of confirmed seats with these e-mail addresses (any case) did, or
/// with `attended = false` did not, attend session `id`, at `now`: from the session's start on.
/// All or nothing: one address without a confirmed seat in the session and nothing is written,
/// so a typo never leaves a list half done.
pub async fn record(
    db: &Db,
    id: SessionId,
    emails: &[String],
    attended: bool,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<Vec<Recorded>, AttendanceError> {
    let mut tx = db.write().await?;
    let mut holders = confirmed(&mut tx, id, now).await?;
    let wanted: BTreeSet<String> = emails.iter().map(|e| e.trim().to_lowercase()).collect();
    let unknown: Vec<String> =
        wanted.iter().filter(|e| !holders.iter().any(|h| h.email.to_lowercase() == **e)).cloned().collect();
    if !unknown.is_empty() {
        drop(tx);
        return Err(AttendanceError::NoConfirmedSeat { session: id, emails: unknown });
    }
    holders.retain(|h| wanted.contains(&h.email.to_lowercase()));
    mark(&mut tx, id, &holders, attended, now, actor).await?;
    tx.commit().await?;
    Ok(holders)
}

/// What a tick on the tablet page records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ticking {
    /// One person came (`true`), or the tick is undone (`false`).
    Seat(SeatId, bool),
    /// "Iedereen aanwezig": every confirmed seat.
    Everyone,
}

/// Records a tick of the tablet page in session `id`, at `now`, by `actor`: from the session's
/// start on, for a confirmed seat of this session only; nothing is written otherwise.
pub async fn tick(
    db: &Db,
    id: SessionId,
    ticking: Ticking,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<Vec<Recorded>, AttendanceError> {
    let mut tx = db.write().await?;
    let mut holders = confirmed(&mut tx, id, now).await?;
    let attended = match ticking {
        Ticking::Seat(seat, attended) => {
            holders.retain(|h| h.seat == seat);
            if holders.is_empty() {
                return Err(AttendanceError::NotASeatHere { session: id, seat });
            }
            attended
        }
        Ticking::Everyone => true,
    };
    mark(&mut tx, id, &holders, attended, now, actor).await?;
    tx.commit().await?;
    Ok(holders)
}

/// The confirmed seats of session `id` with their holders, under the session's lock, once the
/// session has begun.
async fn confirmed(
    tx: &mut Write,
    id: SessionId,
    now: DateTime<Utc>,
) -> Result<Vec<Recorded>, AttendanceError> {
    // The session's row first, as every change to its seats does: a cancellation or promotion
    // running at the same moment comes before or after this, not in between.
    sessions::lock(tx, id).await?;
    let starts: Timestamp = sqlx::query_scalar("SELECT starts_at FROM sessions WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    if now < starts.at() {
        return Err(AttendanceError::NotStarted { session: id, starts: crate::time::dutch(starts.at()) });
    }
    Ok(sqlx::query_as(
        "SELECT st.id, c.name, c.email FROM seats st JOIN invitations i ON i.id = st.invitation_id \
         JOIN contacts c ON c.id = i.contact_id WHERE st.session_id = $1 AND st.status = 'confirmed' \
         ORDER BY st.id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?)
}

/// Marks `holders` and writes one audit row naming the seats (not the people: the log is read
/// by more eyes than the list).
async fn mark(
    tx: &mut Write,
    id: SessionId,
    holders: &[Recorded],
    attended: bool,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<(), AttendanceError> {
    for holder in holders {
        seats::mark_attended(tx, holder.seat, attended, now).await?;
    }
    if holders.is_empty() {
        return Ok(());
    }
    let what = if attended { "aanwezig" } else { "niet aanwezig" };
    let seats: Vec<String> = holders.iter().map(|h| h.seat.to_string()).collect();
    let detail = format!("bijeenkomst {id}: {what}, plaats {}", seats.join(", "));
    audit::record(tx, now, actor, AuditAction::AttendanceRecorded, &detail).await?;
    Ok(())
}
