//! Answering with the page script off (JavaScript disabled, a strict browser, a screen reader
//! setup without it): every question whose condition reads this page is shown, so each says
//! which answer it belongs to, and the server drops the answers whose condition does not hold.

use crate::helpers::{CONTACTS, TestApp, forms_dir};

const FORM: &str = r#"
title = "Wijkteam"

[[pages]]
[[pages.questions]]
id = "contact"
type = "yesno"
label = "Had u contact met het wijkteam?"
required = true

[[pages.questions]]
id = "hoe"
type = "single"
widget = "dropdown"
label = "Hoe nam u contact op?"
options = [{ value = "telefoon", label = "Telefonisch" }, { value = "mail", label = "Per e-mail" }]
show_if = "contact = true"

[[pages.questions]]
id = "cijfer"
type = "scale"
label = "Hoe tevreden bent u over het contact?"
options = "tevreden5"
show_if = "hoe in ['telefoon'] and contact"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropdown_with_a_condition_says_next_to_it_which_answer_it_belongs_to() {
    let forms = forms_dir(&[("wijkteam", FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;
    let link = app.first_link(app.open_round("wijkteam", &[], false).await).await;
    let (status, body) = app.get(&link).await;
    assert_eq!(status, 200);

    let hint = r#"<p class="help only-if" id="q-hoe-only-if">Alleen invullen als u bij ‘Had u contact met het wijkteam?’ ‘Ja’ antwoordde.</p>"#;
    let at = |text: &str| body.find(text).unwrap_or_else(|| panic!("{text} missing in\n{body}"));
    assert!(at(r#"<label for="q-hoe">"#) < at(hint), "under the question's label");
    assert!(at(hint) < at(r#"<select id="q-hoe""#), "above the dropdown");
    assert!(body.contains(r#"<select id="q-hoe" name="hoe" aria-describedby="q-hoe-only-if""#), "{body}");
    // Other kinds of question say it the same way, in the words the person saw.
    assert!(
        body.contains(
            "Alleen invullen als u bij ‘Hoe nam u contact op?’ ‘Telefonisch’ antwoordde en u bij \
             ‘Had u contact met het wijkteam?’ ‘Ja’ antwoordde."
        ),
        "{body}"
    );
    assert!(!body.contains(r#"id="q-contact-only-if""#), "a question without a condition has no such line");

    // What the line warns about: "Nee", and a dropdown answered all the same, which is not kept.
    let (status, _) = app.post(&link, &[("_page", "0"), ("contact", "nee"), ("hoe", "telefoon")]).await;
    assert_eq!(status, 200);
    let stored: String =
        sqlx::query_scalar("SELECT answers FROM responses").fetch_one(&app.pool).await.unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&stored).unwrap(),
        serde_json::json!({"contact": false})
    );
}
