//! Commits that let go of their row locks before the disk has them, and answer only once it
//! has (PostgreSQL).
//!
//! PostgreSQL keeps a transaction's row locks until its COMMIT returns, and COMMIT returns once
//! the WAL is flushed to disk (about 1 to 2 ms here). Everyone who waits for one row, such as a
//! session's during a sign-up rush, so waits for each predecessor's flush, one flush at a time.
//! With `synchronous_commit = off` for that one transaction its COMMIT writes the commit record
//! and lets the locks go at once; before anyone is answered, [`Unflushed::flush`] commits a small
//! transaction of its own synchronously, and a flush reaches every WAL record before the one it
//! flushes for, so the first commit is on disk too. Many such flushes share one fsync.
//!
//! Nothing acknowledged can be lost: the answer waits for the flush. Others may read the commit
//! before it is on disk, but whatever they commit in turn comes later in the WAL, so no crash can
//! keep their commit and lose this one. SQLite commits with `synchronous = FULL` under its one
//! write lock, so there is nothing to do there.

use super::{Backend, Db, Write};

/// A transaction set to commit without waiting for its flush; [`Unflushed::flush`] after the
/// COMMIT, before answering anyone. Dropped without, only when the transaction rolled back.
#[must_use = "a commit is not on disk until `flush` returns"]
pub struct Unflushed(Backend);

impl Db {
    /// Lets `tx`'s COMMIT release its locks without waiting for the disk. Call it before the
    /// first statement that locks a contended row: it is a round trip of its own.
    pub async fn unlock_before_flush(&self, tx: &mut Write) -> Result<Unflushed, sqlx::Error> {
        if self.backend() == Backend::Postgres {
            sqlx::query("SET LOCAL synchronous_commit = off").execute(&mut **tx).await?;
        }
        Ok(Unflushed(self.backend()))
    }
}

impl Unflushed {
    /// Returns once everything committed before it is on disk. On PostgreSQL a transactional
    /// logical-decoding message is the smallest write that makes a synchronous commit flush the
    /// WAL (a transaction that writes nothing does not flush); no table is touched.
    pub async fn flush(self, db: &Db) -> Result<(), sqlx::Error> {
        if self.0 == Backend::Postgres {
            // Its `pg_lsn` result is a type the `Any` driver cannot describe; a boolean it can.
            sqlx::query("SELECT pg_logical_emit_message(true, 'peil', 'flush') IS NOT NULL")
                .execute(db.read())
                .await?;
        }
        Ok(())
    }
}
