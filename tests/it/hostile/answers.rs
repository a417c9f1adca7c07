//! The corpus typed into every field of a form by as many respondents, over HTTP as a browser
//! posts it; then every werkgroep page, chart and export reachable from the overview read by an
//! administrator, and the HTML pages opened in Chromium.

use std::collections::BTreeSet;

use calamine::{Data, Reader};
use peil::accounts::Role;
use serde_json::json;

use super::{CORPUS, FORM, as_stored};
use crate::helpers::{PASSWORD, Session, TestApp, forms_dir};
use crate::results::close;

/// Contacts whose names are hostile too: names reach the administrator's export and the mails.
fn contacts() -> String {
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for i in 0..CORPUS.len() {
        let name = match i % 3 {
            0 => "<b onmouseover=window.__pwned='name'>Arts</b>",
            1 => "=HYPERLINK(\"http://evil.example\",\"Arts\")",
            _ => "Arts {{ 7*7 }}",
        };
        csv.push_str(&format!(
            "\"{}\";arts{i}@example.org;huisarts;\"@Praktijk {i}\";noord;Stad\n",
            name.replace('"', "\"\"")
        ));
    }
    csv
}

/// Person `i`'s fields: corpus texts in every text field and in both "Anders" fields.
fn fields(i: usize) -> Vec<(&'static str, &'static str)> {
    let text = |k: usize| CORPUS[(i + k) % CORPUS.len()];
    vec![
        ("_page", "0"),
        ("kort", text(0)),
        ("opmerking", text(1)),
        ("kanaal", "_anders"),
        ("kanaal.other", text(2)),
        ("kanalen", "mail"),
        ("kanalen", "_anders"),
        ("kanalen.other", text(3)),
        ("uren", "12"),
        ("_nav", "submit"),
    ]
}

/// Every `/werkgroep` address linked from `page` (hrefs as Tera escapes them).
fn werkgroep_links(page: &str) -> Vec<String> {
    page.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|href| href.replace("&#x2F;", "/").replace("&amp;", "&").replace("&#x3D;", "="))
        .filter(|href| href.starts_with("/werkgroep"))
        .collect()
}

/// Every address under `/werkgroep` reachable from the overview, two links deep.
async fn crawl(session: &Session) -> BTreeSet<String> {
    let mut seen = BTreeSet::from(["/werkgroep".to_owned()]);
    let mut frontier = vec!["/werkgroep".to_owned()];
    for _ in 0..2 {
        let mut next = Vec::new();
        for path in frontier {
            if is_download(&path) {
                continue;
            }
            let (status, page) = session.get(&path).await;
            assert_eq!(status, 200, "GET {path}: {page}");
            next.extend(werkgroep_links(&page).into_iter().filter(|l| seen.insert(l.clone())));
        }
        frontier = next;
    }
    seen
}

fn is_download(path: &str) -> bool {
    [".csv", ".xlsx", "/png", "/svg"].iter().any(|end| path.split('?').next().unwrap_or(path).ends_with(end))
}

/// Markup of the corpus, as it would appear if it were not escaped.
fn raw_markup() -> Vec<String> {
    CORPUS.iter().map(|t| as_stored(t)).filter(|t| t.contains('<')).collect()
}

/// A spreadsheet would run a cell that starts like this.
fn formula_like(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

fn check_csv(path: &str, bytes: &[u8]) -> usize {
    let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{path} is UTF-8: {e}"));
    let mut reader =
        csv::ReaderBuilder::new().delimiter(b';').has_headers(false).from_reader(text.as_bytes());
    let mut cells = 0;
    for record in reader.records() {
        for cell in record.unwrap_or_else(|e| panic!("{path} is CSV: {e}")).iter() {
            assert!(!formula_like(cell), "{path}: a cell a spreadsheet would run: {cell:?}");
            cells += 1;
        }
    }
    cells
}

fn check_xlsx(path: &str, bytes: Vec<u8>) -> usize {
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut cells = 0;
    for name in book.sheet_names() {
        let formulas = book.worksheet_formula(&name).expect("formulas");
        assert!(formulas.cells().all(|(_, _, f)| f.is_empty()), "{path}: no formula in sheet {name}");
        for (_, _, cell) in book.worksheet_range(&name).expect("sheet").cells() {
            if let Data::String(text) = cell {
                assert!(!formula_like(text), "{path}: a cell a spreadsheet would run: {text:?}");
            }
            cells += 1;
        }
    }
    cells
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_text_in_every_field_is_kept_as_text_in_every_page_chart_and_export() {
    let forms = forms_dir(&[("vrij", FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    let imported = app.import_contacts(&contacts()).await;
    assert_eq!(imported.added, CORPUS.len(), "{imported:?}");
    let round = app.open_round("vrij", &[], false).await;
    for (i, link) in app.links(round).await.iter().enumerate() {
        let response = app.client.post(&link.url).form(&fields(i)).send().await.expect("POST");
        let status = response.status().as_u16();
        let page = response.text().await.expect("page");
        assert_eq!(status, 200, "person {i} is thanked: {page}");
    }
    let stored: Vec<String> =
        sqlx::query_scalar("SELECT answers FROM responses").fetch_all(&app.pool).await.unwrap();
    let texts: BTreeSet<String> = stored
        .iter()
        .flat_map(|json| {
            let answers: serde_json::Value = serde_json::from_str(json).expect("JSON");
            ["kort", "opmerking", "kanaal.other", "kanalen.other"]
                .map(|k| answers[k].as_str().unwrap().to_owned())
        })
        .collect();
    let expected: BTreeSet<String> = CORPUS.iter().map(|t| as_stored(t)).collect();
    assert_eq!(texts, expected, "every text stored as typed, control characters dropped");

    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let paths = crawl(&admin).await;
    let markup = raw_markup();
    let (mut pages, mut exports, mut cells) = (0, 0, 0);
    for path in &paths {
        if path.ends_with(".xlsx") {
            cells += check_xlsx(path, admin.get_bytes(path).await);
            exports += 1;
        } else if path.ends_with("/png") {
            assert!(admin.get_bytes(path).await.starts_with(b"\x89PNG"), "{path} is a PNG");
        } else {
            let (status, body) = admin.get(path).await;
            assert_eq!(status, 200, "GET {path}");
            if path.ends_with(".csv") {
                cells += check_csv(path, body.as_bytes());
                exports += 1;
                continue;
            }
            for text in &markup {
                assert!(!body.contains(text.as_str()), "{path} shows markup unescaped: {text}");
            }
            pages += 1;
        }
    }
    let free_text = paths.iter().filter(|p| p.contains("/vrije-tekst/")).count();
    assert!(free_text >= 2, "the free-text pages were reached: {paths:?}");
    assert!(
        exports >= 4 && paths.iter().any(|p| p.ends_with("/svg")),
        "exports and charts reached: {paths:?}"
    );
    eprintln!(
        "hostile answers: {pages} pages, {exports} exports ({cells} cells), {} addresses checked",
        paths.len()
    );
    in_chromium(&app, &paths).await;
}

/// Every HTML page and SVG chart opened in Chromium by a logged-in member: no script of the
/// corpus runs, and the free text reads as the text that was typed.
async fn in_chromium(app: &TestApp, paths: &BTreeSet<String>) {
    let Some(browser) = crate::browser::Browser::start().await else { return };
    app.create_user("lid@example.org", Role::Werkgroep).await;
    let client = browser.client();
    client.set_window_size(1280, 900).await.expect("window size");
    client.goto(&format!("{}/inloggen", app.url)).await.expect("login page");
    browser.type_into("#email", "lid@example.org").await;
    browser.type_into("#password", PASSWORD).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("Uitloggen").await;
    let mut shown = String::new();
    for path in paths.iter().filter(|p| !p.ends_with(".csv") && !p.ends_with(".xlsx") && !p.ends_with("/png"))
    {
        client.goto(&format!("{}{path}", app.url)).await.expect("open");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        assert!(client.get_alert_text().await.is_err(), "{path}: no dialog opened");
        let ran = browser.script("return [window.__pwned || null, document.title];").await;
        assert_eq!(ran[0], json!(null), "{path}: a script of the corpus ran");
        assert_ne!(ran[1], json!("pwned"), "{path}: a script of the corpus ran");
        if path.contains("/vrije-tekst/") {
            let text = browser.script("return document.body.innerText;").await;
            shown.push_str(text.as_str().unwrap_or_default());
            // A right-to-left override in one answer must not reorder the page around it.
            let isolated = browser
                .script(
                    "const items = Array.from(document.querySelectorAll('ul.free-text li'));\
                     return items.length > 0 && items.every(li => \
                     ['isolate', 'plaintext', 'isolate-override'].includes(getComputedStyle(li).unicodeBidi));",
                )
                .await;
            assert_eq!(isolated, json!(true), "{path}: each answer is isolated from the text around it");
        }
    }
    for typed in ["<script>window.__pwned = 'script'</script>", "=cmd|' /C calc'!A0", "{{ 7*7 }} {% raw %}"] {
        assert!(shown.contains(typed), "free text reads as typed ({typed}): {shown}");
    }
    browser.quit().await;
}
