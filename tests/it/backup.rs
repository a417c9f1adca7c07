//! The backup and restore that docs/deployment.md prescribes, tried for real: a backup
//! taken while peil serves (`sqlite3 .backup` on SQLite, `pg_dump` on PostgreSQL), restored into
//! a new database (a copied file, `pg_restore`), and a new peil on it with the same secret key:
//! the data is all there, the personal links work, and the restored database takes new answers
//! (on PostgreSQL that checks that the id sequences came back too).

use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::helpers::{CONTACTS, TestApp, TestDb, forms_dir};
use crate::pg::on_postgres;

const FORM: &str = r#"
title = "Herstelproef"

[[pages]]
[[pages.questions]]
id = "tevreden"
type = "scale"
label = "Hoe tevreden bent u?"
options = "tevreden5"
required = true
"#;

/// What the backup must carry over, counted the same way before and after.
const COUNTS: [&str; 5] = [
    "SELECT COUNT(*) FROM contacts",
    "SELECT COUNT(*) FROM rounds",
    "SELECT COUNT(*) FROM invitations",
    "SELECT COUNT(*) FROM responses",
    "SELECT COUNT(*) FROM outbox",
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_serving_restores_into_a_working_peil() {
    let tools: &[&str] = if on_postgres() { &["pg_dump", "pg_restore"] } else { &["sqlite3"] };
    if let Some(missing) = tools.iter().find(|tool| Command::new(tool).arg("--version").output().is_err()) {
        let _ =
            writeln!(std::io::stderr(), "{missing} is not installed: skipped the backup and restore test");
        return;
    }
    let forms = forms_dir(&[("herstel", FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("herstel", &[], false).await;
    let links: Vec<String> =
        app.links(round).await.into_iter().map(|l| l.url.trim_start_matches(&app.url).to_owned()).collect();
    let (status, thanks) = app.post(&links[0], &[("_page", "0"), ("tevreden", "4")]).await;
    assert_eq!((status, thanks.contains("Bedankt")), (200, true), "{thanks}");
    let before = counts(&app).await;

    let restored_dir = tempfile::tempdir().expect("temp dir");
    let restored = TestDb::new(restored_dir.path());
    let dump = restored_dir.path().join("peil.dump");
    if on_postgres() {
        run(Command::new("pg_dump")
            .args(["--format=custom", "--file"])
            .arg(&dump)
            .arg(&app.settings.database_url));
        run(Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "--dbname", &restored.url])
            .arg(&dump));
    } else {
        // The restore is the copied file itself: what `.backup` wrote is a complete database.
        let target = restored_dir.path().join("peil.db");
        run(Command::new("sqlite3").arg(app.dir.path().join("peil.db")).arg(dot_backup(&target)));
    }
    let copy = TestApp::spawn_on(forms.path(), restored_dir, restored, app.secret.clone()).await;

    assert_eq!(counts(&copy).await, before, "every row came back");
    let (status, page) = copy.get(&links[0]).await;
    assert_eq!(status, 200);
    assert!(page.contains("U heeft deze vragenlijst al ingevuld."), "the stored answer is there: {page}");
    let (status, thanks) = copy.post(&links[1], &[("_page", "0"), ("tevreden", "2")]).await;
    assert_eq!((status, thanks.contains("Bedankt")), (200, true), "a new answer: {thanks}");
    assert_eq!(copy.count("SELECT COUNT(*) FROM responses").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1, "the original is untouched");
}

async fn counts(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for sql in COUNTS {
        counts.push(app.count(sql).await);
    }
    counts
}

fn dot_backup(target: &Path) -> String {
    format!(".backup '{}'", target.display())
}

fn run(command: &mut Command) {
    let output = command.output().expect("the backup tool runs");
    assert!(output.status.success(), "{command:?}: {}", String::from_utf8_lossy(&output.stderr));
}
