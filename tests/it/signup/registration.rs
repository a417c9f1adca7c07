//! Open registration by a public link: details in, a link mailed out, and no seat held until
//! the person chooses a session through that link.

use super::{open_registration, poh_contacts, seats, sign_up};
use crate::helpers::TestApp;

#[tokio::test]
async fn an_open_registration_without_a_confirmed_address_holds_no_seat() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let (round, address) = open_registration(&app, 1).await;
    let (status, page) = app.get(&address).await;
    assert_eq!(status, 200, "{page}");

    let fields =
        [("naam", "Eva Nieuw"), ("email", "Eva@Example.org"), ("rol", "poh-ggz"), ("praktijk", "De Brug")];
    let (status, page) = app.post(&address, &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Kijk in uw e-mail"), "{page}");
    // Posting again (or flooding) queues no second mail within the window.
    app.post(&address, &fields).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'registration'").await, 1);
    assert!(seats(&app, round, "s1").await.is_empty(), "no seat before the link is used");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts WHERE email = 'eva@example.org' AND self_registered = 1")
            .await,
        1
    );

    // The invited POH takes the only seat; the registrant's link would only reach the waiting list.
    let invited = app.links(round).await.into_iter().find(|l| l.email == "poh01@example.org").expect("link");
    assert_eq!(sign_up(&app, invited.url.trim_start_matches(&app.url), "s1").await, 303);
    let eva = app.links(round).await.into_iter().find(|l| l.email == "eva@example.org").expect("eva's link");
    assert_eq!(sign_up(&app, eva.url.trim_start_matches(&app.url), "s1").await, 303);
    let statuses: Vec<String> = seats(&app, round, "s1").await.into_iter().map(|(_, s)| s).collect();
    assert_eq!(statuses, ["confirmed", "waiting"]);

    // A self-registered person never joins an audience.
    let audience = peil::contacts::matching(&app.pool, &["poh-ggz".into()], &[]).await.expect("matching");
    assert!(audience.iter().all(|c| c.email != "eva@example.org"));
}

#[tokio::test]
async fn a_registration_with_mistakes_is_refused_with_dutch_messages_and_stores_nothing() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let (_, page) = open_registration(&app, 1).await;
    let (status, page) =
        app.post(&page, &[("naam", ""), ("email", "geen-adres"), ("rol", "x"), ("praktijk", "")]).await;
    assert_eq!(status, 422);
    assert!(
        page.contains("Vul uw naam in.")
            && page.contains("geldig e-mailadres")
            && page.contains("Kies uw functie."),
        "{page}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 1);
    assert_eq!(app.get("/f/bestaat-niet").await.0, 404);
}

#[tokio::test]
async fn an_address_the_contact_import_refuses_is_refused_on_the_registration_page_too() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let (_, page) = open_registration(&app, 1).await;
    for email in ["jan <jan@example.org>", "jan@localhost"] {
        let fields = [("naam", "Jan Nieuw"), ("email", email), ("rol", "poh-ggz"), ("praktijk", "De Brug")];
        let (status, shown) = app.post(&page, &fields).await;
        assert_eq!(status, 422, "{email}: {shown}");
        assert!(shown.contains("Vul een geldig e-mailadres in"), "{email}: {shown}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 1, "only the imported POH");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'registration'").await, 0);
}

#[tokio::test]
async fn a_registration_then_an_import_of_the_same_plain_address_leaves_one_contact() {
    let app = TestApp::spawn().await;
    let (_, page) = open_registration(&app, 1).await;
    let fields =
        [("naam", "Jan Nieuw"), ("email", " Jan@Example.org "), ("rol", "poh-ggz"), ("praktijk", "De Brug")];
    assert_eq!(app.post(&page, &fields).await.0, 200);
    let summary = app
        .import_contacts(
            "naam;e-mail;rol;praktijk;wijk;gemeente\nJan Nieuw;jan@example.org;poh-ggz;De Brug;noord;Stad\n",
        )
        .await;
    assert_eq!((summary.added, summary.updated), (0, 1), "the import finds the registered contact");
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 1);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts WHERE email = 'jan@example.org' AND self_registered = 0")
            .await,
        1,
        "the office's list makes the registrant a contact of audiences"
    );
}
