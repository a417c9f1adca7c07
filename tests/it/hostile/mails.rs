//! Hostile names in mails: a name from a contact list or typed into the open registration page
//! reaches the `To:` header and both bodies of a mail. It must stay one recipient's display
//! name (no second address, no added header), be escaped in the HTML body, and read as typed in
//! the text body; never evaluated as template syntax.

use chrono::Utc;

use crate::helpers::{TestApp, forms_dir};
use crate::mail::smtp::{Received, SmtpServer};
use crate::mail::support::{decoded, header, mailer};
use crate::signup::open_registration;

/// Names a person may have typed, each printable: no control character (those are refused).
const NAMES: &[&str] = &[
    "<b onmouseover=\"window.__pwned='naam'\">Arts</b>",
    "\"Evil\" <evil@example.org>, Bcc: evil2@example.org",
    "Arts {{ 7*7 }} {% raw %} ${7*7}",
    "=HYPERLINK(\"http://evil.example\",\"Arts\")",
    "\u{202e}fdp.exe Ärts 👩\u{200d}⚕️",
];

/// Names the registration page accepts whose quotes, hyphens and letters outside ASCII must
/// still be encoded in `To:` and escaped in the HTML body.
const REAL: [&str; 5] = ["O'Neill", "'t Hart-Ösz", "J.P. van der Berg-de Vries", "Zoë O’Brien", "Çelik"];

fn contacts() -> String {
    let mut csv = String::from("naam;e-mail;rol\n");
    for (i, name) in NAMES.iter().enumerate() {
        csv.push_str(&format!("\"{}\";arts{i}@example.org;huisarts\n", name.replace('"', "\"\"")));
    }
    csv
}

/// The text between `<!DOCTYPE` and `</html>`: the HTML body, once decoded.
fn html_part(body: &str) -> &str {
    let start = body.find("<!DOCTYPE html>").expect("an HTML part");
    let end = body[start..].find("</html>").map_or(body.len(), |e| start + e);
    &body[start..end]
}

/// Everything the mail says outside its HTML part.
fn text_part(body: &str) -> String {
    let html = html_part(body);
    body.replace(html, "")
}

/// The `To:` header unfolded, with its quoted display name and encoded words taken out: what a
/// mail program reads as addresses.
fn to_addresses(mail: &Received) -> String {
    let unfolded = mail.headers().replace("\r\n ", " ").replace("\r\n\t", " ");
    let line =
        unfolded.split("\r\n").find(|l| l.to_lowercase().starts_with("to:")).expect("a To header").to_owned();
    let mut out = String::new();
    let (mut quoted, mut escaped) = (false, false);
    for c in line[3..].chars() {
        match (quoted, escaped, c) {
            (true, false, '\\') => escaped = true,
            (true, true, _) => escaped = false,
            (_, false, '"') => quoted = !quoted,
            (false, _, c) => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace()
        .filter(|w| !(w.starts_with("=?") && w.ends_with("?=")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn assert_one_recipient(mail: &Received, address: &str) {
    assert_eq!(mail.to, [address], "the SMTP envelope names one recipient");
    let addresses = to_addresses(mail);
    assert_eq!(addresses.matches('@').count(), 1, "one address in To: {addresses:?} of\n{}", mail.headers());
    assert!(addresses.contains(&format!("<{address}>")), "To: {addresses:?}");
    assert!(header(mail, "bcc").is_empty() && header(mail, "cc").is_empty(), "{}", mail.headers());
}

fn assert_name_is_text(mail: &Received, name: &str) {
    let body = decoded(mail);
    let html = html_part(&body);
    assert!(!html.contains("<b onmouseover"), "the HTML body runs markup of a name:\n{html}");
    // Only where the name stands: a 49 elsewhere (a boundary, a link) is no evaluation.
    assert!(!body.contains("Arts 49"), "template syntax in a name was evaluated:\n{body}");
    if name.starts_with("<b") {
        assert!(html.contains("&lt;b onmouseover="), "the name is escaped in HTML:\n{html}");
    }
    let text = text_part(&body);
    assert!(text.contains(name), "the text body has the name as typed ({name}):\n{text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_contact_names_stay_one_escaped_recipient_in_invitation_mails() {
    let forms = forms_dir(&[("vrij", super::FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    assert_eq!(app.import_contacts(&contacts()).await.added, NAMES.len());
    let clock = peil::time::clock::ManualClock::at(Utc::now());
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), Default::default());
    crate::mail::support::open(&app, &clock, "vrij", &["huisarts"]).await;
    assert_eq!(mailer.run_once().await.expect("send").sent, NAMES.len() as u32);

    let mut received = server.received();
    received.sort_by(|a, b| a.to.cmp(&b.to));
    assert_eq!(received.len(), NAMES.len(), "one mail per person, none to an injected address");
    for (i, (mail, name)) in received.iter().zip(NAMES).enumerate() {
        assert_one_recipient(mail, &format!("arts{i}@example.org"));
        assert_name_is_text(mail, name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_typed_into_the_registration_page_cannot_add_a_header_or_run_in_the_mail() {
    let app = TestApp::spawn().await;
    let (_, page) = open_registration(&app, 4).await;
    let fields = |name: &'static str, email: &'static str| {
        [("naam", name), ("email", email), ("rol", "poh-ggz"), ("praktijk", "De Brug")]
    };

    // A line break would start a header of its own if it reached one: refused, nothing kept.
    for (name, email) in [
        ("Eva\r\nBcc: evil@example.org", "eva@example.org"),
        ("Eva\nX-Injected: ja", "eva@example.org"),
        ("Eva\0Nul", "eva@example.org"),
        ("Eva", "eva@example.org\r\nBcc: evil@example.org"),
    ] {
        let (status, body) = app.post(&page, &fields(name, email)).await;
        assert_eq!(status, 422, "{name:?} {email:?}: {body}");
        assert!(body.contains("lang=\"nl\"") && body.contains("class=\"error"), "{body}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0, "no contact from a refused post");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0, "no mail from a refused post");

    // Markup, quotes, an address, template syntax, a formula, a right-to-left override: none of
    // them reads as a person's name, so none reaches a mail (issue 22; this test posted them
    // and followed them into the mail before names were checked).
    for (i, name) in NAMES.iter().enumerate() {
        let email = format!("eva{i}@example.org");
        let (status, body) = app.post(&page, &fields(name, "eva@example.org")).await;
        assert_eq!(status, 422, "{name}: {body}");
        assert!(body.contains("Vul uw naam in zoals u die schrijft"), "{name}: {body}");
        // The practice is no part of any mail, and is kept as typed, next to a real name.
        let person = [("naam", REAL[i]), ("email", email.as_str()), ("rol", "poh-ggz"), ("praktijk", *name)];
        let (status, body) = app.post(&page, &person).await;
        assert_eq!(status, 200, "{name}: {body}");
    }
    // The worker's clock starts after the last registration: its mail is queued at the real now.
    let clock = peil::time::clock::ManualClock::at(Utc::now());
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), Default::default());
    assert_eq!(mailer.run_once().await.expect("send").sent, NAMES.len() as u32);
    let mut received = server.received();
    received.sort_by(|a, b| a.to.cmp(&b.to));
    assert_eq!(received.len(), NAMES.len());
    for (i, (mail, name)) in received.iter().zip(REAL).enumerate() {
        assert_one_recipient(mail, &format!("eva{i}@example.org"));
        assert_name_is_text(mail, name);
        assert!(!decoded(mail).contains(NAMES[i]), "the practice is not mailed");
    }
}

/// The display name of the `To:` header, its RFC 2047 encoded words decoded.
fn to_display_name(mail: &Received) -> String {
    use base64::Engine;
    let unfolded = mail.headers().replace("\r\n ", " ").replace("\r\n\t", " ");
    let line = unfolded.split("\r\n").find(|l| l.to_lowercase().starts_with("to:")).expect("a To header");
    let mut bytes = Vec::new();
    for word in line.split_whitespace().filter_map(|w| w.strip_prefix("=?utf-8?b?")?.strip_suffix("?=")) {
        bytes.extend(base64::engine::general_purpose::STANDARD.decode(word).expect("base64"));
    }
    String::from_utf8(bytes).expect("UTF-8")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_right_to_left_override_in_a_name_stays_inside_the_name_in_both_bodies_and_in_to() {
    let forms = forms_dir(&[("vrij", super::FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    let name = "\u{202e}fdp.exe Anna";
    let csv = format!("naam;e-mail;rol\n{name};anna@example.org;huisarts\n");
    assert_eq!(app.import_contacts(&csv).await.added, 1);
    let clock = peil::time::clock::ManualClock::at(Utc::now());
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), Default::default());
    crate::mail::support::open(&app, &clock, "vrij", &["huisarts"]).await;
    assert_eq!(mailer.run_once().await.expect("send").sent, 1);

    let mail = &server.received()[0];
    // First-strong isolate .. pop directional isolate: the override ends with the name, so
    // "Beste" and the comma after the name read as written.
    let isolated = format!("\u{2068}{name}\u{2069}");
    let body = decoded(mail);
    for (part, text) in [("text", text_part(&body)), ("HTML", html_part(&body).to_string())] {
        assert_eq!(text.matches(name).count(), text.matches(&isolated).count(), "{part} part:\n{text}");
        assert!(text.contains(&format!("Beste {isolated},")), "{part} part:\n{text}");
    }
    assert_eq!(to_display_name(mail), isolated, "{}", mail.headers());
}
