//! The invitation and the reminder as a person receives them: the whole message as the SMTP
//! server took it in (headers, the plain text and the HTML part), quoted-printable undone and
//! what differs per run replaced (see `seen`).

use std::collections::HashMap;

use peil::time::clock::Clock;

use super::smtp::{Received, SmtpServer};
use super::support::*;
use crate::helpers::TestApp;
use crate::seen::{assert_seen, normalised};

fn as_seen(app: &TestApp, mail: &Received) -> String {
    normalised(&decoded(mail), &app.url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_invitation_and_the_reminder_read_as_their_snapshots() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    let opened = open(&app, &clock, "crisisdienst", &["huisarts"]).await;
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    let invitation = server.to("anna@example.org").remove(0);
    assert_seen!("invitation", as_seen(&app, &invitation));

    assert_eq!(queue_reminders(&app, opened.round, 1, clock.now()).await, 3);
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    let reminder = server.to("anna@example.org").remove(1);
    assert_seen!("reminder", as_seen(&app, &reminder));
}
