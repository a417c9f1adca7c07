//! `peil export` beside the werkgroep's download: the same rules through `results::access`, so
//! the same file for the same reader, the same refusals, and one audit entry each of one shape.

use std::process::{Command, Output};

use peil::accounts::Role;
use peil::forms::Answer;

use super::pages::{PEILING, closed_round};
use super::{answers, close, huisartsen, submit};
use crate::helpers::{TestApp, forms_dir, repo};

/// `peil export --round round args...` on the app's own database.
fn peil_export(app: &TestApp, round: peil::rounds::RoundId, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_peil"))
        .args(["export", "--round", &round.0.to_string()])
        .args(args)
        .current_dir(app.dir.path())
        .env("PEIL_DATABASE_URL", &app.settings.database_url)
        .env("PEIL_FORMS_DIR", &app.settings.forms_dir)
        .env("PEIL_DATA_DIR", app.dir.path().join("data"))
        // The instance's key: a closed anonymous round's last responses may wait, sealed.
        .env("PEIL_SECRET_KEY", app.secret.expose())
        .env("PEIL_TEMPLATES_DIR", repo("templates"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run peil export")
}

/// The audit log's `exported` entries, oldest first: actor and detail.
async fn exports(app: &TestApp) -> Vec<(Option<String>, String)> {
    sqlx::query_as("SELECT actor, detail FROM audit_log WHERE action = 'exported' ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .expect("audit log")
}

#[tokio::test]
async fn peil_export_and_the_download_give_an_administrator_the_same_file_and_one_entry_each() {
    let (app, round, _forms) = closed_round().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let downloaded = admin.get_bytes(&format!("/werkgroep/ronde/{round}/download/antwoorden.csv")).await;
    let out = app.dir.path().join("export.csv");
    let output = peil_export(&app, round, &["--format", "csv", "--out", &out.display().to_string()]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(stdout.contains(": 13 responses"), "{stdout}");
    assert_eq!(std::fs::read(&out).expect("the exported file"), downloaded);
    assert_eq!(
        exports(&app).await,
        [
            (Some("beheer@example.org".to_string()), format!("ronde {round}, antwoorden.csv")),
            (None, format!("ronde {round} (peil export)")),
        ]
    );
}

#[tokio::test]
async fn peil_export_and_the_download_refuse_an_open_round_and_a_small_one_alike() {
    let forms = forms_dir(&[("peiling", PEILING)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 6)])).await;
    let round = app.open_round("peiling", &["huisarts"], false).await;
    for link in app.links(round).await.iter().take(4) {
        submit(&app, round, &link.url, answers(&[("ervaring", Answer::Number(4.0))])).await;
    }
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let download = format!("/werkgroep/ronde/{round}/download/antwoorden.csv");

    let open = peil_export(&app, round, &["--format", "csv"]);
    assert!(!open.status.success());
    let expected = format!("round {round} is still open; its responses can be exported once it closes");
    assert!(String::from_utf8_lossy(&open.stderr).contains(&expected), "{open:?}");
    assert_eq!(admin.get(&download).await.0, 404);

    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    let small = peil_export(&app, round, &["--format", "csv"]);
    assert!(!small.status.success());
    let expected = format!("round {round} has fewer than 5 respondents: nothing is exported");
    assert!(String::from_utf8_lossy(&small.stderr).contains(&expected), "{small:?}");
    assert_eq!(admin.get(&download).await.0, 404);
    assert!(exports(&app).await.is_empty(), "nothing left, nothing recorded");
}
