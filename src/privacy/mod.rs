//! What peil tells people about their data (AVG article 13) and what it lists for the
//! organisation's processing register (article 30), as plain data built from the forms, the jobs
//! and the settings. `statement` is the page at `/privacy/<form>`, `register` the entries that
//! `peil privacy register` and `/beheer/verwerkingsregister` print, `asked` what a form asks that
//! says who someone is, and `measures` the security measures of docs/security.md in Dutch.
//!
//! Both are derived, never written by hand: a statement that is typed once goes stale the day a
//! form gains a question or a job makes a form anonymous. No HTML is built here; the templates
//! word it, and the register's Markdown and CSV are plain text.

pub mod asked;
pub mod measures;
pub mod register;
pub mod statement;

use serde::Serialize;

use crate::forms::Form;
use crate::jobs::{Job, Jobs};
use crate::organisation::Organisation;
use crate::settings::Settings;

pub use register::Entry;
pub use statement::Statement;

/// The settings a statement and a register entry depend on.
#[derive(Clone, Copy, Debug)]
pub struct Setup<'a> {
    pub organisation: &'a Organisation,
    /// The configured privacy threshold; a form may raise it.
    pub min_group_size: u32,
    /// Mail goes through a relay (`smtp_url`), so a mail provider receives it.
    pub mail_relay: bool,
    /// The retention terms where a form or job does not declare its own.
    pub retention: &'a crate::retention::Defaults,
}

impl<'a> Setup<'a> {
    pub fn of(settings: &'a Settings) -> Setup<'a> {
        Setup {
            organisation: &settings.organisation,
            min_group_size: settings.min_group_size,
            mail_relay: settings.smtp_url.is_some(),
            retention: &settings.retention,
        }
    }
}

/// `text` with its first letter a capital, for a line that starts with a word written in lower
/// case elsewhere ("persoonlijke links" → "Persoonlijke links").
pub(crate) fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

/// Whether the rounds of a form are anonymous: a job may override the form's own `anonymous`,
/// and a round opened by hand takes the form's, so one form can be used both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Anonymity {
    Anonymous,
    Identified,
    /// Some rounds anonymous, some not.
    Both,
}

impl Anonymity {
    /// How the form is used: by its own default (rounds opened by hand) and by every job.
    pub fn of(form: &Form, jobs: &[&Job]) -> Anonymity {
        let mut uses =
            std::iter::once(form.anonymous).chain(jobs.iter().map(|j| j.anonymous.unwrap_or(form.anonymous)));
        let first = form.anonymous;
        match uses.all(|a| a == first) {
            true if first => Anonymity::Anonymous,
            true => Anonymity::Identified,
            false => Anonymity::Both,
        }
    }

    /// One job's rounds: its own setting, else the form's.
    pub fn of_job(form: &Form, job: &Job) -> Anonymity {
        match job.anonymous.unwrap_or(form.anonymous) {
            true => Anonymity::Anonymous,
            false => Anonymity::Identified,
        }
    }

    /// For one round, when the link says which it is: a form used both ways then shows only the
    /// way of that round. A form used one way only keeps it, whatever a link says.
    pub fn for_round(self, round: Option<bool>) -> Anonymity {
        match (self, round) {
            (Anonymity::Both, Some(true)) => Anonymity::Anonymous,
            (Anonymity::Both, Some(false)) => Anonymity::Identified,
            (other, _) => other,
        }
    }

    pub fn dutch(self) -> &'static str {
        match self {
            Anonymity::Anonymous => "ja",
            Anonymity::Identified => "nee",
            Anonymity::Both => "per ronde: sommige rondes anoniem, andere niet",
        }
    }
}

/// The address of `form`'s statement, for a round that is `anonymous` or not (the respondent
/// pages and the mails link here; `ronde` picks the round's way when the form is used both ways).
pub fn link(form: &str, anonymous: bool) -> String {
    format!("/privacy/{form}?ronde={}", if anonymous { "anoniem" } else { "niet-anoniem" })
}

/// The statement's address for a respondent of `round`.
pub fn round_link(round: &crate::rounds::Round) -> String {
    link(&round.form.id.0, round.anonymous)
}

/// The jobs that send `form`, in the order of their ids.
pub fn jobs_of<'j>(jobs: &'j Jobs, form: &Form) -> Vec<&'j Job> {
    jobs.jobs.iter().filter(|j| j.form == form.id.0).collect()
}
