//! The report as A4 pages: a header (organisation, round, group, response), the glance, then per
//! question its label, its chart, a compact counts table and its free texts. A question is
//! kept on one page when it fits on one; long lists of texts run on to the next page.

use crate::pdf::{self, Doc, Orientation, Rgb, Weight, text_width, wrap};
use crate::results::glance::Glance;
use crate::web::results_view::{QuestionView, RoundHead};

use super::Texts;

pub struct Report {
    pub organisation: Option<String>,
    pub head: RoundHead,
    /// "wijk noord, rol huisarts", empty for everyone.
    pub group: String,
    pub threshold: u32,
    /// `None` while nothing may be shown (open, or too few).
    pub glance: Option<Glance>,
    pub questions: Vec<(Option<crate::charts::Chart>, QuestionView)>,
    pub texts: Texts,
}

const LEFT: f32 = 42.0;
const TOP: f32 = 48.0;
/// The lowest baseline a line may have; the page number sits below it.
const BOTTOM: f32 = 841.89 - 46.0;
const WIDTH: f32 = 595.28 - 2.0 * LEFT;
/// Charts at about half their screen size: 800 logical pixels to 400 points.
const CHART_WIDTH: f32 = 400.0;
const MUTED: Rgb = (82, 96, 109);
const SMALL: f32 = 7.5;
const ROW: f32 = 9.5;

struct Writer {
    doc: Doc,
    /// The next baseline.
    y: f32,
}

impl Writer {
    /// A new page unless `needed` points still fit on this one.
    fn room(&mut self, needed: f32) {
        if self.y + needed > BOTTOM {
            self.doc.new_page();
            self.y = TOP;
        }
    }

    /// Wrapped text, each line moved to the next page when it does not fit.
    fn lines(&mut self, indent: f32, size: f32, weight: Weight, color: Option<Rgb>, text: &str) {
        let leading = size * 1.3;
        for line in wrap(text, size, weight, WIDTH - indent) {
            self.room(leading);
            match color {
                Some(color) => self.doc.ink(LEFT + indent, self.y, size, color, &line),
                None => self.doc.text(LEFT + indent, self.y, size, weight, &line),
            }
            self.y += leading;
        }
    }
}

/// The report's PDF bytes.
pub fn write(report: &Report) -> Result<Vec<u8>, super::super::Error> {
    let title = format!("Rapport – {}", report.head.title);
    let mut w = Writer { doc: Doc::new(&title, Orientation::Portrait), y: TOP };
    header(&mut w, report);
    match &report.glance {
        Some(glance) => at_a_glance(&mut w, glance),
        None if !report.head.closed => w.lines(
            0.0,
            10.0,
            Weight::Regular,
            None,
            "De resultaten per vraag verschijnen als de ronde gesloten is.",
        ),
        None => w.lines(0.0, 10.0, Weight::Bold, None, crate::results::TOO_FEW),
    }
    for (chart, question) in &report.questions {
        let mine = |all: &Vec<(String, Vec<String>)>| {
            all.iter().find(|(id, _)| *id == question.id).map_or(Vec::new(), |(_, t)| t.clone())
        };
        let texts = report.texts.as_ref().map(mine);
        block(&mut w, chart.as_ref(), question, texts.as_deref())?;
    }
    Ok(w.doc.finish(true)?)
}

fn header(w: &mut Writer, report: &Report) {
    if let Some(name) = &report.organisation {
        w.lines(0.0, 9.0, Weight::Regular, Some(MUTED), name);
    }
    let head = &report.head;
    let title = if head.part.is_empty() {
        head.title.clone()
    } else {
        format!("{} – {}", head.title, head.part_label)
    };
    w.y += 8.0;
    w.lines(0.0, 16.0, Weight::Bold, None, &title);
    let mut meta = vec![head.period.clone()];
    if head.anonymous {
        meta.push("anoniem".into());
    }
    if !report.group.is_empty() {
        meta.push(report.group.clone());
    }
    w.lines(0.0, 9.5, Weight::Regular, None, &meta.join(" · "));
    if let Some(g) = &report.glance {
        let rate = if g.rate.is_empty() { String::new() } else { format!(" ({} respons)", g.rate) };
        let line = format!("n = {} respondenten van {} uitgenodigden{rate}", g.respondents, g.invited);
        w.lines(0.0, 9.5, Weight::Bold, None, &line);
    }
    let note = format!(
        "Groepen met minder dan {} respondenten zijn weggelaten ({}).",
        report.threshold,
        crate::results::TOO_FEW
    );
    w.lines(0.0, SMALL, Weight::Regular, Some(MUTED), &note);
    w.y += 6.0;
}

fn at_a_glance(w: &mut Writer, g: &Glance) {
    w.lines(0.0, 11.0, Weight::Bold, None, "In één oogopslag");
    if let Some(previous) = &g.previous {
        if !g.changes.is_empty() {
            w.lines(
                0.0,
                9.0,
                Weight::Bold,
                None,
                &format!("Het meest veranderd sinds de vorige ronde ({previous})"),
            );
            for c in &g.changes {
                let line = format!("• {}: {} {} → {}", c.question, c.measure, c.before, c.after);
                w.lines(6.0, 8.5, Weight::Regular, None, &line);
            }
        } else if g.not_compared {
            let line = format!(
                "Vergelijken met de vorige ronde ({previous}) kan niet: {}.",
                crate::results::TOO_FEW
            );
            w.lines(0.0, 8.5, Weight::Regular, None, &line);
        } else {
            w.lines(
                0.0,
                8.5,
                Weight::Regular,
                None,
                &format!("Geen grote verschillen met de vorige ronde ({previous})."),
            );
        }
    }
    if !g.lowest.is_empty() {
        w.lines(0.0, 9.0, Weight::Bold, None, "Laagst gewaardeerde stellingen");
        for s in &g.lowest {
            let agree = if s.agree.is_empty() { String::new() } else { format!(", {} (zeer) eens", s.agree) };
            w.lines(6.0, 8.5, Weight::Regular, None, &format!("• {}: gemiddelde {}{agree}", s.label, s.mean));
        }
    }
    w.y += 8.0;
}

/// The height of a question's label, meta line, chart and table: what must fit on one page.
fn block_height(chart: Option<&crate::charts::Chart>, q: &QuestionView) -> f32 {
    let label = wrap(&q.label, 10.0, Weight::Bold, WIDTH).len() as f32 * 13.0;
    let chart = chart.map_or(0.0, |c| pdf::chart::height(c, CHART_WIDTH) + 4.0);
    let table = match &q.grid {
        Some(grid) => (grid.rows.len() as f32 + 2.0) * ROW,
        None => q.rows.len() as f32 * ROW,
    };
    label + 12.0 + chart + table + 10.0
}

fn block(
    w: &mut Writer,
    chart: Option<&crate::charts::Chart>,
    q: &QuestionView,
    texts: Option<&[String]>,
) -> Result<(), super::super::Error> {
    let height = block_height(chart, q);
    w.room(height.min(BOTTOM - TOP));
    w.y += 4.0;
    w.lines(0.0, 10.0, Weight::Bold, None, &q.label);
    let mut meta = if q.base.is_empty() { format!("{} beantwoord", q.answered) } else { q.base.clone() };
    if !q.figures.is_empty() {
        meta.push_str(&format!(" · {}", q.figures));
    }
    w.lines(0.0, 8.0, Weight::Regular, Some(MUTED), &meta);
    if let Some(chart) = chart {
        let top = w.y - 6.0;
        let drawn = pdf::chart::draw(&mut w.doc, chart, (LEFT, top), CHART_WIDTH)?;
        w.y = top + drawn + 10.0;
    }
    table(w, q);
    if q.texts > 0 {
        match texts {
            Some(texts) => {
                for text in texts {
                    w.lines(6.0, 8.0, Weight::Regular, None, &format!("• {text}"));
                }
            }
            None => w.lines(
                0.0,
                8.0,
                Weight::Regular,
                Some(MUTED),
                "De toelichtingen van deze groep worden niet getoond: zo weinig antwoorden zouden te herleiden zijn.",
            ),
        }
    }
    w.y += 8.0;
    Ok(())
}

/// The counts as a compact table: label, count and share; a matrix as a grid of its points.
fn table(w: &mut Writer, q: &QuestionView) {
    if let Some(grid) = &q.grid {
        let label_width = 150.0;
        // As on the page: the points, the base n, the answers outside the scale, the mean.
        let mut heads: Vec<String> = grid.points.clone();
        heads.push("n".to_string());
        heads.extend(grid.na_label.clone());
        heads.push("Gemiddelde".to_string());
        let cell = (WIDTH - label_width) / heads.len() as f32;
        w.room(ROW);
        for (i, point) in heads.iter().enumerate() {
            let short = fit(point, cell - 4.0, SMALL, Weight::Bold);
            let x = LEFT + label_width + cell * (i as f32 + 1.0) - 2.0;
            w.doc.text_right(x, w.y, SMALL, Weight::Bold, &short);
        }
        w.y += ROW;
        for row in &grid.rows {
            w.room(ROW);
            w.doc.text(
                LEFT,
                w.y,
                SMALL,
                Weight::Regular,
                &fit(&row.label, label_width - 4.0, SMALL, Weight::Regular),
            );
            let mut cells: Vec<String> = row.cells.clone();
            cells.push(row.base.to_string());
            if grid.na_label.is_some() {
                cells.push(row.na.to_string());
            }
            cells.push(row.mean.clone());
            for (i, c) in cells.iter().enumerate() {
                let x = LEFT + label_width + cell * (i as f32 + 1.0) - 2.0;
                w.doc.text_right(x, w.y, SMALL, Weight::Regular, c);
            }
            w.y += ROW;
        }
        return;
    }
    for row in &q.rows {
        w.room(ROW);
        w.doc.text(LEFT + 6.0, w.y, SMALL, Weight::Regular, &fit(&row.label, 260.0, SMALL, Weight::Regular));
        w.doc.text_right(LEFT + 320.0, w.y, SMALL, Weight::Regular, &row.count.to_string());
        w.doc.text_right(LEFT + 360.0, w.y, SMALL, Weight::Regular, &row.percent);
        w.y += ROW;
    }
}

/// `text` shortened with "…" until it fits in `width`.
fn fit(text: &str, width: f32, size: f32, weight: Weight) -> String {
    if text_width(text, size, weight) <= width {
        return text.to_string();
    }
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>() + "…";
        if text_width(&candidate, size, weight) <= width {
            return candidate;
        }
    }
    String::new()
}
