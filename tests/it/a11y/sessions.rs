//! The session pages of `/beheer`, checked with axe and vnu: a round's sessions (and the form to
//! add one, with an error), a session's page with its lists and forms (and with an error), and
//! both at 320 px and 200% zoom.

use chrono::{Duration, Utc};
use peil::accounts::Role;

use super::keyboard::{SIZES, broken_words, sideways};
use super::{Audit, Source, log_in};
use crate::helpers::TestApp;
use crate::signup::{link_paths, open_signup, poh_contacts, session, sign_up};

/// A sign-up round with two sessions; two people in s1's two seats, one waiting, one cancelled.
async fn scene() -> (TestApp, i64) {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(4)).await;
    let sessions = vec![
        session("s1", 2, Utc::now() + Duration::days(20)),
        session("s2", 5, Utc::now() + Duration::days(21)),
    ];
    let round = open_signup(&app, sessions, Duration::hours(24)).await;
    for link in link_paths(&app, round).await {
        assert_eq!(sign_up(&app, &link, "s1").await, 303);
    }
    let seat = crate::signup::seat_of(&app, &link_paths(&app, round).await[0]).await;
    peil::signup::seats::cancel(
        &app.db,
        peil::signup::SeatId(seat),
        peil::signup::seats::By::Coordinator,
        app.now(),
    )
    .await
    .expect("cancel");
    app.create_user("beheer@example.org", Role::Admin).await;
    (app, round.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_pages_pass_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let (app, round) = scene().await;
    audit.browser.client().set_window_size(1280, 900).await.expect("window size");
    log_in(&audit.browser, &app.url, "beheer@example.org").await;
    let url = &app.url;
    for (path, name) in [
        (format!("/beheer/rondes/{round}/bijeenkomsten"), "bijeenkomsten van een ronde"),
        ("/beheer/bijeenkomsten/99".to_owned(), "onbekende bijeenkomst"),
        ("/beheer/bijeenkomsten/1".to_owned(), "bijeenkomst"),
    ] {
        audit.browser.client().goto(&format!("{url}{path}")).await.expect("open");
        audit.check(name, Source::Served).await;
    }
    // The session's page with an error: an address that is no contact.
    audit.browser.type_into("#email", "niemand@example.org").await;
    audit.click_through(r#"form[action$="/inschrijven"] button[type=submit]"#).await;
    audit.browser.wait_for_text("session-error").await;
    audit.check("bijeenkomst met fout", Source::Dom).await;

    audit.browser.client().goto(&format!("{url}/beheer/rondes/{round}/bijeenkomsten")).await.expect("open");
    audit.browser.script("document.querySelector('#plaatsen').value = '1'; document.querySelector('#titel').value = 'Extra'; document.querySelector('#datum').value = '2099-03-09'; document.querySelector('#begin').value = '13:30'; document.querySelector('#einde').value = '15:30'; return null;").await;
    audit.click_through(r#"form[action$="/bijeenkomsten"] button[type=submit]"#).await;
    audit.browser.wait_for_text("sessions-error").await;
    audit.check("bijeenkomst toevoegen met fout", Source::Dom).await;
    audit.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_session_pages_fit_320_px_and_200_percent_zoom() {
    let Some(audit) = Audit::start().await else { return };
    let browser = &audit.browser;
    let (app, round) = scene().await;
    log_in(browser, &app.url, "beheer@example.org").await;
    let url = &app.url;
    let pages =
        [format!("{url}/beheer/rondes/{round}/bijeenkomsten"), format!("{url}/beheer/bijeenkomsten/1")];
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
