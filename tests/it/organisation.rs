//! `[organisation]` on the pages people meet: where a page says "neem contact op", it says with
//! whom and how (a `mailto:` and a `tel:` link) when the settings name an address and a number,
//! and still reads as a sentence when they do not; the werkgroep report is headed with the name.

use peil::accounts::Role;
use peil::organisation::{Organisation, RawOrganisation};
use peil::settings::Settings;

use crate::helpers::{CONTACTS, TestApp};

const MAILTO: &str = r#"<a href="mailto:secretariaat@hanoord.nl">secretariaat@hanoord.nl</a>"#;
const TEL: &str = r#"<a href="tel:+31201234567">020 123 4567</a>"#;

pub(crate) fn noord(settings: &mut Settings) {
    settings.organisation = Organisation::parse(RawOrganisation {
        name: Some("Huisartsen Noord".into()),
        email: Some("secretariaat@hanoord.nl".into()),
        phone: Some("020 123 4567".into()),
        privacy_contact: None,
    })
    .expect("a valid organisation");
}

/// An app with the contacts and a round that closed before anyone answered; its first link.
async fn closed_round(app: &TestApp) -> String {
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    let link = app.first_link(round).await;
    app.clock.advance(chrono::Duration::days(8));
    link
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_round_names_the_organisation_with_its_address_and_number() {
    let app = TestApp::spawn_configured(noord).await;
    let link = closed_round(&app).await;
    let (status, page) = app.get(&link).await;
    assert_eq!(status, 410);
    let sentence = format!("Neem dan contact op met Huisartsen Noord: {MAILTO}, {TEL}.");
    assert!(page.contains(&sentence), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_organisation_settings_a_closed_round_still_reads_as_a_sentence() {
    let app = TestApp::spawn().await;
    let link = closed_round(&app).await;
    let (status, page) = app.get(&link).await;
    assert_eq!(status, 410);
    assert!(page.contains("Neem dan contact op met de organisatie.</p>"), "{page}");
    assert!(!page.contains("mailto:") && !page.contains("tel:"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_a_name_only_pages_name_it_and_show_no_empty_contact_line() {
    let app = TestApp::spawn_configured(|settings| {
        settings.organisation = Organisation::parse(RawOrganisation {
            name: Some("Huisartsen Noord".into()),
            ..Default::default()
        })
        .expect("a name alone");
    })
    .await;
    let link = closed_round(&app).await;
    let (_, page) = app.get(&link).await;
    assert!(page.contains("Neem dan contact op met Huisartsen Noord.</p>"), "{page}");
    let (status, page) = app.get("/bestaat-niet").await;
    assert_eq!(status, 404);
    assert!(!page.contains("Komt u er niet uit?"), "nothing to say how: {page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn error_pages_say_how_to_reach_the_organisation_only_when_they_can() {
    let app = TestApp::spawn_configured(noord).await;
    let (status, page) = app.get("/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(status, 404);
    assert!(page.contains("Deze link werkt niet"), "{page}");
    let sentence = format!("Komt u er niet uit? Neem contact op met Huisartsen Noord: {MAILTO}, {TEL}.");
    assert!(page.contains(&sentence), "{page}");

    let plain = TestApp::spawn().await;
    let (status, page) = plain.get("/bestaat-niet").await;
    assert_eq!(status, 404);
    assert!(!page.contains("Komt u er niet uit?") && !page.contains("mailto:"), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_unsubscribed_page_and_the_form_say_whom_to_ask() {
    let app = TestApp::spawn_configured(noord).await;
    app.import_contacts(CONTACTS).await;
    let link = app.first_link(app.open_round("crisisdienst", &["huisarts"], false).await).await;
    let (status, form) = app.get(&link).await;
    assert_eq!(status, 200);
    let question =
        format!("Vragen over deze vragenlijst? Neem contact op met Huisartsen Noord: {MAILTO}, {TEL}.");
    assert!(form.contains(&question), "{form}");

    let (status, page) =
        app.post_raw(&format!("{link}/afmelden"), b"List-Unsubscribe=One-Click".to_vec()).await;
    assert_eq!(status, 200);
    assert!(page.contains("U bent afgemeld"), "{page}");
    assert!(page.contains(&format!("Neem dan contact op met Huisartsen Noord: {MAILTO}, {TEL}.")), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_werkgroep_report_is_headed_with_the_organisations_name() {
    let app = TestApp::spawn_configured(noord).await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = session.get(&format!("/werkgroep/ronde/{}/rapport", round.0)).await;
    assert_eq!(status, 200);
    let heading = page.find("<p class=\"organisation\">Huisartsen Noord</p>").expect(&page);
    assert!(heading < page.find("<h1>").expect("a title"), "the name heads the report: {page}");

    let plain = TestApp::spawn().await;
    plain.import_contacts(CONTACTS).await;
    let round = plain.open_round("crisisdienst", &["huisarts"], false).await;
    let session = plain.login_as("lid@example.org", Role::Werkgroep).await;
    let (_, page) = session.get(&format!("/werkgroep/ronde/{}/rapport", round.0)).await;
    assert!(!page.contains("class=\"organisation\""), "no empty heading: {page}");
}

#[test]
fn the_organisation_can_be_set_in_the_environment_and_a_wrong_number_stops_the_start() {
    let cli = crate::cli::Cli::new();
    let output = cli
        .command(&["check"])
        .env("PEIL_ORGANISATION__NAME", "Huisartsen Noord")
        .env("PEIL_ORGANISATION__EMAIL", "secretariaat@hanoord.nl")
        .env("PEIL_ORGANISATION__PHONE", "+31 (0)20 123 4567")
        .output()
        .expect("peil check");
    assert!(output.status.success(), "{}", crate::cli::stderr(&output));

    let output =
        cli.command(&["serve"]).env("PEIL_ORGANISATION__PHONE", "bel ons").output().expect("peil serve");
    assert!(!output.status.success(), "a wrong number stops the start");
    let said = crate::cli::stderr(&output);
    assert!(said.contains("organisation.phone \"bel ons\" is not a phone number"), "{said}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seat_past_its_cancel_deadline_says_whom_to_tell_and_how() {
    use crate::signup::{link_paths, open_signup, poh_contacts, seat_of, session, sign_up};
    let app = TestApp::spawn_configured(noord).await;
    app.import_contacts(&poh_contacts(2)).await;
    let starts = chrono::Utc::now() + chrono::Duration::hours(20);
    let round = open_signup(&app, vec![session("s1", 4, starts)], chrono::Duration::hours(48)).await;
    let path = link_paths(&app, round).await.remove(0);
    sign_up(&app, &path, "s1").await;
    let seat = seat_of(&app, &path).await;

    let (status, page) = app.get(&format!("{path}/plaats/{seat}")).await;
    assert_eq!(status, 200);
    let sentence = format!(
        "Kunt u toch niet komen? Neem dan zo snel mogelijk contact op met Huisartsen Noord: {MAILTO}, {TEL}."
    );
    assert!(page.contains(&sentence), "{page}");
    let (status, page) = app.post(&format!("{path}/plaats/{seat}/afzeggen"), &[]).await;
    assert_eq!(status, 409);
    assert!(page.contains("Laat het Huisartsen Noord of de gespreksleider zo snel mogelijk weten"), "{page}");
    assert!(page.contains(&format!("Neem contact op met Huisartsen Noord: {MAILTO}, {TEL}.")), "{page}");
}
