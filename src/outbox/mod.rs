//! The outbox: its vocabulary (`MailKind`, `Status`, `OutboxId`), and every statement that writes
//! its rows. Nothing else writes the `outbox` table (a seat's mail is queued by the statement that
//! takes the seat on PostgreSQL, from `mail_about_new_seat!` here).
//!
//! Whatever causes a mail queues its outbox row with [`enqueue`] in the caller's own transaction,
//! so the business change and its mail exist together or not at all: `rounds` queues invitations
//! and reminders, `signup` seat mails and registration links. A dedupe key makes every such call
//! idempotent. The rows hold no personal link and no body; `mail` claims them ([`claim`]), renders
//! and sends, and records how each attempt ended (`lease`). A coordinator reads how the mail is
//! getting on (`delivery`) and puts a failed mail back in the queue (`retry`).

pub mod delivery;
pub mod erasure;
mod kind;
mod lease;
mod queue;
pub(crate) mod retention;
mod retry;

pub use kind::{MailKind, Status, UnknownKind};
pub use lease::{Claimed, claim, finish, mark_sent, renew, retry_at};
pub(crate) use queue::mail_about_new_seat;
pub use queue::{
    Queue, cancel_for_closed_round, cancel_for_opt_out, enqueue, forget_invitation,
    requeue_cancelled_seat_mail, waiting_for_contact,
};
pub use retry::{requeue_failed_for_contact, retry, retry_round};

/// Why a row could not be queued or settled.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("there is no mail {0}")]
    Unknown(OutboxId),
    #[error("mail {0} has not failed (it is {status}), so there is nothing to try again", status = .1.as_str())]
    NotFailed(OutboxId, Status),
}

crate::db::id!(
    /// An outbox row's id.
    OutboxId
);
