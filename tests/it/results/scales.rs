//! One base for a scale's shares: the matrix of issue 25 (1, 1, 4, 5 and 1 on the points 1 to 5
//! and 3 "Weet ik niet" of 15) showed "1 (7%)" in its table, 8% in its chart and the 3 nowhere.
//! Now the page, the chart and the summary export all take shares of the 12 on the scale and
//! show the 3 apart, in the form's own words.

use std::io::{Cursor, Read};

use peil::accounts::Role;
use peil::forms::{Answer, Answers};

use super::{answers, close, huisartsen, submit};
use crate::helpers::{TestApp, forms_dir};

const GGZ: &str = r#"
title = "Samenwerking ggz"
anonymous = false
min_group_size = 5

[[pages]]
[[pages.questions]]
id = "aanbieders"
type = "matrix"
label = "Hoe ervaart u de ggz-aanbieders?"
options = "eens5"
na = "Weet ik niet"
items = [
  { id = "bereikbaar", label = "De ggz-aanbieders zijn goed bereikbaar." },
  { id = "terugkoppeling", label = "Ik krijg tijdig terugkoppeling." },
]

[[pages.questions]]
id = "samenwerking"
type = "scale"
label = "De samenwerking met de POH-ggz verloopt goed."
options = "eens5"
na = "Nog geen ervaring"
"#;

/// The issue's answers: "1", "2", "3" x4,
/// "4" x5, "5", then 3 "weet ik niet"; the second item is "weet ik niet" for the same 3 and 4
/// for the others, the scale 4 for all but one, who has "Nog geen ervaring".
const BEREIKBAAR: [Option<u32>; 15] = [
    Some(1),
    Some(2),
    Some(3),
    Some(3),
    Some(3),
    Some(3),
    Some(4),
    Some(4),
    Some(4),
    Some(4),
    Some(4),
    Some(5),
    None,
    None,
    None,
];

fn response(bereikbaar: Option<u32>) -> Answers {
    let point = |p: Option<u32>| p.map_or(Answer::Text("nvt".into()), |p| Answer::Number(f64::from(p)));
    let second = bereikbaar.map(|_| 4);
    let grid = [("bereikbaar".to_string(), point(bereikbaar)), ("terugkoppeling".to_string(), point(second))];
    let scale = if bereikbaar == Some(5) { point(None) } else { point(Some(4)) };
    answers(&[("aanbieders", Answer::Grid(grid.into_iter().collect())), ("samenwerking", scale)])
}

/// A closed round of 15 huisartsen in noord who answered as above.
async fn round() -> (TestApp, peil::rounds::RoundId, tempfile::TempDir) {
    let forms = forms_dir(&[("ggz", GGZ)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 15)])).await;
    let round = app.open_round("ggz", &["huisarts"], false).await;
    for (link, point) in app.links(round).await.iter().zip(BEREIKBAAR) {
        submit(&app, round, &link.url, response(point)).await;
    }
    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    (app, round, forms)
}

/// The `<section>` of the question labelled `label` (its heading, not the glance above that may
/// name it too).
fn section<'p>(page: &'p str, label: &str) -> &'p str {
    let heading = format!("\">{label}</h3>");
    let start = page.find(&heading).unwrap_or_else(|| panic!("no {label}: {page}"));
    let start = page[..start].rfind("<section").expect("its section");
    let end = page[start..].find("</section>").map_or(page.len(), |e| start + e);
    &page[start..end]
}

/// The text of the table cells in `html`'s row headed by `header`, tags dropped.
fn cells(html: &str, header: &str) -> Vec<String> {
    let row = super::row_from(html, &format!("<th scope=\"row\">{header}"));
    row.split("<td")
        .skip(1)
        .map(|c| c[c.find('>').map_or(0, |i| i + 1)..].replace("</td>", "").trim().to_string())
        .collect()
}

#[tokio::test]
async fn a_matrix_takes_its_shares_of_the_scale_and_shows_weet_ik_niet_apart_on_page_and_chart() {
    let (app, round, _forms) = round().await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = member.get(&format!("/werkgroep/ronde/{}", round.0)).await;
    assert_eq!(status, 200, "{page}");
    let matrix = section(&page, "Hoe ervaart u de ggz-aanbieders?");
    assert!(matrix.contains("n = 12 · 3 weet ik niet"), "{matrix}");
    assert!(!matrix.contains("15 beantwoord"), "{matrix}");
    let row = cells(matrix, "De ggz-aanbieders zijn goed bereikbaar.");
    // The five points, n, the 3 apart, the mean (1+2+12+20+5)/12 = 3,33.
    assert_eq!(row, ["1 (8%)", "1 (8%)", "4 (33%)", "5 (42%)", "1 (8%)", "12", "3", "3,3"], "{matrix}");
    assert!(matrix.contains(">Weet ik niet</th>"), "the column is headed in the form's words: {matrix}");
    assert_eq!(cells(matrix, "Ik krijg tijdig terugkoppeling.")[3..7], ["12 (100%)", "0 (0%)", "12", "3"]);

    let (status, svg) = member.get(&format!("/werkgroep/ronde/{}/grafiek/aanbieders/svg", round.0)).await;
    assert_eq!(status, 200);
    let texts = svg_texts(&svg);
    for shown in ["33%", "42%", "100%", "3 weet ik niet"] {
        assert!(texts.iter().any(|t| t == shown), "{shown} in the chart: {texts:?}");
    }
    assert_eq!(texts.iter().filter(|t| *t == "3 weet ik niet").count(), 2, "one note per item: {texts:?}");
    // 4 of 15 and 1 of 15 (the old table's), 12 of 15 (the second item with its 3 counted in).
    for wrong in ["27%", "7%", "80%"] {
        assert!(!texts.iter().any(|t| t == wrong), "{wrong}, a share of 15, in the chart: {texts:?}");
    }
}

#[tokio::test]
async fn a_scale_states_its_base_and_shows_its_na_answer_as_a_row_without_a_share() {
    let (app, round, _forms) = round().await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (_, page) = member.get(&format!("/werkgroep/ronde/{}", round.0)).await;
    let scale = section(&page, "De samenwerking met de POH-ggz verloopt goed.");
    // 14 answered 4, one "Nog geen ervaring".
    assert!(scale.contains("n = 14 · 1 nog geen ervaring · gemiddelde 4"), "{scale}");
    assert_eq!(cells(scale, "Eens<"), ["14", "100%"], "{scale}");
    assert_eq!(cells(scale, "Nog geen ervaring"), ["1", ""], "a count, no share of the scale: {scale}");
}

#[tokio::test]
async fn the_summary_export_takes_the_same_shares_as_numbers_and_lists_weet_ik_niet_apart() {
    let (app, round, _forms) = round().await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let csv = member.get_bytes(&format!("/werkgroep/ronde/{}/download/samenvatting.csv", round.0)).await;
    let csv = String::from_utf8(csv).expect("utf-8");
    let item = "Hoe ervaart u de ggz-aanbieders? – De ggz-aanbieders zijn goed bereikbaar.";
    let lines: Vec<&str> = csv.lines().filter(|l| l.starts_with(item)).collect();
    let rest: Vec<&str> = lines.iter().map(|l| &l[item.len() + 1..]).collect();
    assert_eq!(
        rest,
        [
            "Helemaal oneens;1;8%",
            "Oneens;1;8%",
            "Neutraal;4;33%",
            "Eens;5;42%",
            "Helemaal eens;1;8%",
            "Weet ik niet;3;",
            "gemiddelde 3,3;12;",
        ],
        "{csv}"
    );

    let xlsx = member.get_bytes(&format!("/werkgroep/ronde/{}/download/samenvatting.xlsx", round.0)).await;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(xlsx.clone())).expect("xlsx");
    use calamine::{Data, Reader};
    let sheet = book.worksheet_range("Samenvatting").expect("sheet");
    let rows: Vec<&[Data]> = sheet.rows().filter(|r| r[0] == Data::String(item.into())).collect();
    let shares: Vec<Data> = rows.iter().map(|r| r.get(3).cloned().unwrap_or(Data::Empty)).collect();
    assert_eq!(
        shares,
        [1.0 / 12.0, 1.0 / 12.0, 4.0 / 12.0, 5.0 / 12.0, 1.0 / 12.0]
            .map(Data::Float)
            .into_iter()
            .chain([Data::Empty, Data::Empty])
            .collect::<Vec<_>>()
    );
    // The first share (row 2 holds the matrix's first item's first point) has Excel's "0%" (9).
    let sheet_xml = part(&xlsx, "xl/worksheets/sheet1.xml");
    let cell = &sheet_xml[sheet_xml.find(r#"<c r="D2""#).expect("D2")..];
    let style: usize = attribute(&cell[..cell.find('>').unwrap()], "s").parse().expect("a style");
    let styles = part(&xlsx, "xl/styles.xml");
    let xf = styles[styles.find("<cellXfs").unwrap()..].split("<xf ").nth(style + 1).expect("its format");
    assert_eq!(attribute(xf, "numFmtId"), "9", "{xf}");
}

/// The texts drawn in an SVG, trimmed.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|t| Some(t[t.find('>')? + 1..t.find("</text>")?].trim().to_string()))
        .collect()
}

fn part(xlsx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(xlsx)).expect("zip");
    let mut text = String::new();
    archive.by_name(name).expect(name).read_to_string(&mut text).expect("text");
    text
}

/// The value of attribute `name` in the text of a tag (with or without its `<c ` or `<xf `).
fn attribute(tag: &str, name: &str) -> String {
    let tag = format!(" {tag}");
    let start = tag.find(&format!(" {name}=\"")).map_or(tag.len(), |i| i + name.len() + 3);
    tag[start..start + tag[start..].find('"').unwrap_or(0)].to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_with_answers_apart_and_dates_pass_axe_and_the_html_checker() {
    use crate::a11y::{Audit, Source, log_in};
    let Some(mut audit) = Audit::start().await else { return };
    let (app, round, _forms) = round().await;
    let (dates, dates_round, _date_forms) = super::dates::round().await;
    for (app, round) in [(&app, round), (&dates, dates_round)] {
        app.create_user("lid@example.org", Role::Werkgroep).await;
        log_in(&audit.browser, &app.url, "lid@example.org").await;
        for (path, name) in [
            (format!("/werkgroep/ronde/{round}"), "ronde"),
            (format!("/werkgroep/ronde/{round}/rapport"), "rapport"),
        ] {
            audit.browser.client().goto(&format!("{}{path}", app.url)).await.expect("open");
            audit.check(name, Source::Served).await;
        }
    }
    audit.finish().await;
}
