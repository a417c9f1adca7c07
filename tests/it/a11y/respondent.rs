//! Every page a respondent can meet, checked with axe and vnu: the home and login pages, each
//! shipped form's first page (and its errors), a whole answer to the thank-you page, a closed
//! round, sign-up and open registration, unsubscribing, the one-time account links and the
//! error pages.

use chrono::{Duration, Utc};
use peil::rounds::{self, OpenRequest};

use super::{Audit, Source};
use crate::helpers::{CONTACTS, TestApp, forms_dir};

/// A form of two pages with each kind of field a respondent types into or chooses from.
pub(crate) const FORM: &str = r#"
title = "Bereikbaarheid van de praktijk"

[[pages]]
title = "Uw praktijk"

[[pages.questions]]
id = "rol"
type = "single"
label = "Wat is uw functie?"
options = [{ value = "huisarts", label = "Huisarts" }, { value = "assistent", label = "Doktersassistent" }]
required = true

[[pages.questions]]
id = "kanalen"
type = "multi"
label = "Hoe bereiken patiënten u?"
options = [{ value = "telefoon", label = "Telefoon" }, { value = "app", label = "App" }]
other = true

[[pages.questions]]
id = "uren"
type = "number"
label = "Hoeveel uur per dag is de praktijk telefonisch bereikbaar?"
required = true
min = 0
max = 24

[[pages]]
title = "Uw oordeel"

[[pages.questions]]
id = "oordeel"
type = "scale"
label = "Hoe tevreden bent u over de bereikbaarheid?"
options = "tevreden5"
required = true

[[pages.questions]]
id = "toelichting"
type = "textarea"
label = "Wilt u dit toelichten?"
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_respondent_page_passes_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let forms = forms_dir(&[("bereik", FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;

    // Before any account exists: the home page, the first administrator's link, the login page.
    let setup = peil::accounts::setup::first_start_link(&app.db, app.now())
        .await
        .expect("setup link")
        .expect("no users yet");
    visit(&mut audit, &app, "/", "home").await;
    visit(&mut audit, &app, "/toegankelijkheid", "toegankelijkheid").await;
    visit(&mut audit, &app, &setup, "setup").await;
    audit.click_through("button[type=submit]").await;
    audit.browser.wait_for_text("error-summary").await;
    audit.check("setup met fout", Source::Dom).await;
    let password = peil::accounts::add_user(
        &app.db,
        "nieuw@example.org",
        peil::accounts::Role::Werkgroep,
        None,
        app.now(),
    )
    .await
    .expect("a user");
    visit(&mut audit, &app, &password, "wachtwoord").await;
    audit.browser.type_into("#password", "een lange zin als wachtwoord").await;
    audit.browser.type_into("#repeat", "een andere lange zin als wachtwoord").await;
    audit.click_through("button[type=submit]").await;
    audit.browser.wait_for_text("password-error").await;
    audit.check("wachtwoord met fout", Source::Dom).await;
    visit(&mut audit, &app, "/inloggen", "inloggen").await;
    audit.browser.type_into("#email", "nieuw@example.org").await;
    audit.browser.type_into("#password", "fout wachtwoord").await;
    audit.browser.click("button[type=submit]").await;
    audit.browser.wait_for_text("login-error").await;
    audit.check("inloggen met fout", Source::Dom).await;

    answer_the_form(&mut audit, &app).await;
    error_pages(&mut audit, &app).await;
    audit.finish().await;
}

/// Opens `path` in the browser and checks the page, as served.
async fn visit(audit: &mut Audit, app: &TestApp, path: &str, name: &str) {
    let url = if path.starts_with("http") { path.to_owned() } else { format!("{}{path}", app.url) };
    audit.browser.client().goto(&url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
    audit.check(name, Source::Served).await;
}

/// The whole way through the form: page 1, its errors, page 2, the thank-you page, then the
/// unsubscribe page; and a closed round.
async fn answer_the_form(audit: &mut Audit, app: &TestApp) {
    let link = app.links(app.open_round("bereik", &["huisarts"], false).await).await.remove(0).url;
    visit(audit, app, &link, "vragenlijst pagina 1").await;
    let page = audit.browser.client().current_url().await.expect("url").to_string();
    audit.click_through(r#"button[value="next"]"#).await;
    audit.browser.wait_for_text("error-summary").await;
    audit.check("vragenlijst met fouten", Source::Dom).await;
    audit.browser.click(r#"input[name="rol"][value="huisarts"]"#).await;
    audit.browser.type_into("#q-uren", "8").await;
    audit.browser.click(r#"button[value="next"]"#).await;
    audit.browser.wait_for_text("Pagina 2 van 2").await;
    audit.check("vragenlijst pagina 2", Source::Dom).await;
    audit.browser.click(r#"input[name="oordeel"][value="4"]"#).await;
    audit.browser.click(r#"button[value="submit"]"#).await;
    audit.browser.wait_for_text("Uw antwoorden zijn opgeslagen.").await;
    audit.check("bedankt", Source::Dom).await;
    visit(audit, app, &format!("{page}/afmelden"), "afmelden").await;
    audit.click_through("button[type=submit]").await;
    audit.browser.wait_for_text("U bent afgemeld").await;
    audit.check("afgemeld", Source::Dom).await;

    let round = app.open_round("bereik", &["poh-ggz"], false).await;
    let closed = app.links(round).await.remove(0).url;
    crate::results::close(app, round, "2026-01-05T07:00:00Z", "2026-01-19T07:00:00Z").await;
    visit(audit, app, &closed, "gesloten ronde").await;
}

/// 404; 403 (an `/antwoord/` address opened without its cookie); 400 (a form of more fields
/// than peil reads, posted from the answer page).
async fn error_pages(audit: &mut Audit, app: &TestApp) {
    visit(audit, app, "/bestaat-niet", "404").await;
    let link = app.links(app.open_round("bereik", &["huisarts"], false).await).await.remove(1).url;
    audit.browser.client().goto(&link).await.expect("the link");
    let js = "const form = document.createElement('form');
              form.method = 'post';
              form.action = location.pathname;
              for (let i = 0; i < 2500; i++) {
                const field = document.createElement('input');
                field.type = 'hidden'; field.name = 'f' + i; field.value = '1';
                form.appendChild(field);
              }
              document.body.appendChild(form);
              form.submit();";
    audit.browser.script(js).await;
    audit.browser.wait_for_text("Dit verzoek klopt niet").await;
    audit.check("400 te veel velden", Source::Dom).await;
    let copied = audit.browser.client().current_url().await.expect("url").to_string();
    audit.browser.client().delete_all_cookies().await.expect("cookies go");
    visit(audit, app, &copied, "403 gekopieerd adres").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_up_and_open_registration_pages_pass_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let app = TestApp::spawn().await;
    app.import_contacts(&crate::signup::poh_contacts(2)).await;
    let (round, registration) = crate::signup::open_registration(&app, 2).await;
    let link = app.links(round).await.remove(0).url;
    visit(&mut audit, &app, &link, "aanmelden").await;
    audit.browser.click(r#"button[value="submit"]"#).await;
    audit.browser.wait_for_text("error-summary").await;
    audit.check("aanmelden met fouten", Source::Dom).await;
    audit.browser.click(r#"input[name="bijeenkomst"][value="s1"]"#).await;
    // The consent to share one's name is left unticked: it does not block the sign-up.
    audit.click_through(r#"button[value="submit"]"#).await;
    audit.browser.wait_for_text("Uw aanmelding").await;
    audit.check("aangemeld", Source::Dom).await;
    visit(&mut audit, &app, &link, "aanmelding status").await;
    audit.browser.click(r#"a[href*="/plaats/"]"#).await;
    audit.browser.wait_for_text("Ja, meld mij af").await;
    audit.check("plaats afzeggen", Source::Served).await;
    // Cancelling offers the round's sessions again; choosing one leads back to the seats.
    audit.click_through("button.primary").await;
    audit.browser.wait_for_text("U bent afgemeld.").await;
    audit.check("afgemeld, opnieuw kiezen", Source::Dom).await;
    audit.click_through(r#"form[action$="/kiezen"] button"#).await;
    audit.browser.wait_for_text("U bent aangemeld voor").await;
    audit.check("opnieuw gekozen", Source::Dom).await;
    visit(&mut audit, &app, &registration, "open inschrijving").await;
    audit.click_through("button[type=submit]").await;
    audit.browser.wait_for_text("error-summary").await;
    audit.check("open inschrijving met fouten", Source::Dom).await;
    audit.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_shipped_form_passes_axe_and_the_html_checker_with_and_without_errors() {
    let Some(mut audit) = Audit::start().await else { return };
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let mut ids: Vec<String> = app.forms.iter().map(|f| f.id.to_string()).collect();
    ids.sort();
    for id in ids {
        let request = OpenRequest {
            form_id: id.clone(),
            roles: vec!["huisarts".into()],
            wijken: vec![],
            gemeenten: vec![],
            practices: vec![],
            closes_at: Utc::now() + Duration::days(7),
            anonymous: false,
            occurrence: None,
        };
        let Ok(opened) = rounds::open(&app.db, &app.forms, &app.secret, &request, app.now()).await else {
            continue;
        };
        let link = app.links(opened.round).await.remove(0).url;
        visit(&mut audit, &app, &link, &id).await;
        audit.click_through("button.primary").await;
        audit.check(&format!("{id} na versturen"), Source::Dom).await;
    }
    audit.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_says_an_answer_is_not_anonymous_passes_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let form = "title = \"Terugblik\"\nanonymous = true\n[[questions]]\nid = \"contact\"\ntype = \"email\"\n\
                label = \"Uw e-mailadres\"\nlabel_en = \"Your e-mail address\"\n";
    let forms = forms_dir(&[("terugblik", form)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;
    let link = app.links(app.open_round("terugblik", &["huisarts"], true).await).await.remove(0).url;
    visit(&mut audit, &app, &link, "niet anoniem").await;
    audit.finish().await;
}
