//! The results workload: the server time of a round's results page with 20 questions over
//! 10,000 and 100,000 responses (on PostgreSQL 10,000 only). The round is opened through the
//! real CLI; the responses are written straight into its database (answering 100,000 pages would
//! measure the answer path, not this one), spread over 8 wijken and 2 roles; then a werkgroep
//! member, added with `peil user add` and logged in over HTTP, asks for the page again and again.

use std::fmt::Write as _;
use std::time::Instant;

use anyhow::{Context, bail};
use serde_json::{Value, json};
use sqlx::any::{AnyPoolOptions, install_default_drivers};

use crate::backend::Backend;
use crate::client::Conn;
use crate::load::{percentile, round2};
use crate::respond::import_contacts;
use crate::server::{Paths, run};
use crate::site::Site;

const WIJKEN: [&str; 8] = ["centrum", "noord", "oost", "zuid", "west", "haven", "beekdal", "dorpen"];
const ROLES: [&str; 2] = ["huisarts", "poh-ggz"];
const PASSWORD: &str = "bench-wachtwoord-lang-genoeg";

pub struct Level {
    pub responses: usize,
    pub requests: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub first_ms: f64,
    /// The p50 of the last third of the requests over that of the first third (the very first
    /// request left out): above 1 when asking again gets slower.
    pub repeat: f64,
    pub bytes: usize,
}

pub struct Results {
    pub levels: Vec<Level>,
}

impl Results {
    pub fn to_json(&self) -> Value {
        let levels: Vec<Value> = self
            .levels
            .iter()
            .map(|l| {
                json!({
                    "responses": l.responses,
                    "requests": l.requests,
                    "first_ms": round2(l.first_ms),
                    "p50_ms": round2(l.p50_ms),
                    "p95_ms": round2(l.p95_ms),
                    "page_bytes": l.bytes,
                })
            })
            .collect();
        json!({ "questions": 20, "levels": levels })
    }

    pub fn table(&self) -> String {
        let mut text = String::from(
            "| responses | first request | p50 | p95 | page size |\n| ---: | ---: | ---: | ---: | ---: |\n",
        );
        for l in &self.levels {
            let _ = writeln!(
                text,
                "| {} | {:.1} ms | {:.1} ms | {:.1} ms | {} kB |",
                l.responses,
                l.first_ms,
                l.p50_ms,
                l.p95_ms,
                l.bytes / 1024
            );
        }
        text
    }

    /// Under 100 ms at 10,000 responses (the issue's aim).
    pub fn target_met(&self) -> Option<bool> {
        self.levels.iter().find(|l| l.responses == 10_000).map(|l| l.p50_ms < 100.0)
    }
}

pub async fn run_workload(paths: &Paths, quick: bool, backend: &Backend) -> anyhow::Result<Results> {
    let sizes: &[usize] = if quick || *backend != Backend::Sqlite { &[10_000] } else { &[10_000, 100_000] };
    let mut levels = Vec::new();
    for &size in sizes {
        levels.push(level(paths, backend, size, if quick { 10 } else { 30 }).await?);
    }
    Ok(Results { levels })
}

/// One size: a round of `responses` answers, and its results page asked for `requests` times after
/// a first request.
pub async fn level(
    paths: &Paths,
    backend: &Backend,
    responses: usize,
    requests: usize,
) -> anyhow::Result<Level> {
    let site = Site::on(paths, &format!("results-{responses}"), backend)?;
    std::fs::write(site.forms_dir().join("bench-results.toml"), form())?;
    crate::server::copy_files(&paths.repo.join("forms/lists"), &site.forms_dir().join("lists"))?;
    import_contacts(&site, 16)?;
    let closes =
        (chrono::Local::now().date_naive() + chrono::Duration::days(30)).format("%Y-%m-%d").to_string();
    let opened = run(site.command(&["round", "open", "--form", "bench-results", "--closes", &closes]))?;
    let round = opened
        .strip_prefix("round ")
        .and_then(|rest| rest.split_whitespace().next())
        .with_context(|| format!("unexpected output of `peil round open`: {opened}"))?
        .to_string();
    fill(&site.database_url(), &round, responses).await?;
    let link = run(site.command(&["user", "add", "bench@example.org", "--role", "werkgroep"]))?;
    let (server, _) = site.serve().await?;
    let mut conn = Conn::new(server.addr);
    let cookie = log_in(&mut conn, &link, "bench@example.org").await?;
    let path = format!("/werkgroep/ronde/{round}");
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..=requests {
        let started = Instant::now();
        let reply = conn.get_with_cookie(&path, &cookie).await?;
        times.push(started.elapsed());
        if reply.status != 200 || !reply.contains("respondenten") {
            bail!("the results page answered {}: {}", reply.status, reply.excerpt());
        }
        bytes = reply.body.len();
    }
    let first = times.remove(0);
    let repeat = repeat(&times);
    times.sort_unstable();
    Ok(Level {
        responses,
        requests,
        p50_ms: percentile(&times, 0.50),
        p95_ms: percentile(&times, 0.95),
        first_ms: first.as_secs_f64() * 1000.0,
        repeat,
        bytes,
    })
}

/// The p50 of the last third of `times` (in the order asked) over that of the first third.
fn repeat(times: &[std::time::Duration]) -> f64 {
    let third = (times.len() / 3).max(1);
    let p50 = |part: &[std::time::Duration]| {
        let mut sorted = part.to_vec();
        sorted.sort_unstable();
        percentile(&sorted, 0.50)
    };
    p50(&times[times.len().saturating_sub(third)..]) / p50(&times[..third.min(times.len())])
}

/// Sets the password through the link `peil user add` printed for `email` and logs in; returns
/// the cookie.
pub async fn log_in(conn: &mut Conn, printed: &str, email: &str) -> anyhow::Result<String> {
    let path = printed
        .split_whitespace()
        .find_map(|word| word.find("/wachtwoord/").map(|at| word[at..].to_string()))
        .with_context(|| format!("no password link in: {printed}"))?;
    let body = format!("password={PASSWORD}&repeat={PASSWORD}");
    let set = conn.post_form(&path, body.as_bytes()).await?;
    if set.status >= 400 {
        bail!("setting the password answered {}: {}", set.status, set.excerpt());
    }
    let body = format!("email={}&password={PASSWORD}", email.replace('@', "%40"));
    let reply = conn.post_form("/inloggen", body.as_bytes()).await?;
    reply.cookie.clone().with_context(|| {
        format!("no session cookie after logging in ({}): {}", reply.status, reply.excerpt())
    })
}

/// `count` responses spread over the wijken and roles, with answers for all 20 questions.
async fn fill(url: &str, round: &str, count: usize) -> anyhow::Result<()> {
    install_default_drivers();
    let pool = AnyPoolOptions::new().max_connections(1).connect(url).await?;
    let round: i64 = round.parse()?;
    let mut tx = pool.begin().await?;
    for i in 0..count {
        sqlx::query(
            "INSERT INTO responses (id, round_id, invitation_id, answers, wijk, role, submitted_on) \
             VALUES ($1, $2, NULL, $3, $4, $5, '2026-11-01')",
        )
        .bind(format!("bench{i:07}"))
        .bind(round)
        .bind(answers(i).to_string())
        .bind(WIJKEN[i % WIJKEN.len()])
        .bind(ROLES[(i / WIJKEN.len()) % ROLES.len()])
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE rounds SET opens_at = '2026-10-01T07:00:00Z', closes_at = '2026-10-22T07:00:00Z' WHERE id = $1")
        .bind(round)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    if url.starts_with("postgres") {
        // PostgreSQL plans from table statistics, which autovacuum would gather only within a
        // minute or so of the bulk insert; a live round's table has had them all along.
        sqlx::query("ANALYZE").execute(&pool).await?;
    }
    pool.close().await;
    Ok(())
}

/// A varied, deterministic answer set for response `i`.
fn answers(i: usize) -> Value {
    let pick = |salt: usize, n: usize| (i.wrapping_mul(2_654_435_761).wrapping_add(salt * 97) >> 7) % n;
    let mut answers = serde_json::Map::new();
    for s in 0..6 {
        answers.insert(format!("schaal{s}"), json!(1 + pick(s, 5)));
    }
    for s in 0..4 {
        answers.insert(format!("keuze{s}"), json!(["a", "b", "c", "d"][pick(10 + s, 4)]));
    }
    for s in 0..2 {
        answers.insert(
            format!("meer{s}"),
            [json!(["a"]), json!(["a", "b"]), json!(["c"]), json!(["b", "d"])][pick(20 + s, 4)].clone(),
        );
        answers.insert(
            format!("matrix{s}"),
            json!({ "x": 1 + pick(30 + s, 5), "y": 1 + pick(40 + s, 5), "z": 1 + pick(50 + s, 5) }),
        );
        answers.insert(format!("jaofnee{s}"), json!(pick(60 + s, 3) > 0));
    }
    for s in 0..3 {
        answers.insert(format!("getal{s}"), json!(pick(70 + s, 40)));
    }
    if i.is_multiple_of(10) {
        answers.insert("toelichting".into(), json!(format!("Opmerking nummer {i}")));
    }
    Value::Object(answers)
}

/// 20 questions: 6 scales, 4 single and 2 multiple choices, 2 matrices, 2 yes/no, 3 numbers and
/// one long text.
fn form() -> String {
    let mut toml = String::from("title = \"Bench: resultaten\"\nanonymous = false\n\n[[pages]]\n");
    let options = r#"options = [{ value = "a", label = "A" }, { value = "b", label = "B" }, { value = "c", label = "C" }, { value = "d", label = "D" }]"#;
    let mut question = |id: String, kind: &str, extra: &str| {
        let _ = write!(
            toml,
            "\n[[pages.questions]]\nid = \"{id}\"\ntype = \"{kind}\"\nlabel = \"Vraag {id}\"\n{extra}\n"
        );
    };
    for s in 0..6 {
        question(format!("schaal{s}"), "scale", "options = \"eens5\"");
    }
    for s in 0..4 {
        question(format!("keuze{s}"), "single", options);
    }
    for s in 0..2 {
        question(format!("meer{s}"), "multi", options);
        question(
            format!("matrix{s}"),
            "matrix",
            "options = \"eens5\"\nitems = [{ id = \"x\", label = \"X\" }, { id = \"y\", label = \"Y\" }, { id = \"z\", label = \"Z\" }]",
        );
        question(format!("jaofnee{s}"), "yesno", "");
    }
    for s in 0..3 {
        question(format!("getal{s}"), "number", "min = 0\nmax = 100");
    }
    question("toelichting".into(), "textarea", "max_length = 1000");
    toml
}
