//! A job over time (`/werkgroep/job/<job>`): for every question a trend line for the region and
//! small multiples per wijk, a table with n per point, and the change since the previous round;
//! for a per-wijk job also each wijk pooled over a block of rounds (see `results::pooled`).

use rocket::http::Status;
use rocket::{Route, State, get, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::auth::Member;
use super::results::{Download, chart_file};
use super::{App, Error};
use crate::audit::{AuditAction, Entry};
use crate::charts::{self, Chart, Series};
use crate::forms::Question;
use crate::results::figures::decimal;
use crate::results::history::{self, History};
use crate::results::labels::Labels;
use crate::results::load::{self, GroupResults, Occasion};
use crate::results::pooled::{self, Pooled};
use crate::results::trend::{self, Measure};
use crate::results::{TOO_FEW, Threshold};

pub fn routes() -> Vec<Route> {
    routes![job_page, job_chart]
}

type Page = Result<(Status, Template), Error>;

async fn history_of(app: &App, job: &str) -> Result<Option<Vec<Occasion>>, Error> {
    // A closed round's last anonymous responses may still wait in its pool (see `Access::open`).
    crate::responses::pool::release_closed(&app.db, &app.seal, app.now()).await?;
    let rows = load::job_rounds(app.db.read(), job).await?;
    if rows.is_empty() {
        return Ok(None);
    }
    let configured = app.settings.min_group_size;
    let history =
        load::job_history(&app.db, &rows, |form| Threshold::of(form, configured), app.now()).await?;
    Ok(Some(history))
}

#[derive(Serialize)]
struct MeasureView {
    key: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct QuestionTrend {
    id: String,
    label: String,
    measure: String,
    measures: Vec<MeasureView>,
    region_svg: String,
    wijken_svg: String,
    table: Vec<TableRow>,
    change: String,
    /// The measure per wijk over the pooled rounds (empty without a complete block).
    pooled: Vec<PooledRow>,
}

#[derive(Serialize)]
struct PooledRow {
    group: String,
    /// "3,6 (n=14)", or empty when the group is hidden.
    cell: String,
}

#[derive(Serialize)]
struct TableRow {
    group: String,
    cells: Vec<String>,
    change: String,
}

#[derive(Serialize)]
struct OccasionView {
    label: String,
    rounds: Vec<RoundLink>,
}

#[derive(Serialize)]
struct RoundLink {
    id: i64,
    part: String,
    invited: u64,
}

#[get("/werkgroep/job/<job>?<vraag>&<maat>")]
async fn job_page(
    job: &str,
    vraag: Option<String>,
    maat: Option<String>,
    member: Member,
    app: &State<App>,
) -> Page {
    let history = history_of(app, job).await?.ok_or(Error::NotFound)?;
    let labels = Labels::of(&app.catalog.forms());
    let configured = app.settings.min_group_size;
    let pooled = pooled::pooled(&app.db, &history, |o| Threshold::of(&o.form, configured)).await?;
    let questions: Vec<QuestionTrend> = history::questions(&history)
        .iter()
        .map(|q| {
            let measures = trend::measures(q);
            let chosen = (vraag.as_deref() == Some(q.id.as_str())).then_some(maat.as_deref()).flatten();
            let measure = measures.iter().find(|m| Some(m.key.as_str()) == chosen).unwrap_or(&measures[0]);
            let h = history::follow(&history, q, measure).named(&labels);
            let mut trend = question_trend(&h, &measures);
            if let Some(p) = pooled.as_ref().filter(|_| !h.wijken.is_empty()) {
                trend.pooled = pooled_rows(p, q, &h, &labels);
            }
            trend
        })
        .collect();
    let x_labels = history::labels(&history);
    let per_wijk = history.iter().any(|o| !o.wijken.is_empty());
    let pooled_span = pooled.as_ref().map(|p| {
        let (first, last) = (&x_labels[p.occasions.start], &x_labels[p.occasions.end - 1]);
        format!("{first} – {last}")
    });
    let context = context! {
        job,
        title: history.last().map(|o| o.form.title.nl.clone()).unwrap_or_default(),
        occasions: occasions(&history, &x_labels, &labels),
        questions,
        x_labels,
        too_few: TOO_FEW,
        per_wijk,
        pooled_span,
        pooled_rounds: pooled::ROUNDS,
        account: super::results::account(&member),
    };
    Ok((Status::Ok, Template::render("werkgroep/job", context)))
}

fn occasions(history: &[Occasion], x_labels: &[String], labels: &Labels) -> Vec<OccasionView> {
    history
        .iter()
        .zip(x_labels)
        .map(|(o, label)| OccasionView {
            label: label.clone(),
            rounds: o
                .rounds
                .iter()
                .map(|r| RoundLink { id: r.id.0, part: labels.wijk(&r.part), invited: r.invited })
                .collect(),
        })
        .collect()
}

fn question_trend(h: &History, measures: &[Measure]) -> QuestionTrend {
    let svg = |chart: Chart| charts::svg(&chart).unwrap_or_default();
    let format = |s: &Series| TableRow {
        group: s.name.clone(),
        cells: s
            .points
            .iter()
            .map(|p| p.map(|p| format!("{} (n={})", shown(h, p.value), p.n)).unwrap_or("–".into()))
            .collect(),
        change: history::change(s).map(|d| signed(h, d)).unwrap_or_default(),
    };
    let mut table = vec![format(&h.region)];
    table.extend(h.wijken.iter().map(format));
    QuestionTrend {
        id: h.question.clone(),
        label: h.label.clone(),
        measure: h.measure.label.clone(),
        measures: measures
            .iter()
            .map(|m| MeasureView {
                key: m.key.clone(),
                label: m.label.clone(),
                selected: m.key == h.measure.key,
            })
            .collect(),
        region_svg: svg(Chart::Trend(h.region_chart())),
        wijken_svg: if h.wijken.is_empty() { String::new() } else { svg(Chart::Multiples(h.wijken_chart())) },
        change: history::change(&h.region).map(|d| signed(h, d)).unwrap_or_default(),
        table,
        pooled: Vec::new(),
    }
}

/// The region and every wijk over the pooled block, in the history's order of wijken.
fn pooled_rows(pooled: &Pooled, question: &Question, h: &History, labels: &Labels) -> Vec<PooledRow> {
    let cell = |group: Option<&GroupResults>| {
        history::point(question, &h.measure, group)
            .map(|p| format!("{} (n={})", shown(h, p.value), p.n))
            .unwrap_or_default()
    };
    let mut rows = vec![PooledRow { group: history::REGION.to_string(), cell: cell(pooled.region.as_ref()) }];
    rows.extend(
        pooled
            .wijken
            .iter()
            .map(|(wijk, group)| PooledRow { group: labels.wijk(wijk), cell: cell(group.as_ref()) }),
    );
    rows
}

fn shown(h: &History, value: f64) -> String {
    if h.measure.percent { format!("{}%", (value * 100.0).round()) } else { decimal(value, 1) }
}

/// "+0,4" or "−12 procentpunt".
fn signed(h: &History, delta: f64) -> String {
    let text = if h.measure.percent {
        format!("{} procentpunt", (delta * 100.0).round().abs())
    } else {
        decimal(delta.abs(), 1)
    };
    let sign = if delta > 0.0 {
        "+"
    } else if delta < 0.0 {
        "−"
    } else {
        "±"
    };
    format!("{sign}{text}")
}

#[get("/werkgroep/job/<job>/grafiek/<question>/<maat>/<kind>/<format>")]
async fn job_chart(
    job: &str,
    question: &str,
    maat: &str,
    kind: &str,
    format: &str,
    member: Member,
    app: &State<App>,
) -> Download {
    let history = history_of(app, job).await?.ok_or(Error::NotFound)?;
    // Whose data: the job's rounds and the people of the region's figures (a suppressed
    // occasion shows none of them).
    let rounds: usize = history.iter().map(|o| o.rounds.len()).sum();
    let people: u64 = history.iter().filter_map(|o| o.region.as_ref()).map(|r| r.respondents).sum();
    let q = history::questions(&history).into_iter().find(|q| q.id == question).ok_or(Error::NotFound)?;
    let measure = trend::measures(&q).into_iter().find(|m| m.key == maat).ok_or(Error::NotFound)?;
    let h = history::follow(&history, &q, &measure).named(&Labels::of(&app.catalog.forms()));
    let chart = match kind {
        "regio" => Chart::Trend(h.region_chart()),
        "wijken" => Chart::Multiples(h.wijken_chart()),
        _ => return Err(Error::NotFound),
    };
    let file = chart_file(&chart, &format!("{job}-{question}-{kind}"), format)?;
    // Figures of many rounds' answers taken away: an export, as a round's chart is.
    let actor = member.actor();
    let entry = Entry::new(AuditAction::Exported, &actor, app.now())
        .about(format!("job {job}: {rounds} rondes, {people} personen"));
    entry.detail(format!("grafiek {question} ({maat}, {kind}).{format}")).log(&app.db).await?;
    Ok(file)
}
