//! `/beheer/rondes` as a coordinator uses it, and as a werkgroep member may not.

use peil::accounts::Role;
use peil::rounds;

use super::{audited, mail_statuses, with_round};
use crate::helpers::{CONTACTS, TestApp};

#[tokio::test]
async fn a_werkgroep_member_gets_403_on_every_rounds_page_and_action() {
    let (app, round) = with_round().await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    for path in [
        "/beheer/rondes".to_owned(),
        "/beheer/rondes/nieuw".to_owned(),
        format!("/beheer/rondes/{round}"),
        format!("/beheer/rondes/{round}/links"),
    ] {
        assert_eq!(member.get(&path).await.0, 403, "GET {path}");
    }
    for action in ["sluiten", "verlengen", "uitnodigen", "herinneren"] {
        let path = format!("/beheer/rondes/{round}/{action}");
        assert_eq!(
            member.post(&path, &[("bevestigd", "ja"), ("datum", "2099-01-01")]).await.0,
            403,
            "POST {path}"
        );
    }
    let new = [("formulier", "crisisdienst"), ("datum", "2099-01-01"), ("bevestigd", "ja")];
    assert_eq!(member.post("/beheer/rondes/nieuw", &new).await.0, 403);
    assert_eq!(rounds::list(&app.pool).await.expect("list").len(), 1);
    assert_eq!(mail_statuses(&app, round, "invitation").await, ["pending"; 3]);
    assert!(audited(&app, "links_viewed").await.is_empty());
}

#[tokio::test]
async fn the_list_links_every_round_with_its_figures() {
    let (app, round) = with_round().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, page) = admin.get("/beheer/rondes").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&format!(r#"<a href="/beheer/rondes/{round}">"#)), "{page}");
    assert!(page.contains("<td>met de hand</td>"), "{page}");
    assert!(page.contains("<td>0 (0%)</td>"), "{page}");
}

#[tokio::test]
async fn a_round_opened_by_hand_shows_whom_it_reaches_before_anything_is_written() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, page) = admin.get("/beheer/rondes/nieuw").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(r#"value="Stad""#), "the gemeenten come from the contacts: {page}");

    let fields = [
        ("formulier", "crisisdienst"),
        ("wijk", "noord"),
        ("rol", "huisarts"),
        ("datum", "2099-06-30"),
        ("tijd", "17:00"),
    ];
    let (status, page) = admin.post("/beheer/rondes/nieuw", &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Deze ronde bereikt 2 mensen"), "{page}");
    assert!(page.contains("<td>Anna de Vries</td><td>anna@example.org</td>"), "{page}");
    assert!(!page.contains("dina@example.org"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM rounds").await, 0, "the preview writes nothing");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);

    let mut confirmed = fields.to_vec();
    confirmed.push(("bevestigd", "ja"));
    let (status, _) = admin.post("/beheer/rondes/nieuw", &confirmed).await;
    assert_eq!(status, 303);
    let list = rounds::list(&app.pool).await.expect("list");
    assert_eq!((list.len(), list[0].invited, list[0].pending), (1, 2, 2));
    assert_eq!(peil::time::dutch(list[0].closes_at), "30 juni 2099 om 17.00 uur");
    let rows = audited(&app, "round_opened").await;
    assert_eq!(rows[0].actor.as_deref(), Some("beheer@example.org"));
}

#[tokio::test]
async fn a_new_round_without_a_form_in_the_past_or_for_nobody_is_refused_with_its_reason() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    for (fields, message) in [
        (vec![("datum", "2099-06-30")], "Kies een vragenlijst."),
        (
            vec![("formulier", "crisisdienst"), ("datum", "2001-01-01")],
            "De sluitingsdatum ligt in het verleden",
        ),
        (vec![("formulier", "crisisdienst"), ("datum", "")], "Vul een sluitingsdatum in"),
        (
            vec![("formulier", "crisisdienst"), ("datum", "2099-06-30"), ("tijd", "vijf uur")],
            "Vul de tijd in",
        ),
        (
            vec![
                ("formulier", "crisisdienst"),
                ("datum", "2099-06-30"),
                ("rol", "poh-ggz"),
                ("wijk", "zuid"),
            ],
            "Niemand past",
        ),
        (
            vec![("formulier", "bestaat-niet"), ("datum", "2099-06-30"), ("bevestigd", "ja")],
            "Er is geen vragenlijst",
        ),
    ] {
        let (status, page) = admin.post("/beheer/rondes/nieuw", &fields).await;
        assert_eq!(status, 422, "{fields:?}: {page}");
        assert!(page.contains(message), "{fields:?}: {page}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM rounds").await, 0);
}

#[tokio::test]
async fn closing_from_the_page_asks_first_and_says_what_happens_to_waiting_mail() {
    let (app, round) = with_round().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let path = format!("/beheer/rondes/{round}/sluiten");
    let (status, page) = admin.post(&path, &[]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("niet meer verstuurd: 3 mails wachten nu"), "{page}");
    assert!(audited(&app, "round_closed").await.is_empty(), "the question closes nothing");

    let (status, page) = admin.post(&path, &[("bevestigd", "ja")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("De ronde is gesloten"), "{page}");
    assert_eq!(mail_statuses(&app, round, "invitation").await, ["cancelled"; 3]);
    assert_eq!(audited(&app, "round_closed").await.len(), 1);
    let (status, page) = admin.post(&path, &[("bevestigd", "ja")]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("al gesloten"), "{page}");
}

#[tokio::test]
async fn extending_inviting_and_reminding_from_the_page() {
    let (app, round) = with_round().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let base = format!("/beheer/rondes/{round}");
    let (status, page) = admin.post(&format!("{base}/verlengen"), &[("datum", "2001-01-01")]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("in het verleden"), "{page}");
    let (status, page) =
        admin.post(&format!("{base}/verlengen"), &[("datum", "2099-12-31"), ("tijd", "12:00")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("verlengd tot 31 december 2099 om 12.00 uur"), "{page}");

    app.import_contacts(&format!("{CONTACTS}Eva Jansen;eva@example.org;huisarts;Praktijk Zuid;zuid;Stad\n"))
        .await;
    let (_, page) = admin.get(&base).await;
    assert!(page.contains("1 contact past nu bij de doelgroep"), "{page}");
    assert!(page.contains("3 mensen hebben nog niet geantwoord"), "{page}");
    let (status, page) = admin.post(&format!("{base}/uitnodigen"), &[]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("1 nagekomen contacten zijn uitgenodigd"), "{page}");
    let (status, page) = admin.post(&format!("{base}/herinneren"), &[]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("4 herinneringen staan klaar"), "{page}");
    for action in ["round_extended", "late_invited", "reminders_sent"] {
        assert_eq!(audited(&app, action).await.len(), 1, "{action}");
    }
}

#[tokio::test]
async fn the_personal_links_are_shown_to_an_administrator_and_each_showing_is_logged() {
    let (app, round) = with_round().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let response =
        admin.client.get(format!("{}/beheer/rondes/{round}/links", app.url)).send().await.expect("GET");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let page = response.text().await.expect("body");
    for link in app.links(round).await {
        assert!(page.contains(&link.url.replace('/', "&#x2F;")), "{page}");
    }
    admin.get(&format!("/beheer/rondes/{round}/links")).await;
    let rows = audited(&app, "links_viewed").await;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].detail, format!("ronde {round}: 3 persoonlijke links"));
}

#[tokio::test]
async fn an_unknown_round_is_a_dutch_404() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    for path in ["/beheer/rondes/99", "/beheer/rondes/99/links"] {
        let (status, page) = admin.get(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(page.contains("Er is geen ronde met nummer 99"), "{page}");
    }
    let (status, _) = admin.post("/beheer/rondes/99/sluiten", &[("bevestigd", "ja")]).await;
    assert_eq!(status, 404);
    assert!(audited(&app, "links_viewed").await.is_empty());
}

#[tokio::test]
async fn the_list_shows_fifty_rounds_a_page_newest_first_with_its_figures_on_every_page() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let mut opened = Vec::new();
    for _ in 0..51 {
        opened.push(app.open_round("crisisdienst", &["huisarts"], false).await);
    }
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let rows = |page: &str| page.matches(r#"<td><a href="/beheer/rondes/"#).count();

    let (status, first) = admin.get("/beheer/rondes").await;
    assert_eq!(status, 200);
    let first = crate::results::unescape(&first);
    assert_eq!(rows(&first), 50, "{first}");
    assert!(first.contains(&format!(r#"href="/beheer/rondes/{}""#, opened[50])), "the newest first");
    assert!(!first.contains(&format!(r#"href="/beheer/rondes/{}""#, opened[0])), "the oldest on page 2");
    assert!(first.contains(r#"href="/beheer/rondes?pagina=2""#), "{first}");

    let (status, second) = admin.get("/beheer/rondes?pagina=2").await;
    assert_eq!(status, 200);
    let second = crate::results::unescape(&second);
    assert_eq!(rows(&second), 1, "{second}");
    let oldest = format!(r#"<td><a href="/beheer/rondes/{0}">{0}: "#, opened[0]);
    assert!(second.contains(&oldest), "{second}");
    // The oldest round's figures: three huisartsen invited, three mails waiting.
    let row = crate::results::row_from(&second, &oldest);
    assert!(row.contains("<td>3</td><td>0 (0%)</td><td>3</td><td>0</td>"), "{row}");
    assert!(second.contains(r#"href="/beheer/rondes?pagina=1""#) && !second.contains("pagina=3"), "{second}");
}
