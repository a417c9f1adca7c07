//! The outbox's vocabulary, shared by those who write its rows and the worker that reads them:
//! what a row is for (`MailKind`) and why queueing one failed (`OutboxError`).
//!
//! Whatever causes a mail writes its outbox row in the caller's own transaction, so the business
//! change and its mail exist together or not at all: `rounds` queues invitations and reminders,
//! `signup` seat mails and registration links. A dedupe key makes every such call idempotent. The
//! rows hold no personal link and no body; `mail` claims them, renders and sends.

/// Why a row could not be queued.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
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
