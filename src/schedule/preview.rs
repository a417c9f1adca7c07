//! What a start by hand will do, read before it happens (the jobs page's confirmation), and the
//! rounds a job opened so far. Reads only.

use chrono::{DateTime, Utc};

use super::{ManualStart, ScheduleError, Scheduler, manual_start};
use crate::db::{Pool, Timestamp};
use crate::jobs::Job;
use crate::rounds::{RoundId, RoundsError};
use crate::signup::NewSession;

/// A start by hand, before it happens.
#[derive(Debug)]
pub struct StartPreview {
    pub job: Job,
    pub start: ManualStart,
    /// One entry per round it would open: the wijk ("" for a job not per wijk) and how many
    /// contacts it invites.
    pub parts: Vec<(String, usize)>,
    /// The sessions a sign-up job's round offers.
    pub sessions: Vec<NewSession>,
    /// Rounds of this occurrence that are open already: those parts open nothing new.
    pub already_open: Vec<RoundId>,
    /// The job's `practices` that no contact who can be invited works in: most often a name typed
    /// otherwise than in the contact list, which would silently leave that practice out.
    pub unknown_practices: Vec<String>,
}

impl StartPreview {
    pub fn people(&self) -> usize {
        self.parts.iter().map(|(_, n)| n).sum()
    }
}

/// A round a job opened, as the jobs page lists it.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct JobRound {
    pub id: RoundId,
    pub part: String,
    pub opens_at: Timestamp,
    pub closes_at: Timestamp,
}

impl Scheduler {
    /// What [`Scheduler::start_job`] would do now for `job_id`.
    pub async fn preview_start(&self, job_id: &str) -> Result<StartPreview, ScheduleError> {
        let set = self.current();
        let job = set.jobs.get(job_id).ok_or_else(|| RoundsError::UnknownJob(job_id.to_string()))?;
        let start = manual_start(job, self.clock.now());
        let mut parts = Vec::new();
        for (part, wijken) in self.parts(job).await? {
            let people = crate::contacts::matching(self.db.read(), &job.audience.roles, &wijken)
                .await
                .map_err(RoundsError::from)?;
            let count = people
                .iter()
                .filter(|p| job.audience.gemeenten.is_empty() || job.audience.gemeenten.contains(&p.gemeente))
                .filter(|p| crate::contacts::in_practices(p, &job.audience.practices))
                .count();
            parts.push((part, count));
        }
        let sessions = job.signup.as_ref().map_or_else(Vec::new, |rules| {
            let tz = job.schedule.as_ref().map_or(chrono_tz::Europe::Amsterdam, |s| s.timezone);
            rules.round(start.at, tz).sessions
        });
        let already_open = occurrence_rounds(self.db.read(), &job.id, start.at).await?;
        let unknown_practices = self.unknown_practices(job).await?;
        Ok(StartPreview { job: job.clone(), start, parts, sessions, already_open, unknown_practices })
    }

    async fn unknown_practices(&self, job: &Job) -> Result<Vec<String>, ScheduleError> {
        if job.audience.practices.is_empty() {
            return Ok(Vec::new());
        }
        let everyone = crate::rounds::Audience::default().people(self.db.read()).await?;
        let known: std::collections::HashSet<String> =
            everyone.iter().map(|c| crate::contacts::practice_key(&c.practice)).collect();
        Ok(job
            .audience
            .practices
            .iter()
            .filter(|p| !known.contains(&crate::contacts::practice_key(p)))
            .cloned()
            .collect())
    }
}

/// The rounds of `job_id`'s occurrence at `at`.
async fn occurrence_rounds(
    pool: &Pool,
    job_id: &str,
    at: DateTime<Utc>,
) -> Result<Vec<RoundId>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM rounds WHERE job_id = $1 AND occurrence = $2 ORDER BY id")
        .bind(job_id)
        .bind(Timestamp::from(at))
        .fetch_all(pool)
        .await
}

/// Every round `job_id` opened, newest first.
pub async fn job_rounds(pool: &Pool, job_id: &str) -> Result<Vec<JobRound>, sqlx::Error> {
    sqlx::query_as(
        "SELECT id, part, opens_at, closes_at FROM rounds WHERE job_id = $1 ORDER BY opens_at DESC, id DESC",
    )
    .bind(job_id)
    .fetch_all(pool)
    .await
}

/// How many contacts a job would invite in each wijk now, wijken in order: what the jobs page
/// and `peil schedule` estimate a per-wijk job's shown wijken from (`results::feasibility`).
pub async fn contacts_per_wijk(
    pool: &Pool,
    job: &Job,
) -> Result<Vec<(String, usize)>, crate::contacts::ContactsError> {
    let people = crate::contacts::matching(pool, &job.audience.roles, &job.audience.wijken).await?;
    let mut counts: std::collections::BTreeMap<String, usize> = std::collections::BTreeMap::new();
    for person in people
        .into_iter()
        .filter(|p| job.audience.gemeenten.is_empty() || job.audience.gemeenten.contains(&p.gemeente))
        .filter(|p| !p.wijk.is_empty())
    {
        *counts.entry(person.wijk).or_default() += 1;
    }
    Ok(counts.into_iter().collect())
}
