//! Rounds: one sending of a form to an audience, with one invitation (and personal link) per
//! person. A round keeps a snapshot of the checked form, so later edits of the file do not change
//! what people in an open round are answering. A round's invitation and reminder mails go into
//! the outbox with it (`queue`).

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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct RoundId(pub i64);

impl std::fmt::Display for RoundId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InvitationId(pub i64);

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
    #[error(transparent)]
    Signup(#[from] crate::signup::SignupError),
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
    /// The sessions and rules of a sign-up round; `None` for a survey.
    pub signup: Option<SignupRound>,
}

/// What a sign-up round offers besides its form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignupRound {
    pub sessions: Vec<crate::signup::NewSession>,
    /// A seat can be cancelled by its link until this long before its session.
    pub cancel_until: chrono::Duration,
    /// Confirmed people get a reminder this long before their session (zero: none).
    pub remind_before: chrono::Duration,
    /// Anyone with the round's public link (`/f/<slug>`) may register, besides the invited.
    pub open_registration: bool,
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

/// Opens a round at `now` and invites every matching contact, all in one transaction. A job's round whose occurrence is already
/// open gives `AlreadyOpen`, whoever opened it: the unique index decides, not a prior read.
pub async fn open(
    pool: &Pool,
    forms: &Forms,
    secret: &Secret,
    request: &OpenRequest,
    now: DateTime<Utc>,
) -> Result<Opened, RoundsError> {
    let form =
        forms.get(&request.form_id).ok_or_else(|| RoundsError::UnknownForm(request.form_id.clone()))?;
    if let Some(past) = request.signup.iter().flat_map(|s| &s.sessions).find(|s| s.starts_at <= now) {
        return Err(RoundsError::SessionInThePast(past.title.clone()));
    }
    match (form.kind, &request.signup) {
        (crate::forms::FormKind::Signup, None) => {
            return Err(RoundsError::SignupNeedsSessions(form.id.to_string()));
        }
        (crate::forms::FormKind::Survey, Some(_)) => {
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
    let open_registration = request.signup.as_ref().is_some_and(|s| s.open_registration);
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
    if let Some(signup) = &request.signup {
        signup_parts(&mut tx, RoundId(round), signup, request, now).await?;
    }
    // The invitation mails commit with the round, or neither exists.
    let queued = queue_invitations(&mut tx, RoundId(round), now, now).await?;
    tx.commit().await?;
    Ok(Opened { round: RoundId(round), invited: people.len(), queued })
}

/// A sign-up round's sessions, rules and public slug, in the round's transaction.
async fn signup_parts(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    round: RoundId,
    signup: &SignupRound,
    request: &OpenRequest,
    now: DateTime<Utc>,
) -> Result<(), RoundsError> {
    crate::signup::sessions::insert(tx, round, &signup.sessions, now).await?;
    let slug = signup.open_registration.then(|| slug(request, now));
    sqlx::query("UPDATE rounds SET cancel_until_secs = $2, remind_before_secs = $3, slug = $4 WHERE id = $1")
        .bind(round.0)
        .bind(signup.cancel_until.num_seconds())
        .bind(signup.remind_before.num_seconds())
        .bind(slug)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The public name of an open registration: readable in a newsletter, one per job occurrence
/// ("scholing-2027-01"), with a random tail for rounds opened by hand.
fn slug(request: &OpenRequest, now: DateTime<Utc>) -> String {
    let local = |t: DateTime<Utc>| t.with_timezone(&chrono_tz::Europe::Amsterdam);
    match &request.occurrence {
        Some(o) if o.part.is_empty() => format!("{}-{}", o.job_id, local(o.at).format("%Y-%m")),
        Some(o) => format!("{}-{}-{}", o.job_id, local(o.at).format("%Y-%m"), o.part),
        None => format!(
            "{}-{}-{}",
            request.form_id,
            local(now).format("%Y-%m-%d"),
            token::new_nonce()[..6].to_lowercase()
        ),
    }
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
