//! Job files as a coordinator meets them: every kind of mistake is reported as
//! `file:line:col: message`, all at once; the shipped jobs load; schedules keep their local
//! time across daylight-saving changes; `peil check` and `peil schedule` show it all.

mod accreditation;
mod keys;
mod practices;
mod timing;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use peil::forms::Forms;
use peil::jobs::{self, Job, JobsError, Schedule};

use crate::helpers::repo;

const FILE: &str = "jobs/test.toml";

/// The shipped forms and lists, which the jobs refer to.
fn forms() -> &'static Forms {
    static FORMS: OnceLock<Forms> = OnceLock::new();
    FORMS.get_or_init(|| peil::forms::load(&repo("forms")).expect("the shipped forms load"))
}

/// A job file written in a test; the leading newline is dropped so line 1 is the first line.
fn source(text: &str) -> &str {
    text.strip_prefix('\n').unwrap_or(text)
}

/// The problems in a job file, each as `file:line:col: message`.
fn errors(text: &str) -> Vec<String> {
    match jobs::check_text(FILE, source(text), forms()) {
        Ok(job) => panic!("expected problems, but the job is valid: {job:?}"),
        Err(diags) => diags.iter().map(ToString::to_string).collect(),
    }
}

fn job(text: &str) -> Job {
    match jobs::check_text(FILE, source(text), forms()) {
        Ok(job) => job,
        Err(diags) => panic!("expected a valid job, got:\n{diags:#?}"),
    }
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse().expect("an RFC 3339 time")
}

fn amsterdam(cron: &str) -> Schedule {
    Schedule { cron: cron.to_string(), timezone: chrono_tz::Europe::Amsterdam }
}

fn runs(schedule: &Schedule, after: &str, n: usize) -> Vec<String> {
    schedule.runs_after(utc(after)).take(n).map(|t| t.format("%Y-%m-%dT%H:%MZ").to_string()).collect()
}
