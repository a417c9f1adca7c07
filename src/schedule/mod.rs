//! The scheduler. A tick only *records due work* in the database, idempotently: it opens the round
//! of every job occurrence that fell due (one per job, occurrence and wijk, enforced by a unique
//! index, with its invitations queued in the same transaction) and queues the reminders that are
//! due; it also removes open registrations that were never confirmed. Mail goes out through the outbox worker. So a restart, a second tick or a second instance
//! never opens a round twice, and work that fell due while the service was down is done once on
//! the next tick.
//!
//! The heartbeat that calls the tick is a plain `tokio::time::interval`: all it has to do is
//! wake up now and then, since the real schedules are computed here, in each job's own time
//! zone, from what the database remembers. (A cron crate would add nothing: tokio-cron-scheduler,
//! used here before, freezes a time zone's offset when a job is created and forgets runs missed
//! while down.)

mod manual;
mod occurrences;
mod preview;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::catalog::{Catalog, Loaded};
use crate::db::{Db, Timestamp};
use crate::forms::Forms;
use crate::jobs::{Job, Jobs};
use crate::outbox::{self, Queue};
use crate::rounds::{self, Occurrence, OpenRequest, RoundId, RoundsError};
use crate::settings::Secret;
use crate::time::clock::SharedClock;
pub use manual::{CountsAs, ManualStart, manual_start};
pub use occurrences::due_occurrences;
pub use preview::{JobRound, StartPreview, contacts_per_wijk, job_rounds};

/// How often the heartbeat ticks.
const HEARTBEAT: Duration = Duration::from_secs(15);

#[derive(Debug, thiserror::Error)]
pub enum ScheduleError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("opening a round: {0}")]
    Rounds(#[from] RoundsError),
    #[error("queueing mail: {0}")]
    Outbox(#[from] crate::outbox::OutboxError),
    #[error("sign-ups: {0}")]
    Signup(#[from] crate::signup::SignupError),
    #[error("releasing anonymous responses: {0}")]
    Responses(#[from] crate::responses::ResponsesError),
}

/// The running heartbeat of [`Scheduler::start`]; it stops when this is dropped.
#[derive(Debug)]
pub struct Heartbeat(tokio::task::JoinHandle<()>);

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// What one tick did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tick {
    pub opened: Vec<RoundId>,
    pub reminders_queued: u64,
}

pub struct Scheduler {
    db: Db,
    /// The forms and jobs in use; a tick or a start reads them once, after a look at the files.
    catalog: Catalog,
    secret: Secret,
    /// Opens the pools of anonymous rounds that closed; derived from `secret` once.
    seal: crate::responses::Seal,
    clock: SharedClock,
    /// Occurrences that could not open (nobody to invite, a sign-up form): warned about once.
    refused: Mutex<HashSet<(String, DateTime<Utc>, String)>>,
    /// Ticks do not overlap within one process (across processes the database decides).
    running: tokio::sync::Mutex<()>,
    /// The retention terms, carried out once a day by the first tick of the day; `None`: not
    /// by this scheduler (see [`Scheduler::with_retention`]).
    retention: Option<crate::retention::Setup>,
    /// The Amsterdam day whose retention run this process has seen done (by itself or another
    /// instance): later ticks that day need not take the write turn to find the claim taken.
    retained_on: Mutex<Option<chrono::NaiveDate>>,
}

impl Scheduler {
    /// A scheduler with a fixed set of forms and jobs.
    pub fn new(db: Db, forms: Arc<Forms>, jobs: Arc<Jobs>, secret: Secret, clock: SharedClock) -> Self {
        Scheduler::with_catalog(db, Catalog::fixed(forms, jobs), secret, clock)
    }

    /// A scheduler on the shared catalog: it follows the form and job files as they change.
    pub fn with_catalog(db: Db, catalog: Catalog, secret: Secret, clock: SharedClock) -> Self {
        let seal = crate::responses::Seal::new(&secret);
        Scheduler {
            db,
            catalog,
            secret,
            seal,
            clock,
            refused: Mutex::default(),
            running: Default::default(),
            retention: None,
            retained_on: Mutex::default(),
        }
    }

    /// This scheduler, also carrying out the retention terms once a day.
    pub fn with_retention(mut self, setup: crate::retention::Setup) -> Self {
        self.retention = Some(setup);
        self
    }

    /// Records everything that is due at the clock's now.
    pub async fn tick(&self) -> Result<Tick, ScheduleError> {
        let _one_at_a_time = self.running.lock().await;
        let now = self.clock.now();
        let set = self.current();
        let mut tick = Tick::default();
        for job in &set.jobs.jobs {
            let Some(schedule) = &job.schedule else { continue };
            let since = self.since(job, now).await?;
            for at in due_occurrences(schedule, job.open_for, since, now) {
                self.open_occurrence(&set, job, at, now, &mut tick).await?;
            }
        }
        tick.reminders_queued = self.remind(&set.jobs, now).await?;
        // Sign-ups: the reminder before each session, to the people with a seat.
        tick.reminders_queued += crate::signup::seats::queue_session_reminders(&self.db, now).await?;
        // Anonymous responses still waiting in the pool of a round that closed: all it will get.
        let released = crate::responses::pool::release_closed(&self.db, &self.seal, now).await?;
        if released > 0 {
            tracing::info!(released, "released the last anonymous responses of closed rounds");
        }
        // Open registrations whose link was never used go after a week (issue 22), or after
        // `peil.toml`'s `[retention] registrations`.
        let expired = match &self.retention {
            Some(setup) => {
                let before = setup.defaults.registrations.cutoff(now);
                crate::signup::registration::expire_before(&self.db, before).await?
            }
            None => crate::signup::registration::expire(&self.db, now).await?,
        };
        if expired > 0 {
            tracing::info!(expired, "removed open registrations that were never confirmed");
        }
        if let Some(setup) = &self.retention {
            self.retain(&set, setup, now).await;
        }
        Ok(tick)
    }

    /// The day's retention run, if this instance claims it. Its failure is logged, not passed
    /// on: it must not keep rounds from opening, and the next tick tries again.
    async fn retain(&self, set: &Loaded, setup: &crate::retention::Setup, now: DateTime<Utc>) {
        let today = crate::time::amsterdam_date(now);
        if self.retained_on.lock().is_ok_and(|day| *day == Some(today)) {
            return;
        }
        let outcome = crate::retention::daily(&self.db, set, setup, now).await;
        if outcome.is_ok()
            && let Ok(mut day) = self.retained_on.lock()
        {
            *day = Some(today);
        }
        match outcome {
            Ok(Some(report)) => {
                // Counts only: what was removed is nobody's business in a log.
                tracing::info!(
                    removed = report.total(),
                    links = report.links,
                    anonymised = report.anonymised,
                    responses_removed = report.removed,
                    invitations = report.invitations,
                    seats = report.seats,
                    mails = report.outbox,
                    "retention terms carried out"
                );
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "retention run failed; the next tick tries again"),
        }
    }

    /// Opens the rounds of `job_id` now, by hand: how one-off jobs (no `schedule`) are started,
    /// and how a scheduled job is run early. A scheduled job's start counts as one of its
    /// occurrences ([`manual_start`]: the one open now, else the next), which the schedule then
    /// finds open and does not open again. Reminders follow on the heartbeat like any job's.
    /// Starting a one-off job twice within one second opens one set of rounds.
    pub async fn start_job(&self, job_id: &str) -> Result<Vec<RoundId>, ScheduleError> {
        self.start_job_by(job_id, None).await
    }

    /// [`start_job`](Self::start_job) for `actor` (`None`: the command line), written to the
    /// audit log with what the start counted as and what it opened. Each round commits with its
    /// invitations; the audit row follows them (a per-wijk job opens several rounds).
    pub async fn start_job_by(
        &self,
        job_id: &str,
        actor: Option<&str>,
    ) -> Result<Vec<RoundId>, ScheduleError> {
        let (opened, start) = self.open_by_hand(job_id).await?;
        let what = if opened.is_empty() {
            "niets geopend: de ronde was al open".to_string()
        } else {
            let ids: Vec<String> = opened.iter().map(ToString::to_string).collect();
            format!("geopend: ronde {}", ids.join(", "))
        };
        let detail = format!("{job_id}: {} {what}", start.explain());
        crate::audit::log(&self.db, self.clock.now(), actor, crate::audit::AuditAction::JobStarted, &detail)
            .await?;
        Ok(opened)
    }

    async fn open_by_hand(&self, job_id: &str) -> Result<(Vec<RoundId>, ManualStart), ScheduleError> {
        let set = self.current();
        let job = set.jobs.get(job_id).ok_or_else(|| RoundsError::UnknownJob(job_id.to_string()))?;
        let now = self.clock.now();
        let start = manual_start(job, now);
        let parts = self.parts(job).await?;
        if parts.is_empty() {
            // A job per wijk with nobody in any wijk: said, not passed off as "already open".
            let audience = crate::jobs::listing::audience(&job.audience);
            return Err(RoundsError::NobodyToInvite(audience).into());
        }
        let mut opened = Vec::new();
        for (part, wijken) in parts {
            let request = self.request(job, start.at, start.closes_at, part, wijken);
            opened.extend(self.open_request(&set.forms, job, request, now).await?);
        }
        Ok((opened, start))
    }

    /// The forms and jobs as they are on disk now, if those check (see `Catalog::refresh`).
    fn current(&self) -> Arc<Loaded> {
        self.catalog.refresh();
        self.catalog.current()
    }

    /// The forms and jobs this scheduler acts on.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// What [`start_job`](Self::start_job) would count as at the clock's now; `None` for an
    /// unknown job.
    pub fn plan_start(&self, job_id: &str) -> Option<ManualStart> {
        self.current().jobs.get(job_id).map(|job| manual_start(job, self.clock.now()))
    }

    fn request(
        &self,
        job: &Job,
        at: DateTime<Utc>,
        closes_at: DateTime<Utc>,
        part: String,
        wijken: Vec<String>,
    ) -> OpenRequest {
        OpenRequest {
            form_id: job.form.clone(),
            roles: job.audience.roles.clone(),
            wijken,
            gemeenten: job.audience.gemeenten.clone(),
            practices: job.audience.practices.clone(),
            closes_at,
            anonymous: job.anonymous.unwrap_or(false),
            occurrence: Some(Occurrence { job_id: job.id.clone(), at, part }),
        }
    }

    /// Ticks once at once (the catch-up after downtime), then on every heartbeat, as long as the
    /// returned [`Heartbeat`] is kept.
    pub async fn start(self: Arc<Self>) -> Heartbeat {
        self.start_with(HEARTBEAT).await
    }

    /// `start` with another heartbeat, for tests that cannot wait 15 s.
    pub async fn start_with(self: Arc<Self>, every: Duration) -> Heartbeat {
        self.tick_logged().await;
        let mut beat = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        // A tick that overran starts the next period afresh instead of a burst of ticks.
        beat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        Heartbeat(tokio::spawn(async move {
            loop {
                beat.tick().await;
                // Each tick in a task of its own: one that panics is logged, and the next comes.
                let me = self.clone();
                if let Err(e) = tokio::spawn(async move { me.tick_logged().await }).await {
                    tracing::error!(error = %e, "scheduler tick failed; it is retried on the next one");
                }
            }
        }))
    }

    async fn tick_logged(&self) {
        match self.tick().await {
            Ok(tick) if tick != Tick::default() => {
                tracing::info!(
                    opened = tick.opened.len(),
                    reminders = tick.reminders_queued,
                    "scheduler tick"
                )
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "scheduler tick failed; it is retried on the next one"),
        }
    }

    /// The moment the scheduler first knew `job`; occurrences before it are not caught up. A
    /// stored moment that does not read is an error: taking `now` instead would silently skip
    /// every occurrence missed while down.
    async fn since(&self, job: &Job, now: DateTime<Utc>) -> Result<DateTime<Utc>, ScheduleError> {
        let mut w = self.db.write().await?;
        sqlx::query("INSERT INTO job_state (job_id, since) VALUES ($1, $2) ON CONFLICT (job_id) DO NOTHING")
            .bind(&job.id)
            .bind(Timestamp::from(now))
            .execute(&mut *w)
            .await?;
        let since: Timestamp = sqlx::query_scalar("SELECT since FROM job_state WHERE job_id = $1")
            .bind(&job.id)
            .fetch_one(&mut *w)
            .await?;
        w.commit().await?;
        Ok(since.at())
    }

    async fn open_occurrence(
        &self,
        set: &Loaded,
        job: &Job,
        at: DateTime<Utc>,
        now: DateTime<Utc>,
        tick: &mut Tick,
    ) -> Result<(), ScheduleError> {
        for (part, wijken) in self.parts(job).await? {
            let request = self.request(job, at, at + job.open_for, part.clone(), wijken);
            match self.open_request(&set.forms, job, request, now).await {
                Ok(opened) => tick.opened.extend(opened),
                Err(RoundsError::Db(e)) => return Err(e.into()),
                Err(e) => self.refuse_once(job, at, &part, &e),
            }
        }
        Ok(())
    }

    /// Opens the round `request` describes; `None` when its occurrence was already open.
    async fn open_request(
        &self,
        forms: &Forms,
        job: &Job,
        request: OpenRequest,
        now: DateTime<Utc>,
    ) -> Result<Option<RoundId>, RoundsError> {
        let at = request.occurrence.as_ref().map_or(now, |o| o.at);
        let opened = match &job.signup {
            Some(rules) => {
                let tz = job.schedule.as_ref().map_or(chrono_tz::Europe::Amsterdam, |s| s.timezone);
                let signup = rules.round(at, tz);
                crate::signup::open(&self.db, forms, &self.secret, &request, &signup, now).await
            }
            None if job.open_link => {
                crate::signup::open_with_link(&self.db, forms, &self.secret, &request, now).await
            }
            None => rounds::open(&self.db, forms, &self.secret, &request, now).await,
        };
        match opened {
            Ok(opened) => {
                tracing::info!(job = %job.id, round = %opened.round, invited = opened.invited, "round opened");
                Ok(Some(opened.round))
            }
            Err(RoundsError::AlreadyOpen) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// The rounds one occurrence opens: one, or one per wijk with matching contacts.
    async fn parts(&self, job: &Job) -> Result<Vec<(String, Vec<String>)>, ScheduleError> {
        if !job.audience.per_wijk {
            return Ok(vec![(String::new(), job.audience.wijken.clone())]);
        }
        let people = crate::contacts::matching(self.db.read(), &job.audience.roles, &job.audience.wijken)
            .await
            .map_err(RoundsError::from)?;
        let mut wijken: Vec<String> = people
            .into_iter()
            .filter(|p| job.audience.gemeenten.is_empty() || job.audience.gemeenten.contains(&p.gemeente))
            .filter(|p| crate::contacts::in_practices(p, &job.audience.practices))
            .map(|p| p.wijk)
            .filter(|w| !w.is_empty())
            .collect();
        wijken.sort();
        wijken.dedup();
        Ok(wijken.into_iter().map(|w| (w.clone(), vec![w])).collect())
    }

    fn refuse_once(&self, job: &Job, at: DateTime<Utc>, part: &str, error: &RoundsError) {
        let mut refused = self.refused.lock().unwrap_or_else(|e| e.into_inner());
        if refused.insert((job.id.clone(), at, part.to_string())) {
            tracing::warn!(job = %job.id, at = %Timestamp::from(at), wijk = part, error = %error, "job round not opened");
        }
    }

    /// Queues, for every open round of a job, its latest reminder that is due. Only the latest:
    /// after downtime a person gets one reminder, not every one that was missed. A round whose
    /// `created_at` does not read fails the tick (and is logged) rather than going without
    /// reminders unnoticed.
    async fn remind(&self, jobs: &Jobs, now: DateTime<Utc>) -> Result<u64, ScheduleError> {
        let open: Vec<OpenRound> = sqlx::query_as(
            "SELECT id, job_id, created_at FROM rounds \
             WHERE job_id IS NOT NULL AND opens_at <= $1 AND closes_at > $1",
        )
        .bind(Timestamp::from(now))
        .fetch_all(self.db.read())
        .await?;
        let mut queued = 0;
        for round in open {
            let Some(job) = jobs.get(&round.job_id) else { continue };
            // Counted from when the invitations were queued, so a round opened late by a
            // catch-up does not get its reminder together with its invitation.
            let sent = round.created_at.at();
            let Some(number) = job.reminders.iter().rposition(|offset| sent + *offset <= now) else {
                continue;
            };
            let number = u32::try_from(number + 1).unwrap_or(u32::MAX);
            let mut w = self.db.write().await?;
            queued += outbox::enqueue(&mut w, Queue::Reminders(round.id, number), now, now).await?;
            w.commit().await?;
        }
        Ok(queued)
    }
}

/// An open round of a job, as `remind` reads it.
#[derive(sqlx::FromRow)]
struct OpenRound {
    id: RoundId,
    job_id: String,
    created_at: Timestamp,
}
