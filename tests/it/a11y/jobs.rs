//! The jobs page and the form preview, checked with axe and vnu, logged in through the login
//! form: the list of jobs, a job with its mails, the start confirmation, the list of forms, a
//! preview page, the same page with a validation error, and the preview's end; and the jobs
//! pages without sideways scrolling at 320 px and at 200% zoom.

use peil::accounts::Role;

use super::{Audit, Source, log_in};
use crate::helpers::CONTACTS;
use crate::jobs_page::{app_on, folders};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jobs_pages_and_the_form_preview_pass_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let folders = folders();
    let app = app_on(&folders).await;
    app.import_contacts(CONTACTS).await;
    app.create_user("beheer@example.org", Role::Admin).await;
    audit.browser.client().set_window_size(1280, 900).await.expect("window size");
    log_in(&audit.browser, &app.url, "beheer@example.org").await;
    let url = &app.url;
    for (path, name) in [
        ("/beheer/jobs", "jobs"),
        ("/beheer/jobs/intervisie-poh-ggz", "job met e-mails"),
        ("/beheer/jobs/samenwerking-per-wijk", "job per wijk, met de wijken die te tonen zijn"),
        ("/beheer/jobs/samenwerking-per-wijk/starten", "job starten?"),
        ("/beheer/formulieren", "formulieren"),
        ("/beheer/formulieren/crisisdienst/voorbeeld", "voorbeeld"),
    ] {
        audit.browser.client().goto(&format!("{url}{path}")).await.expect("open");
        audit.check(name, Source::Served).await;
    }
    // Without an answer to the required first question: the page again with its error.
    audit.click_through(r#"button[name="_nav"][value="next"]"#).await;
    audit.browser.wait_for_text("error-summary").await;
    audit.check("voorbeeld met fout", Source::Dom).await;
    // A one-page sign-up form, sent: the preview's end.
    audit
        .browser
        .client()
        .goto(&format!("{url}/beheer/formulieren/intervisie/voorbeeld"))
        .await
        .expect("open");
    audit.check("voorbeeld aanmelding", Source::Served).await;
    audit.browser.click(r#"input[name="bijeenkomst"][value="s1"]"#).await;
    audit.browser.click(r#"input[name="naam_delen"]"#).await;
    audit.click_through(r#"button[name="_nav"][value="submit"]"#).await;
    audit.browser.wait_for_text("er is niets opgeslagen").await;
    audit.check("einde voorbeeld", Source::Dom).await;

    let mut too_wide = vec![];
    for path in
        ["/beheer/jobs", "/beheer/jobs/intervisie-poh-ggz", "/beheer/jobs/samenwerking-per-wijk/starten"]
    {
        audit.browser.client().goto(&format!("{url}{path}")).await.expect("open");
        for (width, text) in super::keyboard::SIZES {
            audit.browser.client().set_window_size(width, 900).await.expect("window size");
            audit.browser.client().refresh().await.expect("reload");
            too_wide.extend(
                super::keyboard::sideways(&audit.browser, &format!("{path} at {width} px"), text).await,
            );
        }
    }
    assert!(too_wide.is_empty(), "the jobs pages scroll sideways:\n{}", too_wide.join("\n"));
    audit.finish().await;
}
