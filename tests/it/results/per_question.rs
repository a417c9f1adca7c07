//! A question few answered: a round of 12 passes the threshold of 5, but "lowest 2, highest 6"
//! and a histogram of the 4 who answered the number question are those 4 people's answers.

use peil::accounts::Role;
use peil::forms::Answer;

use super::pages::PEILING;
use super::{answers, close, huisartsen, submit};
use crate::helpers::{TestApp, forms_dir};

/// The page of `PEILING` with a number question that few will answer.
fn form() -> String {
    format!(
        "{PEILING}\n[[pages.questions]]\nid = \"verwezen\"\ntype = \"number\"\n\
         label = \"Hoeveel patiënten verwees u het afgelopen kwartaal?\"\nrequired = false\nmin = 0\nmax = 1000\n"
    )
}

#[tokio::test]
async fn a_question_fewer_than_the_threshold_answered_shows_only_how_many_did() {
    let form = form();
    let forms = forms_dir(&[("verwijzing", form.as_str())]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 12)])).await;
    let round = app.open_round("verwijzing", &["huisarts"], false).await;
    let numbers = [2.0, 3.0, 5.0, 6.0];
    for (i, link) in app.links(round).await.iter().enumerate() {
        let mut given = vec![("ervaring", Answer::Number(4.0)), ("kanaal", Answer::Text("telefoon".into()))];
        if let Some(n) = numbers.get(i) {
            given.push(("verwezen", Answer::Number(*n)));
        }
        submit(&app, round, &link.url, answers(&given)).await;
    }
    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = member.get(&format!("/werkgroep/ronde/{}", round.0)).await;
    assert_eq!(status, 200);
    let question = &page[page.find("Hoeveel patiënten").expect("the question")..];
    let question = &question[..question.find("</section>").unwrap_or(question.len())];
    assert!(question.contains("4 beantwoord · te weinig antwoorden om te tonen"), "{question}");
    for single in ["min", "max", "mediaan", "<svg", "<th scope=\"row\">"] {
        assert!(!question.contains(single), "{single} of 4 answers: {question}");
    }
    assert!(page.contains("12 beantwoord"), "the scale all answered is shown: {page}");
    let (chart, _) = member.get(&format!("/werkgroep/ronde/{}/grafiek/verwezen/svg", round.0)).await;
    assert_eq!(chart, 404, "no chart of 4 answers");
    let summary = member.get_bytes(&format!("/werkgroep/ronde/{}/download/samenvatting.csv", round.0)).await;
    let summary = String::from_utf8(summary).expect("utf-8");
    assert!(summary.contains("te weinig antwoorden om te tonen;4"), "{summary}");
    let lines = summary.lines().filter(|l| l.starts_with("Hoeveel patiënten")).count();
    assert_eq!(lines, 1, "no histogram bins: {summary}");
}
