//! Charts drawn with plotters: SVG for pages, PNG for downloads, both with the bundled font so
//! no system fonts are needed. Each chart is described by plain data (below); the drawing code
//! knows nothing about forms or rounds.

/// A chart to draw.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    Bars(Bars),
    Diverging(Diverging),
    Histogram(Histogram),
    Trend(Trend),
    Multiples(Multiples),
}

/// Horizontal bars, one per category, labelled with count and percentage of `base`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bars {
    pub title: String,
    pub bars: Vec<Bar>,
    /// What the percentages are of (respondents who answered).
    pub base: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub label: String,
    pub count: u64,
}

/// Diverging stacked bars for a Likert scale or matrix: per row, the points below the middle
/// extend left of zero, those above extend right, the middle point (odd scales) straddles zero.
/// Shares are of the row's total.
#[derive(Clone, Debug, PartialEq)]
pub struct Diverging {
    pub title: String,
    /// Scale labels, low to high.
    pub points: Vec<String>,
    pub rows: Vec<DivergingRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DivergingRow {
    pub label: String,
    /// One count per point, low to high.
    pub counts: Vec<u64>,
}

/// A histogram of numbers with the median marked.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    pub title: String,
    pub unit: Option<String>,
    pub bins: Vec<crate::results::Bin>,
    pub median: Option<f64>,
}

/// Lines over a job's rounds: one x position per round, a series per group (the region, a wijk).
#[derive(Clone, Debug, PartialEq)]
pub struct Trend {
    pub title: String,
    /// What y means, e.g. "gemiddelde (1-5)" or "% (zeer) eens".
    pub y_label: String,
    /// y is a share in 0..=1, drawn as a percentage on a 0-100 % axis.
    pub percent: bool,
    /// Fixed y range when known (a scale's 1..5); otherwise from the data.
    pub y_range: Option<(f64, f64)>,
    /// One label per round, oldest first ("2027 K1").
    pub x_labels: Vec<String>,
    pub series: Vec<Series>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    /// One entry per x label; `None` where the round had no or too few answers (a gap).
    pub points: Vec<Option<TrendPoint>>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TrendPoint {
    pub value: f64,
    /// Respondents behind the value, printed next to the point.
    pub n: u64,
}

/// Small multiples: the same chart per group (wijk) in a grid with shared axes; a panel is
/// `None` when its group is suppressed and then says "te weinig antwoorden".
#[derive(Clone, Debug, PartialEq)]
pub struct Multiples {
    pub title: String,
    pub panels: Vec<Panel>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub name: String,
    pub chart: Option<Box<Chart>>,
}
