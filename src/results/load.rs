//! Reading results from the database: the rounds overview, response rates, and the answers of a
//! round (or of a job's rounds) folded into summaries. Answers are streamed through one
//! [`Tally`] per group, never collected per chart.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use futures_util::TryStreamExt;

use super::kept::{Fold, Folded, Stamp};
use super::privacy::{Disclosure, Table};
use super::readers;
use super::tally::Tally;
use super::{Filter, QuestionResult, Threshold};
use crate::db::{Db, Pool, Timestamp};
use crate::forms::Form;
use crate::rounds::{Round, RoundId};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("round {0} has an unreadable form snapshot: {1}")]
    Snapshot(i64, serde_json::Error),
    #[error("a stored response cannot be read: {0}")]
    Answers(#[from] serde_json::Error),
}

/// A round as the overview lists it.
#[derive(Clone, Debug)]
pub struct RoundRow {
    pub id: RoundId,
    pub title: String,
    pub form_id: String,
    pub job_id: Option<String>,
    pub occurrence: Option<String>,
    /// The wijk of a per-wijk round, else empty.
    pub part: String,
    pub anonymous: bool,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub invited: u64,
    pub answered: u64,
    /// The form's own `min_group_size`, if it raises the threshold.
    pub min_group_size: Option<u32>,
}

impl RoundRow {
    pub fn is_closed(&self, now: DateTime<Utc>) -> bool {
        self.closes_at <= now
    }
}

const ROUND_ROWS: &str = "SELECT r.id, r.title, r.form_id, r.job_id, r.occurrence, r.part, r.anonymous, \
     r.opens_at, r.closes_at, r.form_json, CAST(COALESCE(c.invited, 0) AS BIGINT) AS invited, \
     CAST(COALESCE(c.answered, 0) AS BIGINT) AS answered FROM rounds r LEFT JOIN \
     (SELECT round_id, SUM(invited) AS invited, SUM(answered) AS answered FROM \
     (SELECT round_id, 1 AS invited, answered FROM invitations \
      UNION ALL SELECT round_id, invited, answered FROM round_tallies) u GROUP BY round_id) c \
     ON c.round_id = r.id";

/// Every round, newest first, with its invitation and answer counts.
pub async fn rounds(pool: &Pool) -> Result<Vec<RoundRow>, LoadError> {
    let sql = format!("{ROUND_ROWS} ORDER BY r.opens_at DESC, r.id DESC");
    let rows: Vec<RoundRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(pool).await?;
    Ok(rows.into_iter().map(RoundRow::from).collect())
}

/// The rounds open at `now` (for the start page of `/beheer`), closing soonest first.
pub async fn open_rounds(pool: &Pool, now: DateTime<Utc>) -> Result<Vec<RoundRow>, LoadError> {
    let sql = format!("{ROUND_ROWS} WHERE r.opens_at <= $1 AND r.closes_at > $1 ORDER BY r.closes_at, r.id");
    let rows: Vec<RoundRecord> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(Timestamp::from(now)).fetch_all(pool).await?;
    Ok(rows.into_iter().map(RoundRow::from).collect())
}

/// One round's row, `None` when there is no such round.
pub async fn one_round(pool: &Pool, id: RoundId) -> Result<Option<RoundRow>, LoadError> {
    let sql = format!("{ROUND_ROWS} WHERE r.id = $1");
    let row: Option<RoundRecord> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(pool).await?;
    Ok(row.map(RoundRow::from))
}

/// A job's rounds, oldest first.
pub async fn job_rounds(pool: &Pool, job: &str) -> Result<Vec<RoundRow>, LoadError> {
    let sql = format!("{ROUND_ROWS} WHERE r.job_id = $1 ORDER BY r.opens_at, r.part, r.id");
    let rows: Vec<RoundRecord> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(job).fetch_all(pool).await?;
    Ok(rows.into_iter().map(RoundRow::from).collect())
}

/// A row of `ROUND_ROWS` as stored; a bad time in it is a decode error.
#[derive(sqlx::FromRow)]
struct RoundRecord {
    id: RoundId,
    title: String,
    form_id: String,
    job_id: Option<String>,
    occurrence: Option<String>,
    part: String,
    anonymous: i64,
    opens_at: Timestamp,
    closes_at: Timestamp,
    form_json: String,
    invited: i64,
    answered: i64,
}

impl From<RoundRecord> for RoundRow {
    fn from(r: RoundRecord) -> RoundRow {
        RoundRow {
            id: r.id,
            title: r.title,
            form_id: r.form_id,
            job_id: r.job_id,
            occurrence: r.occurrence,
            part: r.part,
            anonymous: r.anonymous != 0,
            opens_at: r.opens_at.at(),
            closes_at: r.closes_at.at(),
            invited: count(r.invited),
            answered: count(r.answered),
            min_group_size: minimum(&r.form_json),
        }
    }
}

/// Reads only `min_group_size` from a form snapshot.
fn minimum(form_json: &str) -> Option<u32> {
    #[derive(serde::Deserialize)]
    struct Minimum {
        min_group_size: Option<u32>,
    }
    serde_json::from_str::<Minimum>(form_json).ok().and_then(|m| m.min_group_size)
}

/// A SQL count as a count (never negative; a negative one would be 0).
fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Invitations of one (wijk, role) in a round: how many, and how many answered.
#[derive(sqlx::FromRow)]
struct InvitedRecord {
    wijk: String,
    role: String,
    invited: i64,
    answered: i64,
}

/// Responses of one (wijk, role) in a round, `''` for what a response does not keep.
#[derive(sqlx::FromRow)]
struct RespondentsRecord {
    wijk: String,
    role: String,
    n: i64,
}

/// One stored answer object with the wijk it was given in (`''` when not kept).
#[derive(sqlx::FromRow)]
struct WijkAnswers {
    wijk: String,
    answers: String,
}

/// Who was invited and who answered, per (wijk, role), from the invitations and the counts of
/// those removed at their retention term (`round_tallies`): the basis of the response rates.
/// `answered` is what the threshold protects.
#[derive(Clone, Debug, Default)]
pub struct Invited {
    pub invited: BTreeMap<(String, String), u64>,
    pub answered: Table,
}

impl Invited {
    /// How many of the group `filter` names were invited: the base of its response rate.
    pub fn count(&self, filter: &Filter) -> u64 {
        let matches = |(w, r): &(String, String)| {
            filter.wijk.as_ref().is_none_or(|x| x == w) && filter.role.as_ref().is_none_or(|x| x == r)
        };
        self.invited.iter().filter(|(k, _)| matches(k)).map(|(_, n)| n).sum()
    }
}

pub async fn invited(pool: &Pool, rounds: &[RoundId]) -> Result<Invited, LoadError> {
    let mut result = Invited::default();
    for round in rounds {
        let rows: Vec<InvitedRecord> = sqlx::query_as(
            "SELECT wijk, role, COUNT(*) AS invited, CAST(COALESCE(SUM(answered), 0) AS BIGINT) AS answered \
             FROM invitations WHERE round_id = $1 GROUP BY wijk, role",
        )
        .bind(round)
        .fetch_all(pool)
        .await?;
        // Invitations removed at their retention term left their counts behind.
        let tallied: Vec<InvitedRecord> =
            sqlx::query_as("SELECT wijk, role, invited, answered FROM round_tallies WHERE round_id = $1")
                .bind(round)
                .fetch_all(pool)
                .await?;
        for row in rows.into_iter().chain(tallied) {
            result.answered.add(&row.wijk, &row.role, count(row.answered));
            *result.invited.entry((row.wijk, row.role)).or_default() += count(row.invited);
        }
    }
    Ok(result)
}

/// The rounds whose figures must be judged together with `row`'s: for a per-wijk round, every
/// round its job opened at the same moment (the region minus the other wijken would otherwise
/// give a hidden wijk); otherwise the round alone.
pub async fn siblings(pool: &Pool, row: &RoundRow) -> Result<Vec<RoundId>, LoadError> {
    let (Some(job), Some(occurrence)) = (&row.job_id, &row.occurrence) else { return Ok(vec![row.id]) };
    if row.part.is_empty() {
        return Ok(vec![row.id]);
    }
    let ids = sqlx::query_scalar("SELECT id FROM rounds WHERE job_id = $1 AND occurrence = $2 ORDER BY id")
        .bind(job)
        .bind(occurrence)
        .fetch_all(pool)
        .await?;
    Ok(ids)
}

/// Respondents per (wijk, role) as the responses keep them (an anonymous response in a small
/// group keeps neither): the table the results' disclosure is decided on.
pub async fn respondents(pool: &Pool, rounds: &[RoundId]) -> Result<Table, LoadError> {
    let mut table = Table::default();
    for round in rounds {
        let rows: Vec<RespondentsRecord> = sqlx::query_as(
            "SELECT COALESCE(wijk, '') AS wijk, COALESCE(role, '') AS role, COUNT(*) AS n \
             FROM responses WHERE round_id = $1 GROUP BY wijk, role",
        )
        .bind(round)
        .fetch_all(pool)
        .await?;
        for row in rows {
            table.add(&row.wijk, &row.role, count(row.n));
        }
    }
    Ok(table)
}

/// A round's results for one group, or `None` when the group may not be shown.
pub struct RoundResults {
    pub respondents: u64,
    pub questions: Vec<QuestionResult>,
}

/// The summaries of `filter`'s respondents in `round`, as the disclosure lets them be shown;
/// folded in one pass over their answers, or kept from an earlier fold (see [`super::kept`]).
pub async fn round_results(
    db: &Db,
    round: &Round,
    filter: &Filter,
    disclosure: &Disclosure,
) -> Result<Option<RoundResults>, LoadError> {
    if !disclosure.allows(filter) {
        return Ok(None);
    }
    let group = group_results(db, round, filter).await?;
    let questions = group.questions.iter().cloned();
    let questions = questions.filter_map(|q| readers::shown(&round.form, q)).map(|q| disclosure.question(q));
    Ok(Some(RoundResults { respondents: group.respondents, questions: questions.collect() }))
}

/// One question's result for the group (a free-text page, a chart download), from the group's
/// fold; `None` when the group may not be shown or the form has no such question.
pub async fn question_result(
    db: &Db,
    round: &Round,
    filter: &Filter,
    disclosure: &Disclosure,
    question: &str,
) -> Result<Option<QuestionResult>, LoadError> {
    if !disclosure.allows(filter) {
        return Ok(None);
    }
    let group = group_results(db, round, filter).await?;
    let result = group.questions.iter().find(|q| q.id == question).cloned();
    let result = result.and_then(|q| readers::shown(&round.form, q));
    Ok(result.map(|q| disclosure.question(q)))
}

/// Every question's summary for the group, before the disclosure: kept, or folded and kept.
async fn group_results(db: &Db, round: &Round, filter: &Filter) -> Result<Arc<GroupResults>, LoadError> {
    let rounds = [round.id];
    let fold = Fold::Group(filter.clone());
    // Read before the answers: a change during the fold leaves a stamp that no longer holds.
    let stamp = Stamp::read(db.read(), &rounds).await?;
    if let Some(kept) = db.kept().get(&rounds, &fold, &stamp) {
        return Ok(kept.region);
    }
    let mut tally = Tally::new(&round.form);
    stream_answers(db.read(), round.id, filter, |json| tally.add(json)).await?;
    let group = Arc::new(GroupResults { respondents: tally.respondents(), questions: tally.finish() });
    let folded = Folded { region: group.clone(), wijken: BTreeMap::new() };
    db.kept().keep(&rounds, fold, &stamp, &folded);
    Ok(group)
}

/// Calls `each` with every stored answer object of the group, without collecting them. Ordered
/// by the random response id, so free texts never come in the order they were given (a heap
/// scan on PostgreSQL would follow insertion).
async fn stream_answers(
    pool: &Pool,
    round: RoundId,
    filter: &Filter,
    mut each: impl FnMut(&str) -> Result<(), serde_json::Error>,
) -> Result<(), LoadError> {
    let mut answers = sqlx::query_scalar::<_, String>(
        "SELECT answers FROM responses WHERE round_id = $1 \
         AND ($2 = '' OR COALESCE(wijk, '') = $2) AND ($3 = '' OR COALESCE(role, '') = $3) ORDER BY id",
    )
    .bind(round)
    .bind(filter.wijk.clone().unwrap_or_default())
    .bind(filter.role.clone().unwrap_or_default())
    .fetch(pool);
    while let Some(json) = answers.try_next().await? {
        each(&json)?;
    }
    Ok(())
}

/// One occurrence of a job (a round, or the per-wijk rounds opened together) with each group's
/// summaries: the region as a whole and every wijk, `None` where suppressed.
pub struct Occasion {
    pub rounds: Vec<RoundRow>,
    pub form: Form,
    /// Respondents per (wijk, role) and what the occasion shows of them: what views over
    /// several occasions are judged against (`privacy::pooled`).
    pub respondents: Table,
    pub disclosure: Disclosure,
    pub region: Option<GroupResults>,
    pub wijken: BTreeMap<String, Option<GroupResults>>,
}

#[derive(Clone, Debug)]
pub struct GroupResults {
    pub respondents: u64,
    pub questions: Vec<QuestionResult>,
}

/// A job's closed occurrences, oldest first, each folded per wijk in one pass over its answers.
pub async fn job_history(
    db: &Db,
    rounds: &[RoundRow],
    threshold_of: impl Fn(&Form) -> Threshold,
    now: DateTime<Utc>,
) -> Result<Vec<Occasion>, LoadError> {
    let mut history = Vec::new();
    for group in occurrences(rounds) {
        if group.iter().any(|r| !r.is_closed(now)) {
            continue;
        }
        let form = snapshot(db.read(), group[0].id).await?;
        let ids: Vec<RoundId> = group.iter().map(|r| r.id).collect();
        let table = respondents(db.read(), &ids).await?;
        let disclosure = Disclosure::new(&table, threshold_of(&form));
        let (region, wijken) = fold_by_wijk(db, &ids, &form).await?;
        let shown = |group: GroupResults| GroupResults {
            questions: group
                .questions
                .into_iter()
                .filter_map(|q| readers::shown(&form, q))
                .map(|q| disclosure.question(q))
                .collect(),
            ..group
        };
        let region = disclosure.allows(&Filter::default()).then(|| shown(region));
        let wijken = wijken
            .into_iter()
            .filter(|(wijk, _)| !wijk.is_empty())
            .map(|(wijk, group)| {
                let allowed = disclosure.allows(&Filter { wijk: Some(wijk.clone()), role: None });
                (wijk, allowed.then(|| shown(group)))
            })
            .collect();
        history.push(Occasion { rounds: group, form, respondents: table, disclosure, region, wijken });
    }
    Ok(history)
}

/// Rounds grouped by the occurrence that opened them (per-wijk rounds share one); rounds opened
/// by hand stand alone.
fn occurrences(rounds: &[RoundRow]) -> Vec<Vec<RoundRow>> {
    let mut groups: Vec<Vec<RoundRow>> = Vec::new();
    for round in rounds {
        match groups.last_mut() {
            Some(last)
                if round.occurrence.is_some()
                    && last[0].occurrence == round.occurrence
                    && last[0].job_id == round.job_id =>
            {
                last.push(round.clone())
            }
            _ => groups.push(vec![round.clone()]),
        }
    }
    groups
}

async fn snapshot(pool: &Pool, round: RoundId) -> Result<Form, LoadError> {
    let json: String =
        sqlx::query_scalar("SELECT form_json FROM rounds WHERE id = $1").bind(round).fetch_one(pool).await?;
    serde_json::from_str(&json).map_err(|e| LoadError::Snapshot(round.0, e))
}

/// The region's summaries and every wijk's over the answers of `rounds`: kept, or folded in one
/// pass and kept (see [`super::kept`]). `form` is the one the callers fold these rounds with
/// (the first round's for an occasion, the latest's for a pooled block), always the same one.
pub(super) async fn fold_by_wijk(
    db: &Db,
    rounds: &[RoundId],
    form: &Form,
) -> Result<(GroupResults, BTreeMap<String, GroupResults>), LoadError> {
    let stamp = Stamp::read(db.read(), rounds).await?;
    let folded = match db.kept().get(rounds, &Fold::ByWijk, &stamp) {
        Some(kept) => kept,
        None => {
            let folded = tally_by_wijk(db.read(), rounds, form).await?;
            db.kept().keep(rounds, Fold::ByWijk, &stamp, &folded);
            folded
        }
    };
    let wijken = folded.wijken.iter().map(|(w, g)| (w.clone(), GroupResults::clone(g))).collect();
    Ok((GroupResults::clone(&folded.region), wijken))
}

/// One pass over the answers of `rounds`: the region's tally and one per wijk.
async fn tally_by_wijk(pool: &Pool, rounds: &[RoundId], form: &Form) -> Result<Folded, LoadError> {
    let mut region = Tally::new(form);
    let mut wijken: BTreeMap<String, Tally> = BTreeMap::new();
    for round in rounds {
        let mut rows = sqlx::query_as::<_, WijkAnswers>(
            "SELECT COALESCE(wijk, '') AS wijk, answers FROM responses WHERE round_id = $1 ORDER BY id",
        )
        .bind(round)
        .fetch(pool);
        while let Some(row) = rows.try_next().await? {
            region.add(&row.answers)?;
            wijken.entry(row.wijk).or_insert_with(|| Tally::new(form)).add(&row.answers)?;
        }
    }
    let finish =
        |tally: Tally| Arc::new(GroupResults { respondents: tally.respondents(), questions: tally.finish() });
    Ok(Folded { region: finish(region), wijken: wijken.into_iter().map(|(w, t)| (w, finish(t))).collect() })
}
