//! Job files (`jobs/*.toml`): which form goes to whom, on which schedule, open how long, with
//! which reminders. Loaded and checked like forms, every problem at once as
//! `file:line:col: message`; a service with a broken job file does not start. The scheduler acts
//! on the checked `Jobs`; `peil schedule` lists them.

pub mod accreditation;
pub mod checkup;
mod cron;
pub mod duration;
pub mod listing;
mod parse;
mod sections;
pub mod signup;

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::forms::fields::Ctx;
use crate::forms::{Diagnostic, Forms, Source};

/// A job, identified by its file name without `.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub id: String,
    pub form: String,
    /// `None` for a one-off job that is only started by hand.
    pub schedule: Option<Schedule>,
    pub audience: Audience,
    pub open_for: chrono::Duration,
    /// Offsets from the round's opening, ascending, each before `open_for`.
    pub reminders: Vec<chrono::Duration>,
    /// Overrides the form's `anonymous` when set.
    pub anonymous: Option<bool>,
    pub mail: MailTexts,
    /// For a sign-up form: its sessions and rules.
    pub signup: Option<signup::SignupRules>,
    /// `open_link = true`, for a survey: the round also has a public link (`/f/<slug>`) where
    /// anyone may ask for a personal link by mail, as open registration does for a sign-up.
    pub open_link: bool,
    /// `[retention]`: terms for this job's rounds over its form's (see `retention`).
    pub retention: crate::retention::Declared,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Audience {
    pub roles: Vec<String>,
    pub wijken: Vec<String>,
    pub gemeenten: Vec<String>,
    /// Practices as written in the contact list's `praktijk` column (see
    /// [`contacts::in_practices`](crate::contacts::in_practices)).
    pub practices: Vec<String>,
    /// `per = "wijk"`: one round per wijk among the matching contacts.
    pub per_wijk: bool,
}

/// Mail texts a job overrides; `None` keeps the default template.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MailTexts {
    pub invitation_subject: Option<String>,
    pub invitation_text: Option<String>,
    pub reminder_subject: Option<String>,
    pub reminder_text: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Schedule {
    /// As written in the file.
    pub cron: String,
    pub timezone: chrono_tz::Tz,
}

impl Schedule {
    /// The first occurrence strictly after `after`, computed in the job's time zone: "0 9 1 * *"
    /// is 09:00 on the local clock in winter and in summer. `None` if the pattern cannot be read
    /// (a loaded job's pattern always can) or has no further run.
    pub fn next_after(&self, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let cron = cron::compile(&self.cron).ok()?;
        cron::next_after(&cron, &self.timezone, after)
    }

    /// The runs strictly after `after`, in order.
    pub fn runs_after(&self, after: DateTime<Utc>) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        let cron = cron::compile(&self.cron).ok();
        let next = move |t: DateTime<Utc>| cron.as_ref().and_then(|c| cron::next_after(c, &self.timezone, t));
        std::iter::successors(next(after), move |t| next(*t))
    }
}

/// Every job, sorted by id.
#[derive(Clone, Debug, Default)]
pub struct Jobs {
    pub jobs: Vec<Job>,
}

impl Jobs {
    pub fn get(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id == id)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum JobsError {
    #[error("{}\n{} problem(s) found in the job files", join(.0), .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error("cannot read the jobs folder {0}: {1}")]
    Folder(String, std::io::Error),
}

fn join(diags: &[Diagnostic]) -> String {
    diags.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// Loads and checks `dir/*.toml` against the checked `forms`. No folder means no jobs: rounds
/// can still be opened by hand.
pub fn load(dir: &Path, forms: &Forms) -> Result<Jobs, JobsError> {
    load_warned(dir, forms).map(|(jobs, _)| jobs)
}

/// [`load`] with the jobs' warnings (`file:line:col: warning: ...`), which refuse nothing.
pub fn load_warned(dir: &Path, forms: &Forms) -> Result<(Jobs, Vec<Diagnostic>), JobsError> {
    if !dir.exists() {
        return Ok((Jobs::default(), Vec::new()));
    }
    if !dir.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder");
        return Err(JobsError::Folder(dir.display().to_string(), e));
    }
    let mut diags = Vec::new();
    let mut warnings = Vec::new();
    let mut jobs = Vec::new();
    for (name, src) in crate::forms::toml_files(dir, &mut diags) {
        if !crate::forms::is_form_id(&name) {
            let message =
                format!("the file name `{name}` is the job's id: use lower-case letters, digits and - only");
            diags.push(src.diagnostic(0, message));
            continue;
        }
        let ctx = Ctx::new(&src);
        jobs.extend(parse::read_job(&ctx, name, forms));
        warnings.extend(ctx.take_warnings());
        diags.extend(ctx.into_diagnostics());
    }
    if diags.is_empty() { Ok((Jobs { jobs }, warnings)) } else { Err(JobsError::Invalid(diags)) }
}

/// Checks one job's text (as if it were `file`) against `forms`: for tests and tools.
pub fn check_text(file: &str, text: &str, forms: &Forms) -> Result<Job, Vec<Diagnostic>> {
    let src = Source::new(file.to_string(), text.to_string());
    let name = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or("job");
    let ctx = Ctx::new(&src);
    let job = parse::read_job(&ctx, name.to_string(), forms);
    let diags = ctx.into_diagnostics();
    match job {
        Some(job) if diags.is_empty() => Ok(job),
        _ => Err(diags),
    }
}
