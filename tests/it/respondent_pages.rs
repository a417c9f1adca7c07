//! Snapshots of the pages a respondent sees on a phone between consultations: a form's first
//! page, that page shown again with mistakes, the thank-you page and the page for a wrong link.
//! Handles and dates are normalised, and whitespace-only lines left out (see `seen`).

use crate::helpers::{CONTACTS, TestApp, forms_dir};
use crate::seen::{assert_seen, page};

/// Two pages with the common question kinds, a condition on the same page and a help text.
const FORM: &str = r#"
title = "Samenwerking in de wijk"
intro = "Deze vragenlijst gaat over de samenwerking met de ggz in uw wijk."

[[pages]]
title = "Uw praktijk"

[[pages.questions]]
id = "rol"
type = "single"
label = "Wat is uw rol?"
options = ["huisarts", "poh-ggz"]
required = true

[[pages.questions]]
id = "uren"
type = "number"
decimal = true
label = "Hoeveel uur per week werkt u met ggz-patiënten?"
help = "Een schatting is genoeg."
min = 0
max = 60
required = true

[[pages.questions]]
id = "toelichting"
type = "text"
label = "Welke patiënten?"
show_if = "rol = 'poh-ggz'"
required = true

[[pages.questions]]
id = "contact"
type = "yesno"
label = "Had u de afgelopen maand contact met de crisisdienst?"
required = true

[[pages]]
title = "Uw oordeel"

[[pages.questions]]
id = "oordeel"
type = "scale"
label = "Hoe tevreden bent u over de samenwerking?"
options = "tevreden5"
required = true

[[pages.questions]]
id = "opmerking"
type = "textarea"
label = "Opmerkingen"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_respondent_sees_the_pages_of_their_snapshots() {
    let dir = forms_dir(&[("wijk", FORM)]);
    let app = TestApp::spawn_with_forms(dir.path()).await;
    app.import_contacts(CONTACTS).await;
    let link = app.first_link(app.open_round("wijk", &[], false).await).await;
    let seen = |body: &str| page(body, &app.url);

    let (status, first) = app.get(&link).await;
    assert_eq!(status, 200);
    assert_seen!("first_page", seen(&first));

    let mistakes =
        [("_page", "0"), ("rol", "poh-ggz"), ("uren", "99"), ("toelichting", ""), ("_nav", "next")];
    let (status, again) = app.post(&link, &mistakes).await;
    assert_eq!(status, 422);
    assert_seen!("page_with_mistakes", seen(&again));

    let first_page =
        [("_page", "0"), ("rol", "huisarts"), ("uren", "2,5"), ("contact", "ja"), ("_nav", "next")];
    assert_eq!(app.post(&link, &first_page).await.0, 303);
    let (status, thanks) = app.post(&link, &[("_page", "1"), ("oordeel", "4"), ("_nav", "submit")]).await;
    assert_eq!(status, 200);
    assert_seen!("thanks", seen(&thanks));

    let (status, wrong) = app.get(&format!("/r/{}", "x".repeat(43))).await;
    assert_eq!(status, 404);
    assert_seen!("wrong_link", seen(&wrong));
}
