//! What the werkgroep's round pages show, as template data: the response rates with suppressed
//! cells, the filter choices that may be offered, and a chart and table per question.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::charts;
use crate::results::access::Access;
use crate::results::figures::{self, Row, decimal, percent};
use crate::results::labels::Labels;
use crate::results::load::Invited;
use crate::results::privacy::Disclosure;
use crate::results::{Filter, QuestionResult, Summary, TOO_FEW};

#[derive(Serialize)]
pub struct RoundHead {
    pub id: i64,
    pub title: String,
    pub period: String,
    pub anonymous: bool,
    pub closed: bool,
    pub job: Option<String>,
    pub part: String,
    /// The wijk's name for people; the code until [`RoundHead::named`] sets it.
    pub part_label: String,
}

pub fn head(access: &Access) -> RoundHead {
    let (round, row) = (access.round(), access.row());
    RoundHead {
        id: round.id.0,
        title: round.title.clone(),
        period: crate::time::dutch_span(round.opens_at, round.closes_at),
        anonymous: round.anonymous,
        // The moment `access` decides on, so the page and its figures agree on "closed".
        closed: access.is_closed(),
        job: row.job_id.clone(),
        part: row.part.clone(),
        part_label: row.part.clone(),
    }
}

impl RoundHead {
    /// With the wijk's label in place of its code.
    pub fn named(self, labels: &Labels) -> RoundHead {
        RoundHead { part_label: labels.wijk(&self.part), ..self }
    }
}

impl Rates {
    /// With wijk and role labels in place of their codes.
    pub fn named(mut self, labels: &Labels) -> Rates {
        self.wijken.iter_mut().for_each(|r| r.group = labels.wijk(&r.group));
        self.roles.iter_mut().for_each(|r| r.group = labels.role(&r.group));
        self
    }
}

impl FilterView {
    /// With wijk and role labels beside the codes the form sends.
    pub fn named(mut self, labels: &Labels) -> FilterView {
        self.wijken.iter_mut().for_each(|c| c.label = labels.wijk(&c.value));
        self.roles.iter_mut().for_each(|c| c.label = labels.role(&c.value));
        self
    }
}

/// One line of the response-rate table; `answered` is `None` when suppressed.
#[derive(Serialize)]
pub struct RateRow {
    pub group: String,
    pub invited: u64,
    pub answered: Option<u64>,
    pub rate: String,
}

#[derive(Serialize)]
pub struct Rates {
    pub total: RateRow,
    pub wijken: Vec<RateRow>,
    pub roles: Vec<RateRow>,
    pub too_few: &'static str,
}

/// Response rates overall, per wijk and per role, with the answered counts the threshold hides.
pub fn rates(invited: &Invited, disclosure: &Disclosure) -> Rates {
    let row = |group: String, filter: Filter| {
        let invited_n = invited.count(&filter);
        let answered = disclosure.count(&filter);
        let rate = answered.map(|a| percent(a, invited_n)).unwrap_or_default();
        RateRow { group, invited: invited_n, answered, rate }
    };
    let (wijken, roles) = groups(invited.invited.keys());
    Rates {
        total: row("Totaal".into(), Filter::default()),
        wijken: wijken.into_iter().map(|w| row(shown(&w), Filter { wijk: Some(w), role: None })).collect(),
        roles: roles.into_iter().map(|r| row(shown(&r), Filter { wijk: None, role: Some(r) })).collect(),
        too_few: TOO_FEW,
    }
}

fn groups<'a>(keys: impl Iterator<Item = &'a (String, String)>) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut wijken = BTreeSet::new();
    let mut roles = BTreeSet::new();
    for (w, r) in keys {
        wijken.insert(w.clone());
        roles.insert(r.clone());
    }
    (wijken, roles)
}

fn shown(group: &str) -> String {
    if group.is_empty() { "(onbekend)".to_string() } else { group.to_string() }
}

#[derive(Serialize)]
pub struct Choice {
    pub value: String,
    /// What the option says; the code until [`FilterView::named`] sets it.
    pub label: String,
    pub selected: bool,
}

#[derive(Serialize)]
pub struct FilterView {
    pub wijken: Vec<Choice>,
    pub roles: Vec<Choice>,
    pub active: bool,
    /// The query string that repeats the filter on links ("?wijk=Noord&rol=huisarts").
    pub query: String,
}

/// The filter choices: only wijken and roles whose own group may be shown.
pub fn filter_view(invited: &Invited, disclosure: &Disclosure, filter: &Filter, part: &str) -> FilterView {
    let (mut wijken, roles) = groups(invited.invited.keys());
    if !part.is_empty() {
        // A per-wijk round is about its own wijk only.
        wijken.clear();
    }
    let choice = |value: String, current: &Option<String>| Choice {
        selected: current.as_ref() == Some(&value),
        label: value.clone(),
        value,
    };
    FilterView {
        wijken: wijken
            .into_iter()
            .filter(|w| !w.is_empty() && disclosure.allows(&Filter { wijk: Some(w.clone()), role: None }))
            .map(|w| choice(w, &filter.wijk))
            .collect(),
        roles: roles
            .into_iter()
            .filter(|r| !r.is_empty() && disclosure.allows(&Filter { wijk: None, role: Some(r.clone()) }))
            .map(|r| choice(r, &filter.role))
            .collect(),
        active: filter.wijk.is_some() || filter.role.is_some(),
        query: query(filter),
    }
}

/// The filter as a query string, each value percent-encoded.
pub fn query(filter: &Filter) -> String {
    let mut parts = Vec::new();
    if let Some(w) = &filter.wijk {
        parts.push(format!("wijk={}", encode(w)));
    }
    if let Some(r) = &filter.role {
        parts.push(format!("rol={}", encode(r)));
    }
    if parts.is_empty() { String::new() } else { format!("?{}", parts.join("&")) }
}

/// `text` percent-encoded for a query string (everything but the unreserved characters).
pub(crate) fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A question as the round page shows it.
#[derive(Serialize)]
pub struct QuestionView {
    pub id: String,
    pub label: String,
    pub kind: &'static str,
    /// The chart as inline SVG (text escaped by the chart code); empty when there is none.
    pub svg: String,
    pub rows: Vec<Row>,
    /// Matrix: one table per item would be long; a row per item with the points as columns.
    pub grid: Option<Grid>,
    pub answered: u64,
    /// Scales and matrices: "n = 12 · 3 weet ik niet", what the shares are of and what was
    /// answered beside the scale, said in place of "15 beantwoord"; empty for other questions.
    pub base: String,
    /// Rows below the shares, apart from them: a scale's "Weet ik niet" (a count, no share).
    pub apart: Vec<Row>,
    /// "gemiddelde 3,8" / "mediaan 12 (min 2, max 40)".
    pub figures: String,
    pub texts: usize,
    /// Whether the reader may list the e-mail addresses given (set by the page, which knows
    /// the reader).
    pub addresses: bool,
}

#[derive(Serialize)]
pub struct Grid {
    pub points: Vec<String>,
    pub rows: Vec<GridRow>,
    /// The heading of the column of answers outside the scale; `None` without such answers.
    pub na_label: Option<String>,
}

#[derive(Serialize)]
pub struct GridRow {
    pub label: String,
    /// "4 (33%)": of `base`, the item's answers on the scale.
    pub cells: Vec<String>,
    pub answered: u64,
    pub base: u64,
    pub na: u64,
    pub mean: String,
}

pub fn question(result: &QuestionResult) -> QuestionView {
    let svg = figures::chart(result).and_then(|c| charts::svg(&c).ok()).unwrap_or_default();
    let mut view = QuestionView {
        id: result.id.clone(),
        label: result.label.clone(),
        kind: result.kind,
        svg,
        rows: Vec::new(),
        grid: None,
        answered: 0,
        base: String::new(),
        apart: Vec::new(),
        figures: String::new(),
        texts: 0,
        addresses: false,
    };
    match &result.summary {
        Summary::Choices { options, answered, other_texts, .. } => {
            view.rows = figures::rows(options, *answered);
            view.answered = *answered;
            view.texts = other_texts.len();
        }
        Summary::Scale { points, na, answered, mean, na_label } => {
            let on_scale = answered - na;
            view.rows = figures::rows(points, on_scale);
            view.answered = *answered;
            view.base = figures::base(on_scale, *na, na_label.as_deref());
            if *na > 0 || na_label.is_some() {
                view.apart = vec![figures::na_row(na_label.as_deref(), *na)];
            }
            view.figures = mean.map(|m| format!("gemiddelde {}", decimal(m, 1))).unwrap_or_default();
        }
        Summary::Matrix { points, rows, na_label } => {
            view.answered = rows.iter().map(|r| r.answered).max().unwrap_or(0);
            view.base = matrix_base(rows, na_label.as_deref());
            view.grid = Some(grid(points, rows, na_label.as_deref()));
        }
        Summary::Dates(dates) => {
            view.answered = dates.answered;
            view.rows = figures::rows(&dates.periods, dates.answered);
            if let (Some(first), Some(last)) = (dates.first, dates.last) {
                view.figures = figures::date_range(first, last);
            }
        }
        Summary::Numbers(n) => {
            view.answered = n.answered;
            view.rows = n
                .bins
                .iter()
                .map(|b| Row {
                    label: b.label.clone(),
                    count: b.count,
                    percent: percent(b.count, n.answered),
                })
                .collect();
            view.figures = number_figures(n);
        }
        Summary::Texts(texts) => {
            view.answered = texts.len() as u64;
            view.texts = texts.len();
        }
        Summary::Answered(n) => view.answered = *n,
        Summary::Withheld(n) => {
            view.answered = *n;
            view.figures = format!("{} om te tonen", crate::results::TOO_FEW);
        }
    }
    view
}

/// A matrix's base as for a scale when its items share it, else its range over the items:
/// "n = 10–12 · 1–3 weet ik niet, per onderdeel in de tabel".
fn matrix_base(rows: &[crate::results::MatrixRow], na_label: Option<&str>) -> String {
    let span = |values: Vec<u64>| {
        let (low, high) = (values.iter().min().copied(), values.iter().max().copied());
        match (low, high) {
            (Some(l), Some(h)) if l != h => Some(format!("{l}–{h}")),
            (Some(l), _) => Some(l.to_string()),
            _ => None,
        }
    };
    let (Some(n), Some(na)) =
        (span(rows.iter().map(|r| r.base()).collect()), span(rows.iter().map(|r| r.na).collect()))
    else {
        return String::new();
    };
    let mut text = format!("n = {n}");
    if rows.iter().any(|r| r.na > 0) {
        text.push_str(&format!(" · {na} {}", na_label.unwrap_or(crate::results::NA_LABEL).to_lowercase()));
    }
    if rows.iter().any(|r| (r.base(), r.na) != (rows[0].base(), rows[0].na)) {
        text.push_str(", per onderdeel in de tabel");
    }
    text
}

fn number_figures(n: &crate::results::Numbers) -> String {
    let unit = n.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
    match (n.median, n.min, n.max, n.mean) {
        (Some(median), Some(min), Some(max), Some(mean)) => format!(
            "mediaan {}{unit} (gemiddelde {}, laagste {}, hoogste {})",
            decimal(median, 1),
            decimal(mean, 1),
            decimal(min, 2),
            decimal(max, 2)
        ),
        _ => String::new(),
    }
}

fn grid(points: &[String], rows: &[crate::results::MatrixRow], na_label: Option<&str>) -> Grid {
    let any_na = rows.iter().any(|r| r.na > 0);
    Grid {
        points: points.to_vec(),
        rows: rows
            .iter()
            .map(|r| GridRow {
                label: r.label.clone(),
                cells: r.counts.iter().map(|c| format!("{c} ({})", percent(*c, r.base()))).collect(),
                answered: r.answered,
                base: r.base(),
                na: r.na,
                mean: r.mean.map(|m| decimal(m, 1)).unwrap_or_default(),
            })
            .collect(),
        na_label: (any_na || na_label.is_some())
            .then(|| na_label.unwrap_or(crate::results::NA_LABEL).to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::MatrixRow;

    fn row(counts: Vec<u64>, na: u64) -> MatrixRow {
        let answered = counts.iter().sum::<u64>() + na;
        MatrixRow { value: "i".into(), label: "I".into(), counts, na, answered, mean: None }
    }

    #[test]
    fn a_matrix_states_one_base_when_its_items_share_it_and_the_range_when_they_do_not() {
        let same = [row(vec![1, 1, 4, 5, 1], 3), row(vec![0, 0, 0, 12, 0], 3)];
        assert_eq!(matrix_base(&same, Some("Weet ik niet")), "n = 12 · 3 weet ik niet");
        let apart = [row(vec![1, 1, 4, 5, 1], 3), row(vec![0, 0, 0, 15, 0], 0)];
        assert_eq!(
            matrix_base(&apart, Some("Weet ik niet")),
            "n = 12–15 · 0–3 weet ik niet, per onderdeel in de tabel"
        );
        assert_eq!(matrix_base(&[row(vec![2, 3], 0)], None), "n = 5");
        let grid = grid(&["laag".into(), "hoog".into()], &[row(vec![1, 3], 2)], None);
        assert_eq!(grid.rows[0].cells, ["1 (25%)", "3 (75%)"], "shares of the 4 on the scale, not of 6");
        assert_eq!(grid.na_label.as_deref(), Some("n.v.t."), "a column for them, in the old words");
    }
}
