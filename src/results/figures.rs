//! From summaries to chart descriptions and table rows: which chart suits which question, and
//! the percentages shown beside the counts. The drawing itself is `charts`' business.

use crate::charts::{Bar, Bars, Chart, Diverging, DivergingRow, Histogram};

use super::{Count, QuestionResult, Summary};

/// The chart for a question, or `None` for questions without one (texts, dates).
pub fn chart(question: &QuestionResult) -> Option<Chart> {
    let title = question.label.clone();
    match &question.summary {
        Summary::Choices { options, answered, .. } => Some(Chart::Bars(Bars {
            title,
            bars: options.iter().map(|o| Bar { label: o.label.clone(), count: o.count }).collect(),
            base: *answered,
        })),
        Summary::Scale { points, .. } => Some(Chart::Diverging(Diverging {
            title,
            points: points.iter().map(|p| p.label.clone()).collect(),
            rows: vec![DivergingRow {
                label: question.label.clone(),
                counts: points.iter().map(|p| p.count).collect(),
            }],
        })),
        Summary::Matrix { points, rows } => Some(Chart::Diverging(Diverging {
            title,
            points: points.clone(),
            rows: rows
                .iter()
                .map(|r| DivergingRow { label: r.label.clone(), counts: r.counts.clone() })
                .collect(),
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
    fn decimals_use_a_comma_and_drop_trailing_zeros() {
        assert_eq!(decimal(3.456, 1), "3,5");
        assert_eq!(decimal(12.0, 1), "12");
        assert_eq!(decimal(0.25, 2), "0,25");
    }
}
