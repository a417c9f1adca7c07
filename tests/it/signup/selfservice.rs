//! People helping themselves from their own link (issue 24): switching from a waiting list to a
//! session with a seat, a second waiting list, choosing again after cancelling, the one-seat rule
//! of the intervisie when a waiting list moves up, and a consent that does not block a sign-up.

use chrono::{Duration, Utc};

use super::{
    link_paths, mails, open_signup, poh_contacts, seat_of, seats, session, sign_up, taken, unescaped,
};
use crate::helpers::TestApp;

/// Chooses `code` from the person's own page, leaving the waiting place `leave` if given.
async fn choose(app: &TestApp, path: &str, code: &str, leave: Option<i64>) -> (u16, String) {
    let leave = leave.map(|seat| seat.to_string());
    let mut fields = vec![("bijeenkomst", code)];
    if let Some(seat) = &leave {
        fields.push(("van", seat.as_str()));
    }
    app.post(&format!("{path}/kiezen"), &fields).await
}

/// The statuses of the seats in `code`, in queue order.
async fn statuses(app: &TestApp, round: peil::rounds::RoundId, code: &str) -> Vec<String> {
    seats(app, round, code).await.into_iter().map(|(_, status)| status).collect()
}

#[tokio::test]
async fn a_waiting_person_switches_to_a_session_with_a_seat_in_one_step() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(4)).await;
    let starts = Utc::now() + Duration::days(20);
    let round = open_signup(
        &app,
        vec![session("s1", 1, starts), session("s2", 2, starts + Duration::days(1))],
        Duration::hours(24),
    )
    .await;
    let paths = link_paths(&app, round).await;
    sign_up(&app, &paths[0], "s1").await;
    sign_up(&app, &paths[1], "s1").await;
    let waiting = seat_of(&app, &paths[1]).await;
    sign_up(&app, &paths[2], "s1").await;
    let next_in_line = seat_of(&app, &paths[2]).await;
    sign_up(&app, &paths[3], "s2").await;

    // Her own page offers the switch, posting to its token-less address.
    let (status, page) = app.get(&paths[1]).await;
    assert_eq!(status, 200);
    let page = unescaped(&page);
    assert!(
        page.contains("Overstappen van de wachtlijst van Intervisiegroep s1 naar Intervisiegroep s2"),
        "{page}"
    );
    let action = page.find("/kiezen\"").map(|end| &page[page[..end].rfind("action=\"").unwrap() + 8..end]);
    let action = action.expect("a form that chooses");
    assert!(action.starts_with("/antwoord/"), "{action}");

    let (status, page) =
        app.post(&format!("{action}/kiezen"), &[("bijeenkomst", "s2"), ("van", &waiting.to_string())]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("U bent overgestapt"), "{page}");

    assert_eq!(statuses(&app, round, "s1").await, ["confirmed", "cancelled", "waiting"]);
    assert_eq!(statuses(&app, round, "s2").await, ["confirmed", "confirmed"]);
    assert_eq!((taken(&app, round, "s1").await, taken(&app, round, "s2").await), (1, 2));
    assert_eq!(seats(&app, round, "s1").await[2], (next_in_line, "waiting".to_string()), "the next waits on");
    let new_seat = seat_of(&app, &paths[1]).await;
    assert_eq!(mails(&app, "seat-cancelled").await, vec![waiting]);
    assert!(mails(&app, "seat-confirmed").await.contains(&new_seat));
    assert!(mails(&app, "seat-promoted").await.is_empty(), "a waiting place leaving frees no seat");
}

#[tokio::test]
async fn a_switch_to_a_session_that_filled_up_meanwhile_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(3)).await;
    let starts = Utc::now() + Duration::days(20);
    let round = open_signup(
        &app,
        vec![session("s1", 1, starts), session("s2", 1, starts + Duration::days(1))],
        Duration::hours(24),
    )
    .await;
    let paths = link_paths(&app, round).await;
    sign_up(&app, &paths[0], "s1").await;
    sign_up(&app, &paths[1], "s1").await;
    let waiting = seat_of(&app, &paths[1]).await;
    let (_, page) = app.get(&paths[1]).await;
    assert!(page.contains("Overstappen van de wachtlijst"), "{page}");
    // While she reads, someone else takes the last seat of s2.
    sign_up(&app, &paths[2], "s2").await;

    let (status, page) = choose(&app, &paths[1], "s2", Some(waiting)).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("Net voor u is de laatste plaats in Intervisiegroep s2 vergeven"), "{page}");
    assert!(page.contains("Op de wachtlijst van Intervisiegroep s2"), "the waiting list is offered: {page}");
    assert_eq!(statuses(&app, round, "s1").await, ["confirmed", "waiting"]);
    assert_eq!(statuses(&app, round, "s2").await, ["confirmed"]);
    assert_eq!(taken(&app, round, "s2").await, 1);
    assert!(mails(&app, "seat-cancelled").await.is_empty());
}

#[tokio::test]
async fn a_second_waiting_list_keeps_the_first_and_a_promotion_passes_over_who_has_a_seat_by_then() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(4)).await;
    let starts = Utc::now() + Duration::days(20);
    let round = open_signup(
        &app,
        vec![session("s1", 1, starts), session("s2", 1, starts + Duration::days(1))],
        Duration::hours(24),
    )
    .await;
    let paths = link_paths(&app, round).await;
    sign_up(&app, &paths[0], "s1").await;
    sign_up(&app, &paths[2], "s2").await;
    sign_up(&app, &paths[1], "s1").await;
    let first_list = seat_of(&app, &paths[1]).await;

    let (status, page) = choose(&app, &paths[1], "s2", None).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("U staat op de wachtlijst van Intervisiegroep s2, op plaats 1"), "{page}");
    let second_list = seat_of(&app, &paths[1]).await;
    sign_up(&app, &paths[3], "s2").await;
    let behind_her = seat_of(&app, &paths[3]).await;
    assert_eq!(statuses(&app, round, "s1").await, ["confirmed", "waiting"], "the first list kept");
    assert_eq!(statuses(&app, round, "s2").await, ["confirmed", "waiting", "waiting"]);

    // s1's seat comes free: she moves up there. Then s2's: she has her one meeting this month,
    // so her place there ends and the one behind her moves up.
    let s1_holder = seat_of(&app, &paths[0]).await;
    let (status, _) = app.post(&format!("{}/plaats/{s1_holder}/afzeggen", paths[0]), &[]).await;
    assert_eq!(status, 200);
    let s2_holder = seats(&app, round, "s2").await[0].0;
    let (status, _) = app.post(&format!("{}/plaats/{s2_holder}/afzeggen", paths[2]), &[]).await;
    assert_eq!(status, 200);

    let s2 = seats(&app, round, "s2").await;
    assert_eq!(s2[1], (second_list, "cancelled".to_string()), "passed over");
    assert_eq!(s2[2], (behind_her, "confirmed".to_string()));
    assert_eq!(taken(&app, round, "s2").await, 1);
    assert_eq!(mails(&app, "seat-promoted").await, vec![first_list, behind_her]);
    assert!(!mails(&app, "seat-cancelled").await.contains(&second_list), "no mail for the place passed over");
}

#[tokio::test]
async fn after_cancelling_the_link_offers_the_sessions_and_choosing_one_takes_a_seat_also_after_the_round_closed()
 {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let starts = Utc::now() + Duration::days(20);
    let round = open_signup(
        &app,
        vec![session("s1", 2, starts), session("s2", 2, starts + Duration::days(1))],
        Duration::hours(24),
    )
    .await;
    let path = link_paths(&app, round).await.remove(0);
    sign_up(&app, &path, "s1").await;
    let seat = seat_of(&app, &path).await;
    let (_, page) = app.get(&path).await;
    assert!(!page.contains("Aanmelden voor Intervisiegroep s2"), "one meeting a month: {page}");

    let (status, page) = app.post(&format!("{path}/plaats/{seat}/afzeggen"), &[]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("U bent afgemeld."), "{page}");
    assert!(page.contains("Aanmelden voor Intervisiegroep s1"), "{page}");
    assert!(page.contains("Aanmelden voor Intervisiegroep s2"), "{page}");

    // The round's ten days are over; the meetings are later in the month.
    app.clock.advance(Duration::days(11));
    let (status, page) = app.get(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Kies een bijeenkomst") && page.contains("Nog 2 plaatsen"), "{page}");
    let (status, page) = choose(&app, &path, "s2", None).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("U bent aangemeld voor Intervisiegroep s2"), "{page}");
    let new_seat = seat_of(&app, &path).await;
    assert_eq!(seats(&app, round, "s2").await, vec![(new_seat, "confirmed".to_string())]);
    assert!(mails(&app, "seat-confirmed").await.contains(&new_seat));

    // A second seat in the same month is refused, in Dutch, and nothing is written.
    let (status, page) = choose(&app, &path, "s1", None).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("U heeft al een plaats in een bijeenkomst van deze ronde"), "{page}");
    assert_eq!(statuses(&app, round, "s1").await, ["cancelled"]);
}

#[tokio::test]
async fn a_session_past_its_deadline_is_not_offered_and_a_forged_choice_for_it_is_refused() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    // Tomorrow's session closes 48 hours before it starts: already past.
    let round = open_signup(
        &app,
        vec![
            session("soon", 4, Utc::now() + Duration::hours(20)),
            session("later", 4, Utc::now() + Duration::days(20)),
        ],
        Duration::hours(48),
    )
    .await;
    let path = link_paths(&app, round).await.remove(0);
    sign_up(&app, &path, "later").await;
    let seat = seat_of(&app, &path).await;
    let (_, page) = app.post(&format!("{path}/plaats/{seat}/afzeggen"), &[]).await;
    assert!(page.contains("Aanmelden voor Intervisiegroep later"), "{page}");
    assert!(!page.contains("Intervisiegroep soon"), "{page}");

    let (status, page) = choose(&app, &path, "soon", None).await;
    assert_eq!(status, 409, "{page}");
    assert!(page.contains("Aanmelden voor Intervisiegroep soon via deze link kon tot"), "{page}");
    let (status, page) = choose(&app, &path, "bestaat-niet", None).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Deze bijeenkomst gaat niet door of bestaat niet meer"), "{page}");
    assert!(seats(&app, round, "soon").await.is_empty());
    assert_eq!(taken(&app, round, "soon").await, 0);
}

#[tokio::test]
async fn the_consent_to_share_ones_name_can_be_left_unticked_and_the_sign_up_still_succeeds() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let round =
        open_signup(&app, vec![session("s1", 4, Utc::now() + Duration::days(20))], Duration::hours(24)).await;
    let path = link_paths(&app, round).await.remove(0);
    let (_, form) = app.get(&path).await;
    assert!(form.contains("u doet ook mee als u dit niet aanvinkt"), "{form}");

    let (status, page) = app.post(&path, &[("_page", "0"), ("bijeenkomst", "s1"), ("_nav", "submit")]).await;
    assert_eq!(status, 303, "{page}");
    assert_eq!(statuses(&app, round, "s1").await, ["confirmed"]);
}
