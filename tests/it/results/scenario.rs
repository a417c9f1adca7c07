//! Scenario 1 of DESIGN.md, its end: the quarterly per-wijk survey of GPs ran twice; after
//! closing, the werkgroep reads the charts per wijk and the trend against the last quarter.

use std::sync::Arc;

use chrono::{Duration, Utc};
use peil::forms::Answer;
use peil::rounds::RoundId;
use peil::schedule::Scheduler;
use peil::time::clock::ManualClock;

use super::{answers, close, huisartsen, row_from, submit};
use peil::accounts::Role;

use crate::helpers::{TestApp, repo};

const JOB: &str = "samenwerking-per-wijk";

/// Opens one quarter's per-wijk rounds, lets `yes[wijk]` of each wijk's GPs say they had contact
/// with the wijkteam (the rest say no), and closes the rounds at `opened`..`closed`.
async fn quarter(app: &TestApp, scheduler: &Scheduler, yes: &[(&str, usize)], opened: &str, closed: &str) {
    let rounds: Vec<RoundId> = scheduler.start_job(JOB).await.expect("start job");
    for round in rounds {
        let links = app.links(round).await;
        let wijk =
            links[0].email.split('@').nth(1).and_then(|d| d.split('.').next()).expect("wijk").to_string();
        let wanted = yes.iter().find(|(w, _)| *w == wijk).map_or(0, |(_, n)| *n);
        for (i, link) in links.iter().enumerate() {
            let given = answers(&[("contact_wijkteam", Answer::Bool(i < wanted))]);
            submit(app, round, &link.url, given).await;
        }
        close(app, round, opened, closed).await;
    }
}

/// The shipped forms and jobs, GPs in noord (6), zuid (7) and oost (2), and a scheduler on a
/// clock two hours back (each quarter's rounds are opened by hand, then moved into the past).
async fn region() -> (TestApp, Scheduler, Arc<ManualClock>) {
    let app = TestApp::spawn().await;
    app.import_contacts(&huisartsen(&[("noord", 6), ("zuid", 7), ("oost", 2)])).await;
    // Without its schedule: each start by hand is then a round of its own, a quarter apart here,
    // instead of counting as the schedule's next occurrence (see `schedule::manual_start`).
    let mut jobs = peil::jobs::load(&repo("jobs"), &app.forms).expect("shipped jobs");
    jobs.jobs.iter_mut().for_each(|job| job.schedule = None);
    let jobs = Arc::new(jobs);
    let clock = ManualClock::at(Utc::now() - Duration::hours(2));
    let scheduler =
        Scheduler::new(app.db.clone(), app.forms.clone(), jobs, app.secret.clone(), clock.clone());
    (app, scheduler, clock)
}

#[tokio::test]
async fn the_werkgroep_reads_per_wijk_charts_and_the_trend_against_last_quarter() {
    let (app, scheduler, clock) = region().await;
    // July: 3 of noord's 6 and 3 of zuid's 7 had contact; October: 5 and 6.
    quarter(&app, &scheduler, &[("noord", 3), ("zuid", 3)], "2026-07-01T07:00:00Z", "2026-07-22T07:00:00Z")
        .await;
    clock.advance(Duration::minutes(30));
    quarter(&app, &scheduler, &[("noord", 5), ("zuid", 6)], "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z")
        .await;

    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = session.get(&format!("/werkgroep/job/{JOB}")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("juli 2026") && page.contains("okt 2026"), "{page}");
    // The region: 6 of 15 in July (40%), 11 of 15 in October (73%): up 33 points.
    assert!(page.contains("40% (n=15)"), "{page}");
    assert!(page.contains("73% (n=15)"), "{page}");
    assert!(page.contains("+33 procentpunt"), "{page}");
    // Zuid: 43% then 86%. Oost (2 GPs) never shows: its anonymous answers keep no wijk. And
    // because the region minus noord minus zuid would be exactly oost's two, noord (the
    // smallest other wijk) is hidden as well.
    assert!(page.contains("43% (n=7)") && page.contains("86% (n=7)"), "{page}");
    assert!(!page.contains("(n=6)") && !page.contains("(n=2)"), "{page}");
    assert!(page.contains("<svg"), "the trend and the per-wijk panels are drawn: {page}");

    let png = session
        .get_bytes(&format!("/werkgroep/job/{JOB}/grafiek/contact_wijkteam/optie-ja/wijken/png"))
        .await;
    assert_eq!(&png[..4], b"\x89PNG");
    // The download is an export in the access log: the job's six rounds, the region's 30 people.
    let (subject, via): (String, String) = sqlx::query_as(
        "SELECT subject, via FROM audit_log WHERE action = 'exported' AND actor = 'lid@example.org'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("one export entry");
    assert_eq!(
        (subject.as_str(), via.as_str()),
        (format!("job {JOB}: 6 rondes, 30 personen").as_str(), "web 127.0.0.1")
    );
}

/// The round ids of October's per-wijk rounds, by wijk.
async fn october(app: &TestApp) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT part, id FROM rounds WHERE opens_at LIKE '2026-10%' ORDER BY part")
        .fetch_all(&app.pool)
        .await
        .expect("rounds")
}

#[tokio::test]
async fn a_per_wijk_round_is_judged_with_the_other_wijken_of_its_quarter() {
    let (app, scheduler, _clock) = region().await;
    quarter(&app, &scheduler, &[("noord", 5), ("zuid", 6)], "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z")
        .await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let rounds = october(&app).await;
    let id = |wijk: &str| rounds.iter().find(|(w, _)| w == wijk).map(|(_, id)| *id).expect("round");

    // Noord's own round has 6 answers, enough on its own; but with zuid's 7 and the quarter's 15
    // it would give oost's 2 away, so its page, its export and its count stay hidden.
    let (_, noord) = session.get(&format!("/werkgroep/ronde/{}", id("noord"))).await;
    assert!(noord.contains("te weinig antwoorden</strong>"), "{noord}");
    assert!(!noord.contains("respondenten in Noord"), "{noord}");
    let (status, _) = session.get(&format!("/werkgroep/ronde/{}/download/antwoorden.csv", id("noord"))).await;
    assert_eq!(status, 404);
    let (_, zuid) = session.get(&format!("/werkgroep/ronde/{}", id("zuid"))).await;
    assert!(zuid.contains("7 respondenten in Zuid"), "{zuid}");

    let (_, overview) = session.get("/werkgroep").await;
    let row = |id: i64| row_from(&overview, &format!("ronde/{id}\""));
    assert!(row(id("noord")).contains("te weinig antwoorden"), "{overview}");
    assert!(row(id("oost")).contains("te weinig antwoorden"), "{overview}");
    assert!(
        row(id("zuid")).contains("<td class=\"num\">7</td>\n        <td class=\"num\">7</td>"),
        "{}",
        row(id("zuid"))
    );
}
