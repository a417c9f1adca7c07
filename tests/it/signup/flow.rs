//! One person at a time: choosing a session, seeing one's place, cancelling by link, and the
//! refusals (after the deadline, a cancelled session, a session that does not exist).

use chrono::{Duration, Utc};
use futures_util::future::join_all;

use super::{
    link_paths, mails, open_signup, poh_contacts, seat_of, seats, session, sign_up, taken, unescaped,
};
use crate::helpers::TestApp;

#[tokio::test]
async fn the_form_shows_each_session_with_the_seats_left_and_full_ones_with_a_waiting_list() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(3)).await;
    let starts = Utc::now() + Duration::days(20);
    let round = open_signup(
        &app,
        vec![session("s1", 1, starts), session("s2", 3, starts + Duration::days(1))],
        Duration::hours(24),
    )
    .await;
    let paths = link_paths(&app, round).await;
    let (status, page) = app
        .post(&paths[0], &[("_page", "0"), ("bijeenkomst", "s1"), ("naam_delen", "ja"), ("_nav", "submit")])
        .await;
    assert_eq!(status, 303, "{page}");

    let (status, page) = app.get(&paths[1]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Intervisiegroep s1") && page.contains("Intervisiegroep s2"), "{page}");
    assert!(page.contains("Vol — u komt op de wachtlijst"), "{page}");
    assert!(page.contains("Nog 3 plaatsen"), "{page}");
    assert!(page.contains(r#"type="radio" name="bijeenkomst" value="s2""#), "{page}");
}

#[tokio::test]
async fn twelve_people_race_for_the_last_two_seats_and_one_cancellation_moves_the_next_up() {
    // Scenario 2 of the brief, up to the mail (whose delivery and .ics the mail tests check).
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(18)).await;
    let round =
        open_signup(&app, vec![session("s1", 8, Utc::now() + Duration::days(20))], Duration::hours(48)).await;
    let paths = link_paths(&app, round).await;
    for path in &paths[..6] {
        sign_up(&app, path, "s1").await;
    }
    let racing = &paths[6..];
    join_all(racing.iter().map(|p| sign_up(&app, p, "s1"))).await;
    let queue = seats(&app, round, "s1").await;
    let confirmed = queue.iter().filter(|(_, s)| s == "confirmed").count();
    let waiting: Vec<i64> = queue.iter().filter(|(_, s)| s == "waiting").map(|(id, _)| *id).collect();
    assert_eq!((confirmed, waiting.len()), (8, 10));

    // One of the first six cancels through the page their own sign-up page links to.
    let seat = seat_of(&app, &paths[0]).await;
    let (_, own) = app.get(&paths[0]).await;
    let own = unescaped(&own);
    let at = own.find(&format!(r#"/plaats/{seat}""#)).expect("a link to the seat's page");
    let href = &own[own[..at].rfind("href=\"").expect("the link's href") + 6..at];
    assert!(href.starts_with("/antwoord/"), "the page links to its own token-less address: {href}");
    assert!(!own.contains(paths[0].trim_start_matches("/r/")), "the token is not on the page");
    let (status, page) = app.get(&format!("{}/plaats/{seat}", paths[0])).await;
    assert_eq!(status, 200);
    assert!(page.contains("Ja, meld mij af"), "{page}");
    let (status, page) = app.post(&format!("{}/plaats/{seat}/afzeggen", paths[0]), &[]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("U bent afgemeld."), "{page}");

    let after = seats(&app, round, "s1").await;
    let status_of =
        |id: i64| after.iter().find(|(s, _)| *s == id).map(|(_, st)| st.clone()).unwrap_or_default();
    assert_eq!(status_of(waiting[0]), "confirmed", "the first on the waiting list moved up");
    assert_eq!(status_of(seat), "cancelled");
    assert_eq!(taken(&app, round, "s1").await, 8);
    assert_eq!(mails(&app, "seat-promoted").await, vec![waiting[0]], "one mail, to the one moved up");

    // Cancelling again changes nothing and says so.
    let (status, page) = app.post(&format!("{}/plaats/{seat}/afzeggen", paths[0]), &[]).await;
    assert_eq!(status, 200);
    assert!(page.contains("U was al afgemeld."), "{page}");
    assert_eq!(mails(&app, "seat-promoted").await.len(), 1);
}

#[tokio::test]
async fn the_cancel_link_after_the_deadline_is_refused_with_a_clear_message_and_keeps_the_seat() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(2)).await;
    // Tomorrow morning's session closes cancellation 48 hours before: already past.
    let round =
        open_signup(&app, vec![session("s1", 4, Utc::now() + Duration::hours(20))], Duration::hours(48))
            .await;
    let path = link_paths(&app, round).await.remove(0);
    sign_up(&app, &path, "s1").await;
    let seat = seat_of(&app, &path).await;

    let (status, page) = app.get(&format!("{path}/plaats/{seat}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains("Ja, meld mij af"), "no button once it is too late: {page}");
    let (status, page) = app.post(&format!("{path}/plaats/{seat}/afzeggen"), &[]).await;
    assert_eq!(status, 409);
    assert!(page.contains("Afmelden via deze link kon tot"), "{page}");
    assert_eq!(seats(&app, round, "s1").await, vec![(seat, "confirmed".to_string())]);
    assert!(mails(&app, "seat-cancelled").await.is_empty());
}

#[tokio::test]
async fn nobody_can_cancel_someone_elses_seat_with_their_own_link() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(2)).await;
    let round =
        open_signup(&app, vec![session("s1", 4, Utc::now() + Duration::days(20))], Duration::hours(24)).await;
    let paths = link_paths(&app, round).await;
    sign_up(&app, &paths[0], "s1").await;
    sign_up(&app, &paths[1], "s1").await;
    let hers = seat_of(&app, &paths[1]).await;
    let (status, _) = app.post(&format!("{}/plaats/{hers}/afzeggen", paths[0]), &[]).await;
    assert_eq!(status, 404);
    let (status, _) = app.get(&format!("{}/plaats/{hers}", paths[0])).await;
    assert_eq!(status, 404);
    assert!(seats(&app, round, "s1").await.iter().all(|(_, s)| s == "confirmed"));
}

#[tokio::test]
async fn a_session_cancelled_while_the_form_was_open_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(2)).await;
    let round = open_signup(
        &app,
        vec![
            session("s1", 4, Utc::now() + Duration::days(20)),
            session("s2", 4, Utc::now() + Duration::days(21)),
        ],
        Duration::hours(24),
    )
    .await;
    let path = link_paths(&app, round).await.remove(0);
    let (status, _) = app.get(&path).await;
    assert_eq!(status, 200);
    let s1 = peil::signup::sessions::of_round(&app.pool, round).await.unwrap().remove(0);
    peil::signup::sessions::cancel(&app.db, s1.id, Utc::now(), None).await.expect("cancel session");

    let (status, page) = app
        .post(&path, &[("_page", "0"), ("bijeenkomst", "s1"), ("naam_delen", "ja"), ("_nav", "submit")])
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("Deze bijeenkomst gaat niet door of bestaat niet meer"), "{page}");
    assert!(!page.contains("Intervisiegroep s1"), "the cancelled session is no longer offered");
    let (status, _) = app
        .post(
            &path,
            &[("_page", "0"), ("bijeenkomst", "bestaat-niet"), ("naam_delen", "ja"), ("_nav", "submit")],
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(app.count("SELECT COUNT(*) FROM seats").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations WHERE answered = 1").await, 0);
}

#[tokio::test]
async fn the_reminder_before_a_session_is_queued_once_and_only_for_confirmed_seats_within_its_window() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(3)).await;
    let soon = session("s1", 1, Utc::now() + Duration::hours(20));
    let later = session("s2", 4, Utc::now() + Duration::days(3));
    let round = open_signup(&app, vec![soon, later], Duration::hours(2)).await;
    let paths = link_paths(&app, round).await;
    sign_up(&app, &paths[0], "s1").await;
    sign_up(&app, &paths[1], "s1").await; // waiting: no reminder
    sign_up(&app, &paths[2], "s2").await; // three days away: not yet
    let confirmed = seat_of(&app, &paths[0]).await;

    let now = Utc::now();
    let first = peil::signup::seats::queue_session_reminders(&app.db, now).await.expect("queue");
    let again = peil::signup::seats::queue_session_reminders(&app.db, now).await.expect("queue");
    assert_eq!((first, again), (1, 0));
    assert_eq!(mails(&app, "session-reminder").await, vec![confirmed]);
}
