//! The command line: `peil` (serve), `peil check`, `peil schedule`, `peil contacts import`,
//! `peil round ...`, `peil session ...` (in `session`), `peil user ...` and `peil audit` (in `user`).
//! Each command loads the settings, does one thing through the domain modules, and reports.

mod export;
mod session;
mod user;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::contacts::{self, Vocabulary};
use crate::forms::{self, Forms};
use crate::jobs;
use crate::rounds::{self, OpenRequest, RoundId};
use crate::settings::Settings;

#[derive(Parser)]
#[command(
    name = "peil",
    version,
    about = "Questionnaires, sign-ups and inventories for a regional GP organisation"
)]
pub struct Cli {
    /// Configuration file (default: peil.toml if present).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Run the web service (the default).
    Serve,
    /// Check every form and job file and report all problems; exits 1 if there are any.
    Check,
    /// List every job with its audience and its next three runs.
    Schedule {
        /// Show the runs after this Amsterdam time instead of now, e.g. 2027-10-30T12:00.
        #[arg(long, value_parser = parse_local_time)]
        from: Option<chrono::NaiveDateTime>,
    },
    /// Manage the contact list.
    #[command(subcommand)]
    Contacts(ContactsCommand),
    /// Open rounds and print their links.
    #[command(subcommand)]
    Round(RoundCommand),
    /// Show the mails per round and status, and the last failures with their reasons.
    Outbox,
    /// Start jobs by hand.
    #[command(subcommand)]
    Job(JobCommand),
    /// The sessions of sign-up rounds: list, add, change, cancel, attendance.
    #[command(subcommand)]
    Session(session::SessionCommand),
    /// Accounts of administrators and werkgroep members: add, new password link, list.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Export a closed round's responses as CSV or XLSX (threshold rules apply).
    Export(export::ExportArgs),
    /// Print the audit log (logins, accounts, views of results), newest first.
    Audit {
        /// How many rows.
        #[arg(long, default_value_t = 100)]
        limit: i64,
    },
    /// The secret key the database is used with.
    #[command(subcommand)]
    Key(KeyCommand),
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Make this configuration's secret key the database's key; links of earlier rounds stop working.
    Adopt,
}

#[derive(Subcommand)]
pub enum JobCommand {
    /// Open a job's rounds now and queue their invitations: how a one-off job is run.
    Start { job: String },
}

#[derive(Subcommand)]
pub enum ContactsCommand {
    /// Import a CSV export (name, e-mail, role, practice, wijk, gemeente); all rows or none.
    Import { file: PathBuf },
}

#[derive(Subcommand)]
pub enum RoundCommand {
    /// Open a round of a form for the matching contacts.
    Open {
        #[arg(long)]
        form: String,
        /// Invite only this role (repeatable).
        #[arg(long = "role")]
        roles: Vec<String>,
        /// Invite only this wijk (repeatable).
        #[arg(long = "wijk")]
        wijken: Vec<String>,
        /// Invite only this gemeente (repeatable).
        #[arg(long = "gemeente")]
        gemeenten: Vec<String>,
        /// Last day to answer, YYYY-MM-DD (default: settings.default_open_days from today).
        #[arg(long)]
        closes: Option<chrono::NaiveDate>,
        /// Keep the answers unlinkable to people, whatever the form says.
        #[arg(long)]
        anonymous: bool,
    },
    /// Print every invited person's personal link.
    Links { round: i64 },
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Check => Ok(check(&settings)),
        Command::Schedule { from } => Ok(schedule(&settings, from)),
        Command::Job(JobCommand::Start { job }) => start_job(&mut settings, &job).await,
        Command::Contacts(ContactsCommand::Import { file }) => {
            let forms = load_forms(&settings)?;
            let pool = crate::db::connect(&settings.database_url).await?;
            let vocabulary =
                Vocabulary { roles: forms.list_pairs("rollen"), wijken: forms.list_pairs("wijken") };
            match contacts::import_csv(&pool, &file, &vocabulary).await {
                Ok(summary) => {
                    println!("{}: {summary}", file.display());
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("{e}\nNothing was imported.");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Round(command) => {
            let forms = load_forms(&settings)?;
            let (pool, secret) = keyed(&mut settings).await?;
            round(command, &settings, &forms, &pool, &secret).await
        }
        Command::Key(KeyCommand::Adopt) => {
            let secret = settings.resolve_secret()?;
            let pool = crate::db::connect(&settings.database_url).await?;
            crate::keycheck::adopt(&pool, &secret).await?;
            println!(
                "this secret key is now the database's key; links of rounds opened before no longer work"
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Session(command) => {
            let pool = crate::db::connect(&settings.database_url).await?;
            session::run(command, &settings, &pool).await
        }
        Command::User(command) => {
            let pool = crate::db::connect(&settings.database_url).await?;
            user::run(command, &settings, &pool).await
        }
        Command::Export(args) => export::run(args, &settings).await,
        Command::Audit { limit } => {
            let pool = crate::db::connect(&settings.database_url).await?;
            user::audit(&pool, limit).await
        }
        Command::Outbox => {
            let pool = crate::db::connect(&settings.database_url).await?;
            print!("{}", crate::mail::report(&pool).await?);
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn round(
    command: RoundCommand,
    settings: &Settings,
    forms: &Forms,
    pool: &crate::db::Pool,
    secret: &crate::settings::Secret,
) -> anyhow::Result<ExitCode> {
    match command {
        RoundCommand::Open { form, roles, wijken, gemeenten, closes, anonymous } => {
            let days = chrono::Duration::days(i64::from(settings.default_open_days));
            let last_day = closes.unwrap_or_else(|| crate::time::today() + days);
            let request = OpenRequest {
                form_id: form,
                roles,
                wijken,
                gemeenten,
                closes_at: crate::time::end_of_day(last_day),
                anonymous,
                occurrence: None,
                signup: None,
            };
            match rounds::open(pool, forms, secret, &request).await {
                Ok(opened) => {
                    println!(
                        "round {} opened: {} invited, open until {}",
                        opened.round,
                        opened.invited,
                        crate::time::dutch(request.closes_at)
                    );
                    println!("{} invitation mails queued; `peil serve` sends them", opened.queued);
                    println!("print the links with: peil round links {}", opened.round);
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("{e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        RoundCommand::Links { round } => {
            match rounds::links(pool, secret, &settings.base_url, RoundId(round)).await {
                Ok(links) => {
                    for link in links {
                        println!("{}\t{}\t{}", link.name, link.email, link.url);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("{e}");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

fn load_forms(settings: &Settings) -> anyhow::Result<Forms> {
    forms::load(&settings.forms_dir).map_err(|e| anyhow::anyhow!("{e}"))
}

/// `peil check`: every problem on stderr, a one-line verdict on stdout.
pub fn check(settings: &Settings) -> ExitCode {
    match forms::load(&settings.forms_dir) {
        Ok(forms) => {
            let ids: Vec<String> = forms.iter().map(|f| f.id.to_string()).collect();
            println!("{} forms OK: {}", forms.len(), ids.join(", "));
            let Some(jobs) = load_jobs(settings, &forms) else { return ExitCode::FAILURE };
            let ids: Vec<&str> = jobs.jobs.iter().map(|j| j.id.as_str()).collect();
            match ids.len() {
                0 => println!("no jobs in {}", settings.jobs_dir.display()),
                n => println!("{n} jobs OK: {}", ids.join(", ")),
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}\nThe job files are checked once the forms pass.");
            ExitCode::FAILURE
        }
    }
}

/// The checked jobs, or `None` after printing their problems.
fn load_jobs(settings: &Settings, forms: &Forms) -> Option<jobs::Jobs> {
    jobs::load(&settings.jobs_dir, forms).inspect_err(|e| eprintln!("{e}")).ok()
}

/// `peil schedule`: what every job will do, and when.
fn schedule(settings: &Settings, from: Option<chrono::NaiveDateTime>) -> ExitCode {
    let forms = match forms::load(&settings.forms_dir) {
        Ok(forms) => forms,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let Some(jobs) = load_jobs(settings, &forms) else { return ExitCode::FAILURE };
    if jobs.jobs.is_empty() {
        println!("no jobs in {}", settings.jobs_dir.display());
    }
    let from = from.map_or_else(chrono::Utc::now, crate::time::from_amsterdam);
    print!("{}", jobs::listing::describe(&jobs, from));
    ExitCode::SUCCESS
}

fn parse_local_time(text: &str) -> Result<chrono::NaiveDateTime, String> {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .map_err(|e| format!("{e}; write YYYY-MM-DDTHH:MM, e.g. 2027-10-30T12:00"))
}

async fn serve(mut settings: Settings) -> anyhow::Result<ExitCode> {
    let forms = match forms::load(&settings.forms_dir) {
        Ok(forms) => forms,
        Err(e) => {
            eprintln!("{e}\npeil does not start with broken forms; fix them and run `peil check`.");
            return Ok(ExitCode::FAILURE);
        }
    };
    let jobs = match jobs::load(&settings.jobs_dir, &forms) {
        Ok(jobs) => Arc::new(jobs),
        Err(e) => {
            eprintln!("{e}\npeil does not start with broken job files; fix them and run `peil check`.");
            return Ok(ExitCode::FAILURE);
        }
    };
    for (what, dir) in [("templates", &settings.templates_dir), ("static files", &settings.static_dir)] {
        if !dir.is_dir() {
            eprintln!(
                "the {what} folder {} does not exist; run peil from its repository folder or set it in peil.toml",
                dir.display()
            );
            return Ok(ExitCode::FAILURE);
        }
    }
    let (pool, secret) = keyed(&mut settings).await?;
    if let Some(path) = crate::setup::first_start_link(&pool).await? {
        // The one place a token is logged on purpose: the operator needs it, it works once.
        tracing::warn!(
            "no accounts yet: set the first administrator's password at {}{path} (valid 24 hours)",
            settings.base_url.trim_end_matches('/')
        );
    }
    tracing::info!(
        forms = forms.len(),
        jobs = jobs.jobs.len(),
        address = %settings.address,
        port = settings.port,
        "peil starts"
    );
    // Job id -> the job's own mail texts, for the rounds that job opens.
    let mail_texts = Arc::new(jobs.jobs.iter().map(|j| (j.id.clone(), j.mail.clone())).collect());
    let writes = crate::db::WriteGate::for_url(&settings.database_url);
    let mailer =
        crate::mail::Mailer::new(pool.clone(), &settings, secret.clone(), crate::clock::system(), mail_texts)
            .context("setting up mail")?
            .share_writes(writes.clone());
    tracing::info!(transport = mailer.transport().describe(), "mail worker starts");
    let _mail_worker = mailer.spawn();
    let forms = Arc::new(forms);
    let scheduler = crate::schedule::Scheduler::new(
        pool.clone(),
        forms.clone(),
        jobs,
        secret.clone(),
        crate::clock::system(),
    );
    // Kept alive for as long as the service runs; its first tick catches up on missed work.
    let _heartbeat = Arc::new(scheduler).start().await;
    let app = crate::web::App { pool, forms, settings, secret, rounds: Default::default(), writes };
    crate::web::build(app).launch().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The database and the secret key, for commands that make or read personal links: refused when
/// the key is not the one the database is used with.
async fn keyed(settings: &mut Settings) -> anyhow::Result<(crate::db::Pool, crate::settings::Secret)> {
    let secret = settings.resolve_secret()?;
    let pool = crate::db::connect(&settings.database_url).await.context("opening the database")?;
    crate::keycheck::check(&pool, &secret).await?;
    Ok((pool, secret))
}

async fn start_job(settings: &mut Settings, job: &str) -> anyhow::Result<ExitCode> {
    let forms = Arc::new(load_forms(settings)?);
    let jobs = Arc::new(jobs::load(&settings.jobs_dir, &forms).map_err(|e| anyhow::anyhow!("{e}"))?);
    let (pool, secret) = keyed(settings).await?;
    let scheduler = crate::schedule::Scheduler::new(pool, forms, jobs, secret, crate::clock::system());
    match scheduler.start_job(job).await {
        Ok(rounds) if rounds.is_empty() => {
            println!("job {job}: its rounds for this moment are already open");
            Ok(ExitCode::SUCCESS)
        }
        Ok(rounds) => {
            let ids: Vec<String> = rounds.iter().map(ToString::to_string).collect();
            println!("job {job}: opened round(s) {}; invitations are queued", ids.join(", "));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("job {job}: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}
