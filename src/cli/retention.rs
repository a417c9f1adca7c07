//! `peil retention [--dry-run]`: the retention terms carried out now (audited, as the button on
//! `/beheer/bewaartermijnen`), or with `--dry-run` only counted. Prints counts per category and
//! per form, never what was removed.

use std::process::ExitCode;

use crate::catalog::Catalog;
use crate::retention::{self, Report, Setup};
use crate::settings::Settings;

pub async fn run(settings: &Settings, dry_run: bool) -> anyhow::Result<ExitCode> {
    let catalog = match Catalog::load(&settings.forms_dir, &settings.jobs_dir) {
        Ok(catalog) => catalog,
        Err(e) => {
            eprintln!("{e}\nNothing was removed: the terms come from these files.");
            return Ok(ExitCode::FAILURE);
        }
    };
    let db = crate::db::Db::connect(&settings.database_url).await?;
    let set = catalog.current();
    let setup = Setup::of(settings);
    let now = super::now();
    let report = if dry_run {
        retention::run(&db, &set, &setup, now, true).await?
    } else {
        retention::by_hand(&db, &set, &setup, now, None).await?
    };
    super::output::print(&describe(&report, dry_run))?;
    Ok(ExitCode::SUCCESS)
}

/// The report as the command prints it.
pub fn describe(report: &Report, dry_run: bool) -> String {
    let mut out =
        String::from(if dry_run { "would remove (dry run, nothing changed):\n" } else { "removed:\n" });
    for (what, n) in report.lines() {
        out.push_str(&format!("  {n:>6}  {what}\n"));
    }
    if !report.per_form.is_empty() {
        out.push_str("per form (links, drafts, responses, seats, invitations):\n");
        for (form, n) in &report.per_form {
            out.push_str(&format!("  {n:>6}  {form}\n"));
        }
    }
    out
}
