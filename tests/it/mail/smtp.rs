//! A real SMTP server on loopback for the mail tests: mailin's protocol engine (the state machine
//! of mailin-embedded, with its dot-unstuffing) on a tokio listener. Tests choose its port, start
//! it late to play a relay that is down, refuse chosen recipients with 4xx or 5xx, ask for a login
//! (AUTH PLAIN or LOGIN) as a provider's relay does, speak TLS (STARTTLS or from the first byte,
//! with the test certificate of `tests/fixtures/`, a login then only after TLS), and read every
//! message and every RCPT it was offered.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};

use mailin::{Action, AuthMechanism, Handler, Response, SessionBuilder};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// A message as the server took it in, dot-unstuffed.
#[derive(Clone, Debug)]
pub struct Received {
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// The header section, up to the first empty line.
    pub fn headers(&self) -> &str {
        self.data.split("\r\n\r\n").next().unwrap_or_default()
    }
}

struct Refusal {
    code: u16,
    text: String,
    /// How many more times to refuse; `None` for always.
    times: Option<u32>,
}

#[derive(Default)]
struct Shared {
    received: Vec<Received>,
    offered: Vec<String>,
    refusals: HashMap<String, Refusal>,
    /// The user and password the server asks for; `None` for an open relay.
    login: Option<(String, String)>,
    connections: usize,
    /// The user of every login that succeeded.
    logins: Vec<String>,
    tls: Security,
}

/// How the server speaks TLS.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub enum Security {
    #[default]
    Plain,
    /// Offers STARTTLS, and AUTH only after it.
    StartTls,
    /// TLS from the first byte (`smtps`).
    Implicit,
}

pub struct SmtpServer {
    pub port: u16,
    shared: Arc<Mutex<Shared>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl SmtpServer {
    /// A server for `port` that does not listen until `start`.
    pub fn on(port: u16) -> SmtpServer {
        SmtpServer { port, shared: Arc::default(), task: None }
    }

    pub async fn started() -> SmtpServer {
        let mut server = SmtpServer::on(crate::helpers::free_port());
        server.start().await;
        server
    }

    /// A server that takes mail only after a login as `user` with `password`; its `url` carries
    /// them.
    pub async fn started_with_login(user: &str, password: &str) -> SmtpServer {
        let mut server = SmtpServer::on(crate::helpers::free_port());
        server.lock().login = Some((user.to_string(), password.to_string()));
        server.start().await;
        server
    }

    /// A server speaking `tls` that takes mail only after a login as `user` with `password`;
    /// its `url` says how to reach it.
    pub async fn started_with_tls(tls: Security, user: &str, password: &str) -> SmtpServer {
        let mut server = SmtpServer::on(crate::helpers::free_port());
        server.lock().login = Some((user.to_string(), password.to_string()));
        server.lock().tls = tls;
        server.start().await;
        server
    }

    pub async fn start(&mut self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.expect("bind the SMTP port");
        let shared = self.shared.clone();
        let acceptor = (self.lock().tls != Security::Plain).then(acceptor);
        self.task = Some(tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, shared.clone(), acceptor.clone()));
            }
        }));
    }

    pub fn url(&self) -> String {
        let shared = self.lock();
        let login =
            shared.login.as_ref().map_or(String::new(), |(user, password)| format!("{user}:{password}@"));
        match shared.tls {
            Security::Plain => format!("smtp://{login}127.0.0.1:{}", self.port),
            Security::StartTls => format!("smtp://{login}127.0.0.1:{}?tls=required", self.port),
            Security::Implicit => format!("smtps://{login}127.0.0.1:{}", self.port),
        }
    }

    /// Answers `RCPT TO:<address>` with `code`, `times` times (always when `None`).
    pub fn refuse(&self, address: &str, code: u16, text: &str, times: Option<u32>) {
        let refusal = Refusal { code, text: text.to_string(), times };
        self.lock().refusals.insert(address.to_string(), refusal);
    }

    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// Every recipient offered with RCPT, accepted or not.
    pub fn offered(&self) -> Vec<String> {
        self.lock().offered.clone()
    }

    /// How many connections clients opened.
    pub fn connections(&self) -> usize {
        self.lock().connections
    }

    /// The user of every successful login, one per logged-in connection.
    pub fn logins(&self) -> Vec<String> {
        self.lock().logins.clone()
    }

    /// Messages received for `address`.
    pub fn to(&self, address: &str) -> Vec<Received> {
        self.received().into_iter().filter(|m| m.to.iter().any(|t| t == address)).collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// The test CA that signed the server's certificate, for `smtp_ca_file`.
pub fn ca_file() -> std::path::PathBuf {
    fixture("smtp-ca.pem")
}

fn fixture(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// TLS with the test certificate for `localhost` and 127.0.0.1.
fn acceptor() -> TlsAcceptor {
    let chain = CertificateDer::pem_file_iter(fixture("smtp-server.pem"))
        .and_then(|certificates| certificates.collect::<Result<Vec<_>, _>>())
        .expect("the test certificate");
    let key = PrivateKeyDer::from_pem_file(fixture("smtp-server.key")).expect("the test key");
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .and_then(|config| config.with_no_client_auth().with_single_cert(chain, key))
        .expect("a TLS server configuration");
    TlsAcceptor::from(Arc::new(config))
}

/// A plain or encrypted connection, so one loop serves both and STARTTLS can swap them.
trait Stream: AsyncRead + AsyncWrite + Unpin + Send {}
impl<S: AsyncRead + AsyncWrite + Unpin + Send> Stream for S {}

async fn serve(stream: TcpStream, shared: Arc<Mutex<Shared>>, acceptor: Option<TlsAcceptor>) {
    let mut builder = SessionBuilder::new("smtp.test");
    let (login, tls) = {
        let mut shared = shared.lock().unwrap_or_else(|e| e.into_inner());
        shared.connections += 1;
        (shared.login.clone(), shared.tls)
    };
    if login.is_some() {
        builder.enable_auth(AuthMechanism::Plain).enable_auth(AuthMechanism::Login);
        if tls == Security::Plain {
            // Plain text is fine on loopback; a relay on the network offers AUTH after STARTTLS.
            builder.insecure_enable_plaintext_auth();
        }
    }
    if tls == Security::StartTls {
        builder.enable_start_tls();
    }
    let handler = Connection { shared, login, to: Vec::new(), data: Vec::new() };
    let mut session = builder.build(IpAddr::V4(Ipv4Addr::LOCALHOST), handler);
    let mut stream: Box<dyn Stream> = match (tls, &acceptor) {
        (Security::Implicit, Some(acceptor)) => match acceptor.accept(stream).await {
            Ok(encrypted) => {
                session.tls_active();
                Box::new(encrypted)
            }
            Err(_) => return,
        },
        _ => Box::new(stream),
    };
    if stream.write_all(&session.greeting().buffer().expect("greeting")).await.is_err() {
        return;
    }
    loop {
        let Some(plain) = converse(stream, &mut session).await else { return };
        let Some(acceptor) = &acceptor else { return };
        let Ok(encrypted) = acceptor.accept(plain).await else { return };
        session.tls_active();
        stream = Box::new(encrypted);
    }
}

/// Commands and replies until the client leaves (`None`) or STARTTLS was answered (the stream,
/// to be encrypted).
async fn converse(
    stream: Box<dyn Stream>,
    session: &mut mailin::Session<Connection>,
) -> Option<Box<dyn Stream>> {
    let mut reader = BufReader::new(stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return None,
            Ok(_) => {}
        }
        let response = session.process(&line);
        if response.action != Action::NoReply
            && reader.get_mut().write_all(&response.buffer().expect("response")).await.is_err()
        {
            return None;
        }
        match response.action {
            Action::Close => return None,
            // The client waits for this reply before its handshake, so nothing is buffered.
            Action::UpgradeTls => return Some(reader.into_inner()),
            _ => {}
        }
    }
}

/// One connection's transaction; what it accepts goes to the shared record.
struct Connection {
    shared: Arc<Mutex<Shared>>,
    login: Option<(String, String)>,
    to: Vec<String>,
    data: Vec<u8>,
}

impl Connection {
    fn lock(&self) -> std::sync::MutexGuard<'_, Shared> {
        self.shared.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn log_in(&mut self, user: &str, password: &str) -> Response {
        match &self.login {
            Some((expected_user, expected_password))
                if user == expected_user && password == expected_password =>
            {
                self.lock().logins.push(user.to_string());
                mailin::response::AUTH_OK
            }
            _ => mailin::response::INVALID_CREDENTIALS,
        }
    }
}

impl Handler for Connection {
    fn auth_plain(&mut self, _authorization_id: &str, authentication_id: &str, password: &str) -> Response {
        self.log_in(authentication_id, password)
    }

    fn auth_login(&mut self, username: &str, password: &str) -> Response {
        self.log_in(username, password)
    }

    fn rcpt(&mut self, to: &str) -> Response {
        let mut shared = self.lock();
        shared.offered.push(to.to_string());
        if let Some(refusal) = shared.refusals.get_mut(to)
            && refusal.times != Some(0)
        {
            if let Some(times) = &mut refusal.times {
                *times -= 1;
            }
            return Response::custom(refusal.code, refusal.text.clone());
        }
        mailin::response::OK
    }

    fn data_start(&mut self, _domain: &str, _from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.to = to.to_vec();
        self.data.clear();
        mailin::response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.data.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let received = Received {
            to: std::mem::take(&mut self.to),
            data: String::from_utf8_lossy(&std::mem::take(&mut self.data)).into_owned(),
        };
        self.lock().received.push(received);
        mailin::response::OK
    }
}
