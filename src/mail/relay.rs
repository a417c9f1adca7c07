//! Plain SMTP to a relay on our own sockets, with TCP_NODELAY.
//!
//! lettre 0.11 writes a message's body and its closing `.` in two writes and never sets
//! TCP_NODELAY, so Nagle's algorithm holds the `.` back until the relay acknowledges the body,
//! and relays delay that acknowledgement by up to 40 ms: about 23 messages a second per
//! connection, measured with strace against a local relay (fixed upstream after 0.11.23). For
//! `smtp://host:port` without credentials or TLS options (the usual local MTA) peil opens the
//! connections itself, with NODELAY, and lets lettre speak SMTP over them.

use std::time::{Duration, Instant};

use lettre::Message;
use lettre::transport::smtp::client::AsyncSmtpConnection;
use lettre::transport::smtp::extension::ClientId;
use tokio::sync::Mutex;

use super::transport::{SendError, classify};

/// A connection unused for this long is closed and opened again: relays hang up idle clients,
/// and a send on a dead connection would count as a failure of that message.
const IDLE: Duration = Duration::from_secs(20);

type Slot = Mutex<Option<(AsyncSmtpConnection, Instant)>>;

pub struct Relay {
    address: String,
    timeout: Duration,
    slots: Vec<Slot>,
}

impl std::fmt::Debug for Relay {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Relay")
            .field("address", &self.address)
            .field("connections", &self.slots.len())
            .finish()
    }
}

impl Relay {
    /// The relay of a plain `smtp://host:port` URL, or `None` when the URL asks for more
    /// (credentials, TLS options, a path) than a plain connection gives.
    pub fn for_url(url: &str, connections: u32, timeout: Duration) -> Option<Relay> {
        let address = url.strip_prefix("smtp://")?.trim_end_matches('/');
        if address.is_empty() || address.contains(['@', '?', '/', '#']) {
            return None;
        }
        let address = if address.contains(':') { address.to_string() } else { format!("{address}:25") };
        let slots = (0..connections.max(1)).map(|_| Mutex::new(None)).collect();
        Some(Relay { address, timeout, slots })
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

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let unreachable = |reason: String| SendError::Temporary { reason, connection: true };
        let stream = tokio::time::timeout(self.timeout, tokio::net::TcpStream::connect(&self.address))
            .await
            .map_err(|_| unreachable(format!("connecting to {} timed out", self.address)))?
            .map_err(|e| unreachable(format!("connecting to {}: {e}", self.address)))?;
        stream.set_nodelay(true).map_err(|e| unreachable(format!("TCP_NODELAY: {e}")))?;
        let hello = ClientId::default();
        tokio::time::timeout(
            self.timeout,
            AsyncSmtpConnection::connect_with_transport(Box::new(stream), &hello),
        )
        .await
        .map_err(|_| unreachable(format!("{} did not greet in time", self.address)))?
        .map_err(classify)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_urls_take_the_direct_path() {
        let relay = |url| Relay::for_url(url, 2, Duration::from_secs(1)).map(|r| r.address);
        assert_eq!(relay("smtp://127.0.0.1:2525"), Some("127.0.0.1:2525".into()));
        assert_eq!(relay("smtp://localhost"), Some("localhost:25".into()));
        assert_eq!(relay("smtp://user:pass@mail.example.org:587"), None);
        assert_eq!(relay("smtp://mail.example.org:587?tls=required"), None);
        assert_eq!(relay("smtps://mail.example.org"), None);
    }
}
