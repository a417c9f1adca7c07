//! Sign-ups: opening a sign-up round on top of `rounds` (`open`), the sessions it offers
//! (`sessions`), the seats people take in them and the waiting list behind each (`seats`), and
//! the mails about them queued in the outbox (`outbox::enqueue`); `planning` holds the rules a
//! coordinator's additions and changes to sessions follow. `mail` writes the calendar files
//! those mails carry. `registration` is the public registration page's domain, with its rate
//! limit (`limit`) and what counts as a person's name (`name`).
//!
//! How a seat is never given twice: every change to a session's seats starts by updating that
//! session's row. Taking a seat is `UPDATE sessions SET taken = taken + 1 WHERE ... AND taken <
//! capacity`, one statement that either takes a seat or does not; cancelling locks the row the
//! same way before it frees a seat and moves the first person on the waiting list up. On SQLite
//! the write lock and on PostgreSQL the row lock put these steps one after another, and the
//! `CHECK (taken <= capacity)` on the table refuses any write that would overbook, whatever the
//! code does. A seat's id is its place in the queue, so the waiting list keeps arrival order.
//! On PostgreSQL a sign-up's lock, the seat and its mail are one statement followed by the
//! COMMIT, and the lock goes before the commit's flush (see `seats::take` and `db::flush`), so a
//! rush for one session waits for as little as possible.

pub mod attendance;
pub mod choices;
pub mod erasure;
pub mod limit;
pub mod moving;
mod name;
pub mod notices;
mod open;
pub mod planning;
pub mod registration;
pub(crate) mod retention;
pub mod roster;
pub mod seats;
pub mod sessions;
pub mod switch;

use chrono::{DateTime, Utc};

pub use open::{SignupRound, open, open_with_link};
pub use seats::{Cancelled, Taken};
pub use sessions::{NewSession, Session, SessionChange};

crate::db::id!(SessionId);

crate::db::id!(SeatId);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SeatStatus {
    Confirmed,
    Waiting,
    Cancelled,
}

impl SeatStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SeatStatus::Confirmed => "confirmed",
            SeatStatus::Waiting => "waiting",
            SeatStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<SeatStatus> {
        [SeatStatus::Confirmed, SeatStatus::Waiting, SeatStatus::Cancelled]
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// As the attendance list and the personal page say it.
    pub fn dutch(self) -> &'static str {
        match self {
            SeatStatus::Confirmed => "aangemeld",
            SeatStatus::Waiting => "wachtlijst",
            SeatStatus::Cancelled => "afgemeld",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SignupError {
    #[error("there is no session {0}")]
    UnknownSession(SessionId),
    #[error("there is no seat {0}")]
    UnknownSeat(SeatId),
    /// The chosen session is not (or no longer) offered: unknown code or cancelled.
    #[error("session `{0}` is not offered in this round")]
    NotOffered(String),
    #[error("session {0} is cancelled")]
    SessionCancelled(SessionId),
    #[error("the seat was already cancelled")]
    AlreadyCancelled,
    /// Cancelling by link closes `cancel_until` before the session starts.
    #[error("seats can be cancelled until {}", crate::time::dutch(*.deadline))]
    TooLate { deadline: DateTime<Utc> },
    #[error("the session already has {taken} confirmed seats; a capacity of {capacity} would overbook it")]
    CapacityBelowTaken { capacity: u32, taken: u32 },
    #[error("a session ends after it starts")]
    EndsBeforeStart,
    #[error("a person is moved to another session, not to the one they are in")]
    SameSession,
    #[error("session {0} belongs to another round")]
    OtherRound(SessionId),
    #[error("the person already has a seat or waiting place in session {0}")]
    AlreadyThere(SessionId),
    #[error("no contact has the address {0}")]
    NotAContact(String),
    #[error("session {0} is over")]
    Over(SessionId),
    #[error("a message needs a subject and a text")]
    EmptyNotice,
    #[error("round {0} has a session with code `{1}` already")]
    DuplicateCode(crate::rounds::RoundId, String),
    /// A switch to a session whose last seat went while the person chose.
    #[error("session `{0}` has no seat left")]
    Full(String),
    /// The person holds a seat or waiting place in the chosen session already.
    #[error("the person is signed up for this session already")]
    AlreadyHeld,
    /// A switch from a waiting place that was promoted or cancelled since the page was shown.
    #[error("the seat is no longer on the waiting list")]
    NotWaiting,
    /// Choosing a session by link closes when cancelling it would: `cancel_until` before it starts.
    #[error("sessions can be chosen until {}", crate::time::dutch(*.deadline))]
    ChoiceClosed { deadline: DateTime<Utc> },
    /// The person holds as many confirmed seats as the round's form allows (one for intervisie).
    #[error("the person holds {0} confirmed seats already, as many as the form allows")]
    SeatLimit(u32),
    #[error("the form snapshot of round {0} does not read: {1}")]
    Snapshot(crate::rounds::RoundId, serde_json::Error),
    #[error(transparent)]
    Outbox(#[from] crate::outbox::OutboxError),
    #[error(transparent)]
    Certificate(#[from] crate::certificates::CertificateError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// A `status` column that holds none of the three; the table's CHECK allows no other text.
#[derive(Debug, thiserror::Error)]
#[error("not a seat status: {0:?}")]
pub struct BadSeatStatus(String);

impl TryFrom<String> for SeatStatus {
    type Error = BadSeatStatus;

    fn try_from(text: String) -> Result<SeatStatus, BadSeatStatus> {
        SeatStatus::parse(&text).ok_or(BadSeatStatus(text))
    }
}
