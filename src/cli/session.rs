//! `peil session ...`: a coordinator's hold on the sessions of a sign-up round: list, add,
//! change, cancel, the attendance list, and recording who came. Parsing and printing live here;
//! the rules and the work are `crate::signup`'s (`planning` for adding and changing). What
//! coordinators read is Dutch.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};

mod people;

use crate::audit::{Actor, AuditAction, Entry, session_subject};
use crate::db::{Db, Pool};
use crate::rounds::{self, RoundId};
use crate::settings::{Secret, Settings};
use crate::signup::planning::{self, MOST_SEATS, SessionEdit, SessionPlan};
use crate::signup::{SeatId, Session, SessionId, attendance, sessions};
use crate::spreadsheet;
use crate::time::{SpanError, TimeSpan as Span};

#[derive(Subcommand)]
pub enum SessionCommand {
    /// List a round's sessions with their seats and waiting lists.
    List { round: i64 },
    /// Add a session to an open sign-up round.
    Add(AddArgs),
    /// Change a session; people with a seat hear of a new time or place.
    Change(ChangeArgs),
    /// Cancel a session; everyone with a seat or on its waiting list is told.
    Cancel { session: i64 },
    /// Move a person's seat (or waiting place) to another session of the round; both are told.
    Move {
        seat: i64,
        /// The session to move to.
        #[arg(long)]
        to: i64,
    },
    /// Enrol a contact by e-mail address: a seat, or a waiting place when the session is full.
    Enrol { session: i64, email: String },
    /// Mail everyone with a seat in a session (and, with --waiting, its waiting list).
    Mail {
        session: i64,
        #[arg(long)]
        subject: String,
        /// The message; paragraphs separated by an empty line.
        #[arg(long)]
        text: String,
        #[arg(long)]
        waiting: bool,
    },
    /// The attendance list (presentielijst) of a session, for accreditation.
    Attendance {
        session: i64,
        /// csv (the default, or xlsx when --output ends in .xlsx) or xlsx.
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Write to this file instead of stdout (required for xlsx).
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Record who attended, by the e-mail address of their confirmed seat; all or nothing.
    Attended {
        session: i64,
        #[arg(required = true)]
        emails: Vec<String>,
        /// Record them as absent instead.
        #[arg(long)]
        absent: bool,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Xlsx,
}

#[derive(Args)]
#[command(group(ArgGroup::new("where").required(true).multiple(true).args(["place", "online"])))]
pub struct AddArgs {
    round: i64,
    #[arg(long)]
    title: String,
    /// The day, e.g. 2027-03-09.
    #[arg(long, value_parser = parse_date)]
    date: NaiveDate,
    /// Start and end, Amsterdam time, e.g. 13:30-15:30.
    #[arg(long, value_parser = parse_span)]
    time: Span,
    #[arg(long)]
    place: Option<String>,
    /// The link of an online session.
    #[arg(long, value_parser = parse_url)]
    online: Option<String>,
    #[arg(long)]
    leader: Option<String>,
    /// The accreditation activity id (GAIA), printed on the attendance list.
    #[arg(long)]
    activity: Option<String>,
    /// The number of seats.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(MOST_SEATS)))]
    capacity: u32,
}

#[derive(Args)]
pub struct ChangeArgs {
    session: i64,
    #[arg(long)]
    title: Option<String>,
    /// A new day, e.g. 2027-03-16; the times stay unless --time is given.
    #[arg(long, value_parser = parse_date)]
    date: Option<NaiveDate>,
    /// New start and end, e.g. 14:00-16:00.
    #[arg(long, value_parser = parse_span)]
    time: Option<Span>,
    /// A new place; "" removes it.
    #[arg(long)]
    place: Option<String>,
    /// A new online link; "" removes it.
    #[arg(long, value_parser = parse_url)]
    online: Option<String>,
    #[arg(long)]
    leader: Option<String>,
    /// The number of seats; more seats move people up from the waiting list.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(MOST_SEATS)))]
    capacity: Option<u32>,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("\"{text}\" is not a date; write it as 2027-03-09"))
}

/// "13:30-15:30" by `time::TimeSpan`'s rule.
fn parse_span(text: &str) -> Result<Span, String> {
    Span::parse(text).map_err(|e| match e {
        SpanError::EndsBeforeStart => format!("\"{text}\" ends before it starts"),
        SpanError::NotASpan => format!("\"{text}\" is not a time span; write it as 13:30-15:30"),
    })
}

/// An online link people can click; empty removes one.
fn parse_url(text: &str) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text.starts_with("https://") || text.starts_with("http://") {
        Ok(text.to_string())
    } else {
        Err(format!("\"{text}\" is not a link; write it as https://..."))
    }
}

impl SessionCommand {
    /// Whether the command may make an invitation, and so needs the secret key.
    pub fn invites(&self) -> bool {
        matches!(self, SessionCommand::Enrol { .. })
    }
}

pub async fn run(
    command: SessionCommand,
    settings: &Settings,
    db: &Db,
    secret: Option<&Secret>,
) -> anyhow::Result<ExitCode> {
    let outcome = match command {
        SessionCommand::List { round } => list(db.read(), RoundId(round)).await,
        SessionCommand::Add(args) => add(db, args).await,
        SessionCommand::Change(args) => change(db, args).await,
        SessionCommand::Cancel { session } => cancel(db, SessionId(session)).await,
        SessionCommand::Move { seat, to } => people::move_seat(db, SeatId(seat), SessionId(to)).await,
        SessionCommand::Enrol { session, email } => {
            let secret = secret.ok_or_else(|| anyhow::anyhow!("enrolling needs the secret key"));
            match secret {
                Ok(secret) => people::enrol(db, secret, SessionId(session), &email).await,
                Err(e) => Err(e),
            }
        }
        SessionCommand::Mail { session, subject, text, waiting } => {
            people::mail(db, SessionId(session), &subject, &text, waiting).await
        }
        SessionCommand::Attendance { session, format, output } => {
            attendance(settings, db, SessionId(session), format, output.as_deref()).await
        }
        SessionCommand::Attended { session, emails, absent } => {
            attended(db, SessionId(session), &emails, !absent).await
        }
    };
    match outcome {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if super::output::closed(&e) => Err(e),
        Err(e) => {
            eprintln!("{e:#}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// "1 persoon", "3 personen".
fn people(n: u32) -> String {
    if n == 1 { "1 persoon".to_string() } else { format!("{n} personen") }
}

/// Where a session takes place, as one line.
fn place(session: &Session) -> String {
    match (session.place.as_str(), session.online_url.as_str()) {
        (place, "") => place.to_string(),
        ("", url) => format!("online: {url}"),
        (place, url) => format!("{place} en online: {url}"),
    }
}

/// "bijeenkomst 3 (s1, Intervisiegroep West)".
fn name(session: &Session) -> String {
    format!("bijeenkomst {} ({}, {})", session.id, session.code, session.title)
}

async fn list(pool: &Pool, round: RoundId) -> anyhow::Result<()> {
    rounds::load(pool, round).await?;
    let sessions = sessions::of_round(pool, round).await?;
    if sessions.is_empty() {
        println!("ronde {round} heeft geen bijeenkomsten");
        return Ok(());
    }
    let header = ["id", "code", "titel", "wanneer", "plaats", "bezet", "wachtlijst", ""].map(String::from);
    let rows = sessions.iter().map(|s| {
        [
            s.id.to_string(),
            s.code.clone(),
            s.title.clone(),
            s.when(),
            place(s),
            format!("{}/{}", s.taken, s.capacity),
            s.waiting.to_string(),
            if s.cancelled { "geannuleerd".to_string() } else { String::new() },
        ]
    });
    super::output::print(&table(std::iter::once(header).chain(rows).collect()))
}

/// Left-aligned columns two spaces apart, without trailing spaces.
fn table<const N: usize>(rows: Vec<[String; N]>) -> String {
    let mut widths = [0; N];
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for row in &rows {
        let mut line = String::new();
        for (cell, width) in row.iter().zip(widths) {
            line.push_str(&format!("{cell:<width$}  "));
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

async fn add(db: &Db, args: AddArgs) -> anyhow::Result<()> {
    let round = RoundId(args.round);
    let plan = SessionPlan {
        title: args.title,
        date: args.date,
        span: args.time,
        place: args.place.unwrap_or_default(),
        online_url: args.online.unwrap_or_default(),
        leader: args.leader.unwrap_or_default(),
        activity_id: args.activity.unwrap_or_default(),
        capacity: args.capacity,
    };
    let session = planning::add_session(db, round, &plan, super::now(), None).await?;
    println!("{} toegevoegd aan ronde {round}", name(&session));
    println!("  {}, {}, {} plaatsen", session.when(), place(&session), session.capacity);
    Ok(())
}

async fn change(db: &Db, args: ChangeArgs) -> anyhow::Result<()> {
    let edit = SessionEdit {
        title: args.title,
        date: args.date,
        span: args.time,
        place: args.place,
        online_url: args.online,
        leader: args.leader,
        capacity: args.capacity,
    };
    let (before, after) =
        planning::change_session(db, SessionId(args.session), &edit, super::now(), None).await?;
    let changes = differences(&before, &after);
    if changes.is_empty() {
        println!("{}: niets gewijzigd, alles was al zo", name(&after));
        return Ok(());
    }
    println!("{} gewijzigd:", name(&after));
    for line in &changes {
        println!("  {line}");
    }
    // Read around the change rather than inside it: exact unless someone signed up or cancelled
    // in the same instant, which a coordinator's command can live with.
    if after.revision > before.revision {
        println!(
            "{} (aangemeld of op de wachtlijst) krijgen bericht met de nieuwe gegevens",
            people(before.taken + before.waiting)
        );
    }
    let moved_up = after.taken.saturating_sub(before.taken).min(before.waiting);
    if moved_up > 0 {
        println!("{} van de wachtlijst naar een plaats; zij krijgen bericht", people(moved_up));
    }
    Ok(())
}

/// "titel: oud → nieuw" for every field that differs.
fn differences(before: &Session, after: &Session) -> Vec<String> {
    let fields = [
        ("titel", before.title.clone(), after.title.clone()),
        ("wanneer", before.when(), after.when()),
        ("plaats", before.place.clone(), after.place.clone()),
        ("online", before.online_url.clone(), after.online_url.clone()),
        ("gespreksleider", before.leader.clone(), after.leader.clone()),
        ("plaatsen", before.capacity.to_string(), after.capacity.to_string()),
    ];
    let shown = |value: String| if value.is_empty() { "(geen)".to_string() } else { value };
    fields
        .into_iter()
        .filter(|(_, old, new)| old != new)
        .map(|(field, old, new)| format!("{field}: {} \u{2192} {}", shown(old), shown(new)))
        .collect()
}

async fn cancel(db: &Db, id: SessionId) -> anyhow::Result<()> {
    let session = sessions::get(db.read(), id).await?;
    let told = sessions::cancel(db, id, super::now(), None).await?;
    println!("{} op {} geannuleerd", name(&session), session.when());
    println!("{} (aangemeld of op de wachtlijst) krijgen bericht", people(told));
    Ok(())
}

async fn attendance(
    settings: &Settings,
    db: &Db,
    id: SessionId,
    format: Option<Format>,
    output: Option<&Path>,
) -> anyhow::Result<()> {
    let xlsx_name = output.is_some_and(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("xlsx")));
    let format = format.unwrap_or(if xlsx_name { Format::Xlsx } else { Format::Csv });
    if format == Format::Xlsx && output.is_none() {
        anyhow::bail!("an XLSX file is not written to the terminal; add --output FILE.xlsx");
    }
    // The role names people read; without readable forms the codes do.
    let roles = crate::forms::load(&settings.forms_dir).map(|f| f.list_pairs("rollen")).unwrap_or_default();
    let sheet = attendance::list(db.read(), id, &roles).await?;
    let (bytes, extension) = match format {
        Format::Csv => (spreadsheet::csv(&sheet), "CSV"),
        Format::Xlsx => (spreadsheet::xlsx(&sheet)?, "XLSX"),
    };
    // Written before the list leaves, as the page's downloads are.
    let actor = Actor::cli();
    let entry = Entry::new(AuditAction::Exported, &actor, super::now());
    let entry = entry.about(session_subject(id, sheet.rows.len()));
    entry.detail(format!("presentielijst van bijeenkomst {id} ({extension})")).log(db).await?;
    let Some(path) = output else {
        std::io::stdout().lock().write_all(&bytes)?;
        return Ok(());
    };
    std::fs::write(path, &bytes).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
    println!(
        "presentielijst van bijeenkomst {id} geschreven naar {}: {}",
        path.display(),
        people(sheet.rows.len() as u32)
    );
    Ok(())
}

async fn attended(db: &Db, id: SessionId, emails: &[String], attended: bool) -> anyhow::Result<()> {
    let recorded = attendance::record(db, id, emails, attended, super::now(), None).await?;
    let session = sessions::get(db.read(), id).await?;
    let what = if attended { "aanwezig" } else { "afwezig" };
    println!("{} als {what} genoteerd bij {}:", people(recorded.len() as u32), name(&session));
    for person in &recorded {
        println!("  {} <{}>", person.name, person.email);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::NaiveTime;

    use super::*;

    #[test]
    fn time_spans_are_read_with_colons_dots_or_a_dash_and_must_end_after_they_start() {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
        assert_eq!(parse_span("13:30-15:30"), Ok(Span { starts: t(13, 30), ends: t(15, 30) }));
        assert_eq!(parse_span("9.00 \u{2013} 10.15"), Ok(Span { starts: t(9, 0), ends: t(10, 15) }));
        assert_eq!(parse_span("15:30-13:30"), Err("\"15:30-13:30\" ends before it starts".to_string()));
        assert!(parse_span("25:00-26:00").unwrap_err().contains("write it as 13:30-15:30"));
        assert!(parse_span("13:30").is_err());
    }

    #[test]
    fn a_table_pads_columns_by_characters_and_trims_the_line_end() {
        let rows = vec![["a".to_string(), "wachtlijst".to_string()], ["één".to_string(), String::new()]];
        assert_eq!(table(rows), "a    wachtlijst\néén\n");
    }
}
