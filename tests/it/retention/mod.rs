//! Retention (issue 26): terms declared in forms, jobs and `peil.toml`, carried out by the run on
//! the real app with its clock moved past each term. A link past its term says why it stopped;
//! identified responses lose who gave them (or go) while the round's figures stay; a dry run
//! changes nothing and a second run removes nothing more; deleted text is gone from the files.

mod attendance;
mod files;
mod page;
mod responses;
mod sweeps;
mod terms;

use chrono::Duration;
use peil::retention::{self, Report, Setup};
use peil::rounds::RoundId;

use crate::helpers::{CONTACTS, TestApp, forms_dir};

/// An identified form: a name that says who answered, a score for the charts, a free text. Its
/// responses are kept 12 months, its links the default 3.
pub const FORM: &str = r#"
title = "Samenwerking in de wijk"

[retention]
responses = "12 months after closing"

[[pages]]
[[pages.questions]]
id = "naam"
type = "text"
label = "Uw naam"
identifying = true

[[pages.questions]]
id = "tevreden"
type = "scale"
label = "Hoe tevreden bent u?"
options = "tevreden5"
required = true

[[pages.questions]]
id = "toelichting"
type = "textarea"
label = "Toelichting"
"#;

/// The app with `FORM` as `samenwerking`, the test contacts, and one identified round of it.
pub async fn app_with_round(form: &str) -> (TestApp, RoundId, tempfile::TempDir) {
    let forms = forms_dir(&[("samenwerking", form)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("samenwerking", &[], false).await;
    (app, round, forms)
}

/// Submits the `n`th invited person's answers.
pub async fn answer(app: &TestApp, round: RoundId, n: usize, name: &str, score: &str, text: &str) {
    let link = app.links(round).await.remove(n).url;
    let path = link.trim_start_matches(&app.url);
    let fields =
        [("_page", "0"), ("naam", name), ("tevreden", score), ("toelichting", text), ("_nav", "submit")];
    let (status, body) = app.post(path, &fields).await;
    assert_eq!(status, 200, "{body}");
}

/// The app's retention run at its clock's now.
pub async fn run(app: &TestApp, dry_run: bool) -> Report {
    let set = app.catalog.current();
    retention::run(&app.db, &set, &Setup::of(&app.settings), app.now(), dry_run)
        .await
        .expect("a retention run")
}

/// Moves the clock to a day past `months` after `round` closed.
pub async fn past_closing(app: &TestApp, round: RoundId, months: u32) {
    let closes: peil::db::Timestamp = sqlx::query_scalar("SELECT closes_at FROM rounds WHERE id = $1")
        .bind(round)
        .fetch_one(&app.pool)
        .await
        .expect("the round");
    let target = closes.at().checked_add_months(chrono::Months::new(months)).expect("a date");
    app.clock.advance(target + Duration::days(1) - app.now());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_link_past_its_term_shows_a_dutch_page_that_says_the_retention_term_ended_it() {
    let (app, round, _forms) = app_with_round(FORM).await;
    let link = app.first_link(round).await;
    // A draft on the way: it goes with the link.
    app.post(&link, &[("_page", "0"), ("naam", "Anna"), ("_nav", "next")]).await;
    past_closing(&app, round, 2).await;
    assert_eq!(run(&app, false).await.links, 0, "two months after closing the link is still kept");
    let (_, page) = app.get(&link).await;
    assert!(page.contains("gesloten") && !page.contains("bewaartermijn"), "the closed round's page: {page}");
    let exchanged = app.client.get(format!("{}{link}", app.url)).send().await.expect("GET");
    let handle_page = crate::helpers::location(&exchanged);

    past_closing(&app, round, 3).await;
    let report = run(&app, false).await;
    assert_eq!(report.links, 4, "{report:?}");
    let fresh = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = fresh.get(format!("{}{link}", app.url)).send().await.expect("GET");
    assert_eq!(response.status().as_u16(), 410);
    let page = response.text().await.expect("body");
    assert!(page.contains("Deze link is verlopen"), "{page}");
    assert!(page.contains("De bewaartermijn van die vragenlijst is voorbij"), "{page}");
    assert!(page.contains("Samenwerking in de wijk"), "{page}");
    // The browser that opened it before, with the link's cookie, is told the same.
    let again = app.client.get(format!("{}{handle_page}", app.url)).send().await.expect("GET");
    assert_eq!(again.status().as_u16(), 410, "{handle_page}");
    assert!(again.text().await.expect("body").contains("Deze link is verlopen"));
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations WHERE nonce <> ''").await, 0);
    // An expired link is no wrong guess: nobody is throttled for opening their old mail.
    assert_eq!(app.count("SELECT COUNT(*) FROM link_failures").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dry_run_changes_nothing_and_says_what_the_run_then_removes_and_a_second_run_removes_nothing() {
    let (app, round, _forms) = app_with_round(FORM).await;
    answer(&app, round, 0, "Anna de Vries", "4", "Goed overleg").await;
    answer(&app, round, 1, "Bram Bakker", "2", "Te weinig tijd").await;
    past_closing(&app, round, 13).await;
    let state = || async {
        let mut counts = Vec::new();
        for sql in [
            "SELECT COUNT(*) FROM invitations",
            "SELECT COUNT(*) FROM responses WHERE invitation_id IS NOT NULL",
            "SELECT COUNT(*) FROM outbox",
            "SELECT COUNT(*) FROM audit_log",
        ] {
            counts.push(app.count(sql).await);
        }
        counts
    };
    let before = state().await;
    let dry = run(&app, true).await;
    assert_eq!(state().await, before, "a dry run changes nothing");
    assert_eq!((dry.links, dry.anonymised, dry.invitations), (4, 2, 4), "{dry:?}");
    assert_eq!(dry.per_form.get("samenwerking"), Some(&10));

    let done = run(&app, false).await;
    assert_eq!(done, dry, "the dry run said exactly what the run removed");
    let again = run(&app, false).await;
    assert_eq!(again.total(), 0, "a second run removes nothing more: {again:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_run_is_claimed_once_a_day_by_one_instance_and_logs_counts_only() {
    let (app, _round, _forms) = app_with_round(FORM).await;
    let set = app.catalog.current();
    let setup = Setup::of(&app.settings);
    let first = retention::daily(&app.db, &set, &setup, app.now()).await.expect("daily");
    assert!(first.is_some(), "the first tick of the day runs it");
    let second = retention::daily(&app.db, &set, &setup, app.now()).await.expect("daily");
    assert!(second.is_none(), "the same day it is not run again, by this instance or another");
    app.clock.advance(Duration::days(1));
    app.scheduler.tick().await.expect("tick");
    assert_eq!(app.count("SELECT COUNT(*) FROM retention_runs WHERE day IS NOT NULL").await, 2);
    let last = retention::last_run(&app.pool).await.expect("last run").expect("a run");
    assert!(last.daily);
}
