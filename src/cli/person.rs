//! `peil person export EMAIL [--out FILE]` and `peil person erase EMAIL [--yes]`: a person's
//! request to see or erase their data (AVG articles 15 and 17), answered from the command line
//! exactly as `/beheer/personen` answers it (`crate::persons`), audited without an actor.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use crate::db::Db;
use crate::persons::{self, Address, Erasure, PersonsError};
use crate::settings::Secret;

#[derive(Subcommand)]
pub enum PersonCommand {
    /// Everything peil holds about an address, as JSON (docs/person-export.md); audited.
    Export {
        email: String,
        /// Write the file here instead of to standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Erase a person on request, in one transaction; says what was removed and what was kept
    /// and why. Asks for confirmation unless --yes.
    Erase {
        email: String,
        /// Do not ask: erase at once.
        #[arg(long)]
        yes: bool,
    },
}

pub async fn run(
    command: PersonCommand,
    db: &Db,
    secret: &Secret,
    mail_dir: &Path,
) -> anyhow::Result<ExitCode> {
    let now = super::now();
    let (PersonCommand::Export { email, .. } | PersonCommand::Erase { email, .. }) = &command;
    let address = match Address::parse(email) {
        Ok(address) => address,
        Err(e) => return Ok(refused(&e)),
    };
    match command {
        PersonCommand::Export { out, .. } => {
            let (_, json) =
                match persons::export(db, secret, &address, &crate::audit::Actor::cli(), now).await {
                    Ok(done) => done,
                    Err(e @ (PersonsError::Unknown | PersonsError::BadAddress)) => return Ok(refused(&e)),
                    Err(e) => return Err(e.into()),
                };
            match out {
                Some(path) => {
                    crate::private::write_new(&path, json.as_bytes())?;
                    eprintln!("{}: geschreven", path.display());
                }
                None => super::output::print(&json)?,
            }
            Ok(ExitCode::SUCCESS)
        }
        PersonCommand::Erase { yes, .. } => erase(db, secret, mail_dir, &address, yes, now).await,
    }
}

async fn erase(
    db: &Db,
    secret: &Secret,
    mail_dir: &Path,
    address: &Address,
    yes: bool,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<ExitCode> {
    if !yes {
        let plan = match persons::plan(db, address, now).await {
            Ok(plan) => plan,
            Err(e @ PersonsError::NoContact) => return Ok(refused(&e)),
            Err(e) => return Err(e.into()),
        };
        println!("Dit wordt gewist:");
        print_lines(&plan.removed_lines());
        println!("Dit blijft:");
        print_lines(&plan.kept_lines());
        print!("Typ ja om te wissen: ");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if answer.trim() != "ja" {
            eprintln!("Er is niets gewist.");
            return Ok(ExitCode::FAILURE);
        }
    }
    let erased: Erasure =
        match persons::erase(db, secret, mail_dir, address, &crate::audit::Actor::cli(), now).await {
            Ok(erased) => erased,
            Err(e @ PersonsError::NoContact) => return Ok(refused(&e)),
            Err(e) => return Err(e.into()),
        };
    println!("Gewist:");
    print_lines(&erased.removed_lines());
    println!("Bewaard:");
    print_lines(&erased.kept_lines());
    Ok(ExitCode::SUCCESS)
}

fn print_lines(lines: &[String]) {
    for line in lines {
        println!("- {line}");
    }
}

fn refused(e: &PersonsError) -> ExitCode {
    eprintln!("{}", e.dutch());
    ExitCode::FAILURE
}
