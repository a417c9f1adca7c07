//! Charts drawn with plotters: SVG for pages, PNG for downloads, both with the bundled font so
//! no system fonts are needed. Each chart is described by plain data (below); the drawing code
//! knows nothing about forms, rounds or results: `results` builds these descriptions.

mod axis;
mod bars;
mod canvas;
mod diverging;
mod font;
mod format;
mod histogram;
mod legend;
mod multiples;
mod palette;
mod png;
mod point_labels;
mod render;
mod svg_fix;
mod text;
mod trend;
#[cfg(test)]
mod vision;

#[cfg(test)]
mod tests;

/// Why a chart could not be drawn. Neither should happen for a well-formed description; a page
/// shows the table instead and logs the error.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The bundled font could not be parsed or registered with plotters.
    #[error("het lettertype voor grafieken kon niet worden geladen")]
    Font,
    /// plotters failed while drawing (the backend's own error, as text: the SVG and bitmap
    /// backends have different error types).
    #[error("grafiek tekenen mislukt: {0}")]
    Draw(String),
    /// Writing or reading the temporary PNG file failed.
    #[error("PNG maken mislukt: {0}")]
    Png(#[from] std::io::Error),
    /// The SVG plotters produced did not have the shape the clean-up expects.
    #[error("onverwachte SVG-uitvoer: {0}")]
    Svg(&'static str),
}

/// The chart as an SVG document that can be inlined in a page under a strict CSP: no `style`
/// attributes or elements, a `viewBox` with a fluid width, `role="img"` and the title as
/// `<title>` and `aria-label`.
pub fn svg(chart: &Chart) -> Result<String, ChartError> {
    font::register()?;
    let (width, height) = render::size(chart);
    let mut out = String::new();
    {
        let backend = plotters::prelude::SVGBackend::with_string(&mut out, (width, height));
        render::draw(backend, chart, 1.0)?;
    }
    svg_fix::finish(&out, width, height, render::title(chart))
}

/// The chart as PNG bytes at twice the SVG's size, sharp enough for a report or a beamer.
pub fn png(chart: &Chart) -> Result<Vec<u8>, ChartError> {
    font::register()?;
    let (width, height) = render::size(chart);
    png::render(chart, (width * png::SCALE, height * png::SCALE))
}

/// The chart's size in logical pixels (the SVG's), before anything is drawn.
pub fn logical_size(chart: &Chart) -> (u32, u32) {
    render::size(chart)
}

/// Draws the chart onto any plotters backend at `scale` times its logical size: the report PDF
/// draws it as vector graphics this way (`pdf::chart`), with the same layout as the SVG.
pub fn draw_onto<DB: plotters::prelude::DrawingBackend>(
    backend: DB,
    chart: &Chart,
    scale: f64,
) -> Result<(), ChartError> {
    font::register()?;
    render::draw(backend, chart, scale)
}

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
/// Shares are of the row's points; its `na` answers are noted apart, right of the bars.
#[derive(Clone, Debug, PartialEq)]
pub struct Diverging {
    pub title: String,
    /// Scale labels, low to high.
    pub points: Vec<String>,
    pub rows: Vec<DivergingRow>,
    /// What the rows' `na` answers are called ("Weet ik niet"); they are noted beside the bars,
    /// not drawn in them.
    pub na_label: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DivergingRow {
    pub label: String,
    /// One count per point, low to high.
    pub counts: Vec<u64>,
    /// Answers outside the scale ("Weet ik niet"): not in the shares, noted beside the bar.
    pub na: u64,
}

/// A histogram of numbers with the median marked.
#[derive(Clone, Debug, PartialEq)]
pub struct Histogram {
    pub title: String,
    pub unit: Option<String>,
    pub bins: Vec<Bin>,
    pub median: Option<f64>,
}

/// A histogram bar: `count` answers among those `label` names ("3,5", "10 t/m 19"). The bar
/// spans `low..high` on the x axis, which is half a step wider on either side than the answers
/// it holds (2,75..3,25 for the 3s in halves), so neighbouring bars touch.
#[derive(Clone, Debug, PartialEq)]
pub struct Bin {
    pub low: f64,
    pub high: f64,
    pub count: u64,
    pub label: String,
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
/// `None` when its group is suppressed and then says `suppressed` instead.
#[derive(Clone, Debug, PartialEq)]
pub struct Multiples {
    pub title: String,
    pub panels: Vec<Panel>,
    /// What an empty panel says in its place ("te weinig antwoorden").
    pub suppressed: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    pub name: String,
    pub chart: Option<Box<Chart>>,
}
