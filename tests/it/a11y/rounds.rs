//! The `/beheer/rondes` pages, checked with axe and vnu: the list, a new round (with an error
//! and with the preview of whom it reaches), a round's page (with an error), the question
//! before closing, and the personal links.

use peil::accounts::Role;

use super::keyboard::{SIZES, broken_words, sideways};
use super::{Audit, Source, log_in};
use crate::helpers::{CONTACTS, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_rounds_page_passes_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    app.create_user("beheer@example.org", Role::Admin).await;
    audit.browser.client().set_window_size(1280, 900).await.expect("window size");
    log_in(&audit.browser, &app.url, "beheer@example.org").await;
    let url = &app.url;
    for (path, name) in [
        ("/beheer/rondes".to_owned(), "rondes"),
        ("/beheer/rondes/nieuw".to_owned(), "nieuwe ronde"),
        (format!("/beheer/rondes/{round}/links"), "persoonlijke links"),
        ("/beheer/rondes/99".to_owned(), "onbekende ronde"),
        (format!("/beheer/rondes/{round}"), "ronde"),
    ] {
        audit.browser.client().goto(&format!("{url}{path}")).await.expect("open");
        audit.check(name, Source::Served).await;
    }
    // The round's page with an error: a close before now.
    audit.browser.script("document.querySelector('#datum').value = '2001-01-01'; return null;").await;
    audit.click_through(r#"form[action$="/verlengen"] button[type=submit]"#).await;
    audit.browser.wait_for_text("round-error").await;
    audit.check("ronde met fout", Source::Dom).await;
    audit.click_through(r#"form[action$="/sluiten"] button[type=submit]"#).await;
    audit.browser.wait_for_text("Weet u zeker").await;
    audit.check("ronde sluiten?", Source::Dom).await;

    audit.browser.client().goto(&format!("{url}/beheer/rondes/nieuw")).await.expect("open");
    audit.click_through(r#"form[action="/beheer/rondes/nieuw"] button[type=submit]"#).await;
    audit.browser.wait_for_text("new-error").await;
    audit.check("nieuwe ronde met fout", Source::Dom).await;
    audit.browser.click(r#"#formulier option[value="crisisdienst"]"#).await;
    audit.click_through(r#"form[action="/beheer/rondes/nieuw"] button[type=submit]"#).await;
    audit.browser.wait_for_text("Deze ronde bereikt").await;
    audit.check("wie de ronde bereikt", Source::Dom).await;
    audit.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_rounds_pages_fit_320_px_and_200_percent_zoom() {
    let Some(audit) = Audit::start().await else { return };
    let browser = &audit.browser;
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    app.create_user("beheer@example.org", Role::Admin).await;
    log_in(browser, &app.url, "beheer@example.org").await;
    let url = &app.url;
    let pages = [
        format!("{url}/beheer/rondes"),
        format!("{url}/beheer/rondes/nieuw"),
        format!("{url}/beheer/rondes/{round}"),
        format!("{url}/beheer/rondes/{round}/links"),
    ];
    let mut too_wide = vec![];
    for (width, text) in SIZES {
        browser.client().set_window_size(width, 900).await.expect("window size");
        for page in &pages {
            browser.client().goto(page).await.expect("open");
            too_wide.extend(sideways(browser, page, text).await);
            too_wide.extend(broken_words(browser, page, width, text).await);
        }
    }
    assert!(too_wide.is_empty(), "pages that scroll sideways or break words:\n{}", too_wide.join("\n"));
    audit.browser.quit().await;
}
