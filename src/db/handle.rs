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

use sqlx::any::AnyArguments;
use sqlx::any::AnyRow;
use sqlx::pool::PoolConnection;
use sqlx::query::QueryAs;
use sqlx::{Any, AnyConnection, FromRow, Transaction};
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
    /// The anonymous submissions waiting to be written together (see `responses::batch`).
    batches: crate::responses::batch::Batches,
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
        Db { pool, backend, turn, kept: Default::default(), batches: Default::default() }
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

    /// The anonymous submissions queued for their batch (see `responses::batch`).
    pub fn batches(&self) -> &crate::responses::batch::Batches {
        &self.batches
    }

    /// Waits for the write turn, then begins a transaction. On SQLite it is `BEGIN IMMEDIATE`,
    /// which takes the database's write lock at once: a plain `BEGIN` takes it at the first
    /// write, and if another process (a CLI command next to `peil serve`) committed after this
    /// transaction's first read, that write fails with SQLITE_BUSY instead of waiting.
    pub async fn write(&self) -> Result<Write, sqlx::Error> {
        let turn = self.take_turn().await;
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => self.pool.begin().await?,
        };
        Ok(Write { tx, _turn: turn })
    }

    /// This process's write turn on SQLite, once it comes; nothing to wait for on PostgreSQL.
    async fn take_turn(&self) -> Option<OwnedMutexGuard<()>> {
        match &self.turn {
            Some(turn) => Some(turn.clone().lock_owned().await),
            None => None,
        }
    }

    /// SQLite only: a whole write transaction sent as one script, `BEGIN IMMEDIATE; ...; COMMIT;`,
    /// in this process's write turn. sqlx runs each SQLite statement on the connection's own
    /// thread and answers over a channel; a script is one such hand-off where a [`Db::write`]
    /// transaction of three statements costs five (issue 27). Parameters are numbered (`$1`) across
    /// the whole script. Returns every row the statements return: all are read, because SQLite
    /// stops a script whose reader stops listening, and then it would not reach its `COMMIT`.
    ///
    /// A script that fails, or whose caller goes away before it ends, may leave its transaction
    /// open: that connection is then closed rather than returned to the pool, and closing it
    /// rolls back (after anything it still had to run: a connection runs its commands in order).
    pub async fn script<'q, T>(
        &self,
        script: QueryAs<'q, Any, T, AnyArguments>,
    ) -> Result<Vec<T>, sqlx::Error>
    where
        T: for<'r> FromRow<'r, AnyRow> + Send + Unpin + 'q,
    {
        debug_assert_eq!(self.backend, Backend::Sqlite, "a script is one SQLite call");
        let _turn = self.take_turn().await;
        let mut running = Unfinished(Some(self.pool.acquire().await?));
        let Some(connection) = running.0.as_mut() else { unreachable!("just acquired") };
        let rows = script.fetch_all(&mut **connection).await?;
        running.finished();
        Ok(rows)
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

/// A connection running a script that has not been seen to end; see [`Db::script`].
struct Unfinished(Option<PoolConnection<Any>>);

impl Unfinished {
    /// The script ran to its end: the connection goes back to the pool.
    fn finished(mut self) {
        drop(self.0.take());
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        if let Some(connection) = self.0.take() {
            // Out of the pool's count, and closed when dropped here: SQLite rolls back on close.
            drop(connection.detach());
        }
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

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use sqlx::Executor;
    use sqlx::any::AnyPoolOptions;

    use super::*;

    /// A database with one connection, so that a connection left inside a transaction would be
    /// the one the next write gets.
    async fn one_connection(dir: &std::path::Path) -> Db {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}?mode=rwc", dir.join("script.db").display());
        let pool = AnyPoolOptions::new().max_connections(1).connect(&url).await.expect("a SQLite file");
        pool.execute("CREATE TABLE t (x INTEGER UNIQUE)").await.expect("a table");
        Db::new(pool, Backend::Sqlite)
    }

    async fn rows(db: &Db) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(db.read()).await.expect("a count")
    }

    /// The next write must begin a transaction of its own, not find itself inside another.
    async fn write_one(db: &Db, x: i64) {
        let mut tx = db.write().await.expect("a new transaction");
        sqlx::query("INSERT INTO t VALUES ($1)").bind(x).execute(&mut *tx).await.expect("an insert");
        tx.commit().await.expect("a commit");
    }

    #[tokio::test]
    async fn a_script_that_fails_halfway_keeps_nothing_and_leaves_no_transaction_open() {
        let dir = tempfile::tempdir().expect("a folder");
        let db = one_connection(dir.path()).await;
        let script = "BEGIN IMMEDIATE; INSERT INTO t VALUES (1); INSERT INTO t VALUES (1); COMMIT;";
        let failed = db.script(sqlx::query_as::<_, (i64,)>(script)).await;
        assert!(failed.is_err(), "the second insert breaks the unique key");
        assert_eq!(rows(&db).await, 0);
        write_one(&db, 7).await;
        assert_eq!(rows(&db).await, 1);
    }

    #[tokio::test]
    async fn a_script_whose_caller_goes_away_keeps_all_or_nothing_and_the_next_write_works() {
        let dir = tempfile::tempdir().expect("a folder");
        let db = one_connection(dir.path()).await;
        // Many rows between the two inserts: the caller is gone long before the COMMIT.
        let script = "BEGIN IMMEDIATE; INSERT INTO t VALUES (1); \
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000000) SELECT i FROM n; \
            INSERT INTO t VALUES (2); COMMIT;";
        let gone =
            tokio::time::timeout(Duration::from_millis(20), db.script(sqlx::query_as::<_, (i64,)>(script)));
        assert!(gone.await.is_err(), "the script outlasted its caller");
        write_one(&db, 3).await;
        let kept: Vec<i64> =
            sqlx::query_scalar("SELECT x FROM t ORDER BY x").fetch_all(db.read()).await.expect("rows");
        assert!(kept == [3] || kept == [1, 2, 3], "half a script was kept: {kept:?}");
    }

    #[tokio::test]
    async fn a_script_returns_its_rows_and_commits() {
        let dir = tempfile::tempdir().expect("a folder");
        let db = one_connection(dir.path()).await;
        let script =
            "BEGIN IMMEDIATE; INSERT INTO t VALUES ($1) RETURNING x; INSERT INTO t VALUES ($1 + 1); COMMIT;";
        let returned = db.script(sqlx::query_as::<_, (i64,)>(script).bind(5_i64)).await.expect("a script");
        assert_eq!(returned, [(5,)]);
        write_one(&db, 9).await;
        assert_eq!(rows(&db).await, 3);
    }
}
