//! The sessions of a sign-up round: created with the round (from the job's rules) or added by a
//! coordinator, changed, cancelled. Every change people must hear of raises `revision`, the
//! calendar files' SEQUENCE, and queues a mail per seat in the same transaction.

use chrono::{DateTime, Utc};

use super::{SessionId, SignupError, seats};
use crate::audit::{self, AuditAction};
use crate::db::{Db, Pool, Timestamp, Write};
use crate::outbox::MailKind;
use crate::outbox::{self, Queue};
use crate::rounds::RoundId;

/// A session to create.
#[derive(Clone, Debug, PartialEq)]
pub struct NewSession {
    /// What a slot answer stores; unique within the round.
    pub code: String,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub online_url: String,
    pub leader: String,
    pub activity_id: String,
    pub capacity: u32,
    /// Accreditation points the job gives it (0: none stated).
    pub points: f64,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Session {
    pub id: SessionId,
    #[sqlx(rename = "round_id")]
    pub round: RoundId,
    pub code: String,
    pub title: String,
    #[sqlx(try_from = "Timestamp")]
    pub starts_at: DateTime<Utc>,
    #[sqlx(try_from = "Timestamp")]
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub online_url: String,
    pub leader: String,
    pub activity_id: String,
    #[sqlx(try_from = "i64")]
    pub capacity: u32,
    /// Confirmed seats.
    #[sqlx(try_from = "i64")]
    pub taken: u32,
    #[sqlx(try_from = "i64")]
    pub waiting: u32,
    /// Read by [`SessionRow`]: stored as 0 or 1, which sqlx reads as no `bool` on SQLite.
    #[sqlx(skip)]
    pub cancelled: bool,
    #[sqlx(try_from = "i64")]
    pub revision: u32,
}

/// A `sessions` row as [`COLUMNS`] selects it.
#[derive(sqlx::FromRow)]
struct SessionRow {
    #[sqlx(flatten)]
    session: Session,
    cancelled: i64,
}

impl From<SessionRow> for Session {
    fn from(row: SessionRow) -> Session {
        Session { cancelled: row.cancelled != 0, ..row.session }
    }
}

impl Session {
    pub fn seats_left(&self) -> u32 {
        self.capacity.saturating_sub(self.taken)
    }

    /// "dinsdag 9 maart 2027, 13.30–15.30 uur".
    pub fn when(&self) -> String {
        crate::time::dutch_span(self.starts_at, self.ends_at)
    }
}

/// What a coordinator may change; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionChange {
    pub title: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub leader: Option<String>,
    pub capacity: Option<u32>,
}

const COLUMNS: &str = "s.id, s.round_id, s.code, s.title, s.starts_at, s.ends_at, s.place, s.online_url, \
     s.leader, s.activity_id, s.capacity, s.taken, s.cancelled, s.revision, \
     (SELECT COUNT(*) FROM seats w WHERE w.session_id = s.id AND w.status = 'waiting') AS waiting";

/// Creates `sessions` for `round` in the caller's transaction (the round's own, when it opens).
pub async fn insert(
    tx: &mut Write,
    round: RoundId,
    sessions: &[NewSession],
    now: DateTime<Utc>,
) -> Result<Vec<SessionId>, SignupError> {
    let mut ids = Vec::new();
    for s in sessions {
        if s.ends_at <= s.starts_at {
            return Err(SignupError::EndsBeforeStart);
        }
        let id: Option<SessionId> = sqlx::query_scalar(
            "INSERT INTO sessions (round_id, code, title, starts_at, ends_at, place, online_url, leader, \
             activity_id, capacity, created_at, points) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (round_id, code) DO NOTHING RETURNING id",
        )
        .bind(round)
        .bind(&s.code)
        .bind(&s.title)
        .bind(Timestamp::from(s.starts_at))
        .bind(Timestamp::from(s.ends_at))
        .bind(&s.place)
        .bind(&s.online_url)
        .bind(&s.leader)
        .bind(&s.activity_id)
        .bind(i64::from(s.capacity))
        .bind(Timestamp::from(now))
        .bind(s.points)
        .fetch_optional(&mut **tx)
        .await?;
        ids.push(id.ok_or_else(|| SignupError::DuplicateCode(round, s.code.clone()))?);
    }
    Ok(ids)
}

/// Adds one session to an open round, audited as `actor`'s (`None`: the command line).
pub async fn add(
    db: &Db,
    round: RoundId,
    new: &NewSession,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<SessionId, SignupError> {
    let mut tx = db.write().await?;
    let ids = insert(&mut tx, round, std::slice::from_ref(new), now).await?;
    let detail = format!(
        "ronde {round}: bijeenkomst {} ({}, {}) op {} toegevoegd, {} plaatsen",
        ids[0],
        new.code,
        new.title,
        crate::time::dutch_span(new.starts_at, new.ends_at),
        new.capacity
    );
    audit::record(&mut tx, now, actor, AuditAction::SessionAdded, &detail).await?;
    tx.commit().await?;
    Ok(ids[0])
}

/// The round's sessions in date order, cancelled ones included.
pub async fn of_round(pool: &Pool, round: RoundId) -> Result<Vec<Session>, SignupError> {
    let sql = format!("SELECT {COLUMNS} FROM sessions s WHERE s.round_id = $1 ORDER BY s.starts_at, s.id");
    let rows: Vec<SessionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(round).fetch_all(pool).await?;
    Ok(rows.into_iter().map(Session::from).collect())
}

/// The sessions of every round that start in the seven days from the start of `now`'s day
/// (Amsterdam), cancelled ones included, in date order: "this week" on the start page of `/beheer`.
pub async fn this_week(pool: &Pool, now: DateTime<Utc>) -> Result<Vec<Session>, SignupError> {
    let today = crate::time::amsterdam_date(now);
    let from = crate::time::from_amsterdam(today.and_time(chrono::NaiveTime::MIN));
    let until = from + chrono::Duration::days(7);
    let sql = format!(
        "SELECT {COLUMNS} FROM sessions s WHERE s.starts_at >= $1 AND s.starts_at < $2 ORDER BY s.starts_at, s.id"
    );
    let rows: Vec<SessionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(Timestamp::from(from))
        .bind(Timestamp::from(until))
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(Session::from).collect())
}

pub async fn get(pool: &Pool, id: SessionId) -> Result<Session, SignupError> {
    fetch(pool, id).await
}

/// One session, read through a pool or inside a transaction.
pub(crate) async fn fetch<'e, E>(db: E, id: SessionId) -> Result<Session, SignupError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let sql = format!("SELECT {COLUMNS} FROM sessions s WHERE s.id = $1");
    let row: Option<SessionRow> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(db).await?;
    row.map(Session::from).ok_or(SignupError::UnknownSession(id))
}

/// Takes the session's row for this transaction: on PostgreSQL a row lock, on SQLite the write
/// lock. Every change to a session's seats starts here, so those changes never interleave.
pub(crate) async fn lock(tx: &mut Write, id: SessionId) -> Result<(), SignupError> {
    let locked: Option<i64> =
        sqlx::query_scalar("UPDATE sessions SET revision = revision WHERE id = $1 RETURNING id")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?;
    locked.map(|_| ()).ok_or(SignupError::UnknownSession(id))
}

/// Changes a session. A new time or place raises the revision and tells every confirmed and
/// waiting person (with a new calendar file); a larger capacity moves people up from the
/// waiting list; a capacity below the confirmed seats is refused.
pub async fn change(
    db: &Db,
    id: SessionId,
    change: &SessionChange,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<Session, SignupError> {
    let mut tx = db.write().await?;
    lock(&mut tx, id).await?;
    let before = fetch(&mut *tx, id).await?;
    if before.cancelled {
        return Err(SignupError::SessionCancelled(id));
    }
    let capacity = change.capacity.unwrap_or(before.capacity);
    if capacity < before.taken {
        return Err(SignupError::CapacityBelowTaken { capacity, taken: before.taken });
    }
    let starts_at = change.starts_at.unwrap_or(before.starts_at);
    let ends_at = change.ends_at.unwrap_or(before.ends_at);
    if ends_at <= starts_at {
        return Err(SignupError::EndsBeforeStart);
    }
    let place = change.place.clone().unwrap_or_else(|| before.place.clone());
    let online_url = change.online_url.clone().unwrap_or_else(|| before.online_url.clone());
    let moved = starts_at != before.starts_at
        || ends_at != before.ends_at
        || place != before.place
        || online_url != before.online_url;
    sqlx::query(
        "UPDATE sessions SET title = $2, starts_at = $3, ends_at = $4, place = $5, online_url = $6, leader = $7, \
         capacity = $8, revision = revision + $9 WHERE id = $1",
    )
    .bind(id)
    .bind(change.title.clone().unwrap_or_else(|| before.title.clone()))
    .bind(Timestamp::from(starts_at))
    .bind(Timestamp::from(ends_at))
    .bind(place)
    .bind(online_url)
    .bind(change.leader.clone().unwrap_or_else(|| before.leader.clone()))
    .bind(i64::from(capacity))
    .bind(i64::from(moved))
    .execute(&mut *tx)
    .await?;
    if moved {
        let revision = before.revision + 1;
        for (seat, _) in seats::active(&mut tx, id).await? {
            outbox::enqueue(
                &mut tx,
                Queue::Seat(MailKind::SessionChanged, seat, &revision.to_string()),
                now,
                now,
            )
            .await?;
        }
    }
    // New seats go to the waiting list first, in its order.
    let mut promoted = 0;
    for _ in before.taken..capacity {
        if seats::promote_first(&mut tx, id, now).await?.is_none() {
            break;
        }
        sqlx::query("UPDATE sessions SET taken = taken + 1 WHERE id = $1").bind(id).execute(&mut *tx).await?;
        promoted += 1;
    }
    let detail = format!(
        "bijeenkomst {id} ({}) gewijzigd{}{}",
        before.title,
        if moved { "; nieuwe tijd of plaats gemeld" } else { "" },
        if promoted > 0 { format!("; {promoted} van de wachtlijst naar een plaats") } else { String::new() }
    );
    audit::record(&mut tx, now, actor, AuditAction::SessionChanged, &detail).await?;
    tx.commit().await?;
    get(db.read(), id).await
}

/// Cancels a session: every seat and place on its waiting list ends, and each person is told.
/// Returns how many people were told.
pub async fn cancel(
    db: &Db,
    id: SessionId,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<u32, SignupError> {
    let mut tx = db.write().await?;
    lock(&mut tx, id).await?;
    let before = fetch(&mut *tx, id).await?;
    let done = sqlx::query("UPDATE sessions SET cancelled = 1, taken = 0, revision = revision + 1 WHERE id = $1 AND cancelled = 0")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(SignupError::SessionCancelled(id));
    }
    let active = seats::active(&mut tx, id).await?;
    for (seat, _) in &active {
        seats::end(&mut tx, *seat, now).await?;
        outbox::enqueue(&mut tx, Queue::Seat(MailKind::SessionCancelled, *seat, ""), now, now).await?;
    }
    let detail = format!(
        "bijeenkomst {id} ({}) op {} afgelast; {} mensen krijgen bericht",
        before.title,
        before.when(),
        active.len()
    );
    audit::record(&mut tx, now, actor, AuditAction::SessionCancelled, &detail).await?;
    tx.commit().await?;
    Ok(u32::try_from(active.len()).unwrap_or(u32::MAX))
}
