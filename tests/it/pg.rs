//! A PostgreSQL database of its own for a test, dropped afterwards; `None` (and a note) when no
//! PostgreSQL answers at `PEIL_TEST_POSTGRES_URL` (default: the local one).

use peil::db::Pool;
use sqlx::Connection;

pub struct Database {
    pub url: String,
    admin: String,
    name: String,
}

impl Database {
    /// A fresh database, or `None` when PostgreSQL is not there.
    pub async fn create() -> Option<Database> {
        sqlx::any::install_default_drivers();
        let admin = std::env::var("PEIL_TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let Ok(mut conn) = sqlx::AnyConnection::connect(&admin).await else {
            eprintln!("no PostgreSQL at {admin}; skipping this PostgreSQL test");
            return None;
        };
        let name =
            format!("peil_test_{}", peil::crypto::random_b64(9).to_lowercase().replace(['-', '_'], "x"));
        let create = sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"));
        sqlx::query(create).execute(&mut conn).await.expect("create database");
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(base, _)| base);
        let url = format!("{base}/{name}");
        Some(Database { admin, name, url })
    }

    pub async fn drop(self, pool: Pool) {
        pool.close().await;
        let mut conn = sqlx::AnyConnection::connect(&self.admin).await.expect("admin connection");
        let drop = sqlx::AssertSqlSafe(format!("DROP DATABASE {} WITH (FORCE)", self.name));
        sqlx::query(drop).execute(&mut conn).await.expect("drop database");
    }
}
