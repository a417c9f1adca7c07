//! Rounds: one sending of a form to an audience, with one invitation (and personal link) per
//! person. A round keeps a snapshot of the checked form, so later edits of the file do not change
//! what people in an open round are answering. A round's invitation mails go into the outbox in
//! the transaction that opens it (`outbox::enqueue`). A survey round is opened by [`open`]; a sign-up round by
//! `signup::open`, which adds its sessions to the transaction [`begin`] leaves open. A round
//! keeps its audience as data too (`Audience`), so contacts who come later can be invited;
//! `manage` closes, extends, invites late and reminds, `summary` lists rounds with their figures.

pub mod guesses;
mod invitations;
mod manage;
pub(crate) mod retention;
mod summary;
pub mod token;

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::contacts::{self, ContactsError};
use crate::db::{Db, Pool, Timestamp, Write};
use crate::forms::{Form, Forms};
use crate::outbox::{self, Queue};
use crate::settings::Secret;
pub use invitations::{
    Invitation, InvitationRow, Link, find_invitation, invitation_for, links, mark_answered,
    remove_invitation, remove_of_contact as remove_invitations_of_contact,
    to_remove_of_contact as invitations_to_remove_of_contact, unconfirmed_registrations,
};
pub(crate) use invitations::{mark_survey_answered, while_round_open};
pub use manage::{
    Closed, LateInvitation, close, extend, invite_late, late_contacts, open_by_hand, remind_now, to_remind,
    waiting_mail,
};
pub use summary::{RoundState, RoundSummary, list, page, summary};
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
    #[error("round {0} has closed")]
    Closed(RoundId),
    #[error("round {0} has not opened yet")]
    NotYetOpen(RoundId),
    #[error("the new closing time must be later than the present one ({0})")]
    NotLater(String),
    #[error("round {0} was opened before peil kept its audience; name the addresses with --email")]
    NoStoredAudience(RoundId),
    #[error("{0} is not a contact who can be invited (unknown, opted out or self-registered)")]
    NotAContact(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// A round as the answering pages need it.
#[derive(Debug)]
pub struct Round {
    pub id: RoundId,
    /// Shared with the [`RoundCache`]: a snapshot never changes.
    pub form: Arc<Form>,
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
    /// Practices by name, as a job's `practices` (see `contacts::in_practices`).
    pub practices: Vec<String>,
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
    /// A survey with a public link (a job's `open_link`): like an open registration, it may open
    /// with nobody invited.
    SurveyWithLink,
}

/// A survey round: opens it at `now` and invites every matching contact, all in one
/// transaction. A sign-up round is opened by `signup::open`, on top of [`begin`].
pub async fn open(
    db: &Db,
    forms: &Forms,
    secret: &Secret,
    request: &OpenRequest,
    now: DateTime<Utc>,
) -> Result<Opened, RoundsError> {
    begin(db, forms, secret, request, Offer::Survey, now).await?.finish(now).await
}

/// A round whose row and invitations are written but not committed: what the caller adds
/// through [`Opening::tx`] commits with the round and its invitation mails, or nothing does.
pub struct Opening {
    tx: Write,
    round: RoundId,
    invited: usize,
}

impl Opening {
    pub fn round(&self) -> RoundId {
        self.round
    }

    pub fn tx(&mut self) -> &mut Write {
        &mut self.tx
    }

    /// Queues the invitation mails and commits.
    pub async fn finish(mut self, now: DateTime<Utc>) -> Result<Opened, RoundsError> {
        // The invitation mails commit with the round, or neither exists.
        let queued = outbox::enqueue(&mut self.tx, Queue::Invitations(self.round), now, now).await?;
        self.tx.commit().await?;
        Ok(Opened { round: self.round, invited: self.invited, queued })
    }
}

/// Starts opening a round at `now`: checks the request against the form and `offer`, then
/// writes the round and one invitation per matching contact in a transaction left open. A job's
/// round whose occurrence is already open gives `AlreadyOpen`, whoever opened it: the unique
/// index decides, not a prior read.
pub async fn begin(
    db: &Db,
    forms: &Forms,
    secret: &Secret,
    request: &OpenRequest,
    offer: Offer,
    now: DateTime<Utc>,
) -> Result<Opening, RoundsError> {
    let form =
        forms.get(&request.form_id).ok_or_else(|| RoundsError::UnknownForm(request.form_id.clone()))?;
    match (form.kind, offer) {
        (crate::forms::FormKind::Signup, Offer::Survey | Offer::SurveyWithLink) => {
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
    let stored = Audience::of(request);
    let people = stored.people(db.read()).await?;
    let open_registration =
        matches!(offer, Offer::Signup { open_registration: true } | Offer::SurveyWithLink);
    if people.is_empty() && !open_registration {
        return Err(RoundsError::NobodyToInvite(audience));
    }
    let snapshot = serde_json::to_string(form.as_ref()).map_err(|e| RoundsError::Snapshot(RoundId(0), e))?;
    let anonymous = request.anonymous || form.anonymous;
    let (job, at, part) = match &request.occurrence {
        Some(o) => (Some(o.job_id.as_str()), Some(Timestamp::from(o.at)), o.part.as_str()),
        None => (None, None, ""),
    };
    let opens_at = request.occurrence.as_ref().map_or(now, |o| o.at.min(now));
    let mut tx = db.write().await?;
    let round: Option<RoundId> = sqlx::query_scalar(
        "INSERT INTO rounds (form_id, form_json, title, anonymous, audience, opens_at, closes_at, created_at, \
         job_id, occurrence, part, audience_json) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (job_id, occurrence, part) DO NOTHING RETURNING id",
    )
    .bind(&form.id.0)
    .bind(snapshot)
    .bind(&form.title.nl)
    .bind(i64::from(anonymous))
    .bind(&audience)
    .bind(Timestamp::from(opens_at))
    .bind(Timestamp::from(request.closes_at))
    .bind(Timestamp::from(now))
    .bind(job)
    .bind(at)
    .bind(part)
    .bind(stored.to_json())
    .fetch_optional(&mut *tx)
    .await?;
    // Dropped, the transaction rolls back.
    let round = round.ok_or(RoundsError::AlreadyOpen)?;
    for person in &people {
        invitations::invite(&mut tx, round, person, secret, now).await?;
    }
    Ok(Opening { tx, round, invited: people.len() })
}

/// What a sign-up round keeps besides its form, written in its opening transaction.
pub async fn set_signup_rules(
    tx: &mut Write,
    round: RoundId,
    cancel_until: chrono::Duration,
    remind_before: chrono::Duration,
    slug: Option<String>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE rounds SET cancel_until_secs = $2, remind_before_secs = $3, slug = $4 WHERE id = $1")
        .bind(round)
        .bind(cancel_until.num_seconds())
        .bind(remind_before.num_seconds())
        .bind(slug)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The public slug of a survey round with an open link (`/f/<slug>`), in its opening transaction;
/// a sign-up round's is written by [`set_signup_rules`].
pub async fn set_slug(tx: &mut Write, round: RoundId, slug: &str) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE rounds SET slug = $2 WHERE id = $1")
        .bind(round)
        .bind(slug)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The slug of a round's public link (`/f/<slug>`), if it has one.
pub async fn public_slug(pool: &Pool, round: RoundId) -> Result<Option<String>, sqlx::Error> {
    let slug: Option<Option<String>> =
        sqlx::query_scalar("SELECT slug FROM rounds WHERE id = $1").bind(round).fetch_optional(pool).await?;
    Ok(slug.flatten())
}

/// Keeps the registers a sign-up round's activity counts for with the round, in its opening
/// transaction (`accreditation::register::of_round` reads them).
pub async fn set_registers(
    tx: &mut Write,
    round: RoundId,
    registers: &[crate::accreditation::Register],
) -> Result<(), sqlx::Error> {
    // Strings and plain enums always serialise.
    let json = serde_json::to_string(registers).unwrap_or_else(|_| "[]".into());
    sqlx::query("UPDATE rounds SET accreditation_json = $2 WHERE id = $1")
        .bind(round)
        .bind(json)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Who a round is for, as stored with it (`rounds.audience_json`): an empty list means any.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Audience {
    pub roles: Vec<String>,
    pub wijken: Vec<String>,
    pub gemeenten: Vec<String>,
    /// Absent in rounds stored before practices could be chosen: any practice.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub practices: Vec<String>,
}

impl Audience {
    pub fn of(request: &OpenRequest) -> Audience {
        Audience {
            roles: request.roles.clone(),
            wijken: request.wijken.clone(),
            gemeenten: request.gemeenten.clone(),
            practices: request.practices.clone(),
        }
    }

    /// The contacts it reaches now (not opted out, not self-registered), ordered by e-mail.
    pub async fn people(&self, pool: &Pool) -> Result<Vec<contacts::Contact>, RoundsError> {
        let mut people = contacts::matching(pool, &self.roles, &self.wijken).await?;
        people.retain(|p| self.gemeenten.is_empty() || self.gemeenten.contains(&p.gemeente));
        people.retain(|p| contacts::in_practices(p, &self.practices));
        Ok(people)
    }

    fn to_json(&self) -> String {
        // Three lists of strings always serialise.
        serde_json::to_string(self).unwrap_or_default()
    }
}

fn describe_audience(request: &OpenRequest) -> String {
    // In Dutch: the coordinator reads it on the rounds pages.
    let part = |name: &str, values: &[String]| {
        if values.is_empty() { format!("elke {name}") } else { format!("{name} {}", values.join(", ")) }
    };
    let mut text = format!("{}; {}", part("rol", &request.roles), part("wijk", &request.wijken));
    if !request.gemeenten.is_empty() {
        text.push_str(&format!("; gemeente {}", request.gemeenten.join(", ")));
    }
    if !request.practices.is_empty() {
        text.push_str(&format!("; {} praktijken", request.practices.len()));
    }
    text
}

#[derive(sqlx::FromRow)]
struct RoundRow {
    form_json: String,
    title: String,
    anonymous: i64,
    opens_at: Timestamp,
    closes_at: Timestamp,
}

/// Reads a round with its form snapshot.
pub async fn load(pool: &Pool, id: RoundId) -> Result<Round, RoundsError> {
    let row: RoundRow =
        sqlx::query_as("SELECT form_json, title, anonymous, opens_at, closes_at FROM rounds WHERE id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .ok_or(RoundsError::UnknownRound(id))?;
    Ok(Round {
        id,
        form: Arc::new(serde_json::from_str(&row.form_json).map_err(|e| RoundsError::Snapshot(id, e))?),
        title: row.title,
        anonymous: row.anonymous != 0,
        opens_at: row.opens_at.at(),
        closes_at: row.closes_at.at(),
    })
}

/// Rounds are read on every request. Their snapshots (form, title, anonymity) never change, so
/// they are parsed once per process; their dates do change (a round closed early or extended,
/// maybe by another instance), so those are read afresh on every `get`, by primary key.
#[derive(Default)]
pub struct RoundCache {
    snapshots: std::sync::RwLock<std::collections::HashMap<RoundId, Snapshot>>,
}

/// What of a round never changes once it is open.
#[derive(Clone)]
struct Snapshot {
    form: Arc<Form>,
    title: String,
    anonymous: bool,
}

impl RoundCache {
    pub async fn get(&self, pool: &Pool, id: RoundId) -> Result<Arc<Round>, RoundsError> {
        let cached = self.snapshots.read().ok().and_then(|s| s.get(&id).cloned());
        let Some(Snapshot { form, title, anonymous }) = cached else {
            let round = load(pool, id).await?;
            let snapshot =
                Snapshot { form: round.form.clone(), title: round.title.clone(), anonymous: round.anonymous };
            if let Ok(mut snapshots) = self.snapshots.write() {
                snapshots.insert(id, snapshot);
            }
            return Ok(Arc::new(round));
        };
        let (opens_at, closes_at): (Timestamp, Timestamp) =
            sqlx::query_as("SELECT opens_at, closes_at FROM rounds WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
                .ok_or(RoundsError::UnknownRound(id))?;
        Ok(Arc::new(Round { id, form, title, anonymous, opens_at: opens_at.at(), closes_at: closes_at.at() }))
    }

    /// `get` for a caller that read the round's dates itself, just now (a personal link's visit
    /// reads them with the invitation): no query, once the snapshot is cached.
    pub async fn with_dates(
        &self,
        pool: &Pool,
        id: RoundId,
        opens_at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
    ) -> Result<Arc<Round>, RoundsError> {
        let cached = self.snapshots.read().ok().and_then(|s| s.get(&id).cloned());
        let Some(Snapshot { form, title, anonymous }) = cached else {
            return self.get(pool, id).await;
        };
        Ok(Arc::new(Round { id, form, title, anonymous, opens_at, closes_at }))
    }
}
