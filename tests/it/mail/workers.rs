//! Two mail workers side by side on one database, as two instances run them: each claims its own
//! rows (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, on SQLite under its write lock), and
//! queueing, claiming and opting out keep every mail to one send.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;
use peil::contacts::{self, Vocabulary};
use peil::mail::{Delivery, Mailer};
use peil::outbox::Queue;
use peil::rounds::{self, OpenRequest};
use peil::settings::{Secret, Settings};
use peil::time::clock::{Clock, ManualClock};

use super::smtp::SmtpServer;
use crate::helpers::{CONTACTS, repo};
use crate::pg::TestDb;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_share_the_outbox_and_send_every_mail_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDb::new(dir.path());
    let db = database.db().await;
    let pool = db.read().clone();
    let forms = peil::forms::load(&repo("forms")).expect("forms");
    let csv = dir.path().join("contacts.csv");
    std::fs::write(&csv, CONTACTS).expect("csv");
    let vocabulary = Vocabulary { roles: forms.list_pairs("rollen"), wijken: forms.list_pairs("wijken") };
    contacts::import_csv(
        &db,
        &csv,
        &vocabulary,
        &peil::settings::Secret::new(peil::crypto::random_b64(48)),
        chrono::Utc::now(),
    )
    .await
    .expect("import");

    let clock = ManualClock::at(chrono::Utc::now());
    let secret = Secret::new(peil::crypto::random_b64(48));
    let server = SmtpServer::started().await;
    let settings = Settings {
        database_url: database.url.clone(),
        smtp_url: Some(Secret::new(server.url())),
        mail_per_second: 1000,
        templates_dir: repo("templates"),
        data_dir: dir.path().join("data"),
        ..Settings::default()
    };
    let mailer = || {
        // Each instance has its own write turn; only the database orders the two.
        let db = peil::db::Db::new(pool.clone(), peil::db::Backend::of(&database.url));
        Mailer::new(db, &settings, secret.clone(), clock.clone(), Arc::new(HashMap::new())).expect("mailer")
    };
    let request = OpenRequest {
        form_id: "crisisdienst".into(),
        roles: vec![],
        wijken: vec![],
        gemeenten: vec![],
        practices: vec![],
        closes_at: clock.now() + Duration::days(7),
        anonymous: false,
        occurrence: None,
    };
    let opened = rounds::open(&db, &forms, &secret, &request, clock.now()).await.expect("open");
    assert_eq!(opened.queued, 4);

    let (one, two) = (mailer(), mailer());
    let (a, b) = tokio::join!(one.run_once(), two.run_once());
    assert_eq!(a.expect("run").sent + b.expect("run").sent, 4);
    let mut to: Vec<String> = server.received().into_iter().flat_map(|m| m.to).collect();
    to.sort();
    to.dedup();
    assert_eq!((to.len(), server.received().len()), (4, 4), "every mail once");

    let mut tx = db.write().await.expect("begin");
    let due = clock.now() + Duration::days(1);
    assert_eq!(
        peil::outbox::enqueue(&mut tx, Queue::Reminders(opened.round, 1), due, clock.now())
            .await
            .expect("queue"),
        4
    );
    assert_eq!(
        peil::outbox::enqueue(&mut tx, Queue::Reminders(opened.round, 1), due, clock.now())
            .await
            .expect("queue"),
        0
    );
    tx.commit().await.expect("commit");
    let anna: i64 = sqlx::query_scalar(
        "SELECT i.id FROM invitations i JOIN contacts c ON c.id = i.contact_id WHERE c.email = 'anna@example.org'",
    )
    .fetch_one(&pool)
    .await
    .expect("anna");
    let db = peil::db::Db::new(pool.clone(), peil::db::Backend::of(&database.url));
    let cancelled = peil::mail::opt_out(&db, rounds::InvitationId(anna), clock.now()).await.expect("opt out");
    assert_eq!(cancelled, 1);
    clock.advance(Duration::days(2));
    assert_eq!(one.run_once().await.expect("run"), Delivery { sent: 3, ..Delivery::default() });

    let report = peil::mail::report(&pool).await.expect("report");
    assert_eq!(report.rounds[0].counts, [0, 0, 7, 0, 1]);
}
