//! A job's invitation and reminder as they will read, for the jobs page: rendered by the mailer's
//! own templates, sender and job texts, for an example person with a dummy link. Nothing is
//! queued or sent.

use chrono::{DateTime, Utc};

use super::MailError;
use super::render::{Letter, Rendered};
use super::worker::Mailer;
use crate::jobs::MailTexts;
use crate::outbox::MailKind;

/// The example person a preview is addressed to.
pub const EXAMPLE_NAME: &str = "Voorbeeld Naam";

/// What a preview is about: the round the mail would be for.
pub struct Example<'a> {
    pub kind: MailKind,
    /// The form, whose privacy statement the mail links to.
    pub form: &'a str,
    pub title: &'a str,
    pub closes_at: DateTime<Utc>,
    pub anonymous: bool,
    /// A sign-up job's round.
    pub signup: bool,
    pub texts: Option<&'a MailTexts>,
    pub now: DateTime<Utc>,
}

impl Mailer {
    /// `example` rendered as the worker would render it, with a dummy personal link.
    pub fn preview(&self, example: &Example<'_>) -> Result<Rendered, MailError> {
        let link = format!("{}/r/voorbeeldlink", self.base_url());
        let unsubscribe = format!("{link}/afmelden");
        let privacy = format!("{}{}", self.base_url(), crate::privacy::link(example.form, example.anonymous));
        let sender = self.sender();
        let letter = Letter {
            kind: example.kind,
            name: EXAMPLE_NAME,
            title: example.title,
            closes_at: example.closes_at,
            anonymous: example.anonymous,
            signup: example.signup,
            link: &link,
            unsubscribe: &unsubscribe,
            privacy: &privacy,
            sender: &sender,
            contact: self.contact(),
            seat: None,
            now: example.now,
            notice: None,
        };
        self.templates().render(&letter, example.texts)
    }
}
