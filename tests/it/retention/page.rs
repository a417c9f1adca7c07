//! `/beheer/bewaartermijnen`: the terms per form and job, what a run would remove, the last run,
//! and running it now, audited.

use peil::accounts::Role;

use super::{FORM, answer, app_with_round, past_closing};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retention_page_shows_the_terms_and_what_would_go_and_runs_them_now_in_the_audit_log() {
    let (app, round, _forms) = app_with_round(FORM).await;
    answer(&app, round, 0, "Anna de Vries", "4", "Goed").await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, start) = admin.get("/beheer").await;
    assert_eq!(status, 200);
    assert!(start.contains("href=\"/beheer/bewaartermijnen\""), "linked from the start page");

    let (status, page) = admin.get("/beheer/bewaartermijnen").await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("12 maanden na het sluiten van de ronde"), "the form's own term: {page}");
    assert!(page.contains("3 maanden na het sluiten van de ronde"), "the default link term: {page}");
    assert!(page.contains("Nog nooit uitgevoerd"), "{page}");

    past_closing(&app, round, 13).await;
    // A year on, the login has long expired.
    let admin = app.login_as("beheer2@example.org", Role::Admin).await;
    let (_, page) = admin.get("/beheer/bewaartermijnen").await;
    assert!(page.contains("antwoorden met naam anoniem gemaakt</td><td>1</td>"), "the dry run: {page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM responses WHERE invitation_id IS NOT NULL").await, 1);

    let (status, page) = admin.post("/beheer/bewaartermijnen/uitvoeren", &[]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("De bewaartermijnen zijn uitgevoerd"), "{page}");
    assert!(page.contains("(met de hand)"), "{page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM responses WHERE invitation_id IS NOT NULL").await, 0);
    let detail: String = sqlx::query_scalar(
        "SELECT detail FROM audit_log WHERE action = 'retention_run' AND actor = 'beheer2@example.org'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the run is in the audit log");
    assert!(detail.contains("1 antwoorden met naam anoniem gemaakt"), "{detail}");

    let (status, _) = admin.post_without_csrf("/beheer/bewaartermijnen/uitvoeren", &[]).await;
    assert_ne!(status, 200, "not without the form's CSRF field");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_retention_page_is_for_administrators_only() {
    let (app, _round, _forms) = app_with_round(FORM).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, _) = member.get("/beheer/bewaartermijnen").await;
    assert!(status == 403 || status == 404 || status == 303, "{status}");
}
