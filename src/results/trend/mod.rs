//! One figure per round for a question, for trend lines.
//!
//! A measure is named by a key that can go in a URL; `value` finds the figure again from the
//! key alone, by rebuilding the keys of the summary's options or items in the same order, so
//! no other state has to travel with the measure.

use crate::forms::model::OTHER;
use crate::forms::{Question, QuestionKind};

use super::{Count, Summary};

/// A figure that can be followed over rounds.
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    /// URL-safe key, unique within the question: "gemiddelde", "eens", "optie-ja", "item-x-eens".
    pub key: String,
    /// Dutch label for the y axis and the choice list: "gemiddelde (1-5)", "% (zeer) eens".
    pub label: String,
    /// A share in 0..=1 (drawn as a percentage) rather than a mean.
    pub percent: bool,
    /// The fixed y range when known (a scale's lowest and highest point).
    pub y_range: Option<(f64, f64)>,
}

const MEAN: &str = "gemiddelde";
const AGREE: &str = "eens";
const MEDIAN: &str = "mediaan";

/// The measures a question offers; empty for questions without a figure (texts, dates).
pub fn measures(question: &Question) -> Vec<Measure> {
    match &question.kind {
        QuestionKind::Scale { points, .. } => scale_measures("", "", range(points.iter().map(|p| p.value))),
        QuestionKind::Matrix { items, points, .. } => {
            let range = range(points.iter().map(|p| p.value));
            let keys = keys(items.iter().map(|i| i.value.as_str()));
            (items.iter().zip(keys))
                .flat_map(|(item, key)| {
                    scale_measures(&format!("item-{key}-"), &format!("{}: ", item.label.nl), range)
                })
                .collect()
        }
        QuestionKind::Yesno => vec![share("optie-ja".into(), "% ja".into())],
        QuestionKind::Consent => vec![share("optie-akkoord".into(), "% akkoord".into())],
        QuestionKind::Single { options, other, .. } | QuestionKind::Multi { options, other, .. } => {
            let mut labelled: Vec<(&str, &str)> =
                options.iter().map(|o| (o.value.as_str(), o.label.nl.as_str())).collect();
            if *other {
                labelled.push((OTHER, "Anders"));
            }
            let keys = keys(labelled.iter().map(|(v, _)| *v));
            (labelled.iter().zip(keys))
                .map(|((_, label), key)| share(format!("optie-{key}"), format!("% {label}")))
                .collect()
        }
        QuestionKind::Number { .. } => vec![
            Measure { key: MEAN.into(), label: MEAN.into(), percent: false, y_range: None },
            Measure { key: MEDIAN.into(), label: MEDIAN.into(), percent: false, y_range: None },
        ],
        QuestionKind::Text { .. }
        | QuestionKind::Textarea { .. }
        | QuestionKind::Email
        | QuestionKind::Date { .. }
        | QuestionKind::Slot { .. } => Vec::new(),
    }
}

/// The measure's value for a summary of that question; `None` when nobody answered.
pub fn value(measure: &Measure, summary: &Summary) -> Option<f64> {
    let key = measure.key.as_str();
    match summary {
        Summary::Scale { points, mean, .. } => match key {
            MEAN => *mean,
            AGREE => agree(&points.iter().map(|p| p.count).collect::<Vec<_>>()),
            _ => None,
        },
        Summary::Matrix { rows, .. } => {
            let keys = keys(rows.iter().map(|r| r.value.as_str()));
            // Matched whole: "item-a-2-eens" must not be taken for item "a".
            let row = |what: &str| rows.iter().zip(&keys).find(|(_, k)| key == format!("item-{k}-{what}"));
            if let Some((row, _)) = row(MEAN) {
                row.mean
            } else {
                row(AGREE).and_then(|(row, _)| agree(&row.counts))
            }
        }
        Summary::Choices { options, answered, .. } => {
            let wanted = key.strip_prefix("optie-")?;
            let keys = keys(options.iter().map(|o| o.value.as_str()));
            let option: &Count = options.iter().zip(keys).find(|(_, k)| k == wanted)?.0;
            (*answered > 0).then(|| option.count as f64 / *answered as f64)
        }
        Summary::Numbers(n) => match key {
            MEAN => n.mean,
            MEDIAN => n.median,
            _ => None,
        },
        Summary::Texts(_) | Summary::Dates(_) | Summary::Answered(_) | Summary::Withheld(_) => None,
    }
}

/// How many answers the measure's value is of: for a scale or a matrix item those on its points
/// (its n.v.t. left out, as the value leaves them out), else all who answered the question.
pub fn base(measure: &Measure, summary: &Summary) -> u64 {
    let key = measure.key.as_str();
    match summary {
        Summary::Scale { answered, na, .. } => answered - na,
        Summary::Matrix { rows, .. } => {
            let keys = keys(rows.iter().map(|r| r.value.as_str()));
            let row = |what: &str| rows.iter().zip(&keys).find(|(_, k)| key == format!("item-{k}-{what}"));
            row(MEAN).or_else(|| row(AGREE)).map_or(0, |(row, _)| row.base())
        }
        other => other.answered(),
    }
}

fn share(key: String, label: String) -> Measure {
    Measure { key, label, percent: true, y_range: None }
}

fn range(values: impl Iterator<Item = i64>) -> Option<(i64, i64)> {
    values.fold(None, |r, v| Some(r.map_or((v, v), |(lo, hi): (i64, i64)| (lo.min(v), hi.max(v)))))
}

fn scale_measures(key_prefix: &str, label_prefix: &str, range: Option<(i64, i64)>) -> Vec<Measure> {
    let mean_label = match range {
        Some((lo, hi)) => format!("{label_prefix}gemiddelde ({lo}–{hi})"),
        None => format!("{label_prefix}gemiddelde"),
    };
    vec![
        Measure {
            key: format!("{key_prefix}{MEAN}"),
            label: mean_label,
            percent: false,
            y_range: range.map(|(lo, hi)| (lo as f64, hi as f64)),
        },
        share(format!("{key_prefix}{AGREE}"), format!("{label_prefix}% (zeer) eens")),
    ]
}

/// The share of answers (n.v.t. excluded) in the upper half of the scale: the points listed
/// after the middle one, so 4 and 5 of 1–5, 3 and 4 of 1–4. Counts are low to high.
fn agree(counts: &[u64]) -> Option<f64> {
    let total: u64 = counts.iter().sum();
    let upper: u64 =
        counts.iter().enumerate().filter(|(i, _)| 2 * i + 1 > counts.len()).map(|(_, c)| c).sum();
    (total > 0).then(|| upper as f64 / total as f64)
}

/// URL-safe keys for option or item values, in order: lower-case ASCII letters and digits,
/// anything else a single '-', and "-2", "-3" after a key already taken.
fn keys<'v>(values: impl Iterator<Item = &'v str>) -> Vec<String> {
    let mut taken: Vec<String> = Vec::new();
    for value in values {
        let mut key = String::new();
        for c in value.chars() {
            if c.is_ascii_alphanumeric() {
                key.push(c.to_ascii_lowercase());
            } else if !key.is_empty() && !key.ends_with('-') {
                key.push('-');
            }
        }
        let base = match key.trim_end_matches('-') {
            "" => "x".to_string(),
            k => k.to_string(),
        };
        let mut key = base.clone();
        let mut n = 1;
        while taken.contains(&key) {
            n += 1;
            key = format!("{base}-{n}");
        }
        taken.push(key);
    }
    taken
}

#[cfg(test)]
mod tests;
