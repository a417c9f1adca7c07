//! A relay that asks for a login over plain SMTP (`smtp://user:pass@host`, which says the login
//! may go in the clear): peil's own connections log in once each and keep the connection for the
//! next mails. (Over TLS: `tls`.)

use std::sync::Arc;

use peil::mail::{Delivery, Mailer, Transport};
use peil::settings::{Secret, Settings};
use peil::time::clock::Clock;

use super::smtp::SmtpServer;
use super::support::*;

const USER: &str = "peil";
const PASSWORD: &str = "geheim-relay-wachtwoord";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mails_to_a_relay_with_a_login_go_over_logged_in_connections_and_each_arrives_once() {
    let (app, clock) = app().await;
    let server = SmtpServer::started_with_login(USER, PASSWORD).await;
    let settings = Settings {
        smtp_url: Some(Secret::new(server.url())),
        mail_from: "GGZ-werkgroep <peil@example.org>".into(),
        mail_per_second: 1000,
        // Two at a time, so that peil holds more than one connection.
        mail_concurrency: 2,
        ..app.settings.clone()
    };
    let mailer = Mailer::new(app.db.clone(), &settings, app.secret.clone(), clock.clone(), Arc::default())
        .expect("mailer");
    let transport = mailer.transport();
    assert!(matches!(transport, Transport::Relay { .. }), "not SMTP: {}", transport.describe());
    assert!(!transport.describe().contains(PASSWORD), "{}", transport.describe());

    let everyone = ["anna@example.org", "bram@example.org", "cor@example.org", "dina@example.org"];
    let opened = open(&app, &clock, "crisisdienst", &["huisarts", "poh-ggz"]).await;
    assert_eq!(opened.queued, 4);
    assert_eq!(mailer.run_once().await.expect("run"), sent(4));
    assert_eq!(mailer.run_once().await.expect("run"), Delivery::default(), "nothing is sent twice");
    for address in everyone {
        let mails = server.to(address);
        assert_eq!(mails.len(), 1, "{address} gets its invitation exactly once");
        assert_eq!(mails[0].to, vec![address.to_string()], "one recipient per message");
    }

    // The reminders of a later run go over the connections peil kept.
    assert_eq!(queue_reminders(&app, opened.round, 1, clock.now()).await, 4);
    assert_eq!(mailer.run_once().await.expect("run"), sent(4));
    assert_eq!(server.received().len(), 8);
    for address in everyone {
        assert_eq!(server.to(address).len(), 2, "{address}: one invitation and one reminder");
    }
    let statuses = statuses(&app).await;
    assert!(statuses.iter().all(|(_, status)| status == "sent"), "{statuses:?}");

    let logins = server.logins();
    assert!(!logins.is_empty() && logins.iter().all(|user| user == USER), "{logins:?}");
    assert_eq!(logins.len(), server.connections(), "every connection logged in");
}
