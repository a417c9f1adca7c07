//! From summaries to chart descriptions and table rows: which chart suits which question, and
//! the percentages shown beside the counts. The drawing itself is `charts`' business.

use crate::charts::{Bar, Bars, Chart, Diverging, DivergingRow, Histogram};

use super::{Count, NA_LABEL, QuestionResult, Summary};

/// The chart for a question, or `None` for questions without one (texts, e-mail addresses).
pub fn chart(question: &QuestionResult) -> Option<Chart> {
    let title = question.label.clone();
    match &question.summary {
        Summary::Choices { options, answered, .. } => Some(Chart::Bars(Bars {
            title,
            bars: options.iter().map(|o| Bar { label: o.label.clone(), count: o.count }).collect(),
            base: *answered,
        })),
        Summary::Scale { points, na, na_label, .. } => Some(Chart::Diverging(Diverging {
            title,
            points: points.iter().map(|p| p.label.clone()).collect(),
            rows: vec![DivergingRow {
                label: question.label.clone(),
                counts: points.iter().map(|p| p.count).collect(),
                na: *na,
            }],
            na_label: na_label.clone(),
        })),
        Summary::Matrix { points, rows, na_label } => Some(Chart::Diverging(Diverging {
            title,
            points: points.clone(),
            rows: rows
                .iter()
                .map(|r| DivergingRow { label: r.label.clone(), counts: r.counts.clone(), na: r.na })
                .collect(),
            na_label: na_label.clone(),
        })),
        Summary::Dates(dates) => Some(Chart::Bars(Bars {
            title,
            bars: dates.periods.iter().map(|p| Bar { label: p.label.clone(), count: p.count }).collect(),
            base: dates.answered,
        })),
        Summary::Numbers(numbers) => Some(Chart::Histogram(Histogram {
            title,
            unit: numbers.unit.clone(),
            bins: numbers.bins.clone(),
            median: numbers.median,
        })),
        Summary::Texts(_) | Summary::Answered(_) | Summary::Withheld(_) => None,
    }
}

/// A table row: a label, its count and its share of `base` ("40%"; empty when base is 0).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Row {
    pub label: String,
    pub count: u64,
    pub percent: String,
}

pub fn rows(counts: &[Count], base: u64) -> Vec<Row> {
    counts
        .iter()
        .map(|c| Row { label: c.label.clone(), count: c.count, percent: percent(c.count, base) })
        .collect()
}

/// The row of answers outside a scale ("Weet ik niet"): a count and no share, since the
/// shares are of the scale's points.
pub fn na_row(label: Option<&str>, na: u64) -> Row {
    Row { label: label.unwrap_or(NA_LABEL).to_string(), count: na, percent: String::new() }
}

/// "n = 12 · 3 weet ik niet": the base of a scale's shares and what was answered beside it.
pub fn base(n: u64, na: u64, na_label: Option<&str>) -> String {
    let mut text = format!("n = {n}");
    if na > 0 {
        text.push_str(&format!(" · {na} {}", na_label.unwrap_or(NA_LABEL).to_lowercase()));
    }
    text
}

/// "van 3 maart tot 28 april 2027" (the year once when both dates share it); one date alone is
/// "op 3 maart 2027".
pub fn date_range(first: chrono::NaiveDate, last: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let to = crate::time::dutch_date(last);
    if first == last {
        return format!("op {to}");
    }
    let from = if first.year() == last.year() {
        format!("{} {}", first.day(), crate::time::MONTHS[first.month0() as usize])
    } else {
        crate::time::dutch_date(first)
    };
    format!("van {from} tot {to}")
}

/// A share as a fraction for a spreadsheet's percent cell; `None` when there is no base.
pub fn fraction(count: u64, base: u64) -> Option<f64> {
    (base > 0).then(|| count as f64 / base as f64)
}

/// "40%", rounded to whole percents; empty when there is nothing to divide by.
pub fn percent(count: u64, base: u64) -> String {
    if base == 0 {
        return String::new();
    }
    format!("{}%", ((count as f64) * 100.0 / (base as f64)).round())
}

/// A number the Dutch way: a decimal comma and at most `decimals` decimals ("3,4", "12").
pub fn decimal(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text =
        if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.').to_string() } else { text };
    text.replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_whole_and_of_the_base() {
        assert_eq!(percent(2, 3), "67%");
        assert_eq!(percent(0, 5), "0%");
        assert_eq!(percent(1, 0), "");
    }

    #[test]
    fn a_base_states_the_answers_outside_the_scale_in_the_forms_words() {
        assert_eq!(base(12, 3, Some("Weet ik niet")), "n = 12 · 3 weet ik niet");
        assert_eq!(base(12, 2, None), "n = 12 · 2 n.v.t.");
        assert_eq!(base(15, 0, Some("Weet ik niet")), "n = 15");
    }

    #[test]
    fn a_date_range_names_the_year_once_unless_it_changes() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(date_range(day(2027, 3, 3), day(2027, 4, 28)), "van 3 maart tot 28 april 2027");
        assert_eq!(date_range(day(2026, 12, 30), day(2027, 1, 4)), "van 30 december 2026 tot 4 januari 2027");
        assert_eq!(date_range(day(2027, 3, 3), day(2027, 3, 3)), "op 3 maart 2027");
    }

    #[test]
    fn decimals_use_a_comma_and_drop_trailing_zeros() {
        assert_eq!(decimal(3.456, 1), "3,5");
        assert_eq!(decimal(12.0, 1), "12");
        assert_eq!(decimal(0.25, 2), "0,25");
    }
}
