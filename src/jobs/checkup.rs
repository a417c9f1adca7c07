//! The form and job files checked as `peil check` checks them, for the start page of `/beheer`:
//! every problem as `peil check` prints it (`file:line:col: message`), and the jobs when they
//! all pass. The files are read again each time, so the page shows what a restart would meet.

use std::path::Path;

use super::{Jobs, JobsError};
use crate::forms;

/// What the files say now.
#[derive(Debug, Default)]
pub struct Checkup {
    /// Every problem, one line each; empty when all files check.
    pub problems: Vec<String>,
    /// The jobs, when all job files check (against the forms that do).
    pub jobs: Option<Jobs>,
}

pub fn checkup(forms_dir: &Path, jobs_dir: &Path) -> Checkup {
    let checked = match forms::check(forms_dir) {
        Ok(checked) => checked,
        Err(e) => return Checkup { problems: lines(&e.to_string()), jobs: None },
    };
    let mut problems: Vec<String> = checked.problems.iter().map(ToString::to_string).collect();
    let jobs = match super::load(jobs_dir, &checked.forms) {
        Ok(jobs) => Some(jobs),
        Err(JobsError::Invalid(diags)) => {
            problems.extend(diags.iter().map(ToString::to_string));
            None
        }
        Err(e @ JobsError::Folder(..)) => {
            problems.push(e.to_string());
            None
        }
    };
    Checkup { problems, jobs }
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}
