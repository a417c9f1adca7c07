//! What a round keeps past its terms. Its links stop working (the token's hash is kept apart so
//! that opening one says why) and its drafts go; its identified responses lose who gave them, or
//! go; its seats and attendance go with their certificates; and once nothing needs them, its
//! invitations go too, counted first per (wijk, role) in `round_tallies` so that the round's
//! response rates and its job's trends read the same afterwards.

use chrono::{DateTime, Utc};

use super::{Identified, Kind, Policy, RetentionError};
use crate::contacts::ContactId;
use crate::db::{Timestamp, Write};
use crate::forms::Form;
use crate::rounds::{InvitationId, RoundId};

/// A closed round as the run reads it.
#[derive(sqlx::FromRow)]
pub(super) struct ClosedRound {
    pub id: RoundId,
    pub form_id: String,
    pub job_id: Option<String>,
    pub anonymous: i64,
    pub closes_at: Timestamp,
    pub form_json: String,
}

pub(super) async fn closed_rounds(
    tx: &mut Write,
    now: DateTime<Utc>,
) -> Result<Vec<ClosedRound>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, form_id, job_id, anonymous, closes_at, form_json FROM rounds \
         WHERE closes_at <= $1 ORDER BY id",
    )
    .bind(Timestamp::from(now))
    .fetch_all(&mut **tx)
    .await
}

/// Ends the links of `round`: the hash of each token moves to `expired_links`, the invitation
/// keeps neither (its nonce, from which the link is made, is emptied). Drafts and mail still
/// waiting for those links go. Returns (links, drafts).
pub(super) async fn expire_links(
    tx: &mut Write,
    round: RoundId,
    today: &str,
) -> Result<(u64, u64), sqlx::Error> {
    let live: Vec<(InvitationId, String)> = sqlx::query_as(
        "SELECT id, token_hash FROM invitations WHERE round_id = $1 AND nonce <> '' ORDER BY id",
    )
    .bind(round)
    .fetch_all(&mut **tx)
    .await?;
    let drafts = crate::responses::retention::remove_drafts_of_round(tx, round).await?;
    for (invitation, hash) in &live {
        sqlx::query(
            "INSERT INTO expired_links (token_hash, round_id, expired_on) VALUES ($1, $2, $3) \
             ON CONFLICT (token_hash) DO NOTHING",
        )
        .bind(hash)
        .bind(round)
        .bind(today)
        .execute(&mut **tx)
        .await?;
        crate::rounds::retention::end_link(tx, *invitation).await?;
        crate::outbox::retention::remove_pending_of_invitation(tx, *invitation).await?;
    }
    Ok((live.len() as u64, drafts))
}

/// The identified responses of `round` past their term, made anonymous or removed as `policy`
/// says. Returns (anonymised, removed).
pub(super) async fn identified_responses(
    tx: &mut Write,
    round: &ClosedRound,
    form: &Form,
    policy: &Policy,
) -> Result<(u64, u64), RetentionError> {
    if policy.kind == Kind::Anonymous {
        return Ok((0, 0));
    }
    if policy.identified == Identified::Remove {
        let removed = crate::responses::retention::remove_of_round(tx, round.id).await?;
        return Ok((0, removed));
    }
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT id, answers, submitted_on FROM responses WHERE round_id = $1 AND invitation_id IS NOT NULL",
    )
    .bind(round.id)
    .fetch_all(&mut **tx)
    .await?;
    for (id, answers, submitted_on) in &rows {
        let kept = without_identifying(form, answers)?;
        // The day alone, as an anonymous response keeps it: a time of day can tie it to a visit.
        let day = submitted_on.get(..10).unwrap_or(submitted_on);
        crate::responses::retention::anonymise(tx, id, kept, day).await?;
    }
    Ok((rows.len() as u64, 0))
}

/// `answers` (a JSON object by question id) without the answers that say who gave them: the
/// form's `identifying` questions and its e-mail questions (see `forms::reading`).
fn without_identifying(form: &Form, answers: &str) -> Result<String, RetentionError> {
    let mut map: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(answers).map_err(RetentionError::Answers)?;
    for question in form.questions().filter(|q| q.is_identifying()) {
        map.remove(&question.id);
    }
    serde_json::to_string(&map).map_err(RetentionError::Answers)
}

/// Seats of the sessions of `round` that ended at or before `cutoff`, with their certificates
/// and their mails. Returns (seats, certificates).
pub(super) async fn attendance(
    tx: &mut Write,
    round: RoundId,
    cutoff: DateTime<Utc>,
) -> Result<(u64, u64), sqlx::Error> {
    let certificates = crate::certificates::remove_of_past_seats(tx, round, cutoff).await?;
    crate::outbox::retention::remove_of_past_seats(tx, round, cutoff).await?;
    let seats = crate::signup::retention::remove_past_seats(tx, round, cutoff).await?;
    Ok((seats, certificates))
}

/// The invitations of `round` that nothing needs any more (their link has expired, no response
/// names them, no seat is theirs): counted per (wijk, role) into `round_tallies`, then removed
/// with their mails, and a contact that only registered for them with them. Returns how many.
pub(super) async fn invitations(tx: &mut Write, round: RoundId) -> Result<u64, RetentionError> {
    const UNNEEDED: &str = "SELECT i.id FROM invitations i WHERE i.round_id = $1 AND i.nonce = '' \
        AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.invitation_id = i.id) \
        AND NOT EXISTS (SELECT 1 FROM seats s WHERE s.invitation_id = i.id)";
    let rows: Vec<(InvitationId, ContactId, String, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "SELECT id, contact_id, wijk, role, answered FROM invitations WHERE id IN ({UNNEEDED}) ORDER BY id"
    )))
    .bind(round)
    .fetch_all(&mut **tx)
    .await?;
    let removed: Vec<super::tallies::Removed> = rows
        .iter()
        .map(|(_, _, wijk, role, answered)| super::tallies::Removed {
            round_id: round,
            wijk: wijk.clone(),
            role: role.clone(),
            answered: *answered,
        })
        .collect();
    super::tallies::count(tx, &removed).await?;
    for (invitation, contact, ..) in &rows {
        crate::outbox::forget_invitation(tx, *invitation).await?;
        crate::rounds::remove_invitation(tx, *invitation).await?;
        crate::contacts::remove_if_only_registered(tx, *contact).await?;
    }
    Ok(rows.len() as u64)
}
