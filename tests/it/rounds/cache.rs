//! The answering pages keep a round's form parsed, but its dates are read afresh: a round closed
//! or extended while someone has its page open is seen closed (or open) at once.

use chrono::Duration;
use peil::rounds;

use super::with_round;

#[tokio::test]
async fn a_round_closed_while_its_page_was_visited_is_seen_closed_at_once() {
    let (app, round) = with_round().await;
    let link = app.first_link(round).await;
    let (status, page) = app.get(&link).await;
    assert_eq!(status, 200, "{page}");

    rounds::close(&app.db, round, app.now(), None).await.expect("close");

    let (status, page) = app.get(&link).await;
    assert_eq!(status, 410, "{page}");
}

#[tokio::test]
async fn a_round_extended_while_its_page_was_visited_stays_open_past_its_old_close() {
    let (app, round) = with_round().await;
    let link = app.first_link(round).await;
    assert_eq!(app.get(&link).await.0, 200);
    let closes = rounds::summary(&app.pool, round).await.expect("summary").closes_at;

    rounds::extend(&app.db, round, closes + Duration::days(7), app.now(), None).await.expect("extend");
    app.clock.advance(Duration::days(8));

    let (status, page) = app.get(&link).await;
    assert_eq!(status, 200, "{page}");
}
