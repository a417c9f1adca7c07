//! Deleted means gone from the database files: a response removed at its term leaves its text
//! neither in SQLite's main file nor in its WAL, nor in PostgreSQL's file of the table.

use super::{FORM, answer, app_with_round, past_closing, run};
use crate::helpers::TestApp;
use crate::pg::on_postgres;

const SECRET_TEXT: &str = "Zeldzame-zin-7f3a9c-die-nergens-anders-staat";

/// Every file that holds the responses table's rows; `None` where they cannot be read (a
/// PostgreSQL server on another machine, or files of another user).
async fn table_files(app: &TestApp) -> Option<Vec<Vec<u8>>> {
    if !on_postgres() {
        let dir = app.dir.path();
        let read = |name: &str| std::fs::read(dir.join(name)).unwrap_or_default();
        return Some(vec![read("peil.db"), read("peil.db-wal")]);
    }
    let data: String =
        sqlx::query_scalar("SELECT current_setting('data_directory')").fetch_one(&app.pool).await.ok()?;
    let mut files = Vec::new();
    for relation in ["'responses'", "(SELECT reltoastrelid FROM pg_class WHERE relname = 'responses')"] {
        let sql = format!("SELECT pg_relation_filepath({relation}::regclass)");
        let path: Option<String> =
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&app.pool).await.ok()?;
        let Some(path) = path else { continue };
        files.push(std::fs::read(std::path::Path::new(&data).join(path)).ok()?);
    }
    Some(files)
}

/// The files after a run. On PostgreSQL a snapshot open elsewhere during the run's `VACUUM FULL`
/// (seen under a loaded test server) makes it copy the removed row along; the next run's
/// rewrite, which every run does, removes it. So there a second run is allowed, and said.
async fn after_run(app: &TestApp, text: &str) -> Vec<Vec<u8>> {
    let checkpoint = || async {
        if on_postgres() {
            sqlx::query("CHECKPOINT").execute(&app.pool).await.expect("checkpoint");
        }
    };
    checkpoint().await;
    let files = table_files(app).await.expect("the files, read as before");
    if !on_postgres() || !holds(&files, text) {
        return files;
    }
    eprintln!("the first rewrite kept the row for an open snapshot; the next run removes it");
    assert_eq!(run(app, false).await.total(), 0, "the next run has nothing left to remove");
    checkpoint().await;
    table_files(app).await.expect("the files")
}

fn holds(files: &[Vec<u8>], text: &str) -> bool {
    files.iter().any(|file| file.windows(text.len()).any(|w| w == text.as_bytes()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_response_removed_at_its_term_is_gone_from_the_database_files() {
    let form = FORM.replace("responses = \"12 months after closing\"", "identified = \"remove\"");
    let (app, round, _forms) = app_with_round(&form).await;
    answer(&app, round, 0, "Anna de Vries", "4", SECRET_TEXT).await;
    if on_postgres() {
        // The row must be on disk before the run for "gone" to mean anything.
        sqlx::query("CHECKPOINT").execute(&app.pool).await.expect("checkpoint");
    }
    let Some(before) = table_files(&app).await else {
        eprintln!("skipped: PostgreSQL's data directory cannot be read from this test");
        return;
    };
    assert!(holds(&before, SECRET_TEXT), "the text is in the files before the run");

    past_closing(&app, round, 24).await;
    assert_eq!(run(&app, false).await.removed, 1);
    let after = after_run(&app, SECRET_TEXT).await;
    assert!(!holds(&after, SECRET_TEXT), "the removed answer's text is gone from the files");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymised_response_leaves_the_name_it_gave_in_no_database_file() {
    let (app, round, _forms) = app_with_round(FORM).await;
    answer(&app, round, 0, SECRET_TEXT, "4", "Prima").await;
    if on_postgres() {
        sqlx::query("CHECKPOINT").execute(&app.pool).await.expect("checkpoint");
    }
    let Some(before) = table_files(&app).await else {
        eprintln!("skipped: PostgreSQL's data directory cannot be read from this test");
        return;
    };
    assert!(holds(&before, SECRET_TEXT));
    past_closing(&app, round, 12).await;
    assert_eq!(run(&app, false).await.anonymised, 1);
    let after = after_run(&app, SECRET_TEXT).await;
    assert!(!holds(&after, SECRET_TEXT), "the name is gone from the files");
    assert!(holds(&after, "Prima"), "the rest of the response is kept");
}
