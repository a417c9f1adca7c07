//! A thousand invitations sent by three instances to a real SMTP server on loopback, one of them
//! killed (SIGKILL) when a third has arrived. The mails it had claimed wait for their lease to
//! run out and are then sent by the others: everyone gets the invitation, and only the mails that
//! were on their way at the kill can arrive twice, with the same Message-ID as the first copy.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use super::{Cluster, within};
use crate::mail::smtp::SmtpServer;
use crate::mail::support::header;

const PEOPLE: usize = 1000;
/// Per instance; three instances send about 90 mails a second, so delivery takes seconds.
const PER_SECOND: &str = "30";
/// Mails the killed instance can have had on their way at once (`mail_concurrency`).
const CONCURRENCY: usize = 8;

fn contacts() -> String {
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for i in 0..PEOPLE {
        csv.push_str(&format!("Huisarts {i};huisarts{i:04}@example.org;huisarts;Praktijk {i};noord;Stad\n"));
    }
    csv
}

async fn pending(pool: &peil::db::Pool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'")
        .fetch_one(pool)
        .await
        .expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_invitations_arrive_once_per_person_while_one_instance_is_killed() {
    let server = SmtpServer::started().await;
    let cluster = Cluster::new()
        .env("PEIL_SMTP_URL", &server.url())
        .env("PEIL_MAIL_FROM", "GGZ-werkgroep <peil@example.org>")
        .env("PEIL_MAIL_PER_SECOND", PER_SECOND)
        .env("PEIL_MAIL_CONCURRENCY", &CONCURRENCY.to_string())
        .env("PEIL_MAIL_LEASE_SECONDS", "3");
    let csv = cluster.write("contacts.csv", &contacts());
    cluster.run(&["contacts", "import", &csv]);
    let opened = cluster.run(&["round", "open", "--form", "crisisdienst", "--closes", "2099-12-31"]);
    assert!(opened.contains(&format!("{PEOPLE} invitation mails queued")), "{opened}");
    let pool = cluster.pool().await;

    let started = Instant::now();
    let mut instances = cluster.start(3).await;
    within(60, "a third of the mails arrived", || {
        let arrived = server.received().len();
        async move { (arrived >= PEOPLE / 3).then_some(()) }
    })
    .await;
    instances[0].kill();
    let at_kill = server.received().len();
    within(60, "every outbox row sent", || async { (pending(&pool).await == 0).then_some(()) }).await;
    let took = started.elapsed();

    let received = server.received();
    let mut copies: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for mail in &received {
        assert_eq!(mail.to.len(), 1, "one recipient per message");
        let id = header(mail, "Message-ID").first().expect("a Message-ID").to_string();
        copies.entry(mail.to[0].clone()).or_default().push(id);
    }
    assert_eq!(copies.len(), PEOPLE, "every address received the invitation");
    let twice: Vec<(&String, &Vec<String>)> = copies.iter().filter(|(_, ids)| ids.len() > 1).collect();
    eprintln!(
        "{PEOPLE} invitations over three instances, one killed after {at_kill} had arrived: all sent in \
         {took:.1?}, {} messages, {} addresses got two",
        received.len(),
        twice.len()
    );
    assert!(twice.len() <= CONCURRENCY, "more copies than mails in flight at the kill: {twice:?}");
    assert!(
        twice.iter().all(|(_, ids)| ids.len() == 2 && ids[0] == ids[1]),
        "copies share their id: {twice:?}"
    );

    // Each message carries the Message-ID its outbox row recorded: the same for every attempt.
    let recorded: HashMap<String, String> = sqlx::query_as(
        "SELECT c.email, o.message_id FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
         JOIN contacts c ON c.id = i.contact_id",
    )
    .fetch_all(&pool)
    .await
    .expect("message ids")
    .into_iter()
    .collect();
    for (address, ids) in &copies {
        assert_eq!(Some(&ids[0]), recorded.get(address), "{address}");
    }
    // The killed instance's claims really were taken over after their lease.
    let taken_over: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE attempts > 1")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert!(taken_over > 0, "no claim of the killed instance was taken over");
    assert!(instances[1..].iter().all(|i| !i.log().contains("ERROR")), "{}", instances[1].log());
}
