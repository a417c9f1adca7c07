//! SMTP to the relay on peil's own sockets, with TCP_NODELAY, for every URL peil accepts.
//!
//! lettre 0.11 writes a message's body and its closing `.` in two writes and never sets
//! TCP_NODELAY, so Nagle's algorithm holds the `.` back until the relay acknowledges the body,
//! and relays delay that acknowledgement by up to 40 ms: about 23 messages a second per
//! connection, measured with strace against a local relay (fixed upstream after 0.11.23); over
//! TLS the body and the `.` are two records, so the same. peil therefore opens the connections
//! itself, with NODELAY, encrypts them (`tls`) and lets lettre speak SMTP over them: its
//! `AsyncSmtpConnection` does STARTTLS, AUTH (PLAIN, then LOGIN) and the transaction.

use std::time::{Duration, Instant};

use lettre::Message;
use lettre::transport::smtp::authentication::DEFAULT_MECHANISMS;
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use tokio::sync::Mutex;

use super::MailError;
use super::endpoint::{Endpoint, Security};
use super::tls::{Implicit, Trust};
use super::transport::{SendError, classify};

/// A connection unused for this long is closed and opened again: relays hang up idle clients,
/// and a send on a dead connection would count as a failure of that message.
const IDLE: Duration = Duration::from_secs(20);

type Slot = Mutex<Option<(AsyncSmtpConnection, Instant)>>;

pub struct Relay {
    endpoint: Endpoint,
    encryption: Encryption,
    timeout: Duration,
    slots: Vec<Slot>,
}

/// The endpoint's `Security` with what it needs, built once.
enum Encryption {
    None,
    StartTls { parameters: TlsParameters, required: bool },
    Implicit(Implicit),
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("address", &self.endpoint.address())
            .field("security", &self.endpoint.security)
            .field("connections", &self.slots.len())
            .finish()
    }
}

impl Relay {
    pub fn new(
        endpoint: Endpoint,
        trust: &Trust,
        connections: u32,
        timeout: Duration,
    ) -> Result<Relay, MailError> {
        let encryption = match endpoint.security {
            Security::Plain => Encryption::None,
            Security::StartTls { required } => {
                Encryption::StartTls { parameters: trust.starttls(&endpoint.host)?, required }
            }
            Security::Implicit => Encryption::Implicit(trust.implicit(&endpoint.host)?),
        };
        let slots = (0..connections.max(1)).map(|_| Mutex::new(None)).collect();
        Ok(Relay { endpoint, encryption, timeout, slots })
    }

    pub async fn send(&self, message: &Message) -> Result<(), SendError> {
        // A free connection if there is one; otherwise queue for the first.
        let mut slot = match self.slots.iter().find_map(|s| s.try_lock().ok()) {
            Some(slot) => slot,
            None => self.slots[0].lock().await,
        };
        let reuse = slot.take().filter(|(conn, used)| used.elapsed() < IDLE && !conn.has_broken());
        let mut conn = match reuse {
            Some((conn, _)) => conn,
            None => self.connect().await?,
        };
        let sent =
            tokio::time::timeout(self.timeout, conn.send(message.envelope(), &message.formatted())).await;
        match sent {
            Ok(Ok(_)) => {
                *slot = Some((conn, Instant::now()));
                Ok(())
            }
            // The connection is dropped: after an error its state is unknown.
            Ok(Err(e)) => Err(classify(e)),
            Err(_) => Err(SendError::Temporary {
                reason: "the relay did not answer in time".into(),
                connection: true,
            }),
        }
    }

    /// A new connection, greeted, encrypted and logged in as the URL asks, within one timeout.
    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let address = self.endpoint.address();
        tokio::time::timeout(self.timeout, self.handshake()).await.map_err(|_| {
            unreachable(format!("{address} did not complete the greeting, TLS and login in time"))
        })?
    }

    async fn handshake(&self) -> Result<AsyncSmtpConnection, SendError> {
        let Endpoint { host, port, hello, .. } = &self.endpoint;
        let address = self.endpoint.address();
        let stream = tokio::net::TcpStream::connect((host.as_str(), *port))
            .await
            .map_err(|e| unreachable(format!("connecting to {address}: {e}")))?;
        stream.set_nodelay(true).map_err(|e| unreachable(format!("TCP_NODELAY: {e}")))?;
        let mut conn = match &self.encryption {
            Encryption::Implicit(tls) => {
                let stream =
                    tls.wrap(stream).await.map_err(|e| unreachable(format!("TLS with {address}: {e}")))?;
                AsyncSmtpConnection::connect_with_transport(Box::new(stream), hello).await
            }
            _ => AsyncSmtpConnection::connect_with_transport(Box::new(stream), hello).await,
        }
        .map_err(classify)?;
        if let Encryption::StartTls { parameters, required } = &self.encryption
            && (*required || conn.can_starttls())
        {
            conn.starttls(parameters.clone(), hello).await.map_err(classify)?;
        }
        if let Some(credentials) = &self.endpoint.credentials {
            // lettre sees only a stream under an `smtps` connection, not that it is TLS.
            let encrypted = conn.is_encrypted() || matches!(self.encryption, Encryption::Implicit(_));
            if !encrypted && self.endpoint.security != Security::Plain {
                // Only `smtp://` without `tls=` asks for a login in the clear.
                return Err(unreachable(format!(
                    "{address} offers no STARTTLS, and the password is only sent encrypted"
                )));
            }
            conn.auth(DEFAULT_MECHANISMS, credentials).await.map_err(classify)?;
        }
        Ok(conn)
    }
}

/// The relay is not there for any message right now.
fn unreachable(reason: String) -> SendError {
    SendError::Temporary { reason, connection: true }
}
