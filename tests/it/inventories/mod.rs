//! The programme's two inventories shipped in `forms/` and `jobs/`, run as the coordinator runs
//! them: the VS-GGZ's quarterly monitor for the practices where it works, and the requests for a
//! blended-care visit that practices send through an open link.

mod visit_requests;
mod vs_ggz;

use std::sync::Arc;

use chrono::{Duration, Utc};
use peil::schedule::Scheduler;
use peil::time::clock::ManualClock;

use crate::helpers::{TestApp, repo};

/// A scheduler with the shipped jobs, on a clock two hours back, with the schedules taken off: each
/// start by hand is then a round of its own (see `schedule::manual_start`), as in the results
/// scenario.
fn scheduler(app: &TestApp) -> (Scheduler, Arc<ManualClock>) {
    let mut jobs = peil::jobs::load(&repo("jobs"), &app.forms).expect("shipped jobs");
    jobs.jobs.iter_mut().for_each(|job| job.schedule = None);
    let clock = ManualClock::at(Utc::now() - Duration::hours(2));
    let scheduler =
        Scheduler::new(app.db.clone(), app.forms.clone(), Arc::new(jobs), app.secret.clone(), clock.clone());
    (scheduler, clock)
}
