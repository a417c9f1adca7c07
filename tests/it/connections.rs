//! Idle and slow connections, performed through real sockets against the front (`peil::front`),
//! with caps and clocks small enough for a test: connections over the caps are refused at once,
//! silent and half-sent heads are closed at the header deadline, a quiet keep-alive connection at
//! the idle timeout, and `/health` answers again as soon as the attackers' places are free. Each
//! test connects from addresses of its own on loopback (127.0.0.x) where the client matters.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};

use crate::helpers::TestApp;
use peil::settings::Settings;

/// The app with `tune` applied over one-second clocks.
async fn app_with(tune: impl FnOnce(&mut Settings)) -> TestApp {
    TestApp::spawn_configured(|s| {
        s.header_timeout_secs = 1;
        s.idle_timeout_secs = 2;
        tune(s);
    })
    .await
}

fn front(app: &TestApp) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, app.settings.port))
}

/// A connection to the front from `source` (any address on loopback: 127.0.0.2 is another
/// client than 127.0.0.1).
async fn connect_from(source: Ipv4Addr, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().expect("a socket");
    socket.bind(SocketAddr::from((source, 0))).expect("bind the source address");
    socket.connect(to).await.expect("connect to the front")
}

const HEALTH: &[u8] = b"GET /health HTTP/1.1\r\nHost: peil\r\n\r\n";

/// Reads one response: the status code and the body (by `Content-Length`); `None` when the
/// connection ends first.
async fn read_response(stream: &mut TcpStream) -> Option<(u16, String)> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&bytes[..end]).to_string();
            let length: usize = head
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned())
                })
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            if bytes.len() >= end + 4 + length {
                let status = head.split(' ').nth(1)?.parse().ok()?;
                return Some((
                    status,
                    String::from_utf8_lossy(&bytes[end + 4..end + 4 + length]).to_string(),
                ));
            }
        }
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
        }
    }
}

/// `GET /health` over a fresh connection from `source`: its status, or `None` when refused
/// without one.
async fn health_from(source: Ipv4Addr, app: &TestApp) -> Option<u16> {
    let mut stream = connect_from(source, front(app)).await;
    stream.write_all(HEALTH).await.ok()?;
    let response = tokio::time::timeout(Duration::from_secs(5), read_response(&mut stream)).await;
    response.ok().flatten().map(|(status, _)| status)
}

/// How long after now the peer closes `stream` (a read gives 0 or an error), reading and
/// counting whatever comes first; `None` if it is still open after `limit`.
async fn closed_after(stream: &mut TcpStream, limit: Duration) -> Option<(Duration, usize)> {
    let start = Instant::now();
    let mut received = 0;
    let mut chunk = [0u8; 4096];
    loop {
        match tokio::time::timeout_at((start + limit).into(), stream.read(&mut chunk)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some((start.elapsed(), received)),
            Ok(Ok(n)) => received += n,
        }
    }
}

/// Whether the front has refused `stream`: a 503 or an end is waiting in it.
fn refused(stream: &TcpStream) -> bool {
    let mut chunk = [0u8; 512];
    match stream.try_read(&mut chunk) {
        Ok(0) => true,
        Ok(n) => String::from_utf8_lossy(&chunk[..n]).starts_with("HTTP/1.1 503 "),
        Err(e) => e.kind() != std::io::ErrorKind::WouldBlock,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eighty_silent_connections_over_a_cap_of_fifty_keep_health_away_only_until_the_header_deadline() {
    // Two seconds for the head, so that a slow machine opens all 80 before the first are closed.
    let app = app_with(|s| {
        s.max_connections = 50;
        s.max_connections_per_client = 100;
        s.header_timeout_secs = 2;
    })
    .await;
    let attacker = Ipv4Addr::new(127, 0, 0, 2);
    let mut silent = Vec::new();
    for _ in 0..80 {
        silent.push(connect_from(attacker, front(&app)).await);
    }
    let opened = Instant::now();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let over = silent.iter().filter(|s| refused(s)).count();
    // The harness's own pooled connection may hold one place.
    assert!((30..=31).contains(&over), "{over} of 80 refused at once; the cap is 50");
    let (status, text) = {
        let mut stream = connect_from(Ipv4Addr::new(127, 0, 0, 3), front(&app)).await;
        let _ = stream.write_all(HEALTH).await;
        read_response(&mut stream).await.unwrap_or_default()
    };
    assert_eq!(status, 503, "at the cap, a new connection is refused at once");
    assert!(text.contains("Te veel verbindingen"), "{text}");

    // The silent ones are closed at the header deadline (2 s); then /health answers.
    let answered = crate::helpers::within(5, "/health answers once the silent ones are closed", || async {
        (health_from(Ipv4Addr::new(127, 0, 0, 3), &app).await == Some(200)).then(Instant::now)
    })
    .await;
    let waited = answered - opened;
    eprintln!(
        "80 silent connections, cap 50: {over} refused at once; /health answered {waited:?} after them"
    );
    assert!(waited < Duration::from_millis(3500), "/health answered {waited:?} after the attack");
    let closed = silent.iter().filter(|s| refused(s)).count();
    assert_eq!(closed, 80, "every silent connection is closed by the front, not by the test");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_client_over_its_own_cap_is_refused_while_another_client_gets_in() {
    let app = app_with(|s| {
        s.max_connections = 50;
        s.max_connections_per_client = 5;
        s.header_timeout_secs = 10;
    })
    .await;
    let greedy = Ipv4Addr::new(127, 0, 0, 4);
    let mut held = Vec::new();
    for _ in 0..5 {
        held.push(connect_from(greedy, front(&app)).await);
    }
    let mut sixth = connect_from(greedy, front(&app)).await;
    let _ = sixth.write_all(HEALTH).await;
    let refusal = tokio::time::timeout(Duration::from_secs(1), read_response(&mut sixth)).await;
    assert_eq!(refusal.expect("refused at once").map(|r| r.0), Some(503));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(held.iter().all(|s| !refused(s)), "the five within the cap stay open");
    assert_eq!(health_from(Ipv4Addr::new(127, 0, 0, 5), &app).await, Some(200));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn half_a_header_sent_slowly_is_closed_at_the_header_deadline() {
    let app = app_with(|s| s.idle_timeout_secs = 10).await;
    let stream = connect_from(Ipv4Addr::LOCALHOST, front(&app)).await;
    let (mut read, mut write) = stream.into_split();
    // A byte every 100 ms keeps any idle timer happy; only the deadline for the head stops it.
    let trickle = tokio::spawn(async move {
        write.write_all(b"GET /health HTTP/1.1\r\nHost: peil\r\nX-Langzaam: ").await?;
        loop {
            tokio::time::sleep(Duration::from_millis(100)).await;
            write.write_all(b"a").await?;
        }
        #[expect(unreachable_code, reason = "the loop ends with the connection")]
        Ok::<(), std::io::Error>(())
    });
    let start = Instant::now();
    let mut chunk = [0u8; 1024];
    let outcome = tokio::time::timeout(Duration::from_secs(5), read.read(&mut chunk)).await;
    let elapsed = start.elapsed();
    eprintln!("half a head, a byte every 100 ms: closed {elapsed:?} after connecting");
    assert!(matches!(outcome, Ok(Ok(0) | Err(_))), "the front closes without an answer: {outcome:?}");
    assert!(
        (Duration::from_millis(900)..Duration::from_millis(1800)).contains(&elapsed),
        "closed {elapsed:?} after connecting; the header deadline is 1 s"
    );
    let ended = tokio::time::timeout(Duration::from_secs(2), trickle).await;
    assert!(matches!(ended, Ok(Ok(Err(_)))), "the trickling writer hits a closed connection");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_quiet_keep_alive_connection_is_closed_after_the_idle_timeout() {
    let app = app_with(|_| ()).await;
    let mut stream = connect_from(Ipv4Addr::LOCALHOST, front(&app)).await;
    stream.write_all(HEALTH).await.unwrap();
    let (status, _) = read_response(&mut stream).await.expect("a response");
    assert_eq!(status, 200);
    let (after, received) =
        closed_after(&mut stream, Duration::from_secs(5)).await.expect("closed within 5 s");
    assert_eq!(received, 0);
    eprintln!("a quiet keep-alive connection: closed {after:?} after its response");
    assert!(
        (Duration::from_millis(1700)..Duration::from_millis(3000)).contains(&after),
        "closed {after:?} after the response; the idle timeout is 2 s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_keep_alive_connection_outlives_both_clocks() {
    let app = app_with(|s| s.idle_timeout_secs = 1).await;
    let mut stream = connect_from(Ipv4Addr::LOCALHOST, front(&app)).await;
    for _ in 0..6 {
        stream.write_all(HEALTH).await.expect("the connection is still open");
        assert_eq!(read_response(&mut stream).await.map(|r| r.0), Some(200));
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// A wrong password posted from `source` with `X-Real-IP: forged`, and the address the audit
/// log then records for it.
async fn audited_address(app: &TestApp, source: Ipv4Addr, forged: &str) -> String {
    let client = reqwest::Client::builder().local_address(IpAddr::V4(source)).build().unwrap();
    let response = client
        .post(format!("{}/inloggen", app.url))
        .header("X-Real-IP", forged)
        .form(&[("email", "anna@example.org"), ("password", "fout-fout-fout")])
        .send()
        .await
        .expect("POST /inloggen");
    assert_eq!(response.status(), 422, "a wrong password shows the login page again");
    let entries = peil::audit::list(&app.pool, 1).await.unwrap();
    entries[0].detail.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peil_sees_the_real_client_behind_the_front_and_believes_only_a_real_proxy() {
    // The proxy is 127.0.0.1, the address the front itself reaches Rocket from: without the
    // front's peer map every client would look like the proxy and could choose its address.
    let app = app_with(|s| s.trusted_proxies = vec![IpAddr::V4(Ipv4Addr::LOCALHOST)]).await;
    app.create_user("anna@example.org", peil::accounts::Role::Admin).await;
    assert_eq!(audited_address(&app, Ipv4Addr::new(127, 0, 0, 6), "203.0.113.66").await, "ip 127.0.0.6");
    assert_eq!(audited_address(&app, Ipv4Addr::LOCALHOST, "198.51.100.7").await, "ip 198.51.100.7");
}
