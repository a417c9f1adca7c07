//! E-mail: the outbox, its worker, the transports and the messages themselves.
//!
//! Whatever causes a mail (a round opening, a reminder falling due) writes an outbox row in its
//! own transaction (`outbox`); the worker (`worker`, with `rows`) claims due rows, checks they
//! still make sense (`obsolete`), renders them (`render`, `message`, `calendar`) and hands them to
//! SMTP or to `.eml` files (`transport`). The outbox never holds a personal link or a body: both are derived again at
//! send time.

mod backoff;
mod calendar;
mod message;
mod obsolete;
mod optout;
mod outbox;
mod relay;
mod render;
mod report;
mod rows;
mod transport;
mod worker;

pub use backoff::{MAX_ATTEMPTS, backoff};
pub use optout::opt_out;
pub use outbox::{queue_invitations, queue_registration, queue_reminders, queue_seat_mail};
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

/// What an outbox row is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MailKind {
    Invitation,
    Reminder,
    /// "We received your answers". Nothing queues it yet: it arrives with confirmations on
    /// submission, and the worker and templates already handle it.
    Confirmation,
    /// An open registration's link, sent to the address given: following it confirms the
    /// address and leads to the sign-up form.
    Registration,
    /// A seat is yours (with a calendar file).
    SeatConfirmed,
    /// The session is full: you are on the waiting list at place n.
    SeatWaiting,
    /// A seat came free and is now yours (with a calendar file).
    SeatPromoted,
    /// You cancelled (the calendar entry is withdrawn).
    SeatCancelled,
    /// The coordinator cancelled the session.
    SessionCancelled,
    /// The session's time or place changed (with an updated calendar file).
    SessionChanged,
    /// The session is soon (by default tomorrow).
    SessionReminder,
}

impl MailKind {
    pub const ALL: [MailKind; 11] = [
        MailKind::Invitation,
        MailKind::Reminder,
        MailKind::Confirmation,
        MailKind::Registration,
        MailKind::SeatConfirmed,
        MailKind::SeatWaiting,
        MailKind::SeatPromoted,
        MailKind::SeatCancelled,
        MailKind::SessionCancelled,
        MailKind::SessionChanged,
        MailKind::SessionReminder,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Invitation => "invitation",
            MailKind::Reminder => "reminder",
            MailKind::Confirmation => "confirmation",
            MailKind::Registration => "registration",
            MailKind::SeatConfirmed => "seat-confirmed",
            MailKind::SeatWaiting => "seat-waiting",
            MailKind::SeatPromoted => "seat-promoted",
            MailKind::SeatCancelled => "seat-cancelled",
            MailKind::SessionCancelled => "session-cancelled",
            MailKind::SessionChanged => "session-changed",
            MailKind::SessionReminder => "session-reminder",
        }
    }

    pub fn parse(text: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The mails a contact's opt-out stops (and which carry the unsubscribe headers): those the
    /// organisation sends on its own initiative. Registrations and seat mails were asked for.
    pub fn follows_opt_out(self) -> bool {
        matches!(self, MailKind::Invitation | MailKind::Reminder | MailKind::Confirmation)
    }

    /// Mails about a seat: they name one and may carry a calendar file.
    pub fn is_about_a_seat(self) -> bool {
        !matches!(
            self,
            MailKind::Invitation | MailKind::Reminder | MailKind::Confirmation | MailKind::Registration
        )
    }
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

/// An outbox row's id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutboxId(pub i64);

impl std::fmt::Display for OutboxId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
