//! The effective terms of every form and job, in Dutch: what `/beheer/bewaartermijnen` lists and
//! what the privacy statement and the processing register can quote.

use serde::Serialize;

use super::{Defaults, policy};
use crate::catalog::Loaded;

/// The terms of one form (rounds opened by hand) or one job (its rounds).
#[derive(Clone, Debug, Serialize)]
pub struct Terms {
    /// "formulier" or "job".
    pub of: &'static str,
    pub id: String,
    /// The form's title (a job's form's).
    pub title: String,
    pub lines: Vec<Line>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Line {
    pub what: &'static str,
    pub text: String,
}

/// Every form, then every job, each with its terms.
pub fn terms(set: &Loaded, defaults: &Defaults) -> Vec<Terms> {
    let lines = |described: Vec<(&'static str, String)>| {
        described.into_iter().map(|(what, text)| Line { what, text }).collect()
    };
    let forms = set.forms.iter().map(|form| Terms {
        of: "formulier",
        id: form.id.to_string(),
        title: form.title.nl.clone(),
        lines: lines(policy(defaults, form, None).describe()),
    });
    let jobs = set.jobs.jobs.iter().filter_map(|job| {
        let form = set.forms.get(&job.form)?;
        Some(Terms {
            of: "job",
            id: job.id.clone(),
            title: form.title.nl.clone(),
            lines: lines(policy(defaults, form, Some(job)).describe()),
        })
    });
    forms.chain(jobs).collect()
}
