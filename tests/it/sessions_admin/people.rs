//! Moving a person, enrolling a contact by hand and a message to everyone on a session, from
//! the session's page; and what each refuses without writing anything.

use std::collections::HashMap;

use super::Scene;
use crate::mail::smtp::SmtpServer;
use crate::mail::support::{decoded, mailer};

#[tokio::test]
async fn a_moved_person_gets_a_seat_in_the_other_session_and_the_first_waiting_moves_up() {
    let scene = Scene::new().await;
    let seat = crate::signup::seat_of(&scene.app, &scene.links[0]).await.to_string();
    let path = format!("/beheer/bijeenkomsten/{}/verplaatsen", scene.s1);
    let to = scene.s2.to_string();
    let (status, page) = scene.admin.post(&path, &[("plaats", &seat), ("naar", &to)]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("POH 01 is verplaatst en heeft daar een plaats"), "{page}");
    let s1 = scene.seats(scene.s1).await;
    let status_of =
        |seats: &[(String, String)]| seats.iter().map(|(s, e)| format!("{s} {e}")).collect::<Vec<_>>();
    assert_eq!(
        status_of(&s1),
        [
            "cancelled poh01@example.org",
            "confirmed poh02@example.org",
            "confirmed poh03@example.org",
            "waiting poh04@example.org"
        ]
    );
    assert_eq!(status_of(&scene.seats(scene.s2).await), ["confirmed poh01@example.org"]);
    assert_eq!(
        scene.mailed("seat-moved").await,
        ["poh01@example.org"],
        "the old calendar entry is withdrawn"
    );
    assert_eq!(scene.mailed("seat-promoted").await, ["poh03@example.org"]);
    let confirmed = scene.mailed("seat-confirmed").await;
    assert_eq!(
        confirmed.iter().filter(|e| *e == "poh01@example.org").count(),
        2,
        "the first seat and the new one"
    );
    let taken: Vec<i64> = sqlx::query_scalar("SELECT taken FROM sessions ORDER BY id")
        .fetch_all(&scene.app.pool)
        .await
        .expect("taken");
    assert_eq!(taken, [2, 1]);
    assert_eq!(scene.audited("seat_moved").await.len(), 1);

    // Refused, with nothing written: the same session, a seat that has gone, a session that is not there.
    let s1 = scene.s1.to_string();
    let other = crate::signup::seat_of(&scene.app, &scene.links[1]).await.to_string();
    for (fields, says) in [
        ([("plaats", other.as_str()), ("naar", s1.as_str())], "Kies een andere bijeenkomst"),
        ([("plaats", seat.as_str()), ("naar", to.as_str())], "staat niet (meer) bij deze bijeenkomst"),
        ([("plaats", other.as_str()), ("naar", "9999")], "hoort niet bij deze ronde"),
    ] {
        let (status, page) = scene.admin.post(&path, &fields).await;
        assert_eq!(status, 422, "{fields:?}: {page}");
        assert!(page.contains(says), "{says}: {page}");
    }
    assert_eq!(scene.audited("seat_moved").await.len(), 1);
    assert_eq!(scene.count("SELECT COUNT(*) FROM seats").await, 5);
}

#[tokio::test]
async fn a_contact_without_an_invitation_is_enrolled_by_hand_and_a_full_session_puts_them_on_the_waiting_list()
 {
    let scene = Scene::new().await;
    scene.app.import_contacts("naam;e-mail;rol;praktijk;wijk;gemeente\nHenk Huisarts;henk@example.org;huisarts;Praktijk H;noord;Stad\n").await;
    let invited = "SELECT COUNT(*) FROM invitations";
    assert_eq!(scene.count(invited).await, 6);
    let (status, page) = scene.admin.get(&format!("/beheer/bijeenkomsten/{}?zoek=Henk", scene.s1)).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(r#"<input type="hidden" name="email" value="henk@example.org">"#),
        "found by the search: {page}"
    );
    let (_, page) = scene.admin.get(&format!("/beheer/bijeenkomsten/{}?zoek=xyz", scene.s1)).await;
    assert!(page.contains("Geen contact gevonden"), "{page}");
    let path = format!("/beheer/bijeenkomsten/{}/inschrijven", scene.s1);
    let (status, page) = scene.admin.post(&path, &[("email", " Henk@Example.org ")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Henk Huisarts staat op de wachtlijst (plaats 3)"), "{page}");
    assert_eq!(scene.count(invited).await, 7, "an invitation made for him");
    assert_eq!(scene.mailed("seat-waiting").await.iter().filter(|e| *e == "henk@example.org").count(), 1);
    assert_eq!(
        scene.count("SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'").await,
        6,
        "no invitation mail"
    );

    let path2 = format!("/beheer/bijeenkomsten/{}/inschrijven", scene.s2);
    let (status, page) = scene.admin.post(&path2, &[("email", "henk@example.org")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Henk Huisarts heeft een plaats"), "{page}");
    assert_eq!(scene.mailed("seat-confirmed").await.iter().filter(|e| *e == "henk@example.org").count(), 1);

    for (email, says) in
        [("henk@example.org", "staat al bij die bijeenkomst"), ("niemand@example.org", "Er is geen contact")]
    {
        let (status, page) = scene.admin.post(&path2, &[("email", email)]).await;
        assert_eq!(status, 422, "{page}");
        assert!(page.contains(says), "{page}");
    }
    assert_eq!(scene.audited("seat_enrolled").await.len(), 2);
    let (status, _) =
        scene.admin.post("/beheer/bijeenkomsten/9999/inschrijven", &[("email", "henk@example.org")]).await;
    assert_eq!(status, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_to_everyone_goes_once_per_seat_through_smtp_even_when_the_form_is_sent_twice() {
    let scene = Scene::new().await;
    let clock = peil::time::clock::ManualClock::at(chrono::Utc::now());
    let server = SmtpServer::started().await;
    let mailer = mailer(&scene.app, &clock, Some(server.url()), HashMap::new());
    // The sign-ups' own mails go first.
    mailer.run_once().await.expect("run");
    let before = server.received().len();

    let page_path = format!("/beheer/bijeenkomsten/{}", scene.s1);
    let (_, page) = scene.admin.get(&page_path).await;
    let at = page.find(r#"name="sleutel" value=""#).expect("a key") + r#"name="sleutel" value=""#.len();
    let key = page[at..at + page[at..].find('"').expect("end")].to_string();
    let path = format!("{page_path}/bericht");
    let (status, page) =
        scene.admin.post(&path, &[("onderwerp", "Andere zaal"), ("tekst", ""), ("sleutel", &key)]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Vul een onderwerp"), "{page}");
    assert_eq!(scene.count("SELECT COUNT(*) FROM session_notices").await, 0);

    let fields = [
        ("onderwerp", "Andere zaal"),
        ("tekst", "We zitten in zaal 3.\n\nDe koffie staat klaar."),
        ("sleutel", &key),
    ];
    let (status, page) = scene.admin.post(&path, &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Het bericht staat klaar om te versturen aan 2 mensen."), "{page}");
    let (status, page) = scene.admin.post(&path, &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("al verstuurd"), "{page}");
    assert_eq!(scene.mailed("session-notice").await, ["poh01@example.org", "poh02@example.org"]);
    assert_eq!(scene.audited("session_mailed").await.len(), 1);

    clock.set(chrono::Utc::now());
    mailer.run_once().await.expect("run");
    let received = &server.received()[before..];
    assert_eq!(received.len(), 2, "one mail per confirmed seat");
    for mail in received {
        let text = decoded(mail);
        assert!(text.contains("Subject: Andere zaal"), "{text}");
        assert!(text.contains("We zitten in zaal 3."), "{text}");
        assert!(text.contains("Intervisiegroep s1"), "{text}");
    }
    // With the waiting list too: a new form, a new message, to all four.
    let with_waiting = [
        ("onderwerp", "Let op"),
        ("tekst", "Neem uw BIG-nummer mee."),
        ("wachtlijst", "ja"),
        ("sleutel", "k2"),
    ];
    let (status, page) = scene.admin.post(&path, &with_waiting).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("aan 4 mensen"), "{page}");
}
