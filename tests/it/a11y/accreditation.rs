//! The accreditation form on a person's link, checked with axe and vnu: the block on the status
//! page right after signing up, the form with a refused BIG number, and its own page.

use super::{Audit, Source};
use crate::helpers::TestApp;
use crate::signup::accreditation::{PEOPLE, open_round};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accreditation_form_passes_axe_and_the_html_checker_with_and_without_errors() {
    let Some(mut audit) = Audit::start().await else { return };
    let app = TestApp::spawn().await;
    app.import_contacts(PEOPLE).await;
    let round = open_round(&app).await;
    // The huisarts: ABC1 asks her BIG number.
    let link = app.links(round).await.remove(0).url;
    audit.browser.client().goto(&link).await.expect("the sign-up form");
    audit.browser.click(r#"input[name="bijeenkomst"][value="s1"]"#).await;
    audit.browser.click(r#"input[name="naam_delen"][value="ja"]"#).await;
    audit.click_through(r#"button[value="submit"]"#).await;
    audit.browser.wait_for_text("Nog nodig voor uw accreditatie").await;
    audit.check("aangemeld, accreditatie nog nodig", Source::Dom).await;

    audit.browser.type_into("#veld-voorletters", "ja").await;
    audit.browser.type_into("#veld-achternaam", "Arts").await;
    audit.browser.type_into("#veld-big", "12345678").await;
    audit.click_through("form.accreditation button[type=submit]").await;
    audit.browser.wait_for_text("error-summary").await;
    audit.check("accreditatie met fout", Source::Dom).await;

    audit.browser.client().goto(&format!("{link}/gegevens")).await.expect("the form's own page");
    audit.check("gegevens voor accreditatie", Source::Served).await;
    audit.finish().await;
}
