//! The certificates workload: how long peil takes to draw a bewijs van deelname and a year
//! overview of twelve sessions as PDFs (the mail worker draws one per certificate mail, the
//! link pages one per download), and how large they are. In process, on peil's own functions.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use chrono::TimeZone;
use peil::certificates::overview::{Line, Overview};
use peil::certificates::{Code, Content, Issuer, pdf};
use serde_json::{Value, json};

use crate::load::{percentile, round2};

pub struct Figure {
    pub name: &'static str,
    pub bytes: usize,
    pub p50_ms: f64,
    pub p95_ms: f64,
}

pub struct Certificates {
    pub runs: usize,
    pub figures: Vec<Figure>,
}

impl Certificates {
    pub fn to_json(&self) -> Value {
        let figures: Vec<Value> = self
            .figures
            .iter()
            .map(|f| json!({ "name": f.name, "bytes": f.bytes, "p50_ms": round2(f.p50_ms), "p95_ms": round2(f.p95_ms) }))
            .collect();
        json!({ "runs": self.runs, "pdfs": figures })
    }

    pub fn table(&self) -> String {
        let mut text = String::from("| PDF | size | p50 | p95 |\n| --- | ---: | ---: | ---: |\n");
        for f in &self.figures {
            let _ = writeln!(
                text,
                "| {} | {:.1} kB | {:.1} ms | {:.1} ms |",
                f.name,
                f.bytes as f64 / 1024.0,
                f.p50_ms,
                f.p95_ms
            );
        }
        text
    }
}

fn measure(
    name: &'static str,
    runs: usize,
    draw: impl Fn() -> anyhow::Result<Vec<u8>>,
) -> anyhow::Result<Figure> {
    let mut times: Vec<Duration> = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        bytes = draw()?.len();
        times.push(started.elapsed());
    }
    times.sort();
    Ok(Figure { name, bytes, p50_ms: percentile(&times, 0.5), p95_ms: percentile(&times, 0.95) })
}

pub fn run_workload(quick: bool) -> anyhow::Result<Certificates> {
    let runs = if quick { 10 } else { 50 };
    let issuer =
        Issuer { organisation: "Huisartsen Noord".into(), base_url: "https://peil.example.org".into() };
    let starts = chrono::Utc.with_ymd_and_hms(2027, 3, 9, 12, 30, 0).single().unwrap_or_default();
    let content = Content {
        name: "J.A. van den Berg".into(),
        session: "Intervisiegroep POH-GGZ West".into(),
        round: "Intervisie POH-GGZ voorjaar 2027".into(),
        starts_at: starts,
        ends_at: starts + chrono::Duration::minutes(150),
        leader: "kaderhuisarts ggz".into(),
        activity_id: "GAIA-445566".into(),
        points: Some(2.5),
    };
    let code = Code::random();
    let lines = (0..12)
        .map(|i| Line {
            starts_at: starts + chrono::Duration::weeks(4 * i),
            activity: format!("Intervisiegroep POH-GGZ West (Intervisie POH-GGZ {i})"),
            minutes: 150,
            points: Some(2.5),
        })
        .collect();
    let overview = Overview { name: content.name.clone(), year: 2027, lines };
    let figures = vec![
        measure("bewijs van deelname", runs, || Ok(pdf::certificate(&content, &code, &issuer)?))?,
        measure("jaaroverzicht, 12 bijeenkomsten", runs, || Ok(pdf::overview(&overview, &issuer)?))?,
    ];
    Ok(Certificates { runs, figures })
}
