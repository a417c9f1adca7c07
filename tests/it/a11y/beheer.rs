//! The coordinator's start page, the accounts page, the mail page and a round's delivery page,
//! checked with axe and vnu, with their states that need attention (a form file that does not
//! check, mail waiting and failed, a retry done and one refused), and at 320 px and 200% zoom.

use std::collections::HashMap;

use peil::accounts::Role;
use peil::mail::Delivery;

use super::{Audit, Source, log_in};
use crate::helpers::{CONTACTS, TestApp};
use crate::mail::smtp::SmtpServer;
use crate::mail::support::{mailer, open};
use crate::start_page::{BROKEN, copied_forms};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_beheer_start_accounts_and_mail_pages_pass_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let forms = copied_forms();
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;
    let clock = peil::time::clock::ManualClock::at(app.now());
    let server = SmtpServer::started().await;
    server.refuse("bram@example.org", 550, "5.1.1 Mailbox unavailable", None);
    let round = open(&app, &clock, "crisisdienst", &["huisarts"]).await.round;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    assert_eq!(mailer.run_once().await.expect("run"), Delivery { sent: 2, failed: 1, ..Delivery::default() });
    // A second round whose mail waits for a relay that is not there.
    let down = SmtpServer::on(crate::helpers::free_port());
    let waiting = open(&app, &clock, "crisisdienst", &["poh-ggz"]).await.round;
    let offline = mailer_for(&app, &clock, down.url());
    assert_eq!(offline.run_once().await.expect("run"), Delivery { retried: 1, ..Delivery::default() });
    std::fs::write(forms.path().join("kapot.toml"), BROKEN).expect("break a form");
    app.create_user("beheer@example.org", Role::Admin).await;
    audit.browser.client().set_window_size(1280, 900).await.expect("window size");
    log_in(&audit.browser, &app.url, "beheer@example.org").await;

    let pages = [
        ("/beheer".to_string(), "start"),
        ("/beheer/gebruikers".to_string(), "gebruikers"),
        ("/beheer/mail".to_string(), "mail"),
        (format!("/beheer/mail/ronde/{waiting}"), "mail van een ronde die wacht"),
        (format!("/beheer/mail/ronde/{round}"), "mail van een ronde"),
    ];
    for (path, name) in &pages {
        audit.browser.client().goto(&format!("{}{path}", app.url)).await.expect("open");
        audit.check(name, Source::Served).await;
    }
    audit.browser.client().goto(&format!("{}/beheer/gebruikers", app.url)).await.expect("open");
    audit.click_through(r#"form[action="/beheer/gebruikers/wachtwoordlink"] button[type=submit]"#).await;
    audit.browser.wait_for_text("/wachtwoord/").await;
    audit.check("nieuwe wachtwoordlink", Source::Dom).await;
    audit.browser.client().goto(&format!("{}/beheer/mail/ronde/{round}", app.url)).await.expect("open");
    audit.click_through(r#"form[action^="/beheer/mail/ronde/"] button[type=submit]"#).await;
    audit.browser.wait_for_text("retry-result").await;
    audit.check("mislukte mails opnieuw verstuurd", Source::Dom).await;
    // The same button once more, as a second tab still showing it would send it: nothing failed.
    let again = format!(
        "const f = document.createElement('form'); f.method = 'post'; f.action = '/beheer/mail/ronde/{round}/opnieuw';
         const t = document.querySelector('input[name=csrf]').cloneNode(); f.appendChild(t);
         document.body.appendChild(f); f.submit(); return null;"
    );
    audit.browser.script(&again).await;
    audit.browser.wait_for_text("retry-error").await;
    audit.check("niets opnieuw te versturen", Source::Dom).await;

    let mut too_wide = vec![];
    for (width, text) in super::keyboard::SIZES {
        audit.browser.client().set_window_size(width, 900).await.expect("window size");
        for (path, name) in &pages {
            audit.browser.client().goto(&format!("{}{path}", app.url)).await.expect("open");
            let page = format!("{name} at {width} px");
            too_wide.extend(super::keyboard::sideways(&audit.browser, &page, text).await);
            too_wide.extend(super::keyboard::broken_words(&audit.browser, &page, width, text).await);
        }
    }
    assert!(
        too_wide.is_empty(),
        "beheer pages that scroll sideways or break words:\n{}",
        too_wide.join("\n")
    );
    audit.finish().await;
}

/// A second mailer on the same database, for a relay that is down.
fn mailer_for(
    app: &TestApp,
    clock: &std::sync::Arc<peil::time::clock::ManualClock>,
    url: String,
) -> peil::mail::Mailer {
    mailer(app, clock, Some(url), HashMap::new())
}
