//! A date question's distribution: counted per week within ten weeks (per month beyond), with
//! its range, as a chart, a table and summary rows; and withheld like a number when fewer than
//! the threshold answered it.

use peil::accounts::Role;
use peil::forms::Answer;

use super::{answers, close, huisartsen, submit};
use crate::helpers::{TestApp, forms_dir};

const START: &str = r#"
title = "Start bij de POH-ggz"
anonymous = false
min_group_size = 5

[[pages]]
[[pages.questions]]
id = "gestart"
type = "date"
label = "Wanneer startte de POH-ggz in uw praktijk?"
required = false

[[pages.questions]]
id = "scholing"
type = "date"
label = "Wanneer volgde u de laatste scholing?"
required = false
"#;

/// Six start dates from 3 March to 28 April 2027, all in noord; three scholing dates.
const GESTART: [&str; 6] =
    ["2027-03-03", "2027-03-04", "2027-03-17", "2027-04-01", "2027-04-28", "2027-04-28"];

pub(super) async fn round() -> (TestApp, peil::rounds::RoundId, tempfile::TempDir) {
    let forms = forms_dir(&[("start", START)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 8)])).await;
    let round = app.open_round("start", &["huisarts"], false).await;
    for (i, link) in app.links(round).await.iter().enumerate() {
        let mut given = Vec::new();
        if let Some(day) = GESTART.get(i) {
            given.push(("gestart", Answer::Text((*day).into())));
        }
        if i < 3 {
            given.push(("scholing", Answer::Text(format!("2026-0{}-15", i + 1))));
        }
        submit(&app, round, &link.url, answers(&given)).await;
    }
    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    (app, round, forms)
}

#[tokio::test]
async fn a_date_question_shows_its_answers_per_week_and_their_range_on_the_page_and_in_the_export() {
    let (app, round, _forms) = round().await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = member.get(&format!("/werkgroep/ronde/{}", round.0)).await;
    assert_eq!(status, 200, "{page}");
    let start = page.find("Wanneer startte").expect("the question");
    let question = &page[start..start + page[start..].find("</section>").expect("its end")];
    assert!(question.contains("6 beantwoord · van 3 maart tot 28 april 2027"), "{question}");
    assert!(question.contains("<svg"), "a chart: {question}");
    // 3 and 4 March in week 9, 17 March in week 11, 1 April in week 13, 28 April twice in week 17;
    // the weeks between with 0.
    let weeks: Vec<(String, String)> = question
        .split("<th scope=\"row\">")
        .skip(1)
        .map(|row| {
            let label = row[..row.find("</th>").unwrap()].to_string();
            let count = row.split("<td class=\"num\">").nth(1).unwrap();
            (label, count[..count.find("</td>").unwrap()].to_string())
        })
        .collect();
    let expected = [
        ("week 9 (1 mrt)", "2"),
        ("week 10 (8 mrt)", "0"),
        ("week 11 (15 mrt)", "1"),
        ("week 12 (22 mrt)", "0"),
        ("week 13 (29 mrt)", "1"),
        ("week 14 (5 apr)", "0"),
        ("week 15 (12 apr)", "0"),
        ("week 16 (19 apr)", "0"),
        ("week 17 (26 apr)", "2"),
    ];
    assert_eq!(weeks, expected.map(|(l, c)| (l.to_string(), c.to_string())), "{question}");
    assert!(question.contains("33%"), "2 of 6: {question}");

    let (status, svg) = member.get(&format!("/werkgroep/ronde/{}/grafiek/gestart/svg", round.0)).await;
    assert_eq!(status, 200);
    assert!(svg.contains("week 17 (26 apr)") && svg.contains("2 (33%)"), "{svg}");

    let csv = member.get_bytes(&format!("/werkgroep/ronde/{}/download/samenvatting.csv", round.0)).await;
    let csv = String::from_utf8(csv).expect("utf-8");
    for line in [
        "Wanneer startte de POH-ggz in uw praktijk?;week 9 (1 mrt);2;33%",
        "Wanneer startte de POH-ggz in uw praktijk?;week 10 (8 mrt);0;0%",
        "Wanneer startte de POH-ggz in uw praktijk?;week 17 (26 apr);2;33%",
    ] {
        assert!(csv.contains(line), "{line}: {csv}");
    }
}

#[tokio::test]
async fn a_date_question_fewer_than_the_threshold_answered_shows_only_how_many_did() {
    let (app, round, _forms) = round().await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (_, page) = member.get(&format!("/werkgroep/ronde/{}", round.0)).await;
    let start = page.find("Wanneer volgde").expect("the question");
    let question = &page[start..start + page[start..].find("</section>").expect("its end")];
    assert!(question.contains("3 beantwoord · te weinig antwoorden om te tonen"), "{question}");
    for single in ["week", "januari", "maart 2026", " tot ", "<svg"] {
        assert!(!question.contains(single), "{single} of 3 answers: {question}");
    }
    let (chart, _) = member.get(&format!("/werkgroep/ronde/{}/grafiek/scholing/svg", round.0)).await;
    assert_eq!(chart, 404, "no chart of 3 answers");
    let csv = member.get_bytes(&format!("/werkgroep/ronde/{}/download/samenvatting.csv", round.0)).await;
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(
        csv.contains("Wanneer volgde u de laatste scholing?;te weinig antwoorden om te tonen;3"),
        "{csv}"
    );
    assert!(!csv.contains("2026"), "{csv}");
}
