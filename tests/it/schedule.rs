//! The scheduler against a real SQLite file with a manual clock: rounds open once per occurrence
//! whatever ticks, restarts or second instances do; reminders reach only those who have not
//! answered; 09:00 means 09:00 in Amsterdam in winter and in summer.

use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use peil::jobs::{Audience, Job, Jobs, MailTexts, Schedule};
use peil::schedule::Scheduler;
use peil::time::clock::ManualClock;

use crate::helpers::{CONTACTS, TestApp, forms_dir};

const SURVEY: &str = r#"
title = "Samenwerking"

[[pages]]
[[pages.questions]]
id = "tevreden"
type = "scale"
label = "Hoe tevreden bent u?"
options = "tevreden5"
required = true
"#;

fn job(cron: &str, open_for: Duration, reminders: &[i64]) -> Job {
    Job {
        id: "maandelijks".into(),
        form: "samenwerking".into(),
        schedule: Some(Schedule { cron: cron.into(), timezone: chrono_tz::Europe::Amsterdam }),
        audience: Audience::default(),
        open_for,
        reminders: reminders.iter().map(|d| Duration::days(*d)).collect(),
        anonymous: None,
        mail: MailTexts::default(),
        signup: None,
        open_link: false,
        retention: Default::default(),
    }
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

struct World {
    app: TestApp,
    clock: Arc<ManualClock>,
    jobs: Arc<Jobs>,
    _forms: tempfile::TempDir,
}

impl World {
    async fn new(jobs: Vec<Job>, start: DateTime<Utc>) -> World {
        let forms = forms_dir(&[("samenwerking", SURVEY)]);
        let app = TestApp::spawn_with_forms(forms.path()).await;
        app.import_contacts(CONTACTS).await;
        World { app, clock: ManualClock::at(start), jobs: Arc::new(Jobs { jobs }), _forms: forms }
    }

    /// A scheduler as one service instance has it; a new one is a restart or another instance.
    fn instance(&self) -> Scheduler {
        let app = &self.app;
        Scheduler::new(
            app.db.clone(),
            app.forms.clone(),
            self.jobs.clone(),
            app.secret.clone(),
            self.clock.clone(),
        )
    }

    async fn tick_at(&self, at: DateTime<Utc>) -> peil::schedule::Tick {
        self.clock.set(at);
        self.instance().tick().await.expect("tick")
    }

    async fn occurrences(&self) -> Vec<(String, String)> {
        sqlx::query_as("SELECT occurrence, part FROM rounds ORDER BY occurrence, part")
            .fetch_all(&self.app.pool)
            .await
            .expect("rounds")
    }

    async fn reminders(&self, number: u32) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE dedupe_key LIKE $1")
            .bind(format!("reminder:%:{number}"))
            .fetch_one(&self.app.pool)
            .await
            .expect("count")
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_monthly_round_opens_once_however_often_and_wherever_it_ticks() {
    let world = World::new(vec![job("0 9 1 * *", Duration::days(10), &[])], utc(2027, 1, 31, 12, 0)).await;
    assert_eq!(world.tick_at(utc(2027, 1, 31, 12, 0)).await.opened.len(), 0, "not yet due");
    assert_eq!(world.tick_at(utc(2027, 2, 1, 7, 59)).await.opened.len(), 0, "08:59 in Amsterdam");

    world.clock.set(utc(2027, 2, 1, 8, 0) + Duration::seconds(10));
    let (a, b) = (world.instance(), world.instance());
    let (first, second) = tokio::join!(a.tick(), b.tick());
    let opened = first.expect("tick").opened.len() + second.expect("tick").opened.len();
    assert_eq!(opened, 1, "two instances ticking at once open one round");
    world.tick_at(utc(2027, 2, 1, 8, 15)).await;
    world.tick_at(utc(2027, 2, 3, 8, 15)).await;

    assert_eq!(world.occurrences().await, vec![("2027-02-01T08:00:00Z".into(), String::new())]);
    assert_eq!(world.app.count("SELECT COUNT(*) FROM invitations").await, 4, "everyone once");
    assert_eq!(world.app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'").await, 4);
    let closes: String =
        sqlx::query_scalar("SELECT closes_at FROM rounds").fetch_one(&world.app.pool).await.unwrap();
    assert_eq!(closes, "2027-02-11T08:00:00Z", "open for 10 days from the occurrence");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_that_fell_due_while_the_service_was_down_opens_once_on_restart() {
    let world = World::new(vec![job("0 9 1 * *", Duration::days(10), &[])], utc(2027, 1, 20, 12, 0)).await;
    world.tick_at(utc(2027, 1, 20, 12, 0)).await;
    // Down from 20 January to 3 February: the restarted service catches up once.
    let tick = world.tick_at(utc(2027, 2, 3, 10, 0)).await;
    assert_eq!(tick.opened.len(), 1);
    world.tick_at(utc(2027, 2, 3, 10, 0)).await;
    assert_eq!(world.occurrences().await, vec![("2027-02-01T08:00:00Z".into(), String::new())]);

    // Down again across 1 March until its window has passed: that round is not opened late.
    let tick = world.tick_at(utc(2027, 3, 12, 10, 0)).await;
    assert_eq!(tick.opened.len(), 0);
    assert_eq!(world.occurrences().await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nine_o_clock_is_nine_o_clock_in_amsterdam_on_both_sides_of_daylight_saving() {
    let daily = job("0 9 * * *", Duration::hours(20), &[]);
    let world = World::new(vec![daily], utc(2027, 3, 26, 12, 0)).await;
    let moments = [
        utc(2027, 3, 26, 12, 0),
        utc(2027, 3, 27, 7, 59), // 08:59 CET
        utc(2027, 3, 27, 8, 1),  // 09:01 CET
        utc(2027, 3, 28, 6, 59), // 08:59 CEST, after the change that night
        utc(2027, 3, 28, 7, 1),  // 09:01 CEST
        utc(2027, 10, 30, 7, 1), // 09:01 CEST
        utc(2027, 10, 31, 7, 1), // 08:01 CET, after the change back
        utc(2027, 10, 31, 8, 1), // 09:01 CET
    ];
    for at in moments {
        world.tick_at(at).await;
    }
    let opened: Vec<String> = world.occurrences().await.into_iter().map(|(at, _)| at).collect();
    assert_eq!(
        opened,
        vec!["2027-03-27T08:00:00Z", "2027-03-28T07:00:00Z", "2027-10-30T07:00:00Z", "2027-10-31T08:00:00Z"]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_per_wijk_opens_one_round_per_wijk_for_its_own_people() {
    let mut per_wijk = job("0 9 1 1,4,7,10 *", Duration::days(21), &[]);
    per_wijk.audience = Audience { roles: vec!["huisarts".into()], per_wijk: true, ..Audience::default() };
    let world = World::new(vec![per_wijk], utc(2027, 3, 1, 0, 0)).await;
    world.tick_at(utc(2027, 3, 1, 0, 0)).await;
    world.tick_at(utc(2027, 4, 1, 8, 0)).await;
    world.tick_at(utc(2027, 4, 1, 8, 0)).await;
    let parts: Vec<String> = world.occurrences().await.into_iter().map(|(_, part)| part).collect();
    assert_eq!(parts, vec!["noord", "zuid"]);
    let invited: Vec<(String, i64)> = sqlx::query_as(
        "SELECT r.part, COUNT(*) FROM invitations i JOIN rounds r ON r.id = i.round_id GROUP BY r.part ORDER BY r.part",
    )
    .fetch_all(&world.app.pool)
    .await
    .unwrap();
    assert_eq!(invited, vec![("noord".into(), 2), ("zuid".into(), 1)], "the huisartsen of each wijk");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_go_only_to_those_who_have_not_answered_and_never_after_closing() {
    let opens = utc(2027, 2, 1, 8, 0);
    let world = World::new(vec![job("0 9 1 * *", Duration::days(7), &[3, 5])], utc(2027, 1, 31, 0, 0)).await;
    world.tick_at(utc(2027, 1, 31, 0, 0)).await;
    world.tick_at(opens).await;
    // One of the four answers (the answering pages set this flag; see the answering tests).
    sqlx::query("UPDATE invitations SET answered = 1 WHERE id = (SELECT MIN(id) FROM invitations)")
        .execute(&world.app.pool)
        .await
        .unwrap();

    assert_eq!(world.tick_at(opens + Duration::days(3) - Duration::minutes(1)).await.reminders_queued, 0);
    assert_eq!(world.tick_at(opens + Duration::days(3)).await.reminders_queued, 3);
    assert_eq!(world.tick_at(opens + Duration::days(4)).await.reminders_queued, 0, "queued once");
    assert_eq!(world.tick_at(opens + Duration::days(5)).await.reminders_queued, 3);
    assert_eq!(world.tick_at(opens + Duration::days(8)).await.reminders_queued, 0, "closed");
    assert_eq!((world.reminders(1).await, world.reminders(2).await), (3, 3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_downtime_only_the_latest_due_reminder_goes_out() {
    let opens = utc(2027, 2, 1, 8, 0);
    let world = World::new(vec![job("0 9 1 * *", Duration::days(7), &[3, 5])], utc(2027, 1, 31, 0, 0)).await;
    world.tick_at(utc(2027, 1, 31, 0, 0)).await;
    world.tick_at(opens).await;
    // Down from day 1 to day 6: both reminders fell due; people get one.
    world.tick_at(opens + Duration::days(6)).await;
    assert_eq!((world.reminders(1).await, world.reminders(2).await), (0, 4));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_off_job_is_started_by_hand_and_never_by_the_clock() {
    let mut one_off = job("0 9 1 * *", Duration::days(14), &[7]);
    one_off.schedule = None;
    let world = World::new(vec![one_off], utc(2027, 5, 3, 10, 0)).await;
    assert!(world.tick_at(utc(2027, 6, 1, 8, 0)).await.opened.is_empty(), "no schedule, no round");

    let started = world.instance().start_job("maandelijks").await.expect("start");
    assert_eq!(started.len(), 1);
    assert!(world.instance().start_job("maandelijks").await.expect("again").is_empty(), "same moment: once");
    assert_eq!(world.app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'").await, 4);
    // Its reminder follows on the heartbeat like a scheduled job's.
    assert_eq!(world.tick_at(utc(2027, 6, 8, 8, 0)).await.reminders_queued, 4);
    assert!(world.instance().start_job("bestaat-niet").await.is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_job_started_by_hand_counts_as_its_next_round_so_nobody_is_invited_twice() {
    let world = World::new(vec![job("0 9 1 * *", Duration::days(10), &[])], utc(2027, 1, 20, 12, 0)).await;
    world.tick_at(utc(2027, 1, 20, 12, 0)).await;

    let plan = world.instance().plan_start("maandelijks").expect("a job");
    assert_eq!(plan.explain(), "Telt als de ronde van februari 2027; het schema opent die niet nog eens.");
    assert_eq!(world.instance().start_job("maandelijks").await.expect("start").len(), 1);
    let closes: String =
        sqlx::query_scalar("SELECT closes_at FROM rounds").fetch_one(&world.app.pool).await.unwrap();
    assert_eq!(closes, "2027-01-30T12:00:00Z", "open for 10 days from the start by hand");

    // The schedule's February comes and goes: that round is the one started by hand.
    for at in [utc(2027, 2, 1, 8, 0), utc(2027, 2, 1, 8, 15), utc(2027, 2, 6, 0, 0)] {
        assert!(world.tick_at(at).await.opened.is_empty(), "nothing opens at {at}");
    }
    assert_eq!(world.occurrences().await, vec![("2027-02-01T08:00:00Z".into(), String::new())]);
    assert_eq!(world.app.count("SELECT COUNT(*) FROM invitations").await, 4, "everyone once");
    assert_eq!(world.app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'").await, 4);
    // March is the schedule's again.
    assert_eq!(world.tick_at(utc(2027, 3, 1, 8, 0)).await.opened.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_start_by_hand_while_the_schedules_round_is_open_opens_nothing_new() {
    let world = World::new(vec![job("0 9 1 * *", Duration::days(10), &[])], utc(2027, 1, 20, 12, 0)).await;
    world.tick_at(utc(2027, 1, 20, 12, 0)).await;
    assert_eq!(world.tick_at(utc(2027, 2, 1, 8, 0)).await.opened.len(), 1);

    world.clock.set(utc(2027, 2, 3, 12, 0));
    let plan = world.instance().plan_start("maandelijks").expect("a job");
    assert!(
        plan.explain().starts_with("Telt als de ronde van februari 2027, die volgens het schema nu loopt")
    );
    assert!(world.instance().start_job("maandelijks").await.expect("start").is_empty());
    assert_eq!(world.app.count("SELECT COUNT(*) FROM invitations").await, 4, "everyone once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_heartbeat_ticks_by_itself_in_a_running_service() {
    // Every two seconds, on the system clock: the first tick at start only notes the job, a
    // heartbeat tick after the next occurrence opens its round.
    let every_two_seconds = job("*/2 * * * * *", Duration::hours(1), &[]);
    let world = World::new(vec![every_two_seconds], Utc::now()).await;
    let app = &world.app;
    let scheduler = Scheduler::new(
        app.db.clone(),
        app.forms.clone(),
        world.jobs.clone(),
        app.secret.clone(),
        peil::time::clock::system(),
    );
    let heartbeat = Arc::new(scheduler).start_with(std::time::Duration::from_secs(1)).await;
    let mut rounds = 0;
    for _ in 0..100 {
        rounds = app.count("SELECT COUNT(*) FROM rounds").await;
        if rounds > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    drop(heartbeat);
    assert!(rounds > 0, "no round opened within 5 seconds");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_round_time_fails_the_tick_instead_of_silently_skipping_its_reminders() {
    let opens = utc(2027, 2, 1, 8, 0);
    let world = World::new(vec![job("0 9 1 * *", Duration::days(7), &[3])], utc(2027, 1, 31, 0, 0)).await;
    world.tick_at(utc(2027, 1, 31, 0, 0)).await;
    world.tick_at(opens).await;
    sqlx::query("UPDATE rounds SET created_at = 'gisteren'").execute(&world.app.pool).await.unwrap();

    world.clock.set(opens + Duration::days(3));
    let err = world.instance().tick().await.expect_err("a bad time is an error");
    assert!(err.to_string().contains("gisteren"), "{err}");
    assert_eq!(world.reminders(1).await, 0);
}
