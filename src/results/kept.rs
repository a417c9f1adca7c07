//! Tallies kept: a round's answers folded into summaries once, and the summaries kept in memory
//! for the next reader, so that a results page, a chart, a free-text page or the glance at a
//! later round do not read and parse every response again (issue 27: at 100,000 responses a
//! fold takes some 400 ms). What is kept is the fold before the disclosure: which groups and
//! questions may be shown is decided on every request, from the respondents counted then.
//!
//! A kept fold is used only while its [`Stamp`] still holds: for each of its rounds the number
//! of responses, how often they were changed (`round_changes`, counted by the triggers of
//! migration 0020) and the closing moment. Every writer of `responses` moves one of these (grep `responses` in `src`):
//! - `responses::submit` (an answer, `INSERT ... ON CONFLICT DO UPDATE` for an edited one): the
//!   number, or a change for the edit;
//! - `responses::pool::release` (anonymous responses released, also when a round closes): the
//!   number, and `responses::mixing::mix` rewrites them (a change);
//! - `responses::retention` (a responses term: removed, or anonymised one by one): changes;
//! - `responses::erasure` (a person's answers removed on request): a change;
//! - `rounds::manage` (a round closed early, reopened or extended): the closing moment;
//! - and any hand-made SQL: the triggers see it too.
//!
//! The stamp is read before the answers, so a change that lands during a fold leaves a stamp
//! that no longer holds: the fold is not used again. Only closed rounds are folded by the
//! callers (`Access` refuses open ones, `job_history` skips them); an open round's fold would
//! still be right, only replaced at every answer. A fold no longer used is dropped after
//! [`KEPT_FOR`], so answers a person had erased do not stay in memory long after it; a stale one
//! is never shown. Kept per database ([`crate::db::Db`]): round ids are only unique within one,
//! and on PostgreSQL several instances each keep their own, checked against the same stamp.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};

use super::Filter;
use super::load::{GroupResults, LoadError};
use crate::db::{Pool, Timestamp};
use crate::rounds::RoundId;

/// How long a fold is kept after it was last used.
pub const KEPT_FOR: Duration = Duration::from_secs(15 * 60);

/// At most this many folds are kept (a fold is a few hundred kB at most: its free texts).
const CAPACITY: usize = 256;

/// What a fold covers: the responses of some rounds, for one group or split per wijk.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Fold {
    /// The group a filter names, in one pass.
    Group(Filter),
    /// Everyone and every wijk (`''` for responses that keep none), in one pass.
    ByWijk,
}

/// A fold's result: everyone's (or the group's) summaries, and per wijk for [`Fold::ByWijk`].
#[derive(Clone, Debug)]
pub struct Folded {
    pub region: Arc<GroupResults>,
    pub wijken: BTreeMap<String, Arc<GroupResults>>,
}

/// What the responses of some rounds were when a fold was made; see the module's doc.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stamp(Vec<RoundStamp>);

#[derive(Clone, Debug, PartialEq, Eq)]
struct RoundStamp {
    responses: i64,
    changes: i64,
    closes_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct StampRecord {
    responses: i64,
    changes: i64,
    closes_at: Timestamp,
}

impl Stamp {
    /// The stamp of `rounds` now: one small query per round (a count over the covering index
    /// `responses_round_groups`, and the round's changes).
    pub async fn read(pool: &Pool, rounds: &[RoundId]) -> Result<Stamp, LoadError> {
        let mut stamps = Vec::with_capacity(rounds.len());
        for round in rounds {
            let record: Option<StampRecord> = sqlx::query_as(
                "SELECT r.closes_at, \
                 CAST((SELECT COUNT(*) FROM responses WHERE round_id = r.id) AS BIGINT) AS responses, \
                 CAST(COALESCE((SELECT changes FROM round_changes WHERE round_id = r.id), 0) AS BIGINT) \
                 AS changes FROM rounds r WHERE r.id = $1",
            )
            .bind(round)
            .fetch_optional(pool)
            .await?;
            stamps.push(match record {
                Some(r) => RoundStamp {
                    responses: r.responses,
                    changes: r.changes,
                    closes_at: Some(r.closes_at.at()),
                },
                None => RoundStamp { responses: 0, changes: 0, closes_at: None },
            });
        }
        Ok(Stamp(stamps))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    rounds: Vec<RoundId>,
    fold: Fold,
}

#[derive(Debug)]
struct Entry {
    stamp: Stamp,
    folded: Folded,
    used: Instant,
}

/// The folds kept for one database. Cheap to clone: clones share the folds.
#[derive(Clone, Debug, Default)]
pub struct Kept {
    shelf: Arc<Mutex<HashMap<Key, Entry>>>,
}

impl Kept {
    /// The fold of `rounds` as `fold` when one is kept under `stamp`.
    pub fn get(&self, rounds: &[RoundId], fold: &Fold, stamp: &Stamp) -> Option<Folded> {
        let mut shelf = self.shelf.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let key = Key { rounds: rounds.to_vec(), fold: fold.clone() };
        let entry = shelf.get_mut(&key)?;
        if entry.stamp != *stamp || entry.used.elapsed() > KEPT_FOR {
            shelf.remove(&key);
            return None;
        }
        entry.used = Instant::now();
        Some(entry.folded.clone())
    }

    /// Keeps `folded`, made under `stamp`. A fold per wijk also answers the groups it holds:
    /// everyone, and each wijk.
    pub fn keep(&self, rounds: &[RoundId], fold: Fold, stamp: &Stamp, folded: &Folded) {
        let mut shelf = self.shelf.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        shelf.retain(|_, e| e.used.elapsed() <= KEPT_FOR);
        let mut put = |fold: Fold, folded: Folded| {
            let key = Key { rounds: rounds.to_vec(), fold };
            shelf.insert(key, Entry { stamp: stamp.clone(), folded, used: Instant::now() });
        };
        if fold == Fold::ByWijk {
            let group =
                |results: &Arc<GroupResults>| Folded { region: results.clone(), wijken: BTreeMap::new() };
            put(Fold::Group(Filter::default()), group(&folded.region));
            // `''` holds the responses that keep no wijk; a filter never names it.
            for (wijk, results) in folded.wijken.iter().filter(|(w, _)| !w.is_empty()) {
                put(Fold::Group(Filter { wijk: Some(wijk.clone()), role: None }), group(results));
            }
        }
        put(fold, folded.clone());
        while shelf.len() > CAPACITY {
            let oldest = shelf.iter().min_by_key(|(_, e)| e.used).map(|(k, _)| k.clone());
            let Some(oldest) = oldest else { break };
            shelf.remove(&oldest);
        }
    }

    /// How many folds are kept (for tests).
    pub fn len(&self) -> usize {
        self.shelf.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops every fold (for tests that compare a kept fold with a fresh one).
    pub fn clear(&self) {
        self.shelf.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clear();
    }
}
