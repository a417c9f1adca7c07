//! Seats and attendance of a sign-up, with the certificates issued for them: kept six years after
//! the session by default, as registers check attendance over five years; then they go, and with
//! them the invitations they kept.

use chrono::Duration;

use super::run;
use crate::certificates::{record, signed_up};
use crate::helpers::TestApp;
use crate::signup::poh_contacts;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn seats_attendance_and_certificates_are_kept_six_years_after_the_session_and_then_go() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(3)).await;
    let (_, session, _) = signed_up(&app, app.now() + Duration::days(2), "s1", 2).await;
    record(&app, session, &["poh01@example.org", "poh02@example.org"], true).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates").await, 2);

    app.clock.advance(Duration::days(5 * 366));
    let report = run(&app, false).await;
    assert_eq!((report.seats, report.certificates), (0, 0), "five years on, the proof is kept: {report:?}");
    assert_eq!(report.invitations, 1, "the invitation without a seat has gone with its link: {report:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM seats WHERE attended = 1").await, 2);

    app.clock.advance(Duration::days(366));
    let report = run(&app, false).await;
    assert_eq!((report.seats, report.certificates, report.invitations), (2, 2, 2), "{report:?}");
    for table in ["seats", "certificates", "invitations"] {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&app.pool).await.expect("count");
        assert_eq!(n, 0, "{table}");
    }
}
