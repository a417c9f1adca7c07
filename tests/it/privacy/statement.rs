//! The statement itself: who is responsible, the purpose, what is asked, anonymous or not and
//! what that means, who sees what, and where to ask for your data.

use peil::settings::Secret;

use super::{noord_with_officer, unescaped};
use crate::helpers::{TestApp, forms_dir};
use crate::pg::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_forms_statement_says_nobody_can_tie_the_answers_to_you() {
    let app = TestApp::spawn_configured(noord_with_officer).await;
    let (status, page) = app.get("/privacy/crisisdienst").await;
    assert_eq!(status, 200, "{page}");
    let page = unescaped(&page);
    for said in [
        "Verantwoordelijk voor uw gegevens is Huisartsen Noord",
        r#"<a href="mailto:secretariaat@hanoord.nl">"#,
        "functionaris gegevensbescherming: <a href=\"mailto:fg@hanoord.nl\">",
        // The form's own purpose.
        "De werkgroep ggz bespreekt twee keer per jaar met de crisisdienst",
        "Uw antwoorden zijn anoniem.",
        "Niemand kan uw antwoorden aan u koppelen",
        "ziet wie is uitgenodigd en of u geantwoord heeft, maar niet wat u antwoordde",
        // The threat model: what a copy of the database gives, and what remains possible.
        "Wie een kopie van de database in handen krijgt",
        "wie de server beheert én de geheime sleutel van peil heeft",
        // crisisdienst raises the threshold of 5 to 6.
        "uitkomsten van groepen van ten minste 6 mensen",
        "Anonieme antwoorden kunnen we niet terugvinden",
        r#"Mail daarvoor naar <a href="mailto:fg@hanoord.nl">fg@hanoord.nl</a>. U krijgt binnen een maand antwoord."#,
    ] {
        assert!(page.contains(said), "missing {said:?} in\n{page}");
    }
    assert!(!page.contains("De coördinator ziet uw antwoorden met uw naam"), "{page}");
    // A question of the form, as it is asked.
    assert!(page.contains("Heeft u de afgelopen 3 maanden contact gehad met de crisisdienst ggz?"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identified_forms_statement_says_the_coordinator_sees_your_answers_with_your_name() {
    let app = TestApp::spawn_configured(noord_with_officer).await;
    let (status, page) = app.get("/privacy/blended-care-bezoek").await;
    assert_eq!(status, 200, "{page}");
    for said in [
        "Verantwoordelijk voor uw gegevens is Huisartsen Noord",
        "Uw antwoorden zijn niet anoniem",
        "De coördinator ziet uw antwoorden met uw naam",
        "ten minste 5 mensen",
        // What it asks that says who you are, and its open question.
        "uw naam of die van uw praktijk en uw telefoonnummer. Daaraan is te zien wie u bent.",
        "Bij open vragen typt u zelf tekst.",
        "U krijgt binnen een maand antwoord.",
    ] {
        assert!(page.contains(said), "missing {said:?} in\n{page}");
    }
    assert!(!page.contains("Niemand kan uw antwoorden aan u koppelen"), "{page}");
    assert!(!page.contains("Anonieme antwoorden kunnen we niet terugvinden"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_organisation_settings_the_statement_still_names_who_to_ask() {
    let app = TestApp::spawn().await;
    let (status, page) = app.get("/privacy/crisisdienst").await;
    assert_eq!(status, 200);
    assert!(page.contains("Verantwoordelijk voor uw gegevens is de organisatie"), "{page}");
    assert!(
        page.contains("Neem daarvoor contact op met de organisatie. U krijgt binnen een maand antwoord."),
        "{page}"
    );
    assert!(!page.contains("mailto:"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_form_gets_the_dutch_not_found_page_and_the_index_lists_the_forms() {
    let app = TestApp::spawn().await;
    let (status, page) = app.get("/privacy/bestaat-niet").await;
    assert_eq!(status, 404);
    assert!(page.contains("<h1>Deze vragenlijst bestaat niet</h1>"), "{page}");
    let (status, index) = app.get("/privacy").await;
    assert_eq!(status, 200);
    let index = unescaped(&index);
    assert!(
        index.contains(r#"<a href="/privacy/crisisdienst">Samenwerking met de crisisdienst ggz</a>"#),
        "{index}"
    );
    assert!(index.contains(r#"<a href="/privacy/scholing">"#), "{index}");
}

/// Identified by default, with a purpose, an e-mail question and an open one.
const BEKEND: &str = r#"
title = "Bekende peiling"
purpose = "Om te weten wie mee wil denken."

[[questions]]
id = "adres"
type = "email"
label = "Waar kunnen we u bereiken?"

[[questions]]
id = "idee"
type = "textarea"
label = "Wat is uw idee?"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_a_job_makes_anonymous_explains_both_ways_until_the_link_says_which_round() {
    let forms = forms_dir(&[("bekend", BEKEND)]);
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(dir.path().join("jobs")).expect("jobs folder");
    let job = "form = \"bekend\"\nanonymous = true\nopen_for = \"7d\"\n[audience]\nroles = [\"huisarts\"]\n";
    std::fs::write(dir.path().join("jobs/bekend-anoniem.toml"), job).expect("job file");
    let db = TestDb::new(dir.path());
    let app = TestApp::spawn_on(forms.path(), dir, db, Secret::new(peil::crypto::random_b64(48))).await;

    let (_, both) = app.get("/privacy/bekend").await;
    assert!(both.contains("soms anoniem uitgezet en soms niet"), "{both}");
    assert!(
        both.contains("Als de ronde anoniem is") && both.contains("Als de ronde niet anoniem is"),
        "{both}"
    );
    assert!(both.contains("Om te weten wie mee wil denken."), "{both}");
    assert!(both.contains("uw e-mailadres"), "{both}");

    let (_, anonymous) = app.get("/privacy/bekend?ronde=anoniem").await;
    assert!(anonymous.contains("Niemand kan uw antwoorden aan u koppelen"), "{anonymous}");
    assert!(!anonymous.contains("De coördinator ziet uw antwoorden met uw naam"), "{anonymous}");
    let (_, identified) = app.get("/privacy/bekend?ronde=niet-anoniem").await;
    assert!(identified.contains("De coördinator ziet uw antwoorden met uw naam"), "{identified}");
    assert!(!identified.contains("Niemand kan uw antwoorden aan u koppelen"), "{identified}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_cannot_make_a_form_used_one_way_look_the_other_way() {
    let app = TestApp::spawn().await;
    let (_, page) = app.get("/privacy/crisisdienst?ronde=niet-anoniem").await;
    assert!(page.contains("Uw antwoorden zijn anoniem."), "{page}");
    assert!(!page.contains("De coördinator ziet uw antwoorden met uw naam"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_ups_statement_says_it_is_not_anonymous_and_who_sees_the_attendance() {
    let app = TestApp::spawn().await;
    let (status, page) = app.get("/privacy/scholing").await;
    assert_eq!(status, 200);
    for said in [
        "Een aanmelding is niet anoniem",
        "ziet wie is uitgenodigd, uw aanmelding met wat u invult, de wachtlijst en of u aanwezig was",
        "we vragen naar uw BIG-nummer",
        // How long, as the retention task carries it out (this app has no jobs: the defaults).
        "Inschrijvingen en aanwezigheid: 6 jaar na de bijeenkomst",
        "Persoonlijke links: 3 maanden na het sluiten van de ronde",
    ] {
        assert!(page.contains(said), "missing {said:?} in\n{page}");
    }
    assert!(!page.contains("De werkgroep</strong> ziet"), "a sign-up has no results: {page}");
    assert!(!page.contains("anonieme"), "{page}");
}
