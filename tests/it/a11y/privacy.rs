//! The privacy statements and the processing register: an anonymous and an identified form's
//! statement, the index and the register page pass axe and the Nu Html Checker, and read on a
//! phone (320 px) and at 200% zoom without sideways scrolling.

use super::{Audit, Source, log_in};
use crate::helpers::TestApp;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_statements_and_the_register_pass_axe_and_read_on_a_phone() {
    let Some(mut audit) = Audit::start().await else { return };
    let app = TestApp::spawn_configured(crate::privacy::noord_with_officer).await;
    let statements = [
        format!("{}/privacy/crisisdienst?ronde=anoniem", app.url),
        format!("{}/privacy/blended-care-bezoek", app.url),
        format!("{}/privacy/scholing", app.url),
        format!("{}/privacy", app.url),
    ];
    for url in &statements {
        audit.browser.client().goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
        audit.check(url.trim_start_matches(&app.url), Source::Served).await;
    }
    app.create_user("beheer@example.org", peil::accounts::Role::Admin).await;
    log_in(&audit.browser, &app.url, "beheer@example.org").await;
    let register = format!("{}/beheer/verwerkingsregister", app.url);
    audit.browser.client().goto(&register).await.expect("the register");
    audit.check("verwerkingsregister", Source::Served).await;

    let mut too_wide = vec![];
    for (width, text) in super::keyboard::SIZES {
        audit.browser.client().set_window_size(width, 900).await.expect("window size");
        for url in statements.iter().chain([&register]) {
            audit.browser.client().goto(url).await.expect("open");
            too_wide.extend(super::keyboard::sideways(&audit.browser, url, text).await);
        }
    }
    assert!(too_wide.is_empty(), "pages that scroll sideways:\n{}", too_wide.join("\n"));
    audit.finish().await;
}
