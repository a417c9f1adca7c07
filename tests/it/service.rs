//! The service as a whole: health, pages that exist for everyone, headers.

use crate::helpers::TestApp;

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
