//! What the mail tests share: the app with its contacts, a mailer on a manual clock, opening a
//! round, and reading what the SMTP server received.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;
use peil::jobs::MailTexts;
use peil::mail::{Delivery, Mailer};
use peil::outbox::Queue;
use peil::rounds::{self, OpenRequest, RoundId};
use peil::settings::{Secret, Settings};
use peil::time::clock::{Clock, ManualClock};

use super::smtp::Received;
use crate::helpers::{CONTACTS, TestApp};

/// The huisartsen of `CONTACTS`: everyone a round for `huisarts` invites.
pub(crate) const HUISARTSEN: [&str; 3] = ["anna@example.org", "bram@example.org", "dina@example.org"];

/// One required text question, so a test can answer in one POST.
pub(crate) const SHORT: &str = r#"
title = "Korte peiling"

[[pages]]
title = "Uw mening"

[[pages.questions]]
id = "opmerking"
type = "text"
label = "Hoe gaat het?"
required = true
"#;

/// The app with the contacts imported, and a clock standing at the real now (the answering
/// pages read the system clock; the worker reads this one).
pub(crate) async fn app() -> (TestApp, Arc<ManualClock>) {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    (app, ManualClock::at(chrono::Utc::now()))
}

pub(crate) fn mailer(
    app: &TestApp,
    clock: &Arc<ManualClock>,
    smtp: Option<String>,
    texts: HashMap<String, MailTexts>,
) -> Mailer {
    let settings = Settings {
        smtp_url: smtp.map(Secret::new),
        mail_from: "GGZ-werkgroep <peil@example.org>".into(),
        mail_per_second: 1000,
        mail_poll_ms: 50,
        ..app.settings.clone()
    };
    Mailer::new(app.db.clone(), &settings, app.secret.clone(), clock.clone(), Arc::new(texts))
        .expect("mailer")
}

/// Opens a round of `form` for `roles` at the clock's time, closing a week later.
pub(crate) async fn open(
    app: &TestApp,
    clock: &Arc<ManualClock>,
    form: &str,
    roles: &[&str],
) -> rounds::Opened {
    let request = OpenRequest {
        form_id: form.into(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        wijken: vec![],
        gemeenten: vec![],
        practices: vec![],
        closes_at: clock.now() + Duration::days(7),
        anonymous: false,
        occurrence: None,
    };
    rounds::open(&app.db, &app.forms, &app.secret, &request, clock.now()).await.expect("open round")
}

pub(crate) async fn queue_reminders(
    app: &TestApp,
    round: RoundId,
    number: u32,
    due: chrono::DateTime<chrono::Utc>,
) -> u64 {
    let mut tx = app.db.write().await.expect("begin");
    let queued =
        peil::outbox::enqueue(&mut tx, Queue::Reminders(round, number), due, due).await.expect("queue");
    tx.commit().await.expect("commit");
    queued
}

pub(crate) async fn statuses(app: &TestApp) -> Vec<(String, String)> {
    sqlx::query_as(
        "SELECT c.email, o.status FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
         JOIN contacts c ON c.id = i.contact_id ORDER BY o.id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("statuses")
}

pub(crate) fn sent(n: u32) -> Delivery {
    Delivery { sent: n, ..Delivery::default() }
}

/// The message body with quoted-printable undone.
pub(crate) fn decoded(mail: &Received) -> String {
    let text = mail.data.replace("=\r\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) if bytes[i] == b'=' => {
                out.push(byte);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The path of the personal link in a mail (`/r/<token>`).
pub(crate) fn link_path(app: &TestApp, mail: &Received) -> String {
    let body = decoded(mail);
    let start = body.find(&format!("{}/r/", app.url)).expect("a personal link in the mail") + app.url.len();
    body[start..start + 3 + 43].to_string()
}

pub(crate) fn header<'a>(mail: &'a Received, name: &str) -> Vec<&'a str> {
    let prefix = format!("{}:", name.to_lowercase());
    mail.headers()
        .split("\r\n")
        .filter(|line| line.to_lowercase().starts_with(&prefix))
        .map(|line| line[prefix.len()..].trim())
        .collect()
}
