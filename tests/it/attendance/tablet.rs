//! The tablet page at the door: nothing can be ticked before the session starts; after it, one
//! tick, everyone at once and an undo are each recorded and written to the audit log.

use super::Desk;

#[tokio::test]
async fn before_the_start_the_page_says_from_when_and_every_tick_is_refused_without_writing() {
    let desk = Desk::with(3).await;
    let (status, page) = desk.admin.get(&desk.path("/aanwezigheid")).await;
    assert_eq!(status, 200, "{page}");
    let from = peil::time::dutch(desk.starts);
    assert!(page.contains(&format!("vastleggen vanaf {from}")), "{page}");
    assert!(page.contains("POH 01") && page.contains("0 van 3 aanwezig"), "{page}");
    assert!(!page.contains("Iedereen aanwezig"), "no buttons before the start: {page}");

    let seat = desk.seat("poh01@example.org").await;
    let (status, _, page) = desk.tick(&format!("/{seat}"), &[("aanwezig", "ja")]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains(&format!("De bijeenkomst begint {from}.")), "{page}");
    assert!(page.contains("er is niets genoteerd"), "{page}");
    let (status, _, _) = desk.tick("/iedereen", &[]).await;
    assert_eq!(status, 422);
    assert!(desk.attended().await.iter().all(|(_, a)| a.is_none()), "nothing was written");
    assert!(desk.audited("attendance_recorded").await.is_empty());
}

#[tokio::test]
async fn after_the_start_a_tick_everyone_and_an_undo_are_recorded_and_audited() {
    let mut desk = Desk::with(3).await;
    desk.begin().await;
    let (one, two, three) = (
        desk.seat("poh01@example.org").await,
        desk.seat("poh02@example.org").await,
        desk.seat("poh03@example.org").await,
    );

    // One tick leads back to the same person on the page.
    let (status, to, _) = desk.tick(&format!("/{two}"), &[("aanwezig", "ja")]).await;
    assert_eq!(status, 303);
    assert_eq!(to, desk.path(&format!("/aanwezigheid#plaats-{two}")));
    assert_eq!(desk.attended().await, [(one, None), (two, Some(1)), (three, None)]);
    let (_, page) = desk.admin.get(&desk.path("/aanwezigheid")).await;
    assert!(page.contains("1 van 3 aanwezig"), "{page}");

    let (status, to, _) = desk.tick("/iedereen", &[]).await;
    assert_eq!((status, to.ends_with("/aanwezigheid#lijst")), (303, true), "{to}");
    assert_eq!(desk.attended().await, [(one, Some(1)), (two, Some(1)), (three, Some(1))]);

    let (status, _, _) = desk.tick(&format!("/{one}"), &[("aanwezig", "nee")]).await;
    assert_eq!(status, 303);
    assert_eq!(desk.attended().await, [(one, Some(0)), (two, Some(1)), (three, Some(1))]);
    let (_, page) = desk.admin.get(&desk.path("/aanwezigheid")).await;
    assert!(page.contains("2 van 3 aanwezig") && page.contains("Ongedaan maken"), "{page}");

    let session = desk.session;
    assert_eq!(
        desk.audited("attendance_recorded").await,
        [
            format!("bijeenkomst {session}: aanwezig, plaats {two}"),
            format!("bijeenkomst {session}: aanwezig, plaats {one}, {two}, {three}"),
            format!("bijeenkomst {session}: niet aanwezig, plaats {one}"),
        ]
    );
}

#[tokio::test]
async fn a_seat_of_another_session_or_an_unknown_session_is_refused_in_dutch() {
    let mut desk = Desk::with(2).await;
    desk.begin().await;
    let (status, _, page) = desk.tick("/999", &[("aanwezig", "ja")]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("geen bevestigde plaats in deze bijeenkomst"), "{page}");
    let (status, page) = desk.admin.get("/beheer/bijeenkomsten/999/aanwezigheid").await;
    assert_eq!(status, 404, "{page}");
    assert!(page.contains("Er is geen bijeenkomst met nummer 999."), "{page}");
    assert!(desk.attended().await.iter().all(|(_, a)| a.is_none()));
}
