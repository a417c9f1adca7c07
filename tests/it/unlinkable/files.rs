//! Reading a copy of SQLite's files as someone who took it would (issue 22, section 1): the main
//! file, and every state its WAL holds, commit by commit.

use std::collections::BTreeSet;
use std::path::Path;

use sqlx::Connection;

/// The database files as copied at one moment.
pub struct Copy {
    pub main: Vec<u8>,
    pub wal: Vec<u8>,
}

impl Copy {
    /// Copies `peil.db` and its WAL from `dir`; `None` when a file changed under the copy so much
    /// that it cannot be read (a torn copy, as a real one can be).
    pub fn take(dir: &Path) -> Option<Copy> {
        let main = std::fs::read(dir.join("peil.db")).ok()?;
        let wal = std::fs::read(dir.join("peil.db-wal")).unwrap_or_default();
        Some(Copy { main, wal })
    }

    /// The database as the main file has it, then as each commit in the WAL left it, in order.
    pub fn states(&self) -> Vec<Vec<u8>> {
        let mut states = vec![self.main.clone()];
        if self.wal.len() < 32 {
            return states;
        }
        let page_size = u32be(&self.wal, 8) as usize;
        let salts = (u32be(&self.wal, 16), u32be(&self.wal, 20));
        let mut image = self.main.clone();
        let mut at = 32;
        while at + 24 + page_size <= self.wal.len() {
            let (page, commit) = (u32be(&self.wal, at) as usize, u32be(&self.wal, at + 4) as usize);
            if (u32be(&self.wal, at + 8), u32be(&self.wal, at + 12)) != salts {
                break; // a frame of an earlier generation of the WAL: not part of this history
            }
            let start = (page - 1) * page_size;
            if image.len() < start + page_size {
                image.resize(start + page_size, 0);
            }
            image[start..start + page_size].copy_from_slice(&self.wal[at + 24..at + 24 + page_size]);
            if commit > 0 {
                image.truncate(commit * page_size);
                states.push(image.clone());
            }
            at += 24 + page_size;
        }
        states
    }

    /// How many commits the WAL holds.
    pub fn commits_in_wal(&self) -> usize {
        self.states().len() - 1
    }
}

fn u32be(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes(bytes[at..at + 4].try_into().expect("four bytes"))
}

/// What a state of the database shows of one round: the invitations marked answered, the
/// responses (their answers, as stored), and the round's sealed pool.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    pub answered: BTreeSet<i64>,
    pub responses: BTreeSet<String>,
    pub pool: Option<String>,
}

/// Opens `state` (a database image) read-only and reads round `round` from it; `None` when the
/// image is not a readable database (a copy torn by a concurrent write).
pub async fn read(state: &[u8], round: i64) -> Option<Seen> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("state.db");
    std::fs::write(&path, state).expect("write state");
    let url = format!("sqlite://{}?mode=ro&immutable=1", path.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.ok()?;
    let answered: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM invitations WHERE round_id = ? AND answered = 1")
            .bind(round)
            .fetch_all(&mut conn)
            .await
            .ok()?;
    let responses: Vec<String> = sqlx::query_scalar("SELECT answers FROM responses WHERE round_id = ?")
        .bind(round)
        .fetch_all(&mut conn)
        .await
        .ok()?;
    let pool: Option<String> = sqlx::query_scalar("SELECT sealed FROM anonymous_pool WHERE round_id = ?")
        .bind(round)
        .fetch_optional(&mut conn)
        .await
        .ok()?;
    Some(Seen { answered: answered.into_iter().collect(), responses: responses.into_iter().collect(), pool })
}

/// The attacker without the key who watches a series of states from the round's start: each time
/// responses appear, each of them came from one of the invitations answered since responses last
/// appeared (those first seen in the same state count for the next batch as well, since they
/// may have come after the release). What it learns is that set, per response.
/// Invitations and responses count from the first state they are seen in (a torn copy may show
/// one for a moment and not the next).
#[derive(Default)]
pub struct Watcher {
    answered: BTreeSet<i64>,
    responses: BTreeSet<String>,
    since_last: BTreeSet<i64>,
    /// Per response (its stored answers): the invitations it must have come from.
    pub candidates: Vec<(String, BTreeSet<i64>)>,
}

impl Watcher {
    pub fn see(&mut self, seen: &Seen) {
        let answered: BTreeSet<i64> = seen.answered.difference(&self.answered).copied().collect();
        self.since_last.extend(&answered);
        self.answered.extend(&answered);
        let new: Vec<String> = seen.responses.difference(&self.responses).cloned().collect();
        if !new.is_empty() {
            for response in &new {
                self.candidates.push((response.clone(), self.since_last.clone()));
            }
            // Answers first seen together with the responses may have come just after them.
            self.since_last = answered;
        }
        self.responses.extend(new);
    }
}

/// The attacker who also holds the secret key: it opens the pool in every state and ties a
/// response that appears in the pool to the one invitation answered in the same step, when there
/// is exactly one of each.
pub struct KeyHolder {
    seal: peil::responses::Seal,
    answered: BTreeSet<i64>,
    waiting: BTreeSet<String>,
    /// (answers, invitation) for every response tied while it waited.
    pub tied: Vec<(String, i64)>,
}

impl KeyHolder {
    pub fn new(seal: peil::responses::Seal) -> KeyHolder {
        KeyHolder { seal, answered: BTreeSet::new(), waiting: BTreeSet::new(), tied: Vec::new() }
    }

    pub fn see(&mut self, seen: &Seen) {
        let answered: Vec<i64> = seen.answered.difference(&self.answered).copied().collect();
        self.answered.extend(&answered);
        let waiting: BTreeSet<String> = match &seen.pool {
            Some(sealed) => {
                let entries =
                    peil::responses::pool::open(&self.seal, sealed).expect("the key opens the pool");
                entries.into_iter().map(|w| w.answers).collect()
            }
            None => BTreeSet::new(),
        };
        let new: Vec<&String> = waiting.difference(&self.waiting).collect();
        if let ([response], [invitation]) = (new.as_slice(), answered.as_slice()) {
            self.tied.push(((*response).clone(), *invitation));
        }
        self.waiting = waiting;
    }
}
