//! Article 15: what the page and the JSON file show of a person, who may look, and the audit
//! rows that record each look without the address.

use peil::accounts::Role;
use peil::outbox::MailKind;

use super::{ANSWER, BIG, EMAIL, NAME, scene};
use crate::helpers::TestApp;

const ADMIN: &str = "beheer@example.org";

async fn last_audit(app: &TestApp) -> (String, String) {
    sqlx::query_as("SELECT action, detail FROM audit_log ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .expect("an audit row")
}

#[tokio::test]
async fn the_page_shows_each_kind_of_data_held_about_a_person_and_the_look_is_audited_by_contact_number() {
    let app = TestApp::spawn().await;
    scene(&app, vec![]).await;
    let code: String =
        sqlx::query_scalar("SELECT code FROM certificates").fetch_one(&app.pool).await.expect("code");
    let admin = app.login_as(ADMIN, Role::Admin).await;

    // Typed as people type it: capitals and spaces.
    let (status, page) = admin.post("/beheer/personen", &[("email", "  A.Quokka@Example.org ")]).await;
    assert_eq!(status, 200, "{page}");
    for expected in [
        NAME,
        BIG,
        "Praktijk Quokka",
        ANSWER,
        "Intervisiegroep s1",
        "Intervisiegroep s2",
        &code,
        MailKind::SeatConfirmed.label(),
        "Download JSON",
    ] {
        assert!(page.contains(expected), "the page shows {expected:?}");
    }
    assert!(!page.contains("/r/"), "no personal link on the page");
    let (action, subject): (String, Option<String>) =
        sqlx::query_as("SELECT action, subject FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("an audit row");
    assert_eq!(action, "person_viewed");
    let subject = subject.expect("whose data");
    assert!(subject.starts_with("contact "), "{subject}");
    let (_, detail) = last_audit(&app).await;
    assert!(!detail.contains(EMAIL) && !subject.contains(EMAIL), "the audit row keeps no address");
}

#[tokio::test]
async fn the_json_file_has_each_kind_of_data_under_its_documented_field_names() {
    let app = TestApp::spawn().await;
    scene(&app, vec![]).await;
    let admin = app.login_as(ADMIN, Role::Admin).await;
    // A look at the contact's page is an access-log entry about them by number (NEN 7513's
    // "whose data"), and so part of what peil holds about them.
    let contact: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE email = $1")
        .bind(EMAIL)
        .fetch_one(&app.pool)
        .await
        .expect("the contact");
    assert_eq!(admin.get(&format!("/beheer/contacten/{contact}")).await.0, 200);

    let (status, body) = admin.post("/beheer/personen/json", &[("email", EMAIL)]).await;
    assert_eq!(status, 200, "{body}");
    let json: serde_json::Value = serde_json::from_str(&body).expect("the file is JSON");
    assert_eq!(json["format"], "peil-persoonsgegevens/1");
    assert_eq!(json["email"], EMAIL);
    assert_eq!(json["contact"]["name"], NAME);
    assert_eq!(json["contact"]["big_number"], BIG);
    assert_eq!(json["contact"]["practice"], "Praktijk Quokka");
    assert_eq!(json["invitations"].as_array().expect("invitations").len(), 2);
    assert_eq!(json["invitations"][0]["link_state"], "open");
    let answers = json["answers"].as_array().expect("answers");
    assert_eq!(answers.len(), 2, "one response per sign-up round");
    assert!(
        answers.iter().flat_map(|a| a["items"].as_array().expect("items")).any(|i| i["answer"] == ANSWER),
        "the free text with its question: {answers:?}"
    );
    let seats = json["seats"].as_array().expect("seats");
    assert_eq!(seats.len(), 2);
    assert_eq!(seats[0]["attended"], true);
    assert_eq!(seats[1]["status"], "confirmed");
    assert_eq!(json["certificates"].as_array().expect("certificates").len(), 1);
    let mails = json["mails"].as_array().expect("mails");
    assert!(
        mails
            .iter()
            .any(|m| m["kind"] == "seat-confirmed" && m["status"] == "sent" && m["sent_at"].is_string())
    );
    assert!(json["account"].is_null());
    let audit = json["audit"].as_array().expect("audit");
    assert!(audit.iter().any(|e| e["action"] == "contacts_viewed"), "the look at their page: {audit:?}");
    assert!(json["drafts"].is_array());
    assert!(!body.contains("nonce") && !body.contains("token"), "no key of any link");
    assert_eq!(last_audit(&app).await.0, "person_exported");
    let whose: Option<i64> =
        sqlx::query_scalar("SELECT subject_contact FROM audit_log WHERE action = 'person_exported'")
            .fetch_one(&app.pool)
            .await
            .expect("the export's entry");
    assert_eq!(whose, Some(contact), "the export is an entry about them, by number");
}

#[tokio::test]
async fn an_unknown_address_gets_a_clear_dutch_message_and_nonsense_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(ADMIN, Role::Admin).await;

    let (status, page) = admin.post("/beheer/personen", &[("email", "niemand@example.org")]).await;
    assert_eq!(status, 404);
    assert!(page.contains("Over dit adres heeft peil niets"), "{page}");
    let (status, page) = admin.post("/beheer/personen", &[("email", "niemand")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("Dit is geen e-mailadres"), "{page}");
    assert_eq!(admin.post("/beheer/personen/json", &[("email", "niemand@example.org")]).await.0, 404);
    let (status, page) = admin.post("/beheer/personen/wissen", &[("email", "niemand@example.org")]).await;
    assert_eq!(status, 404);
    assert!(page.contains("niets te wissen"), "{page}");
}

#[tokio::test]
async fn a_werkgroep_member_cannot_reach_the_pages_nor_erase() {
    let app = TestApp::spawn().await;
    app.import_contacts(super::PEOPLE).await;
    let member = app.login_as("werkgroep@example.org", Role::Werkgroep).await;

    assert_eq!(member.get("/beheer/personen").await.0, 403);
    assert_eq!(member.post("/beheer/personen", &[("email", EMAIL)]).await.0, 403);
    assert_eq!(member.post("/beheer/personen/json", &[("email", EMAIL)]).await.0, 403);
    let (status, _) =
        member.post("/beheer/personen/wissen/bevestigen", &[("email", EMAIL), ("bevestigd", "ja")]).await;
    assert_eq!(status, 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts WHERE email = 'a.quokka@example.org'").await, 1);
    assert_eq!(app.get("/beheer/personen").await.0, 303, "not logged in: to the login page");
}

#[tokio::test]
async fn the_start_page_links_to_the_persons_page() {
    let app = TestApp::spawn().await;
    let admin = app.login_as(ADMIN, Role::Admin).await;
    assert!(admin.get("/beheer").await.1.contains("href=\"/beheer/personen\""));
    let (status, page) = admin.get("/beheer/personen").await;
    assert_eq!(status, 200);
    assert!(page.contains("AVG artikel 15"), "{page}");
}
