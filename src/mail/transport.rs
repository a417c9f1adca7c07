//! Where messages go: an SMTP relay (on peil's own connections, see `relay`) when `smtp_url` is
//! set, otherwise `.eml` files in `data_dir/outbox/`, so a fresh install shows its mails without any
//! mail server. Failures are sorted into the ones worth retrying and the ones that are final.

use std::path::{Path, PathBuf};
use std::time::Duration;

use lettre::Message;

use super::MailError;
use super::endpoint::{Endpoint, redact};
use super::tls::Trust;
use crate::settings::Settings;

/// An SMTP conversation that hangs longer than this counts as a temporary failure.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

pub enum Transport {
    /// SMTP, with or without TLS and a login, on peil's own NODELAY connections; see `relay`.
    Relay { relay: super::relay::Relay, described: String },
    /// Written by peil itself rather than by lettre's file transport, which makes its files
    /// with the umask's mode: each holds a personal link, so only peil's user may read it.
    Files { dir: PathBuf, described: String },
}

/// How a send failed, as far as retrying is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SendError {
    /// Worth trying again later. `connection` says the relay itself is unreachable, so the
    /// other messages of the batch would fail alike.
    Temporary { reason: String, connection: bool },
    /// The relay refused this message for good (5xx): trying again changes nothing.
    Permanent(String),
}

impl Transport {
    pub fn from_settings(settings: &Settings) -> Result<Transport, MailError> {
        match &settings.smtp_url {
            Some(url) => {
                let trust = Trust::load(settings.smtp_ca_file.as_deref())?;
                Transport::smtp(url.expose(), &trust, settings.mail_concurrency.max(1))
            }
            None => Transport::files(&settings.data_dir.join("outbox")),
        }
    }

    /// `smtp://host:port`, `smtps://user:pass@host`, `smtp://host?tls=required`, ...
    pub fn smtp(url: &str, trust: &Trust, connections: u32) -> Result<Transport, MailError> {
        let relay = super::relay::Relay::new(Endpoint::parse(url)?, trust, connections, SMTP_TIMEOUT)?;
        let anchors = match trust.extra() {
            0 => String::new(),
            n => format!(", trusting {n} certificate(s) from smtp_ca_file"),
        };
        Ok(Transport::Relay { relay, described: format!("SMTP via {}{anchors}", redact(url)) })
    }

    pub fn files(dir: &Path) -> Result<Transport, MailError> {
        crate::private::create_folder(dir).map_err(|e| MailError::Folder(dir.display().to_string(), e))?;
        let described = format!(".eml files in {} (no smtp_url set)", dir.display());
        Ok(Transport::Files { dir: dir.to_path_buf(), described })
    }

    /// For the log: the kind and address of the transport, never a password.
    pub fn describe(&self) -> &str {
        match self {
            Transport::Relay { described, .. } | Transport::Files { described, .. } => described,
        }
    }

    pub async fn send(&self, message: Message) -> Result<(), SendError> {
        match self {
            Transport::Relay { relay, .. } => relay.send(&message).await,
            Transport::Files { dir, .. } => write_eml(dir, &message).await.map_err(|e| {
                SendError::Temporary { reason: format!("writing the .eml file: {e}"), connection: true }
            }),
        }
    }
}

/// The message as a new 0600 file under a random name, written off the async threads.
async fn write_eml(dir: &Path, message: &Message) -> std::io::Result<()> {
    // Hex, not base64: a name that starts with `-` would read as an option to `ls` or `rm`.
    let path = dir.join(format!("{}.eml", crate::crypto::hex(&crate::crypto::random_bytes(16))));
    let bytes = message.formatted();
    tokio::task::spawn_blocking(move || crate::private::write_new(&path, &bytes)).await?
}

pub(super) fn classify(e: lettre::transport::smtp::Error) -> SendError {
    let reason = e.to_string();
    if e.is_permanent() {
        SendError::Permanent(reason)
    } else {
        // A 4xx concerns this message; anything without a reply code (refused, reset, timed out,
        // TLS) means the relay is not there for any message right now.
        SendError::Temporary { reason, connection: !e.is_transient() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_scheme_is_refused_without_echoing_the_password() {
        let Err(e) = Transport::smtp("ftp://u:secret@host", &Trust::default(), 1) else { panic!("accepted") };
        assert!(!e.to_string().contains("secret"), "{e}");
    }

    #[test]
    fn the_description_names_the_relay_but_not_the_password() {
        let transport =
            Transport::smtp("smtps://u:secret@mail.example.org", &Trust::default(), 1).expect("smtps");
        assert_eq!(transport.describe(), "SMTP via smtps://mail.example.org");
    }
}
