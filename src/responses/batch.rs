//! Group commit of anonymous submissions on SQLite (issue 27). Each anonymous submission used
//! to pay a transaction of its own, its commit's `fsync`, a truncation of the WAL and a re-seal
//! of the round's pool. Here the submissions that arrive while one batch is being written queue
//! up, and the next batch takes them (up to `MAX_BATCH`): one transaction, each submission in a
//! savepoint of its own (one that fails, or finds its invitation answered or its round closed, is
//! rolled back alone and gets its own answer), each round's pool read and re-sealed once, released
//! in the same transaction once `min_group` wait, one COMMIT and one truncation of the WAL. Nobody
//! waits to collect a batch: at one at a time a batch is one submission.
//!
//! The batch is written by a task of its own, started by the submission that finds none running
//! and ending when the queue is empty. A caller only waits for its answer, which comes after the
//! COMMIT and the truncation: a caller that goes away takes nothing with it, and its own
//! submission is written whole (invitation mark and pool entry) or not at all, as any other.
//!
//! What a copy of the files shows is unchanged (see [`super::pool`]): invitations marked, a sealed
//! pool, and responses appearing only in releases of at least `min_group`, in random places; the
//! WAL is empty again before anyone is answered.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use tokio::sync::oneshot;

use super::pool::{self, Waiting};
use super::{ResponsesError, Seal};
use crate::db::{Db, Write};
use crate::rounds::{Invitation, RoundId};

/// The anonymous submissions of one database waiting for their batch, kept with the `Db` handle
/// (see `Db::batches`). Cheap to clone: clones share the queue.
#[derive(Clone, Default)]
pub struct Batches {
    shared: Arc<Shared>,
}

#[derive(Default)]
struct Shared {
    queue: Mutex<Queue>,
    batches: AtomicUsize,
    submissions: AtomicUsize,
}

#[derive(Default)]
struct Queue {
    pending: Vec<Pending>,
    /// Whether a writer task runs; it takes whatever is queued until the queue is empty.
    writing: bool,
}

/// One anonymous submission, as [`super::submit`] hands it over.
pub(super) struct Submission {
    pub seal: Seal,
    pub invitation: Invitation,
    /// The answers as JSON.
    pub answers: String,
    pub min_group: u32,
    pub now: DateTime<Utc>,
}

/// What became of a submission in its batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Outcome {
    Stored,
    /// The invitation was answered already, or its round is closed.
    NotMarked,
}

struct Pending {
    submission: Submission,
    answer: oneshot::Sender<Result<Outcome, ResponsesError>>,
}

/// How many batches have been committed, and how many submissions they held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub batches: usize,
    pub submissions: usize,
}

impl std::fmt::Debug for Batches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batches").field("written", &self.written()).finish()
    }
}

impl Batches {
    /// The batches committed so far (for tests: whether submissions shared one).
    pub fn written(&self) -> Written {
        Written {
            batches: self.shared.batches.load(Ordering::Relaxed),
            submissions: self.shared.submissions.load(Ordering::Relaxed),
        }
    }

    fn queue(&self) -> MutexGuard<'_, Queue> {
        self.shared.queue.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Queues `submission` for the next batch, starting a writer when none runs, and returns once the
/// batch that holds it is committed and the WAL truncated. Queues before its first `await`.
pub(super) async fn submit(db: &Db, submission: Submission) -> Result<Outcome, ResponsesError> {
    let (answer, answered) = oneshot::channel();
    let start = {
        let mut queue = db.batches().queue();
        queue.pending.push(Pending { submission, answer });
        !std::mem::replace(&mut queue.writing, true)
    };
    if start {
        // Made here, so that a writer dropped before it first runs still lets the next one start.
        let stopped = Stopped { batches: db.batches().clone(), armed: true };
        tokio::spawn(write_while_queued(db.clone(), stopped));
    }
    answered.await.map_err(|_| ResponsesError::WriterStopped)?
}

/// The writer: batch after batch until nothing is queued.
async fn write_while_queued(db: Db, mut stopped: Stopped) {
    loop {
        {
            let mut queue = db.batches().queue();
            if queue.pending.is_empty() {
                queue.writing = false;
                stopped.armed = false;
                return;
            }
        }
        write_next(&db).await;
    }
}

/// Ends a writer that did not end by itself (a panic, its runtime shutting down): the next
/// submission starts another, and those queued are told that theirs was not written.
struct Stopped {
    batches: Batches,
    armed: bool,
}

impl Drop for Stopped {
    fn drop(&mut self) {
        if self.armed {
            let mut queue = self.batches.queue();
            queue.writing = false;
            queue.pending.clear();
        }
    }
}

/// The most submissions one batch takes; the rest wait for the next. A batch holds the write lock
/// for all of its submissions, and answers none before the last: a rush of hundreds at once is
/// answered in a series of batches rather than after one long transaction, and a write of another
/// kind (an identified response, a sign-up) waits for one batch at most. Larger than the number
/// of submissions a busy instance has in flight (the respond benchmark's 32 at a time).
const MAX_BATCH: usize = 32;

/// Begins the transaction, then takes what is queued (what queued while the turn was awaited
/// joins too), up to [`MAX_BATCH`], writes it and answers each.
async fn write_next(db: &Db) {
    let tx = db.write().await;
    let batch: Vec<Pending> = {
        let mut queue = db.batches().queue();
        let n = queue.pending.len().min(MAX_BATCH);
        queue.pending.drain(..n).collect()
    };
    let (answers, submissions): (Vec<_>, Vec<_>) =
        batch.into_iter().map(|p| (p.answer, p.submission)).unzip();
    let outcomes = match tx {
        Ok(tx) => commit(db, tx, &submissions).await,
        Err(e) => Err(e.into()),
    };
    match outcomes {
        Ok(outcomes) => {
            let shared = &db.batches().shared;
            shared.batches.fetch_add(1, Ordering::Relaxed);
            shared.submissions.fetch_add(submissions.len(), Ordering::Relaxed);
            for (answer, outcome) in std::iter::zip(answers, outcomes) {
                // A caller that went away no longer listens; its submission stood or fell with
                // the batch, mark and pool entry together.
                let _ = answer.send(outcome);
            }
        }
        Err(e) => {
            tracing::error!("a batch of {} anonymous submissions failed: {e}", answers.len());
            let e = Arc::new(e);
            for answer in answers {
                let _ = answer.send(Err(ResponsesError::Batch(e.clone())));
            }
        }
    }
}

/// Writes the batch and, when it stored anything, commits it and truncates the WAL; a batch that
/// stored nothing (invitations answered already, rounds closed) is rolled back, as a lone
/// submission that marked nothing always was.
async fn commit(
    db: &Db,
    mut tx: Write,
    submissions: &[Submission],
) -> Result<Vec<Result<Outcome, ResponsesError>>, ResponsesError> {
    let outcomes = write(&mut tx, submissions).await?;
    if outcomes.iter().any(|outcome| matches!(outcome, Ok(Outcome::Stored))) {
        tx.commit().await?;
        db.truncate_wal().await?;
    }
    Ok(outcomes)
}

/// The submissions of one round in a batch: their pool entries, the key to seal the pool with,
/// and the largest smallest group any of them asked for.
struct RoundBatch<'a> {
    entries: Vec<Waiting>,
    seal: &'a Seal,
    min_group: u32,
}

/// Writes each submission in its own savepoint, then each round's pool once; returns each
/// submission's outcome. An error returned is the whole batch's: roll it back.
async fn write(
    tx: &mut Write,
    batch: &[Submission],
) -> Result<Vec<Result<Outcome, ResponsesError>>, ResponsesError> {
    let mut rounds: BTreeMap<RoundId, RoundBatch<'_>> = BTreeMap::new();
    for submission in batch {
        let round = rounds.entry(submission.invitation.round).or_insert_with(|| RoundBatch {
            entries: Vec::new(),
            seal: &submission.seal,
            min_group: 0,
        });
        round.min_group = round.min_group.max(submission.min_group);
    }
    for round in rounds.keys() {
        super::mixing::lock_round(tx, *round).await?;
    }
    // A lone submission needs no savepoint: the transaction is its own.
    let alone = batch.len() == 1;
    let mut outcomes = Vec::with_capacity(batch.len());
    for submission in batch {
        if !alone {
            sqlx::query("SAVEPOINT submission").execute(&mut **tx).await?;
        }
        let (invitation, answers) = (&submission.invitation, submission.answers.clone());
        let outcome =
            match super::mark_and_keep(tx, invitation, answers, submission.min_group, submission.now).await {
                Ok(Some(entry)) => {
                    if let Some(round) = rounds.get_mut(&invitation.round) {
                        round.entries.push(entry);
                    }
                    Ok(Outcome::Stored)
                }
                Ok(None) => Ok(Outcome::NotMarked),
                Err(e) if alone => return Err(e),
                Err(e) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT submission").execute(&mut **tx).await?;
                    Err(e)
                }
            };
        if !alone {
            sqlx::query("RELEASE SAVEPOINT submission").execute(&mut **tx).await?;
        }
        outcomes.push(outcome);
    }
    for (round, batch) in rounds {
        if !batch.entries.is_empty() {
            pool::add_batch(tx, batch.seal, round, batch.entries, batch.min_group).await?;
        }
    }
    Ok(outcomes)
}
