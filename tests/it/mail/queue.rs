//! `outbox::enqueue` on both backends: every kind of queueing it offers is idempotent, so a tick
//! or a form posted twice queues nothing twice.

use chrono::Duration;
use peil::outbox::{Queue, enqueue};
use peil::rounds::InvitationId;

use crate::helpers::{CONTACTS, TestApp};

#[tokio::test]
async fn enqueue_queues_each_mail_once_however_often_it_is_called() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    let invitation: i64 = sqlx::query_scalar("SELECT MIN(id) FROM invitations WHERE round_id = $1")
        .bind(round)
        .fetch_one(&app.pool)
        .await
        .expect("an invitation");
    let (now, window) = (app.now(), Duration::minutes(10));

    let mut w = app.db.write().await.expect("write");
    let mut twice = Vec::new();
    for what in [
        Queue::Invitations(round),
        Queue::Reminders(round, 1),
        Queue::Registration(InvitationId(invitation), window),
    ] {
        let first = enqueue(&mut w, what, now, now).await.expect("first");
        let second = enqueue(&mut w, what, now, now).await.expect("second");
        twice.push((first, second));
    }
    w.commit().await.expect("commit");
    // The round queued its three invitations when it opened.
    assert_eq!(twice, [(0, 0), (3, 0), (1, 0)]);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 7);
}
