//! `peil export`: a closed round's responses as CSV or XLSX, for the coordinator. It goes through
//! `results::access` as the werkgroep's download does, so the same rules apply (closed rounds
//! only, threshold, hidden small groups, an audit entry); the command line is an administrator's
//! tool, so an identified round includes names and addresses.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::results::access::{Access, AccessError, Export, Format, Reader};
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

pub async fn run(args: ExportArgs, settings: &mut Settings) -> anyhow::Result<ExitCode> {
    let Some(format) = Format::parse(&args.format) else {
        eprintln!("--format must be csv or xlsx");
        return Ok(ExitCode::FAILURE);
    };
    // The key: a closed anonymous round's last responses may still wait, sealed, in its pool.
    let (db, secret) = super::keyed(settings).await?;
    let seal = crate::responses::Seal::new(&secret);
    let round = RoundId(args.round);
    let access = Access::open(&db, &seal, round, Reader::Cli, settings.min_group_size, super::now()).await?;
    let file = match access.export(&db, &Export::Responses, format).await {
        Ok(file) => file,
        Err(refused @ (AccessError::StillOpen(_) | AccessError::TooFew { .. })) => {
            eprintln!("{refused}");
            return Ok(ExitCode::FAILURE);
        }
        Err(e) => return Err(e.into()),
    };
    let out = args.out.unwrap_or_else(|| PathBuf::from(format!("ronde-{round}-antwoorden.{}", args.format)));
    std::fs::write(&out, file.bytes)?;
    println!("{}: {} responses", out.display(), file.rows);
    Ok(ExitCode::SUCCESS)
}
