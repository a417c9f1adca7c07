//! A round at a glance: the few figures a werkgroep member should see before the per-question
//! detail. Which questions moved most since the job's previous round, and which statements
//! score lowest. Plain functions over results that have already passed the disclosure rules: a
//! suppressed question has no value, so it is never compared or ranked.
//!
//! Changes and scores are put on one footing before they are ranked: a mean as a share of its
//! scale's range (3,4 → 3,8 on 1–5 is 10%), a share as percentage points. Numbers have no
//! range to judge a change by, so they are left out rather than ranked by a guess.

use serde::Serialize;

use super::QuestionResult;
use super::figures::{decimal, percent};
use super::trend::{self, Measure};
use crate::forms::{Question, QuestionKind};

mod previous;
#[cfg(test)]
mod tests;

pub use previous::{Previous, previous};

/// A change smaller than this (a twentieth of the scale, 5 percentage points) is not a story.
pub const NOTABLE: f64 = 0.05;

/// How many changes and statements a glance lists.
pub const LIMIT: usize = 3;

/// What the glance shows, as template data.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Glance {
    pub respondents: u64,
    pub invited: u64,
    /// "62%", empty without invitations.
    pub rate: String,
    /// The previous round's period when there is one to compare with.
    pub previous: Option<String>,
    /// Set when there is a previous round but this group could not be compared with it.
    pub not_compared: bool,
    pub changes: Vec<Change>,
    pub lowest: Vec<Statement>,
}

impl Glance {
    /// The glance at `results` of a group of `respondents` out of `invited`, against the
    /// previous round when there is one.
    pub fn new(
        questions: &[&Question],
        results: &[QuestionResult],
        (respondents, invited): (u64, u64),
        previous: Option<&Previous>,
    ) -> Glance {
        let changes = match previous.and_then(|p| p.questions.as_deref()) {
            Some(before) => changes(questions.iter().copied(), results, before, LIMIT),
            None => Vec::new(),
        };
        Glance {
            respondents,
            invited,
            rate: percent(respondents, invited),
            previous: previous.map(|p| p.period.clone()),
            not_compared: previous.is_some_and(|p| p.questions.is_none()),
            changes,
            lowest: lowest(questions.iter().copied(), results, LIMIT),
        }
    }
}

/// A figure that moved since the previous round.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub question: String,
    /// What moved: "gemiddelde (1–5)", "% Telefoon", "Bereikbaarheid: gemiddelde (1–5)".
    pub measure: String,
    pub before: String,
    pub after: String,
    pub up: bool,
    /// The change on a common footing (see the module's doc), signed.
    #[serde(skip)]
    pub size: f64,
}

/// A scale question or matrix item with its mean and share of agreement.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Statement {
    pub label: String,
    pub mean: String,
    pub agree: String,
    /// Where the mean lies between the scale's ends, 0 to 1.
    #[serde(skip)]
    pub position: f64,
}

/// One figure a question offers for comparison: its measure, what it is called here, and how to
/// put a difference on the common footing.
struct Figure<'q> {
    measure: Measure,
    label: String,
    question: &'q Question,
    /// The scale's width for means; 1 for shares.
    range: f64,
    /// For a statement: the measure of agreement beside the mean.
    agree: Option<Measure>,
}

fn result<'r>(results: &'r [QuestionResult], question: &Question) -> Option<&'r QuestionResult> {
    results.iter().find(|r| r.id == question.id && r.kind == question.kind.name())
}

/// The means of a scale question or of every matrix item, each with its agreement measure.
fn means(question: &Question) -> Vec<Figure<'_>> {
    let item_labels: Vec<String> = match &question.kind {
        QuestionKind::Scale { .. } => vec![String::new()],
        QuestionKind::Matrix { items, .. } => items.iter().map(|i| i.label.nl.clone()).collect(),
        _ => return Vec::new(),
    };
    // `measures` gives a mean and an agreement per item, in item order.
    let measures = trend::measures(question);
    measures
        .chunks(2)
        .zip(item_labels)
        .filter_map(|(pair, item)| {
            let [mean, agree] = pair else { return None };
            let (lo, hi) = mean.y_range?;
            let label = if item.is_empty() { question.label.nl.clone() } else { item };
            Some(Figure {
                measure: mean.clone(),
                label,
                question,
                range: (hi - lo).max(1.0),
                agree: Some(agree.clone()),
            })
        })
        .collect()
}

/// The figure to compare for a question: its means (scale, matrix), or for a choice the share
/// of the option most chose this round.
fn compared<'q>(question: &'q Question, now: &QuestionResult) -> Vec<Figure<'q>> {
    match &question.kind {
        QuestionKind::Scale { .. } | QuestionKind::Matrix { .. } => means(question),
        QuestionKind::Single { .. }
        | QuestionKind::Multi { .. }
        | QuestionKind::Yesno
        | QuestionKind::Consent => {
            let main = trend::measures(question)
                .into_iter()
                .filter_map(|m| trend::value(&m, &now.summary).map(|v| (m, v)))
                .max_by(|a, b| a.1.total_cmp(&b.1));
            main.map(|(measure, _)| Figure {
                label: measure.label.clone(),
                measure,
                question,
                range: 1.0,
                agree: None,
            })
            .into_iter()
            .collect()
        }
        _ => Vec::new(),
    }
}

fn shown(measure: &Measure, value: f64) -> String {
    if measure.percent { format!("{}%", (value * 100.0).round()) } else { decimal(value, 1) }
}

/// The figures that moved most from `before` to `now`, largest first, at most `limit`, each at
/// least [`NOTABLE`]; only questions both rounds have and both may show.
pub fn changes<'q>(
    questions: impl IntoIterator<Item = &'q Question>,
    now: &[QuestionResult],
    before: &[QuestionResult],
    limit: usize,
) -> Vec<Change> {
    let mut found: Vec<Change> = Vec::new();
    for question in questions {
        let (Some(now_r), Some(before_r)) = (result(now, question), result(before, question)) else {
            continue;
        };
        for figure in compared(question, now_r) {
            let after = trend::value(&figure.measure, &now_r.summary);
            let earlier = trend::value(&figure.measure, &before_r.summary);
            let (Some(after), Some(earlier)) = (after, earlier) else { continue };
            let size = (after - earlier) / figure.range;
            if size.abs() < NOTABLE {
                continue;
            }
            let measure = match &figure.agree {
                None => figure.measure.label.clone(),
                Some(_) if figure.label == figure.question.label.nl => mean_label(&figure.measure),
                Some(_) => format!("{}: {}", figure.label, mean_label(&figure.measure)),
            };
            found.push(Change {
                question: figure.question.label.nl.clone(),
                measure,
                before: shown(&figure.measure, earlier),
                after: shown(&figure.measure, after),
                up: size > 0.0,
                size,
            });
        }
    }
    found.sort_by(|a, b| b.size.abs().total_cmp(&a.size.abs()));
    found.truncate(limit);
    found
}

/// A matrix item's measure label carries the item ("x: gemiddelde (1–5)"); the item is named
/// apart, so only the part after it.
fn mean_label(measure: &Measure) -> String {
    match measure.label.rsplit_once(": ") {
        Some((_, rest)) => rest.to_string(),
        None => measure.label.clone(),
    }
}

/// The scale questions and matrix items with the lowest mean (relative to their scale), lowest
/// first, at most `limit`.
pub fn lowest<'q>(
    questions: impl IntoIterator<Item = &'q Question>,
    results: &[QuestionResult],
    limit: usize,
) -> Vec<Statement> {
    let mut found: Vec<Statement> = Vec::new();
    for question in questions {
        let Some(r) = result(results, question) else { continue };
        for figure in means(question) {
            let Some(mean) = trend::value(&figure.measure, &r.summary) else { continue };
            let low = figure.measure.y_range.map_or(0.0, |(lo, _)| lo);
            let agree = figure.agree.as_ref().and_then(|a| trend::value(a, &r.summary));
            let label = statement(&question.label.nl, figure.label);
            found.push(Statement {
                label,
                mean: decimal(mean, 1),
                agree: agree.map(|a| percent((a * 1000.0).round() as u64, 1000)).unwrap_or_default(),
                position: (mean - low) / figure.range,
            });
        }
    }
    found.sort_by(|a, b| a.position.total_cmp(&b.position));
    found.truncate(limit);
    found
}

/// How a statement is named in the list: a matrix item that is a sentence of its own stands
/// alone (its question, "In hoeverre bent u het eens met deze stellingen?", adds nothing); a short
/// item ("anw") needs its question. A closing full stop is dropped, since ": gemiddelde" follows.
fn statement(question: &str, item: String) -> String {
    let label = if item == question || item.split_whitespace().count() < 4 {
        if item == question { item } else { format!("{question} – {item}") }
    } else {
        item
    };
    label.trim_end_matches('.').to_string()
}
