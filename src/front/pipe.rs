//! One client connection, relayed byte for byte to Rocket, with two clocks on it: the first
//! request head must be complete (an empty line seen in the client's bytes) within the header
//! timeout from accept, and after that the connection may be silent in both directions for at
//! most the idle timeout. When a clock runs out both sockets are closed. Nothing here reads HTTP
//! beyond looking for the end of the first head.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::{Instant, sleep_until, timeout_at};

use super::peers::Peers;

/// The two clocks.
#[derive(Clone, Copy, Debug)]
pub struct Timeouts {
    pub header: Duration,
    pub idle: Duration,
}

/// Relays `client` (whose address is `peer`) to Rocket at `rocket` until both are done or a
/// clock runs out.
pub async fn serve(
    client: TcpStream,
    peer: SocketAddr,
    rocket: SocketAddr,
    timeouts: Timeouts,
    peers: Peers,
) {
    let activity = Activity::new(timeouts);
    let mut client = client;
    let mut first = vec![0; BUFFER];
    // Rocket is dialled only once the client says something: a silent connection costs the front
    // one descriptor, not three.
    let n = match timeout_at(activity.head_deadline, client.read(&mut first)).await {
        Ok(Ok(n)) if n > 0 => n,
        _ => return,
    };
    first.truncate(n);
    let mut backend = match timeout_at(activity.head_deadline, TcpStream::connect(rocket)).await {
        Ok(Ok(backend)) => backend,
        Ok(Err(e)) => return tracing::warn!(error = %e, "the front cannot reach the web service"),
        Err(_) => return,
    };
    let _ = backend.set_nodelay(true);
    let Ok(front_side) = backend.local_addr() else { return };
    // Declared after `backend`, so dropped before it: the entry is gone before the port is free.
    // (The halves below borrow the sockets, which stay here, so that this order holds.)
    let _entry = peers.record(front_side, peer);
    let (client_read, client_write) = client.split();
    let (backend_read, backend_write) = backend.split();
    let upstream = relay(client_read, backend_write, first, &activity, true);
    let downstream = relay(backend_read, client_write, Vec::new(), &activity, false);
    // Each direction ends on its own: when Rocket answers and closes while the client is still
    // sending (a 413 for a body too large, say), the answer still reaches the client.
    tokio::select! {
        _ = async { tokio::join!(upstream, downstream) } => {}
        _ = activity.expired() => {}
    }
}

const BUFFER: usize = 16 * 1024;

/// Copies `from` to `to` (`first` before anything else) until `from` ends or either side fails,
/// then closes `to` for writing. The client-to-Rocket direction (`upstream`) also looks for the
/// end of the first head.
async fn relay(
    mut from: impl AsyncRead + Unpin,
    mut to: impl AsyncWrite + Unpin,
    first: Vec<u8>,
    activity: &Activity,
    upstream: bool,
) {
    let mut head = upstream.then(HeadEnd::default);
    let copied = async {
        forward(&mut to, &first, activity, &mut head).await?;
        let mut buffer = vec![0; BUFFER];
        loop {
            let n = from.read(&mut buffer).await?;
            if n == 0 {
                return Ok::<(), std::io::Error>(());
            }
            activity.touch();
            forward(&mut to, &buffer[..n], activity, &mut head).await?;
        }
    };
    // A broken connection is the client's or Rocket's business; there is nothing to report.
    let _ = copied.await;
    let _ = to.shutdown().await;
}

async fn forward(
    to: &mut (impl AsyncWrite + Unpin),
    bytes: &[u8],
    activity: &Activity,
    head: &mut Option<HeadEnd>,
) -> std::io::Result<()> {
    if let Some(scan) = head
        && scan.feed(bytes)
    {
        activity.head_seen.store(true, Ordering::Relaxed);
        *head = None;
    }
    activity.touch();
    to.write_all(bytes).await?;
    activity.touch();
    Ok(())
}

/// When the connection last moved, and whether its first head is complete.
struct Activity {
    start: Instant,
    head_deadline: Instant,
    idle: Duration,
    /// Milliseconds after `start` of the last byte read or written.
    last: AtomicU64,
    head_seen: AtomicBool,
}

impl Activity {
    fn new(timeouts: Timeouts) -> Activity {
        let start = Instant::now();
        Activity {
            start,
            head_deadline: start + timeouts.header,
            idle: timeouts.idle,
            last: AtomicU64::new(0),
            head_seen: AtomicBool::new(false),
        }
    }

    fn touch(&self) {
        let millis = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last.fetch_max(millis, Ordering::Relaxed);
    }

    fn deadline(&self) -> Instant {
        if self.head_seen.load(Ordering::Relaxed) {
            self.start + Duration::from_millis(self.last.load(Ordering::Relaxed)) + self.idle
        } else {
            self.head_deadline
        }
    }

    /// Resolves once the deadline in force has passed without the connection moving it on.
    async fn expired(&self) {
        loop {
            let deadline = self.deadline();
            if Instant::now() >= deadline {
                return;
            }
            sleep_until(deadline).await;
        }
    }
}

/// Finds the empty line that ends a request head (CRLF CRLF, or LF LF as lenient parsers take
/// it), across reads. Empty lines before the request line do not count.
#[derive(Default)]
struct HeadEnd {
    started: bool,
    last: [u8; 2],
}

impl HeadEnd {
    fn feed(&mut self, bytes: &[u8]) -> bool {
        for &byte in bytes {
            let [before, previous] = self.last;
            if self.started && byte == b'\n' && (previous == b'\n' || (previous == b'\r' && before == b'\n'))
            {
                return true;
            }
            self.started |= byte != b'\r' && byte != b'\n';
            self.last = [previous, byte];
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::HeadEnd;

    fn ends(chunks: &[&str]) -> bool {
        let mut head = HeadEnd::default();
        chunks.iter().any(|chunk| head.feed(chunk.as_bytes()))
    }

    #[test]
    fn the_end_of_a_head_is_found_across_reads() {
        assert!(ends(&["GET / HTTP/1.1\r\nHost: x\r\n\r\n"]));
        assert!(ends(&["GET / HTTP/1.1\r\nHost: x\r", "\n", "\r", "\nbody"]));
        assert!(ends(&["GET / HTTP/1.1\nHost: x\n\n"]));
        assert!(!ends(&["GET / HTTP/1.1\r\nHost: x\r\n", "X-Half: ja"]));
        assert!(!ends(&["\r\n\r\n", "\n\n"]), "empty lines before the request line are no head");
        assert!(ends(&["\r\n", "GET / HTTP/1.1\r\n\r\n"]));
    }
}
