//! The service as a whole: health, pages that exist for everyone, headers.

use crate::helpers::{CONTACTS, TestApp, TestDb, repo, settings};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_answers_with_json_and_the_number_of_forms() {
    let app = TestApp::spawn().await;
    let (status, body) = app.get("/health").await;
    assert_eq!(status, 200);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["status"], "ok");
    assert_eq!(json["database"], "ok");
    assert_eq!(json["forms"], app.forms.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_carries_a_strict_content_security_policy_and_no_referrer() {
    let app = TestApp::spawn().await;
    let response = app.client.get(format!("{}/", app.url)).send().await.unwrap();
    let header = |name: &str| response.headers().get(name).map(|v| v.to_str().unwrap().to_string());
    assert!(header("content-security-policy").unwrap().contains("script-src 'self'"));
    assert_eq!(header("referrer-policy").as_deref(), Some("no-referrer"));
    assert_eq!(header("cache-control").as_deref(), Some("no-store"));
}

/// The `Strict-Transport-Security` header of `/` from the app built with `base_url`.
async fn hsts_with_base_url(base_url: &str) -> Option<String> {
    let dir = tempfile::tempdir().unwrap();
    let db = TestDb::new(dir.path());
    let secret = peil::settings::Secret::new(peil::crypto::random_b64(48));
    let mut settings = settings(&repo("forms"), dir.path(), &db, secret, 0);
    settings.base_url = base_url.to_owned();
    let clock = peil::time::clock::ShiftedClock::new();
    let service =
        peil::app::build(settings, clock, peil::app::Workers::ByHand).await.expect("the app builds");
    let client = rocket::local::asynchronous::Client::untracked(service.rocket).await.expect("a client");
    let response = client.get("/").dispatch().await;
    response.headers().get_one("Strict-Transport-Security").map(str::to_owned)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_reached_over_https_tells_browsers_to_come_back_over_https_only() {
    let hsts = hsts_with_base_url("https://peil.example.org").await;
    assert_eq!(hsts.as_deref(), Some("max-age=31536000"), "no includeSubDomains, no preload");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_reached_over_plain_http_sends_no_hsts() {
    assert_eq!(hsts_with_base_url("http://peil.lan:8000").await, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_in_the_jobs_folder_is_run_by_the_apps_own_scheduler_and_mailed_by_its_own_worker() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("jobs")).unwrap();
    let job = "form = \"blended-care\"\nopen_for = \"21d\"\n\n[audience]\nroles = [\"huisarts\"]\n\n\
               [mail]\ninvitation_subject = \"Blended care: uw ervaring\"\n";
    std::fs::write(dir.path().join("jobs/blended.toml"), job).unwrap();
    let db = TestDb::new(dir.path());
    let secret = peil::settings::Secret::new(peil::crypto::random_b64(48));
    let app = TestApp::spawn_on(&repo("forms"), dir, db, secret).await;
    app.import_contacts(CONTACTS).await;

    let opened = app.scheduler.start_job("blended").await.expect("the job starts");
    assert_eq!(opened.len(), 1);
    let delivery = app.deliver_pending_mail().await;
    assert_eq!(delivery.sent, 3, "{delivery:?}");

    let outbox = app.settings.data_dir.join("outbox");
    let mails: Vec<String> = std::fs::read_dir(&outbox)
        .expect("the outbox folder")
        .flatten()
        .map(|entry| std::fs::read_to_string(entry.path()).expect("an .eml file"))
        .collect();
    assert_eq!(mails.len(), 3);
    assert!(mails.iter().all(|eml| eml.contains("Subject: Blended care: uw ervaring")), "{mails:?}");
}
