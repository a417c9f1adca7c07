//! A contact's history as the coordinator's page shows it: the rounds they were invited to and
//! whether they answered, the seats they took, and the mails peil queued for them.
//!
//! Never what anyone answered. For an anonymous round the invitation keeps "has answered" (for
//! reminders, without a time), and docs/security.md says an administrator knows who was invited
//! and who has answered; the page shows no more than that.

use chrono::{DateTime, Utc};

use super::ContactId;
use crate::db::{Pool, Timestamp};
use crate::outbox::{MailKind, Status};
use crate::rounds::RoundId;
use crate::signup::SeatStatus;

/// Rows of each kind read, newest first: a contact of many years still opens at once.
const MAX_ROWS: i64 = 200;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct InvitationLine {
    pub round: RoundId,
    pub title: String,
    pub form_id: String,
    #[sqlx(try_from = "i64")]
    pub anonymous: IntFlag,
    #[sqlx(try_from = "Timestamp")]
    pub invited_at: DateTime<Utc>,
    #[sqlx(try_from = "i64")]
    pub answered: IntFlag,
    #[sqlx(try_from = "Timestamp")]
    pub closes_at: DateTime<Utc>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct SeatLine {
    pub round_title: String,
    pub session: String,
    #[sqlx(try_from = "Timestamp")]
    pub starts_at: DateTime<Utc>,
    #[sqlx(try_from = "String")]
    pub status: SeatStatus,
    #[sqlx(try_from = "i64")]
    pub session_cancelled: IntFlag,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MailLine {
    #[sqlx(try_from = "String")]
    pub kind: MailKind,
    #[sqlx(try_from = "String")]
    pub status: Status,
    pub round_title: Option<String>,
    /// When it was sent, or for a waiting mail its next attempt, or when it was settled.
    #[sqlx(try_from = "Timestamp")]
    pub at: DateTime<Utc>,
    pub attempts: i64,
    pub last_error: Option<String>,
}

/// A 0/1 INTEGER column as a `bool`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IntFlag(pub bool);

impl From<i64> for IntFlag {
    fn from(value: i64) -> IntFlag {
        IntFlag(value != 0)
    }
}

#[derive(Clone, Debug, Default)]
pub struct History {
    pub invitations: Vec<InvitationLine>,
    pub seats: Vec<SeatLine>,
    pub mails: Vec<MailLine>,
}

pub async fn history(pool: &Pool, contact: ContactId) -> Result<History, sqlx::Error> {
    let invitations = sqlx::query_as(
        "SELECT r.id AS round, r.title, r.form_id, r.anonymous, i.created_at AS invited_at, i.answered, \
         r.closes_at FROM invitations i JOIN rounds r ON r.id = i.round_id \
         WHERE i.contact_id = $1 ORDER BY i.created_at DESC, i.id DESC LIMIT $2",
    )
    .bind(contact)
    .bind(MAX_ROWS)
    .fetch_all(pool)
    .await?;
    let seats = sqlx::query_as(
        "SELECT r.title AS round_title, s.title AS session, s.starts_at, st.status, \
         s.cancelled AS session_cancelled FROM seats st JOIN sessions s ON s.id = st.session_id \
         JOIN rounds r ON r.id = s.round_id JOIN invitations i ON i.id = st.invitation_id \
         WHERE i.contact_id = $1 ORDER BY s.starts_at DESC, st.id DESC LIMIT $2",
    )
    .bind(contact)
    .bind(MAX_ROWS)
    .fetch_all(pool)
    .await?;
    let mails = sqlx::query_as(
        "SELECT o.kind, o.status, r.title AS round_title, COALESCE(o.sent_at, o.due_at) AS at, \
         o.attempts, o.last_error FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
         LEFT JOIN rounds r ON r.id = o.round_id WHERE i.contact_id = $1 ORDER BY o.id DESC LIMIT $2",
    )
    .bind(contact)
    .bind(MAX_ROWS)
    .fetch_all(pool)
    .await?;
    Ok(History { invitations, seats, mails })
}
