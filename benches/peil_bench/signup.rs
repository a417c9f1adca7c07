//! The signup workload: the race for seats. A one-off job of the shipped `intervisie` form with
//! one session of 40 seats is started through the real CLI for 500 imported contacts; then,
//! against the real `peil serve`, 500 clients (each on its own connection) open their personal
//! link and post a sign-up for that session, their start times spread evenly over one second.
//! Afterwards the database must show exactly 40 confirmed seats, `sessions.taken` = 40, the
//! other 460 on the waiting list, and one seat mail queued per sign-up. More seats given than
//! the session has, or two counts of them that disagree, fail the run. On PostgreSQL the same
//! race also runs against two instances on one database, the clients alternating between them.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::backend::Target;
use crate::client::Conn;
use crate::load::{percentile, round2};
use crate::respond::{import_contacts, links};
use crate::server::{Paths, copy_files, run};
use crate::site::Site;

pub const PEOPLE: usize = 500;
pub const SEATS: i64 = 40;
/// Every client starts within this window.
const RELEASE: Duration = Duration::from_secs(1);

/// The intervisie page as a browser posts it: session s1 chosen, names may be shared.
const BODY: &[u8] = b"_page=0&_nav=submit&bijeenkomst=s1&naam_delen=ja";

pub struct Signup {
    pub people: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    /// Confirmed seats in the database.
    pub confirmed: i64,
    /// The session row's own count of confirmed seats.
    pub taken: i64,
    pub waiting: i64,
    /// Seat mails (confirmation or waiting list) in the outbox: one per sign-up.
    pub seat_mails: i64,
    /// Latency of the POST that signs up, from sending it to the reply.
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// From the first client's start to the last reply.
    pub wall_s: f64,
    /// CPU per sign-up over the burst (its GETs included): peil's instances, the database's
    /// server processes (PostgreSQL's backends; nothing on SQLite) and this load generator.
    pub cpu: BurstCpu,
}

/// Where the CPU of a burst went, in milliseconds per sign-up: what shows whether the POST waits
/// on a lock or on two cores shared by everything the race runs.
#[derive(Clone, Copy, Debug, Default)]
pub struct BurstCpu {
    pub peil_ms: f64,
    pub database_ms: f64,
    pub load_ms: f64,
}

impl BurstCpu {
    pub fn total_ms(&self) -> f64 {
        self.peil_ms + self.database_ms + self.load_ms
    }
}

/// CPU seconds used so far by peil's instances, by every PostgreSQL server process, and by this
/// process.
fn cpu_now(servers: &[crate::server::ChildGuard]) -> anyhow::Result<(f64, f64, f64)> {
    let peil = crate::load::servers_cpu_seconds(servers)?;
    Ok((peil, postgres_cpu_seconds(), crate::server::cpu_seconds(std::process::id())?))
}

/// The CPU of every process named `postgres` (the postmaster and its backends), in seconds. A
/// backend that exits during the burst takes its time with it; peil's pool keeps them open.
fn postgres_cpu_seconds() -> f64 {
    let Ok(entries) = std::fs::read_dir("/proc") else { return 0.0 };
    entries
        .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == "postgres")
        })
        .filter_map(|pid| crate::server::cpu_seconds(pid).ok())
        .sum()
}

impl Signup {
    pub fn to_json(&self) -> Value {
        json!({
            "people": self.people,
            "capacity": SEATS,
            "errors": self.errors,
            "first_error": self.first_error,
            "confirmed_seats": self.confirmed,
            "sessions_taken": self.taken,
            "waiting": self.waiting,
            "seat_mails": self.seat_mails,
            "post_p50_ms": round2(self.p50_ms),
            "cpu_ms_per_signup": {
                "peil": round2(self.cpu.peil_ms),
                "database": round2(self.cpu.database_ms),
                "load": round2(self.cpu.load_ms),
            },
            "post_p99_ms": round2(self.p99_ms),
            "wall_seconds": round2(self.wall_s),
        })
    }

    /// Exactly the capacity given, by both counts.
    pub fn seats_right(&self) -> bool {
        self.confirmed == SEATS && self.taken == SEATS
    }
}

pub async fn run_workload(paths: &Paths, target: &Target) -> anyhow::Result<Signup> {
    let site = Site::on(paths, "signup", &target.backend)?;
    install(paths, &site)?;
    import_contacts(&site, PEOPLE)?;
    let started = run(site.command(&["job", "start", "bench-signup"]))?;
    let round = round_id(&started)?;
    let links = links(&site, &round, PEOPLE)?;
    let servers = site.serve_many(target.instances, &[]).await?;
    tokio::time::sleep(Duration::from_millis(500)).await;

    let cpu_before = cpu_now(&servers)?;
    let release = tokio::time::Instant::now() + Duration::from_millis(50);
    let step = RELEASE / PEOPLE as u32;
    let clients: Vec<_> = links
        .into_iter()
        .enumerate()
        .map(|(i, path)| {
            let addr = servers[i % servers.len()].addr;
            tokio::spawn(sign_up(addr, path, release + step * i as u32))
        })
        .collect();
    let (mut latencies, mut errors, mut first_error) = (Vec::new(), 0, None);
    for client in clients {
        match client.await.context("a client task panicked")? {
            Ok(latency) => latencies.push(latency),
            Err(e) => {
                errors += 1;
                first_error.get_or_insert_with(|| format!("{e:#}"));
            }
        }
    }
    let wall_s = release.elapsed().as_secs_f64();
    let cpu_after = cpu_now(&servers)?;
    let per_signup = |before: f64, after: f64| (after - before) * 1000.0 / PEOPLE as f64;
    let cpu = BurstCpu {
        peil_ms: per_signup(cpu_before.0, cpu_after.0),
        database_ms: if matches!(target.backend, crate::backend::Backend::Postgres(_)) {
            per_signup(cpu_before.1, cpu_after.1)
        } else {
            0.0
        },
        load_ms: per_signup(cpu_before.2, cpu_after.2),
    };
    latencies.sort_unstable();

    let url = site.database_url();
    let count = |sql: &'static str| crate::db::count(&url, sql);
    let signup = Signup {
        people: PEOPLE,
        errors,
        first_error,
        confirmed: count("SELECT COUNT(*) FROM seats WHERE status = 'confirmed'").await?,
        // PostgreSQL sums a BIGINT column to a NUMERIC; the cast keeps it an integer on both.
        taken: count("SELECT CAST(COALESCE(SUM(taken), 0) AS BIGINT) FROM sessions").await?,
        waiting: count("SELECT COUNT(*) FROM seats WHERE status = 'waiting'").await?,
        seat_mails: count("SELECT COUNT(*) FROM outbox WHERE kind IN ('seat-confirmed', 'seat-waiting')")
            .await?,
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        wall_s,
        cpu,
    };
    if signup.confirmed > SEATS || signup.taken > SEATS || signup.confirmed != signup.taken {
        bail!(
            "overbooked or miscounted ({target}): {} confirmed seats, sessions.taken {}, capacity {SEATS}",
            signup.confirmed,
            signup.taken
        );
    }
    Ok(signup)
}

/// The shipped intervisie form and lists, and a one-off job with one session a month ahead.
fn install(paths: &Paths, site: &Site) -> anyhow::Result<()> {
    std::fs::copy(paths.repo.join("forms/intervisie.toml"), site.forms_dir().join("intervisie.toml"))?;
    copy_files(&paths.repo.join("forms/lists"), &site.forms_dir().join("lists"))?;
    let jobs = site.dir().join("jobs");
    std::fs::create_dir_all(&jobs)?;
    let day = (chrono::Local::now().date_naive() + chrono::Duration::days(30)).format("%Y-%m-%d");
    let job = format!(
        "# The signup benchmark: everyone is invited to one session of {SEATS} seats.\n\
         form = \"intervisie\"\n\n\
         [[sessions]]\n\
         title = \"Intervisiegroep benchmark\"\n\
         date = \"{day}\"\n\
         time = \"13:30-15:30\"\n\
         place = \"Regiokantoor, Utrecht\"\n\
         capacity = {SEATS}\n"
    );
    std::fs::write(jobs.join("bench-signup.toml"), job)?;
    run(site.command(&["check"])).context("the signup job does not pass `peil check`")?;
    Ok(())
}

/// `job bench-signup: opened round(s) 1; ...` gives `1`.
fn round_id(started: &str) -> anyhow::Result<String> {
    let id = started.split_once("round(s) ").and_then(|(_, rest)| rest.split([';', ',']).next());
    id.map(|id| id.trim().to_string())
        .with_context(|| format!("unexpected output of `peil job start`: {started}"))
}

/// One person: at `at`, opens the link and signs up. Returns how long the sign-up POST took.
async fn sign_up(addr: SocketAddr, path: String, at: tokio::time::Instant) -> anyhow::Result<Duration> {
    tokio::time::sleep_until(at).await;
    let mut conn = Conn::new(addr);
    let (page, opened) = conn.open_link(&path).await.with_context(|| format!("GET {path}"))?;
    if page.status != 200 || !page.contains("bijeenkomst") {
        bail!("GET {path}: status {}, expected the sign-up page:\n{}", page.status, page.excerpt());
    }
    let started = Instant::now();
    let reply = conn.post_to(&opened, BODY).await.with_context(|| format!("POST {path}"))?;
    let latency = started.elapsed();
    // A sign-up redirects to the person's own page with their seat.
    if reply.status != 303 {
        bail!("POST {path}: status {}, expected 303:\n{}", reply.status, reply.excerpt());
    }
    Ok(latency)
}

/// `--only-signup`: the race on SQLite, then on PostgreSQL with one and two instances, once with
/// each of `binaries` (a label and the `Paths` whose `peil` it runs) per target, one after the
/// other, so that an older build and this one meet the same load in the same minutes. Without a
/// PostgreSQL server (`postgres` is `None`) only SQLite runs.
pub async fn compare(
    binaries: &[(&str, &Paths)],
    postgres: Option<&str>,
) -> anyhow::Result<Vec<(String, Target, Signup)>> {
    let mut targets = vec![Target::sqlite()];
    if let Some(admin) = postgres {
        targets.extend(crate::postgres::INSTANCES.map(|n| Target::postgres(admin, n)));
    }
    let mut runs = Vec::new();
    for target in targets {
        for (label, paths) in binaries {
            println!("signup: {PEOPLE} people for {SEATS} seats within one second, {target}, {label}");
            let signup = run_workload(paths, &target).await?;
            runs.push((label.to_string(), target.clone(), signup));
        }
    }
    Ok(runs)
}

/// The runs of [`compare`] as one Markdown table.
pub fn compare_table(runs: &[(String, Target, Signup)]) -> String {
    let mut out = String::from(
        "| peil | backend | instances | errors | seats (confirmed / taken) | seat mails | POST p50 ms \
         | POST p99 ms | wall s | CPU ms per sign-up (peil / database / load) |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
    );
    for (label, target, s) in runs {
        out.push_str(&format!(
            "| {label} | {} | {} | {} | {} / {} of {SEATS} | {} | {:.2} | {:.2} | {:.2} | {:.2} / {:.2} / {:.2} |\n",
            target.backend_name(),
            target.instances,
            s.errors,
            s.confirmed,
            s.taken,
            s.seat_mails,
            s.p50_ms,
            s.p99_ms,
            s.wall_s,
            s.cpu.peil_ms,
            s.cpu.database_ms,
            s.cpu.load_ms
        ));
    }
    out
}

/// The workload's lines in the printed tables.
pub fn table(signup: &Signup) -> String {
    let mut out = String::from("| signup | value |\n| --- | ---: |\n");
    let mut row = |what: &str, value: String| out.push_str(&format!("| {what} | {value} |\n"));
    row("people signing up for one session, released within 1 s", signup.people.to_string());
    row("errors", signup.errors.to_string());
    row(
        "seats given (confirmed seats / `sessions.taken`)",
        format!("{} / {} of {SEATS}", signup.confirmed, signup.taken),
    );
    row("on the waiting list", signup.waiting.to_string());
    row("seat mails queued", signup.seat_mails.to_string());
    row("sign-up POST p50", format!("{:.2} ms", signup.p50_ms));
    row("sign-up POST p99", format!("{:.2} ms", signup.p99_ms));
    row("first start to last reply", format!("{:.2} s", signup.wall_s));
    row(
        "CPU per sign-up, its GETs included (peil / database / load)",
        format!("{:.2} / {:.2} / {:.2} ms", signup.cpu.peil_ms, signup.cpu.database_ms, signup.cpu.load_ms),
    );
    if let Some(e) = &signup.first_error {
        row("first error", e.lines().next().unwrap_or_default().replace('|', "/"));
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_round_id_is_read_from_what_job_start_prints() {
        let printed = "job bench-signup: opened round(s) 4; invitations are queued\n";
        assert_eq!(super::round_id(printed).unwrap(), "4");
        assert!(super::round_id("job bench-signup: its rounds for this moment are already open").is_err());
    }
}
