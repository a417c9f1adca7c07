//! Every werkgroep and beheer page, checked with axe and vnu, logged in through the login form:
//! the overview, a round's results (filtered too), its report and free text, the trend of a job,
//! and the beheer pages (the start page; adding, removing and changing accounts, with their
//! messages).

use std::sync::Arc;

use chrono::{Duration, Utc};
use peil::accounts::Role;
use peil::forms::Answer;
use peil::schedule::Scheduler;
use peil::time::clock::ManualClock;

use super::{Audit, Source, log_in};
use crate::helpers::{TestApp, repo};
use crate::results::{answers, close, huisartsen, submit};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_werkgroep_and_beheer_page_passes_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let (app, round, _forms) = crate::results::pages::closed_round().await;
    app.create_user("beheer@example.org", Role::Admin).await;
    audit.browser.client().set_window_size(1280, 900).await.expect("window size");
    log_in(&audit.browser, &app.url, "beheer@example.org").await;
    let open = app.open_round("peiling", &["huisarts"], false).await.0;
    let round = round.0;
    for (path, name) in [
        ("/werkgroep".to_string(), "overzicht"),
        (format!("/werkgroep/ronde/{round}"), "ronde"),
        (format!("/werkgroep/ronde/{round}?wijk=noord"), "ronde per wijk"),
        (format!("/werkgroep/ronde/{round}?wijk=oost"), "ronde, te weinig antwoorden"),
        (format!("/werkgroep/ronde/{open}"), "open ronde"),
        (format!("/werkgroep/ronde/{round}/rapport"), "rapport"),
        (format!("/werkgroep/ronde/{round}/vrije-tekst/opmerking"), "vrije tekst"),
        ("/beheer/logboek".to_string(), "logboek"),
        ("/beheer/logboek?wat=login&wie=niemand".to_string(), "logboek zonder regels"),
        ("/beheer".to_string(), "beheer"),
        ("/beheer/bewaartermijnen".to_string(), "bewaartermijnen"),
        // Last: the checks below go on from the accounts page.
        ("/beheer/gebruikers".to_string(), "gebruikers"),
    ] {
        audit.browser.client().goto(&format!("{}{path}", app.url)).await.expect("open");
        audit.check(name, Source::Served).await;
        charts_have_text_alternatives(&audit, name).await;
    }
    audit.browser.type_into("#new-email", "beheer@example.org").await;
    audit.click_through(r#"form[action="/beheer/gebruikers"] button[type=submit]"#).await;
    audit.browser.wait_for_text("add-error").await;
    audit.check("gebruikers met fout", Source::Dom).await;
    audit.browser.type_into("#new-email", "nieuw-lid@example.org").await;
    audit.browser.click(r#"form[action="/beheer/gebruikers"] button[type=submit]"#).await;
    audit.browser.wait_for_text("/wachtwoord/").await;
    audit.check("gebruiker toegevoegd", Source::Dom).await;
    manage_accounts(&mut audit, &app).await;
    audit.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_list_of_e_mail_addresses_passes_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let (app, round, _forms) = crate::results::readers::closed_round(false).await;
    app.create_user("beheer@example.org", Role::Admin).await;
    log_in(&audit.browser, &app.url, "beheer@example.org").await;
    for (path, name) in [
        (format!("/werkgroep/ronde/{round}"), "ronde met e-mailadressen"),
        (format!("/werkgroep/ronde/{round}/e-mailadressen/vervolg"), "e-mailadressen"),
    ] {
        audit.browser.client().goto(&format!("{}{path}", app.url)).await.expect("open");
        audit.check(name, Source::Served).await;
    }
    audit.finish().await;
}

/// The forms per account on /beheer/gebruikers: removing one (its confirmation and its result), the refusal
/// to make the only administrator werkgroep, and the page after making oneself werkgroep.
async fn manage_accounts(audit: &mut Audit, app: &TestApp) {
    let url = &app.url;
    let of = |action: &str, email: &str| format!(r#"form[action="{action}"]:has(input[value="{email}"])"#);
    audit.browser.client().goto(&format!("{url}/beheer/gebruikers")).await.expect("open");
    let remove = of("/beheer/gebruikers/verwijderen", "nieuw-lid@example.org");
    audit.click_through(&format!("{remove} button")).await;
    audit.browser.wait_for_text("Weet u zeker").await;
    audit.check("account verwijderen?", Source::Dom).await;
    audit.click_through(r#"form[action="/beheer/gebruikers/verwijderen"] button[type=submit]"#).await;
    audit.browser.wait_for_text("change-result").await;
    audit.check("account verwijderd", Source::Dom).await;
    let role = of("/beheer/gebruikers/rol", "beheer@example.org");
    audit.browser.click(&format!(r#"{role} option[value="werkgroep"]"#)).await;
    audit.click_through(&format!("{role} button")).await;
    audit.browser.wait_for_text("change-error").await;
    audit.check("laatste beheerder", Source::Dom).await;
    app.create_user("tweede@example.org", Role::Admin).await;
    audit.browser.client().goto(&format!("{url}/beheer/gebruikers")).await.expect("open");
    audit.browser.click(&format!(r#"{role} option[value="werkgroep"]"#)).await;
    audit.click_through(&format!("{role} button")).await;
    audit.browser.wait_for_text("Uw rol is gewijzigd").await;
    audit.check("eigen rol gewijzigd", Source::Dom).await;
}

const JOB: &str = "samenwerking-per-wijk";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_trend_page_of_a_job_passes_axe_and_the_html_checker() {
    let Some(mut audit) = Audit::start().await else { return };
    let app = TestApp::spawn().await;
    // Five each: anonymous answers keep their wijk (see `submit`), so the page has wijken.
    app.import_contacts(&huisartsen(&[("noord", 5), ("zuid", 5)])).await;
    // Without its schedule: each start by hand is then a round of its own, a quarter apart here,
    // instead of counting as the schedule's next occurrence (see `schedule::manual_start`).
    let mut jobs = peil::jobs::load(&repo("jobs"), &app.forms).expect("shipped jobs");
    jobs.jobs.iter_mut().for_each(|job| job.schedule = None);
    let jobs = Arc::new(jobs);
    let clock = ManualClock::at(Utc::now() - Duration::hours(2));
    let scheduler =
        Scheduler::new(app.db.clone(), app.forms.clone(), jobs, app.secret.clone(), clock.clone());
    // Four quarters, so the page also has its tables per wijk over the four together.
    for (opened, closed) in [
        ("2026-01-01T07:00:00Z", "2026-01-22T07:00:00Z"),
        ("2026-04-01T07:00:00Z", "2026-04-22T07:00:00Z"),
        ("2026-07-01T07:00:00Z", "2026-07-22T07:00:00Z"),
        ("2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z"),
    ] {
        for round in scheduler.start_job(JOB).await.expect("start the job") {
            for (i, link) in app.links(round).await.iter().enumerate() {
                submit(&app, round, &link.url, answers(&[("contact_wijkteam", Answer::Bool(i % 2 == 0))]))
                    .await;
            }
            close(&app, round, opened, closed).await;
        }
        clock.advance(Duration::minutes(30));
    }
    app.create_user("lid@example.org", Role::Werkgroep).await;
    audit.browser.client().set_window_size(1280, 900).await.expect("window size");
    log_in(&audit.browser, &app.url, "lid@example.org").await;
    audit.check("overzicht met job", Source::Served).await;
    audit.browser.client().goto(&format!("{}/werkgroep/job/{JOB}", app.url)).await.expect("open");
    audit.check("trend", Source::Served).await;
    let served = audit.browser.client().source().await.expect("page source");
    assert!(served.contains("class=\"counts pooled\""), "the tables over four rounds are checked too");
    charts_have_text_alternatives(&audit, "trend").await;
    let mut too_wide = vec![];
    for (width, text) in super::keyboard::SIZES {
        audit.browser.client().set_window_size(width, 900).await.expect("window size");
        audit.browser.client().refresh().await.expect("reload");
        too_wide
            .extend(super::keyboard::sideways(&audit.browser, &format!("trend at {width} px"), text).await);
    }
    assert!(too_wide.is_empty(), "the trend page scrolls sideways:\n{}", too_wide.join("\n"));
    audit.finish().await;
}

/// Each chart is an image with a name (its title) and says where its figures are as text.
async fn charts_have_text_alternatives(audit: &Audit, page: &str) {
    let js = "return Array.from(document.querySelectorAll('figure.chart')).filter(f => {
                const svg = f.querySelector('svg');
                const caption = f.querySelector('figcaption');
                return !svg || svg.getAttribute('role') !== 'img' || !svg.getAttribute('aria-label')
                  || !caption || !caption.textContent.trim();
              }).map(f => f.outerHTML.slice(0, 200));";
    let bare = audit.browser.script(js).await;
    assert_eq!(bare, serde_json::json!([]), "{page}: charts without a name or a pointer to their figures");
}
