//! SQLite as peil opens it (sqlx's Any driver, same pool size and pragmas as src/db/mod.rs), for the
//! floor server; and a row count, on either backend, to check what the servers acknowledged
//! against what they stored.

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{AnyPool, Executor};

/// A pool with peil's SQLite settings, so the floor pays the same price per commit.
pub async fn connect_like_peil(url: &str) -> anyhow::Result<AnyPool> {
    install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                for pragma in peil::db::SQLITE_PRAGMAS {
                    conn.execute(pragma).await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await?;
    Ok(pool)
}

/// The single number a `SELECT COUNT(*) ...` returns.
pub async fn count(url: &str, query: &'static str) -> anyhow::Result<i64> {
    install_default_drivers();
    let pool = AnyPoolOptions::new().max_connections(1).connect(url).await?;
    let n: i64 = sqlx::query_scalar(query).fetch_one(&pool).await?;
    pool.close().await;
    Ok(n)
}
