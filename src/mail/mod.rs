//! E-mail: the outbox's worker, the transports and the messages themselves.
//!
//! Whatever causes a mail (a round opening, a reminder falling due) writes an outbox row in its
//! own transaction (`rounds` and `signup` do, with the kinds of the `outbox` module); the worker
//! (`worker`, with `rows`) claims due rows, checks they still make sense (`obsolete`), renders
//! them (`render`, `message`, `calendar` with `ics`) and hands them to SMTP or to `.eml` files
//! (`transport`). The outbox never holds a personal link or a body: both are derived again at
//! send time.

mod backoff;
mod calendar;
mod ics;
mod message;
mod obsolete;
mod optout;
mod relay;
mod render;
mod report;
mod rows;
mod transport;
mod worker;

pub use backoff::{MAX_ATTEMPTS, backoff};
pub use optout::opt_out;
pub use report::{Failure, Report, RoundCounts, report};
pub use transport::{SendError, Transport};
pub use worker::{Delivery, Mailer};

/// Why something in the mail module did not work.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("mail templates: {0}")]
    Template(#[from] rocket_dyn_templates::tera::Error),
    #[error("mail_from `{0}` is not an address like `peil <peil@example.org>`")]
    From(String),
    #[error("the SMTP URL is not usable: {0}")]
    SmtpUrl(String),
    #[error("cannot create the mail folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("outbox row {0} has an unknown {1}")]
    Corrupt(i64, &'static str),
}

/// Where an outbox row stands: pending -> sending -> sent | failed | cancelled, and back from
/// sending to pending for a retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Status {
    Pending,
    Sending,
    Sent,
    Failed,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 5] =
        [Status::Pending, Status::Sending, Status::Sent, Status::Failed, Status::Cancelled];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Sending => "sending",
            Status::Sent => "sent",
            Status::Failed => "failed",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

crate::db::id!(
    /// An outbox row's id.
    OutboxId
);
