//! `/beheer/jobs`: every job with what it will do, its mails as they will read, and "Nu starten"
//! after a page that says what the start counts as and whom it reaches.

use peil::accounts::Role;

use super::{app_on, folders};
use crate::helpers::CONTACTS;

#[tokio::test]
async fn the_jobs_page_lists_every_job_with_its_schedule_in_words_and_its_next_runs() {
    let folders = folders();
    let app = app_on(&folders).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let (status, page) = admin.get("/beheer/jobs").await;
    assert_eq!(status, 200, "{page}");
    for id in ["scholing", "crisisdienst", "intervisie-poh-ggz", "samenwerking-per-wijk"] {
        assert!(page.contains(&format!("href=\"/beheer/jobs/{id}\"")), "{id} missing: {page}");
    }
    assert!(page.contains("elk jaar op 10 januari om 09:00"), "{page}");
    assert!(page.contains("op de 1e van januari, april, juli en oktober om 09:00"), "{page}");
    assert!(page.contains("alleen met de hand"), "{page}");
}

#[tokio::test]
async fn a_jobs_own_page_shows_its_invitation_and_reminder_as_the_mail_will_read() {
    let folders = folders();
    let app = app_on(&folders).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let (status, page) = admin.get("/beheer/jobs/intervisie-poh-ggz").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Meld u aan voor de intervisie POH-GGZ van deze maand"), "{page}");
    assert!(page.contains("Herinnering: aanmelden voor de intervisie POH-GGZ"), "{page}");
    assert!(page.contains("Voorbeeld Naam"), "addressed to the example person: {page}");
    assert!(page.contains("voorbeeldlink"), "with a dummy link: {page}");
    assert!(page.contains("href=\"/beheer/jobs/intervisie-poh-ggz/starten\""), "{page}");

    let (status, page) = admin.get("/beheer/jobs/bestaat-niet").await;
    assert_eq!(status, 404);
    assert!(page.contains("Deze job bestaat niet"), "{page}");
}

#[tokio::test]
async fn starting_a_job_from_its_page_says_what_will_happen_then_opens_it_and_writes_the_log() {
    let folders = folders();
    let app = app_on(&folders).await;
    app.import_contacts(CONTACTS).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let (status, page) = admin.get("/beheer/jobs/crisisdienst/starten").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("geen schema: de start opent een eigen ronde"), "{page}");
    assert!(page.contains("Uitgenodigd worden 3 contactpersonen"), "the three huisartsen: {page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM rounds").await, 0, "the confirmation opens nothing");

    let (status, page) = admin.post("/beheer/jobs/crisisdienst/starten", &[]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Geopend:"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM rounds WHERE job_id = 'crisisdienst'").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'").await, 3);
    let (actor, detail): (Option<String>, String) =
        sqlx::query_as("SELECT actor, detail FROM audit_log WHERE action = 'job_started'")
            .fetch_one(&app.pool)
            .await
            .expect("one audit row");
    assert_eq!(actor.as_deref(), Some("beheer@example.org"));
    assert!(detail.starts_with("crisisdienst: Deze job heeft geen schema"), "{detail}");

    let (_, log) = admin.get("/beheer/logboek?wat=job_started").await;
    assert!(log.contains("Job gestart"), "{log}");
    let (_, page) = admin.get("/beheer/jobs/crisisdienst").await;
    assert!(page.contains("href=\"/beheer/rondes/"), "its round is listed: {page}");
}

#[tokio::test]
async fn the_start_page_of_a_scheduled_job_names_the_round_it_counts_as() {
    let folders = folders();
    let app = app_on(&folders).await;
    app.import_contacts(CONTACTS).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let plan = app.scheduler.plan_start("samenwerking-per-wijk").expect("the job");
    let (status, page) = admin.get("/beheer/jobs/samenwerking-per-wijk/starten").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&plan.explain()), "{}: {page}", plan.explain());
    assert!(page.contains("Per wijk: noord 2, zuid 1"), "{page}");
}

#[tokio::test]
async fn a_start_with_nobody_to_invite_is_refused_with_its_reason_and_opens_nothing() {
    let folders = folders();
    let app = app_on(&folders).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let (status, page) = admin.post("/beheer/jobs/crisisdienst/starten", &[]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Er is niemand om uit te nodigen"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM rounds").await, 0);
    let (status, _) = admin.post("/beheer/jobs/bestaat-niet/starten", &[]).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn werkgroep_members_and_forged_posts_cannot_reach_the_jobs_and_forms_pages() {
    let folders = folders();
    let app = app_on(&folders).await;
    app.import_contacts(CONTACTS).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    for path in [
        "/beheer/jobs",
        "/beheer/jobs/crisisdienst",
        "/beheer/jobs/crisisdienst/starten",
        "/beheer/formulieren",
        "/beheer/formulieren/crisisdienst/voorbeeld",
    ] {
        assert_eq!(member.get(path).await.0, 403, "GET {path}");
    }
    for path in ["/beheer/jobs/crisisdienst/starten", "/beheer/formulieren/crisisdienst/voorbeeld"] {
        assert_eq!(member.post(path, &[("_page", "0")]).await.0, 403, "POST {path}");
    }
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, _) = admin.post_without_csrf("/beheer/jobs/crisisdienst/starten", &[]).await;
    assert_eq!(status, 403, "no CSRF token, no start");
    assert_eq!(app.count("SELECT COUNT(*) FROM rounds").await, 0);
}

#[tokio::test]
async fn a_per_wijk_jobs_page_says_how_many_wijken_can_be_expected_to_show() {
    let folders = folders();
    let app = app_on(&folders).await;
    // At 60%: noord 9 → 5, zuid 8 → 4, oost 4 → 2. With k = 3 oost stays hidden, and zuid with
    // it, or the region minus noord and zuid would be oost's two.
    app.import_contacts(&crate::results::huisartsen(&[("noord", 9), ("zuid", 8), ("oost", 4)])).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let (status, page) = admin.get("/beheer/jobs/samenwerking-per-wijk").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("bij 60% respons is naar verwachting 1 van 3 wijken te tonen (k = 3)"), "{page}");
    let (_, other) = admin.get("/beheer/jobs/crisisdienst").await;
    assert!(!other.contains("Per wijk te tonen"), "only for a per-wijk job: {other}");
}
