//! Certificates of attendance and year overviews, end to end: attendance recorded after a
//! session issues a certificate and queues one mail, which a real SMTP server receives with the
//! PDF; `pdftotext` reads the PDFs back; the link downloads only its own; `/bewijs/<code>`
//! confirms a code and says when it was withdrawn.

mod issue;
mod overview;
mod pages;

use chrono::{DateTime, Duration, Utc};
use peil::rounds::RoundId;
use peil::signup::SessionId;

use base64::Engine;

use crate::helpers::TestApp;
use crate::mail::smtp::Received;
use crate::signup::{link_paths, open_signup, seat_of, session, sign_up};

/// A sign-up round with one session of two hours starting at `starts`, everyone of `paths`
/// signed up; the round, its session and the link paths (`/r/...`) of the contacts.
pub async fn signed_up(
    app: &TestApp,
    starts: DateTime<Utc>,
    code: &str,
    people: usize,
) -> (RoundId, SessionId, Vec<String>) {
    let mut s = session(code, 10, starts);
    s.activity_id = "GAIA-445566".into();
    let round = open_signup(app, vec![s], Duration::hours(24)).await;
    let paths = link_paths(app, round).await;
    for path in &paths[..people] {
        assert_eq!(sign_up(app, path, code).await, 303);
    }
    let session = peil::signup::sessions::of_round(&app.pool, round).await.expect("sessions").remove(0);
    (round, session.id, paths)
}

/// Records `emails` as present (or not) three hours after the session started.
pub async fn record(app: &TestApp, session: SessionId, emails: &[&str], present: bool) -> DateTime<Utc> {
    let started: DateTime<Utc> =
        peil::signup::sessions::get(&app.pool, session).await.expect("session").starts_at;
    let at = started + Duration::hours(3);
    let emails: Vec<String> = emails.iter().map(|e| e.to_string()).collect();
    peil::signup::attendance::record(&app.db, session, &emails, present, at, None).await.expect("recorded");
    at
}

/// The certificate of the latest seat of the person behind `path`: its code and whether withdrawn.
pub async fn certificate_of(app: &TestApp, path: &str) -> (String, bool) {
    let seat = seat_of(app, path).await;
    let (code, withdrawn): (String, Option<String>) =
        sqlx::query_as("SELECT code, withdrawn_at FROM certificates WHERE seat_id = $1")
            .bind(seat)
            .fetch_one(&app.pool)
            .await
            .expect("a certificate");
    (code, withdrawn.is_some())
}

/// A GET as the person's browser does it (the link's redirect followed), with the body's bytes.
pub async fn get_bytes(app: &TestApp, path: &str) -> (u16, String, Vec<u8>) {
    let mut response = app.client.get(format!("{}{path}", app.url)).send().await.expect("GET");
    if response.status() == 303 {
        let to = crate::helpers::location(&response);
        response = app.client.get(format!("{}{to}", app.url)).send().await.expect("GET");
    }
    let status = response.status().as_u16();
    let kind =
        response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    (status, kind, response.bytes().await.expect("body").to_vec())
}

/// The text of a PDF as poppler's `pdftotext` reads it.
pub fn pdf_text(bytes: &[u8]) -> String {
    assert!(
        bytes.starts_with(b"%PDF-"),
        "a PDF: {:?}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(200)])
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("doc.pdf");
    std::fs::write(&file, bytes).expect("write");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", file.to_str().expect("a path"), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The PDF attached to a mail, base64 undone.
pub fn attached_pdf(mail: &Received) -> Option<Vec<u8>> {
    let at = mail.data.find("Content-Type: application/pdf")?;
    // The part begins after its boundary line.
    let boundary = mail.data[..at].rfind("\r\n--")? + 2;
    let start = boundary + mail.data[boundary..].find("\r\n")? + 2;
    let (headers, rest) = mail.data[start..].split_once("\r\n\r\n")?;
    assert!(headers.contains("bewijs-van-deelname.pdf"), "{headers}");
    let encoded: String = rest[..rest.find("\r\n--")?].split_whitespace().collect();
    Some(base64::engine::general_purpose::STANDARD.decode(encoded).expect("base64"))
}
