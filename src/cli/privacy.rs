//! `peil privacy register [--csv] [--out FILE]`: the entries for the organisation's processing
//! register (article 30), per form and per job, as `/beheer/verwerkingsregister` shows them:
//! Markdown by default, or CSV (`;`, BOM, for Dutch Excel). Read from the form and job files and
//! the settings; no database is needed.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use crate::privacy::{Setup, register};
use crate::settings::Settings;

#[derive(clap::Subcommand)]
pub enum PrivacyCommand {
    /// Print the processing register's entry of every form and job (Markdown, or CSV).
    Register {
        /// CSV (`;`, UTF-8 with BOM) instead of Markdown.
        #[arg(long)]
        csv: bool,
        /// Write to this file instead of stdout.
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

pub fn run(command: PrivacyCommand, settings: &Settings) -> anyhow::Result<ExitCode> {
    let PrivacyCommand::Register { csv, out } = command;
    let forms = super::load_forms(settings)?;
    let jobs = crate::jobs::load(&settings.jobs_dir, &forms).map_err(|e| anyhow::anyhow!("{e}"))?;
    let roles = forms.list_pairs("rollen");
    let entries = register::entries(&forms, &jobs, Setup::of(settings), &roles);
    let bytes = match csv {
        true => crate::spreadsheet::csv(&register::sheet(&entries)),
        false => register::markdown(&entries, &settings.organisation.contact().called).into_bytes(),
    };
    match out {
        Some(path) => {
            std::fs::write(&path, bytes).with_context(|| format!("could not write {}", path.display()))?;
            println!("{}: {} entries", path.display(), entries.len());
        }
        None => super::output::print(&String::from_utf8_lossy(&bytes))?,
    }
    Ok(ExitCode::SUCCESS)
}
