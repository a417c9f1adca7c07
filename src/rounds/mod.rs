//! Rounds: one sending of a form to an audience, with one invitation (and personal link) per
//! person. A round keeps a snapshot of the checked form, so later edits of the file do not change
//! what people in an open round are answering. A round's invitation and reminder mails go into
//! the outbox with it (`queue`). A survey round is opened by [`open`]; a sign-up round by
//! `signup::open`, which adds its sessions to the transaction [`begin`] leaves open.

pub mod guesses;
mod queue;
pub mod token;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::Row;

use crate::contacts::{self, ContactsError};
use crate::db::{self, Pool};
use crate::forms::{Form, Forms};
use crate::settings::Secret;
pub use queue::{queue_invitations, queue_reminders};
pub use token::InvitationToken;

crate::db::id!(RoundId);

crate::db::id!(InvitationId);

#[derive(Debug, thiserror::Error)]
pub enum RoundsError {
    #[error("there is no form `{0}`; `peil check` lists the forms")]
    UnknownForm(String),
    #[error("no contacts match {0}; nothing was opened")]
    NobodyToInvite(String),
    #[error(
        "`{0}` is a sign-up form and needs sessions: declare them in a job file ([[sessions]]) and \
         start it with `peil job start JOB`"
    )]
    SignupNeedsSessions(String),
    #[error("the session \"{0}\" starts before the round opens; update its date in the job file")]
    SessionInThePast(String),
    #[error("`{0}` is not a sign-up form, so it takes no sessions")]
    NotASignupForm(String),
    /// What the sign-up part of a round refused (`signup::open` writes it in the round's
    /// transaction; `rounds` does not know its error type).
    #[error(transparent)]
    Part(Box<dyn std::error::Error + Send + Sync>),
    #[error("there is no job `{0}`; `peil schedule` lists the jobs")]
    UnknownJob(String),
    #[error("this occurrence of the job already has its round")]
    AlreadyOpen,
    #[error("the closing date must lie in the future")]
    ClosesInThePast,
    #[error("there is no round {0}")]
    UnknownRound(RoundId),
    #[error("round {0} holds a form snapshot that cannot be read: {1}")]
    Snapshot(RoundId, serde_json::Error),
    #[error(transparent)]
    Contacts(#[from] ContactsError),
    #[error(transparent)]
    Outbox(#[from] crate::outbox::OutboxError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// A round as the answering pages need it.
#[derive(Debug)]
pub struct Round {
    pub id: RoundId,
    pub form: Form,
    pub title: String,
    pub anonymous: bool,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

impl Round {
    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.opens_at <= now && now < self.closes_at
    }
}

/// Who is invited and until when.
#[derive(Clone, Debug)]
pub struct OpenRequest {
    pub form_id: String,
    pub roles: Vec<String>,
    pub wijken: Vec<String>,
    pub gemeenten: Vec<String>,
    pub closes_at: DateTime<Utc>,
    pub anonymous: bool,
    /// Set when a job opens the round: at most one round per occurrence (and wijk).
    pub occurrence: Option<Occurrence>,
}

/// The scheduled moment a job's round belongs to; `part` is the wijk for `per = "wijk"` jobs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Occurrence {
    pub job_id: String,
    pub at: DateTime<Utc>,
    pub part: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opened {
    pub round: RoundId,
    pub invited: usize,
    /// Invitation mails written to the outbox (contacts who opted out get none).
    pub queued: u64,
}

/// What a round offers besides its form: nothing more (a survey), or sessions that `signup`
/// writes into the round's transaction before it commits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    Survey,
    /// With `open_registration` a round may open with nobody invited: people come by its public
    /// link.
    Signup {
        open_registration: bool,
    },
}

/// A survey round: opens it at `now` and invites every matching contact, all in one
/// transaction. A sign-up round is opened by `signup::open`, on top of [`begin`].
pub async fn open(
    pool: &Pool,
    forms: &Forms,
    secret: &Secret,
    request: &OpenRequest,
    now: DateTime<Utc>,
) -> Result<Opened, RoundsError> {
    begin(pool, forms, secret, request, Offer::Survey, now).await?.finish(now).await
}

/// A round whose row and invitations are written but not committed: what the caller adds
/// through [`Opening::tx`] commits with the round and its invitation mails, or nothing does.
pub struct Opening {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    round: RoundId,
    invited: usize,
}

impl Opening {
    pub fn round(&self) -> RoundId {
        self.round
    }

    pub fn tx(&mut self) -> &mut sqlx::Transaction<'static, sqlx::Any> {
        &mut self.tx
    }

    /// Queues the invitation mails and commits.
    pub async fn finish(mut self, now: DateTime<Utc>) -> Result<Opened, RoundsError> {
        // The invitation mails commit with the round, or neither exists.
        let queued = queue_invitations(&mut self.tx, self.round, now, now).await?;
        self.tx.commit().await?;
        Ok(Opened { round: self.round, invited: self.invited, queued })
    }
}

/// Starts opening a round at `now`: checks the request against the form and `offer`, then
/// writes the round and one invitation per matching contact in a transaction left open. A job's
/// round whose occurrence is already open gives `AlreadyOpen`, whoever opened it: the unique
/// index decides, not a prior read.
pub async fn begin(
    pool: &Pool,
    forms: &Forms,
    secret: &Secret,
    request: &OpenRequest,
    offer: Offer,
    now: DateTime<Utc>,
) -> Result<Opening, RoundsError> {
    let form =
        forms.get(&request.form_id).ok_or_else(|| RoundsError::UnknownForm(request.form_id.clone()))?;
    match (form.kind, offer) {
        (crate::forms::FormKind::Signup, Offer::Survey) => {
            return Err(RoundsError::SignupNeedsSessions(form.id.to_string()));
        }
        (crate::forms::FormKind::Survey, Offer::Signup { .. }) => {
            return Err(RoundsError::NotASignupForm(form.id.to_string()));
        }
        _ => {}
    }
    if request.closes_at <= now {
        return Err(RoundsError::ClosesInThePast);
    }
    let audience = describe_audience(request);
    let mut people = contacts::matching(pool, &request.roles, &request.wijken).await?;
    people.retain(|p| request.gemeenten.is_empty() || request.gemeenten.contains(&p.gemeente));
    let open_registration = matches!(offer, Offer::Signup { open_registration: true });
    if people.is_empty() && !open_registration {
        return Err(RoundsError::NobodyToInvite(audience));
    }
    let snapshot = serde_json::to_string(form.as_ref()).map_err(|e| RoundsError::Snapshot(RoundId(0), e))?;
    let anonymous = request.anonymous || form.anonymous;
    let (job, at, part) = match &request.occurrence {
        Some(o) => (Some(o.job_id.as_str()), Some(db::timestamp(o.at)), o.part.as_str()),
        None => (None, None, ""),
    };
    let opens_at = request.occurrence.as_ref().map_or(now, |o| o.at.min(now));
    let mut tx = pool.begin().await?;
    let round: Option<i64> = sqlx::query_scalar(
        "INSERT INTO rounds (form_id, form_json, title, anonymous, audience, opens_at, closes_at, created_at, \
         job_id, occurrence, part) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
         ON CONFLICT (job_id, occurrence, part) DO NOTHING RETURNING id",
    )
    .bind(&form.id.0)
    .bind(snapshot)
    .bind(&form.title.nl)
    .bind(i64::from(anonymous))
    .bind(&audience)
    .bind(db::timestamp(opens_at))
    .bind(db::timestamp(request.closes_at))
    .bind(db::timestamp(now))
    .bind(job)
    .bind(at)
    .bind(part)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(round) = round else {
        tx.rollback().await?;
        return Err(RoundsError::AlreadyOpen);
    };
    for person in &people {
        let nonce = token::new_nonce();
        let hash = InvitationToken::derive(secret, &nonce).hash();
        sqlx::query(
            "INSERT INTO invitations (round_id, contact_id, nonce, token_hash, role, wijk, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(round)
        .bind(person.id.0)
        .bind(nonce)
        .bind(hash)
        .bind(&person.role)
        .bind(&person.wijk)
        .bind(db::timestamp(now))
        .execute(&mut *tx)
        .await?;
    }
    Ok(Opening { tx, round: RoundId(round), invited: people.len() })
}

fn describe_audience(request: &OpenRequest) -> String {
    let part = |name: &str, values: &[String]| {
        if values.is_empty() { format!("every {name}") } else { format!("{name} {}", values.join(", ")) }
    };
    let mut text = format!("{}; {}", part("role", &request.roles), part("wijk", &request.wijken));
    if !request.gemeenten.is_empty() {
        text.push_str(&format!("; gemeente {}", request.gemeenten.join(", ")));
    }
    text
}

/// Reads a round with its form snapshot.
pub async fn load(pool: &Pool, id: RoundId) -> Result<Round, RoundsError> {
    let row =
        sqlx::query("SELECT form_json, title, anonymous, opens_at, closes_at FROM rounds WHERE id = $1")
            .bind(id.0)
            .fetch_optional(pool)
            .await?
            .ok_or(RoundsError::UnknownRound(id))?;
    let form_json: String = row.try_get("form_json")?;
    let form = serde_json::from_str(&form_json).map_err(|e| RoundsError::Snapshot(id, e))?;
    let time = |column: &str| -> Result<DateTime<Utc>, sqlx::Error> {
        let text: String = row.try_get(column)?;
        db::parse_timestamp(&text).ok_or_else(|| sqlx::Error::Decode(format!("{column}: {text}").into()))
    };
    Ok(Round {
        id,
        form,
        title: row.try_get("title")?,
        anonymous: row.try_get::<i64, _>("anonymous")? != 0,
        opens_at: time("opens_at")?,
        closes_at: time("closes_at")?,
    })
}

/// An invitation found by its link.
#[derive(Clone, Debug)]
pub struct Invitation {
    pub id: InvitationId,
    pub round: RoundId,
    pub answered: bool,
}

/// The invitation a token belongs to, if any. Malformed and unknown tokens look alike to callers.
pub async fn find_invitation(
    pool: &Pool,
    token: &InvitationToken,
) -> Result<Option<Invitation>, RoundsError> {
    let row = sqlx::query("SELECT id, round_id, answered FROM invitations WHERE token_hash = $1")
        .bind(token.hash())
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    Ok(Some(Invitation {
        id: InvitationId(row.try_get("id")?),
        round: RoundId(row.try_get("round_id")?),
        answered: row.try_get::<i64, _>("answered")? != 0,
    }))
}

/// One line of `peil round links`.
#[derive(Clone, Debug)]
pub struct Link {
    pub name: String,
    pub email: String,
    pub url: String,
}

/// Every invited person's link, derived again from the nonce and the secret key.
pub async fn links(
    pool: &Pool,
    secret: &Secret,
    base_url: &str,
    round: RoundId,
) -> Result<Vec<Link>, RoundsError> {
    let exists: Option<i64> =
        sqlx::query_scalar("SELECT id FROM rounds WHERE id = $1").bind(round.0).fetch_optional(pool).await?;
    exists.ok_or(RoundsError::UnknownRound(round))?;
    let rows = sqlx::query(
        "SELECT c.name, c.email, i.nonce FROM invitations i JOIN contacts c ON c.id = i.contact_id \
         WHERE i.round_id = $1 ORDER BY c.email",
    )
    .bind(round.0)
    .fetch_all(pool)
    .await?;
    let base = base_url.trim_end_matches('/');
    rows.iter()
        .map(|row| {
            let nonce: String = row.try_get("nonce")?;
            let token = InvitationToken::derive(secret, &nonce);
            Ok(Link {
                name: row.try_get("name")?,
                email: row.try_get("email")?,
                url: format!("{base}/r/{}", token.as_str()),
            })
        })
        .collect()
}

/// Rounds are read on every request; their snapshots never change, so they are parsed once.
#[derive(Default)]
pub struct RoundCache {
    rounds: std::sync::RwLock<std::collections::HashMap<RoundId, Arc<Round>>>,
}

impl RoundCache {
    pub async fn get(&self, pool: &Pool, id: RoundId) -> Result<Arc<Round>, RoundsError> {
        if let Some(round) = self.rounds.read().ok().and_then(|r| r.get(&id).cloned()) {
            return Ok(round);
        }
        let round = Arc::new(load(pool, id).await?);
        if let Ok(mut rounds) = self.rounds.write() {
            rounds.insert(id, round.clone());
        }
        Ok(round)
    }
}
