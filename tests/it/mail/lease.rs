//! Claims and their leases when a worker dies or falls behind: a mail sent again after a crash
//! carries the Message-ID of the copy that may have arrived, and a worker whose claim ran out
//! while it waited its turn leaves the mail to the worker that took it over.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;
use peil::mail::Mailer;
use peil::settings::{Secret, Settings};
use peil::time::clock::Clock;

use super::smtp::SmtpServer;
use super::support::{HUISARTSEN, app, header, mailer, open, sent};
use crate::helpers::within;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mail_sent_again_after_a_crash_carries_the_message_id_of_the_first_copy() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    open(&app, &clock, "crisisdienst", &["huisarts"]).await;
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    // A crash between the send and its record: the rows are still `sending` under a claim.
    let lease = peil::db::Timestamp::from(clock.now() + Duration::minutes(5));
    sqlx::query("UPDATE outbox SET status = 'sending', claimed_until = $1")
        .bind(lease)
        .execute(&app.pool)
        .await
        .unwrap();
    clock.advance(Duration::minutes(6));
    assert_eq!(mailer.run_once().await.expect("run"), sent(3), "sent again after the lease");

    for address in HUISARTSEN {
        let copies = server.to(address);
        assert_eq!(copies.len(), 2, "{address}");
        let ids: Vec<&str> = copies.iter().map(|m| header(m, "Message-ID")[0]).collect();
        assert_eq!(ids[0], ids[1], "{address}: one Message-ID for both copies");
        assert!(ids[0].starts_with("<peil.") && ids[0].ends_with("@example.org>"), "{}", ids[0]);
    }
    let received = server.received();
    let mut all: Vec<&str> = received.iter().map(|m| header(m, "Message-ID")[0]).collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), 3, "different rows, different ids");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_whose_claim_ran_out_before_its_turn_leaves_the_mail_to_the_one_that_took_it() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    // One mail a second, a lease of a minute: the first mail goes at once, the other two a
    // second later, by when the clock has moved past the lease and a second worker has them.
    let settings = Settings {
        smtp_url: Some(Secret::new(server.url())),
        mail_from: "GGZ-werkgroep <peil@example.org>".into(),
        mail_per_second: 1,
        mail_lease_seconds: 60,
        ..app.settings.clone()
    };
    let worker = || {
        Mailer::new(app.db.clone(), &settings, app.secret.clone(), clock.clone(), Arc::new(HashMap::new()))
            .expect("mailer")
    };
    open(&app, &clock, "crisisdienst", &["huisarts"]).await;
    let slow = tokio::spawn({
        let slow = worker();
        async move { slow.run_once().await.expect("run") }
    });
    within(10, "the slow worker's first mail, sent and recorded", || async {
        let sent: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status = 'sent'")
            .fetch_one(&app.pool)
            .await
            .expect("count");
        (sent == 1).then_some(())
    })
    .await;
    clock.advance(Duration::minutes(2));
    assert_eq!(worker().run_once().await.expect("run"), sent(2), "the other two, taken over");
    assert_eq!(slow.await.expect("the slow worker").sent, 1, "the slow worker sent only its first");

    let mut to: Vec<String> = server.received().into_iter().flat_map(|m| m.to).collect();
    to.sort();
    assert_eq!(to, HUISARTSEN, "each person once");
}
