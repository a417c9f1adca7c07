//! Number questions on the answers' own step: half days make one bar per half, labelled by the
//! value it holds, the same in the chart, the table beside it and the summary download.

use peil::accounts::Role;
use peil::forms::Answer;

use super::pages::PEILING;
use super::{answers, close, huisartsen, submit};
use crate::helpers::{TestApp, forms_dir};

/// `PEILING` with a question answered in half days (no `step` declared: the answers' own).
fn form() -> String {
    format!(
        "{PEILING}\n[[pages.questions]]\nid = \"dagen\"\ntype = \"number\"\ndecimal = true\n\
         label = \"Hoeveel dagen per week werkt u in de praktijk?\"\nmin = 0\nmax = 7\n"
    )
}

#[tokio::test]
async fn half_day_answers_get_five_bars_labelled_by_their_values_on_the_page_and_in_the_summary() {
    let form = form();
    let forms = forms_dir(&[("dagen", form.as_str())]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 10)])).await;
    let round = app.open_round("dagen", &["huisarts"], false).await;
    let days = [3.0, 3.0, 3.5, 4.0, 4.0, 4.0, 4.5, 5.0, 5.0, 5.0];
    for (link, day) in app.links(round).await.iter().zip(days) {
        let given = [("ervaring", Answer::Number(4.0)), ("dagen", Answer::Number(day))];
        submit(&app, round, &link.url, answers(&given)).await;
    }
    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;

    let (status, page) = member.get(&format!("/werkgroep/ronde/{}", round.0)).await;
    assert_eq!(status, 200);
    let question = &page[page.find("Hoeveel dagen per week").expect("the question")..];
    let question = &question[..question.find("</section>").unwrap_or(question.len())];
    for (label, count, percent) in
        [("3", 2, "20%"), ("3,5", 1, "10%"), ("4", 3, "30%"), ("4,5", 1, "10%"), ("5", 3, "30%")]
    {
        let row = format!(
            "<tr><th scope=\"row\">{label}</th><td class=\"num\">{count}</td><td class=\"num\">{percent}</td></tr>"
        );
        assert!(question.contains(&row), "{row} in {question}");
    }
    assert_eq!(question.matches("<tr><th scope=\"row\">").count(), 5, "{question}");
    assert!(!question.contains(" tot "), "{question}");

    let (status, svg) = member.get(&format!("/werkgroep/ronde/{}/grafiek/dagen/svg", round.0)).await;
    assert_eq!(status, 200);
    let bars = svg.matches("fill=\"#2B6CB0\"").count();
    assert_eq!(bars, 5, "five bars: {svg}");
    for label in ["3", "3,5", "4", "4,5", "5"] {
        assert!(svg.contains(&format!(">\n{label}\n<")), "{label} under its bar: {svg}");
    }
    assert!(!svg.contains("3,2") && !svg.contains("4,8"), "no 0,2-wide bins: {svg}");

    let summary = member.get_bytes(&format!("/werkgroep/ronde/{}/download/samenvatting.csv", round.0)).await;
    let summary = String::from_utf8(summary).expect("utf-8");
    let lines: Vec<&str> = summary.lines().filter(|l| l.contains("Hoeveel dagen per week")).collect();
    let labels: Vec<&str> = lines.iter().filter_map(|l| l.split(';').nth(1)).collect();
    assert_eq!(labels, ["3", "3,5", "4", "4,5", "5"], "{summary}");
    assert!(lines[1].ends_with(";1;10%"), "{summary}");
}
