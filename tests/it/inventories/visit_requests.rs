//! A practice asks for a blended-care visit through the round's open link: it gives name and
//! address, gets a personal link by mail (real SMTP on loopback), answers the request form, and
//! the coordinator reads the request on the round's page while the round is still open.

use std::collections::HashMap;

use peil::accounts::Role;
use peil::rounds::RoundId;

use super::scheduler;
use crate::helpers::TestApp;
use crate::mail::smtp::SmtpServer;
use crate::mail::support::{decoded, link_path, mailer, sent};

const JOB: &str = "blended-care-bezoek";

const CONTACTS: &str = "naam;e-mail;rol;praktijk;wijk;gemeente\n\
Anna de Vries;anna@example.org;huisarts;Praktijk Noord;noord;Stad\n";

/// The app with one GP, and the job's round opened; returns the round and its open link's path.
async fn open_round(app: &TestApp) -> (RoundId, String) {
    app.import_contacts(CONTACTS).await;
    let (scheduler, _clock) = scheduler(app);
    let rounds = scheduler.start_job(JOB).await.expect("start the request round");
    let slug: String = sqlx::query_scalar("SELECT slug FROM rounds WHERE id = $1")
        .bind(rounds[0].0)
        .fetch_one(&app.pool)
        .await
        .expect("the round has a public slug");
    assert!(slug.starts_with("blended-care-bezoek-"), "{slug}");
    (rounds[0], format!("/f/{slug}"))
}

const REQUEST: [(&str, &str); 8] = [
    ("_page", "0"),
    ("praktijk", "Gezondheidscentrum De Brug"),
    ("telefoon", "030 123 4567"),
    ("platform", "karify"),
    ("wensen", "kennismaken"),
    ("wensen", "starten"),
    ("periode", "kwartaal"),
    ("_nav", "submit"),
];

#[tokio::test]
async fn a_practice_requests_a_visit_through_the_open_link_and_the_coordinator_reads_it() {
    let app = TestApp::spawn().await;
    let (round, open_link) = open_round(&app).await;
    let (status, page) = app.get(&open_link).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("persoonlijke link naar het formulier"),
        "a survey's words, not a sign-up's: {page}"
    );
    assert!(!page.contains("bijeenkomst"), "{page}");

    let fields = [
        ("naam", "Eva Jansen"),
        ("email", "eva@debrug.example"),
        ("rol", "poh-ggz"),
        ("praktijk", "De Brug"),
    ];
    let (status, page) = app.post(&open_link, &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Kijk in uw e-mail") && page.contains("vult u het formulier in"), "{page}");

    // Nothing reaches the coordinator before the address is confirmed through the mailed link.
    let admin = app.login_as("coordinator@example.org", Role::Admin).await;
    let (status, page) = admin.get(&format!("/beheer/rondes/{}/antwoorden", round.0)).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Nog niemand heeft geantwoord."), "{page}");

    let server = SmtpServer::started().await;
    let clock = peil::time::clock::ManualClock::at(app.now());
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    clock.set(chrono::Utc::now());
    assert_eq!(mailer.run_once().await.expect("run"), sent(2), "Anna's invitation and Eva's link");
    let mail = server.to("eva@debrug.example").pop().expect("Eva's mail");
    let body = decoded(&mail);
    assert!(body.contains("vult u het formulier in") && !body.contains("bijeenkomst"), "{body}");
    assert!(body.contains("niet anoniem"), "{body}");

    let link = link_path(&app, &mail);
    let (status, page) = app.post(&link, &REQUEST).await;
    assert!(status == 200 || status == 303, "{status}: {page}");

    let (status, page) = admin.get(&format!("/beheer/rondes/{}", round.0)).await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&format!("/beheer/rondes/{}/antwoorden", round.0)),
        "the round's page links to it: {page}"
    );
    let shown = crate::results::unescape(&page);
    assert!(
        shown.contains(&format!("{}{open_link}", app.url)),
        "the round's page shows its open link: {page}"
    );
    let (status, page) = admin.get(&format!("/beheer/rondes/{}/antwoorden", round.0)).await;
    assert_eq!(status, 200, "{page}");
    let page = crate::results::unescape(&page);
    for shown in [
        "1 antwoord",
        "Eva Jansen, De Brug",
        "eva@debrug.example",
        "Gezondheidscentrum De Brug",
        "030 123 4567",
        "Karify",
        "Kennismaken: wat is blended care en wat kan het voor onze patiënten?; Starten: account, licentie en de eerste patiënten",
        "Over 1 tot 3 maanden",
        &format!("{}{open_link}", app.url),
    ] {
        assert!(page.contains(&shown.replace('\'', "&#x27;")), "{shown} in {page}");
    }
    let audited = app
        .count("SELECT COUNT(*) FROM audit_log WHERE action = 'answers_viewed' AND actor = 'coordinator@example.org'")
        .await;
    assert_eq!(audited, 2, "each reading is in the audit log");
}

#[tokio::test]
async fn the_newest_request_comes_first() {
    let app = TestApp::spawn().await;
    let (round, _) = open_round(&app).await;
    app.import_contacts(&format!("{CONTACTS}Bram Bakker;bram@example.org;poh-ggz;Praktijk Zuid;zuid;Stad\n"))
        .await;
    peil::rounds::invite_late(
        &app.db,
        &app.secret,
        round,
        peil::rounds::LateInvitation::Audience,
        app.now(),
        None,
    )
    .await
    .expect("invite Bram");
    let links = app.links(round).await;
    let anna = links.iter().find(|l| l.email == "anna@example.org").expect("Anna");
    let bram = links.iter().find(|l| l.email == "bram@example.org").expect("Bram");
    app.post(anna.url.trim_start_matches(&app.url), &REQUEST).await;
    app.clock.advance(chrono::Duration::minutes(5));
    app.post(bram.url.trim_start_matches(&app.url), &REQUEST).await;

    let admin = app.login_as("coordinator@example.org", Role::Admin).await;
    let (_, page) = admin.get(&format!("/beheer/rondes/{}/antwoorden", round.0)).await;
    assert!(page.contains("2 antwoorden"), "{page}");
    let first = page.find("bram@example.org").expect("Bram's request");
    let second = page.find("anna@example.org").expect("Anna's request");
    assert!(first < second, "Bram asked last and comes first");
}

#[tokio::test]
async fn a_werkgroep_member_cannot_read_the_requests() {
    let app = TestApp::spawn().await;
    let (round, _) = open_round(&app).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = member.get(&format!("/beheer/rondes/{}/antwoorden", round.0)).await;
    assert!(status == 403 || status == 303 || status == 404, "{status}: {page}");
    assert!(!page.contains("anna@example.org"), "{page}");
    let (status, page) = app.get(&format!("/beheer/rondes/{}/antwoorden", round.0)).await;
    assert_ne!(status, 200, "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'answers_viewed'").await, 0);
}

#[tokio::test]
async fn a_request_with_mistakes_gets_dutch_messages_and_reaches_nobody() {
    let app = TestApp::spawn().await;
    let (round, open_link) = open_round(&app).await;
    let (status, page) =
        app.post(&open_link, &[("naam", ""), ("email", "geen-adres"), ("rol", ""), ("praktijk", "")]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Vul uw naam in.") && page.contains("geldig e-mailadres"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'registration'").await, 0);

    // Through a personal link, the form's own checks speak Dutch too.
    let anna = app.links(round).await.pop().expect("Anna's link");
    let wrong = [
        ("_page", "0"),
        ("praktijk", ""),
        ("telefoon", "bel me"),
        ("platform", "karify"),
        ("periode", "maand"),
        ("_nav", "submit"),
    ];
    let (status, page) = app.post(anna.url.trim_start_matches(&app.url), &wrong).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Vul een telefoonnummer in met alleen cijfers"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

#[tokio::test]
async fn an_anonymous_round_has_no_page_of_answers_with_names() {
    let app = TestApp::spawn().await;
    app.import_contacts(crate::helpers::CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], true).await;
    let admin = app.login_as("coordinator@example.org", Role::Admin).await;
    let (status, page) = admin.get(&format!("/beheer/rondes/{}/antwoorden", round.0)).await;
    assert_eq!(status, 404, "{page}");
    assert!(page.contains("Deze ronde is anoniem"), "{page}");
    let (_, page) = admin.get(&format!("/beheer/rondes/{}", round.0)).await;
    assert!(!page.contains("/antwoorden"), "no link from an anonymous round: {page}");
}
