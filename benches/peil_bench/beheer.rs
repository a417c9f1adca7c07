//! The beheer workload: the coordinator's two long lists, the contacts page over 10,000 contacts
//! and the rounds page over 1,000 rounds (with their invitations and mails), as an administrator
//! logged in over HTTP asks for them again and again. The contacts come in through the real
//! `peil contacts import`, one round through `peil round open`; the other 999 rounds are copies
//! of it written straight into the database, each with its own invitations and sent mails, as
//! years of monthly and per-wijk rounds would leave them. The aim: under 100 ms each.

use std::fmt::Write as _;
use std::time::Instant;

use anyhow::{Context, bail};
use serde_json::{Value, json};
use sqlx::any::{AnyPoolOptions, install_default_drivers};

use crate::client::Conn;
use crate::load::{percentile, round2};
use crate::respond::{import_contacts, install_form};
use crate::results::log_in;
use crate::server::{Paths, run};
use crate::site::Site;

pub const CONTACTS: usize = 10_000;
pub const ROUNDS: usize = 1_000;
const ADMIN: &str = "beheer@bench.example";

/// What the coordinator asks for, with a text each answer must hold: the contact list's first
/// page, page 100, a search, filters, a search with a filter deep in its pages; the rounds.
const PAGES: [(&str, &str, &str); 7] = [
    ("contacts", "/beheer/contacten", "Deelnemer 00000"),
    ("contacts, page 100", "/beheer/contacten?pagina=100", "Deelnemer"),
    ("contacts, searched", "/beheer/contacten?zoek=deelnemer0424", "deelnemer04242"),
    ("contacts, filtered", "/beheer/contacten?rol=poh-ggz&wijk=noord&afgemeld=nee", "Deelnemer"),
    (
        "contacts, searched and filtered, page 5",
        "/beheer/contacten?zoek=praktijk+1&afgemeld=nee&pagina=5",
        "Deelnemer",
    ),
    ("rounds", "/beheer/rondes", "Bench"),
    ("a round", "/beheer/rondes/1", "Bench"),
];

/// One page's figures.
pub struct Page {
    pub name: &'static str,
    pub path: String,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub first_ms: f64,
    pub bytes: usize,
}

pub struct Beheer {
    pub requests: usize,
    pub pages: Vec<Page>,
}

impl Beheer {
    pub fn to_json(&self) -> Value {
        let pages: Vec<Value> = self
            .pages
            .iter()
            .map(|p| {
                json!({
                    "page": p.name,
                    "path": p.path,
                    "first_ms": round2(p.first_ms),
                    "p50_ms": round2(p.p50_ms),
                    "p95_ms": round2(p.p95_ms),
                    "page_bytes": p.bytes,
                })
            })
            .collect();
        json!({ "contacts": CONTACTS, "rounds": ROUNDS, "requests": self.requests, "pages": pages })
    }

    pub fn table(&self) -> String {
        let mut text = String::from(
            "| page | path | first request | p50 | p95 | page size | aim |\n| --- | --- | ---: | ---: | ---: | ---: | --- |\n",
        );
        for p in &self.pages {
            let _ = writeln!(
                text,
                "| {} | `{}` | {:.1} ms | {:.1} ms | {:.1} ms | {} kB | under 100 ms: {} |",
                p.name,
                p.path,
                p.first_ms,
                p.p50_ms,
                p.p95_ms,
                p.bytes / 1024,
                if p.p95_ms < 100.0 { "met" } else { "missed" }
            );
        }
        text
    }

    /// Every page's p95 under 100 ms.
    pub fn target_met(&self) -> bool {
        self.pages.iter().all(|p| p.p95_ms < 100.0)
    }
}

pub async fn run_workload(paths: &Paths, quick: bool) -> anyhow::Result<Beheer> {
    let site = Site::new(paths, "beheer")?;
    install_form(paths, &site)?;
    import_contacts(&site, CONTACTS)?;
    let closes =
        (chrono::Local::now().date_naive() + chrono::Duration::days(30)).format("%Y-%m-%d").to_string();
    let opened = run(site.command(&[
        "round", "open", "--form", "bench", "--role", "huisarts", "--wijk", "centrum", "--closes", &closes,
    ]))?;
    let round: i64 = opened
        .strip_prefix("round ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|id| id.parse().ok())
        .with_context(|| format!("unexpected output of `peil round open`: {opened}"))?;
    copy_round(&site.database_url(), round, ROUNDS - 1).await?;
    let link = run(site.command(&["user", "add", ADMIN, "--role", "admin"]))?;
    let (server, _) = site.serve().await?;
    let mut conn = Conn::new(server.addr);
    let cookie = log_in(&mut conn, &link, ADMIN).await?;
    let requests = if quick { 10 } else { 30 };
    let mut pages = Vec::new();
    for (name, path, expect) in PAGES {
        pages.push(page(&mut conn, &cookie, name, path.to_string(), expect, requests).await?);
    }
    Ok(Beheer { requests, pages })
}

async fn page(
    conn: &mut Conn,
    cookie: &str,
    name: &'static str,
    path: String,
    expect: &str,
    requests: usize,
) -> anyhow::Result<Page> {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..=requests {
        let started = Instant::now();
        let reply = conn.get_with_cookie(&path, cookie).await?;
        times.push(started.elapsed());
        if reply.status != 200 || !reply.contains(expect) {
            bail!("{path} answered {} without {expect:?}: {}", reply.status, reply.excerpt());
        }
        bytes = reply.body.len();
    }
    let first = times.remove(0);
    times.sort_unstable();
    Ok(Page {
        name,
        path,
        p50_ms: percentile(&times, 0.50),
        p95_ms: percentile(&times, 0.95),
        first_ms: first.as_secs_f64() * 1000.0,
        bytes,
    })
}

/// `copies` copies of round `round`, each a week earlier than the one before and closed, with a
/// copy of its invitations (a third of them answered) and one sent invitation mail each.
async fn copy_round(url: &str, round: i64, copies: usize) -> anyhow::Result<()> {
    install_default_drivers();
    let pool = AnyPoolOptions::new().max_connections(1).connect(url).await?;
    let mut tx = pool.begin().await?;
    let start = chrono::DateTime::parse_from_rfc3339("2026-11-01T07:00:00Z")?.to_utc();
    for k in 1..=copies {
        let opens = start - chrono::Duration::weeks(k as i64);
        let at = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
        let copy: i64 = sqlx::query_scalar(
            "INSERT INTO rounds (form_id, form_json, title, anonymous, audience, opens_at, closes_at, created_at) \
             SELECT form_id, form_json, title, anonymous, audience, $2, $3, $2 FROM rounds WHERE id = $1 \
             RETURNING id",
        )
        .bind(round)
        .bind(at(opens))
        .bind(at(opens + chrono::Duration::days(14)))
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO invitations (round_id, contact_id, nonce, token_hash, role, wijk, answered, created_at) \
             SELECT $2, contact_id, nonce, token_hash || '-' || $3, role, wijk, \
             CASE WHEN contact_id % 3 = 0 THEN 1 ELSE 0 END, created_at FROM invitations WHERE round_id = $1",
        )
        .bind(round)
        .bind(copy)
        .bind(copy.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO outbox (dedupe_key, kind, round_id, invitation_id, status, attempts, due_at, created_at, sent_at) \
             SELECT 'bench-' || $2 || '-' || id, 'invitation', round_id, id, 'sent', 1, created_at, created_at, created_at \
             FROM invitations WHERE round_id = $1",
        )
        .bind(copy)
        .bind(copy.to_string())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    pool.close().await;
    Ok(())
}
