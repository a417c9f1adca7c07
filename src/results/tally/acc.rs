//! One accumulator per question: counts while responses are read, a `Summary` at the end.

use crate::forms::model::{NA, OTHER};
use crate::forms::{Choice, Question, QuestionKind, ScalePoint};
use crate::results::{Count, MatrixRow, Numbers, QuestionResult, Summary};

use super::bins::{Grid, histogram};
use super::dates::dates;
use super::de::Leaf;

pub(super) struct Acc {
    id: String,
    label: String,
    kind: &'static str,
    body: Body,
}

enum Body {
    Choices(Choices),
    Scale {
        scale: Scale,
        counts: Vec<u64>,
        na: u64,
        na_label: Option<String>,
    },
    Matrix {
        items: Vec<(String, String)>,
        scale: Scale,
        rows: Vec<Row>,
        na_label: Option<String>,
    },
    Numbers {
        values: Vec<f64>,
        unit: Option<String>,
        grid: Grid,
    },
    Texts(Vec<String>),
    /// date: the days answered, read from their stored `YYYY-MM-DD`.
    Dates(Vec<chrono::NaiveDate>),
    /// email (a string), slot (a list of session codes).
    Answered {
        count: u64,
        list: bool,
    },
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Single,
    Multi,
    YesNo,
    Consent,
}

struct Choices {
    mode: Mode,
    /// (value, label), "Anders" last when the question has it.
    options: Vec<(String, String)>,
    counts: Vec<u64>,
    answered: u64,
    other_texts: Vec<String>,
}

struct Scale {
    values: Vec<i64>,
    labels: Vec<String>,
}

#[derive(Clone)]
struct Row {
    counts: Vec<u64>,
    na: u64,
}

enum Hit {
    Point(usize),
    Na,
}

/// How many known values one list answer held.
pub(super) struct List(u64);

impl Scale {
    /// The points low to high, whatever order the form lists them in.
    fn new(points: &[ScalePoint]) -> Scale {
        let label =
            |p: &ScalePoint| if p.label.nl.is_empty() { p.value.to_string() } else { p.label.nl.clone() };
        let mut sorted: Vec<&ScalePoint> = points.iter().collect();
        sorted.sort_by_key(|p| p.value);
        Scale {
            values: sorted.iter().map(|p| p.value).collect(),
            labels: sorted.iter().map(|p| label(p)).collect(),
        }
    }

    fn hit(&self, leaf: Leaf) -> Option<Hit> {
        match leaf {
            Leaf::Number(v) => self.values.iter().position(|&p| p as f64 == v).map(Hit::Point),
            Leaf::Str(s) if s == NA => Some(Hit::Na),
            _ => None,
        }
    }

    fn mean(&self, counts: &[u64]) -> Option<f64> {
        let n: u64 = counts.iter().sum();
        let total: f64 = self.values.iter().zip(counts).map(|(&v, &c)| v as f64 * c as f64).sum();
        (n > 0).then(|| total / n as f64)
    }
}

fn choices(mode: Mode, options: &[Choice], other: bool) -> Body {
    let mut options: Vec<(String, String)> =
        options.iter().map(|c| (c.value.clone(), c.label.nl.clone())).collect();
    if other {
        options.push((OTHER.to_string(), "Anders".to_string()));
    }
    let counts = vec![0; options.len()];
    Body::Choices(Choices { mode, options, counts, answered: 0, other_texts: Vec::new() })
}

fn fixed(mode: Mode, options: &[(&str, &str)]) -> Body {
    let counts = vec![0; options.len()];
    let options = options.iter().map(|(v, l)| (v.to_string(), l.to_string())).collect();
    Body::Choices(Choices { mode, options, counts, answered: 0, other_texts: Vec::new() })
}

fn trimmed(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

impl Acc {
    pub(super) fn new(q: &Question) -> Acc {
        let body = match &q.kind {
            QuestionKind::Single { options, other, .. } => choices(Mode::Single, options, *other),
            QuestionKind::Multi { options, other, .. } => choices(Mode::Multi, options, *other),
            QuestionKind::Yesno => fixed(Mode::YesNo, &[("ja", "Ja"), ("nee", "Nee")]),
            QuestionKind::Consent => fixed(Mode::Consent, &[("akkoord", "Akkoord")]),
            QuestionKind::Scale { points, na } => Body::Scale {
                scale: Scale::new(points),
                counts: vec![0; points.len()],
                na: 0,
                na_label: na.as_ref().map(|t| t.nl.clone()),
            },
            QuestionKind::Matrix { items, points, na } => Body::Matrix {
                items: items.iter().map(|c| (c.value.clone(), c.label.nl.clone())).collect(),
                scale: Scale::new(points),
                rows: vec![Row { counts: vec![0; points.len()], na: 0 }; items.len()],
                na_label: na.as_ref().map(|t| t.nl.clone()),
            },
            QuestionKind::Number { unit, step, min, max, .. } => Body::Numbers {
                values: Vec::new(),
                unit: unit.as_ref().map(|u| u.nl.clone()),
                grid: Grid { step: *step, min: *min, max: *max },
            },
            QuestionKind::Text { .. } | QuestionKind::Textarea { .. } => Body::Texts(Vec::new()),
            QuestionKind::Date { .. } => Body::Dates(Vec::new()),
            QuestionKind::Email => Body::Answered { count: 0, list: false },
            QuestionKind::Slot { .. } => Body::Answered { count: 0, list: true },
        };
        Acc { id: q.id.clone(), label: q.label.nl.clone(), kind: q.kind.name(), body }
    }

    pub(super) fn id(&self) -> &str {
        &self.id
    }

    /// Whether the question has an "Anders, namelijk" text to collect.
    pub(super) fn has_other(&self) -> bool {
        matches!(&self.body, Body::Choices(c) if c.options.last().is_some_and(|(v, _)| v == OTHER))
    }

    pub(super) fn leaf(&mut self, leaf: Leaf) {
        match (&mut self.body, leaf) {
            (Body::Choices(c), leaf) => c.leaf(leaf),
            (Body::Scale { scale, counts, na, .. }, leaf) => match scale.hit(leaf) {
                Some(Hit::Point(i)) => counts[i] += 1,
                Some(Hit::Na) => *na += 1,
                None => {}
            },
            (Body::Numbers { values, .. }, Leaf::Number(v)) if v.is_finite() => values.push(v),
            (Body::Texts(texts), Leaf::Str(s)) => texts.extend(trimmed(s)),
            (Body::Dates(days), Leaf::Str(s)) => {
                days.extend(chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
            }
            (Body::Answered { count, list: false }, Leaf::Str(s)) if !s.trim().is_empty() => *count += 1,
            _ => {}
        }
    }

    pub(super) fn takes_list(&self) -> bool {
        match &self.body {
            Body::Choices(c) => c.mode == Mode::Multi,
            Body::Answered { list, .. } => *list,
            _ => false,
        }
    }

    pub(super) fn start_list(&self) -> List {
        List(0)
    }

    pub(super) fn list_item(&mut self, list: &mut List, value: &str) {
        match &mut self.body {
            Body::Choices(c) => {
                if let Some(i) = c.options.iter().position(|(v, _)| v == value) {
                    c.counts[i] += 1;
                    list.0 += 1;
                }
            }
            Body::Answered { .. } if !value.is_empty() => list.0 += 1,
            _ => {}
        }
    }

    pub(super) fn end_list(&mut self, list: List) {
        match &mut self.body {
            Body::Choices(c) if list.0 > 0 => c.answered += 1,
            Body::Answered { count, .. } if list.0 > 0 => *count += 1,
            _ => {}
        }
    }

    pub(super) fn takes_grid(&self) -> bool {
        matches!(self.body, Body::Matrix { .. })
    }

    pub(super) fn grid_item(&self, item: &str) -> Option<usize> {
        match &self.body {
            Body::Matrix { items, .. } => items.iter().position(|(v, _)| v == item),
            _ => None,
        }
    }

    pub(super) fn grid_value(&mut self, row: usize, leaf: Leaf) {
        if let Body::Matrix { scale, rows, .. } = &mut self.body {
            match scale.hit(leaf) {
                Some(Hit::Point(i)) => rows[row].counts[i] += 1,
                Some(Hit::Na) => rows[row].na += 1,
                None => {}
            }
        }
    }

    pub(super) fn other_text(&mut self, text: &str) {
        if let Body::Choices(c) = &mut self.body {
            c.other_texts.extend(trimmed(text));
        }
    }

    pub(super) fn finish(self) -> QuestionResult {
        let summary = match self.body {
            Body::Choices(c) => c.finish(),
            Body::Scale { scale, counts, na, na_label } => {
                let answered = counts.iter().sum::<u64>() + na;
                let mean = scale.mean(&counts);
                Summary::Scale { points: counts_of(&scale, &counts), na, answered, mean, na_label }
            }
            Body::Matrix { items, scale, rows, na_label } => {
                let rows = items.into_iter().zip(rows).map(|((value, label), r)| MatrixRow {
                    answered: r.counts.iter().sum::<u64>() + r.na,
                    mean: scale.mean(&r.counts),
                    value,
                    label,
                    counts: r.counts,
                    na: r.na,
                });
                Summary::Matrix { rows: rows.collect(), points: scale.labels, na_label }
            }
            Body::Numbers { values, unit, grid } => Summary::Numbers(numbers(values, unit, grid)),
            Body::Texts(texts) => Summary::Texts(texts),
            Body::Dates(days) => Summary::Dates(dates(days)),
            Body::Answered { count, .. } => Summary::Answered(count),
        };
        QuestionResult { id: self.id, label: self.label, kind: self.kind, summary }
    }
}

impl Choices {
    fn leaf(&mut self, leaf: Leaf) {
        let hit = match (self.mode, leaf) {
            (Mode::Single, Leaf::Str(s)) => self.options.iter().position(|(v, _)| v == s),
            (Mode::YesNo, Leaf::Bool(b)) => Some(if b { 0 } else { 1 }),
            (Mode::Consent, Leaf::Bool(true)) => Some(0),
            // Declining is an answer, but not a choice that is counted.
            (Mode::Consent, Leaf::Bool(false)) => {
                self.answered += 1;
                None
            }
            _ => None,
        };
        if let Some(i) = hit {
            self.counts[i] += 1;
            self.answered += 1;
        }
    }

    fn finish(self) -> Summary {
        let options = self
            .options
            .into_iter()
            .zip(self.counts)
            .map(|((value, label), count)| Count { value, label, count })
            .collect();
        let multiple = self.mode == Mode::Multi;
        Summary::Choices { options, answered: self.answered, multiple, other_texts: self.other_texts }
    }
}

fn counts_of(scale: &Scale, counts: &[u64]) -> Vec<Count> {
    (scale.values.iter().zip(&scale.labels).zip(counts))
        .map(|((v, l), &count)| Count { value: v.to_string(), label: l.clone(), count })
        .collect()
}

fn numbers(mut values: Vec<f64>, unit: Option<String>, grid: Grid) -> Numbers {
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let mean = (n > 0).then(|| values.iter().sum::<f64>() / n as f64);
    let median = match n {
        0 => None,
        _ if n % 2 == 1 => Some(values[n / 2]),
        _ => Some((values[n / 2 - 1] + values[n / 2]) / 2.0),
    };
    Numbers {
        answered: n as u64,
        min: values.first().copied(),
        max: values.last().copied(),
        mean,
        median,
        unit,
        bins: histogram(&values, grid),
    }
}
