//! The floor: the least a server must do for the same load, to see how much of the time is
//! peil's own. A Rocket server (this binary, re-run as `peil-bench floor-server`) that answers
//! the GET with a fixed page and the POST with one durable INSERT of the posted bytes, on SQLite
//! opened exactly as peil opens it. peil's throughput is reported as a fraction of this.
//!
//! The INSERTs queue on an in-process lock. Without it, concurrent writers meet SQLite's busy
//! handler, which sleeps 1, 2, 5, 10, ... 100 ms instead of waking when the lock frees, and the
//! floor's throughput varied by up to a factor of three from run to run: no floor at all.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use anyhow::bail;
use rocket::config::LogLevel;
use rocket::data::{Data, ToByteUnit};
use rocket::http::Status;
use rocket::response::content::RawHtml;
use rocket::{State, get, post, routes};
use serde_json::{Value, json};
use sqlx::{AnyPool, Executor};

use crate::load::{self, Level};
use crate::server::{ChildGuard, Scratch, free_addr};

const PAGE: &str = "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Vragenlijst</title>\
    </head><body><form method=\"post\"><input name=\"wijk\"><button name=\"_nav\" value=\"submit\">Versturen</button>\
    </form></body></html>";
const THANKS: &str = "<!doctype html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Bedankt</title>\
    </head><body><p>Uw antwoorden zijn opgeslagen.</p></body></html>";

/// `peil-bench floor-server`: serves until killed.
pub fn serve(port: u16, db: &Path) -> anyhow::Result<()> {
    let url = format!("sqlite://{}?mode=rwc", db.display());
    rocket::execute(async move {
        let pool = crate::db::connect_like_peil(&url).await?;
        pool.execute("CREATE TABLE IF NOT EXISTS posts (id INTEGER PRIMARY KEY, path TEXT NOT NULL, body TEXT NOT NULL)")
            .await?;
        let figment = rocket::Config::figment()
            .merge(("address", "127.0.0.1"))
            .merge(("port", port))
            .merge(("log_level", LogLevel::Off))
            .merge(("cli_colors", false))
            // Release builds refuse to start without a key; the floor sets no cookies.
            .merge(("secret_key", vec![7u8; 64]));
        let state = Db { pool, writer: tokio::sync::Mutex::new(()) };
        let rocket = rocket::custom(figment).manage(state).mount("/", routes![health, page, answer]);
        // A Rocket error panics when dropped unread, so it is turned into text here.
        rocket.launch().await.map_err(|e| anyhow::anyhow!("{e}"))?;
        Ok(())
    })
}

struct Db {
    pool: AnyPool,
    /// One writer at a time, queued in the process rather than in SQLite's sleeping busy handler.
    writer: tokio::sync::Mutex<()>,
}

#[get("/health")]
fn health() -> &'static str {
    "ok"
}

#[get("/r/<_token>")]
fn page(_token: &str) -> RawHtml<&'static str> {
    RawHtml(PAGE)
}

#[post("/r/<token>", data = "<body>")]
async fn answer(token: &str, body: Data<'_>, db: &State<Db>) -> Result<RawHtml<&'static str>, Status> {
    let bytes = body.open(256.kibibytes()).into_bytes().await.map_err(|_| Status::BadRequest)?;
    if !bytes.is_complete() {
        return Err(Status::PayloadTooLarge);
    }
    let text = String::from_utf8(bytes.into_inner()).map_err(|_| Status::BadRequest)?;
    let _writer = db.writer.lock().await;
    sqlx::query("INSERT INTO posts (path, body) VALUES ($1, $2)")
        .bind(token)
        .bind(text)
        .execute(&db.pool)
        .await
        .map_err(|_| Status::InternalServerError)?;
    Ok(RawHtml(THANKS))
}

pub struct Floor {
    pub levels: Vec<Level>,
    /// peil's throughput divided by the floor's, per level; filled in once both have run.
    pub fraction: Vec<f64>,
}

impl Floor {
    pub fn compare(&mut self, peil: &[Level]) {
        self.fraction = peil.iter().zip(&self.levels).map(|(p, f)| p.per_second / f.per_second).collect();
    }

    pub fn to_json(&self) -> Value {
        let fraction: Vec<Value> = self
            .levels
            .iter()
            .zip(&self.fraction)
            .map(|(level, f)| json!({ "concurrency": level.concurrency, "fraction": load::round2(*f) }))
            .collect();
        json!({ "levels": self.levels.iter().map(Level::to_json).collect::<Vec<_>>(), "fraction": fraction })
    }
}

/// Starts the floor server and sends it the respond workload's load and body.
pub async fn run_workload(plan: &[(usize, usize)]) -> anyhow::Result<Floor> {
    let dir = Scratch::new("floor")?;
    let db = dir.path().join("floor.db");
    let addr = free_addr()?;
    let mut command = Command::new(std::env::current_exe()?);
    command.args(["floor-server", "--port", &addr.port().to_string(), "--db", &db.to_string_lossy()]);
    let mut server = ChildGuard::spawn(command, addr, dir.path().join("floor.log"))?;
    server.wait_healthy(Instant::now()).await?;
    let total: usize = plan.iter().map(|(_, count)| count).sum();
    let links = (0..total).map(|i| format!("/r/floor-{i:06}")).collect();
    let levels =
        load::run_plan(std::slice::from_ref(&server), links, crate::respond::ANSWERS.as_bytes(), plan)
            .await?;
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let stored = crate::db::count(&url, "SELECT COUNT(*) FROM posts").await?;
    if stored != total as i64 {
        bail!("the floor acknowledged {total} posts but stored {stored}");
    }
    Ok(Floor { levels, fraction: Vec::new() })
}
