//! Without a mouse and without room: a form answered, and a round opened by a coordinator, with
//! the keyboard alone, with the focus visible at every step; and respondent and werkgroep pages
//! at 320 px wide and at 200% zoom (640 CSS px in a 1280 px window) with nothing to scroll
//! sideways.

use fantoccini::key::Key;
use serde_json::json;

use super::respondent::FORM;
use super::{Audit, log_in};
use crate::browser::Browser;
use crate::helpers::{CONTACTS, TestApp, forms_dir};

/// Presses `key` on whatever has the focus.
async fn press(browser: &Browser, key: Key) {
    let focused = browser.client().active_element().await.expect("a focused element");
    focused.send_keys(&key.to_string()).await.expect("a key press");
}

/// Tabs forward until the focused element matches `css`; panics after 30 presses.
async fn tab_to(browser: &Browser, css: &str) {
    let matches = format!("return !!document.activeElement && document.activeElement.matches({css:?});");
    for _ in 0..30 {
        press(browser, Key::Tab).await;
        if browser.script(&matches).await == json!(true) {
            assert_focus_is_visible(browser, css).await;
            return;
        }
    }
    panic!("30 presses of Tab never reached {css}");
}

async fn assert_focus_is_visible(browser: &Browser, what: &str) {
    // The outline's contrast with the background behind the element (WCAG 1.4.11: 3:1).
    let js = "const el = document.activeElement, s = getComputedStyle(el);
              const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
              const lum = c => { const v = rgb(c).slice(0, 3).map(x => x / 255)
                .map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
                return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
              let back = 'rgb(255, 255, 255)';
              for (let e = el.parentElement; e; e = e.parentElement) {
                const b = getComputedStyle(e).backgroundColor, a = rgb(b);
                if (a.length === 3 || (a.length === 4 && a[3] > 0)) { back = b; break; }
              }
              const [hi, lo] = [lum(s.outlineColor), lum(back)].sort((x, y) => y - x);
              return { outline: s.outlineStyle + ' ' + s.outlineWidth, shadow: s.boxShadow,
                       contrast: (hi + 0.05) / (lo + 0.05) };";
    let style = browser.script(js).await;
    let outline = style["outline"].as_str().unwrap_or_default();
    let outlined = !outline.starts_with("none") && !outline.ends_with(" 0px");
    assert!(outlined, "the focus on {what} has no outline: {style}");
    let contrast = style["contrast"].as_f64().unwrap_or_default();
    assert!(contrast >= 3.0, "the focus ring on {what} stands out too little from its background: {style}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_respondent_completes_a_form_with_the_keyboard_alone() {
    let Some(audit) = Audit::start().await else { return };
    let browser = &audit.browser;
    let forms = forms_dir(&[("bereik", FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;
    let link = app.links(app.open_round("bereik", &["huisarts"], false).await).await.remove(0).url;
    browser.client().goto(&link).await.expect("open the link");
    browser.wait_for_text("Pagina 1 van 2").await;

    tab_to(browser, "a.skip").await;
    tab_to(browser, r#"input[name="rol"]"#).await;
    press(browser, Key::Space).await;
    press(browser, Key::Down).await;
    tab_to(browser, r#"input[name="kanalen"][value="telefoon"]"#).await;
    press(browser, Key::Space).await;
    tab_to(browser, "#q-uren").await;
    browser.client().active_element().await.expect("focus").send_keys("9").await.expect("type");
    press(browser, Key::Enter).await;
    browser.wait_for_text("Pagina 2 van 2").await;

    tab_to(browser, r#"input[name="oordeel"]"#).await;
    press(browser, Key::Space).await;
    press(browser, Key::Right).await;
    tab_to(browser, "#q-toelichting").await;
    browser
        .client()
        .active_element()
        .await
        .expect("focus")
        .send_keys("Alleen met het toetsenbord")
        .await
        .expect("type");
    tab_to(browser, r#"button[value="submit"]"#).await;
    press(browser, Key::Enter).await;
    browser.wait_for_text("Uw antwoorden zijn opgeslagen.").await;

    let stored: String =
        sqlx::query_scalar("SELECT answers FROM responses").fetch_one(&app.pool).await.expect("one response");
    let stored: serde_json::Value = serde_json::from_str(&stored).expect("json");
    assert_eq!(
        stored["rol"],
        json!("assistent"),
        "Space chose the first option, the arrow the second: {stored}"
    );
    assert_eq!(stored["kanalen"], json!(["telefoon"]), "{stored}");
    assert_eq!(stored["uren"], json!(9.0), "{stored}");
    assert_eq!(stored["oordeel"], json!(2.0), "Space chose 1, the arrow 2: {stored}");
    assert_eq!(stored["toelichting"], json!("Alleen met het toetsenbord"), "{stored}");
    audit.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_werkgroep_member_logs_in_and_reaches_a_round_with_the_keyboard_alone() {
    let Some(audit) = Audit::start().await else { return };
    let browser = &audit.browser;
    let (app, _round, _forms) = crate::results::pages::closed_round().await;
    app.create_user("lid@example.org", peil::accounts::Role::Werkgroep).await;
    browser.client().set_window_size(1280, 900).await.expect("window size");
    browser.client().goto(&format!("{}/werkgroep", app.url)).await.expect("open");
    browser.wait_for_text("Inloggen").await;

    tab_to(browser, "a.skip").await;
    press(browser, Key::Enter).await;
    let focused = browser.script("return document.activeElement.id;").await;
    assert_eq!(focused, json!("inhoud"), "the skip link moves the focus to the content");
    tab_to(browser, "#email").await;
    browser.client().active_element().await.expect("focus").send_keys("lid@example.org").await.expect("type");
    tab_to(browser, "#password").await;
    let password = browser.client().active_element().await.expect("focus");
    password.send_keys(crate::helpers::PASSWORD).await.expect("type");
    press(browser, Key::Enter).await;
    browser.wait_for_text("Uitloggen").await;

    tab_to(browser, r#"a[href^="/werkgroep/ronde/"]"#).await;
    press(browser, Key::Enter).await;
    browser.wait_for_text("Resultaten per vraag").await;
    tab_to(browser, "div.table-scroll").await;
    tab_to(browser, "select#wijk").await;
    tab_to(browser, r#"a[href*="/vrije-tekst/"]"#).await;
    press(browser, Key::Enter).await;
    browser.wait_for_text("willekeurige volgorde").await;
    tab_to(browser, "button.secondary").await;
    press(browser, Key::Enter).await;
    browser.wait_for_text("Inloggen").await;
    audit.browser.quit().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn respondent_and_werkgroep_pages_fit_320_px_and_200_percent_zoom() {
    let Some(audit) = Audit::start().await else { return };
    let browser = &audit.browser;
    let (app, round, _forms) = crate::results::pages::closed_round().await;
    let forms = forms_dir(&[("bereik", FORM)]);
    let respondents = TestApp::spawn_with_forms(forms.path()).await;
    respondents.import_contacts(CONTACTS).await;
    let link =
        respondents.links(respondents.open_round("bereik", &["huisarts"], false).await).await.remove(0).url;
    app.create_user("beheer@example.org", peil::accounts::Role::Admin).await;
    log_in(browser, &app.url, "beheer@example.org").await;

    let round = round.0;
    let pages = [
        format!("{}/", app.url),
        format!("{}/inloggen", app.url),
        format!("{}/toegankelijkheid", app.url),
        link,
        format!("{}/werkgroep", app.url),
        format!("{}/werkgroep/ronde/{round}", app.url),
        format!("{}/werkgroep/ronde/{round}/rapport", app.url),
        format!("{}/werkgroep/ronde/{round}/vrije-tekst/opmerking", app.url),
        format!("{}/beheer", app.url),
        format!("{}/beheer/gebruikers", app.url),
        format!("{}/beheer/logboek", app.url),
    ];
    let mut too_wide = vec![];
    for (width, text) in SIZES {
        browser.client().set_window_size(width, 900).await.expect("window size");
        for url in &pages {
            browser.client().goto(url).await.expect("open");
            too_wide.extend(sideways(browser, url, text).await);
            too_wide.extend(broken_words(browser, url, width, text).await);
            if url.contains("/r/") {
                browser.click(r#"button[value="next"]"#).await;
                browser.wait_for_text("error-summary").await;
                too_wide.extend(sideways(browser, "the form with its errors", text).await);
            }
        }
    }
    assert!(too_wide.is_empty(), "pages that scroll sideways or break words:\n{}", too_wide.join("\n"));
    audit.browser.quit().await;
}

/// The words of the staff tables (`table.list`) that the layout broke over two lines
/// ("Wach-twoo-rd" at 375 px); `None` when every word is whole. A hyphen or a slash of the text
/// itself is a place where a line may end ("contacten-2026.csv", a path), so a word is what lies
/// between spaces, hyphens and slashes.
pub(crate) async fn broken_words(browser: &Browser, page: &str, width: u32, text: u32) -> Option<String> {
    let js = "const broken = [];
              for (const cell of document.querySelectorAll('table.list th, table.list td')) {
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                  for (const m of node.data.matchAll(/[^\\s\\/-]+[\\/-]?/g)) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    if (lines.size > 1) broken.push(m[0]);
                  }
                }
              }
              return broken;";
    let broken = browser.script(js).await;
    let none = broken.as_array().is_none_or(Vec::is_empty);
    (!none).then(|| format!("{page} at {width} px, text at {text}%: words broken in a table: {broken}"))
}

/// Window widths, each with the text size: 320 CSS px; 1280 px at 200% zoom, which lays out as
/// 640 CSS px; and 1280 px with only the text at 200%.
pub(crate) const SIZES: [(u32, u32); 3] = [(320, 100), (640, 100), (1280, 200)];

/// What sticks out sideways on the page shown, with the text at `text` percent; `None` when
/// the page fits.
pub(crate) async fn sideways(browser: &Browser, page: &str, text: u32) -> Option<String> {
    browser.script(&format!("document.documentElement.style.fontSize = '{text}%'; return null;")).await;
    if browser.fits_the_width().await {
        return None;
    }
    let js = "const page = document.documentElement;
              const wide = Array.from(document.querySelectorAll('body *'))
                .filter(e => e.getBoundingClientRect().right > page.clientWidth + 1);
              return [window.innerWidth, page.scrollWidth, page.clientWidth,
                wide.slice(0, 5).map(e => e.tagName + '.' + e.className)];";
    Some(format!(
        "{page} with text at {text}% (inner width, scroll width, client width, widest): {}",
        browser.script(js).await
    ))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_opens_a_round_for_one_wijk_with_the_keyboard_alone() {
    let Some(audit) = Audit::start().await else { return };
    let browser = &audit.browser;
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    app.create_user("beheer@example.org", peil::accounts::Role::Admin).await;
    browser.client().set_window_size(1280, 900).await.expect("window size");
    log_in(browser, &app.url, "beheer@example.org").await;
    browser.client().goto(&format!("{}/beheer", app.url)).await.expect("open");

    tab_to(browser, r#"a[href="/beheer/rondes"]"#).await;
    press(browser, Key::Enter).await;
    browser.wait_for_text("Nieuwe ronde").await;
    tab_to(browser, r#"a[href="/beheer/rondes/nieuw"]"#).await;
    press(browser, Key::Enter).await;
    browser.wait_for_text("Bekijk wie de ronde bereikt").await;
    tab_to(browser, "select#formulier").await;
    press(browser, Key::Down).await;
    tab_to(browser, r#"input[name=rol][value=huisarts]"#).await;
    press(browser, Key::Space).await;
    tab_to(browser, r#"input[name=wijk][value=noord]"#).await;
    press(browser, Key::Space).await;
    tab_to(browser, "button.primary, button.secondary").await;
    press(browser, Key::Enter).await;
    browser.wait_for_text("Deze ronde bereikt 2 mensen").await;
    assert_eq!(app.count("SELECT COUNT(*) FROM rounds").await, 0, "nothing opened before confirming");

    tab_to(browser, r#"input[name=bevestigd] ~ div button"#).await;
    press(browser, Key::Enter).await;
    browser.wait_for_text("Verlengen</h2>").await;
    let invited: Vec<String> = sqlx::query_scalar(
        "SELECT c.email FROM invitations i JOIN contacts c ON c.id = i.contact_id ORDER BY c.email",
    )
    .fetch_all(&app.pool)
    .await
    .expect("invitations");
    assert_eq!(invited, ["anna@example.org", "bram@example.org"], "the huisartsen of Noord");
    audit.browser.quit().await;
}
