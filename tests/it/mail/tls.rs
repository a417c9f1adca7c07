//! A relay that speaks TLS and asks for a login, as a provider's or an organisation's relay does:
//! STARTTLS (`?tls=required`) and TLS from the first byte (`smtps`), with the test CA of
//! `tests/fixtures/` trusted through `smtp_ca_file`. Each mail arrives once, the login arrives
//! over TLS only, a certificate peil does not trust keeps the mails queued, and one connection
//! is not held back by Nagle's algorithm.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use peil::mail::{Delivery, Mailer, SendError, Transport};
use peil::settings::{Secret, Settings};
use peil::time::clock::ManualClock;

use super::smtp::{Security, SmtpServer, ca_file};
use super::support::*;
use crate::helpers::TestApp;

const USER: &str = "peil@example.org";
const PASSWORD: &str = "geheim-relay-wachtwoord";
const EVERYONE: [&str; 4] = ["anna@example.org", "bram@example.org", "cor@example.org", "dina@example.org"];

fn tls_mailer(app: &TestApp, clock: &Arc<ManualClock>, url: String, ca: Option<PathBuf>) -> Mailer {
    let settings = Settings {
        smtp_url: Some(Secret::new(url)),
        smtp_ca_file: ca,
        mail_from: "GGZ-werkgroep <peil@example.org>".into(),
        mail_per_second: 1000,
        mail_concurrency: 2,
        ..app.settings.clone()
    };
    Mailer::new(app.db.clone(), &settings, app.secret.clone(), clock.clone(), Arc::default()).expect("mailer")
}

/// The round's four invitations go out through `server`, each once, over logged-in connections.
async fn each_mail_arrives_once_after_a_login(tls: Security) {
    let (app, clock) = app().await;
    let server = SmtpServer::started_with_tls(tls, USER, PASSWORD).await;
    let mailer = tls_mailer(&app, &clock, server.url(), Some(ca_file()));
    assert!(!mailer.transport().describe().contains(PASSWORD), "{}", mailer.transport().describe());

    let opened = open(&app, &clock, "crisisdienst", &["huisarts", "poh-ggz"]).await;
    assert_eq!(opened.queued, 4);
    assert_eq!(mailer.run_once().await.expect("run"), sent(4));
    assert_eq!(mailer.run_once().await.expect("run"), Delivery::default(), "nothing is sent twice");
    for address in EVERYONE {
        let mails = server.to(address);
        assert_eq!(mails.len(), 1, "{address} gets its invitation exactly once");
        assert_eq!(mails[0].to, vec![address.to_string()], "one recipient per message");
    }
    let logins = server.logins();
    assert!(!logins.is_empty() && logins.iter().all(|user| user == USER), "{logins:?}");
    assert_eq!(logins.len(), server.connections(), "every connection logged in");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rounds_mails_go_out_over_starttls_with_a_login_each_exactly_once() {
    each_mail_arrives_once_after_a_login(Security::StartTls).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rounds_mails_go_out_over_smtps_with_a_login_each_exactly_once() {
    each_mail_arrives_once_after_a_login(Security::Implicit).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_whose_certificate_is_not_trusted_keeps_the_mails_queued_until_it_is() {
    let (app, clock) = app().await;
    let server = SmtpServer::started_with_tls(Security::StartTls, USER, PASSWORD).await;
    let untrusting = tls_mailer(&app, &clock, server.url(), None);
    open(&app, &clock, "crisisdienst", &["huisarts", "poh-ggz"]).await;

    let delivery = untrusting.run_once().await.expect("run");
    assert_eq!(delivery, Delivery { retried: 4, ..Delivery::default() }, "a connection error, not a refusal");
    assert!(server.received().is_empty() && server.logins().is_empty(), "no mail and no password went out");
    let errors: Vec<Option<String>> =
        sqlx::query_scalar("SELECT last_error FROM outbox").fetch_all(&app.pool).await.expect("errors");
    assert!(errors.iter().flatten().any(|e| e.to_lowercase().contains("certificate")), "{errors:?}");
    let statuses = statuses(&app).await;
    assert!(statuses.iter().all(|(_, status)| status == "pending"), "still queued: {statuses:?}");

    // Once the CA is trusted, each mail goes once.
    let trusting = tls_mailer(&app, &clock, server.url(), Some(ca_file()));
    clock.advance(chrono::Duration::hours(1));
    assert_eq!(trusting.run_once().await.expect("run"), sent(4));
    assert_eq!(trusting.run_once().await.expect("run"), Delivery::default());
    for address in EVERYONE {
        assert_eq!(server.to(address).len(), 1, "{address}: exactly once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_is_refused_for_good_as_the_relay_answers_5xx() {
    let server = SmtpServer::started_with_tls(Security::StartTls, USER, PASSWORD).await;
    let url = server.url().replace(PASSWORD, "verkeerd-wachtwoord");
    let transport = Transport::smtp(&url, &trust(), 1).expect("transport");
    let Err(SendError::Permanent(reason)) = transport.send(message(0)).await else {
        panic!("a 535 is a refusal that trying again does not change")
    };
    assert!(reason.contains("535") && !reason.contains("verkeerd"), "{reason}");
    assert!(server.received().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_mails_over_one_tls_connection_are_not_held_back_by_nagle() {
    let server = SmtpServer::started_with_tls(Security::StartTls, USER, PASSWORD).await;
    let transport = Transport::smtp(&server.url(), &trust(), 1).expect("transport");
    transport.send(message(0)).await.expect("the first mail, with the handshake");
    let started = Instant::now();
    for i in 1..=50 {
        transport.send(message(i)).await.expect("send");
    }
    let took = started.elapsed();
    assert_eq!(server.received().len(), 51);
    assert_eq!(server.connections(), 1, "one connection, kept");
    // With Nagle, each closing `.` would wait for the relay's delayed ACK: 50 × 40 ms = 2 s.
    assert!(took < Duration::from_millis(1000), "50 mails took {took:?}");
}

fn trust() -> peil::mail::Trust {
    peil::mail::Trust::load(Some(&ca_file())).expect("the test CA")
}

fn message(i: u32) -> lettre::Message {
    lettre::Message::builder()
        .from("peil <peil@example.org>".parse().expect("from"))
        .to(format!("p{i}@example.org").parse().expect("to"))
        .subject("test")
        .body(format!("mail {i}\r\n").repeat(40))
        .expect("message")
}
