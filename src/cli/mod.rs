//! The command line: `peil` (serve), `peil check`, `peil schedule`, `peil contacts import`,
//! `peil round ...`, `peil session ...` (in `session`), `peil user ...` (alias `peil accounts`),
//! `peil audit` (in `user`), `peil privacy register` (in `privacy`), `peil retention` (in
//! `retention`) and `peil person export|erase` (in `person`).
//! Each command loads the settings, does one thing through the domain modules, and reports.

mod estimate;
mod export;
mod output;
mod overview;
mod person;
mod privacy;
mod retention;
mod round;
mod session;
mod user;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::contacts::{self, Vocabulary};
use crate::forms::{self, Forms};
use crate::jobs;
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
    Round(round::RoundCommand),
    /// Show the mails per round and status, why mail waits (last error, next attempt), and the
    /// last failures with their reasons; `peil outbox retry` sends failed mail again. The page:
    /// /beheer/mail.
    Outbox {
        #[command(subcommand)]
        command: Option<OutboxCommand>,
    },
    /// Start jobs by hand.
    #[command(subcommand)]
    Job(JobCommand),
    /// The sessions of sign-up rounds: list, add, change, cancel, attendance.
    #[command(subcommand)]
    Session(session::SessionCommand),
    /// Accounts of administrators and werkgroep members: add, new password link, list, remove,
    /// change role. Also `peil accounts ...`.
    #[command(subcommand, visible_alias = "accounts")]
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
    /// What peil tells about personal data: the processing register's entries.
    #[command(subcommand)]
    Privacy(privacy::PrivacyCommand),
    /// Carry out the retention terms now (links, drafts, identified responses, seats, mail,
    /// audit entries past their term), with counts per category and per form. The service does
    /// this once a day by itself.
    Retention {
        /// Only say what would go; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// A person's request: export everything peil holds about an address, or erase it.
    #[command(subcommand)]
    Person(person::PersonCommand),
}

#[derive(Subcommand)]
pub enum KeyCommand {
    /// Make this configuration's secret key the database's key; links of earlier rounds stop working.
    Adopt,
}

#[derive(Subcommand)]
pub enum OutboxCommand {
    /// Put a failed mail back in the queue, or with --round every failed mail of a round; the
    /// running service sends it at once.
    Retry {
        /// The mail's number, as `peil outbox` and /beheer/mail show it.
        #[arg(required_unless_present = "round", conflicts_with = "round")]
        mail: Option<i64>,
        /// Every failed mail of this round.
        #[arg(long)]
        round: Option<i64>,
    },
}

#[derive(Subcommand)]
pub enum JobCommand {
    /// Open a job's rounds now and queue their invitations: how a one-off job is run.
    Start { job: String },
}

#[derive(Subcommand)]
pub enum ContactsCommand {
    /// Import a CSV export (name, e-mail, role, practice, wijk, gemeente); all rows or none.
    Import {
        file: PathBuf,
        /// Only check the file and say what importing it would do; write nothing.
        #[arg(long)]
        check: bool,
    },
    /// Write a contact's year overview (every attended session, with hours) as a PDF.
    Overview {
        /// The contact's e-mail address.
        email: String,
        /// The calendar year.
        #[arg(long)]
        year: i32,
        /// Where to write it; `jaaroverzicht-<year>.pdf` by default.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Runs the command; one whose reader closed stdout early ends successfully, without a message.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match command(cli).await {
        Err(e) if output::closed(&e) => Ok(ExitCode::SUCCESS),
        other => other,
    }
}

async fn command(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Check => Ok(check(&settings)),
        Command::Schedule { from } => schedule(&settings, from).await,
        Command::Job(JobCommand::Start { job }) => start_job(&mut settings, &job).await,
        Command::Contacts(ContactsCommand::Import { file, check }) => {
            let forms = load_forms(&settings)?;
            // The key of the list of erased addresses, which an import skips.
            let (db, secret) = keyed(&mut settings).await?;
            let vocabulary =
                Vocabulary { roles: forms.list_pairs("rollen"), wijken: forms.list_pairs("wijken") };
            if check {
                return check_contacts(&db, &file, &vocabulary, &secret).await;
            }
            match contacts::import_csv(&db, &file, &vocabulary, &secret, now()).await {
                Ok(summary) => {
                    println!("{}: {summary}", file.display());
                    if summary.opted_out > 0 {
                        println!("{} of them opted out and stay opted out", summary.opted_out);
                    }
                    if summary.suppressed > 0 {
                        println!("{} adres(sen) overgeslagen: gewist op verzoek", summary.suppressed);
                    }
                    Ok(ExitCode::SUCCESS)
                }
                Err(e) => {
                    eprintln!("{e}\nNothing was imported.");
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Contacts(ContactsCommand::Overview { email, year, out }) => {
            let db = crate::db::Db::connect(&settings.database_url).await?;
            overview::write(&db, &settings, &email, year, out).await
        }
        Command::Round(command) => {
            let forms = load_forms(&settings)?;
            let (db, secret) = keyed(&mut settings).await?;
            round::run(command, &settings, &forms, &db, &secret).await
        }
        Command::Key(KeyCommand::Adopt) => {
            let secret = settings.resolve_secret()?;
            let db = crate::db::Db::connect(&settings.database_url).await?;
            crate::db::keycheck::adopt(&db, &secret, now()).await?;
            println!(
                "this secret key is now the database's key; links of rounds opened before no longer work"
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Session(command) => {
            // Enrolling may invite: a personal link needs the database's own secret key.
            if command.invites() {
                let (db, secret) = keyed(&mut settings).await?;
                return session::run(command, &settings, &db, Some(&secret)).await;
            }
            let db = crate::db::Db::connect(&settings.database_url).await?;
            session::run(command, &settings, &db, None).await
        }
        Command::User(command) => {
            let db = crate::db::Db::connect(&settings.database_url).await?;
            user::run(command, &settings, &db).await
        }
        Command::Export(args) => export::run(args, &mut settings).await,
        Command::Privacy(command) => privacy::run(command, &settings),
        Command::Retention { dry_run } => retention::run(&settings, dry_run).await,
        Command::Person(command) => {
            // Drafts are sealed and erased addresses listed under the database's own key.
            let (db, secret) = keyed(&mut settings).await?;
            person::run(command, &db, &secret, &settings.data_dir.join("outbox")).await
        }
        Command::Audit { limit } => {
            let db = crate::db::Db::connect(&settings.database_url).await?;
            user::audit(db.read(), limit).await
        }
        Command::Outbox { command } => {
            let db = crate::db::Db::connect(&settings.database_url).await?;
            match command {
                None => {
                    output::print(&crate::mail::report(db.read()).await?.to_string())?;
                    Ok(ExitCode::SUCCESS)
                }
                Some(OutboxCommand::Retry { mail, round }) => retry_mail(&db, mail, round).await,
            }
        }
    }
}

/// `peil contacts import --check`: the preview of the import page, as text.
async fn check_contacts(
    db: &crate::db::Db,
    file: &Path,
    vocabulary: &Vocabulary,
    secret: &crate::settings::Secret,
) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("could not read {}", file.display()))?;
    let preview =
        contacts::preview(db.read(), &file.display().to_string(), &bytes, vocabulary, secret).await?;
    if !preview.problems.is_empty() {
        for problem in &preview.problems {
            eprintln!("{problem}");
        }
        eprintln!("Nothing would be imported.");
        return Ok(ExitCode::FAILURE);
    }
    let contacts::Counts { new, changed, unchanged, opted_out, suppressed } = preview.counts;
    println!(
        "{}: would add {new}, update {changed}, leave {unchanged} unchanged; {opted_out} of them opted out",
        file.display()
    );
    if suppressed > 0 {
        println!("{suppressed} adres(sen) overgeslagen: gewist op verzoek");
    }
    Ok(ExitCode::SUCCESS)
}

/// `peil outbox retry`: one failed mail, or a round's, back in the queue (audited).
async fn retry_mail(db: &crate::db::Db, mail: Option<i64>, round: Option<i64>) -> anyhow::Result<ExitCode> {
    use crate::outbox::{self, OutboxError, OutboxId};
    match (mail, round) {
        (_, Some(round)) => {
            let again = outbox::retry_round(db, crate::rounds::RoundId(round), None, now()).await?;
            println!("round {round}: {again} failed mail(s) queued again");
            Ok(if again == 0 { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        (Some(mail), None) => match outbox::retry(db, OutboxId(mail), None, now()).await {
            Ok(()) => {
                println!("mail {mail} queued again");
                Ok(ExitCode::SUCCESS)
            }
            Err(e @ (OutboxError::Unknown(_) | OutboxError::NotFailed(..))) => {
                eprintln!("{e}");
                Ok(ExitCode::FAILURE)
            }
            Err(e) => Err(e.into()),
        },
        (None, None) => Ok(ExitCode::FAILURE),
    }
}

/// A command runs at the system clock's now.
pub(super) fn now() -> chrono::DateTime<chrono::Utc> {
    crate::time::clock::system().now()
}

fn load_forms(settings: &Settings) -> anyhow::Result<Forms> {
    forms::load(&settings.forms_dir).map_err(|e| anyhow::anyhow!("{e}"))
}

/// `peil check`: every problem on stderr, a one-line verdict per kind of file on stdout. The
/// jobs are checked against the forms that pass, so one run shows the problems of both.
pub fn check(settings: &Settings) -> ExitCode {
    let checked = match forms::check(&settings.forms_dir) {
        Ok(checked) => checked,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let forms_pass = checked.problems.is_empty();
    // Warnings do not fail the check: the forms work, but may not do what was meant.
    for warning in &checked.forms.warnings {
        eprintln!("{warning}");
    }
    if forms_pass {
        let ids: Vec<String> = checked.forms.iter().map(|f| f.id.to_string()).collect();
        println!("{} forms OK: {}", checked.forms.len(), ids.join(", "));
    } else {
        eprintln!("{}", forms::FormsError::Invalid(checked.problems));
    }
    let Some(jobs) = load_jobs(settings, &checked.forms) else { return ExitCode::FAILURE };
    let short = crate::retention::declared::short_defaults(&settings.retention, &jobs);
    short.iter().for_each(|problem| eprintln!("{problem}"));
    let ids: Vec<&str> = jobs.jobs.iter().map(|j| j.id.as_str()).collect();
    match ids.len() {
        0 => println!("no jobs in {}", settings.jobs_dir.display()),
        n => println!("{n} jobs OK: {}", ids.join(", ")),
    }
    let relay = check_relay(settings);
    if forms_pass && short.is_empty() && relay { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}

/// `smtp_url` and `smtp_ca_file`, read as `peil serve` reads them at start-up. Without a relay
/// there is nothing to check: mails become `.eml` files.
fn check_relay(settings: &Settings) -> bool {
    let Some(url) = &settings.smtp_url else { return true };
    let checked = crate::mail::Trust::load(settings.smtp_ca_file.as_deref())
        .and_then(|trust| crate::mail::Transport::smtp(url.expose(), &trust, 1));
    match checked {
        Ok(transport) => {
            println!("mail: {}", transport.describe());
            true
        }
        Err(e) => {
            eprintln!("{e}");
            false
        }
    }
}

/// The checked jobs, or `None` after printing their problems.
fn load_jobs(settings: &Settings, forms: &Forms) -> Option<jobs::Jobs> {
    let (jobs, warnings) =
        jobs::load_warned(&settings.jobs_dir, forms).inspect_err(|e| eprintln!("{e}")).ok()?;
    warnings.iter().for_each(|w| eprintln!("{w}"));
    Some(jobs)
}

/// `peil schedule`: what every job will do, and when.
async fn schedule(settings: &Settings, from: Option<chrono::NaiveDateTime>) -> anyhow::Result<ExitCode> {
    let forms = match forms::load(&settings.forms_dir) {
        Ok(forms) => forms,
        Err(e) => {
            eprintln!("{e}");
            return Ok(ExitCode::FAILURE);
        }
    };
    let Some(jobs) = load_jobs(settings, &forms) else { return Ok(ExitCode::FAILURE) };
    if jobs.jobs.is_empty() {
        println!("no jobs in {}", settings.jobs_dir.display());
    }
    let from = from.map_or_else(now, crate::time::from_amsterdam);
    let extra: Vec<(String, &str, String)> = estimate::per_wijk(settings, &jobs, &forms)
        .await
        .into_iter()
        .map(|(id, line)| (id, "per wijk", line))
        .collect();
    output::print(&jobs::listing::describe_with(&jobs, from, &extra))?;
    Ok(ExitCode::SUCCESS)
}

fn parse_local_time(text: &str) -> Result<chrono::NaiveDateTime, String> {
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .map_err(|e| format!("{e}; write YYYY-MM-DDTHH:MM, e.g. 2027-10-30T12:00"))
}

async fn serve(settings: Settings) -> anyhow::Result<ExitCode> {
    let service =
        match crate::app::build(settings, crate::time::clock::system(), crate::app::Workers::OnLiftoff).await
        {
            Ok(service) => service,
            Err(e) => {
                eprintln!("{e}");
                return Ok(ExitCode::FAILURE);
            }
        };
    let settings = &service.settings;
    tracing::info!(
        forms = service.forms.len(),
        jobs = service.jobs.jobs.len(),
        address = %settings.address,
        port = settings.port,
        "peil starts"
    );
    service.rocket.launch().await.map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(ExitCode::SUCCESS)
}

/// The database and the secret key, for commands that make or read personal links: refused when
/// the key is not the one the database is used with.
pub(super) async fn keyed(
    settings: &mut Settings,
) -> anyhow::Result<(crate::db::Db, crate::settings::Secret)> {
    let secret = settings.resolve_secret()?;
    let db = crate::db::Db::connect(&settings.database_url).await.context("opening the database")?;
    crate::db::keycheck::check(&db, &secret, now()).await?;
    Ok((db, secret))
}

async fn start_job(settings: &mut Settings, job: &str) -> anyhow::Result<ExitCode> {
    let forms = Arc::new(load_forms(settings)?);
    let jobs = Arc::new(jobs::load(&settings.jobs_dir, &forms).map_err(|e| anyhow::anyhow!("{e}"))?);
    let (db, secret) = keyed(settings).await?;
    let scheduler = crate::schedule::Scheduler::new(db, forms, jobs, secret, crate::time::clock::system());
    // Said before it happens: which of the schedule's rounds this start takes the place of.
    if let Some(plan) = scheduler.plan_start(job) {
        println!("job {job}: {}", plan.explain());
    }
    match scheduler.start_job(job).await {
        Ok(rounds) if rounds.is_empty() => {
            println!("job {job}: the round(s) this start counts as are already open; nothing was opened");
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
