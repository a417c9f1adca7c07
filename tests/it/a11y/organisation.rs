//! The pages that name the organisation, with `[organisation]` set so that they carry its
//! `mailto:` and `tel:` links: a form's page, a closed round, the unsubscribe pages, an error
//! page, the accessibility statement and the werkgroep report.

use super::{Audit, Source};
use crate::helpers::{CONTACTS, TestApp};

async fn visit(audit: &mut Audit, url: &str, name: &str) {
    audit.browser.client().goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    audit.check(name, Source::Served).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_with_the_organisations_contact_line_pass_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let app = TestApp::spawn_configured(crate::organisation::noord).await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    let link = app.links(round).await.remove(0).url;

    visit(&mut audit, &link, "vragenlijst met contact").await;
    let page = audit.browser.client().current_url().await.expect("url").to_string();
    visit(&mut audit, &format!("{page}/afmelden"), "afmelden met contact").await;
    audit.click_through("button[type=submit]").await;
    audit.browser.wait_for_text("U bent afgemeld").await;
    audit.check("afgemeld met contact", Source::Dom).await;
    visit(&mut audit, &format!("{}/bestaat-niet", app.url), "404 met contact").await;
    visit(&mut audit, &format!("{}/toegankelijkheid", app.url), "toegankelijkheid met contact").await;

    app.create_user("lid@example.org", peil::accounts::Role::Werkgroep).await;
    super::log_in(&audit.browser, &app.url, "lid@example.org").await;
    visit(&mut audit, &format!("{}/werkgroep/ronde/{}/rapport", app.url, round.0), "rapport met naam").await;

    // Closed before its link is first opened (an open round's page is cached a while).
    let closed = app.open_round("crisisdienst", &["poh-ggz"], false).await;
    let link = app.links(closed).await.remove(0).url;
    crate::results::close(&app, closed, "2026-01-05T07:00:00Z", "2026-01-19T07:00:00Z").await;
    visit(&mut audit, &link, "gesloten ronde met contact").await;
    assert!(audit.browser.client().source().await.expect("the page").contains("mailto:"));

    let pages = [format!("{}/bestaat-niet", app.url), link];
    let mut too_wide = vec![];
    for (width, text) in super::keyboard::SIZES {
        audit.browser.client().set_window_size(width, 900).await.expect("window size");
        for url in &pages {
            audit.browser.client().goto(url).await.expect("open");
            too_wide.extend(super::keyboard::sideways(&audit.browser, url, text).await);
        }
    }
    assert!(too_wide.is_empty(), "pages that scroll sideways:\n{}", too_wide.join("\n"));
    audit.finish().await;
}
