//! Deleted means gone from the database files too. SQLite overwrites what it deletes
//! (`secure_delete`, see `db::SQLITE_PRAGMAS`), but the WAL still holds the pages as each commit
//! left them until it is checkpointed and truncated. PostgreSQL leaves a deleted row in its page
//! until the space is reused; `VACUUM FULL` writes the table anew without it (and takes the
//! table's lock for that moment, which a daily run on these small tables can afford). A row that
//! a transaction still open elsewhere could see survives that rewrite, so PostgreSQL's tables are
//! rewritten after every run, also one that removed nothing: what one run left, the next removes.

use std::collections::BTreeSet;

use crate::db::{Backend, Db};

/// After a real run: SQLite's WAL truncated if anything went; every table PostgreSQL may still
/// hold a removed row in, rewritten.
pub(super) async fn after_run(db: &Db, report: &super::Report) -> Result<(), sqlx::Error> {
    match db.backend() {
        Backend::Sqlite if report.removed_anything() => scrub(db, &report.tables()).await,
        Backend::Sqlite => Ok(()),
        Backend::Postgres => scrub(db, &super::Report::ALL_TABLES.into_iter().collect()).await,
    }
}

async fn scrub(db: &Db, tables: &BTreeSet<&'static str>) -> Result<(), sqlx::Error> {
    match db.backend() {
        Backend::Sqlite => db.truncate_wal().await,
        Backend::Postgres => {
            db.wait_for_quiet(QUIET_WAIT).await?;
            for table in tables {
                // Outside any transaction: VACUUM refuses to run in one. `table` is one of
                // `Report::tables`' fixed names.
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("VACUUM FULL {table}"))).execute(db.read()).await?;
            }
            Ok(())
        }
    }
}

/// How long a rewrite waits for the transactions that could still see a removed row: if one
/// outlasts it, the rewrite goes ahead, and the next run's rewrite removes what this one kept.
const QUIET_WAIT: std::time::Duration = std::time::Duration::from_secs(30);
