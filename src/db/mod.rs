//! The database: one `sqlx::AnyPool` that is SQLite by default and PostgreSQL when the URL says
//! so, with the migrations of the matching backend run at start.

mod flush;
mod handle;
mod id;
pub mod keycheck;
mod timestamp;

pub use flush::Unflushed;
pub use handle::{Db, Write};
pub(crate) use id::id;
pub use timestamp::{BadTimestamp, Timestamp};

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

pub type Pool = AnyPool;

/// A LIKE pattern (with `ESCAPE '\\'`) for text that contains `text` literally: `%` and `_`,
/// common in addresses, are no wildcards.
pub fn like_containing(text: &str) -> String {
    format!("%{}%", text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"))
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("could not create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("could not create the database file {0}: {1}")]
    File(String, std::io::Error),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(url: &str) -> Backend {
        if url.starts_with("postgres") { Backend::Postgres } else { Backend::Sqlite }
    }
}

/// What every SQLite connection is set to. WAL lets readers go on while one writer commits;
/// FULL keeps every acknowledged commit through a power loss; foreign keys are off by default;
/// deleted drafts of anonymous rounds should not linger in free pages, nor the anonymous
/// responses a release rewrites in temporary files (`responses::mixing`).
pub const SQLITE_PRAGMAS: [&str; 6] = [
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
];

/// Connects, sets SQLite up for durability and concurrency, and runs the migrations.
pub async fn connect(url: &str) -> Result<Pool, DbError> {
    install_default_drivers();
    let backend = Backend::of(url);
    let url = match backend {
        Backend::Sqlite => {
            ensure_sqlite_file(url)?;
            creating(url)
        }
        Backend::Postgres => url.to_owned(),
    };
    let pool = AnyPoolOptions::new()
        .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
        // A SQLite file does not drop connections; the ping before each use only cost a round
        // trip to the connection's thread on every query.
        .test_before_acquire(backend != Backend::Sqlite)
        .after_connect(move |conn, _meta| {
            Box::pin(async move {
                if backend == Backend::Sqlite {
                    for pragma in SQLITE_PRAGMAS {
                        conn.execute(pragma).await?;
                    }
                }
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    match backend {
        Backend::Sqlite => migrate_sqlite(&pool).await?,
        Backend::Postgres => sqlx::migrate!("migrations/postgres").run(&pool).await?,
    }
    Ok(pool)
}

/// SQLite's migrations, on one connection with `synchronous = NORMAL` while they run. Each
/// migration is a transaction of its own, and under FULL each commits with an `fsync` of the
/// WAL, two per migration: on a new database those were most of the start-up (about 40 of them,
/// 0.5 to 1 ms each). Under NORMAL in WAL mode a crash cannot corrupt the file, only lose the
/// last commits; a migration lost so is lost with its row in `_sqlx_migrations` (one
/// transaction) and runs again at the next start. Nothing is acknowledged to anyone before the
/// connection is back on FULL, and the next commit under FULL syncs the WAL with everything in
/// it, migrations included.
async fn migrate_sqlite(pool: &Pool) -> Result<(), DbError> {
    let mut conn = pool.acquire().await?;
    conn.execute("PRAGMA synchronous = NORMAL").await?;
    let migrated = sqlx::migrate!("migrations/sqlite").run(&mut *conn).await;
    // A connection that cannot be set back must not serve: it would commit without the sync.
    if let Err(e) = conn.execute("PRAGMA synchronous = FULL").await {
        drop(conn.detach());
        return Err(e.into());
    }
    Ok(migrated?)
}

/// A SQLite URL that creates its file when missing: without `mode=`, sqlx opens read-write only
/// and a first start fails with "unable to open database file".
fn creating(url: &str) -> String {
    match url.split_once('?') {
        _ if url.contains(":memory:") => url.to_owned(),
        None => format!("{url}?mode=rwc"),
        Some((_, query)) if query.split('&').any(|pair| pair.starts_with("mode=")) => url.to_owned(),
        Some(_) => format!("{url}&mode=rwc"),
    }
}

/// The database's folder (0700) and file (0600), made before SQLite opens it: SQLite would make
/// the file with the umask's mode, and gives its `-wal` and `-shm` files the main file's mode.
fn ensure_sqlite_file(url: &str) -> Result<(), DbError> {
    let Some(path) = sqlite_path(url) else { return Ok(()) };
    if let Some(parent) = path.parent()
        && !parent.as_os_str().is_empty()
    {
        crate::private::create_folder(parent)
            .map_err(|e| DbError::Folder(parent.display().to_string(), e))?;
    }
    // A URL that opens read-only or read-write without creating gets no file of ours either.
    let query = url.split_once('?').map_or("", |(_, query)| query);
    if query.split('&').all(|pair| !pair.starts_with("mode=") || pair == "mode=rwc") {
        crate::private::ensure_file(path).map_err(|e| DbError::File(path.display().to_string(), e))?;
    }
    Ok(())
}

/// The file of a SQLite URL; none for an in-memory database.
/// Whether the database at `url` is there to be read without creating it: a SQLite file that
/// exists (or one in memory), or any PostgreSQL URL (the server says when it is not).
pub fn exists(url: &str) -> bool {
    Backend::of(url) == Backend::Postgres || sqlite_path(url).is_none_or(std::path::Path::exists)
}

fn sqlite_path(url: &str) -> Option<&std::path::Path> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| std::path::Path::new(path))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sqlite_url_creates_its_file_unless_it_says_how_to_open_it() {
        assert_eq!(super::creating("sqlite://data/peil.db"), "sqlite://data/peil.db?mode=rwc");
        assert_eq!(super::creating("sqlite://p.db?cache=shared"), "sqlite://p.db?cache=shared&mode=rwc");
        assert_eq!(super::creating("sqlite://p.db?mode=ro"), "sqlite://p.db?mode=ro");
        assert_eq!(super::creating("sqlite::memory:"), "sqlite::memory:");
    }
}
