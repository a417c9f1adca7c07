//! `peil-bench`: measures the release build of peil as people use it. Five workloads: respond
//! (the real `peil serve` answering personal links), floor (a bare Rocket + SQLite server under
//! the same load, to see what share of the cost is peil's own), lean (memory, start-up, check
//! time, binary size), mail (a round's invitation mails from the outbox to a local SMTP sink)
//! and signup (500 people racing for 40 seats within a second). Prints Markdown tables and
//! writes `target/bench.json`.
//!
//! Run with `cargo run --release --bin peil-bench` (add `-- --quick` for a run under two minutes).

mod client;
mod db;
mod driver;
mod floor;
mod lean;
mod load;
mod mail;
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

#[derive(Parser)]
#[command(name = "peil-bench", about = "Benchmarks the release build of peil")]
struct Args {
    /// Fewer responses per level: the whole run takes under two minutes.
    #[arg(long)]
    quick: bool,
    /// Run only the results workload (the results page over 10,000 and 100,000 responses).
    #[arg(long)]
    only_results: bool,
    /// Run only the driver comparison: sqlx's Any driver against the native one, on SQLite and
    /// (when it answers at the local default) PostgreSQL.
    #[arg(long)]
    only_driver: bool,
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
                if args.only_driver {
                    bench_driver().await
                } else if args.only_results {
                    bench_results(args.quick).await
                } else {
                    bench(args.quick).await
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

async fn bench(quick: bool) -> anyhow::Result<()> {
    let started = Instant::now();
    let paths = server::Paths::find()?;
    let plan = load::plan(quick);
    let mut report = report::Report::new(&paths.repo, quick);
    println!("peil-bench{}: {}", if quick { " --quick" } else { "" }, paths.peil.display());
    println!("{}", report.meta_line());

    println!("respond: peil serve, SQLite, GET + POST of a 10-question page per response");
    let respond = respond::run_workload(&paths, &plan).await?;
    println!("floor: Rocket + one INSERT per POST, same load");
    let mut floor = floor::run_workload(&plan).await?;
    floor.compare(&respond.levels);
    println!("lean: start-up and check with 100 forms");
    let lean = lean::run_workload(&paths, (respond.idle_rss_mib, respond.peak_rss_mib)).await?;
    let messages = mail::count(quick);
    println!("mail: {messages} invitation mails from the outbox over SMTP to a local sink");
    let mail = mail::run_workload(&paths, messages).await?;
    println!(
        "signup: {} people sign up for one session of {} seats within one second",
        signup::PEOPLE,
        signup::SEATS
    );
    let signup = signup::run_workload(&paths).await?;
    println!("results: a round's results page, 20 questions, over 10,000 and 100,000 responses");
    let results = results::run_workload(&paths, quick).await?;

    report.add("respond", respond.to_json());
    report.add("floor", floor.to_json());
    report.add("lean", lean.to_json());
    report.add("mail", mail.to_json());
    report.add("signup", signup.to_json());
    report.add("results", results.to_json());
    let seconds = started.elapsed().as_secs_f64();
    report.set_seconds(seconds);
    let json = paths.target.join("bench.json");
    report.write(&json)?;

    println!("\n{}\n\n{}", report.meta_line(), report::tables(&respond, &floor, &lean, &mail, &signup));
    println!("results page:\n\n{}", results.table());
    println!("targets:\n{}", report::targets(&respond, &floor, &lean, &mail, &signup));
    println!("- results page under 100 ms at 10,000 responses: {}", verdict(results.target_met()));
    println!("took {seconds:.0} s; written to {}", json.display());
    Ok(())
}

/// Only the results workload: its table, and `target/bench-results.json`.
async fn bench_results(quick: bool) -> anyhow::Result<()> {
    let paths = server::Paths::find()?;
    let mut report = report::Report::new(&paths.repo, quick);
    println!("{}", report.meta_line());
    let results = results::run_workload(&paths, quick).await?;
    report.add("results", results.to_json());
    report.write(&paths.target.join("bench-results.json"))?;
    println!("\n{}", results.table());
    println!("- results page under 100 ms at 10,000 responses: {}", verdict(results.target_met()));
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

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "missed",
        None => "not measured",
    }
}
