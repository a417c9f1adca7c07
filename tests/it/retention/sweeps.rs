//! What is kept by age: mail that went out and its `.eml` files, audit entries, and the rows the
//! rate limits count.

use std::time::{Duration as StdDuration, SystemTime};

use chrono::Duration;

use super::{FORM, app_with_round, run};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_sent_more_than_three_months_ago_goes_with_its_eml_file() {
    let (app, _round, _forms) = app_with_round(FORM).await;
    assert_eq!(app.deliver_pending_mail().await.sent, 4);
    let folder = app.settings.data_dir.join("outbox");
    let files: Vec<_> = std::fs::read_dir(&folder).expect("the outbox folder").flatten().collect();
    assert_eq!(files.len(), 4);
    app.clock.advance(Duration::days(80));
    assert_eq!(run(&app, false).await.outbox, 0, "80 days after sending the mail is kept");

    app.clock.advance(Duration::days(15));
    // The files were written by the real clock; make them as old as the app's clock says.
    let written = SystemTime::now() - StdDuration::from_secs(95 * 24 * 3600);
    for file in &files {
        std::fs::File::options().write(true).open(file.path()).unwrap().set_modified(written).unwrap();
    }
    let report = run(&app, false).await;
    assert_eq!((report.outbox, report.mail_files), (4, 4), "{report:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);
    assert_eq!(std::fs::read_dir(&folder).expect("folder").count(), 0, "no .eml file is left");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_entries_and_rate_limit_rows_go_when_nothing_needs_them_any_more() {
    let (app, _round, _forms) = app_with_round(FORM).await;
    let now = peil::db::Timestamp::from(app.now());
    let mut w = app.db.write().await.expect("write");
    for table in ["login_attempts (email, ip, at)", "link_failures (client, at) "] {
        let values = if table.starts_with("login") { "('a@b.nl', '127.0.0.1', $1)" } else { "('x', $1)" };
        let sql = format!("INSERT INTO {table} VALUES {values}");
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(now).execute(&mut *w).await.expect("insert");
    }
    w.commit().await.expect("commit");
    peil::audit::log(&app.db, app.now(), None, peil::audit::AuditAction::RoundOpened, "ronde 1")
        .await
        .unwrap();
    let audited = app.count("SELECT COUNT(*) FROM audit_log").await;

    app.clock.advance(Duration::days(2));
    let report = run(&app, false).await;
    assert_eq!((report.attempts, report.audit), (2, 0), "{report:?}");
    app.clock.advance(Duration::days(5 * 366));
    assert_eq!(run(&app, false).await.audit, audited as u64, "five years on, the audit entries go");
    assert_eq!(app.count("SELECT COUNT(*) FROM audit_log").await, 0);
}
