//! `peil export`: a closed round's responses as CSV or XLSX, for the coordinator. The same rules
//! as the werkgroep's download apply (threshold, hidden small groups); the command line is an
//! administrator's tool, so an identified round includes names and addresses.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::results::export::{self, Reader};
use crate::results::{Filter, Threshold, load, privacy::Disclosure};
use crate::rounds::RoundId;
use crate::settings::Settings;

#[derive(clap::Args)]
pub struct ExportArgs {
    /// The round to export.
    #[arg(long)]
    round: i64,
    /// csv (`;`, UTF-8 with BOM, for Dutch Excel) or xlsx.
    #[arg(long, default_value = "xlsx")]
    format: String,
    /// Where to write the file (default: ronde-<id>-antwoorden.<format> here).
    #[arg(long)]
    out: Option<PathBuf>,
}

pub async fn run(args: ExportArgs, settings: &Settings) -> anyhow::Result<ExitCode> {
    if !matches!(args.format.as_str(), "csv" | "xlsx") {
        eprintln!("--format must be csv or xlsx");
        return Ok(ExitCode::FAILURE);
    }
    let db = crate::db::Db::connect(&settings.database_url).await?;
    let pool = db.read();
    let round = crate::rounds::load(pool, RoundId(args.round)).await?;
    if round.closes_at > super::now() {
        eprintln!("round {} is still open; its responses can be exported once it closes", args.round);
        return Ok(ExitCode::FAILURE);
    }
    let threshold = Threshold::of(&round.form, settings.min_group_size);
    let Some(row) = load::one_round(pool, round.id).await? else { anyhow::bail!("no round {}", args.round) };
    let siblings = load::siblings(pool, &row).await?;
    let disclosure = Disclosure::new(&load::respondents(pool, &siblings).await?, threshold);
    let scope = Filter { wijk: (!row.part.is_empty()).then(|| row.part.clone()), role: None };
    let Some(sheet) = export::responses(pool, &round, &disclosure, &scope, Reader::Admin).await? else {
        eprintln!("round {} has fewer than {} respondents: nothing is exported", args.round, threshold.0);
        return Ok(ExitCode::FAILURE);
    };
    let bytes = match args.format.as_str() {
        "csv" => crate::spreadsheet::csv(&sheet),
        _ => crate::spreadsheet::xlsx(&sheet)?,
    };
    let out =
        args.out.unwrap_or_else(|| PathBuf::from(format!("ronde-{}-antwoorden.{}", args.round, args.format)));
    std::fs::write(&out, bytes)?;
    crate::audit::log(
        &db,
        super::now(),
        None,
        crate::audit::AuditAction::Exported,
        &format!("ronde {} (peil export)", args.round),
    )
    .await?;
    println!("{}: {} responses", out.display(), sheet.rows.len());
    Ok(ExitCode::SUCCESS)
}
