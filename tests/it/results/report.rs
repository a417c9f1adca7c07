//! The printable report and its PDF for a round of 24 questions of every kind, and the round at
//! a glance: compact, with the free texts the privacy rules allow and nothing of a small group.

use std::collections::BTreeMap;

use peil::accounts::Role;
use peil::forms::{Answer, Answers};
use peil::rounds::RoundId;

use super::{close, huisartsen, submit};
use crate::certificates::pdf_text;
use crate::helpers::{TestApp, forms_dir};

/// 8 scales, 4 matrices of 4 statements, 3 single choices, a yes/no, a multi, 3 numbers and 4
/// texts: 24 questions, as a real round of the werkgroep has.
fn form_24() -> String {
    let mut toml = String::from(
        "title = \"Monitor samenwerking\"\nanonymous = false\nmin_group_size = 5\n\n[[pages]]\n",
    );
    let mut q = |body: String| {
        toml.push_str("[[pages.questions]]\n");
        toml.push_str(&body);
        toml.push('\n');
    };
    for i in 1..=8 {
        q(format!(
            "id = \"s{i}\"\ntype = \"scale\"\nlabel = \"Stelling {i} over de samenwerking met de ggz.\"\noptions = \"eens5\"\n"
        ));
    }
    for i in 1..=4 {
        q(format!(
            "id = \"m{i}\"\ntype = \"matrix\"\nlabel = \"Matrixvraag {i} over bereikbaarheid.\"\noptions = \"eens5\"\n\
             items = [{{ id = \"a\", label = \"Onderdeel A{i}\" }}, {{ id = \"b\", label = \"Onderdeel B{i}\" }}, \
             {{ id = \"c\", label = \"Onderdeel C{i}\" }}, {{ id = \"d\", label = \"Onderdeel D{i}\" }}]\n"
        ));
    }
    for i in 1..=3 {
        q(format!(
            "id = \"c{i}\"\ntype = \"single\"\nlabel = \"Keuzevraag {i} over het kanaal.\"\n\
             options = [{{ value = \"tel\", label = \"Telefoon\" }}, {{ value = \"mail\", label = \"E-mail\" }}, {{ value = \"app\", label = \"Beveiligde app\" }}]\n"
        ));
    }
    q("id = \"y1\"\ntype = \"yesno\"\nlabel = \"Kent u de POH-GGZ van de wijk?\"\n".into());
    q("id = \"k1\"\ntype = \"multi\"\nlabel = \"Welke platforms gebruikt u?\"\noptions = [\"Mijntherapieland\", \"Karify\", \"Minddistrict\"]\n".into());
    for i in 1..=3 {
        q(format!(
            "id = \"n{i}\"\ntype = \"number\"\nlabel = \"Getalvraag {i}: hoeveel patiënten per week?\"\nmin = 0\nmax = 100\n"
        ));
    }
    for i in 1..=3 {
        q(format!("id = \"t{i}\"\ntype = \"textarea\"\nlabel = \"Toelichting {i}\"\nmax_length = 1000\n"));
    }
    q("id = \"t4\"\ntype = \"text\"\nlabel = \"Nog iets dat weinigen invullen\"\n".into());
    toml
}

/// One respondent's answers; `who` varies the figures, `wijk` marks the texts.
fn answers_of(who: usize, wijk: &str) -> Answers {
    let mut a: Answers = BTreeMap::new();
    for i in 1..=8 {
        a.insert(format!("s{i}"), Answer::Number(((who + i) % 5 + 1) as f64));
    }
    for i in 1..=4 {
        let grid = ["a", "b", "c", "d"]
            .iter()
            .enumerate()
            .map(|(j, item)| (item.to_string(), Answer::Number(((who + i + j) % 5 + 1) as f64)))
            .collect();
        a.insert(format!("m{i}"), Answer::Grid(grid));
    }
    for i in 1..=3 {
        a.insert(format!("c{i}"), Answer::Text(["tel", "mail", "app"][(who + i) % 3].into()));
    }
    a.insert("y1".into(), Answer::Bool(!who.is_multiple_of(3)));
    a.insert("k1".into(), Answer::Many(vec!["Karify".into()]));
    for i in 1..=3 {
        a.insert(format!("n{i}"), Answer::Number((who * i % 7) as f64));
    }
    for i in 1..=3 {
        a.insert(format!("t{i}"), Answer::Text(format!("{wijk}-opmerking {i} van arts {who}")));
    }
    if who < 2 {
        a.insert("t4".into(), Answer::Text(format!("Alleen door twee {who}")));
    }
    a
}

/// A closed round of the 24 questions: 8 huisartsen in noord and 4 in zuid answered, so zuid is
/// below the threshold of 5 (and noord with it, as its complement).
async fn round_24() -> (TestApp, RoundId, tempfile::TempDir) {
    let forms = forms_dir(&[("monitor", &form_24())]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 8), ("zuid", 4)])).await;
    let round = app.open_round("monitor", &["huisarts"], false).await;
    for (who, link) in app.links(round).await.iter().enumerate() {
        let wijk = if link.email.ends_with("@noord.example.org") { "Noord" } else { "Zuid" };
        submit(&app, round, &link.url, answers_of(who, wijk)).await;
    }
    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    (app, round, forms)
}

fn page_count(pdf: &[u8]) -> usize {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("rapport.pdf");
    std::fs::write(&file, pdf).expect("write");
    let out = std::process::Command::new("pdfinfo").arg(&file).output().expect("pdfinfo (poppler-utils)");
    let info = String::from_utf8_lossy(&out.stdout).to_string();
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap_or_else(|| panic!("{info}"));
    line.trim_start_matches("Pages:").trim().parse().expect("a number")
}

#[tokio::test]
async fn the_report_pdf_of_a_24_question_round_fits_on_half_the_pages_with_its_free_text() {
    let (app, round, _forms) = round_24().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let pdf = session.get_bytes(&format!("/werkgroep/ronde/{}/rapport.pdf", round.0)).await;
    let pages = page_count(&pdf);
    assert!(pages <= 7, "{pages} pages");
    if let Ok(dir) = std::env::var("PEIL_REPORT_SHOTS") {
        std::fs::write(format!("{dir}/rapport.pdf"), &pdf).expect("a copy to look at");
    }
    let text = pdf_text(&pdf);
    // pdftotext may break a long line; the words of each label and text stay in order.
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Monitor samenwerking",
        "n = 12 respondenten van 12 uitgenodigden (100% respons)",
        "In één oogopslag",
        "Stelling 8 over de samenwerking met de ggz.",
        "Matrixvraag 4 over bereikbaarheid.",
        "Getalvraag 3: hoeveel patiënten per week?",
        "Welke platforms gebruikt u?",
        "Noord-opmerking 1 van arts",
        "Zuid-opmerking 3 van arts",
        &format!("pagina {pages} van {pages}"),
    ] {
        assert!(flat.contains(expected), "{expected:?} in {flat}");
    }
    // Two answered the short text: those are single people's words.
    assert!(!flat.contains("Alleen door twee"), "{flat}");
    // Every question's texts were read, and the log says so.
    let audited = app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'free_text_viewed'").await;
    assert_eq!(audited, 3);
}

#[tokio::test]
async fn the_report_pdf_of_a_group_too_small_holds_no_figure_and_no_text_of_it() {
    let (app, round, _forms) = round_24().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let pdf = session.get_bytes(&format!("/werkgroep/ronde/{}/rapport.pdf?wijk=zuid", round.0)).await;
    let flat = pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("te weinig antwoorden"), "{flat}");
    assert!(flat.contains("wijk Zuid"), "the wijk by its label, as on the pages: {flat}");
    for absent in ["Zuid-opmerking", "Stelling 1", "respondenten van", "gemiddelde"] {
        assert!(!flat.contains(absent), "{absent:?} in {flat}");
    }
}

#[tokio::test]
async fn the_printable_report_lists_free_texts_under_their_question_and_says_when_it_may_not() {
    let (app, round, _forms) = round_24().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = session.get(&format!("/werkgroep/ronde/{}/rapport", round.0)).await;
    assert_eq!(status, 200, "{page}");
    let section = super::row_from(&page, "id=\"vraag-t2\"");
    let section = &section[..section.find("</section>").unwrap_or(section.len())];
    assert_eq!(section.matches("<li>Noord-opmerking 2 van arts").count(), 8, "{section}");
    assert_eq!(section.matches("<li>Zuid-opmerking 2 van arts").count(), 4, "{section}");
    assert!(!page.contains("Alleen door twee"), "{page}");
    assert!(page.contains("n = 12</strong> respondenten van 12 uitgenodigden (100% respons)"), "{page}");
    assert!(page.contains("/rapport.pdf\">Rapport als PDF downloaden"), "{page}");
}

/// Not a test: prints the report and the round page of the 24-question round with Chromium,
/// as PDF and PNG, into `$PEIL_REPORT_SHOTS` with the prefix `$PEIL_REPORT_PREFIX`, for the
/// before/after comparison in the issue. `cargo test --test it print_the_report -- --ignored`.
#[tokio::test]
#[ignore = "writes files for a person to look at; needs chromium"]
async fn print_the_report_and_the_round_page_with_chromium() {
    let dir = std::env::var("PEIL_REPORT_SHOTS").unwrap_or_else(|_| "/tmp/shots".into());
    let prefix = std::env::var("PEIL_REPORT_PREFIX").unwrap_or_else(|_| "report".into());
    let (app, round, _forms) = round_24().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    for (name, path) in [
        ("rapport", format!("/werkgroep/ronde/{}/rapport", round.0)),
        ("ronde", format!("/werkgroep/ronde/{}", round.0)),
    ] {
        let (_, page) = session.get(&path).await;
        // The static files come from the running app; only the page itself needs the login.
        let page = page.replacen("<head>", &format!("<head><base href=\"{}/\">", app.url), 1);
        let html = format!("{dir}/{prefix}-{name}.html");
        std::fs::write(&html, page).expect("write the page");
        let pdf = format!("--print-to-pdf={dir}/{prefix}-{name}.pdf");
        let png = format!("--screenshot={dir}/{prefix}-{name}.png");
        for out in [pdf, png] {
            let html = html.clone();
            // Off the test's thread: the app that serves the page's CSS runs on it.
            let status = tokio::task::spawn_blocking(move || {
                std::process::Command::new("timeout")
                    .args([
                        "120",
                        "chromium",
                        "--headless",
                        "--no-sandbox",
                        "--disable-gpu",
                        "--no-pdf-header-footer",
                    ])
                    .args(["--window-size=1280,2400", &out, &html])
                    .status()
            })
            .await
            .expect("joined")
            .expect("chromium");
            assert!(status.success());
        }
    }
}
