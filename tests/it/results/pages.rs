//! One round's page: figures computed by hand, the threshold of 5 with its complementary cell,
//! filters, free text as text, downloads, and refusals.

use peil::forms::Answer;

use super::{answers, close, huisartsen, row_from, submit, unescape};
use peil::accounts::Role;

use crate::helpers::{TestApp, forms_dir};

pub(crate) const PEILING: &str = r#"
title = "Peiling samenwerking"
anonymous = false
min_group_size = 5

[[pages]]
[[pages.questions]]
id = "ervaring"
type = "scale"
label = "De samenwerking met de ggz verloopt goed."
options = "eens5"

[[pages.questions]]
id = "kanaal"
type = "single"
label = "Hoe neemt u meestal contact op?"
options = [
  { value = "telefoon", label = "Telefoon" },
  { value = "mail", label = "E-mail" },
]

[[pages.questions]]
id = "opmerking"
type = "textarea"
label = "Opmerkingen"
max_length = 1000
"#;

/// noord 6, zuid 5, oost 2 huisartsen, all answering `ervaring` as below; noord's 6 each write a
/// free text, one of them a script. Returns the app and the round.
pub(crate) async fn closed_round() -> (TestApp, peil::rounds::RoundId, tempfile::TempDir) {
    let forms = forms_dir(&[("peiling", PEILING)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 6), ("zuid", 5), ("oost", 2)])).await;
    let round = app.open_round("peiling", &["huisarts"], false).await;
    let scores = [("noord", vec![5, 5, 4, 4, 3, 2]), ("zuid", vec![4, 4, 4, 1, 2]), ("oost", vec![1, 1])];
    let links = app.links(round).await;
    for (wijk, wijk_scores) in &scores {
        let mine: Vec<_> =
            links.iter().filter(|l| l.email.ends_with(&format!("@{wijk}.example.org"))).collect();
        for (i, (link, score)) in mine.iter().zip(wijk_scores).enumerate() {
            let mut given = vec![
                ("ervaring", Answer::Number(f64::from(*score))),
                ("kanaal", Answer::Text(if i % 2 == 0 { "telefoon" } else { "mail" }.into())),
            ];
            // Everyone in noord writes something (6, the threshold being 5): one a script, one a
            // spreadsheet formula.
            let text = match i {
                0 => "<script>alert(1)</script>".to_owned(),
                1 => "=HYPERLINK(\"http://evil.example\",\"klik\")".to_owned(),
                _ => format!("Gewone opmerking {i}"),
            };
            if *wijk == "noord" {
                given.push(("opmerking", Answer::Text(text)));
            }
            submit(&app, round, &link.url, answers(&given)).await;
        }
    }
    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    (app, round, forms)
}

#[tokio::test]
async fn a_round_shows_hand_computed_figures_and_hides_small_wijken_with_their_complement() {
    let (app, round, _forms) = closed_round().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = session.get(&format!("/werkgroep/ronde/{}", round.0)).await;
    assert_eq!(status, 200, "{page}");
    // 13 respondents; points 1..5 counted 3, 2, 1, 5, 2; mean 40/13.
    assert!(page.contains("13 respondenten"), "{page}");
    assert!(page.contains("gemiddelde 3,1"), "{page}");
    assert!(
        page.contains(
            "<th scope=\"row\">Helemaal oneens</th><td class=\"num\">3</td><td class=\"num\">23%</td>"
        ),
        "{page}"
    );
    // Rates (wijken by their labels): noord shows 6; oost (2) is below 5, and zuid (5) is hidden too, or total minus
    // noord minus zuid would give oost.
    let noord = rate_row(&page, "Noord");
    assert!(noord.contains("<td class=\"num\">6</td>") && noord.contains("100%"), "{noord}");
    for small in ["Zuid", "Oost"] {
        let row = rate_row(&page, small);
        assert!(row.contains("te weinig antwoorden") && !row.contains('%'), "{small}: {row}");
    }
    assert!(rate_row(&page, "Totaal").contains("<td class=\"num\">13</td>"), "{page}");
    // Only noord may be chosen as a filter.
    assert!(
        page.contains("<option value=\"noord\">Noord</option>"),
        "the code is sent, the label read: {page}"
    );
    assert!(!page.contains("<option value=\"zuid\""), "{page}");
    assert!(!page.contains("<option value=\"oost\""), "{page}");
}

/// The response-rate row of `group` (its `<th>` up to the end of the row).
fn rate_row(page: &str, group: &str) -> String {
    row_from(page, &format!("<th scope=\"row\">{group}</th>"))
}

#[tokio::test]
async fn a_filter_shows_its_own_figures_and_a_small_group_shows_too_few() {
    let (app, round, _forms) = closed_round().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (_, noord) = session.get(&format!("/werkgroep/ronde/{}?wijk=noord", round.0)).await;
    assert!(noord.contains("6 respondenten in Noord"), "{noord}");
    assert!(noord.contains("gemiddelde 3,8"), "{noord}");
    for wijk in ["zuid", "oost", "nergens"] {
        let (status, page) = session.get(&format!("/werkgroep/ronde/{}?wijk={wijk}", round.0)).await;
        assert_eq!(status, 200);
        assert!(page.contains("te weinig antwoorden</strong>: deze selectie"), "{wijk}: {page}");
        assert!(!page.contains("gemiddelde"), "{wijk}: {page}");
    }
}

#[tokio::test]
async fn free_text_is_shown_as_text_and_its_reading_is_audited() {
    let (app, round, _forms) = closed_round().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (_, page) = session.get(&format!("/werkgroep/ronde/{}", round.0)).await;
    let link = format!("/werkgroep/ronde/{}/vrije-tekst/opmerking", round.0);
    assert!(unescape(&page).contains(&link), "{page}");
    let (status, text) = session.get(&link).await;
    assert_eq!(status, 200);
    assert!(text.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;"), "{text}");
    assert!(!text.contains("<script>alert"), "{text}");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'free_text_viewed'")
        .fetch_one(&app.pool)
        .await
        .expect("audit");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn charts_download_as_svg_and_png() {
    let (app, round, _forms) = closed_round().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, svg) = session.get(&format!("/werkgroep/ronde/{}/grafiek/ervaring/svg", round.0)).await;
    assert_eq!(status, 200);
    assert!(svg.starts_with("<svg") || svg.starts_with("<?xml"), "{svg}");
    let png = session.get_bytes(&format!("/werkgroep/ronde/{}/grafiek/kanaal/png", round.0)).await;
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let (status, _) = session.get(&format!("/werkgroep/ronde/{}/grafiek/opmerking/png", round.0)).await;
    assert_eq!(status, 404, "free text has no chart");
    let (status, _) =
        session.get(&format!("/werkgroep/ronde/{}/grafiek/ervaring/png?wijk=oost", round.0)).await;
    assert_eq!(status, 404, "a suppressed group has no chart");
}

#[tokio::test]
async fn an_open_round_shows_response_rates_but_no_answers_yet() {
    let forms = forms_dir(&[("peiling", PEILING)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 6)])).await;
    let round = app.open_round("peiling", &["huisarts"], false).await;
    for link in app.links(round).await {
        submit(&app, round, &link.url, answers(&[("ervaring", Answer::Number(4.0))])).await;
    }
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (_, page) = session.get(&format!("/werkgroep/ronde/{}", round.0)).await;
    assert!(page.contains("verschijnen als de ronde gesloten is"), "{page}");
    assert!(!page.contains("gemiddelde"), "{page}");
    let (_, overview) = session.get("/werkgroep").await;
    assert!(overview.contains("Peiling samenwerking"), "{overview}");
    assert!(overview.contains("100%"), "{overview}");
}

#[tokio::test]
async fn every_results_route_refuses_anyone_not_logged_in() {
    let (app, round, _forms) = closed_round().await;
    let id = round.0;
    for path in [
        "/werkgroep".to_string(),
        format!("/werkgroep/ronde/{id}"),
        format!("/werkgroep/ronde/{id}/rapport"),
        format!("/werkgroep/ronde/{id}/vrije-tekst/opmerking"),
        format!("/werkgroep/ronde/{id}/grafiek/ervaring/svg"),
        format!("/werkgroep/ronde/{id}/download/antwoorden.csv"),
        "/werkgroep/job/samenwerking-per-wijk".to_string(),
    ] {
        let (status, body) = app.get(&path).await;
        assert!(status == 303 || status == 401 || status == 403, "{path}: {status}");
        assert!(!body.contains("alert(1)") && !body.contains("gemiddelde"), "{path}: {body}");
    }
}

#[tokio::test]
async fn the_report_page_prints_every_question_without_controls() {
    let (app, round, _forms) = closed_round().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = session.get(&format!("/werkgroep/ronde/{}/rapport", round.0)).await;
    assert_eq!(status, 200);
    assert!(page.contains("/static/print.css") || unescape(&page).contains("/static/print.css"));
    assert!(page.contains("gemiddelde 3,1"), "{page}");
    assert!(!page.contains("<form"), "{page}");
}

#[tokio::test]
async fn the_csv_export_neutralises_formulas_keeps_text_and_hides_identity_and_small_groups() {
    let (app, round, _forms) = closed_round().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let csv = session.get_bytes(&format!("/werkgroep/ronde/{}/download/antwoorden.csv", round.0)).await;
    let text = String::from_utf8(csv).expect("utf-8");
    assert!(text.starts_with('\u{feff}'), "a BOM for Dutch Excel");
    assert!(text.contains("'=HYPERLINK("), "{text}");
    assert!(!text.contains(";=HYPERLINK"), "{text}");
    assert!(text.contains("<script>alert(1)</script>"), "kept as the text it is: {text}");
    assert!(
        !text.contains("example.org") && !text.contains("Arts "),
        "no identity for the werkgroep: {text}"
    );
    assert_eq!(text.lines().count(), 14, "a header and 13 responses: {text}");
    // oost (2) and zuid (hidden beside it) never appear as a wijk.
    assert!(!text.contains(";oost;") && !text.contains(";zuid;"), "{text}");
    assert!(text.contains("te weinig antwoorden"), "{text}");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'exported'")
        .fetch_one(&app.pool)
        .await
        .expect("audit");
    assert_eq!(audited, 1);
}

#[tokio::test]
async fn an_administrator_exports_names_of_an_identified_round_as_xlsx() {
    let (app, round, _forms) = closed_round().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let xlsx = admin.get_bytes(&format!("/werkgroep/ronde/{}/download/antwoorden.xlsx", round.0)).await;
    assert_eq!(&xlsx[..2], b"PK", "an XLSX (zip) file");
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).expect("xlsx");
    use calamine::Reader;
    let sheet = book.worksheet_range("Antwoorden").expect("sheet");
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    assert!(cells.iter().any(|c| c.ends_with("@noord.example.org")), "{cells:?}");
    assert!(cells.iter().any(|c| c == "'=HYPERLINK(\"http://evil.example\",\"klik\")"), "{cells:?}");
}
