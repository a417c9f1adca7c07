//! How a mail looks when `[organisation]` is set: sent and signed in the organisation's name,
//! with its contact line, and an HTML part that a 390 px phone shows without sideways scrolling
//! (the personal link as a button, the raw link below it wrapping).

use std::collections::HashMap;
use std::sync::Arc;

use peil::mail::Mailer;
use peil::settings::Settings;
use peil::time::clock::ManualClock;

use super::smtp::{Received, SmtpServer};
use super::support::*;
use crate::browser::Browser;
use crate::helpers::TestApp;

/// The worker as `mailer` makes it, with the organisation of `crate::organisation::noord`.
fn mailer_of_noord(app: &TestApp, clock: &Arc<ManualClock>, smtp: String) -> Mailer {
    let mut settings = Settings {
        smtp_url: Some(peil::settings::Secret::new(smtp)),
        mail_from: "GGZ-werkgroep <peil@example.org>".into(),
        mail_per_second: 1000,
        ..app.settings.clone()
    };
    crate::organisation::noord(&mut settings);
    Mailer::new(app.db.clone(), &settings, app.secret.clone(), clock.clone(), Arc::new(HashMap::new()))
        .expect("mailer")
}

/// The HTML part of a received mail, quoted-printable undone.
fn html_part(mail: &Received) -> String {
    let body = decoded(mail);
    let start = body.find("<!DOCTYPE html>").expect("an HTML part");
    let end = body[start..].find("</html>").expect("the end of the HTML part") + start + "</html>".len();
    body[start..end].to_string()
}

async fn invitation_of_noord() -> (TestApp, Received) {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    let mailer = mailer_of_noord(&app, &clock, server.url());
    open(&app, &clock, "crisisdienst", &["huisarts"]).await;
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    let invitation = server.to("anna@example.org").remove(0);
    (app, invitation)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_invitation_comes_from_and_is_signed_by_the_organisation_with_its_contact_line() {
    let (_app, invitation) = invitation_of_noord().await;
    assert_eq!(header(&invitation, "From"), vec!["\"Huisartsen Noord\" <peil@example.org>"]);
    assert_eq!(header(&invitation, "Subject"), vec!["Uitnodiging: Samenwerking met de crisisdienst ggz"]);
    let body = decoded(&invitation).replace("\r\n", "\n");
    assert!(body.contains("Met vriendelijke groet,\nHuisartsen Noord\n"), "{body}");
    assert!(
        body.contains("Vragen? Neem contact op met Huisartsen Noord: secretariaat@hanoord.nl, 020 123 4567."),
        "{body}"
    );
    assert!(html_part(&invitation).contains("<a href=\"tel:+31201234567\">020 123 4567</a>"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_html_invitation_fits_a_390_pixel_phone_without_sideways_scrolling() {
    let Some(browser) = Browser::start().await else { return };
    let (app, invitation) = invitation_of_noord().await;
    let link = format!("{}{}", app.url, link_path(&app, &invitation));
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("uitnodiging.html");
    std::fs::write(&file, html_part(&invitation)).expect("write the mail");
    browser.client().set_window_size(390, 844).await.expect("window size");
    browser.client().goto(&format!("file://{}", file.display())).await.expect("open the mail");

    let width = browser.script("return window.innerWidth;").await;
    assert_eq!(width, serde_json::json!(390), "a phone-sized window");
    let fits = "return document.documentElement.scrollWidth <= window.innerWidth;";
    assert_eq!(browser.script(fits).await, serde_json::json!(true), "the mail scrolls sideways");
    let button = browser
        .script(
            "const a = document.querySelector('table[role=presentation] a.button');
             const r = a.getBoundingClientRect();
             return [a.href, a.textContent, r.right <= window.innerWidth, r.height >= 44];",
        )
        .await;
    assert_eq!(button, serde_json::json!([link, "Vul de vragenlijst in", true, true]));
    let raw = "return document.querySelector('.raw-link').textContent;";
    assert_eq!(browser.script(raw).await, serde_json::json!(link), "the raw link below the button");

    // The same mail with the link's container not allowed to break: it does run off the screen,
    // so the check above can fail. (`nowrap` too: a token with a hyphen may break there.)
    let unwrapped = "const p = document.querySelector('.raw-link');
                     p.style.wordBreak = 'normal'; p.style.overflowWrap = 'normal';
                     p.style.whiteSpace = 'nowrap';
                     p.parentElement.style.overflowWrap = 'normal';
                     return document.documentElement.scrollWidth > window.innerWidth;";
    assert_eq!(browser.script(unwrapped).await, serde_json::json!(true), "an unbroken link overflows");
    browser.quit().await;
}
