//! Deleted means gone from the database files too. SQLite overwrites what it deletes
//! (`secure_delete`, see `db::SQLITE_PRAGMAS`), but the WAL still holds the pages as each commit
//! left them until it is checkpointed and truncated. PostgreSQL leaves a deleted row in its page
//! until the space is reused; `VACUUM FULL` writes the table anew without it (and takes the
//! table's lock for that moment, which a daily run on these small tables can afford).

use std::collections::BTreeSet;

use crate::db::{Backend, Db};

pub(super) async fn scrub(db: &Db, tables: &BTreeSet<&'static str>) -> Result<(), sqlx::Error> {
    match db.backend() {
        Backend::Sqlite => db.truncate_wal().await,
        Backend::Postgres => {
            for table in tables {
                // Outside any transaction: VACUUM refuses to run in one. `table` is one of
                // `Report::tables`' fixed names.
                sqlx::raw_sql(sqlx::AssertSqlSafe(format!("VACUUM FULL {table}"))).execute(db.read()).await?;
            }
            Ok(())
        }
    }
}
