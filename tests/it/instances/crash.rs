//! `kill -9` in the middle of 500 concurrent submissions, three times over on one database: every
//! response whose sender saw the thank-you page is stored exactly once and whole, nothing is
//! stored twice or half, and after a restart everyone who got no answer can send again and is
//! stored once. The round is anonymous, the riskiest case: no unique invitation column guards
//! the response, only the transaction that marks the invitation answered as it stores it.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use peil::responses::Seal;
use peil::rounds::{self, RoundId};

use super::{Cluster, Instance};
use crate::helpers::forms_dir;
use crate::pg::on_postgres;

const PEOPLE: usize = 500;
const REPEATS: usize = 3;
const THANKS: &str = "Ontvangen, dank u wel.";

const FORM: &str = r#"
title = "Crashproef"
anonymous = true
thanks = "Ontvangen, dank u wel."

[[pages]]
title = "Twee vragen"

[[pages.questions]]
id = "kenmerk"
type = "text"
label = "Kenmerk"
required = true

[[pages.questions]]
id = "uren"
type = "number"
label = "Uren per week"
min = 0
max = 60
required = true
"#;

fn contacts() -> String {
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for i in 0..PEOPLE {
        csv.push_str(&format!("Huisarts {i};ha{i:04}@example.org;huisarts;Praktijk {i};noord;Stad\n"));
    }
    csv
}

/// What one sender saw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Seen {
    Thanks,
    /// The connection broke: the server was killed before (or while) it answered.
    NoAnswer,
    Other(u16),
}

/// What person `i` of repetition `rep` sends: a marker to find the response by, and hours.
fn answer(rep: usize, i: usize) -> (String, String) {
    (format!("r{rep}-p{i}"), (i % 61).to_string())
}

async fn send(client: &reqwest::Client, url: String, rep: usize, i: usize) -> Seen {
    let (kenmerk, uren) = answer(rep, i);
    let form = [("_page", "0"), ("kenmerk", &kenmerk), ("uren", &uren), ("_nav", "submit")];
    let Ok(response) = client.post(url).form(&form).send().await else { return Seen::NoAnswer };
    let status = response.status().as_u16();
    match response.text().await {
        Ok(body) if status == 200 && body.contains(THANKS) => Seen::Thanks,
        Ok(_) => Seen::Other(status),
        Err(_) => Seen::NoAnswer,
    }
}

/// A number in `range`, from the operating system's randomness.
fn random_in(range: std::ops::Range<usize>) -> usize {
    let bytes = peil::crypto::random_bytes(8);
    let n = u64::from_le_bytes(bytes.try_into().expect("8 bytes"));
    range.start + (n % (range.end - range.start) as u64) as usize
}

/// The stored responses of `round`, by marker: how often each is there, and whether each is whole.
/// Those released and those still waiting, sealed, in the round's pool (opened with `seal`).
async fn stored(pool: &peil::db::Pool, seal: &Seal, round: RoundId, rep: usize) -> HashMap<String, usize> {
    let mut rows: Vec<String> = sqlx::query_scalar("SELECT answers FROM responses WHERE round_id = $1")
        .bind(round.0)
        .fetch_all(pool)
        .await
        .expect("responses");
    let waiting: Option<String> = sqlx::query_scalar("SELECT sealed FROM anonymous_pool WHERE round_id = $1")
        .bind(round.0)
        .fetch_optional(pool)
        .await
        .expect("pool");
    if let Some(sealed) = waiting {
        let waiting = peil::responses::pool::open(seal, &sealed).expect("the pool opens with the key");
        rows.extend(waiting.into_iter().map(|w| w.answers));
    }
    let mut markers = HashMap::new();
    for row in rows {
        let answers: serde_json::Value = serde_json::from_str(&row).expect("answers are whole JSON");
        let kenmerk = answers["kenmerk"].as_str().expect("a stored response has its marker").to_owned();
        let person: usize =
            kenmerk.strip_prefix(&format!("r{rep}-p")).and_then(|p| p.parse().ok()).expect("marker");
        assert_eq!(answers["uren"], serde_json::json!((person % 61) as f64), "response {kenmerk} is whole");
        *markers.entry(kenmerk).or_insert(0) += 1;
    }
    let answered: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM invitations WHERE round_id = $1 AND answered = 1")
            .bind(round.0)
            .fetch_one(pool)
            .await
            .expect("answered");
    let responses: usize = markers.values().sum();
    assert_eq!(
        answered as usize, responses,
        "an invitation is marked answered exactly when its response is in"
    );
    markers
}

async fn open_round(cluster: &Cluster, pool: &peil::db::Pool) -> (RoundId, Vec<String>) {
    let opened = cluster.run(&["round", "open", "--form", "crashproef", "--closes", "2099-12-31"]);
    let round: i64 = opened
        .strip_prefix("round ")
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a round number in: {opened}"));
    let round = RoundId(round);
    let links = rounds::links(pool, &cluster.secret(), "", round).await.expect("links");
    assert_eq!(links.len(), PEOPLE);
    (round, links.into_iter().map(|l| l.url).collect())
}

/// Everyone sends at once to `instance`; it is killed once `kill_after` have seen the thank-you
/// page (and a moment more). What each one saw.
async fn send_all_and_kill(
    instance: &mut Instance,
    paths: &[String],
    rep: usize,
    kill_after: usize,
) -> Vec<Seen> {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .expect("client");
    let thanked = Arc::new(AtomicUsize::new(0));
    // The sender whose thank-you page is the `kill_after`-th wakes the killer at once: polling
    // the count let a fast server finish all 500 before the kill came.
    let enough = Arc::new(tokio::sync::Notify::new());
    let senders: Vec<_> = paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let (client, thanked, enough) = (client.clone(), thanked.clone(), enough.clone());
            let url = format!("{}{path}", instance.url);
            tokio::spawn(async move {
                let seen = send(&client, url, rep, i).await;
                if seen == Seen::Thanks && thanked.fetch_add(1, Ordering::SeqCst) + 1 == kill_after {
                    enough.notify_one();
                }
                seen
            })
        })
        .collect();
    tokio::time::timeout(Duration::from_secs(120), enough.notified())
        .await
        .expect("enough thank-you pages before the kill");
    tokio::time::sleep(Duration::from_millis(random_in(0..15) as u64)).await;
    instance.kill();
    let mut seen = Vec::with_capacity(PEOPLE);
    for sender in senders {
        seen.push(sender.await.expect("a sender"));
    }
    seen
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn responses_acknowledged_before_a_kill_are_stored_exactly_once_and_the_rest_can_send_again() {
    let forms = forms_dir(&[("crashproef", FORM)]);
    // 500 people at once, all from 127.0.0.1: more than the front's caps let in from one address
    // (`connections` tests those), so they are raised here.
    let mut cluster =
        Cluster::new().env("PEIL_MAX_CONNECTIONS", "1000").env("PEIL_MAX_CONNECTIONS_PER_CLIENT", "1000");
    cluster.forms = forms.path().to_path_buf();
    let csv = cluster.write("contacts.csv", &contacts());
    cluster.run(&["contacts", "import", &csv]);
    let pool = cluster.pool().await;
    let seal = Seal::new(&cluster.secret());
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");

    for rep in 0..REPEATS {
        let (round, paths) = open_round(&cluster, &pool).await;
        let mut instance = cluster.start(1).await.remove(0);
        let kill_after = random_in(20..PEOPLE * 3 / 4);
        let seen = send_all_and_kill(&mut instance, &paths, rep, kill_after).await;
        let others: Vec<&Seen> = seen.iter().filter(|s| matches!(s, Seen::Other(_))).collect();
        assert!(others.is_empty(), "only thank-you pages or broken connections: {others:?}");
        let thanked: Vec<usize> = (0..PEOPLE).filter(|i| seen[*i] == Seen::Thanks).collect();
        assert!(thanked.len() < PEOPLE, "the kill came while submissions were still on their way");

        let markers = stored(&pool, &seal, round, rep).await;
        for i in &thanked {
            let (kenmerk, _) = answer(rep, *i);
            assert_eq!(markers.get(&kenmerk), Some(&1), "acknowledged {kenmerk} is stored once");
        }
        assert!(markers.values().all(|n| *n == 1), "no response is stored twice");
        let in_flight = markers.len() - thanked.len();
        eprintln!(
            "{} run {rep}: killed after {} of {PEOPLE} thank-you pages; {} stored, {in_flight} of them \
             unacknowledged (committed as the kill came)",
            if on_postgres() { "PostgreSQL" } else { "SQLite" },
            thanked.len(),
            markers.len()
        );

        // Restarted, the service takes everyone who saw no thank-you page; each is stored once,
        // including those whose first send was committed unseen.
        let restarted = cluster.start(1).await.remove(0);
        for i in (0..PEOPLE).filter(|i| seen[*i] != Seen::Thanks) {
            let again = send(&client, format!("{}{}", restarted.url, paths[i]), rep, i).await;
            assert_eq!(again, Seen::Thanks, "person {i} sends again after the restart");
        }
        let markers = stored(&pool, &seal, round, rep).await;
        assert_eq!(markers.len(), PEOPLE, "everyone's response is in");
        assert!(markers.values().all(|n| *n == 1), "each exactly once");
    }
}

/// The durability the crash test relies on, and which a power cut needs: write-ahead logging, and
/// a commit that returns only after the log is on disk.
#[tokio::test]
async fn commits_are_on_disk_before_they_return() {
    let cluster = Cluster::new();
    let pool = cluster.pool().await;
    // Several connections at once: each one sets the pragmas as it connects.
    let mut connections = Vec::new();
    for _ in 0..3 {
        connections.push(pool.acquire().await.expect("a connection"));
    }
    for conn in &mut connections {
        if on_postgres() {
            for setting in ["SHOW fsync", "SHOW synchronous_commit"] {
                let value: String = sqlx::query_scalar(setting).fetch_one(&mut **conn).await.expect(setting);
                assert_eq!(value, "on", "{setting}");
            }
        } else {
            let mode: String =
                sqlx::query_scalar("PRAGMA journal_mode").fetch_one(&mut **conn).await.expect("mode");
            let sync: i64 =
                sqlx::query_scalar("PRAGMA synchronous").fetch_one(&mut **conn).await.expect("sync");
            assert_eq!(mode, "wal");
            assert_eq!(sync, 2, "synchronous = FULL");
        }
    }
}
