//! Where a workload's peil keeps its data, and how many `peil serve` share it. On SQLite that is
//! a file in the installation's scratch folder; on PostgreSQL a database created for the one
//! workload (`peil_bench_<random>`) on the server given with `--postgres`, dropped afterwards
//! with any connection still open to it, however the workload ends.

use std::fmt;

use anyhow::Context;
use sqlx::Connection;

/// The server `--postgres` points at unless told otherwise: the local one the tests use too.
pub const DEFAULT_POSTGRES: &str = "postgres://postgres@127.0.0.1:5432/postgres";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    /// The URL of a database on the server to connect to for `CREATE DATABASE`.
    Postgres(String),
}

/// A backend and how many instances of `peil serve` run on one database of it.
#[derive(Clone, Debug)]
pub struct Target {
    pub backend: Backend,
    pub instances: usize,
}

impl Target {
    pub fn sqlite() -> Target {
        Target { backend: Backend::Sqlite, instances: 1 }
    }

    pub fn postgres(admin: &str, instances: usize) -> Target {
        Target { backend: Backend::Postgres(admin.to_string()), instances }
    }

    pub fn backend_name(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "SQLite",
            Backend::Postgres(_) => "PostgreSQL",
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural = if self.instances == 1 { "" } else { "s" };
        write!(f, "{}, {} instance{plural}", self.backend_name(), self.instances)
    }
}

/// One workload's database. Dropping it drops a PostgreSQL database; a SQLite file goes with
/// its scratch folder.
pub struct Database {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl Database {
    /// `sqlite_file` is where a SQLite backend keeps the data.
    pub fn create(backend: &Backend, sqlite_file: &std::path::Path) -> anyhow::Result<Database> {
        let Backend::Postgres(admin) = backend else {
            return Ok(Database {
                url: format!("sqlite://{}?mode=rwc", sqlite_file.display()),
                postgres: None,
            });
        };
        // Database names are case-folded and `-` would need quoting: keep letters and digits.
        let name =
            format!("peil_bench_{}", peil::crypto::random_b64(9).to_lowercase().replace(['-', '_'], "x"));
        admin_sql(admin, format!("CREATE DATABASE {name}")).with_context(|| format!("creating {name}"))?;
        Ok(Database { url: database_url(admin, &name), postgres: Some((admin.clone(), name)) })
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.postgres.take()
            && let Err(e) = admin_sql(&admin, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        {
            eprintln!("peil-bench: could not drop the database {name}: {e:#}");
        }
    }
}

/// The URL of database `name` on the server of `admin`, with `admin`'s query string, if any.
fn database_url(admin: &str, name: &str) -> String {
    let (base, query) = admin.split_once('?').map_or((admin, None), |(base, query)| (base, Some(query)));
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    match query {
        Some(query) => format!("{server}/{name}?{query}"),
        None => format!("{server}/{name}"),
    }
}

/// Whether PostgreSQL answers at `admin`; the error says why not.
pub fn probe(admin: &str) -> anyhow::Result<()> {
    admin_sql(admin, "SELECT 1".into())
}

/// One statement on `admin`, on a thread of its own so that it also works in `Drop` inside the
/// benchmark's runtime (which must not block on itself).
fn admin_sql(admin: &str, sql: String) -> anyhow::Result<()> {
    let admin = admin.to_string();
    let outcome = std::thread::spawn(move || -> anyhow::Result<()> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        runtime.block_on(async {
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&admin).await?;
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await?;
            conn.close().await?;
            Ok(())
        })
    })
    .join();
    outcome.map_err(|_| anyhow::anyhow!("the thread talking to PostgreSQL panicked"))?
}

#[cfg(test)]
mod tests {
    use super::database_url;

    #[test]
    fn a_workload_database_is_on_the_admin_server_with_its_options() {
        let admin = "postgres://postgres@127.0.0.1:5432/postgres";
        assert_eq!(database_url(admin, "peil_bench_x"), "postgres://postgres@127.0.0.1:5432/peil_bench_x");
        let with_query = "postgres://u:p@db/postgres?sslmode=disable";
        assert_eq!(database_url(with_query, "b"), "postgres://u:p@db/b?sslmode=disable");
    }
}
