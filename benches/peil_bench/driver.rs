//! What choosing the backend at run time costs. peil talks to its database through sqlx's `Any`
//! driver, which picks SQLite or PostgreSQL from the URL; the alternative is a cargo feature and
//! the native driver. This workload runs the statements peil's hot paths are made of through
//! both, on the same database, alternating (Any, native, Any, native, ...) and keeping the
//! median of each: a point read by primary key (a visit of a personal link), a one-row write
//! transaction (a submission), and streaming a table's rows (the results page).

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{Connection, Executor};

use crate::load::round2;

/// `n` point reads by primary key through `$pool`; the time they took.
macro_rules! reads {
    ($pool:expr, $n:expr) => {{
        let start = Instant::now();
        for i in 0..$n {
            let row: (String, String) = sqlx::query_as("SELECT name, answers FROM t WHERE id = $1")
                .bind(i % ROWS)
                .fetch_one($pool)
                .await?;
            std::hint::black_box(row);
        }
        Ok::<Duration, anyhow::Error>(start.elapsed())
    }};
}

/// `n` transactions of one INSERT each, ids from `offset`.
macro_rules! writes {
    ($pool:expr, $offset:expr, $n:expr) => {{
        let start = Instant::now();
        for id in $offset..$offset + $n {
            let mut tx = $pool.begin().await?;
            sqlx::query("INSERT INTO w (id, answers) VALUES ($1, $2)")
                .bind(id)
                .bind(r#"{"tevreden":3}"#)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
        }
        Ok::<Duration, anyhow::Error>(start.elapsed())
    }};
}

/// Every row of `t`, streamed.
macro_rules! stream {
    ($pool:expr) => {{
        use futures_util::TryStreamExt;
        let start = Instant::now();
        let mut rows = sqlx::query_as::<_, (String,)>("SELECT answers FROM t").fetch($pool);
        while let Some(row) = rows.try_next().await? {
            std::hint::black_box(row);
        }
        Ok::<Duration, anyhow::Error>(start.elapsed())
    }};
}

const ROWS: i64 = 10_000;
const READS: i64 = 5_000;
const WRITES: i64 = 500;
const ROUNDS: usize = 5;

const SETUP: [&str; 2] = [
    "CREATE TABLE t (id BIGINT PRIMARY KEY, name TEXT NOT NULL, answers TEXT NOT NULL)",
    "CREATE TABLE w (id BIGINT PRIMARY KEY, answers TEXT NOT NULL)",
];

/// Microseconds per operation, through Any and through the native driver, per backend.
pub struct DriverCost {
    rows: Vec<(&'static str, &'static str, f64, f64)>,
}

impl DriverCost {
    pub fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|(backend, op, any, native)| {
                json!({"backend": backend, "operation": op, "any_us": round2(*any), "native_us": round2(*native)})
            })
            .collect();
        json!({ "rows": rows })
    }

    pub fn table(&self) -> String {
        let mut out = String::from(
            "| backend | operation | Any µs/op | native µs/op | Any / native |\n| --- | --- | ---: | ---: | ---: |\n",
        );
        for (backend, op, any, native) in &self.rows {
            out += &format!("| {backend} | {op} | {any:.1} | {native:.1} | {:.2} |\n", any / native);
        }
        out
    }
}

/// On a SQLite file in `dir`, and on a fresh database next to `postgres_admin` when given.
pub async fn run_workload(dir: &std::path::Path, postgres_admin: Option<&str>) -> anyhow::Result<DriverCost> {
    install_default_drivers();
    let mut rows = Vec::new();
    let sqlite = format!("sqlite://{}?mode=rwc", dir.join("driver.db").display());
    rows.extend(measure("SQLite", &sqlite).await?);
    if let Some(admin) = postgres_admin {
        let name = format!("peil_bench_driver_{}", std::process::id());
        let mut conn = sqlx::AnyConnection::connect(admin).await?;
        conn.execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).await?;
        let base = admin.rsplit_once('/').map_or(admin, |(base, _)| base);
        let measured = measure("PostgreSQL", &format!("{base}/{name}")).await;
        conn.execute(sqlx::AssertSqlSafe(format!("DROP DATABASE {name} WITH (FORCE)"))).await?;
        rows.extend(measured?);
    }
    Ok(DriverCost { rows })
}

async fn measure(
    backend: &'static str,
    url: &str,
) -> anyhow::Result<Vec<(&'static str, &'static str, f64, f64)>> {
    let any = AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(|c, _| Box::pin(pragmas(c)))
        .connect(url)
        .await?;
    for statement in SETUP {
        any.execute(statement).await?;
    }
    let mut fill = any.begin().await?;
    for id in 0..ROWS {
        sqlx::query("INSERT INTO t (id, name, answers) VALUES ($1, $2, $3)")
            .bind(id)
            .bind(format!("Persoon {id}"))
            .bind(r#"{"tevreden":4,"wijk":"noord","toelichting":"Goed bereikbaar, snel contact."}"#)
            .execute(&mut *fill)
            .await?;
    }
    fill.commit().await?;
    let mut samples: [Vec<Duration>; 6] = Default::default();
    for round in 0..ROUNDS {
        let offset = (round as i64) * WRITES * 2;
        let native = Native::connect(url).await?;
        samples[0].push(reads!(&any, READS)?);
        samples[1].push(native.reads().await?);
        samples[2].push(writes!(&any, offset, WRITES)?);
        samples[3].push(native.writes(offset + WRITES).await?);
        samples[4].push(stream!(&any)?);
        samples[5].push(native.stream().await?);
        native.close().await;
    }
    any.close().await;
    samples.iter_mut().for_each(|s| s.sort_unstable());
    // The median of the rounds, in microseconds per operation.
    let per_op = |i: usize, n: i64| samples[i][ROUNDS / 2].as_secs_f64() * 1e6 / n as f64;
    Ok(vec![
        (backend, "point read", per_op(0, READS), per_op(1, READS)),
        (backend, "one-row write transaction", per_op(2, WRITES), per_op(3, WRITES)),
        (backend, "streamed row", per_op(4, ROWS), per_op(5, ROWS)),
    ])
}

/// The pragmas peil sets on SQLite (a no-op on PostgreSQL, where the statement is not run).
async fn pragmas(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    if conn.backend_name() == "SQLite" {
        for pragma in peil::db::SQLITE_PRAGMAS {
            conn.execute(pragma).await?;
        }
    }
    Ok(())
}

/// The native pool of the URL's backend.
enum Native {
    Sqlite(sqlx::SqlitePool),
    Postgres(sqlx::PgPool),
}

impl Native {
    async fn connect(url: &str) -> anyhow::Result<Native> {
        if url.starts_with("postgres") {
            return Ok(Native::Postgres(PgPoolOptions::new().max_connections(8).connect(url).await?));
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .after_connect(|conn, _| {
                Box::pin(async move {
                    for pragma in peil::db::SQLITE_PRAGMAS {
                        conn.execute(pragma).await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        Ok(Native::Sqlite(pool))
    }

    async fn reads(&self) -> anyhow::Result<Duration> {
        match self {
            Native::Sqlite(pool) => reads!(pool, READS),
            Native::Postgres(pool) => reads!(pool, READS),
        }
    }

    async fn writes(&self, offset: i64) -> anyhow::Result<Duration> {
        match self {
            Native::Sqlite(pool) => writes!(pool, offset, WRITES),
            Native::Postgres(pool) => writes!(pool, offset, WRITES),
        }
    }

    async fn stream(&self) -> anyhow::Result<Duration> {
        match self {
            Native::Sqlite(pool) => stream!(pool),
            Native::Postgres(pool) => stream!(pool),
        }
    }

    async fn close(self) {
        match self {
            Native::Sqlite(pool) => pool.close().await,
            Native::Postgres(pool) => pool.close().await,
        }
    }
}
