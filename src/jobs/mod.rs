//! Job files (`jobs/*.toml`): which form goes to whom, on which schedule, open how long, with
//! which reminders. Loaded and checked like forms; the scheduler acts on them.
//!
//! (Work in progress: the types below are the interface the scheduler and the mail worker use.)

use chrono::{DateTime, Utc};

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
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Audience {
    pub roles: Vec<String>,
    pub wijken: Vec<String>,
    pub gemeenten: Vec<String>,
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
    /// The first occurrence strictly after `after`, computed in the job's time zone.
    pub fn next_after(&self, _after: DateTime<Utc>) -> Option<DateTime<Utc>> {
        todo!("jobs helper")
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
