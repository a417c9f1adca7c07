//! Erased means gone from the database files: after an erasure, neither the address, the name,
//! the BIG number nor a free-text answer of the person is anywhere in SQLite's main file or WAL,
//! nor (on PostgreSQL) in the data files of the test database's tables and indexes.

use peil::accounts::Role;

use super::{ANSWER, BIG, EMAIL, NAME, holds, scene};
use crate::helpers::TestApp;
use crate::unlinkable::files::Copy;

const TRACES: [&str; 5] = [EMAIL, NAME, "Quokkastraat", BIG, ANSWER];

#[tokio::test]
async fn a_person_erased_leaves_no_trace_in_the_database_files() {
    let app = TestApp::spawn().await;
    scene(&app, vec![]).await;
    // Before the erasure every trace is there to be found: the test reads the right files.
    let before: Vec<Vec<u8>> = if crate::pg::on_postgres() {
        postgres_files(&app).await.into_iter().map(|(_, bytes)| bytes).collect()
    } else {
        Copy::take(app.dir.path()).expect("the database files").states()
    };
    for trace in TRACES {
        assert!(before.iter().any(|s| holds(s, trace)), "{trace:?} is in the files before");
    }
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, page) =
        admin.post("/beheer/personen/wissen/bevestigen", &[("email", EMAIL), ("bevestigd", "ja")]).await;
    assert_eq!(status, 200, "{page}");

    // Without SMTP the mails were written as .eml files: those naming the person go too.
    let mails: Vec<std::path::PathBuf> = std::fs::read_dir(app.settings.data_dir.join("outbox"))
        .expect("the mail folder")
        .map(|entry| entry.expect("an entry").path())
        .collect();
    assert!(!mails.is_empty(), "Bert's mails stay");
    for mail in mails {
        assert!(!holds(&std::fs::read(&mail).expect("a mail"), EMAIL), "{} names the person", mail.display());
    }
    assert!(page.contains("mailbestanden (.eml)"), "{page}");

    if crate::pg::on_postgres() {
        for (file, bytes) in postgres_files(&app).await {
            for trace in TRACES {
                assert!(!holds(&bytes, trace), "{trace:?} is still in {file}");
            }
        }
        return;
    }
    let copy = Copy::take(app.dir.path()).expect("the database files");
    for (i, state) in copy.states().iter().enumerate() {
        for trace in TRACES {
            assert!(
                !holds(state, trace),
                "{trace:?} is still in the database (state {i} of main file and WAL)"
            );
        }
    }
    assert!(!holds(&copy.wal, EMAIL), "nor in the raw WAL");
}

/// Every table's and index's data file of the test database, with its name, after a checkpoint
/// wrote what the buffers held.
async fn postgres_files(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    sqlx::query("CHECKPOINT").execute(&app.pool).await.expect("checkpoint");
    let dir: String = sqlx::query_scalar("SELECT current_setting('data_directory')")
        .fetch_one(&app.pool)
        .await
        .expect("dir");
    let paths: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.relname::text, pg_relation_filepath(c.oid) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname IN ('public', 'pg_toast') AND c.relkind IN ('r', 'i', 't') \
         AND pg_relation_filepath(c.oid) IS NOT NULL",
    )
    .fetch_all(&app.pool)
    .await
    .expect("relation files");
    assert!(!paths.is_empty());
    paths
        .into_iter()
        .filter_map(|(name, path)| {
            let full = std::path::Path::new(&dir).join(&path);
            std::fs::read(&full).ok().map(|bytes| (format!("{name} ({path})"), bytes))
        })
        .collect()
}
