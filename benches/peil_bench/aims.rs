//! `--aims --baseline <peil>`: the table of issue 27. Every path people wait on, measured for a
//! baseline binary (the build the aims were set against) and for this build, with the floor, in
//! one invocation and `--runs` times over, alternating the binaries within each run, so that both
//! see the same machine. Printed as medians over the runs, next to the aim; throughput is given as
//! the ratio to the floor measured in the same run, since this machine is shared and noisy.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde_json::{Value, json};

use crate::backend::{Backend, Target};
use crate::load::{Level, round2};
use crate::mail_tls::Relay;
use crate::respond::Linkage;
use crate::server::Paths;
use crate::signup::Signup;

/// One binary's figures from one run.
#[derive(Default)]
struct Sample {
    /// At 1 and at 8 at a time.
    identified: Vec<Level>,
    anonymous: Vec<Level>,
    results_first_ms: f64,
    results_p50_ms: f64,
    /// The p50 of the last third of the requests over the p50 of the first third: above 1 when
    /// repeats get slower.
    results_repeat: f64,
    /// One and two instances on one PostgreSQL database; empty when there is no server.
    signup: Vec<Signup>,
    startup_ms: f64,
    /// Mails per second to a sink that wants a login: over STARTTLS for this build, in the clear
    /// for the baseline (which cannot be told to trust the sink's certificate; see `mail_tls`).
    mail_per_second: f64,
    /// Every mail arrived once.
    mail_exact: bool,
}

/// Concurrency levels and how many responses each sends.
type Plan = Vec<(usize, usize)>;

/// One run: both binaries, and the floor under the identified and the anonymous plan.
struct Run {
    before: Sample,
    after: Sample,
    floor: Vec<Level>,
    floor_anonymous: Vec<Level>,
}

/// A figure of every run, for the baseline and for this build.
struct Series {
    baseline: Vec<f64>,
    now: Vec<f64>,
}

/// How many responses each level sends: identified, then anonymous. The anonymous round is kept
/// near a real one's size: a release rewrites the round, so its cost grows with the round.
fn plans(quick: bool) -> (Plan, Plan) {
    if quick {
        (vec![(1, 200), (8, 2000)], vec![(1, 100), (8, 400)])
    } else {
        (vec![(1, 1000), (8, 8000)], vec![(1, 200), (8, 800)])
    }
}

pub struct Aims {
    runs: Vec<Run>,
    postgres: bool,
}

pub async fn run(
    paths: &Paths,
    baseline: PathBuf,
    runs: usize,
    quick: bool,
    postgres: Option<String>,
) -> anyhow::Result<Aims> {
    anyhow::ensure!(baseline.is_file(), "no baseline binary at {}", baseline.display());
    let old = Paths { repo: paths.repo.clone(), peil: baseline, target: paths.target.clone() };
    let (identified, anonymous) = plans(quick);
    let mut done = Vec::new();
    for run in 1..=runs {
        println!("run {run} of {runs}: the baseline");
        let before = sample(&old, quick, postgres.as_deref(), Relay::Login).await?;
        println!("run {run} of {runs}: this build");
        let after = sample(paths, quick, postgres.as_deref(), Relay::StartTls).await?;
        println!("run {run} of {runs}: the floor");
        let floor = crate::floor::run_workload(&identified).await?.levels;
        let floor_anonymous = crate::floor::run_workload(&anonymous).await?.levels;
        done.push(Run { before, after, floor, floor_anonymous });
    }
    Ok(Aims { runs: done, postgres: postgres.is_some() })
}

async fn sample(paths: &Paths, quick: bool, postgres: Option<&str>, relay: Relay) -> anyhow::Result<Sample> {
    let (identified, anonymous) = plans(quick);
    let sqlite = Target::sqlite();
    let identified = crate::respond::run_workload(paths, &identified, &sqlite, Linkage::Identified).await?;
    let anonymous = crate::respond::run_workload(paths, &anonymous, &sqlite, Linkage::Anonymous).await?;
    let requests = if quick { 12 } else { 30 };
    let results = crate::results::level(paths, &Backend::Sqlite, 100_000, requests).await?;
    println!(
        "  results page over 100,000: first {:.1} ms, p50 {:.1} ms, repeats x{:.2}",
        results.first_ms, results.p50_ms, results.repeat
    );
    let mut signup = Vec::new();
    if let Some(admin) = postgres {
        for instances in [1, 2] {
            let figures = crate::signup::run_workload(paths, &Target::postgres(admin, instances)).await?;
            println!(
                "  sign-up burst on PostgreSQL, {instances} instance(s): POST p50 {:.1} ms, seats {} / {}; \
                 CPU per sign-up {:.2} ms (peil {:.2}, PostgreSQL {:.2}, load {:.2}) over {:.2} s",
                figures.p50_ms,
                figures.confirmed,
                figures.taken,
                figures.cpu.total_ms(),
                figures.cpu.peil_ms,
                figures.cpu.database_ms,
                figures.cpu.load_ms,
                figures.wall_s
            );
            signup.push(figures);
        }
    }
    let startup_ms = crate::lean::startup_ms(paths).await?;
    println!("  start-up with 100 forms: {startup_ms:.1} ms");
    let mail = crate::mail_tls::run_workload(paths, crate::mail::count(quick), relay).await?;
    println!("  mail to a relay that wants a login ({relay:?}): {:.0}/s", mail.mail.per_second);
    Ok(Sample {
        mail_per_second: mail.mail.per_second,
        mail_exact: mail.mail.verified,
        identified: identified.levels,
        anonymous: anonymous.levels,
        results_first_ms: results.first_ms,
        results_p50_ms: results.p50_ms,
        results_repeat: results.repeat,
        signup,
        startup_ms,
    })
}

/// One row of the table: a figure per run for the baseline and this build, and the aim.
struct Row {
    path: &'static str,
    unit: Unit,
    baseline: Vec<f64>,
    now: Vec<f64>,
    aim: &'static str,
    /// Whether the median of this build meets the aim.
    met: fn(f64) -> bool,
}

#[derive(Clone, Copy)]
enum Unit {
    OfFloor,
    Ms,
    Times,
    PerSecond,
}

impl Unit {
    fn show(self, x: f64) -> String {
        match self {
            Unit::OfFloor => format!("{x:.2} of floor"),
            Unit::Ms => format!("{x:.1} ms"),
            Unit::Times => format!("x{x:.2}"),
            Unit::PerSecond => format!("{x:.0}/s"),
        }
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

impl Aims {
    fn rows(&self) -> Vec<Row> {
        let each = |f: &dyn Fn(&Sample, &Run) -> f64| Series {
            baseline: self.runs.iter().map(|r| f(&r.before, r)).collect(),
            now: self.runs.iter().map(|r| f(&r.after, r)).collect(),
        };
        let ratio = |levels: &[Level], floor: &[Level], i: usize| levels[i].per_second / floor[i].per_second;
        let mut rows = Vec::new();
        let mut push = |path, unit, Series { baseline, now }: Series, aim, met: fn(f64) -> bool| {
            rows.push(Row { path, unit, baseline, now, aim, met });
        };
        push(
            "respond, identified, 8 at a time",
            Unit::OfFloor,
            each(&|s, r| ratio(&s.identified, &r.floor, 1)),
            "≥ 0.6 of floor",
            |x| x >= 0.6,
        );
        push(
            "respond, identified, 8 at a time: p99",
            Unit::Ms,
            each(&|s, _| s.identified[1].p99_ms),
            "< 20 ms",
            |x| x < 20.0,
        );
        push(
            "respond, identified, 1 at a time",
            Unit::OfFloor,
            each(&|s, r| ratio(&s.identified, &r.floor, 0)),
            "≥ 0.5 of floor",
            |x| x >= 0.5,
        );
        push(
            "respond, anonymous, 8 at a time",
            Unit::OfFloor,
            each(&|s, r| ratio(&s.anonymous, &r.floor_anonymous, 1)),
            "≥ 0.5 of floor",
            |x| x >= 0.5,
        );
        push(
            "respond, anonymous, 1 at a time",
            Unit::OfFloor,
            each(&|s, r| ratio(&s.anonymous, &r.floor_anonymous, 0)),
            "≥ 0.5 of floor",
            |x| x >= 0.5,
        );
        push(
            "anonymous over identified, CPU per response, 8 at a time",
            Unit::Times,
            each(&|s, _| s.anonymous[1].cpu_ms / s.identified[1].cpu_ms),
            "stated",
            |_| true,
        );
        push(
            "results page, 100,000 responses: p50",
            Unit::Ms,
            each(&|s, _| s.results_p50_ms),
            "< 150 ms",
            |x| x < 150.0,
        );
        push(
            "results page, 100,000 responses: first request",
            Unit::Ms,
            each(&|s, _| s.results_first_ms),
            "stated",
            |_| true,
        );
        push(
            "results page, 100,000 responses: last third over first third",
            Unit::Times,
            each(&|s, _| s.results_repeat),
            "no slowdown (≤ x1.10)",
            |x| x <= 1.10,
        );
        if self.postgres {
            push(
                "sign-up burst on PostgreSQL, 1 instance: POST p50",
                Unit::Ms,
                each(&|s, _| s.signup[0].p50_ms),
                "< 30 ms, seats exact",
                |x| x < 30.0,
            );
            push(
                "sign-up burst on PostgreSQL, 2 instances: POST p50",
                Unit::Ms,
                each(&|s, _| s.signup[1].p50_ms),
                "< 60 ms, seats exact",
                |x| x < 60.0,
            );
        }
        push("start-up with 100 forms", Unit::Ms, each(&|s, _| s.startup_ms), "< 30 ms", |x| x < 30.0);
        push(
            "mail through a relay with a login (baseline in the clear, this build over STARTTLS)",
            Unit::PerSecond,
            each(&|s, _| s.mail_per_second),
            "≥ 500/s, 0 doubles",
            |x| x >= 500.0,
        );
        rows
    }

    /// Whether every mail run of both binaries delivered each mail exactly once.
    pub fn mail_exact(&self) -> bool {
        self.runs.iter().all(|r| r.before.mail_exact && r.after.mail_exact)
    }

    /// Whether every sign-up run of both binaries gave exactly the session's seats.
    pub fn seats_right(&self) -> bool {
        self.runs.iter().flat_map(|r| r.before.signup.iter().chain(&r.after.signup)).all(Signup::seats_right)
    }

    pub fn table(&self) -> String {
        let mut out = format!(
            "| path | baseline (median of {n}) | this build (median of {n}) | aim | met |\n\
             | --- | ---: | ---: | --- | --- |\n",
            n = self.runs.len()
        );
        for row in self.rows() {
            let now = median(&row.now);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                row.path,
                row.unit.show(median(&row.baseline)),
                row.unit.show(now),
                row.aim,
                if (row.met)(now) { "yes" } else { "no" }
            );
        }
        let floor: Vec<f64> = self.runs.iter().map(|r| r.floor[1].per_second).collect();
        let _ = writeln!(
            out,
            "\nThe floor at 8 at a time: {:.0} responses/s (median); seats exact in every sign-up run: {}; \
             every mail once: {}.",
            median(&floor),
            if self.seats_right() { "yes" } else { "NO" },
            if self.mail_exact() { "yes" } else { "NO" }
        );
        out
    }

    pub fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows()
            .iter()
            .map(|row| {
                json!({
                    "path": row.path,
                    "baseline": row.baseline.iter().copied().map(round2).collect::<Vec<_>>(),
                    "this_build": row.now.iter().copied().map(round2).collect::<Vec<_>>(),
                    "aim": row.aim,
                    "met": (row.met)(median(&row.now)),
                })
            })
            .collect();
        json!({
            "runs": self.runs.len(),
            "rows": rows,
            "seats_right": self.seats_right(),
            "mail_exact": self.mail_exact(),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(super::median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(super::median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert!(super::median(&[]).is_nan());
    }
}
