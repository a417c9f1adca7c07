//! `Db`: the one handle to the database that domain code is given. Reads go to the pool as they
//! are; every write is a transaction taken with [`Db::write`], which first waits for this
//! process's write turn on SQLite, so no writer can forget it.
//!
//! Why a turn: SQLite has one write lock. Without the turn, the writers that lose wait in its busy
//! handler, which sleeps 1, 2, 5 ... 100 ms instead of waking when the lock is free, and that
//! sleeping was most of the respond workload's p99. PostgreSQL locks rows, not the database, so
//! there is no turn to wait for.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::AnyConnection;
use sqlx::{Any, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::{Backend, DbError, Pool};

#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    backend: Backend,
    /// `Some` on SQLite: one writer of this process at a time.
    turn: Option<Arc<Mutex<()>>>,
    /// The results' folds of this database's closed rounds, kept here because round ids are
    /// only unique within one database (see `results::kept`).
    kept: crate::results::kept::Kept,
}

/// A write transaction holding the write turn. Commit it; dropped uncommitted, it rolls back.
/// Derefs to the connection, so `&mut *write` runs statements in it.
pub struct Write {
    // Declared before the turn, so a dropped transaction is rolled back before the turn passes.
    tx: Transaction<'static, Any>,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl Db {
    /// Connects, sets SQLite up and runs the migrations (see [`super::connect`]).
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        Ok(Db::new(super::connect(url).await?, Backend::of(url)))
    }

    pub fn new(pool: Pool, backend: Backend) -> Db {
        let turn = (backend == Backend::Sqlite).then(Default::default);
        Db { pool, backend, turn, kept: Default::default() }
    }

    /// For reads. A statement that writes belongs in a [`Db::write`] transaction.
    pub fn read(&self) -> &Pool {
        &self.pool
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The results' kept folds (see `results::kept`).
    pub fn kept(&self) -> &crate::results::kept::Kept {
        &self.kept
    }

    /// Waits for the write turn, then begins a transaction. On SQLite it is `BEGIN IMMEDIATE`,
    /// which takes the database's write lock at once: a plain `BEGIN` takes it at the first
    /// write, and if another process (a CLI command next to `peil serve`) committed after this
    /// transaction's first read, that write fails with SQLITE_BUSY instead of waiting.
    pub async fn write(&self) -> Result<Write, sqlx::Error> {
        let turn = match &self.turn {
            Some(turn) => Some(turn.clone().lock_owned().await),
            None => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Write { tx, _turn: turn })
    }

    /// Moves everything in SQLite's WAL into the main file and truncates the WAL to nothing, so
    /// that a copy of the files taken afterwards holds no history of the writes before (issue 22:
    /// the WAL's frames are the pages as each commit left them). Called after anonymous writes;
    /// nothing to do on PostgreSQL. Takes the write turn, so no write of this process slips in; a
    /// reader still on an older snapshot is waited for (the busy timeout), and if one outlasts it
    /// the WAL stays until the next call, which is logged.
    pub async fn truncate_wal(&self) -> Result<(), sqlx::Error> {
        let Some(turn) = &self.turn else { return Ok(()) };
        let _turn = turn.lock().await;
        let (busy, _, _): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)").fetch_one(&self.pool).await?;
        if busy != 0 {
            tracing::warn!("the WAL could not be truncated yet: a reader held an older snapshot");
        }
        Ok(())
    }

    /// PostgreSQL: waits, up to `within`, until no other session of this database holds a
    /// snapshot, and says whether it got there. `VACUUM FULL` keeps every deleted row that such a
    /// snapshot could still see, so a rewrite meant to take deleted data out of the files waits
    /// for the queries that began before the delete committed (a mail worker's poll, a page's
    /// read). A snapshot taken after the commit cannot see the rows, so a quiet moment suffices.
    /// Nothing to wait for on SQLite.
    pub async fn wait_for_quiet(&self, within: std::time::Duration) -> Result<bool, sqlx::Error> {
        if self.backend != Backend::Postgres {
            return Ok(true);
        }
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let busy: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() \
                 AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL",
            )
            .fetch_one(&self.pool)
            .await?;
            if busy == 0 {
                return Ok(true);
            }
            if tokio::time::Instant::now() >= deadline {
                tracing::warn!(sessions = busy, "rewriting tables while other sessions hold snapshots");
                return Ok(false);
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
    }

    /// Closes the pool: every connection is returned and closed (SQLite checkpoints its WAL).
    pub async fn close(&self) {
        self.pool.close().await
    }
}

impl Write {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Deref for Write {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.tx
    }
}

impl DerefMut for Write {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.tx
    }
}
