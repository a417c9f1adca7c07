//! The coordinator's import in a real Chromium, as the issue tells it: upload a CSV with two
//! mistakes, read the preview, fix the file, upload it again, import; then find the new contact in
//! the list and open their page.

use fantoccini::Locator;
use peil::accounts::Role;

use crate::a11y::log_in;
use crate::browser::Browser;
use crate::helpers::{CONTACTS, TestApp};

const WITH_MISTAKES: &str = "Naam;E-mail adres;Rol;Praktijk;Wijk;Gemeente\r\n\
Eva Jansen;eva@example.org;poh-ggz;Praktijk Zuid;zuid;Stad\r\n\
Fien Smit;fien@example.org;tandarts;Praktijk Noord;noord;Stad\r\n";
const FIXED: &str = "Naam;E-mail;Rol;Praktijk;Wijk;Gemeente\r\n\
Eva Jansen;eva@example.org;poh-ggz;Praktijk Zuid;zuid;Stad\r\n\
Fien Smit;fien@example.org;huisarts;Praktijk Noord;noord;Stad\r\n";

async fn upload(browser: &Browser, url: &str, file: &std::path::Path) {
    browser.client().goto(&format!("{url}/beheer/contacten/importeren")).await.expect("the import page");
    let input = browser.client().find(Locator::Css("#bestand")).await.expect("the file field");
    input.send_keys(&file.display().to_string()).await.expect("choose the file");
    browser.click(r#"form[action="/beheer/contacten/importeren"] button[type=submit]"#).await;
    browser.wait_for_text("Voorbeeld van de import").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_fixes_a_list_with_two_mistakes_and_imports_it_in_chromium() {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    app.create_user("beheer@example.org", Role::Admin).await;
    log_in(&browser, &app.url, "beheer@example.org").await;
    let dir = tempfile::tempdir().expect("temp dir");
    let (wrong, fixed) = (dir.path().join("contacten.csv"), dir.path().join("contacten-verbeterd.csv"));
    std::fs::write(&wrong, WITH_MISTAKES).expect("write");
    std::fs::write(&fixed, FIXED).expect("write");

    upload(&browser, &app.url, &wrong).await;
    let page = browser.client().source().await.expect("the page");
    assert!(page.contains("2 problemen: er wordt niets geïmporteerd"), "{page}");
    assert!(page.contains("lijkt op"), "{page}");
    assert!(page.contains("Regel 3: Onbekende rol"), "{page}");
    assert!(!page.contains("Importeren</button>"), "no import with problems");
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 4);

    upload(&browser, &app.url, &fixed).await;
    browser.wait_for_text("Importeren</button>").await;
    let counts = browser.script("return ['nieuw', 'gewijzigd', 'ongewijzigd'].map(id => document.getElementById(id).textContent);").await;
    assert_eq!(counts, serde_json::json!(["2", "0", "0"]));
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 4, "the preview wrote nothing");
    browser.click(r#"form[action="/beheer/contacten/importeren/bevestigen"] button[type=submit]"#).await;
    browser.wait_for_text("import-result").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 6);

    browser.client().goto(&format!("{}/beheer/contacten", app.url)).await.expect("the list");
    browser.type_into("#zoek", "fien").await;
    browser.click(r#"form[action="/beheer/contacten"] button[type=submit]"#).await;
    browser.wait_for_text("1 contact").await;
    browser.click("table.list a").await;
    browser.wait_for_text("<h1>Fien Smit</h1>").await;
    browser.quit().await;
}
