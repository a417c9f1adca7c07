//! The front: peil's own TCP acceptor on the public address, in front of Rocket. Rocket 0.5 gives
//! hyper no header-read or idle timeout and binds its own listener, so a connection that sends
//! nothing, or half a head, stays open for ever, and enough of them use up the file descriptors
//! (1,100 did, at a limit of 1,024, and `/health` stopped answering). The front accepts every
//! connection, refuses those over the caps (`gate`), and relays the rest to Rocket, which listens
//! on loopback only, with a header deadline and an idle timeout (`pipe`). Rocket sees the front as
//! the peer of each request; `peers` tells `web::client` the real one.

mod gate;
mod peers;
mod pipe;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use rocket::fairing::AdHoc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub use gate::{Full, Gate};
pub use peers::{Entry, Peers};
use pipe::Timeouts;

use crate::settings::Settings;

/// A bound public listener, waiting for Rocket's port.
pub struct Front {
    listener: TcpListener,
    gate: Gate,
    timeouts: Timeouts,
    peers: Peers,
}

impl Front {
    /// Binds `settings.address:port` for the front, with the caps and clocks `settings` give.
    pub async fn bind(settings: &Settings, peers: Peers) -> std::io::Result<Front> {
        let listener = TcpListener::bind((settings.address.as_str(), settings.port)).await?;
        let gate = Gate::new(
            usize::try_from(settings.max_connections).unwrap_or(usize::MAX),
            usize::try_from(settings.max_connections_per_client).unwrap_or(usize::MAX),
            &settings.trusted_proxies,
        );
        let timeouts = Timeouts {
            header: Duration::from_secs(settings.header_timeout_secs),
            idle: Duration::from_secs(settings.idle_timeout_secs),
        };
        warn_if_descriptors_run_short(settings.max_connections);
        Ok(Front { listener, gate, timeouts, peers })
    }

    /// Where the front listens.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Starts the front once Rocket is listening (its port is known then) and stops it with
    /// Rocket. A local test client binds no port; then the front stays closed.
    pub fn fairing(self) -> AdHoc {
        AdHoc::on_liftoff("front", move |rocket| {
            let config = rocket.config();
            let rocket_at = SocketAddr::new(config.address, config.port);
            let shutdown = rocket.shutdown();
            Box::pin(async move {
                if rocket_at.port() != 0 {
                    // Rocket's own launch line names its loopback port; this names the public one.
                    if let Ok(public) = self.local_addr() {
                        tracing::info!(%public, rocket = %rocket_at, "the front relays connections to Rocket");
                    }
                    tokio::spawn(self.run(rocket_at, shutdown));
                }
            })
        })
    }

    /// Accepts until `shutdown`, relaying each admitted connection to `rocket_at`.
    pub async fn run(self, rocket_at: SocketAddr, shutdown: impl Future<Output = ()>) {
        tokio::pin!(shutdown);
        let refusals = Refusals::default();
        let draining = Arc::new(AtomicUsize::new(0));
        loop {
            let accepted = tokio::select! {
                _ = &mut shutdown => return,
                accepted = self.listener.accept() => accepted,
            };
            let (client, peer) = match accepted {
                Ok(pair) => pair,
                Err(e) => {
                    // Out of descriptors, most likely: wait for some to be freed rather than spin.
                    tracing::warn!(error = %e, "the front could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            match self.gate.admit(peer.ip()) {
                Ok(ticket) => {
                    let _ = client.set_nodelay(true);
                    let (timeouts, peers) = (self.timeouts, self.peers.clone());
                    tokio::spawn(async move {
                        pipe::serve(client, peer, rocket_at, timeouts, peers).await;
                        drop(ticket);
                    });
                }
                Err(full) => {
                    refuse(client, &draining);
                    refusals.log(full, self.gate.open());
                }
            }
        }
    }
}

/// What a refused connection gets, if its send buffer takes it at once: a 503 that closes.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Length: 63\r\n\
Retry-After: 10\r\n\
Connection: close\r\n\
\r\n\
Te veel verbindingen tegelijk. Probeer het zo dadelijk opnieuw.";

/// Refused connections kept open at once, for at most `DRAIN` each, so that their 503 is read.
const MAX_DRAINING: usize = 64;
const DRAIN: Duration = Duration::from_secs(1);

/// Writes the 503 without waiting and closes. Closing a socket with unread bytes in it resets the
/// connection, and a reset can destroy the 503 before the client reads it; so up to
/// `MAX_DRAINING` refused connections at a time are read to their end (for at most `DRAIN`)
/// before they are closed. Beyond that, in a flood, a refused connection is closed at once.
fn refuse(client: TcpStream, draining: &Arc<AtomicUsize>) {
    let _ = client.try_write(REFUSAL);
    if draining.fetch_add(1, Ordering::Relaxed) >= MAX_DRAINING {
        draining.fetch_sub(1, Ordering::Relaxed);
        return;
    }
    let draining = draining.clone();
    tokio::spawn(async move {
        let mut client = client;
        let _ = client.shutdown().await;
        let mut sink = [0u8; 1024];
        let _ = tokio::time::timeout(DRAIN, async {
            while matches!(client.read(&mut sink).await, Ok(n) if n > 0) {}
        })
        .await;
        drop(client);
        draining.fetch_sub(1, Ordering::Relaxed);
    });
}

/// A warning when the caps start refusing, then at most one a minute: a flood must not flood the
/// log as well.
#[derive(Default)]
struct Refusals {
    last_warned: std::sync::Mutex<Option<std::time::Instant>>,
}

impl Refusals {
    fn log(&self, full: Full, open: usize) {
        let mut last = self.last_warned.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if last.is_some_and(|at| at.elapsed() < Duration::from_secs(60)) {
            return tracing::debug!(?full, open, "connection refused");
        }
        *last = Some(std::time::Instant::now());
        let cap = match full {
            Full::Total => "max_connections",
            Full::Client => "max_connections_per_client",
        };
        tracing::warn!(
            open,
            "connections refused: {cap} reached (further refusals are logged once a minute)"
        );
    }
}

/// Each client connection costs three descriptors (the client's, the front's to Rocket and
/// Rocket's end of that); peil itself needs some more (database, mail, files). A cap the soft
/// `RLIMIT_NOFILE` cannot carry is said at start. peil forbids `unsafe`, so it reads the limit
/// from `/proc` and leaves raising it to the service manager (`LimitNOFILE=`).
fn warn_if_descriptors_run_short(max_connections: u32) {
    let Ok(limits) = std::fs::read_to_string("/proc/self/limits") else { return };
    let Some(soft) = soft_open_files(&limits) else { return };
    let needed = u64::from(max_connections) * 3 + RESERVED_DESCRIPTORS;
    if needed > soft {
        tracing::warn!(
            max_connections,
            open_file_limit = soft,
            "max_connections needs about {needed} file descriptors; raise LimitNOFILE or lower max_connections"
        );
    }
}

/// Descriptors peil keeps for itself besides the connections.
const RESERVED_DESCRIPTORS: u64 = 128;

/// The soft limit in the "Max open files" line of `/proc/self/limits`.
fn soft_open_files(limits: &str) -> Option<u64> {
    let line = limits.lines().find(|line| line.starts_with("Max open files"))?;
    line.trim_start_matches("Max open files").split_whitespace().next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_soft_open_file_limit_is_read_from_proc() {
        let limits = "Limit                     Soft Limit           Hard Limit           Units     \n\
                      Max cpu time              unlimited            unlimited            seconds   \n\
                      Max open files            1024                 524288               files     \n";
        assert_eq!(super::soft_open_files(limits), Some(1024));
        assert_eq!(super::soft_open_files("Max open files unlimited unlimited files"), None);
    }

    #[test]
    fn the_refusal_is_a_whole_503_that_closes() {
        let text = std::str::from_utf8(super::REFUSAL).unwrap();
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.starts_with("HTTP/1.1 503 ") && head.contains("Connection: close"));
        assert!(head.contains(&format!("Content-Length: {}", body.len())));
    }
}
