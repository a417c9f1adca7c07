//! What the organiser enters in each register after a session: per register of the round, the
//! lines its import field takes (`BIG-01234567890` for GAIA), one per person marked present
//! whose role counts; who was present without a number, to chase; the deadline; and the mark
//! that it was entered (`register_entries`), which ends the reminder on `/beheer`.

use chrono::{DateTime, Utc};

use super::Register;
use crate::accounts::UserId;
use crate::audit::{self, AuditAction};
use crate::db::{Db, Pool, Timestamp};
use crate::signup::SessionId;
use crate::signup::attendance::Attendee;
use crate::signup::sessions::Session;

#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    /// The register is not one the session's round counts for.
    #[error("session {0} does not count for register `{1}`")]
    UnknownRegister(SessionId, String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// Someone present whom a register cannot be given: no number known.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Missing {
    pub name: String,
    pub email: String,
}

/// One register's part of a session's paperwork.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegisterBlock {
    pub register: Register,
    /// The import field's lines, one per person present with a number, in the list's order.
    pub lines: Vec<String>,
    pub without_number: Vec<Missing>,
    /// `None`: the participant enters it herself.
    pub due: Option<DateTime<Utc>>,
    pub entered: Option<DateTime<Utc>>,
}

/// The blocks of a session whose `people` are as `attendance::attendees` reads them, with the
/// marks `entries` already made.
pub fn blocks(
    session: &Session,
    registers: &[Register],
    people: &[Attendee],
    entries: &[(String, DateTime<Utc>)],
) -> Vec<RegisterBlock> {
    registers
        .iter()
        .map(|register| {
            let mut lines = Vec::new();
            let mut without_number = Vec::new();
            for person in people.iter().filter(|p| p.present() && register.counts_for(&p.role)) {
                match person
                    .registers
                    .iter()
                    .find(|r| r.register == register.id)
                    .and_then(|r| r.number.as_deref())
                {
                    Some(number) => lines.push(register.line(number)),
                    None => without_number
                        .push(Missing { name: person.name.clone(), email: person.email.clone() }),
                }
            }
            RegisterBlock {
                register: register.clone(),
                lines,
                without_number,
                due: register.deadline.due(session.ends_at),
                entered: entries.iter().find(|(id, _)| *id == register.id).map(|(_, at)| *at),
            }
        })
        .collect()
}

/// When each register was marked entered for `session`.
pub async fn of_session(
    pool: &Pool,
    session: SessionId,
) -> Result<Vec<(String, DateTime<Utc>)>, sqlx::Error> {
    let rows: Vec<(String, Timestamp)> =
        sqlx::query_as("SELECT register, entered_at FROM register_entries WHERE session_id = $1")
            .bind(session)
            .fetch_all(pool)
            .await?;
    Ok(rows.into_iter().map(|(register, at)| (register, at.at())).collect())
}

/// Marks `register` entered for `session` at `now` (or, with `entered = false`, takes the mark
/// back), audited in the same transaction. Marking twice keeps the first moment.
pub async fn mark(
    db: &Db,
    session: &Session,
    registers: &[Register],
    register: &str,
    entered: bool,
    now: DateTime<Utc>,
    by: Option<(UserId, &str)>,
) -> Result<(), EntryError> {
    let Some(register) = registers.iter().find(|r| r.id == register) else {
        return Err(EntryError::UnknownRegister(session.id, register.to_string()));
    };
    let mut tx = db.write().await?;
    let (action, changed) = if entered {
        let done = sqlx::query(
            "INSERT INTO register_entries (session_id, register, entered_at, user_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (session_id, register) DO NOTHING",
        )
        .bind(session.id)
        .bind(&register.id)
        .bind(Timestamp::from(now))
        .bind(by.map(|(user, _)| user))
        .execute(&mut *tx)
        .await?;
        (AuditAction::RegisterEntered, done.rows_affected())
    } else {
        let done = sqlx::query("DELETE FROM register_entries WHERE session_id = $1 AND register = $2")
            .bind(session.id)
            .bind(&register.id)
            .execute(&mut *tx)
            .await?;
        (AuditAction::RegisterEntryUndone, done.rows_affected())
    };
    if changed > 0 {
        let detail = format!("bijeenkomst {}: {}", session.id, register.name);
        audit::record(&mut tx, now, by.map(|(_, email)| email), action, &detail).await?;
    }
    tx.commit().await?;
    Ok(())
}
