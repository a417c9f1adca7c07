//! The contact pages, checked with axe and vnu, logged in through the login form: the list, a
//! contact's page and its edit refused, the import form, a preview with problems, a clean preview
//! and the import's result; and the list and a contact's page at 320 px without sideways
//! scrolling.

use peil::accounts::Role;

use super::{Audit, Source, log_in};
use crate::helpers::{CONTACTS, TestApp};

const WITH_PROBLEMS: &str = "Naam;E-mail adres;Rol\nAnna;anna@example.org;huisarts\n";
const CLEAN: &str = "naam;e-mail;rol;praktijk;wijk;gemeente\n\
                     Eva Jansen;eva@example.org;poh-ggz;Praktijk Zuid;zuid;Stad\n\
                     Anna de Vries;anna@example.org;huisarts;Praktijk Noord;noord;Stad\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_contacts_page_passes_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    app.open_round("wachttijden", &["huisarts"], false).await;
    sqlx::query("UPDATE contacts SET opted_out = 1 WHERE email = 'anna@example.org'")
        .execute(&app.pool)
        .await
        .expect("opt out");
    let anna: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE email = 'anna@example.org'")
        .fetch_one(&app.pool)
        .await
        .expect("anna");
    app.create_user("beheer@example.org", Role::Admin).await;
    audit.browser.client().set_window_size(1280, 900).await.expect("window size");
    log_in(&audit.browser, &app.url, "beheer@example.org").await;
    let url = &app.url;

    for (path, name) in [
        ("/beheer/contacten".to_string(), "contacten"),
        ("/beheer/contacten?rol=huisarts&wijk=noord&afgemeld=ja".to_string(), "contacten gefilterd"),
        ("/beheer/contacten?zoek=niemand".to_string(), "contacten zonder uitkomst"),
        (format!("/beheer/contacten/{anna}"), "contact"),
    ] {
        audit.browser.client().goto(&format!("{url}{path}")).await.expect("open");
        audit.check(name, Source::Served).await;
    }

    // Anna's page is open: an address another contact has is refused.
    audit.browser.type_into("#veld-email", "bram@example.org").await;
    audit.click_through(&format!(r#"form[action="/beheer/contacten/{anna}"] button[type=submit]"#)).await;
    audit.browser.wait_for_text("fout-email").await;
    audit.check("contact wijzigen met fout", Source::Dom).await;

    audit.browser.client().goto(&format!("{url}/beheer/contacten/importeren")).await.expect("open");
    audit.check("importeren", Source::Served).await;
    audit.browser.type_into("#tekst", WITH_PROBLEMS).await;
    audit.click_through(r#"form[action="/beheer/contacten/importeren"] button[type=submit]"#).await;
    audit.browser.wait_for_text("probleemlijst").await;
    audit.check("voorbeeld met problemen", Source::Dom).await;

    audit.browser.client().goto(&format!("{url}/beheer/contacten/importeren")).await.expect("open");
    audit.browser.type_into("#tekst", CLEAN).await;
    audit.click_through(r#"form[action="/beheer/contacten/importeren"] button[type=submit]"#).await;
    audit.browser.wait_for_text("Importeren</button>").await;
    audit.check("voorbeeld zonder problemen", Source::Dom).await;
    audit
        .click_through(r#"form[action="/beheer/contacten/importeren/bevestigen"] button[type=submit]"#)
        .await;
    audit.browser.wait_for_text("import-result").await;
    audit.check("geïmporteerd", Source::Dom).await;

    audit.browser.client().set_window_size(320, 800).await.expect("window size");
    for path in ["/beheer/contacten".to_string(), format!("/beheer/contacten/{anna}")] {
        audit.browser.client().goto(&format!("{url}{path}")).await.expect("open");
        assert!(audit.browser.fits_the_width().await, "{path} scrolls sideways at 320 px");
    }
    audit.finish().await;
}
