//! The coordinator's day in a real Chromium, as issue 23 tells it, without a terminal: upload a
//! contact list with two mistakes, read the preview, fix it, import; try a form in its preview;
//! open a round for one wijk, seeing whom it reaches before confirming; watch the invitations go
//! out to an SMTP server on loopback that is down for a while and then up again; extend the
//! round; close it; read the results.

use chrono::Duration;
use fantoccini::Locator;
use peil::accounts::Role;
use peil::forms::Answer;
use peil::rounds::RoundId;
use peil::settings::Secret;

use crate::a11y::log_in;
use crate::browser::Browser;
use crate::helpers::{TestApp, free_port};
use crate::mail::smtp::SmtpServer;
use crate::results::{answers, submit};

const WITH_MISTAKES: &str = "Naam;E-mail adres;Rol;Praktijk;Wijk;Gemeente\r\n\
Anna de Vries;anna@example.org;huisarts;Praktijk Noord;noord;Stad\r\n\
Bram Bakker;bram@example.org;huisarts;Praktijk Noord;noord;Stad\r\n\
Cor Smit;cor@example.org;tandarts;Praktijk Noord;noord;Stad\r\n\
Dina Visser;dina@example.org;huisarts;Praktijk Zuid;zuid;Stad\r\n";

const FIXED: &str = "Naam;E-mail;Rol;Praktijk;Wijk;Gemeente\r\n\
Anna de Vries;anna@example.org;huisarts;Praktijk Noord;noord;Stad\r\n\
Bram Bakker;bram@example.org;huisarts;Praktijk Noord;noord;Stad\r\n\
Cor Smit;cor@example.org;poh-ggz;Praktijk Noord;noord;Stad\r\n\
Dina Visser;dina@example.org;huisarts;Praktijk Zuid;zuid;Stad\r\n";

async fn goto(browser: &Browser, app: &TestApp, path: &str) {
    browser.client().goto(&format!("{}{path}", app.url)).await.unwrap_or_else(|e| panic!("{path}: {e}"));
}

async fn page(browser: &Browser) -> String {
    browser.client().source().await.expect("the page")
}

async fn upload(browser: &Browser, app: &TestApp, file: &std::path::Path) {
    goto(browser, app, "/beheer/contacten/importeren").await;
    let input = browser.client().find(Locator::Css("#bestand")).await.expect("the file field");
    input.send_keys(&file.display().to_string()).await.expect("choose the file");
    browser.click(r#"form[action="/beheer/contacten/importeren"] button[type=submit]"#).await;
    browser.wait_for_text("Voorbeeld van de import").await;
}

/// The contact list: the first upload has a misnamed column and an unknown role; the preview
/// says so and writes nothing; the fixed file is imported.
async fn import_contacts(browser: &Browser, app: &TestApp) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (wrong, fixed) = (dir.path().join("contacten.csv"), dir.path().join("contacten-goed.csv"));
    std::fs::write(&wrong, WITH_MISTAKES).expect("write");
    std::fs::write(&fixed, FIXED).expect("write");
    upload(browser, app, &wrong).await;
    let preview = page(browser).await;
    assert!(preview.contains("2 problemen: er wordt niets geïmporteerd"), "{preview}");
    assert!(preview.contains("lijkt op"), "{preview}");
    assert!(preview.contains("Regel 4: Onbekende rol"), "{preview}");
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0, "the preview wrote nothing");

    upload(browser, app, &fixed).await;
    browser.wait_for_text("Importeren</button>").await;
    browser.click(r#"form[action="/beheer/contacten/importeren/bevestigen"] button[type=submit]"#).await;
    browser.wait_for_text("import-result").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 4);
}

/// The preview of a form: marked as one, and it stores nothing.
async fn try_a_form(browser: &Browser, app: &TestApp) {
    goto(browser, app, "/beheer/formulieren").await;
    browser.click(r#"a[href="/beheer/formulieren/crisisdienst/voorbeeld"]"#).await;
    browser.wait_for_text("Voorbeeld.</strong>").await;
    assert!(page(browser).await.contains("Samenwerking met de crisisdienst"));
    // The next page holds the same banner, so wait for a new document, not for the text.
    browser.script("window.peilPreviousPage = true; return null;").await;
    browser.click("form.questionnaire button[name=_nav][value=next], form button[type=submit]").await;
    crate::helpers::within(10, "the preview's next page", || async {
        let loaded = "return window.peilPreviousPage === undefined && document.readyState === 'complete';";
        (browser.script(loaded).await == serde_json::json!(true)).then_some(())
    })
    .await;
    browser.wait_for_text("Voorbeeld.</strong>").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM rounds").await, 0);
}

/// A round of the crisisdienst form for the huisartsen of Noord: the page lists Anna and Bram
/// before anything is opened, and opens it on "Bevestigen".
async fn open_for_noord(browser: &Browser, app: &TestApp) -> RoundId {
    goto(browser, app, "/beheer/rondes/nieuw").await;
    let closes = (peil::time::amsterdam_date(app.now()) + Duration::days(14)).format("%Y-%m-%d").to_string();
    browser
        .script(&format!(
            "document.getElementById('formulier').value = 'crisisdienst';
             document.querySelector('input[name=rol][value=huisarts]').checked = true;
             document.querySelector('input[name=wijk][value=noord]').checked = true;
             document.getElementById('datum').value = '{closes}';
             return true;"
        ))
        .await;
    browser.click(r#"form[action="/beheer/rondes/nieuw"] button[type=submit]"#).await;
    browser.wait_for_text("Deze ronde bereikt 2 mensen").await;
    let preview = page(browser).await;
    assert!(preview.contains("anna@example.org") && preview.contains("bram@example.org"), "{preview}");
    assert!(!preview.contains("dina@example.org") && !preview.contains("cor@example.org"), "{preview}");
    assert_eq!(app.count("SELECT COUNT(*) FROM rounds").await, 0, "nothing opened before confirming");

    browser.click(r#"form[action="/beheer/rondes/nieuw"] input[name=bevestigd] ~ div button"#).await;
    browser.wait_for_text("Verlengen</h2>").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 2);
    RoundId(app.count("SELECT MAX(id) FROM rounds").await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_runs_a_round_in_the_browser_from_the_contact_list_to_its_results() {
    let Some(browser) = Browser::start().await else { return };
    let mut relay = SmtpServer::on(free_port());
    let smtp = relay.url();
    let app = TestApp::spawn_configured(|s| s.smtp_url = Some(Secret::new(smtp))).await;
    app.create_user("beheer@example.org", Role::Admin).await;
    browser.client().set_window_size(1280, 900).await.expect("window size");
    log_in(&browser, &app.url, "beheer@example.org").await;

    import_contacts(&browser, &app).await;
    try_a_form(&browser, &app).await;
    let round = open_for_noord(&browser, &app).await;

    // The relay is down: the invitations wait, and the mail page says why and when next.
    app.deliver_pending_mail().await;
    goto(&browser, &app, "/beheer/mail").await;
    browser.wait_for_text("2 mail(s) wachten op verzending").await;
    assert!(page(&browser).await.contains("Laatste fout"));
    // Up again: the next attempt delivers both.
    relay.start().await;
    app.clock.advance(Duration::minutes(2));
    app.deliver_pending_mail().await;
    goto(&browser, &app, "/beheer/mail").await;
    browser.wait_for_text("Er wacht geen mail en er is geen mail mislukt.").await;
    let mut to: Vec<String> = relay.received().iter().flat_map(|m| m.to.clone()).collect();
    to.sort();
    assert_eq!(to, ["anna@example.org", "bram@example.org"]);

    // Extend by a week, on the round's page.
    let closes_before: String = sqlx::query_scalar("SELECT closes_at FROM rounds WHERE id = $1")
        .bind(round.0)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    goto(&browser, &app, &format!("/beheer/rondes/{round}")).await;
    let later = (peil::time::amsterdam_date(app.now()) + Duration::days(21)).format("%Y-%m-%d").to_string();
    browser.script(&format!("document.getElementById('datum').value = '{later}'; return true;")).await;
    browser.click(&format!(r#"form[action="/beheer/rondes/{round}/verlengen"] button"#)).await;
    browser.wait_for_text("round-result").await;
    let closes_after: String = sqlx::query_scalar("SELECT closes_at FROM rounds WHERE id = $1")
        .bind(round.0)
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(closes_after > closes_before, "{closes_before} -> {closes_after}");

    // Both huisartsen answer; then the coordinator closes the round, after the question.
    for link in app.links(round).await {
        submit(&app, round, &link.url, answers(&[("contact", Answer::Bool(true))])).await;
    }
    browser.click(&format!(r#"form[action="/beheer/rondes/{round}/sluiten"] button"#)).await;
    browser.wait_for_text("Ja, nu sluiten").await;
    browser.click(&format!(r#"form[action="/beheer/rondes/{round}/sluiten"] button"#)).await;
    browser.wait_for_text("round-result").await;
    assert!(!peil::rounds::load(&app.pool, round).await.unwrap().is_open(app.now()), "closed now");

    // The results, from the staff header's "Resultaten".
    browser.click(r#"nav.account a[href="/werkgroep"]"#).await;
    browser.click(&format!(r#"a[href="/werkgroep/ronde/{round}"]"#)).await;
    browser.wait_for_text("respondenten").await;
    let results = page(&browser).await;
    assert!(results.contains("Samenwerking met de crisisdienst"), "{results}");
    assert!(!results.contains("te weinig antwoorden om te tonen"), "two answers are enough here: {results}");
    browser.quit().await;
}
