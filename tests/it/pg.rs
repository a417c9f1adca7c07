//! The database of one test, on the backend of the test binary. The sources under `tests/it`
//! build two binaries: `it` runs every test on a SQLite file, `postgres` (the same files, through
//! the link `tests/postgres`) runs them again, each on a PostgreSQL database of its own at
//! `PEIL_TEST_POSTGRES_URL` (default: the local server), dropped when the test ends.
//!
//! Without a PostgreSQL server the `postgres` binary says that it skipped the PostgreSQL run and
//! ends successfully, unless `PEIL_REQUIRE_POSTGRES` is set (as `.ci/run` does): then it fails.

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use sqlx::Connection;

/// Whether this test binary runs its tests on PostgreSQL.
pub fn on_postgres() -> bool {
    env!("CARGO_CRATE_NAME") == "postgres"
}

/// A test's database: a SQLite file in the test's folder, or a PostgreSQL database that is dropped
/// (with every connection still open to it) when this value is dropped.
pub struct TestDb {
    pub url: String,
    postgres: Option<String>,
}

impl TestDb {
    /// A fresh, empty database for the test whose files live in `dir`. Blocks briefly; callable
    /// from synchronous and asynchronous tests alike.
    pub fn new(dir: &Path) -> TestDb {
        if !on_postgres() {
            let url = format!("sqlite://{}?mode=rwc", dir.join("peil.db").display());
            return TestDb { url, postgres: None };
        }
        let admin = admin_url();
        ensure_available(&admin);
        let name =
            format!("peil_test_{}", peil::crypto::random_b64(9).to_lowercase().replace(['-', '_'], "x"));
        admin_sql(&admin, format!("CREATE DATABASE {name}")).expect("create a test database");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
        TestDb { url: format!("{base}/{name}"), postgres: Some(name) }
    }

    /// A fresh database migrated and connected, as the app connects to it.
    pub async fn pool(&self) -> peil::db::Pool {
        peil::db::connect(&self.url).await.expect("a migrated test database")
    }

    /// The same, as the handle domain code writes through.
    pub async fn db(&self) -> peil::db::Db {
        peil::db::Db::connect(&self.url).await.expect("a migrated test database")
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(name) = self.postgres.take() {
            let dropped = admin_sql(&admin_url(), format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            if let Err(e) = dropped {
                let _ = writeln!(std::io::stderr(), "could not drop the test database {name}: {e}");
            }
        }
    }
}

fn admin_url() -> String {
    std::env::var("PEIL_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Runs one statement on the server's admin database, on a thread of its own so that it works
/// inside and outside a tokio runtime (and inside `Drop`).
fn admin_sql(admin: &str, sql: String) -> Result<(), sqlx::Error> {
    let admin = admin.to_owned();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
        runtime.block_on(async {
            sqlx::any::install_default_drivers();
            let mut conn = sqlx::AnyConnection::connect(&admin).await?;
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut conn).await?;
            conn.close().await
        })
    })
    .join()
    .expect("the admin thread")
}

/// Checks once per binary that PostgreSQL answers. When it does not, the whole binary ends here:
/// successfully with a note, or (with `PEIL_REQUIRE_POSTGRES`) as a failure.
fn ensure_available(admin: &str) {
    static PROBE: OnceLock<Result<(), String>> = OnceLock::new();
    let probe = PROBE.get_or_init(|| admin_sql(admin, "SELECT 1".into()).map_err(|e| e.to_string()));
    let Err(reason) = probe else { return };
    if std::env::var_os("PEIL_REQUIRE_POSTGRES").is_some() {
        panic!("PEIL_REQUIRE_POSTGRES is set, but PostgreSQL at {admin} does not answer: {reason}");
    }
    // Written past libtest's output capture, so that the note shows in `cargo test`'s output.
    let _ = writeln!(
        std::io::stderr(),
        "\nno PostgreSQL at {admin} ({reason}): skipped the PostgreSQL run of the test suite; \
         every test ran on SQLite in the `it` binary\n"
    );
    std::process::exit(0);
}
