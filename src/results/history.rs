//! A question followed over a job's rounds: one figure per occasion for the region and for each
//! wijk, with the respondents behind it; suppressed groups are gaps, never numbers.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Amsterdam;

use super::labels::Labels;
use super::load::{GroupResults, Occasion};
use super::trend::{self, Measure};
use crate::charts::{Multiples, Panel, Series, Trend, TrendPoint};
use crate::forms::Question;

/// The region's name in series and tables.
pub const REGION: &str = "regio";

/// One question over time.
#[derive(Clone, Debug, PartialEq)]
pub struct History {
    pub question: String,
    pub label: String,
    pub measure: Measure,
    pub x_labels: Vec<String>,
    pub region: Series,
    pub wijken: Vec<Series>,
}

/// The questions of the newest occasion's form that offer a measure, in form order.
pub fn questions(history: &[Occasion]) -> Vec<Question> {
    let Some(latest) = history.last() else { return Vec::new() };
    latest.form.questions().filter(|q| !trend::measures(q).is_empty()).cloned().collect()
}

/// `question` followed by `measure` over every occasion.
pub fn follow(history: &[Occasion], question: &Question, measure: &Measure) -> History {
    let wijken: BTreeSet<&String> = history.iter().flat_map(|o| o.wijken.keys()).collect();
    let point = |group: Option<&GroupResults>| point(question, measure, group);
    let region = Series {
        name: REGION.to_string(),
        points: history.iter().map(|o| point(o.region.as_ref())).collect(),
    };
    let wijken = wijken
        .into_iter()
        .map(|wijk| Series {
            name: wijk.clone(),
            points: history.iter().map(|o| point(o.wijken.get(wijk).and_then(Option::as_ref))).collect(),
        })
        .collect();
    History {
        question: question.id.clone(),
        label: question.label.nl.clone(),
        measure: measure.clone(),
        x_labels: labels(history),
        region,
        wijken,
    }
}

/// `measure` of `question` in a group's results, with the respondents behind it; `None` for a
/// suppressed group or a question nobody answered.
pub fn point(question: &Question, measure: &Measure, group: Option<&GroupResults>) -> Option<TrendPoint> {
    let group = group?;
    let result = group.questions.iter().find(|q| q.id == question.id && q.kind == question.kind.name())?;
    let value = trend::value(measure, &result.summary)?;
    Some(TrendPoint { value, n: trend::base(measure, &result.summary) })
}

/// "apr 2027" per occasion; the day is added where two fall in one month.
pub fn labels(history: &[Occasion]) -> Vec<String> {
    let opened: Vec<DateTime<Utc>> = history.iter().map(|o| o.rounds[0].opens_at).collect();
    let month = |t: &DateTime<Utc>| t.with_timezone(&Amsterdam).format("%Y-%m").to_string();
    opened
        .iter()
        .map(|t| {
            let local = t.with_timezone(&Amsterdam).date_naive();
            let twice = opened.iter().filter(|o| month(o) == month(t)).count() > 1;
            let short = crate::time::dutch_short_month(local);
            if twice { format!("{} {short}", local.format("%-d")) } else { short }
        })
        .collect()
}

impl History {
    /// With the wijken's labels as their names in charts and tables ("Havenkwartier", not
    /// `haven`).
    pub fn named(mut self, labels: &Labels) -> History {
        self.wijken.iter_mut().for_each(|s| s.name = labels.wijk(&s.name));
        self
    }

    /// The region's line.
    pub fn region_chart(&self) -> Trend {
        self.trend(self.label.clone(), vec![self.region.clone()])
    }

    /// One panel per wijk, each with the region as a reference line; a wijk without a single
    /// shown point says "te weinig antwoorden".
    pub fn wijken_chart(&self) -> Multiples {
        let panels = self
            .wijken
            .iter()
            .map(|wijk| {
                let shown = wijk.points.iter().any(Option::is_some);
                let chart = self.trend(wijk.name.clone(), vec![self.region.clone(), wijk.clone()]);
                Panel {
                    name: wijk.name.clone(),
                    chart: shown.then(|| Box::new(crate::charts::Chart::Trend(chart))),
                }
            })
            .collect();
        Multiples {
            title: format!("{} – per wijk", self.label),
            panels,
            suppressed: super::TOO_FEW.to_owned(),
        }
    }

    fn trend(&self, title: String, series: Vec<Series>) -> Trend {
        Trend {
            title,
            y_label: self.measure.label.clone(),
            percent: self.measure.percent,
            y_range: self.measure.y_range,
            x_labels: self.x_labels.clone(),
            series,
        }
    }
}

/// The change from the previous occasion to the latest, when both are shown.
pub fn change(series: &Series) -> Option<f64> {
    match series.points.as_slice() {
        [.., Some(before), Some(latest)] => Some(latest.value - before.value),
        _ => None,
    }
}
