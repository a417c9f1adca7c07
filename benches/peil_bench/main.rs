//! `peil-bench`: measures the release build of peil as people use it. Seven workloads on SQLite:
//! respond (the real `peil serve` answering personal links), floor (a bare Rocket + SQLite server
//! under the same load, to see what share of the cost is peil's own), lean (memory, start-up,
//! check time, binary size), mail (a round's invitation mails from the outbox to a local SMTP
//! sink; `mail_tls` the same to a sink that asks for a login, and for STARTTLS), signup (500 people racing for 40 seats within a second), results (a round's results
//! page) and beheer (the coordinator's contacts and rounds lists). Then respond, mail, signup and
//! results again on PostgreSQL, with one and two instances on one database (`postgres`). Prints
//! Markdown tables and writes `target/bench.json`.
//!
//! Run with `cargo run --release -p peil-bench` (add `-- --quick` for a shorter run); it is its own
//! package in the workspace (`benches/peil_bench/Cargo.toml`), so `cargo test` does not build it.

mod aims;
mod backend;
mod beheer;
mod certificates;
mod client;
mod compare;
mod db;
mod driver;
mod floor;
mod lean;
mod load;
mod mail;
mod mail_tls;
mod postgres;
mod presence;
mod report;
mod respond;
mod results;
mod server;
mod signup;
mod site;
mod smtp;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand};

use crate::backend::{Backend, Target};
use crate::postgres::Postgres;
use crate::respond::Linkage;

#[derive(Parser)]
#[command(name = "peil-bench", about = "Benchmarks the release build of peil")]
struct Args {
    /// Fewer responses per level: the whole run takes under two minutes.
    #[arg(long)]
    quick: bool,
    /// Run only the results workload (the results page over 10,000 and 100,000 responses).
    #[arg(long, conflicts_with = "only_postgres")]
    only_results: bool,
    /// Run only the beheer workload (the contacts page over 10,000 contacts, the rounds page over
    /// 1,000 rounds).
    #[arg(long, conflicts_with_all = ["only_postgres", "only_results"])]
    only_beheer: bool,
    /// Run only the PDF workloads (a certificate, a year overview, a presentielijst of 40 people),
    /// in-process; no server is started.
    #[arg(long, conflicts_with_all = ["only_postgres", "only_results", "only_beheer"])]
    only_pdf: bool,
    /// Run only the driver comparison: sqlx's Any driver against the native one, on SQLite and
    /// (when it answers at the local default) PostgreSQL.
    #[arg(long)]
    only_driver: bool,
    /// Run only the mail_tls workload: invitation mails to a sink that asks for a login, over
    /// plain SMTP and over STARTTLS.
    #[arg(long, conflicts_with_all = ["only_postgres", "only_results", "only_beheer", "only_pdf", "only_driver"])]
    only_mail_tls: bool,
    /// The PostgreSQL server for the PostgreSQL workloads, as the URL of a database on it to
    /// connect to for `CREATE DATABASE` [default: postgres://postgres@127.0.0.1:5432/postgres,
    /// skipped with a note when it does not answer].
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
    /// Leave the PostgreSQL workloads out.
    #[arg(long, conflicts_with_all = ["postgres", "only_postgres"])]
    no_postgres: bool,
    /// Run only the signup workload, on SQLite and (when it answers) PostgreSQL with one and two
    /// instances; writes `target/bench-signup.json`.
    #[arg(long, conflicts_with_all = ["only_postgres", "only_results", "only_beheer", "only_pdf"])]
    only_signup: bool,
    /// Run only the PostgreSQL workloads; writes `target/bench-postgres.json`.
    #[arg(long)]
    only_postgres: bool,
    /// Run issue 27's table: every path people wait on, for the binary `--baseline` names and for
    /// this build, with the floor, `--runs` times; writes `target/bench-aims.json`.
    #[arg(long, requires = "baseline", conflicts_with_all = ["only_postgres", "only_results", "only_beheer"])]
    aims: bool,
    /// A peil binary to measure beside this build (a release build of an older commit): required
    /// by `--aims`; with `--only-signup` and `--only-mail-tls` each race or run is also made with it.
    #[arg(long, value_name = "PEIL")]
    baseline: Option<PathBuf>,
    /// How many times `--aims` measures both binaries and the floor; the table shows medians.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    #[command(subcommand)]
    command: Option<Hidden>,
}

#[derive(Subcommand)]
enum Hidden {
    /// The floor server; started by the benchmark itself.
    #[command(hide = true)]
    FloorServer {
        #[arg(long)]
        port: u16,
        #[arg(long)]
        db: PathBuf,
    },
}

fn main() -> ExitCode {
    let args = Args::parse();
    let outcome = match args.command {
        Some(Hidden::FloorServer { port, db }) => floor::serve(port, &db),
        None => tokio::runtime::Runtime::new().map_err(anyhow::Error::from).and_then(|rt| {
            rt.block_on(async {
                if args.aims {
                    let postgres = if args.no_postgres {
                        None
                    } else {
                        postgres::server(args.postgres.as_deref())?.ok()
                    };
                    bench_aims(args.quick, args.baseline.clone().unwrap_or_default(), args.runs, postgres)
                        .await
                } else if args.only_driver {
                    bench_driver().await
                } else if args.only_mail_tls {
                    bench_mail_tls(args.quick, args.baseline.clone()).await
                } else if args.only_pdf {
                    bench_pdf(args.quick)
                } else if args.only_beheer {
                    bench_beheer(args.quick).await
                } else if args.only_results {
                    bench_results(args.quick).await
                } else if args.only_signup {
                    bench_signup(args.postgres.as_deref(), args.baseline.clone()).await
                } else if args.only_postgres {
                    bench_postgres(args.quick, args.postgres.as_deref()).await
                } else {
                    let postgres = if args.no_postgres {
                        Err("left out with --no-postgres".into())
                    } else {
                        postgres::server(args.postgres.as_deref())?
                    };
                    bench(args.quick, postgres).await
                }
            })
        }),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("peil-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Everything; the PostgreSQL part on the server `postgres` names, or skipped for the reason given.
async fn bench(quick: bool, postgres: Result<String, String>) -> anyhow::Result<()> {
    let started = Instant::now();
    let paths = server::Paths::find()?;
    let plan = load::plan(quick);
    let mut report = report::Report::new(&paths.repo, quick);
    println!("peil-bench{}: {}", if quick { " --quick" } else { "" }, paths.peil.display());
    println!("{}", report.meta_line());

    println!("respond: peil serve, SQLite, GET + POST of a 10-question page per response");
    let respond = respond::run_workload(&paths, &plan, &Target::sqlite(), Linkage::Identified).await?;
    println!("respond, anonymous: the same on an anonymous round");
    let anonymous = respond::run_workload(&paths, &plan, &Target::sqlite(), Linkage::Anonymous).await?;
    println!("floor: Rocket + one INSERT per POST, same load");
    let mut floor = floor::run_workload(&plan).await?;
    floor.compare(&respond.levels);
    println!("lean: start-up and check with 100 forms");
    let lean = lean::run_workload(&paths, (respond.idle_rss_mib, respond.peak_rss_mib)).await?;
    let messages = mail::count(quick);
    println!("mail: {messages} invitation mails from the outbox over SMTP to a local sink");
    let mail = mail::run_workload(&paths, messages, &Target::sqlite()).await?;
    println!("mail_tls: the same to a sink that asks for a login, plain and over STARTTLS");
    let mail_tls = vec![
        mail_tls::run_workload(&paths, messages, mail_tls::Relay::Login).await?,
        mail_tls::run_workload(&paths, messages, mail_tls::Relay::StartTls).await?,
    ];
    println!(
        "signup: {} people sign up for one session of {} seats within one second",
        signup::PEOPLE,
        signup::SEATS
    );
    let signup = signup::run_workload(&paths, &Target::sqlite()).await?;
    println!("results: a round's results page, 20 questions, over 10,000 and 100,000 responses");
    let results = results::run_workload(&paths, quick, &Backend::Sqlite).await?;
    println!(
        "beheer: the contacts page over {} contacts and the rounds page over {} rounds",
        beheer::CONTACTS,
        beheer::ROUNDS
    );
    let beheer = beheer::run_workload(&paths, quick).await?;
    println!("certificates: a bewijs van deelname and a year overview drawn as PDFs");
    let certificates = certificates::run_workload(quick)?;
    println!("presentielijst: the PDF of a session of {} people, in-process", presence::PEOPLE);
    let presence = presence::run_workload()?;
    let pg = match postgres {
        Ok(admin) => Ok(postgres::run(&paths, quick, &admin).await?),
        Err(reason) => {
            println!("postgres: skipped, {reason}");
            Err(reason)
        }
    };

    report.add("respond", respond.to_json());
    report.add("respond_anonymous", anonymous.to_json());
    report.add("floor", floor.to_json());
    report.add("lean", lean.to_json());
    report.add("mail", mail.to_json());
    report.add("mail_tls", mail_tls.iter().map(mail_tls::MailTls::to_json).collect());
    report.add("signup", signup.to_json());
    report.add("results", results.to_json());
    report.add("beheer", beheer.to_json());
    report.add("certificates", certificates.to_json());
    report.add("presentielijst", presence.to_json());
    report
        .add("postgres", pg.as_ref().map_or_else(|reason| postgres::skipped_json(reason), Postgres::to_json));
    let seconds = started.elapsed().as_secs_f64();
    report.set_seconds(seconds);
    let json = paths.target.join("bench.json");
    report.write(&json)?;

    println!("\n{}\n\n{}", report.meta_line(), report::tables(&respond, &floor, &lean, &mail, &signup));
    println!(
        "anonymous respond beside identified and the floor:\n\n{}",
        report::anonymous_table(&respond, &anonymous, &floor)
    );
    println!("mail through a relay that asks for a login:\n\n{}", mail_tls::table(&mail_tls));
    println!("results page:\n\n{}", results.table());
    println!("beheer pages:\n\n{}", beheer.table());
    println!("certificate PDFs ({} runs each):\n\n{}", certificates.runs, certificates.table());
    println!("{}\n", presence.line());
    if let Ok(pg) = &pg {
        let mut side = compare::Figures::default();
        side.sqlite(&respond, &mail, &signup, &results);
        side.postgres(pg);
        println!("SQLite and PostgreSQL (one and two instances on one database):\n\n{}", side.tables());
    }
    println!("targets:\n{}", report::targets(&respond, &floor, &lean, &mail, &signup));
    println!("- results page under 100 ms at 10,000 responses: {}", verdict(results.target_met()));
    println!("- beheer pages under 100 ms (p95): {}", verdict(Some(beheer.target_met())));
    println!(
        "- mail over STARTTLS with a login, {} mails/s or more, none doubled: {}",
        mail_tls::AIM_PER_SECOND,
        verdict(mail_tls.last().map(mail_tls::MailTls::met))
    );
    if let Ok(pg) = &pg {
        println!(
            "- PostgreSQL signup: exactly {} seats, no errors: {}",
            signup::SEATS,
            verdict(Some(pg.seats_right()))
        );
    }
    println!("took {seconds:.0} s; written to {}", json.display());
    Ok(())
}

/// Issue 27's table: the baseline and this build side by side with the floor and the aims.
async fn bench_aims(
    quick: bool,
    baseline: PathBuf,
    runs: usize,
    postgres: Option<String>,
) -> anyhow::Result<()> {
    let started = Instant::now();
    let paths = server::Paths::find()?;
    let mut report = report::Report::new(&paths.repo, quick);
    println!("peil-bench --aims: baseline {} against {}", baseline.display(), paths.peil.display());
    println!("{}", report.meta_line());
    if postgres.is_none() {
        println!("postgres: no server answered, the sign-up rows are left out");
    }
    let aims = aims::run(&paths, baseline, runs.max(1), quick, postgres).await?;
    report.add("aims", aims.to_json());
    report.set_seconds(started.elapsed().as_secs_f64());
    let json = paths.target.join("bench-aims.json");
    report.write(&json)?;
    println!("\n{}\n\n{}", report.meta_line(), aims.table());
    println!("took {:.0} s; written to {}", started.elapsed().as_secs_f64(), json.display());
    Ok(())
}

/// Only the PDFs: the certificates' table and the presentielijst's line, without a server.
fn bench_pdf(quick: bool) -> anyhow::Result<()> {
    let certificates = certificates::run_workload(quick)?;
    let presence = presence::run_workload()?;
    println!("certificate PDFs ({} runs each):\n\n{}", certificates.runs, certificates.table());
    println!("{}", presence.line());
    Ok(())
}

/// Only the results workload: its table, and `target/bench-results.json`.
async fn bench_results(quick: bool) -> anyhow::Result<()> {
    let paths = server::Paths::find()?;
    let mut report = report::Report::new(&paths.repo, quick);
    println!("{}", report.meta_line());
    let results = results::run_workload(&paths, quick, &Backend::Sqlite).await?;
    report.add("results", results.to_json());
    report.write(&paths.target.join("bench-results.json"))?;
    println!("\n{}", results.table());
    println!("- results page under 100 ms at 10,000 responses: {}", verdict(results.target_met()));
    Ok(())
}

/// Only the beheer workload: its table, and `target/bench-beheer.json`.
async fn bench_beheer(quick: bool) -> anyhow::Result<()> {
    let paths = server::Paths::find()?;
    let mut report = report::Report::new(&paths.repo, quick);
    println!("{}", report.meta_line());
    let beheer = beheer::run_workload(&paths, quick).await?;
    report.add("beheer", beheer.to_json());
    report.write(&paths.target.join("bench-beheer.json"))?;
    println!("\n{}", beheer.table());
    println!("- beheer pages under 100 ms (p95): {}", verdict(Some(beheer.target_met())));
    Ok(())
}

/// Only the mail_tls workload: its table, and `target/bench-mail-tls.json`. With `baseline`,
/// that binary first, on the plain login (the only relay it can be pointed at with trust).
async fn bench_mail_tls(quick: bool, baseline: Option<PathBuf>) -> anyhow::Result<()> {
    let paths = server::Paths::find()?;
    let mut report = report::Report::new(&paths.repo, quick);
    println!("{}", report.meta_line());
    let messages = mail::count(quick);
    let mut runs = Vec::new();
    if let Some(peil) = baseline {
        let old = server::Paths { peil, repo: paths.repo.clone(), target: paths.target.clone() };
        println!("mail_tls: {messages} mails, login over plain SMTP, {}", old.peil.display());
        runs.push(mail_tls::run_workload(&old, messages, mail_tls::Relay::Login).await?);
    }
    for relay in [mail_tls::Relay::Login, mail_tls::Relay::StartTls] {
        println!("mail_tls: {messages} mails, {relay:?}, {}", paths.peil.display());
        runs.push(mail_tls::run_workload(&paths, messages, relay).await?);
    }
    report.add("mail_tls", runs.iter().map(mail_tls::MailTls::to_json).collect());
    report.write(&paths.target.join("bench-mail-tls.json"))?;
    println!("\n{}", mail_tls::table(&runs));
    let met = runs.last().map(mail_tls::MailTls::met);
    println!("- over STARTTLS, {} mails/s or more, none doubled: {}", mail_tls::AIM_PER_SECOND, verdict(met));
    Ok(())
}

/// Only the driver comparison: its table, and `target/bench-driver.json`.
async fn bench_driver() -> anyhow::Result<()> {
    let paths = server::Paths::find()?;
    let mut report = report::Report::new(&paths.repo, false);
    println!("{}", report.meta_line());
    let dir = std::env::temp_dir().join(format!("peil-bench-driver-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    sqlx::any::install_default_drivers();
    let admin = "postgres://postgres@127.0.0.1:5432/postgres";
    let postgres = <sqlx::AnyConnection as sqlx::Connection>::connect(admin).await.is_ok().then_some(admin);
    let cost = driver::run_workload(&dir, postgres).await;
    std::fs::remove_dir_all(&dir)?;
    let cost = cost?;
    report.add("driver", cost.to_json());
    report.write(&paths.target.join("bench-driver.json"))?;
    println!("\n{}", cost.table());
    Ok(())
}

/// Only the signup workload, with this build and, if given, a baseline binary: one table, and
/// `target/bench-signup.json`. PostgreSQL is left out with a note when it does not answer.
async fn bench_signup(asked: Option<&str>, baseline: Option<PathBuf>) -> anyhow::Result<()> {
    let postgres = postgres::server(asked)?;
    if let Err(reason) = &postgres {
        println!("postgres: skipped, {reason}");
    }
    let paths = server::Paths::find()?;
    let mut report = report::Report::new(&paths.repo, false);
    println!("{}", report.meta_line());
    let started = Instant::now();
    let old =
        baseline.map(|peil| server::Paths { repo: paths.repo.clone(), peil, target: paths.target.clone() });
    let mut binaries: Vec<(&str, &server::Paths)> = Vec::new();
    if let Some(old) = &old {
        binaries.push(("baseline", old));
    }
    binaries.push(("this build", &paths));
    let runs = signup::compare(&binaries, postgres.as_deref().ok()).await?;
    let json: Vec<serde_json::Value> = runs
        .iter()
        .map(|(label, target, s)| {
            let mut value = s.to_json();
            value["peil"] = label.as_str().into();
            value["backend"] = target.backend_name().into();
            value["instances"] = target.instances.into();
            value
        })
        .collect();
    report.add("signup", json.into());
    report.set_seconds(started.elapsed().as_secs_f64());
    report.write(&paths.target.join("bench-signup.json"))?;
    println!("\n{}\n\n{}", report.meta_line(), signup::compare_table(&runs));
    let right = runs.iter().all(|(_, _, s)| s.errors == 0 && s.seats_right());
    println!("- signup: exactly {} seats, no errors: {}", signup::SEATS, verdict(Some(right)));
    Ok(())
}

/// Only the PostgreSQL workloads: their tables, and `target/bench-postgres.json`. Without a
/// server to run on this fails, as it was asked for.
async fn bench_postgres(quick: bool, asked: Option<&str>) -> anyhow::Result<()> {
    let admin = postgres::server(asked)?.map_err(anyhow::Error::msg)?;
    let paths = server::Paths::find()?;
    let mut report = report::Report::new(&paths.repo, quick);
    println!("{}", report.meta_line());
    let started = Instant::now();
    let pg = postgres::run(&paths, quick, &admin).await?;
    report.add("postgres", pg.to_json());
    report.set_seconds(started.elapsed().as_secs_f64());
    let json = paths.target.join("bench-postgres.json");
    report.write(&json)?;
    let mut side = compare::Figures::default();
    side.postgres(&pg);
    println!("\n{}\n\n{}", report.meta_line(), side.tables());
    println!("- signup: exactly {} seats, no errors: {}", signup::SEATS, verdict(Some(pg.seats_right())));
    println!("took {:.0} s; written to {}", started.elapsed().as_secs_f64(), json.display());
    Ok(())
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "missed",
        None => "not measured",
    }
}
