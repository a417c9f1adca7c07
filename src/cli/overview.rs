//! `peil contacts overview EMAIL --year 2027`: the year overview a contact's link and
//! `/beheer/contacten/<id>` offer, written to a file.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::audit::{Actor, AuditAction, Entry};
use crate::certificates::{self, Issuer};
use crate::contacts::ContactId;
use crate::db::Db;
use crate::settings::Settings;

pub async fn write(
    db: &Db,
    settings: &Settings,
    email: &str,
    year: i32,
    out: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let contact: Option<ContactId> = sqlx::query_scalar("SELECT id FROM contacts WHERE LOWER(email) = $1")
        .bind(email.trim().to_lowercase())
        .fetch_optional(db.read())
        .await?;
    let Some(contact) = contact else {
        eprintln!("no contact with e-mail address {email}");
        return Ok(ExitCode::FAILURE);
    };
    let Some(overview) = certificates::year(db.read(), contact, year).await? else {
        eprintln!("no contact with e-mail address {email}");
        return Ok(ExitCode::FAILURE);
    };
    let bytes = certificates::pdf::overview(&overview, &Issuer::of(settings))?;
    let out = out.unwrap_or_else(|| PathBuf::from(format!("jaaroverzicht-{year}.pdf")));
    // Written before the file is: a person's attendance leaves the database here.
    let actor = Actor::cli();
    let entry = Entry::new(AuditAction::Exported, &actor, super::now()).contact(contact);
    entry.detail(format!("jaaroverzicht {year}.pdf")).log(db).await?;
    std::fs::write(&out, bytes)?;
    let count = overview.lines.len();
    println!(
        "{}: {count} session(s) attended in {year}, {}",
        out.display(),
        certificates::hours(overview.total_minutes())
    );
    Ok(ExitCode::SUCCESS)
}
