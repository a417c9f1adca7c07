//! A person's identified answers and drafts, each question labelled as the round's own form
//! snapshot labels it (the form file may have changed since). Anonymous rounds give nothing here:
//! their responses have no link to an invitation, and their drafts are not read.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};

use super::{AnswerData, AnswerItem, DraftData, PersonsError};
use crate::contacts::ContactId;
use crate::db::{Pool, Timestamp};
use crate::forms::Answers;
use crate::responses::Seal;
use crate::responses::identified::in_words;
use crate::rounds::{self, Round, RoundId};

#[derive(sqlx::FromRow)]
struct ResponseRow {
    round_id: RoundId,
    answers: String,
    submitted_on: String,
    updated_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    round_id: RoundId,
    page: i64,
    answers: String,
    #[sqlx(try_from = "Timestamp")]
    updated_at: DateTime<Utc>,
}

/// Rounds loaded once each, however many rows name them.
#[derive(Default)]
struct Rounds(HashMap<RoundId, Arc<Round>>);

impl Rounds {
    async fn get(&mut self, pool: &Pool, id: RoundId) -> Result<Arc<Round>, PersonsError> {
        if let Some(round) = self.0.get(&id) {
            return Ok(round.clone());
        }
        let round = Arc::new(rounds::load(pool, id).await.map_err(|e| PersonsError::Stored(e.to_string()))?);
        self.0.insert(id, round.clone());
        Ok(round)
    }
}

fn labelled(round: &Round, answers: &Answers) -> Vec<AnswerItem> {
    round
        .form
        .questions()
        .filter_map(|q| {
            in_words(q, answers).map(|answer| AnswerItem { question: q.label.nl.clone(), answer })
        })
        .collect()
}

/// The contact's responses in identified rounds, in round order.
pub(super) async fn answers(pool: &Pool, contact: ContactId) -> Result<Vec<AnswerData>, PersonsError> {
    let rows: Vec<ResponseRow> = sqlx::query_as(
        "SELECT r.round_id, r.answers, r.submitted_on, r.updated_at FROM responses r \
         JOIN invitations i ON i.id = r.invitation_id WHERE i.contact_id = $1 ORDER BY r.round_id",
    )
    .bind(contact)
    .fetch_all(pool)
    .await?;
    let mut rounds = Rounds::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let round = rounds.get(pool, row.round_id).await?;
        let answers: Answers =
            serde_json::from_str(&row.answers).map_err(|e| PersonsError::Stored(e.to_string()))?;
        out.push(AnswerData {
            round_id: row.round_id,
            round_title: round.title.clone(),
            submitted_at: row.submitted_on,
            updated_at: row.updated_at,
            items: labelled(&round, &answers),
        });
    }
    Ok(out)
}

/// The contact's drafts: with their answers in identified rounds, without in anonymous ones.
pub(super) async fn drafts(
    pool: &Pool,
    seal: &Seal,
    contact: ContactId,
) -> Result<Vec<DraftData>, PersonsError> {
    let rows: Vec<DraftRow> = sqlx::query_as(
        "SELECT i.round_id, d.page, d.answers, d.updated_at FROM drafts d \
         JOIN invitations i ON i.id = d.invitation_id WHERE i.contact_id = $1 ORDER BY i.round_id",
    )
    .bind(contact)
    .fetch_all(pool)
    .await?;
    let mut rounds = Rounds::default();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let round = rounds.get(pool, row.round_id).await?;
        let items = if round.anonymous {
            Vec::new()
        } else {
            let bytes = seal.open(&row.answers).map_err(|_| PersonsError::Stored("a sealed draft".into()))?;
            let answers: Answers =
                serde_json::from_slice(&bytes).map_err(|e| PersonsError::Stored(e.to_string()))?;
            labelled(&round, &answers)
        };
        out.push(DraftData {
            round_id: row.round_id,
            round_title: round.title.clone(),
            anonymous: round.anonymous,
            page: row.page,
            updated_at: row.updated_at,
            items,
        });
    }
    Ok(out)
}
