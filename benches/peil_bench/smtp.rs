//! A local SMTP sink for the mail workload: a small SMTP server on a loopback port that accepts
//! every well-formed message, keeps none of them, and counts what arrived (messages, distinct
//! recipients, connections, the time of the last message). It speaks what a relay must:
//! EHLO/HELO, MAIL FROM, RCPT TO, DATA ending in `<CRLF>.<CRLF>`, RSET, NOOP and QUIT, with 503
//! for commands out of order. One task per connection, so peil can open several. For the
//! `mail_tls` workload it also offers STARTTLS (with the test certificate of `tests/fixtures/`)
//! and asks for AUTH PLAIN, after TLS when it offers TLS, as a provider's relay does.

use std::collections::HashSet;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use tokio::io::{
    AsyncBufRead, AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use tokio_rustls::TlsAcceptor;

/// RFC 5321 allows 1000 octets a line; a longer line ends the session instead of growing a buffer.
const MAX_LINE: u64 = 64 * 1024;

/// What the sink asks of its clients beyond plain SMTP.
#[derive(Clone, Default)]
pub struct Demands {
    /// Offer STARTTLS with this server configuration.
    pub tls: Option<TlsAcceptor>,
    /// Take mail only after `AUTH PLAIN` with this user and password.
    pub login: Option<(String, String)>,
}

/// The running sink; stops accepting, and ends its sessions, when dropped.
pub struct Sink {
    pub addr: SocketAddr,
    tally: Arc<Tally>,
    accept: JoinHandle<()>,
}

struct Tally {
    started: Instant,
    messages: AtomicU64,
    bytes: AtomicU64,
    connections: AtomicU64,
    logins: AtomicU64,
    /// Nanoseconds from `started` to the first and the last accepted message; 0 before the first.
    first_nanos: AtomicU64,
    last_nanos: AtomicU64,
    recipients: Mutex<HashSet<String>>,
}

impl Sink {
    pub async fn start() -> anyhow::Result<Sink> {
        Sink::demanding(Demands::default()).await
    }

    pub async fn demanding(demands: Demands) -> anyhow::Result<Sink> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let tally = Arc::new(Tally::new());
        let accept = tokio::spawn(accept_loop(listener, tally.clone(), Arc::new(demands)));
        Ok(Sink { addr, tally, accept })
    }

    /// Successful logins: one per connection when a login is demanded.
    pub fn logins(&self) -> u64 {
        self.tally.logins.load(Ordering::SeqCst)
    }

    /// Messages accepted: each counted before its 250 goes out, so a sender never sees an
    /// acknowledgement the count does not hold yet.
    pub fn messages(&self) -> u64 {
        self.tally.messages.load(Ordering::SeqCst)
    }

    /// Bytes of message content accepted, after dot-unstuffing.
    pub fn bytes(&self) -> u64 {
        self.tally.bytes.load(Ordering::SeqCst)
    }

    pub fn connections(&self) -> u64 {
        self.tally.connections.load(Ordering::SeqCst)
    }

    pub fn distinct_recipients(&self) -> usize {
        self.tally.recipients.lock().map_or(0, |set| set.len())
    }

    /// When the first message was accepted, if any was.
    pub fn first_message(&self) -> Option<Instant> {
        self.tally.at(&self.tally.first_nanos)
    }

    /// When the last message was accepted, if any was.
    pub fn last_message(&self) -> Option<Instant> {
        self.tally.at(&self.tally.last_nanos)
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        // The accept loop owns the sessions' JoinSet, which aborts them as it is dropped.
        self.accept.abort();
    }
}

impl Tally {
    fn new() -> Tally {
        Tally {
            started: Instant::now(),
            messages: AtomicU64::new(0),
            bytes: AtomicU64::new(0),
            connections: AtomicU64::new(0),
            logins: AtomicU64::new(0),
            first_nanos: AtomicU64::new(0),
            last_nanos: AtomicU64::new(0),
            recipients: Mutex::new(HashSet::new()),
        }
    }

    fn at(&self, nanos: &AtomicU64) -> Option<Instant> {
        let nanos = nanos.load(Ordering::SeqCst);
        (nanos > 0).then(|| self.started + Duration::from_nanos(nanos))
    }

    fn accept(&self, recipients: &[String], bytes: u64) {
        if let Ok(mut set) = self.recipients.lock() {
            set.extend(recipients.iter().cloned());
        }
        self.bytes.fetch_add(bytes, Ordering::SeqCst);
        let nanos = u64::try_from(self.started.elapsed().as_nanos()).unwrap_or(u64::MAX).max(1);
        let _ = self.first_nanos.compare_exchange(0, nanos, Ordering::SeqCst, Ordering::SeqCst);
        self.last_nanos.fetch_max(nanos, Ordering::SeqCst);
        self.messages.fetch_add(1, Ordering::SeqCst);
    }
}

async fn accept_loop(listener: TcpListener, tally: Arc<Tally>, demands: Arc<Demands>) {
    let mut sessions = JoinSet::new();
    loop {
        match listener.accept().await {
            Ok((stream, _)) => {
                tally.connections.fetch_add(1, Ordering::SeqCst);
                sessions.spawn(session(stream, tally.clone(), demands.clone()));
            }
            // Out of file descriptors, say: wait rather than spin.
            Err(e) => {
                eprintln!("smtp sink: accept failed: {e}");
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
        }
        // A session that ended, however, needs nothing more from us.
        while sessions.try_join_next().is_some() {}
    }
}

/// One SMTP session, until QUIT, the client hanging up or a protocol error.
async fn session(stream: TcpStream, tally: Arc<Tally>, demands: Arc<Demands>) -> io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut read = BufReader::new(read);
    write.write_all(b"220 peil-bench ESMTP sink\r\n").await?;
    let mut state = State::new(&demands, false);
    if converse(&mut read, &mut write, &tally, &mut state).await? == Ending::Quit {
        return Ok(());
    }
    let Some(acceptor) = &demands.tls else { return Ok(()) };
    // The client waits for the 220 before its handshake, so the buffer is empty.
    let stream = read.into_inner().reunite(write).map_err(io::Error::other)?;
    let (read, mut write) = tokio::io::split(acceptor.accept(stream).await?);
    let mut state = State::new(&demands, true);
    converse(&mut BufReader::new(read), &mut write, &tally, &mut state).await?;
    Ok(())
}

/// What a session has been through, and what it still demands.
struct State<'d> {
    demands: &'d Demands,
    encrypted: bool,
    logged_in: bool,
    greeted: bool,
}

impl State<'_> {
    fn new(demands: &Demands, encrypted: bool) -> State<'_> {
        State { demands, encrypted, logged_in: demands.login.is_none(), greeted: false }
    }

    /// Commands are processed line by line and answered in order, which is all PIPELINING asks.
    fn ehlo_reply(&self) -> Vec<u8> {
        let mut lines = vec!["peil-bench", "PIPELINING", "8BITMIME", "SMTPUTF8"];
        if self.demands.tls.is_some() && !self.encrypted {
            lines.push("STARTTLS");
        }
        if self.may_log_in() {
            lines.push("AUTH PLAIN");
        }
        lines.push("SIZE 10485760");
        let last = lines.len() - 1;
        let dash = |i: usize| if i == last { ' ' } else { '-' };
        lines
            .iter()
            .enumerate()
            .map(|(i, line)| format!("250{}{line}\r\n", dash(i)))
            .collect::<String>()
            .into_bytes()
    }

    /// A login only over TLS when TLS is on offer.
    fn may_log_in(&self) -> bool {
        self.demands.login.is_some() && !self.logged_in && (self.encrypted || self.demands.tls.is_none())
    }

    /// `AUTH PLAIN <base64 of authzid NUL user NUL password>`, the form lettre sends; the
    /// two-step form (an empty 334 prompt) is not offered.
    fn log_in(&mut self, argument: &str) -> bool {
        let Some((user, password)) = &self.demands.login else { return false };
        let (mechanism, response) = argument.split_once(' ').unwrap_or((argument, ""));
        let decoded = base64::engine::general_purpose::STANDARD.decode(response.trim()).unwrap_or_default();
        let mut parts = decoded.split(|&b| b == 0).skip(1);
        let given = (parts.next(), parts.next());
        let right = given == (Some(user.as_bytes()), Some(password.as_bytes()));
        self.logged_in = self.may_log_in() && mechanism.eq_ignore_ascii_case("PLAIN") && right;
        self.logged_in
    }
}

/// How a conversation ended.
#[derive(Debug, PartialEq, Eq)]
enum Ending {
    /// QUIT, a hang-up, or the end of the input.
    Quit,
    /// STARTTLS was answered with 220: the caller encrypts and converses again.
    StartTls,
}

async fn converse<R, W>(
    read: &mut R,
    write: &mut W,
    tally: &Tally,
    state: &mut State<'_>,
) -> io::Result<Ending>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    // `Some` between MAIL FROM and the end of its DATA (or RSET).
    let mut recipients: Option<Vec<String>> = None;
    let mut line = Vec::new();
    loop {
        if read_line(read, &mut line).await? == 0 {
            return Ok(Ending::Quit);
        }
        let text = String::from_utf8_lossy(&line);
        let command = text.trim_end_matches(['\r', '\n']);
        let (verb, argument) = command.split_once(' ').unwrap_or((command, ""));
        let ehlo;
        let reply: &[u8] = match verb.to_ascii_uppercase().as_str() {
            "EHLO" | "HELO" => {
                state.greeted = true;
                recipients = None;
                ehlo = state.ehlo_reply();
                if verb.eq_ignore_ascii_case("EHLO") { ehlo.as_slice() } else { b"250 peil-bench\r\n" }
            }
            "STARTTLS" if state.demands.tls.is_some() && !state.encrypted && recipients.is_none() => {
                write.write_all(b"220 2.0.0 ready to start TLS\r\n").await?;
                return Ok(Ending::StartTls);
            }
            "AUTH" if !state.greeted => b"503 5.5.1 EHLO first\r\n",
            "AUTH" if state.log_in(argument) => {
                tally.logins.fetch_add(1, Ordering::SeqCst);
                b"235 2.7.0 authenticated\r\n"
            }
            "AUTH" => b"535 5.7.8 authentication failed\r\n",
            "MAIL" if !state.greeted => b"503 5.5.1 EHLO first\r\n",
            "MAIL" if !state.logged_in => b"530 5.7.0 authentication required\r\n",
            "MAIL" if recipients.is_some() => b"503 5.5.1 a mail transaction is already open\r\n",
            "MAIL" => match path(argument, "FROM:") {
                Some(_) => {
                    recipients = Some(Vec::new());
                    b"250 2.1.0 OK\r\n"
                }
                None => b"501 5.5.4 MAIL FROM:<address>\r\n",
            },
            "RCPT" => match (&mut recipients, path(argument, "TO:")) {
                (None, _) => b"503 5.5.1 MAIL first\r\n",
                (Some(list), Some(address)) if !address.is_empty() => {
                    list.push(address.to_ascii_lowercase());
                    b"250 2.1.5 OK\r\n"
                }
                (Some(_), _) => b"501 5.5.4 RCPT TO:<address>\r\n",
            },
            "DATA" => match recipients.take() {
                Some(list) if !list.is_empty() => {
                    write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await?;
                    let bytes = read_data(read, &mut line).await?;
                    tally.accept(&list, bytes);
                    b"250 2.0.0 accepted\r\n"
                }
                unfinished => {
                    recipients = unfinished;
                    b"503 5.5.1 RCPT first\r\n"
                }
            },
            "RSET" => {
                recipients = None;
                b"250 2.0.0 OK\r\n"
            }
            "NOOP" => b"250 2.0.0 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 2.0.0 bye\r\n").await?;
                return Ok(Ending::Quit);
            }
            _ => b"500 5.5.2 unknown command\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// The content after DATA, up to the line holding only `.`; returns its size without the
/// stuffing dots. A client that hangs up before that line has sent no message.
async fn read_data<R: AsyncBufRead + Unpin>(read: &mut R, line: &mut Vec<u8>) -> io::Result<u64> {
    let mut bytes = 0;
    loop {
        if read_line(read, line).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        match line.as_slice() {
            b".\r\n" | b".\n" => return Ok(bytes),
            [b'.', rest @ ..] => bytes += rest.len() as u64,
            all => bytes += all.len() as u64,
        }
    }
}

/// The next line, `\n` included, into `line`; 0 at the end of the stream.
async fn read_line<R: AsyncRead + AsyncBufRead + Unpin>(
    read: &mut R,
    line: &mut Vec<u8>,
) -> io::Result<usize> {
    line.clear();
    let n = (&mut *read).take(MAX_LINE).read_until(b'\n', line).await?;
    if n as u64 == MAX_LINE && line.last() != Some(&b'\n') {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
    }
    Ok(n)
}

/// `FROM:<a@b> BODY=8BITMIME` with `prefix` `FROM:` gives `a@b`; parameters are ignored.
fn path<'a>(argument: &'a str, prefix: &str) -> Option<&'a str> {
    let head = argument.get(..prefix.len())?;
    if !head.eq_ignore_ascii_case(prefix) {
        return None;
    }
    let rest = argument[prefix.len()..].trim_start().strip_prefix('<')?;
    rest.split_once('>').map(|(address, _)| address)
}

#[cfg(test)]
mod tests {
    use lettre::message::{Mailbox, header::ContentType};
    use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

    use super::*;

    #[test]
    fn a_path_is_read_with_or_without_parameters_and_in_any_case() {
        assert_eq!(path("FROM:<a@b.example> BODY=8BITMIME", "FROM:"), Some("a@b.example"));
        assert_eq!(path("from: <a@b.example>", "FROM:"), Some("a@b.example"));
        assert_eq!(path("FROM:<>", "FROM:"), Some(""));
        assert_eq!(path("TO:a@b.example", "TO:"), None);
        assert_eq!(path("", "TO:"), None);
    }

    #[tokio::test]
    async fn lettre_delivers_side_by_side_and_every_message_is_counted_once() {
        let sink = Sink::start().await.unwrap();
        let transport =
            AsyncSmtpTransport::<Tokio1Executor>::from_url(&format!("smtp://{}", sink.addr)).unwrap().build();
        let from: Mailbox = "bench <bench@example.org>".parse().unwrap();
        let sends = (0..12).map(|i| {
            let message = Message::builder()
                .from(from.clone())
                .to(format!("p{i}@example.org").parse().unwrap())
                .subject("test")
                .header(ContentType::TEXT_PLAIN)
                // A line of a single dot must arrive as content, not end the message early.
                .body(format!("first\r\n.\r\n..two dots\r\nëxtra {i}\r\n"))
                .unwrap();
            let transport = transport.clone();
            async move { transport.send(message).await }
        });
        for sent in futures_join(sends).await {
            sent.unwrap();
        }
        assert_eq!(sink.messages(), 12);
        assert_eq!(sink.distinct_recipients(), 12);
        assert!(sink.connections() >= 1);
        assert!(sink.first_message().is_some_and(|first| Some(first) <= sink.last_message()));
    }

    #[tokio::test]
    async fn commands_out_of_order_get_503_and_rset_starts_over() {
        let tally = Tally::new();
        let script = "MAIL FROM:<a@b>\r\nEHLO me\r\nDATA\r\nMAIL FROM:<a@b>\r\nRCPT TO:<c@d>\r\nRSET\r\n\
                      DATA\r\nMAIL FROM:<a@b>\r\nRCPT TO:<C@d>\r\nDATA\r\n..x\r\n.\r\nNOOP\r\nQUIT\r\n";
        let mut read = BufReader::new(script.as_bytes());
        let mut written = Vec::new();
        let demands = Demands::default();
        let ending =
            converse(&mut read, &mut written, &tally, &mut State::new(&demands, false)).await.unwrap();
        assert_eq!(ending, Ending::Quit);
        let replies: Vec<&str> =
            std::str::from_utf8(&written).unwrap().lines().filter_map(|l| l.get(..4)).collect();
        let codes = [
            "503 ", "250-", "250-", "250-", "250-", "250 ", "503 ", "250 ", "250 ", "250 ", "503 ", "250 ",
            "250 ", "354 ", "250 ", "250 ", "221 ",
        ];
        assert_eq!(replies, codes);
        assert_eq!(tally.messages.load(Ordering::SeqCst), 1);
        assert_eq!(tally.bytes.load(Ordering::SeqCst), 4);
        assert!(tally.recipients.lock().unwrap().contains("c@d"));
    }

    #[tokio::test]
    async fn a_login_is_asked_before_mail_and_only_the_right_password_passes() {
        let tally = Tally::new();
        let demands = Demands { tls: None, login: Some(("bench".into(), "secret".into())) };
        let right = base64::engine::general_purpose::STANDARD.encode("\0bench\0secret");
        let wrong = base64::engine::general_purpose::STANDARD.encode("\0bench\0guess");
        let script = format!(
            "EHLO me\r\nMAIL FROM:<a@b>\r\nAUTH PLAIN {wrong}\r\nAUTH PLAIN {right}\r\nMAIL FROM:<a@b>\r\nQUIT\r\n"
        );
        let mut read = BufReader::new(script.as_bytes());
        let mut written = Vec::new();
        converse(&mut read, &mut written, &tally, &mut State::new(&demands, false)).await.unwrap();
        let written = String::from_utf8(written).unwrap();
        assert!(written.contains("250-AUTH PLAIN\r\n"), "{written}");
        let codes: Vec<&str> = written.lines().filter_map(|l| l.get(..4)).skip(6).collect();
        assert_eq!(codes, ["530 ", "535 ", "235 ", "250 ", "221 "]);
        assert_eq!(tally.logins.load(Ordering::SeqCst), 1);
    }

    /// Runs the sends side by side, so the sink serves more than one connection at a time.
    async fn futures_join<F: std::future::Future + Send + 'static>(
        sends: impl Iterator<Item = F>,
    ) -> Vec<F::Output>
    where
        F::Output: Send + 'static,
    {
        let handles: Vec<_> = sends.map(tokio::spawn).collect();
        let mut out = Vec::new();
        for handle in handles {
            out.push(handle.await.unwrap());
        }
        out
    }
}
