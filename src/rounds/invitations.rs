//! Invitations: one per person in a round, found by the personal link's token, marked answered
//! when a response is stored. `begin` writes a round's invitations with [`invite`]; an open
//! registration adds one later with [`invitation_for`].

use chrono::{DateTime, Utc};

use super::{InvitationId, InvitationToken, RoundId, RoundsError, token};
use crate::contacts::{Contact, ContactId};
use crate::db::{Pool, Timestamp, Write};
use crate::settings::Secret;

/// Invites `contact` to `round` in the caller's transaction, with a fresh personal link; `None`
/// when the contact was invited already.
pub(super) async fn invite(
    tx: &mut Write,
    round: RoundId,
    contact: &Contact,
    secret: &Secret,
    now: DateTime<Utc>,
) -> Result<Option<InvitationId>, sqlx::Error> {
    let nonce = token::new_nonce();
    let hash = InvitationToken::derive(secret, &nonce).hash();
    sqlx::query_scalar(
        "INSERT INTO invitations (round_id, contact_id, nonce, token_hash, role, wijk, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (round_id, contact_id) DO NOTHING RETURNING id",
    )
    .bind(round)
    .bind(contact.id)
    .bind(nonce)
    .bind(hash)
    .bind(&contact.role)
    .bind(&contact.wijk)
    .bind(Timestamp::from(now))
    .fetch_optional(&mut **tx)
    .await
}

/// The invitation of `contact` to `round`, made in the caller's transaction if there is none:
/// whoever registers twice keeps their first link.
pub async fn invitation_for(
    tx: &mut Write,
    round: RoundId,
    contact: &Contact,
    secret: &Secret,
    now: DateTime<Utc>,
) -> Result<InvitationId, sqlx::Error> {
    if let Some(id) = invite(tx, round, contact, secret, now).await? {
        return Ok(id);
    }
    sqlx::query_scalar("SELECT id FROM invitations WHERE round_id = $1 AND contact_id = $2")
        .bind(round)
        .bind(contact.id)
        .fetch_one(&mut **tx)
        .await
}

/// The open registrations made before `before` whose link was never used to choose a session
/// or save a page: invitations of self-registered contacts (only a registration invites those),
/// unanswered, without a draft, a seat or a response. With their contact, for the caller.
pub async fn unconfirmed_registrations(
    tx: &mut Write,
    before: DateTime<Utc>,
) -> Result<Vec<(InvitationId, ContactId)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.id, i.contact_id FROM invitations i JOIN contacts c ON c.id = i.contact_id \
         WHERE c.self_registered = 1 AND i.answered = 0 AND i.created_at <= $1 \
         AND NOT EXISTS (SELECT 1 FROM drafts d WHERE d.invitation_id = i.id) \
         AND NOT EXISTS (SELECT 1 FROM seats s WHERE s.invitation_id = i.id) \
         AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.invitation_id = i.id) ORDER BY i.id",
    )
    .bind(Timestamp::from(before))
    .fetch_all(&mut **tx)
    .await
}

/// Removes `invitation` in the caller's transaction; its mail rows must be gone first.
pub async fn remove_invitation(tx: &mut Write, invitation: InvitationId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM invitations WHERE id = $1").bind(invitation).execute(&mut **tx).await?;
    Ok(())
}

/// A contact's invitations that [`remove_of_contact`] removes, with what `round_tallies` counts
/// of them (`persons::erase` counts them first, so response rates stay as they were).
pub async fn to_remove_of_contact(
    tx: &mut Write,
    contact: ContactId,
) -> Result<Vec<crate::retention::tallies::Removed>, sqlx::Error> {
    sqlx::query_as(
        "SELECT round_id, wijk, role, answered FROM invitations WHERE contact_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM seats st WHERE st.invitation_id = invitations.id)",
    )
    .bind(contact)
    .fetch_all(&mut **tx)
    .await
}

/// Deletes a contact's invitations in the caller's transaction (their erasure, `persons::erase`),
/// except those a remaining seat still names (attendance kept as accreditation proof); the rows
/// removed. Their drafts, responses, seats and mails must be gone already.
pub async fn remove_of_contact(tx: &mut Write, contact: ContactId) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM invitations WHERE contact_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM seats st WHERE st.invitation_id = invitations.id)",
    )
    .bind(contact)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Marks `invitation` answered while its round is open, in the caller's transaction, and
/// returns its (wijk, role). `None` when the round is not open, or, with `once`, when the
/// invitation was answered already.
pub async fn mark_answered(
    tx: &mut Write,
    invitation: InvitationId,
    once: bool,
    now: DateTime<Utc>,
) -> Result<Option<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "UPDATE invitations SET answered = 1 WHERE id = $1 AND (answered = 0 OR $2 = 0) \
         AND round_id IN (SELECT id FROM rounds WHERE opens_at <= $3 AND closes_at > $3) \
         RETURNING wijk, role",
    )
    .bind(invitation)
    .bind(i64::from(once))
    .bind(Timestamp::from(now))
    .fetch_optional(&mut **tx)
    .await
}

/// [`mark_answered`] for a survey as SQL text, for a script that stores the response in the same
/// hand-off to SQLite (`responses::submit`): `$3` the invitation, `$5` the moment; returns the
/// invitation's `wijk, role` while its round is open. A literal, so the script stays static.
macro_rules! mark_survey_answered {
    () => {
        concat!(
            "UPDATE invitations SET answered = 1 WHERE id = $3 AND ",
            crate::rounds::while_round_open!(),
            " RETURNING wijk, role"
        )
    };
}
pub(crate) use mark_survey_answered;

/// The condition, on a row with a `round_id`, that its round is open at `$5`: for the statements
/// of a script around [`mark_survey_answered`], which each must store nothing once it has closed.
macro_rules! while_round_open {
    () => {
        "round_id IN (SELECT id FROM rounds WHERE opens_at <= $5 AND closes_at > $5)"
    };
}
pub(crate) use while_round_open;

/// An invitation found by its link.
#[derive(Clone, Debug)]
pub struct Invitation {
    pub id: InvitationId,
    pub round: RoundId,
    pub answered: bool,
}

/// An `invitations` row's `id, round_id, answered`, for whoever selects them.
#[derive(sqlx::FromRow)]
pub struct InvitationRow {
    id: InvitationId,
    round_id: RoundId,
    answered: i64,
}

impl From<InvitationRow> for Invitation {
    fn from(row: InvitationRow) -> Invitation {
        Invitation { id: row.id, round: row.round_id, answered: row.answered != 0 }
    }
}

/// The invitation a token belongs to, if any. Malformed and unknown tokens look alike to callers.
pub async fn find_invitation(
    pool: &Pool,
    token: &InvitationToken,
) -> Result<Option<Invitation>, RoundsError> {
    let row: Option<InvitationRow> =
        sqlx::query_as("SELECT id, round_id, answered FROM invitations WHERE token_hash = $1")
            .bind(token.hash())
            .fetch_optional(pool)
            .await?;
    Ok(row.map(Invitation::from))
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
    let exists: Option<RoundId> =
        sqlx::query_scalar("SELECT id FROM rounds WHERE id = $1").bind(round).fetch_optional(pool).await?;
    exists.ok_or(RoundsError::UnknownRound(round))?;
    let rows: Vec<LinkRow> = sqlx::query_as(
        "SELECT c.name, c.email, i.nonce FROM invitations i JOIN contacts c ON c.id = i.contact_id \
         WHERE i.round_id = $1 ORDER BY c.email",
    )
    .bind(round)
    .fetch_all(pool)
    .await?;
    let base = base_url.trim_end_matches('/');
    let link = |row: LinkRow| {
        let token = InvitationToken::derive(secret, &row.nonce);
        Link { name: row.name, email: row.email, url: format!("{base}/r/{}", token.as_str()) }
    };
    Ok(rows.into_iter().map(link).collect())
}

#[derive(sqlx::FromRow)]
struct LinkRow {
    name: String,
    email: String,
    nonce: String,
}
