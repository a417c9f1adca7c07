//! The certificate pages anyone may open: a code confirmed, a code withdrawn, an unknown code;
//! and the person's own page with its certificate and year overview links.

use chrono::{Duration, Utc};

use super::{Audit, Source};
use crate::certificates::{certificate_of, record, signed_up};
use crate::helpers::TestApp;
use crate::signup::poh_contacts;

async fn visit(audit: &mut Audit, url: &str, name: &str) {
    audit.browser.client().goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    audit.check(name, Source::Served).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_verification_pages_pass_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(2)).await;
    let (_, session, paths) = signed_up(&app, Utc::now() + Duration::days(2), "s1", 2).await;
    record(&app, session, &["poh01@example.org", "poh02@example.org"], true).await;
    let (code, _) = certificate_of(&app, &paths[0]).await;

    visit(&mut audit, &format!("{}/bewijs/{code}", app.url), "bewijs echt").await;
    visit(&mut audit, &format!("{}/bewijs/K7PQ-M2XA-9DHF", app.url), "bewijs onbekend").await;
    visit(&mut audit, &format!("{}{}", app.url, paths[1]), "aanmelding met bewijs").await;
    record(&app, session, &["poh01@example.org"], false).await;
    visit(&mut audit, &format!("{}/bewijs/{code}", app.url), "bewijs ingetrokken").await;
    audit.finish().await;
}
