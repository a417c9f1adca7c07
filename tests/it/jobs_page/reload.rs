//! Forms and jobs follow their files without a restart, but only a set where everything checks
//! is used: a broken file keeps the previous set, and its problems are shown as `peil check`
//! prints them.

use peil::accounts::Role;
use peil::catalog::Refresh;

use super::{app_on, folders};
use crate::helpers::CONTACTS;

#[tokio::test]
async fn a_changed_job_file_is_used_by_the_next_job_start_and_its_mail_without_a_restart() {
    let folders = folders();
    let app = app_on(&folders).await;
    app.import_contacts(CONTACTS).await;
    let file = folders.path().join("jobs/crisisdienst.toml");
    let text = std::fs::read_to_string(&file).expect("job file");
    std::fs::write(
        &file,
        format!("{text}\n[mail]\ninvitation_subject = \"Nieuw onderwerp voor de crisisdienst\"\n"),
    )
    .expect("write");

    let opened = app.scheduler.start_job("crisisdienst").await.expect("start");
    assert_eq!(opened.len(), 1);
    assert_eq!(app.deliver_pending_mail().await.sent, 3);
    let folder = app.settings.data_dir.join("outbox");
    let subjects: Vec<String> = std::fs::read_dir(&folder)
        .expect("the outbox folder")
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).expect("eml"))
        .map(|eml| eml.lines().find(|l| l.starts_with("Subject: ")).unwrap_or_default().to_string())
        .collect();
    assert_eq!(subjects.len(), 3);
    assert!(subjects.iter().all(|s| s == "Subject: Nieuw onderwerp voor de crisisdienst"), "{subjects:?}");
}

#[tokio::test]
async fn a_broken_form_keeps_the_old_forms_in_use_and_shows_its_problem_until_it_is_fixed() {
    let folders = folders();
    let app = app_on(&folders).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let file = folders.path().join("forms/crisisdienst.toml");
    let good = std::fs::read_to_string(&file).expect("form file");

    std::fs::write(&file, good.replacen("type = \"yesno\"", "type = \"jaofnee\"", 1)).expect("write");
    assert_eq!(app.catalog.refresh(), Refresh::Refused);
    let problems = app.catalog.problems().expect("the problems are kept");
    let line = good.lines().position(|l| l.contains("type = \"yesno\"")).expect("a yesno") + 1;
    assert!(problems.contains(&format!("crisisdienst.toml:{line}:")), "{problems}");
    assert!(app.catalog.forms().get("crisisdienst").is_some(), "the old form stays in use");
    let (_, page) = admin.get("/beheer/jobs").await;
    assert!(page.contains(&format!("crisisdienst.toml:{line}:")), "{page}");
    let (status, page) = admin.get("/beheer/formulieren/crisisdienst/voorbeeld").await;
    assert_eq!(status, 200, "the old form still previews: {page}");

    let renamed = good.replacen(
        "title = \"Samenwerking met de crisisdienst ggz\"",
        "title = \"Samenwerking met de crisisdienst (nieuw)\"",
        1,
    );
    std::fs::write(&file, renamed).expect("write");
    assert_eq!(app.catalog.refresh(), Refresh::Reloaded);
    assert_eq!(app.catalog.problems(), None);
    let (_, page) = admin.get("/beheer/formulieren").await;
    assert!(page.contains("Samenwerking met de crisisdienst (nieuw)"), "{page}");
    assert!(!page.contains("kloppen niet"), "{page}");
}
