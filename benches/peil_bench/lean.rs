//! The lean workload: what peil costs when nothing happens. Start-up time with 100 form files
//! (spawn to the first 200 on `/health`, on a fresh database each time), `peil check` time for
//! the same files, and the size of the release binary. Memory comes from the respond workload.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::load::{round1, round2};
use crate::server::{Paths, Scratch, copy_files, run};
use crate::site::Site;

const FORMS: usize = 100;
const RUNS: usize = 5;

pub struct Lean {
    pub idle_rss_mib: f64,
    pub peak_rss_mib: f64,
    pub forms: usize,
    pub startup_ms: f64,
    pub startup_runs_ms: Vec<f64>,
    pub check_ms: f64,
    pub binary_mib: f64,
}

impl Lean {
    pub fn to_json(&self) -> Value {
        json!({
            "idle_rss_mb": round1(self.idle_rss_mib),
            "peak_rss_mb": round1(self.peak_rss_mib),
            "forms": self.forms,
            "startup_ms": round2(self.startup_ms),
            "startup_runs_ms": self.startup_runs_ms.iter().map(|ms| round2(*ms)).collect::<Vec<_>>(),
            "check_ms": round2(self.check_ms),
            "binary_mb": round1(self.binary_mib),
        })
    }
}

/// `rss` is the respond workload's (idle, peak) resident memory in MiB.
pub async fn run_workload(paths: &Paths, rss: (f64, f64)) -> anyhow::Result<Lean> {
    let forms = Scratch::new("lean-forms")?;
    many_forms(&paths.repo.join("forms"), forms.path())?;
    let startup_runs_ms = startups(paths, forms.path()).await?;
    let mut check_runs_ms = Vec::new();
    for _ in 0..RUNS {
        let site = Site::with_forms(paths, "lean-check", forms.path())?;
        let started = Instant::now();
        let said = run(site.command(&["check"]))?;
        check_runs_ms.push(started.elapsed().as_secs_f64() * 1000.0);
        if !said.starts_with(&format!("{FORMS} forms OK")) {
            bail!("`peil check` did not accept the {FORMS} forms: {said}");
        }
    }
    let binary = std::fs::metadata(&paths.peil).context("reading the size of peil")?.len();
    Ok(Lean {
        idle_rss_mib: rss.0,
        peak_rss_mib: rss.1,
        forms: FORMS,
        startup_ms: median(&startup_runs_ms),
        startup_runs_ms,
        check_ms: median(&check_runs_ms),
        binary_mib: binary as f64 / (1024.0 * 1024.0),
    })
}

/// The median time from starting `peil serve` with `FORMS` forms to its first 200 on `/health`.
pub async fn startup_ms(paths: &Paths) -> anyhow::Result<f64> {
    let forms = Scratch::new("lean-forms")?;
    many_forms(&paths.repo.join("forms"), forms.path())?;
    Ok(median(&startups(paths, forms.path()).await?))
}

/// `RUNS` start-ups, each on a fresh database, in milliseconds.
async fn startups(paths: &Paths, forms: &Path) -> anyhow::Result<Vec<f64>> {
    let mut runs = Vec::new();
    for _ in 0..RUNS {
        let site = Site::with_forms(paths, "lean", forms)?;
        let (_server, took) = site.serve().await?;
        runs.push(took.as_secs_f64() * 1000.0);
    }
    Ok(runs)
}

/// `FORMS` form files made of the shipped ones under new names (`crisisdienst-007.toml`), and
/// the shipped lists they use.
fn many_forms(shipped: &Path, to: &Path) -> anyhow::Result<()> {
    let mut sources: Vec<_> =
        std::fs::read_dir(shipped)?.map(|entry| entry.map(|e| e.path())).collect::<Result<_, _>>()?;
    sources.retain(|path| path.extension().is_some_and(|ext| ext == "toml"));
    sources.sort();
    if sources.is_empty() {
        bail!("no forms in {}", shipped.display());
    }
    for i in 0..FORMS {
        let source = &sources[i % sources.len()];
        let stem = source.file_stem().context("a form without a name")?.to_string_lossy();
        std::fs::copy(source, to.join(format!("{stem}-{i:03}.toml")))?;
    }
    copy_files(&shipped.join("lists"), &to.join("lists"))
}

fn median(runs: &[f64]) -> f64 {
    let mut sorted = runs.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted.get(sorted.len() / 2).copied().unwrap_or(0.0)
}
