//! What an outbox row is for (`MailKind`) and where it stands (`Status`), as stored in its
//! `kind` and `status` columns.

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
    /// A coordinator moved the person to another session: this seat ends (the calendar entry is
    /// withdrawn); the new seat gets its own confirmation or waiting-list mail.
    SeatMoved,
    /// A coordinator's message to everyone on a session (`signup::notices`).
    SessionNotice,
    /// The bewijs van deelname after attending (with the certificate as a PDF).
    Certificate,
}

impl MailKind {
    pub const ALL: [MailKind; 14] = [
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
        MailKind::SeatMoved,
        MailKind::SessionNotice,
        MailKind::Certificate,
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
            MailKind::SeatMoved => "seat-moved",
            MailKind::SessionNotice => "session-notice",
            MailKind::Certificate => "certificate",
        }
    }

    pub fn parse(text: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// What the coordinator reads on `/beheer/mail`.
    pub fn label(self) -> &'static str {
        match self {
            MailKind::Invitation => "uitnodiging",
            MailKind::Reminder => "herinnering",
            MailKind::Confirmation => "bevestiging van de antwoorden",
            MailKind::Registration => "aanmeldlink",
            MailKind::SeatConfirmed => "plaats bevestigd",
            MailKind::SeatWaiting => "op de wachtlijst",
            MailKind::SeatPromoted => "plaats vrijgekomen",
            MailKind::SeatCancelled => "plaats geannuleerd",
            MailKind::SessionCancelled => "bijeenkomst afgelast",
            MailKind::SessionChanged => "bijeenkomst gewijzigd",
            MailKind::SessionReminder => "herinnering aan de bijeenkomst",
            MailKind::SeatMoved => "verplaatst naar een andere bijeenkomst",
            MailKind::SessionNotice => "bericht over de bijeenkomst",
            MailKind::Certificate => "bewijs van deelname",
        }
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

    /// What the coordinator reads on `/beheer/mail`.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pending => "wacht",
            Status::Sending => "wordt verstuurd",
            Status::Sent => "verstuurd",
            Status::Failed => "mislukt",
            Status::Cancelled => "niet verstuurd",
        }
    }

    pub fn parse(text: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

/// A `kind` or `status` column holding a value this version does not know.
#[derive(Debug, thiserror::Error)]
#[error("unknown outbox {0}: {1:?}")]
pub struct UnknownKind(&'static str, String);

impl TryFrom<String> for MailKind {
    type Error = UnknownKind;

    fn try_from(text: String) -> Result<MailKind, UnknownKind> {
        MailKind::parse(&text).ok_or(UnknownKind("kind", text))
    }
}

impl TryFrom<String> for Status {
    type Error = UnknownKind;

    fn try_from(text: String) -> Result<Status, UnknownKind> {
        Status::parse(&text).ok_or(UnknownKind("status", text))
    }
}
