//! E-mail: the outbox's worker, the transports and the messages themselves.
//!
//! Whatever causes a mail (a round opening, a reminder falling due) writes an outbox row in its
//! own transaction (`rounds` and `signup` do, through the `outbox` module); the worker
//! (`worker`) claims due rows through `outbox`, reads what each needs (`rows`), checks they still
//! make sense (`obsolete`), renders
//! them (`render`, `message`, `calendar` with `ics`) and hands them to SMTP or to `.eml` files
//! (`transport`, on peil's own connections to the relay: `relay`, `endpoint`, `tls`). The outbox never holds a personal link or a body: both are derived again at
//! send time.

mod backoff;
mod calendar;
mod certificate;
mod endpoint;
mod ics;
mod message;
mod obsolete;
mod optout;
mod preview;
mod relay;
mod render;
mod report;
mod rows;
mod tls;
mod transport;
mod worker;

/// The outbox's own vocabulary, named here too since every caller of `mail` speaks it.
pub use crate::outbox::{OutboxId, Status};
pub use backoff::{MAX_ATTEMPTS, backoff};
pub use optout::opt_out;
pub use preview::{EXAMPLE_NAME, Example};
pub use render::{Rendered, one_line};
pub use report::{Failure, Report, RoundCounts, report};
pub use tls::Trust;
pub use transport::{SendError, Transport};
pub use worker::{Delivery, Mailer};

/// The sender of every mail: `mail_from`'s address, under the organisation's name when it has
/// one (see `[organisation]`), else as `mail_from` names it.
pub fn sender(settings: &crate::settings::Settings) -> Result<lettre::message::Mailbox, MailError> {
    let from = settings.mail_from.parse().map_err(|_| MailError::From(settings.mail_from.clone()))?;
    Ok(render::from_mailbox(&from, &settings.organisation))
}

/// Why something in the mail module did not work.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("outbox: {0}")]
    Outbox(#[from] crate::outbox::OutboxError),
    #[error("mail templates: {0}")]
    Template(#[from] rocket_dyn_templates::tera::Error),
    #[error("mail_from `{0}` is not an address like `peil <peil@example.org>`")]
    From(String),
    #[error("the SMTP URL is not usable: {0}")]
    SmtpUrl(String),
    /// The organisation's own CA for the relay; the start stops rather than fail every send.
    #[error(
        "smtp_ca_file {path} {reason}; give a PEM file with the CA certificate(s) the relay's certificate is signed by"
    )]
    CaFile { path: String, reason: String },
    #[error("TLS to the relay: {0}")]
    Tls(String),
    #[error("cannot create the mail folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error("outbox row {0} has an unknown {1}")]
    Corrupt(i64, &'static str),
}
