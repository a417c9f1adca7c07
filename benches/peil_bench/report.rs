//! What the benchmark prints and keeps: Markdown tables on stdout (ready for
//! docs/performance.md), the targets met or missed, and `target/bench.json` with one key
//! per workload so later workloads (results, postgres) are new keys next to the existing ones.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;

use serde_json::{Map, Value, json};

use crate::floor::Floor;
use crate::lean::Lean;
use crate::load::Level;
use crate::mail::{self, Mail};
use crate::respond::Respond;
use crate::signup::{self, Signup};

pub struct Report {
    root: Map<String, Value>,
}

impl Report {
    pub fn new(repo: &Path, quick: bool) -> Report {
        let mut root = Map::new();
        root.insert("meta".into(), meta(repo, quick));
        Report { root }
    }

    /// One line about the run: date, commit, cores and the machine's load at the start.
    pub fn meta_line(&self) -> String {
        let meta = &self.root["meta"];
        format!(
            "{} | commit {} | {} cores ({}) | load average at start {}",
            meta["date"].as_str().unwrap_or_default(),
            meta["commit"].as_str().unwrap_or_default(),
            meta["cores"],
            meta["cpu"].as_str().unwrap_or_default(),
            meta["load_average_1min"]
        )
    }

    pub fn add(&mut self, workload: &str, value: Value) {
        self.root.insert(workload.into(), value);
    }

    pub fn set_seconds(&mut self, seconds: f64) {
        if let Some(Value::Object(meta)) = self.root.get_mut("meta") {
            meta.insert("seconds".into(), json!(seconds.round()));
        }
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        std::fs::write(path, serde_json::to_string_pretty(&Value::Object(self.root.clone()))? + "\n")?;
        Ok(())
    }
}

fn meta(repo: &Path, quick: bool) -> Value {
    let commit = Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(repo)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map_or_else(|| "unknown".to_string(), |out| String::from_utf8_lossy(&out.stdout).trim().to_string());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("model name"))
                .map(|l| l.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_default();
    // Other work on the machine skews every figure; the load at the start shows whether there was any.
    let load =
        std::fs::read_to_string("/proc/loadavg").ok().and_then(|l| l.split(' ').next()?.parse::<f64>().ok());
    json!({
        "date": chrono::Local::now().format("%Y-%m-%d %H:%M").to_string(),
        "commit": commit,
        "quick": quick,
        "cores": cores,
        "cpu": cpu,
        "load_average_1min": load,
    })
}

/// The respond and floor levels side by side, the lean, mail and signup figures, as Markdown.
pub fn tables(respond: &Respond, floor: &Floor, lean: &Lean, mail: &Mail, signup: &Signup) -> String {
    let mut out = String::new();
    out.push_str(
        "| concurrency | responses | peil /s | p50 ms | p99 ms | CPU ms/resp. \
         | floor /s | floor p50 ms | floor p99 ms | floor CPU ms/resp. | peil / floor |\n",
    );
    out.push_str("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for ((p, f), fraction) in respond.levels.iter().zip(&floor.levels).zip(&floor.fraction) {
        let _ = writeln!(
            out,
            "| {} | {} | {:.0} | {:.2} | {:.2} | {:.2} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} |",
            p.concurrency,
            p.count,
            p.per_second,
            p.p50_ms,
            p.p99_ms,
            p.cpu_ms,
            f.per_second,
            f.p50_ms,
            f.p99_ms,
            f.cpu_ms,
            fraction
        );
    }
    out.push('\n');
    out.push_str("| lean | value |\n| --- | ---: |\n");
    let _ = writeln!(out, "| idle RSS after start-up | {:.1} MiB |", lean.idle_rss_mib);
    let _ = writeln!(out, "| peak RSS after the respond workload | {:.1} MiB |", lean.peak_rss_mib);
    let _ = writeln!(
        out,
        "| start-up to first `/health` 200, {} forms (median of 5) | {:.0} ms |",
        lean.forms, lean.startup_ms
    );
    let _ = writeln!(out, "| `peil check`, {} forms (median of 5) | {:.0} ms |", lean.forms, lean.check_ms);
    let _ = writeln!(out, "| size of `target/release/peil` | {:.1} MiB |", lean.binary_mib);
    let _ = writeln!(
        out,
        "| responses stored = acknowledged | {} ({}) |",
        if respond.verified { "yes" } else { "no" },
        respond.stored
    );
    out.push('\n');
    out.push_str(&mail_table(mail));
    out.push('\n');
    out.push_str(&signup::table(signup));
    out
}

/// The anonymous path beside the identified one and the floor, level by level, as Markdown: what
/// keeping answers apart from people costs.
pub fn anonymous_table(identified: &Respond, anonymous: &Respond, floor: &Floor) -> String {
    let mut out = String::from(
        "| concurrency | identified /s | anonymous /s | anonymous p50 ms | anonymous p99 ms \
         | anonymous CPU ms/resp. | identified CPU ms/resp. | anonymous / identified | anonymous / floor |\n",
    );
    out.push_str("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    let levels = identified.levels.iter().zip(&anonymous.levels).zip(&floor.levels);
    for ((i, a), f) in levels {
        let _ = writeln!(
            out,
            "| {} | {:.0} | {:.0} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} | {:.2} |",
            a.concurrency,
            i.per_second,
            a.per_second,
            a.p50_ms,
            a.p99_ms,
            a.cpu_ms,
            i.cpu_ms,
            a.per_second / i.per_second,
            a.per_second / f.per_second
        );
    }
    out
}

fn mail_table(mail: &Mail) -> String {
    let mut out = String::from("| mail | value |\n| --- | ---: |\n");
    let _ = writeln!(out, "| invitation mails, outbox to the local SMTP sink | {} |", mail.messages);
    let _ = writeln!(out, "| start of `peil serve` to the last message accepted | {:.2} s |", mail.seconds);
    let _ = writeln!(out, "| start of `peil serve` to the first message | {:.0} ms |", mail.first_ms);
    let _ = writeln!(out, "| messages per second | {:.0} |", mail.per_second);
    let _ = writeln!(out, "| server CPU per message | {:.2} ms |", mail.cpu_ms);
    let _ = writeln!(out, "| peak RSS of peil during the workload | {:.1} MiB |", mail.peak_rss_mib);
    let _ = writeln!(out, "| mean message size | {:.0} bytes |", mail.mean_bytes);
    let _ = writeln!(out, "| SMTP connections opened | {} |", mail.connections);
    let _ = writeln!(
        out,
        "| sent in the outbox = received = distinct recipients | {} ({}) |",
        if mail.verified { "yes" } else { "no" },
        mail.messages
    );
    out
}

/// The aims from the issue, each with its measured value. A missed aim is reported, not fatal:
/// the figures are worth keeping either way.
pub fn targets(respond: &Respond, floor: &Floor, lean: &Lean, mail: &Mail, signup: &Signup) -> String {
    let at8 = respond.levels.iter().position(|l| l.concurrency == 8);
    let level8: Option<&Level> = at8.map(|i| &respond.levels[i]);
    let fraction8 = at8.and_then(|i| floor.fraction.get(i)).copied().unwrap_or(0.0);
    let checks = [
        (
            "respond at c=8 >= 2000 responses/s",
            level8.map_or(0.0, |l| l.per_second),
            level8.is_some_and(|l| l.per_second >= 2000.0),
        ),
        ("respond at c=8 >= 0.5 of the floor", fraction8, fraction8 >= 0.5),
        (
            "respond p99 at c=8 < 20 ms",
            level8.map_or(f64::NAN, |l| l.p99_ms),
            level8.is_some_and(|l| l.p99_ms < 20.0),
        ),
        ("idle RSS < 30 MiB", lean.idle_rss_mib, lean.idle_rss_mib < 30.0),
        ("start-up with 100 forms < 200 ms", lean.startup_ms, lean.startup_ms < 200.0),
        ("mail >= 1000 messages/s", mail.per_second, mail.per_second >= mail::AIM_PER_SECOND),
        ("signup errors = 0", signup.errors as f64, signup.errors == 0),
        (
            "signup seats given = 40 (confirmed seats and sessions.taken)",
            signup.confirmed.min(signup.taken) as f64,
            signup.seats_right(),
        ),
    ];
    let mut out = String::new();
    for (aim, value, met) in &checks {
        let _ = writeln!(out, "  {} {aim} (measured {value:.2})", if *met { "met   " } else { "MISSED" });
    }
    out
}
