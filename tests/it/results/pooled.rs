//! The per-wijk job read as the werkgroep reads it: jobs and wijken by the names people know,
//! and wijken too small for any one quarter shown over four quarters together, under the same
//! disclosure rules (threshold 5, a pooled group's complement checked).

use std::sync::Arc;

use chrono::{Duration, Utc};
use peil::accounts::Role;
use peil::forms::Answer;
use peil::rounds::RoundId;
use peil::schedule::Scheduler;
use peil::time::clock::ManualClock;

use super::{answers, close, huisartsen, row_from, submit};
use crate::helpers::{TestApp, repo};

const JOB: &str = "samenwerking-per-wijk";
const TITLE: &str = "Samenwerking met het sociaal domein in uw wijk";

/// The shipped forms and jobs with a threshold of 5, the given GPs, and a scheduler whose job
/// starts are each a quarter of their own.
async fn region(gps: &[(&str, usize)]) -> (TestApp, Scheduler, Arc<ManualClock>) {
    let app = TestApp::spawn_configured(|s| s.min_group_size = 5).await;
    app.import_contacts(&huisartsen(gps)).await;
    let mut jobs = peil::jobs::load(&repo("jobs"), &app.forms).expect("shipped jobs");
    jobs.jobs.iter_mut().for_each(|job| job.schedule = None);
    let clock = ManualClock::at(Utc::now() - Duration::hours(2));
    let scheduler =
        Scheduler::new(app.db.clone(), app.forms.clone(), Arc::new(jobs), app.secret.clone(), clock.clone());
    (app, scheduler, clock)
}

/// One quarter in which `answering[wijk]` of each wijk's GPs answer (yes, they had contact),
/// closed in `month` as given ("2026-07"; in the past, so closed).
async fn quarter(app: &TestApp, scheduler: &Scheduler, answering: &[(&str, usize)], month: &str) {
    let rounds: Vec<RoundId> = scheduler.start_job(JOB).await.expect("start job");
    for round in rounds {
        let links = app.links(round).await;
        let wijk = links[0].email.split('@').nth(1).and_then(|d| d.split('.').next()).expect("wijk");
        let n = answering.iter().find(|(w, _)| *w == wijk).map_or(0, |(_, n)| *n);
        for link in links.iter().take(n) {
            submit(app, round, &link.url, answers(&[("contact_wijkteam", Answer::Bool(true))])).await;
        }
        close(app, round, &format!("{month}-01T07:00:00Z"), &format!("{month}-22T07:00:00Z")).await;
    }
}

async fn four_quarters(
    app: &TestApp,
    scheduler: &Scheduler,
    clock: &ManualClock,
    answering: &[(&str, usize)],
) {
    for month in ["2026-01", "2026-04", "2026-07", "2026-10"] {
        quarter(app, scheduler, answering, month).await;
        clock.advance(Duration::minutes(30));
    }
}

/// The row of the pooled table for `group`.
fn pooled_row(page: &str, group: &str) -> String {
    let start = page.find("class=\"counts pooled\"").unwrap_or_else(|| panic!("no pooled table: {page}"));
    row_from(&page[start..], &format!("<th scope=\"row\">{group}</th>"))
}

#[tokio::test]
async fn the_werkgroep_reads_jobs_by_title_and_wijken_by_label() {
    let (app, scheduler, _clock) = region(&[("noord", 6), ("haven", 6)]).await;
    quarter(&app, &scheduler, &[("noord", 5), ("haven", 6)], "2026-10").await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;

    let (_, overview) = session.get("/werkgroep").await;
    assert!(overview.contains(&format!("<h2>{TITLE}</h2>")), "{overview}");
    assert!(!overview.contains(&format!("<h2>{JOB}</h2>")), "{overview}");
    assert!(overview.contains(&format!("/werkgroep/job/{JOB}\"")), "the code stays in the link: {overview}");
    assert!(overview.contains(" – Havenkwartier</a>") && !overview.contains(" – haven</a>"), "{overview}");

    let haven: i64 = sqlx::query_scalar("SELECT id FROM rounds WHERE part = 'haven'")
        .fetch_one(&app.pool)
        .await
        .expect("haven's round");
    let (_, round) = session.get(&format!("/werkgroep/ronde/{haven}")).await;
    assert!(round.contains(&format!("<h1>{TITLE} – Havenkwartier</h1>")), "{round}");
    assert!(round.contains("6 respondenten in Havenkwartier"), "{round}");
    assert!(round.contains("<th scope=\"row\">Huisarts</th>"), "the role by its label: {round}");
    let (_, report) = session.get(&format!("/werkgroep/ronde/{haven}/rapport")).await;
    assert!(report.contains(&format!("<h1>{TITLE} – Havenkwartier</h1>")), "{report}");

    let (_, trend) = session.get(&format!("/werkgroep/job/{JOB}")).await;
    assert!(trend.contains(&format!("<h1>{TITLE}: verloop over de rondes</h1>")), "{trend}");
    assert!(trend.contains("<th scope=\"row\">Havenkwartier</th>"), "{trend}");
    assert!(trend.contains(">Havenkwartier</a>"), "the round's link: {trend}");
    assert!(!trend.contains(">haven<"), "{trend}");
}

#[tokio::test]
async fn a_wijk_hidden_in_every_quarter_is_shown_over_four_and_a_still_small_one_stays_hidden() {
    // Noord: 3 of 6 answer each quarter (hidden every time, 12 over four); zuid and west: 1 of
    // 5 each (4 over four, still hidden; two of them, so the GPs' role view minus noord is not
    // one small wijk); oost's 4 keep no wijk (anonymous, fewer than 5 invited), so the region
    // minus noord is not zuid alone either.
    let (app, scheduler, clock) = region(&[("noord", 6), ("zuid", 5), ("west", 5), ("oost", 4)]).await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let answering = [("noord", 3), ("zuid", 1), ("west", 1), ("oost", 4)];
    for (i, month) in ["2026-01", "2026-04", "2026-07"].into_iter().enumerate() {
        quarter(&app, &scheduler, &answering, month).await;
        clock.advance(Duration::minutes(30));
        let (_, page) = session.get(&format!("/werkgroep/job/{JOB}")).await;
        assert!(!page.contains("class=\"counts pooled\""), "no pool after {} quarters: {page}", i + 1);
    }
    quarter(&app, &scheduler, &answering, "2026-10").await;

    let (status, page) = session.get(&format!("/werkgroep/job/{JOB}")).await;
    assert_eq!(status, 200, "{page}");
    // Each quarter alone: noord is hidden (a dash in every cell of its row).
    let single = row_from(&page, "<th scope=\"row\">Noord</th>");
    assert!(!single.contains("n="), "{single}");
    // Over the four: noord 12 of 12 said yes; the region 36; zuid's and west's 4 stay hidden.
    assert!(page.contains("Per wijk over 4 rondes samen (jan 2026 – okt 2026)"), "{page}");
    assert!(pooled_row(&page, "Noord").contains("100% (n=12)"), "{page}");
    assert!(pooled_row(&page, "regio").contains("100% (n=36)"), "{page}");
    for small in ["Zuid", "West"] {
        let row = pooled_row(&page, small);
        assert!(row.contains("te weinig antwoorden") && !row.contains("n="), "{small}: {row}");
    }
}

#[tokio::test]
async fn a_pooled_wijk_whose_complement_would_be_one_small_wijk_stays_hidden() {
    // Without oost, the region over four quarters minus noord's 12 would be zuid's 4.
    let (app, scheduler, clock) = region(&[("noord", 6), ("zuid", 5)]).await;
    four_quarters(&app, &scheduler, &clock, &[("noord", 3), ("zuid", 1)]).await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (_, page) = session.get(&format!("/werkgroep/job/{JOB}")).await;
    assert!(pooled_row(&page, "regio").contains("(n=16)"), "{page}");
    for wijk in ["Noord", "Zuid"] {
        let row = pooled_row(&page, wijk);
        assert!(row.contains("te weinig antwoorden") && !row.contains("n="), "{wijk}: {row}");
    }
}
