//! A real Chromium, driven through chromedriver, answering a form on a phone-sized window.
//!
//! CI installs Debian's `chromium` and `chromium-driver` and sets `PEIL_REQUIRE_BROWSER=1`, so
//! there a missing browser fails the run; on a developer machine without it the test says it
//! skipped and passes.

use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;

use crate::helpers::{CONTACTS, TestApp, forms_dir, free_port};

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver on its own port with a fresh profile; killed when dropped.
pub(crate) struct Browser {
    driver: Child,
    client: Option<Client>,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// `None` when this machine has no chromedriver and CI did not ask for one.
    pub(crate) async fn start() -> Option<Browser> {
        if !std::path::Path::new(CHROMEDRIVER).exists() {
            assert!(
                std::env::var_os("PEIL_REQUIRE_BROWSER").is_none(),
                "{CHROMEDRIVER} is missing: apt-get install -y chromium chromium-driver"
            );
            eprintln!("skipped: no {CHROMEDRIVER} (apt-get install -y chromium chromium-driver)");
            return None;
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            // Its own process group, so the Chromium it starts can be ended with it.
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = tempfile::tempdir().expect("profile dir");
        let mut browser = Browser { driver, client: None, _profile: profile };
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-gpu".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--window-size=390,844".into(),
            format!("--user-data-dir={}", browser._profile.path().display()),
        ];
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), json!({ "binary": CHROMIUM, "args": args }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        let url = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            match ClientBuilder::new(connector.clone()).capabilities(capabilities.clone()).connect(&url).await
            {
                Ok(client) => {
                    browser.client = Some(client);
                    return Some(browser);
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
            }
        }
        panic!("chromedriver did not accept a session on {url}");
    }

    pub(crate) fn client(&self) -> &Client {
        self.client.as_ref().expect("a session")
    }

    pub(crate) async fn shown(&self, question: &str) -> bool {
        let css = format!(r#".question[data-question="{question}"]"#);
        self.client()
            .find(Locator::Css(&css))
            .await
            .expect("question box")
            .is_displayed()
            .await
            .expect("displayed")
    }

    pub(crate) async fn click(&self, css: &str) {
        self.client()
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("{css}: {e}"))
            .click()
            .await
            .expect("click");
    }

    pub(crate) async fn type_into(&self, css: &str, text: &str) {
        let field = self.client().find(Locator::Css(css)).await.unwrap_or_else(|e| panic!("{css}: {e}"));
        field.clear().await.expect("clear");
        field.send_keys(text).await.expect("type");
    }

    pub(crate) async fn script(&self, js: &str) -> serde_json::Value {
        self.client().execute(js, vec![]).await.expect("script")
    }

    /// Waits until the page shows `text` (a submit has loaded the next page).
    pub(crate) async fn wait_for_text(&self, text: &str) {
        for _ in 0..100 {
            if self.client().source().await.is_ok_and(|s| s.contains(text)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the page never showed {text:?}: {}", self.client().source().await.unwrap_or_default());
    }

    pub(crate) async fn fits_the_width(&self) -> bool {
        let js = "return document.documentElement.scrollWidth <= document.documentElement.clientWidth;";
        self.script(js).await == json!(true)
    }
}

impl Browser {
    /// Ends the session, which closes Chromium, before the driver goes.
    pub(crate) async fn quit(mut self) {
        if let Some(client) = self.client.take() {
            client.close().await.expect("the session ends");
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Killing chromedriver alone leaves its Chromium running (after a failed test, say):
        // end the whole process group.
        let group = format!("-{}", self.driver.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.driver.wait();
    }
}

const FORM: &str = r#"
title = "Samenwerking in de wijk"

[[pages]]
title = "Over uw werk"

[[pages.questions]]
id = "rol"
type = "single"
label = "Wat is uw rol?"
options = [{ value = "huisarts", label = "Huisarts" }, { value = "poh-ggz", label = "POH-GGZ" }]
required = true

[[pages.questions]]
id = "toelichting"
type = "text"
label = "Met welke patiënten werkt u vooral?"
show_if = "rol = 'poh-ggz'"
required = true

[[pages.questions]]
id = "uren"
type = "number"
decimal = true
label = "Hoeveel uur per week werkt u met ggz-patiënten?"
required = true
min = 0
max = 60

[[pages]]
title = "Uw oordeel"

[[pages.questions]]
id = "oordeel"
type = "scale"
label = "Hoe tevreden bent u over de samenwerking met het wijkteam?"
options = "tevreden5"
required = true
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_poh_ggz_answers_on_a_phone_with_live_conditions_and_clear_errors() {
    let Some(browser) = Browser::start().await else { return };
    let forms = forms_dir(&[("wijk", FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;
    let link = app.links(app.open_round("wijk", &["poh-ggz"], false).await).await.remove(0).url;

    browser.client().goto(&link).await.expect("open the link");
    browser.wait_for_text("Pagina 1 van 2").await;
    assert!(!browser.shown("toelichting").await, "hidden until its condition holds");
    browser.click(r#"input[name="rol"][value="poh-ggz"]"#).await;
    assert!(browser.shown("toelichting").await, "shown as soon as POH-GGZ is chosen");
    let hint = browser
        .script(
            "return [document.getElementById('q-toelichting-only-if').hidden,
                     document.getElementById('q-toelichting').getAttribute('aria-describedby')];",
        )
        .await;
    assert_eq!(hint, json!([true, null]), "the question comes and goes: no line to say when it applies");
    browser.click(r#"input[name="rol"][value="huisarts"]"#).await;
    assert!(!browser.shown("toelichting").await, "hidden again for a huisarts");
    browser.click(r#"input[name="rol"][value="poh-ggz"]"#).await;
    assert!(browser.fits_the_width().await, "no sideways scrolling at 390 px");

    // Sending with two required answers missing: the summary takes the focus and links to them.
    browser.click(r#"button[value="next"]"#).await;
    browser.wait_for_text("Er zijn 2 antwoorden nog niet goed").await;
    let focused = browser.script("return document.activeElement && document.activeElement.id;").await;
    assert_eq!(focused, json!("error-summary"), "a screen reader hears the errors first");
    assert!(browser.shown("toelichting").await, "the condition holds again after the reload");
    assert!(browser.fits_the_width().await, "the error page fits too");

    browser.type_into("#q-toelichting", "Jongeren met angstklachten").await;
    browser.type_into("#q-uren", "2,5").await;
    browser.click(r#"button[value="next"]"#).await;
    browser.wait_for_text("Pagina 2 van 2").await;
    browser.click(r#"input[name="oordeel"][value="4"]"#).await;
    browser.click(r#"button[value="submit"]"#).await;
    browser.wait_for_text("Uw antwoorden zijn opgeslagen.").await;

    let stored: String =
        sqlx::query_scalar("SELECT answers FROM responses").fetch_one(&app.pool).await.expect("one response");
    let stored: serde_json::Value = serde_json::from_str(&stored).expect("json");
    assert_eq!(
        stored,
        json!({"rol": "poh-ggz", "toelichting": "Jongeren met angstklachten", "uren": 2.5, "oordeel": 4.0})
    );
    browser.quit().await;
}

/// The werkgroep in a laptop-sized Chromium: logging in through the form, the round's charts
/// drawn inline under the strict CSP, and a pasted script that stays text.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_werkgroep_member_logs_in_and_reads_charts_and_free_text_in_chromium() {
    let Some(browser) = Browser::start().await else { return };
    let (app, round, _forms) = crate::results::pages::closed_round().await;
    app.create_user("lid@example.org", peil::accounts::Role::Werkgroep).await;
    let client = browser.client();
    client.set_window_size(1280, 900).await.expect("window size");
    client.goto(&format!("{}/werkgroep/ronde/{}", app.url, round.0)).await.expect("open the round");
    browser.wait_for_text("Inloggen").await;
    browser.type_into("#email", "lid@example.org").await;
    browser.type_into("#password", crate::helpers::PASSWORD).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("Resultaten per vraag").await;

    // Every chart is an inline SVG that the browser lays out at a real size.
    let drawn = browser
        .script(
            "return Array.from(document.querySelectorAll('figure.chart svg'))\
             .map(s => s.getBoundingClientRect()).filter(r => r.width > 300 && r.height > 50).length;",
        )
        .await;
    assert_eq!(drawn, json!(2), "the scale and the choice question each have a drawn chart");
    assert!(browser.fits_the_width().await);
    if let Ok(png) = client.screenshot().await {
        let _ = std::fs::write(std::env::temp_dir().join("peil-werkgroep-round.png"), png);
    }

    browser.click("a[href*='vrije-tekst/opmerking']").await;
    browser.wait_for_text("willekeurige volgorde").await;
    assert!(client.get_alert_text().await.is_err(), "no script ran: no alert is open");
    let items = browser
        .script("return Array.from(document.querySelectorAll('ul.free-text li')).map(li => li.textContent);")
        .await;
    assert!(items.as_array().expect("a list").iter().any(|t| t == "<script>alert(1)</script>"), "{items}");
    let scripts = browser.script("return document.querySelectorAll('main script').length;").await;
    assert_eq!(scripts, json!(0));
    browser.quit().await;
}
