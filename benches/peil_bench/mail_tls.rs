//! The mail workload through a relay that wants a login, as a provider's relay does: the same
//! round of invitations as `mail`, to the same sink, which now asks for AUTH PLAIN and, for
//! `Relay::StartTls`, offers STARTTLS with the test certificate of `tests/fixtures/` (read at run
//! time; peil trusts its CA through `PEIL_SMTP_CA_FILE`). Before peil opened its own connections
//! for such URLs, they went through lettre's pool, whose sockets lack TCP_NODELAY: each message's
//! closing `.` waited for the relay's delayed ACK, about 20 mails a second per connection.
//!
//! A peil from before `smtp_ca_file` cannot trust the sink's certificate, so an older binary is
//! measured with `Relay::Login` only: a login over plain SMTP, which took lettre's pool too.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use serde_json::{Value, json};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

use crate::backend::Target;
use crate::load::round1;
use crate::mail::{Mail, Relay as Route, deliver};
use crate::server::Paths;
use crate::smtp::{Demands, Sink};

/// The aim from issue 27.
pub const AIM_PER_SECOND: f64 = 500.0;

const USER: &str = "bench";
const PASSWORD: &str = "secret";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relay {
    /// `smtp://bench:secret@127.0.0.1:<port>`: a login in the clear, no TLS.
    Login,
    /// `smtp://bench:secret@127.0.0.1:<port>?tls=required`: STARTTLS, then the login.
    StartTls,
}

impl Relay {
    fn name(self) -> &'static str {
        match self {
            Relay::Login => "login, plain",
            Relay::StartTls => "STARTTLS + login",
        }
    }
}

pub struct MailTls {
    pub relay: Relay,
    pub peil: String,
    pub mail: Mail,
    pub logins: u64,
}

impl MailTls {
    pub fn to_json(&self) -> Value {
        json!({
            "relay": self.relay.name(),
            "peil": self.peil,
            "mail": self.mail.to_json(),
            "logins": self.logins,
        })
    }

    pub fn met(&self) -> bool {
        self.mail.verified && self.mail.per_second >= AIM_PER_SECOND
    }
}

pub async fn run_workload(paths: &Paths, count: usize, relay: Relay) -> anyhow::Result<MailTls> {
    let fixtures = paths.repo.join("tests/fixtures");
    let login = Some((USER.to_string(), PASSWORD.to_string()));
    let (sink, route) = match relay {
        Relay::Login => {
            let sink = Sink::demanding(Demands { tls: None, login }).await?;
            let url = format!("smtp://{USER}:{PASSWORD}@{}", sink.addr);
            (sink, Route { label: "mail-login", smtp_url: url, settings: Vec::new() })
        }
        Relay::StartTls => {
            let sink = Sink::demanding(Demands { tls: Some(acceptor(&fixtures)?), login }).await?;
            let url = format!("smtp://{USER}:{PASSWORD}@{}?tls=required", sink.addr);
            let ca = fixtures.join("smtp-ca.pem").display().to_string();
            (sink, Route { label: "mail-tls", smtp_url: url, settings: vec![("PEIL_SMTP_CA_FILE", ca)] })
        }
    };
    let mail = deliver(paths, count, &Target::sqlite(), &sink, &route).await?;
    if sink.logins() != sink.connections() {
        bail!("{} connections but {} logins", sink.connections(), sink.logins());
    }
    Ok(MailTls { relay, peil: paths.peil.display().to_string(), mail, logins: sink.logins() })
}

/// The sink's TLS: the test certificate for 127.0.0.1 and its key.
fn acceptor(fixtures: &Path) -> anyhow::Result<TlsAcceptor> {
    let chain = CertificateDer::pem_file_iter(fixtures.join("smtp-server.pem"))
        .context("tests/fixtures/smtp-server.pem")?
        .collect::<Result<Vec<_>, _>>()
        .context("tests/fixtures/smtp-server.pem")?;
    let key = PrivateKeyDer::from_pem_file(fixtures.join("smtp-server.key"))
        .context("tests/fixtures/smtp-server.key")?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)?;
    Ok(TlsAcceptor::from(Arc::new(config)))
}

/// One row per run: the relay, which binary, and what arrived.
pub fn table(runs: &[MailTls]) -> String {
    let mut out = String::from(
        "| relay | peil | mails | mails/s | connections | logins | sent = received = distinct |\n\
         | --- | --- | ---: | ---: | ---: | ---: | --- |\n",
    );
    for run in runs {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            run.relay.name(),
            run.peil,
            run.mail.messages,
            round1(run.mail.per_second),
            run.mail.connections,
            run.logins,
            if run.mail.verified { "yes" } else { "no" },
        ));
    }
    out
}
