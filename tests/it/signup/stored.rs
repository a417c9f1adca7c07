//! A moment stored wrong (by hand, by a bad migration) is reported where it is read, naming the
//! column and the value; it is never read as 1970 or as some other moment.

use chrono::{Duration, Utc};

use super::{open_signup, poh_contacts, session};
use crate::helpers::TestApp;

/// Opens a sign-up round with one session, then overwrites `column` of `table` (the round's
/// row, or its session's) with a value that is no moment.
async fn corrupted(table: &str, column: &str) -> (TestApp, peil::rounds::RoundId) {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(2)).await;
    let round =
        open_signup(&app, vec![session("s1", 4, Utc::now() + Duration::days(20))], Duration::hours(24)).await;
    let id = if table == "rounds" { "id" } else { "round_id" };
    let sql = format!("UPDATE {table} SET {column} = 'gisteren' WHERE {id} = $1");
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(round.0).execute(&app.pool).await.expect("corrupt");
    (app, round)
}

#[tokio::test]
async fn a_session_with_a_start_that_is_no_moment_is_reported_not_read_as_1970() {
    let (app, round) = corrupted("sessions", "starts_at").await;
    let error = peil::signup::sessions::of_round(&app.pool, round).await.expect_err("a decode error");
    let message = error.to_string();
    assert!(message.contains("starts_at") && message.contains("gisteren"), "{message}");
}

#[tokio::test]
async fn a_round_with_a_closing_time_that_is_no_moment_is_reported_not_read_as_1970() {
    let (app, round) = corrupted("rounds", "closes_at").await;
    let error = peil::rounds::load(&app.pool, round).await.expect_err("a decode error");
    let message = error.to_string();
    assert!(message.contains("closes_at") && message.contains("gisteren"), "{message}");
}
