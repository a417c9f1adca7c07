//! `peil round ...`: open a round, print its links, and what `/beheer/rondes` does from the
//! browser: list, close, extend, invite late contacts, remind now. Each calls the same function
//! in `rounds` as the page does, with the command line as the audit row's actor.

use std::process::ExitCode;

use clap::Subcommand;

use super::{now, output};
use crate::audit::{Actor, AuditAction, Entry, round_subject};
use crate::forms::Forms;
use crate::rounds::{self, LateInvitation, OpenRequest, RoundId, RoundsError};
use crate::settings::{Secret, Settings};

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
    /// Print every invited person's personal link (written to the audit log).
    Links { round: i64 },
    /// List every round: form, job, audience, dates, state, response and mail.
    List,
    /// Close a round now: its links take no more answers, its waiting mails are not sent.
    Close { round: i64 },
    /// Move a round's close later.
    Extend {
        round: i64,
        /// New close, Amsterdam time: YYYY-MM-DD (the end of that day) or YYYY-MM-DDTHH:MM.
        #[arg(long, value_parser = parse_closes)]
        closes: chrono::DateTime<chrono::Utc>,
    },
    /// Invite the contacts the round's audience reaches now but who have no invitation yet (added
    /// after it opened), or only the contacts with these addresses; their mails are queued.
    Invite {
        round: i64,
        /// Invite only this contact (repeatable).
        #[arg(long = "email")]
        emails: Vec<String>,
    },
    /// Queue a reminder now for everyone in the round who has not answered.
    Remind { round: i64 },
}

/// A close as typed: a date alone is the end of that day (as `round open --closes`), a date
/// and time that moment, both in Amsterdam time.
fn parse_closes(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(crate::time::end_of_day(day));
    }
    chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .map(crate::time::from_amsterdam)
        .map_err(|e| format!("{e}; write YYYY-MM-DD or YYYY-MM-DDTHH:MM, e.g. 2027-10-30T12:00"))
}

pub(super) async fn run(
    command: RoundCommand,
    settings: &Settings,
    forms: &Forms,
    db: &crate::db::Db,
    secret: &Secret,
) -> anyhow::Result<ExitCode> {
    let now = now();
    let done = match command {
        RoundCommand::Open { form, roles, wijken, gemeenten, closes, anonymous } => {
            let days = chrono::Duration::days(i64::from(settings.default_open_days));
            let last_day = closes.unwrap_or_else(|| crate::time::amsterdam_date(now) + days);
            let request = OpenRequest {
                form_id: form,
                roles,
                wijken,
                gemeenten,
                practices: vec![],
                closes_at: crate::time::end_of_day(last_day),
                anonymous,
                occurrence: None,
            };
            rounds::open_by_hand(db, forms, secret, &request, now, None).await.map(|opened| {
                println!(
                    "round {} opened: {} invited, open until {}",
                    opened.round,
                    opened.invited,
                    crate::time::dutch(request.closes_at)
                );
                println!("{} invitation mails queued; `peil serve` sends them", opened.queued);
                println!("print the links with: peil round links {}", opened.round);
            })
        }
        RoundCommand::Links { round } => {
            let round = RoundId(round);
            match rounds::links(db.read(), secret, &settings.base_url, round).await {
                Ok(links) => {
                    let detail = format!("ronde {round}: {} persoonlijke links", links.len());
                    let actor = Actor::cli();
                    let subject = round_subject(round, links.len());
                    let entry = Entry::new(AuditAction::LinksViewed, &actor, now).about(subject);
                    entry.detail(detail).log(db).await?;
                    output::print_lines(links.iter().map(|l| format!("{}\t{}\t{}", l.name, l.email, l.url)))?;
                    Ok(())
                }
                Err(e) => Err(e),
            }
        }
        RoundCommand::List => {
            let list = rounds::list(db.read()).await?;
            output::print_lines(list.iter().map(|r| line(r, now)))?;
            Ok(())
        }
        RoundCommand::Close { round } => rounds::close(db, RoundId(round), now, None).await.map(|closed| {
            println!(
                "round {round} closed: its links take no more answers; {} waiting mails will not be sent",
                closed.cancelled_mails
            );
        }),
        RoundCommand::Extend { round, closes } => {
            rounds::extend(db, RoundId(round), closes, now, None).await.map(|()| {
                println!("round {round} is open until {}", crate::time::dutch(closes));
            })
        }
        RoundCommand::Invite { round, emails } => {
            let who =
                if emails.is_empty() { LateInvitation::Audience } else { LateInvitation::Addresses(&emails) };
            rounds::invite_late(db, secret, RoundId(round), who, now, None).await.map(|n| match n {
                0 => println!("round {round}: nobody to invite; everyone it reaches has an invitation"),
                n => println!("round {round}: {n} invited; their invitation mails are queued"),
            })
        }
        RoundCommand::Remind { round } => rounds::remind_now(db, RoundId(round), now, None).await.map(|n| {
            println!("round {round}: {n} reminders queued");
        }),
    };
    match done {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(RoundsError::Db(e)) => Err(e.into()),
        Err(e) => {
            eprintln!("{e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// One round of `peil round list`, tab-separated.
fn line(r: &rounds::RoundSummary, now: chrono::DateTime<chrono::Utc>) -> String {
    let by = match (&r.job_id, r.part.as_str()) {
        (Some(job), "") => format!("job {job}"),
        (Some(job), part) => format!("job {job} ({part})"),
        (None, _) => "by hand".to_owned(),
    };
    let response = r.response_percent().map_or_else(|| "-".to_owned(), |p| format!("{p}%"));
    format!(
        "{}\t{}\t{by}\t{}\t{} – {}\t{}\tinvited {}, answered {} ({response})\tmail pending {}, failed {}",
        r.id,
        r.form_id,
        r.audience,
        crate::time::dutch(r.opens_at),
        crate::time::dutch(r.closes_at),
        r.state(now).label(),
        r.invited,
        r.answered,
        r.pending,
        r.failed,
    )
}
