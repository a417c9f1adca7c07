//! Drafts and responses. A draft keeps the pages answered so far, sealed (see [`seal`]);
//! submitting turns it into a response in one transaction. In anonymous rounds the response keeps
//! no link to the invitation: the invitation's "answered" flag is set, the draft is deleted and
//! the response waits, sealed, in the round's pool until it can be released among at least
//! `min_group_size` others (see [`pool`]).

use chrono::{DateTime, Utc};

use crate::crypto;
use crate::db::{Db, Pool, Timestamp, Write};
use crate::forms::Answers;
use crate::rounds::{Invitation, InvitationId, InvitationRow, Round};

pub mod batch;
pub mod erasure;
pub mod identified;
mod mixing;
pub mod pool;
pub(crate) mod retention;
pub mod seal;
pub mod step;

pub use seal::Seal;

#[derive(Debug, thiserror::Error)]
pub enum ResponsesError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Signup(crate::signup::SignupError),
    #[error("stored answers cannot be read: {0}")]
    Json(#[from] serde_json::Error),
    #[error(transparent)]
    Sealed(#[from] seal::SealError),
    /// The batch of anonymous submissions this one was written in failed as a whole (see
    /// [`batch`]): nothing of it was stored.
    #[error("the batch this submission was in failed: {0}")]
    Batch(std::sync::Arc<ResponsesError>),
    /// The writer of anonymous submissions stopped before this one's batch was written.
    #[error("the writer of anonymous submissions stopped")]
    WriterStopped,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Draft {
    /// The page to show next, counted from 0.
    pub page: usize,
    pub answers: Answers,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Submitted {
    Stored,
    /// A sign-up stored, with the seat (or waiting-list place) taken in each chosen session.
    SignedUp(Vec<crate::signup::Taken>),
    /// An anonymous round or a sign-up already holds this person's response (a double click,
    /// another browser).
    AlreadyAnswered,
    /// A chosen session was cancelled in the meantime; nothing was stored.
    NotOffered(String),
    Closed,
}

/// Everything a visit to a personal link needs, read in one query: the invitation, its draft,
/// (identified rounds) its stored response and its round's dates. `None` for an unknown token.
#[derive(Clone, Debug)]
pub struct Visit {
    pub invitation: Invitation,
    pub draft: Option<Draft>,
    pub response: Option<Answers>,
    /// The round's dates as they are now (a round is closed early or extended, maybe by another
    /// instance); the rest of the round comes from `rounds::RoundCache`.
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// A visit as [`visit`] selects it.
#[derive(sqlx::FromRow)]
struct VisitRow {
    #[sqlx(flatten)]
    invitation: InvitationRow,
    page: Option<i64>,
    draft: Option<String>,
    response: Option<String>,
    opens_at: Timestamp,
    closes_at: Timestamp,
}

pub async fn visit(
    pool: &Pool,
    seal: &Seal,
    token: &crate::rounds::InvitationToken,
) -> Result<Option<Visit>, ResponsesError> {
    let row: Option<VisitRow> = sqlx::query_as(
        "SELECT i.id, i.round_id, i.answered, d.page, d.answers AS draft, r.answers AS response, \
         ro.opens_at, ro.closes_at FROM invitations i JOIN rounds ro ON ro.id = i.round_id \
         LEFT JOIN drafts d ON d.invitation_id = i.id \
         LEFT JOIN responses r ON r.invitation_id = i.id WHERE i.token_hash = $1",
    )
    .bind(token.hash())
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let draft = match row.draft {
        Some(json) => {
            let page = row.page.and_then(|p| usize::try_from(p).ok()).unwrap_or(0);
            Some(Draft { page, answers: serde_json::from_slice(&seal.open(&json)?)? })
        }
        None => None,
    };
    let response = row.response.as_deref().map(serde_json::from_str).transpose()?;
    Ok(Some(Visit {
        invitation: row.invitation.into(),
        draft,
        response,
        opens_at: row.opens_at.at(),
        closes_at: row.closes_at.at(),
    }))
}

/// Keeps `draft`, sealed: a copy of the database files without the key cannot read it, nor match
/// its length to the response it becomes.
pub async fn save_draft(
    db: &Db,
    seal: &Seal,
    invitation: InvitationId,
    draft: &Draft,
    now: DateTime<Utc>,
) -> Result<(), ResponsesError> {
    let json = seal.seal(&serde_json::to_vec(&draft.answers)?);
    let mut tx = db.write().await?;
    sqlx::query(
        "INSERT INTO drafts (invitation_id, page, answers, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (invitation_id) DO UPDATE SET page = excluded.page, answers = excluded.answers, \
         updated_at = excluded.updated_at",
    )
    .bind(invitation)
    .bind(i64::try_from(draft.page).unwrap_or(0))
    .bind(json)
    .bind(Timestamp::from(now))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Stores the response, committed before this returns. `min_group` is the smallest group whose
/// wijk or role an anonymous response may keep, and how many anonymous responses are released
/// together. A sign-up takes its seats in the same transaction, and only once: it cannot be sent
/// again to take more.
pub async fn submit(
    db: &Db,
    seal: &Seal,
    round: &Round,
    invitation: &Invitation,
    answers: &Answers,
    min_group: u32,
    now: DateTime<Utc>,
) -> Result<Submitted, ResponsesError> {
    let signup = round.form.kind == crate::forms::FormKind::Signup;
    // A sign-up is personal whatever its round says: its seats carry the invitation.
    if round.anonymous && !signup {
        return submit_anonymous(db, seal, round, invitation, answers, min_group, now).await;
    }
    let json = serde_json::to_string(answers)?;
    if !signup && db.backend() == crate::db::Backend::Sqlite {
        return store_by_script(db, round, invitation, json, now).await;
    }
    let mut tx = db.write().await?;
    // The write comes first: on SQLite it takes the write lock at once, so two submissions queue
    // instead of both reading and then failing to upgrade.
    let marked = crate::rounds::mark_answered(&mut tx, invitation.id, signup, now).await?;
    let Some((wijk, role)) = marked else {
        return Ok(not_marked(round, now));
    };
    sqlx::query(
        "INSERT INTO responses (id, round_id, invitation_id, answers, wijk, role, submitted_on, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (invitation_id) DO UPDATE \
         SET answers = excluded.answers, updated_at = excluded.updated_at",
    )
    .bind(crypto::random_b64(16))
    .bind(round.id)
    .bind(invitation.id)
    .bind(json)
    .bind(wijk)
    .bind(role)
    .bind(Timestamp::from(now))
    .execute(&mut *tx)
    .await?;
    delete_draft(&mut tx, invitation.id).await?;
    if !signup {
        tx.commit().await?;
        return Ok(Submitted::Stored);
    }
    // Everyone signing up for a session waits for its row's lock: that lock is held for the
    // statement that takes the seat and the COMMIT, not for the flush (see `db::flush`).
    let unflushed = db.unlock_before_flush(&mut tx).await?;
    let mut taken = Vec::new();
    let chosen = crate::signup::choices::chosen(&round.form, answers);
    for code in crate::signup::choices::in_lock_order(&mut tx, round.id, chosen).await? {
        match crate::signup::seats::take(&mut tx, round.id, &code, invitation.id, now).await {
            Ok(seat) => taken.push(seat),
            Err(crate::signup::SignupError::NotOffered(code)) => {
                drop(tx);
                return Ok(Submitted::NotOffered(code));
            }
            Err(e) => return Err(ResponsesError::Signup(e)),
        }
    }
    tx.commit().await?;
    unflushed.flush(db).await?;
    Ok(Submitted::SignedUp(taken))
}

/// `$1` the response's id, `$2` the round, `$3` the invitation, `$4` the answers, `$5` now.
const STORE_SCRIPT: &str = concat!(
    "BEGIN IMMEDIATE; ",
    crate::rounds::mark_survey_answered!(),
    "; ",
    "INSERT INTO responses (id, round_id, invitation_id, answers, wijk, role, submitted_on, updated_at) ",
    "SELECT $1, $2, id, $4, wijk, role, $5, $5 FROM invitations WHERE id = $3 AND ",
    crate::rounds::while_round_open!(),
    " ON CONFLICT (invitation_id) DO UPDATE SET answers = excluded.answers, updated_at = excluded.updated_at; ",
    "DELETE FROM drafts WHERE invitation_id = $3 AND EXISTS (SELECT 1 FROM invitations WHERE id = $3 AND ",
    crate::rounds::while_round_open!(),
    "); COMMIT;"
);

/// [`submit`]'s transaction for a survey on SQLite, as one script (see [`Db::script`]): the
/// invitation marked answered, the response stored and the draft deleted, each only while the
/// round is open, which the first statement's `RETURNING` tells. One hand-off to SQLite's thread
/// where the transaction of [`submit`] costs five; the most frequent write peil makes.
async fn store_by_script(
    db: &Db,
    round: &Round,
    invitation: &Invitation,
    json: String,
    now: DateTime<Utc>,
) -> Result<Submitted, ResponsesError> {
    let marked: Vec<(String, String)> = db
        .script(
            sqlx::query_as(STORE_SCRIPT)
                .bind(crypto::random_b64(16))
                .bind(round.id)
                .bind(invitation.id)
                .bind(json)
                .bind(Timestamp::from(now)),
        )
        .await?;
    Ok(if marked.is_empty() { not_marked(round, now) } else { Submitted::Stored })
}

/// An anonymous response: the invitation marked answered and the response added to the round's
/// pool, in one transaction; the pool released once `min_group` wait. On SQLite the submission
/// joins the next batch of them (see [`batch`]), whose transaction also writes the release. On
/// PostgreSQL each submission keeps a transaction of its own and a release one apart from any
/// submission: there every row carries the id of the transaction that wrote it, so a release
/// written with submissions would share their invitations' `xmin`; and its commits already share
/// their WAL flushes. A release that fails is logged and tried again at the next submission or when the
/// round closes: the response is stored either way.
async fn submit_anonymous(
    db: &Db,
    seal: &Seal,
    round: &Round,
    invitation: &Invitation,
    answers: &Answers,
    min_group: u32,
    now: DateTime<Utc>,
) -> Result<Submitted, ResponsesError> {
    let answers = serde_json::to_string(answers)?;
    if db.backend() == crate::db::Backend::Sqlite {
        let submission =
            batch::Submission { seal: seal.clone(), invitation: invitation.clone(), answers, min_group, now };
        return Ok(match batch::submit(db, submission).await? {
            batch::Outcome::Stored => Submitted::Stored,
            batch::Outcome::NotMarked => not_marked(round, now),
        });
    }
    let mut tx = db.write().await?;
    mixing::lock_round(&mut tx, round.id).await?;
    let Some(entry) = mark_and_keep(&mut tx, invitation, answers, min_group, now).await? else {
        return Ok(not_marked(round, now));
    };
    let waiting = pool::add(&mut tx, seal, round.id, entry).await?;
    tx.commit().await?;
    db.truncate_wal().await?;
    if waiting >= min_group as usize
        && let Err(e) = pool::release(db, seal, round.id).await
    {
        tracing::error!(round = round.id.0, "releasing the anonymous pool failed, tried again later: {e}");
    }
    Ok(Submitted::Stored)
}

/// An anonymous submission's writes before its pool entry, within `tx`: the invitation marked
/// answered and its draft deleted. Returns the entry for the pool, with the groups it may keep;
/// `None` when the invitation was answered already or its round is closed.
async fn mark_and_keep(
    tx: &mut Write,
    invitation: &Invitation,
    answers: String,
    min_group: u32,
    now: DateTime<Utc>,
) -> Result<Option<pool::Waiting>, ResponsesError> {
    let marked = crate::rounds::mark_answered(tx, invitation.id, true, now).await?;
    let Some((wijk, role)) = marked else { return Ok(None) };
    let (wijk, role) = anonymous_groups(tx, invitation, wijk, role, min_group).await?;
    let day = crate::time::amsterdam_date(now).format("%Y-%m-%d").to_string();
    delete_draft(tx, invitation.id).await?;
    Ok(Some(pool::Waiting { answers, wijk, role, day }))
}

/// Why an invitation could not be marked answered: its round has closed, or (a double click, a
/// second browser) it was answered already.
fn not_marked(round: &Round, now: DateTime<Utc>) -> Submitted {
    if round.is_open(now) { Submitted::AlreadyAnswered } else { Submitted::Closed }
}

async fn delete_draft(tx: &mut Write, invitation: InvitationId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM drafts WHERE invitation_id = $1").bind(invitation).execute(&mut **tx).await?;
    Ok(())
}

/// The wijk and role an anonymous response may keep: each only when at least `min_group` people
/// in the round share it, and both only when the combination is that large too; otherwise the
/// role goes first, since results are read per wijk.
async fn anonymous_groups(
    tx: &mut Write,
    invitation: &Invitation,
    wijk: String,
    role: String,
    min_group: u32,
) -> Result<(Option<String>, Option<String>), sqlx::Error> {
    let (wijk_n, role_n, both_n): (i64, i64, i64) = sqlx::query_as(
        // Three counts, each read from an index (migration 0009) rather than a scan of the round.
        "SELECT (SELECT COUNT(*) FROM invitations WHERE round_id = $1 AND wijk = $2) AS wijk_n, \
         (SELECT COUNT(*) FROM invitations WHERE round_id = $1 AND role = $3) AS role_n, \
         (SELECT COUNT(*) FROM invitations WHERE round_id = $1 AND wijk = $2 AND role = $3) AS both_n",
    )
    .bind(invitation.round)
    .bind(&wijk)
    .bind(&role)
    .fetch_one(&mut **tx)
    .await?;
    let min = i64::from(min_group);
    let keep_wijk = !wijk.is_empty() && wijk_n >= min;
    let keep_role = role_n >= min && (!keep_wijk || both_n >= min);
    Ok((keep_wijk.then_some(wijk), keep_role.then_some(role)))
}
