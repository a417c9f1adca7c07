//! Many people at once: exactly the capacity is confirmed, the rest wait in arrival order, and
//! cancellations racing with sign-ups each move exactly one person up.

use chrono::{Duration, Utc};
use futures_util::future::join_all;

use super::{link_paths, mails, open_signup, poh_contacts, seat_of, seats, session, sign_up, taken};
use crate::helpers::TestApp;

#[tokio::test]
async fn fifty_concurrent_sign_ups_for_eight_seats_confirm_exactly_eight_every_time() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(50)).await;
    for attempt in 0..10 {
        let round =
            open_signup(&app, vec![session("s1", 8, Utc::now() + Duration::days(20))], Duration::hours(24))
                .await;
        let paths = link_paths(&app, round).await;
        let statuses = join_all(paths.iter().map(|p| sign_up(&app, p, "s1"))).await;
        assert!(statuses.iter().all(|s| *s == 303), "attempt {attempt}: {statuses:?}");

        let seats = seats(&app, round, "s1").await;
        let confirmed: Vec<i64> = seats.iter().filter(|(_, s)| s == "confirmed").map(|(id, _)| *id).collect();
        let waiting: Vec<i64> = seats.iter().filter(|(_, s)| s == "waiting").map(|(id, _)| *id).collect();
        assert_eq!((confirmed.len(), waiting.len()), (8, 42), "attempt {attempt}");
        assert_eq!(taken(&app, round, "s1").await, 8, "attempt {attempt}");
        // Arrival order: the first eight to be served hold the seats, everyone after waits.
        assert!(confirmed.iter().max() < waiting.iter().min(), "attempt {attempt}: {seats:?}");
    }
    let confirmations = mails(&app, "seat-confirmed").await;
    let waiting_mails = mails(&app, "seat-waiting").await;
    assert_eq!((confirmations.len(), waiting_mails.len()), (80, 420), "one mail per seat, of the right kind");
}

#[tokio::test]
async fn each_person_on_the_waiting_list_sees_their_own_place_in_arrival_order() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(12)).await;
    let round =
        open_signup(&app, vec![session("s1", 2, Utc::now() + Duration::days(20))], Duration::hours(24)).await;
    let paths = link_paths(&app, round).await;
    join_all(paths.iter().map(|p| sign_up(&app, p, "s1"))).await;

    let queue: Vec<i64> = seats(&app, round, "s1")
        .await
        .into_iter()
        .filter(|(_, s)| s == "waiting")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(queue.len(), 10);
    for path in &paths {
        let seat = seat_of(&app, path).await;
        let (_, page) = app.get(path).await;
        match queue.iter().position(|id| *id == seat) {
            Some(i) => assert!(page.contains(&format!("op plaats {}.", i + 1)), "seat {seat}: {page}"),
            None => assert!(page.contains("U bent aangemeld."), "seat {seat}: {page}"),
        }
    }
}

#[tokio::test]
async fn cancellations_racing_with_sign_ups_each_promote_exactly_one_person() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(30)).await;
    let round =
        open_signup(&app, vec![session("s1", 8, Utc::now() + Duration::days(20))], Duration::hours(24)).await;
    let paths = link_paths(&app, round).await;
    // Twenty sign up one by one: eight seats, twelve waiting.
    for path in &paths[..20] {
        assert_eq!(sign_up(&app, path, "s1").await, 303);
    }
    let before = seats(&app, round, "s1").await;
    let first_waiting: Vec<i64> =
        before.iter().filter(|(_, s)| s == "waiting").map(|(id, _)| *id).take(5).collect();

    // Five confirmed people cancel while ten more sign up, all at once.
    let mut cancel_paths = Vec::new();
    for path in &paths[..5] {
        cancel_paths.push(format!("{path}/plaats/{}/afzeggen", seat_of(&app, path).await));
    }
    let cancelling = join_all(cancel_paths.iter().map(|p| app.post_raw(p, vec![])));
    let joining = join_all(paths[20..].iter().map(|p| sign_up(&app, p, "s1")));
    let (cancelled, joined) = tokio::join!(cancelling, joining);
    assert!(cancelled.iter().all(|(status, _)| *status == 200), "{cancelled:?}");
    assert!(joined.iter().all(|s| *s == 303));

    let after = seats(&app, round, "s1").await;
    let count = |status: &str| after.iter().filter(|(_, s)| s == status).count();
    assert_eq!((count("confirmed"), count("waiting"), count("cancelled")), (8, 17, 5));
    assert_eq!(taken(&app, round, "s1").await, 8, "seats = capacity");
    // The first five on the waiting list moved up, each told once; nobody else was.
    assert_eq!(mails(&app, "seat-promoted").await, first_waiting);
    assert_eq!(mails(&app, "seat-cancelled").await.len(), 5);
    // Newcomers never slipped past the waiting list into a freed seat.
    let newcomers = after.iter().filter(|(id, _)| !before.iter().any(|(b, _)| b == id));
    assert!(newcomers.clone().all(|(_, s)| s == "waiting"), "{after:?}");
}

#[tokio::test]
async fn a_double_click_on_the_sign_up_button_takes_one_seat() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(3)).await;
    let round =
        open_signup(&app, vec![session("s1", 8, Utc::now() + Duration::days(20))], Duration::hours(24)).await;
    let path = link_paths(&app, round).await.remove(0);
    let statuses = join_all((0..10).map(|_| sign_up(&app, &path, "s1"))).await;
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    assert_eq!(seats(&app, round, "s1").await.len(), 1);
    assert_eq!(taken(&app, round, "s1").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
}
