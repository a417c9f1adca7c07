//! The pool where anonymous submissions wait (issue 22). A submission marks its invitation
//! answered and adds its response to the round's pool in one transaction; the pool is one row per
//! round, sealed under the secret key (see [`super::seal`]) and re-sealed whole, in a new random
//! order, on every write. Once at least `min_group_size` responses wait, or the round has closed,
//! they are all released into `responses` in random order and the round's responses rewritten so
//! that none keeps a place that tells when it came (see [`mix`]). On PostgreSQL a release is a
//! transaction of its own; on SQLite a release reached by a batch of submissions is written in
//! that batch's transaction ([`add_batch`], see `super::batch`), where a copy of the files shows
//! the same: the responses appear all at once, among at least `min_group_size`, in random places.
//!
//! What that leaves to someone holding copies of the database files:
//! - without the key, a copy shows which invitations were answered, an opaque pool and the
//!   released responses; a series of copies (or the history in a WAL) shows each release as a batch
//!   of at least `min_group_size` responses, each from one of the invitations answered since the
//!   release before: no response is tied to fewer people than that;
//! - with the key, a response still waiting can be read, and two copies taken around one
//!   submission tie it to that person until its batch is released.
//!
//! On SQLite the WAL is checkpointed and truncated after every such write ([`Db::truncate_wal`]),
//! so a single copy holds no history of earlier writes.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::ResponsesError;
use super::seal::Seal;
use crate::db::{Db, Timestamp, Write};
use crate::rounds::RoundId;

/// One anonymous response waiting to be released: the answers (JSON) and what it keeps of the
/// person's groups, as [`super::submit`] decided them, and the day it came.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Waiting {
    pub answers: String,
    pub wijk: Option<String>,
    pub role: Option<String>,
    pub day: String,
}

/// Adds `entry` to the round's pool within `tx`; returns how many now wait.
pub async fn add(
    tx: &mut Write,
    seal: &Seal,
    round: RoundId,
    entry: Waiting,
) -> Result<usize, ResponsesError> {
    let mut waiting = read(tx, seal, round).await?;
    waiting.push(entry);
    crate::crypto::shuffle(&mut waiting);
    write(tx, seal, round, &waiting).await?;
    Ok(waiting.len())
}

async fn read(tx: &mut Write, seal: &Seal, round: RoundId) -> Result<Vec<Waiting>, ResponsesError> {
    let sealed: Option<String> = sqlx::query_scalar("SELECT sealed FROM anonymous_pool WHERE round_id = $1")
        .bind(round)
        .fetch_optional(&mut **tx)
        .await?;
    sealed.map_or(Ok(Vec::new()), |sealed| open(seal, &sealed))
}

/// The responses a stored pool holds, opened with `seal`.
pub fn open(seal: &Seal, sealed: &str) -> Result<Vec<Waiting>, ResponsesError> {
    Ok(serde_json::from_slice(&seal.open(sealed)?)?)
}

/// Releases everything waiting in the round's pool into `responses`; returns how many.
pub async fn release(db: &Db, seal: &Seal, round: RoundId) -> Result<usize, ResponsesError> {
    let mut tx = db.write().await?;
    super::mixing::lock_round(&mut tx, round).await?;
    let mut waiting = read(&mut tx, seal, round).await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    crate::crypto::shuffle(&mut waiting);
    release_within(&mut tx, round, &waiting).await?;
    tx.commit().await?;
    db.truncate_wal().await?;
    Ok(waiting.len())
}

/// Adds a batch of anonymous submissions' `entries` to the round's pool within `tx`: the pool is
/// read and re-sealed once for them all (see `super::batch`). Once at least `min_group` wait,
/// they are released in the same transaction instead; a release that fails is rolled back alone
/// and logged, the responses then wait in the pool until the next submission or the round's
/// close. The caller holds the round's lock ([`super::mixing::lock_round`]).
pub(super) async fn add_batch(
    tx: &mut Write,
    seal: &Seal,
    round: RoundId,
    entries: Vec<Waiting>,
    min_group: u32,
) -> Result<(), ResponsesError> {
    let mut waiting = read(tx, seal, round).await?;
    waiting.extend(entries);
    crate::crypto::shuffle(&mut waiting);
    if waiting.len() >= min_group as usize {
        sqlx::query("SAVEPOINT release").execute(&mut **tx).await?;
        match release_within(tx, round, &waiting).await {
            Ok(()) => {
                sqlx::query("RELEASE SAVEPOINT release").execute(&mut **tx).await?;
                return Ok(());
            }
            Err(e) => {
                sqlx::query("ROLLBACK TO SAVEPOINT release").execute(&mut **tx).await?;
                sqlx::query("RELEASE SAVEPOINT release").execute(&mut **tx).await?;
                tracing::error!(
                    round = round.0,
                    "releasing the anonymous pool failed, tried again later: {e}"
                );
            }
        }
    }
    write(tx, seal, round, &waiting).await
}

async fn write(
    tx: &mut Write,
    seal: &Seal,
    round: RoundId,
    waiting: &[Waiting],
) -> Result<(), ResponsesError> {
    let sealed = seal.seal(&serde_json::to_vec(waiting)?);
    sqlx::query(
        "INSERT INTO anonymous_pool (round_id, sealed) VALUES ($1, $2) \
         ON CONFLICT (round_id) DO UPDATE SET sealed = excluded.sealed",
    )
    .bind(round)
    .bind(sealed)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Moves `waiting` (shuffled) into `responses`, empties the round's pool and rewrites the round's
/// responses (see [`super::mixing`]), all within `tx`.
async fn release_within(tx: &mut Write, round: RoundId, waiting: &[Waiting]) -> Result<(), ResponsesError> {
    for entry in waiting {
        sqlx::query(
            "INSERT INTO responses (id, round_id, invitation_id, answers, wijk, role, submitted_on) \
             VALUES ($1, $2, NULL, $3, $4, $5, $6)",
        )
        .bind(crate::crypto::random_b64(16))
        .bind(round)
        .bind(&entry.answers)
        .bind(&entry.wijk)
        .bind(&entry.role)
        .bind(&entry.day)
        .execute(&mut **tx)
        .await?;
    }
    sqlx::query("DELETE FROM anonymous_pool WHERE round_id = $1").bind(round).execute(&mut **tx).await?;
    super::mixing::mix(tx, round).await?;
    Ok(())
}

/// Releases the pools of every round that has closed by `now`: what waits there is all that round
/// will get. Returns how many responses were released.
pub async fn release_closed(db: &Db, seal: &Seal, now: DateTime<Utc>) -> Result<usize, ResponsesError> {
    let rounds: Vec<RoundId> = sqlx::query_scalar(
        "SELECT p.round_id FROM anonymous_pool p JOIN rounds r ON r.id = p.round_id WHERE r.closes_at <= $1",
    )
    .bind(Timestamp::from(now))
    .fetch_all(db.read())
    .await?;
    let mut released = 0;
    for round in rounds {
        released += release(db, seal, round).await?;
    }
    Ok(released)
}
