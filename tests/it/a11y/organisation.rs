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
    let links = app.links(round).await;

    visit(&mut audit, &links[0].url, "vragenlijst met contact").await;
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

    crate::results::close(&app, round, "2026-01-05T07:00:00Z", "2026-01-19T07:00:00Z").await;
    audit.browser.client().delete_all_cookies().await.expect("cookies go");
    visit(&mut audit, &links[1].url, "gesloten ronde met contact").await;
    audit.finish().await;
}
