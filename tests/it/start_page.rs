//! `/beheer`, the coordinator's start page: what needs attention now (open rounds and their
//! response, mail that failed with its reason, form or job files that do not check, the next
//! scheduled runs), and the staff header on every staff page. Werkgroep members get 403.

use std::collections::HashMap;
use std::path::Path;

use peil::accounts::Role;
use peil::mail::Delivery;

use crate::helpers::{CONTACTS, TestApp, repo};
use crate::mail::smtp::SmtpServer;
use crate::mail::support::{mailer, open};
use crate::results::unescape;

/// A copy of the shipped forms, to break one of them in.
pub(crate) fn copied_forms() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy_dir(&repo("forms"), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy file");
        }
    }
}

/// A form with a question of a type that does not exist.
pub(crate) const BROKEN: &str = "title = \"Kapot\"\n\n[[pages]]\ntitle = \"Pagina\"\n\n[[pages.questions]]\n\
id = \"vraag\"\ntype = \"bestaat-niet\"\nlabel = \"Vraag?\"\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_start_page_shows_an_open_round_a_failed_mail_with_its_reason_and_a_broken_form_file() {
    let forms = copied_forms();
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;
    let clock = peil::time::clock::ManualClock::at(app.now());
    let server = SmtpServer::started().await;
    server.refuse("bram@example.org", 550, "5.1.1 Mailbox unavailable", None);
    let round = open(&app, &clock, "crisisdienst", &["huisarts"]).await.round;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    assert_eq!(mailer.run_once().await.expect("run"), Delivery { sent: 2, failed: 1, ..Delivery::default() });
    std::fs::write(forms.path().join("kapot.toml"), BROKEN).expect("break a form");
    let expected: Vec<String> = peil::forms::check(forms.path())
        .expect("the folder reads")
        .problems
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(!expected.is_empty() && expected.iter().all(|p| p.contains("kapot.toml:")), "{expected:?}");

    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, page) = admin.get("/beheer").await;
    assert_eq!(status, 200);
    let page = unescape(&page);
    assert!(page.contains(&format!(r#"<a href="/beheer/rondes/{round}">"#)), "the open round: {page}");
    assert!(page.contains("Crisisdienst") || page.contains("crisisdienst"), "its title: {page}");
    assert!(
        page.contains(r#"<td class="num">3</td><td class="num">0</td><td class="num">0%</td>"#),
        "{page}"
    );
    assert!(page.contains("1 mail(s) zijn mislukt"), "{page}");
    assert!(page.contains("aan bram@example.org"), "{page}");
    assert!(page.contains("550") && page.contains("Mailbox unavailable"), "the reason: {page}");
    for problem in &expected {
        assert!(
            page.contains(&format!("<code>{problem}</code>")),
            "{problem} as peil check prints it: {page}"
        );
    }
    for section in
        ["rondes", "contacten", "jobs", "formulieren", "mail", "gebruikers", "logboek", "bewaartermijnen"]
    {
        assert!(page.contains(&format!(r#"href="/beheer/{section}""#)), "a link to {section}");
    }
}

#[tokio::test]
async fn with_every_file_in_order_the_start_page_says_so_and_lists_the_next_scheduled_runs() {
    let app = TestApp::spawn().await;
    let jobs = &app.settings.jobs_dir;
    std::fs::create_dir_all(jobs).expect("jobs folder");
    std::fs::copy(repo("jobs/wachttijden.toml"), jobs.join("wachttijden.toml")).expect("copy job");
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let (status, page) = admin.get("/beheer").await;
    assert_eq!(status, 200);
    assert!(page.contains("Alle formulier- en jobbestanden kloppen."), "{page}");
    assert!(page.contains("Er is nu geen ronde open."), "{page}");
    assert!(page.contains("Er wacht geen mail en er is geen mail mislukt."), "{page}");
    let job = peil::jobs::load(jobs, &app.forms).expect("the job checks");
    let runs = peil::jobs::listing::next_runs(&job, app.now(), 5);
    assert_eq!(runs.len(), 5, "a monthly job has five coming runs");
    for (_, at) in runs {
        let line = format!("{}: job", peil::time::dutch(at));
        assert!(page.contains(&line), "{line}: {page}");
    }
}

#[tokio::test]
async fn every_staff_page_has_the_staff_header_and_only_administrators_see_beheer_in_it() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let header = r#"<nav class="account" aria-label="Personeel">"#;
    for path in ["/beheer", "/beheer/gebruikers", "/beheer/logboek", "/beheer/mail", "/werkgroep"] {
        let (status, page) = admin.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(page.contains(header), "{path}: {page}");
        for part in
            [r#"href="/werkgroep">Resultaten"#, r#"href="/beheer">Beheer"#, "beheer@example.org", "Uitloggen"]
        {
            assert!(unescape(&page).contains(part), "{path} lacks {part}");
        }
    }
    let (status, page) = member.get("/werkgroep").await;
    assert_eq!(status, 200);
    assert!(page.contains(header) && unescape(&page).contains(r#"href="/werkgroep">Resultaten"#));
    assert!(!unescape(&page).contains(r#"href="/beheer">"#), "no Beheer for a werkgroep member: {page}");
    assert!(page.contains("lid@example.org") && page.contains("Uitloggen"));
}

#[tokio::test]
async fn werkgroep_members_get_403_on_the_start_page_and_the_accounts_page() {
    let app = TestApp::spawn().await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    for path in ["/beheer", "/beheer/gebruikers"] {
        assert_eq!(member.get(path).await.0, 403, "{path}");
        assert_eq!(app.get(path).await.0, 303, "{path} sends a stranger to the login page");
    }
}
