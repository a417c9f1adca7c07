//! What the answer page says beside a question: a number's step, and that an answer in an
//! anonymous round says who gave it.

use super::{app_with, stored_answers};
use crate::helpers::{CONTACTS, TestApp, forms_dir};

/// Half days, from 0 to 10.
const HALF_DAYS: &str = r#"
title = "Verzuim"

[[pages]]
title = "Verzuim"

[[pages.questions]]
id = "dagen"
type = "number"
decimal = true
label = "Hoeveel dagen was u afwezig?"
min = 0
max = 10
step = 0.5
required = true
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_number_with_a_step_says_so_and_refuses_an_answer_off_it_naming_the_nearest_two() {
    let (app, _forms) = app_with("verzuim", HALF_DAYS).await;
    let link = app.first_link(app.open_round("verzuim", &[], false).await).await;
    let (_, page) = app.get(&link).await;
    assert!(page.contains(r#"<p class="help" id="q-dagen-step">In stappen van 0,5.</p>"#), "{page}");
    assert!(page.contains(r#"aria-describedby="q-dagen-step""#), "{page}");

    let (status, body) = app.post(&link, &[("_page", "0"), ("dagen", "3,3"), ("_nav", "submit")]).await;
    assert_eq!(status, 422);
    assert!(
        body.contains("3,3 kan niet: vul een getal in stappen van 0,5 in, bijvoorbeeld 3 of 3,5."),
        "{body}"
    );
    assert!(body.contains(r#"aria-describedby="q-dagen-step q-dagen-error""#), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);

    let (status, _) = app.post(&link, &[("_page", "0"), ("dagen", "3,5"), ("_nav", "submit")]).await;
    assert_eq!(status, 200);
    assert_eq!(stored_answers(&app).await, vec![serde_json::json!({"dagen": 3.5})]);
}

const ASKS_WHO: &str = r#"
title = "Terugblik"
anonymous = true

[[pages]]
[[pages.questions]]
id = "contact"
type = "email"
label = "Op welk e-mailadres mogen we u benaderen?"
label_en = "Which e-mail address may we contact you at?"

[[pages.questions]]
id = "praktijk"
type = "text"
label = "Naam van uw praktijk (dit antwoord is niet anoniem)"
identifying = true

[[pages.questions]]
id = "opmerking"
type = "textarea"
label = "Opmerkingen"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_page_says_beside_a_question_that_asks_who_answered_that_the_answer_is_not_anonymous() {
    let identified = ASKS_WHO.replace("anonymous = true", "anonymous = false");
    let dir = forms_dir(&[("terugblik", ASKS_WHO), ("terugblik-open", &identified)]);
    let app = TestApp::spawn_with_forms(dir.path()).await;
    app.import_contacts(CONTACTS).await;
    let notice = "<p class=\"help not-anonymous\" id=\"q-contact-not-anonymous\"><strong>Let op: dit antwoord \
                  is niet anoniem.</strong> <span lang=\"en\">Note: this answer is not anonymous.</span></p>";
    let round = app.open_round("terugblik", &["huisarts"], true).await;
    let (status, page) = app.get(&app.first_link(round).await).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(notice), "{page}");
    assert!(page.contains("aria-describedby=\"q-contact-not-anonymous\""), "{page}");
    // Without a label_en, the Dutch alone.
    assert!(
        page.contains(
            "id=\"q-praktijk-not-anonymous\"><strong>Let op: dit antwoord is niet anoniem.</strong></p>"
        ),
        "{page}"
    );
    assert!(!page.contains("q-opmerking-not-anonymous"), "{page}");
    // An identified round tells it in its intro; no notice beside the question.
    let identified = app.open_round("terugblik-open", &["poh-ggz"], false).await;
    let (_, page) = app.get(&app.first_link(identified).await).await;
    assert!(!page.contains("niet anoniem.</strong>"), "{page}");
}
