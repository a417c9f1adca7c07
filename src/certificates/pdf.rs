//! The certificate and the year overview as A4 PDFs, drawn on `crate::pdf::Doc`. What they say
//! comes from `Content` and `Overview`; only the layout is decided here.

use chrono_tz::Europe::Amsterdam;

use super::{Code, Content, Issuer, Overview, hours, number};
use crate::pdf::{Doc, Orientation, PdfError, Weight, wrap};

const MARGIN: f32 = 64.0;
const LABEL_X: f32 = 90.0;
const VALUE_X: f32 = 230.0;

/// Lines of `text` centred on the page from `y`, wrapped to the margins; the next baseline.
fn centred(doc: &mut Doc, y: f32, size: f32, weight: Weight, text: &str) -> f32 {
    let mut y = y;
    for line in wrap(text, size, weight, doc.width() - 2.0 * MARGIN) {
        doc.text_centred(y, size, weight, &line);
        y += size * 1.35;
    }
    y
}

/// A label and its value, the value wrapped; the next row's baseline.
fn field(doc: &mut Doc, y: f32, label: &str, value: &str) -> f32 {
    doc.text(LABEL_X, y, 11.0, Weight::Bold, label);
    let width = doc.width() - VALUE_X - MARGIN;
    doc.paragraph(VALUE_X, y, width, 11.0, Weight::Regular, value) + 6.0
}

/// The bewijs van deelname of `content`.
pub fn certificate(content: &Content, code: &Code, issuer: &Issuer) -> Result<Vec<u8>, PdfError> {
    let mut doc = Doc::new("Bewijs van deelname", Orientation::Portrait);
    doc.text_centred(120.0, 28.0, Weight::Bold, "Bewijs van deelname");
    let mut y = centred(&mut doc, 150.0, 12.0, Weight::Regular, &issuer.organisation);
    y = centred(&mut doc, y + 40.0, 12.0, Weight::Regular, "Hierbij verklaren wij dat");
    y = centred(&mut doc, y + 14.0, 20.0, Weight::Bold, &content.name);
    y = centred(&mut doc, y + 10.0, 12.0, Weight::Regular, "heeft deelgenomen aan");
    y = centred(&mut doc, y + 14.0, 15.0, Weight::Bold, &content.session);
    y = centred(&mut doc, y, 12.0, Weight::Regular, &content.round);
    doc.line((MARGIN, y + 12.0), (doc.width() - MARGIN, y + 12.0), 0.5);
    y += 44.0;
    let points = content.points_text();
    let rows = [
        ("Datum", Some(content.date())),
        ("Tijd", Some(content.times())),
        ("Duur", Some(content.hours())),
        ("Gespreksleider", Some(content.leader.clone()).filter(|l| !l.is_empty())),
        ("Organisatie", Some(issuer.organisation.clone())),
        ("Accreditatie-ID", Some(content.activity_id.clone()).filter(|a| !a.is_empty())),
        ("Punten", points),
    ];
    for (label, value) in rows {
        if let Some(value) = value {
            y = field(&mut doc, y, label, &value);
        }
    }
    y += 40.0;
    doc.line((LABEL_X, y), (LABEL_X + 200.0, y), 0.5);
    doc.text(LABEL_X, y + 14.0, 9.0, Weight::Regular, "Handtekening gespreksleider");
    let foot = doc.height() - 110.0;
    doc.line((MARGIN, foot - 18.0), (doc.width() - MARGIN, foot - 18.0), 0.5);
    doc.text(MARGIN, foot, 10.0, Weight::Bold, &format!("Verificatiecode: {code}"));
    doc.text(MARGIN, foot + 16.0, 10.0, Weight::Regular, "Controleer dit bewijs op:");
    doc.text(MARGIN, foot + 30.0, 10.0, Weight::Regular, &issuer.check_url(code));
    doc.finish(false)
}

const COLUMNS: [f32; 4] = [MARGIN, 150.0, 430.0, 490.0];

fn header(doc: &mut Doc, y: f32) -> f32 {
    for (x, label) in COLUMNS.iter().zip(["Datum", "Activiteit", "Uren", "Punten"]) {
        doc.text(*x, y, 10.0, Weight::Bold, label);
    }
    doc.line((MARGIN, y + 5.0), (doc.width() - MARGIN, y + 5.0), 0.5);
    y + 20.0
}

/// The year overview: a title, the person, a table of sessions and the totals.
pub fn overview(overview: &Overview, issuer: &Issuer) -> Result<Vec<u8>, PdfError> {
    let title = format!("Jaaroverzicht deelname {}", overview.year);
    let mut doc = Doc::new(&title, Orientation::Portrait);
    doc.text(MARGIN, 90.0, 22.0, Weight::Bold, &title);
    doc.text(MARGIN, 120.0, 12.0, Weight::Regular, &format!("Naam: {}", overview.name));
    doc.text(MARGIN, 138.0, 12.0, Weight::Regular, &format!("Organisatie: {}", issuer.organisation));
    let mut y = header(&mut doc, 180.0);
    if overview.lines.is_empty() {
        doc.text(MARGIN, y, 10.0, Weight::Regular, "Geen bijeenkomsten bijgewoond in dit jaar.");
        y += 16.0;
    }
    let activity_width = COLUMNS[2] - COLUMNS[1] - 10.0;
    for line in &overview.lines {
        let wrapped = wrap(&line.activity, 10.0, Weight::Regular, activity_width);
        let height = 13.5 * wrapped.len() as f32 + 4.0;
        if y + height > doc.height() - 80.0 {
            doc.new_page();
            y = header(&mut doc, 70.0);
        }
        let date = line.starts_at.with_timezone(&Amsterdam).format("%d-%m-%Y").to_string();
        doc.text(COLUMNS[0], y, 10.0, Weight::Regular, &date);
        doc.paragraph(COLUMNS[1], y, activity_width, 10.0, Weight::Regular, &line.activity);
        doc.text(COLUMNS[2], y, 10.0, Weight::Regular, &number(line.minutes as f64 / 60.0));
        if let Some(points) = line.points {
            doc.text(COLUMNS[3], y, 10.0, Weight::Regular, &number(points));
        }
        y += height;
    }
    doc.line((MARGIN, y - 8.0), (doc.width() - MARGIN, y - 8.0), 0.5);
    let count = overview.lines.len();
    let total = format!("Totaal: {count} {}", if count == 1 { "bijeenkomst" } else { "bijeenkomsten" });
    doc.text(COLUMNS[0], y + 6.0, 10.0, Weight::Bold, &total);
    doc.text(COLUMNS[2] - 40.0, y + 6.0, 10.0, Weight::Bold, &hours(overview.total_minutes()));
    if let Some(points) = overview.total_points() {
        doc.text(COLUMNS[3], y + 6.0, 10.0, Weight::Bold, &format!("{} punten", number(points)));
    }
    doc.finish(true)
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;
    use crate::certificates::overview::Line;

    fn issuer() -> Issuer {
        Issuer { organisation: "Huisartsenzorg Regio".into(), base_url: "https://peil.example.org".into() }
    }

    #[test]
    fn the_certificate_reads_back_with_name_date_hours_leader_points_and_code() {
        let starts = chrono::Utc.with_ymd_and_hms(2027, 3, 9, 12, 30, 0).unwrap();
        let content = Content {
            name: "J.A. van den Berg".into(),
            session: "Intervisiegroep West".into(),
            round: "Intervisie POH-GGZ voorjaar".into(),
            starts_at: starts,
            ends_at: starts + chrono::Duration::minutes(150),
            leader: "kaderhuisarts ggz".into(),
            activity_id: "ABC1-123456".into(),
            points: Some(2.5),
        };
        let code = Code::parse("K7PQM2XA9DHF").unwrap();
        let text = crate::pdf::tests::read_back(&certificate(&content, &code, &issuer()).unwrap());
        for expected in [
            "Bewijs van deelname",
            "J.A. van den Berg",
            "dinsdag 9 maart 2027",
            "13.30–16.00 uur",
            "2,5 uur",
            "kaderhuisarts ggz",
            "ABC1-123456",
            "Huisartsenzorg Regio",
            "K7PQ-M2XA-9DHF",
            "https://peil.example.org/bewijs/K7PQ-M2XA-9DHF",
        ] {
            assert!(text.contains(expected), "{expected:?} in {text}");
        }
    }

    #[test]
    fn a_long_year_runs_onto_a_second_page_with_the_total_at_the_end() {
        let starts = chrono::Utc.with_ymd_and_hms(2027, 1, 5, 12, 0, 0).unwrap();
        let lines = (0..40)
            .map(|i| Line {
                starts_at: starts + chrono::Duration::weeks(i),
                activity: format!("Intervisiegroep {i} (Intervisie 2027)"),
                minutes: 90,
                points: None,
            })
            .collect();
        let overview = Overview { name: "Jet de Wit".into(), year: 2027, lines };
        let text = crate::pdf::tests::read_back(&super::overview(&overview, &issuer()).unwrap());
        assert!(text.contains("pagina 2 van 2"), "{text}");
        assert!(text.contains("Totaal: 40 bijeenkomsten") && text.contains("60 uur"), "{text}");
    }
}
