//! Anonymous submissions sent at the same moment (issue 27): on SQLite those that queue while one
//! batch is written go together into the next, one transaction and one commit for them all, and
//! each sender still gets their own answer. PostgreSQL writes each alone; the outcomes are the same.
//!
//! To make "at the same moment" certain rather than likely, a test holds the write turn while the
//! submissions queue (each queues before it first waits), then lets go.

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::Poll;

use futures_util::future::join_all;
use peil::forms::{Answer, Answers};
use peil::responses::Submitted;
use peil::rounds::{self, Invitation, RoundId};

use crate::helpers::TestApp;
use crate::pg::on_postgres;
use crate::unlinkable::sqlite::K;

struct Round {
    app: TestApp,
    id: RoundId,
    /// The round as the app has it loaded: loading it is no part of the moment of sending.
    loaded: rounds::Round,
    invitations: Vec<Invitation>,
}

/// An open anonymous round of `n` invited huisartsen (the unlinkability tests' round).
async fn round_of(n: usize) -> Round {
    let (app, id, invitations) = crate::unlinkable::sqlite::round_of(n).await;
    let loaded = rounds::load(&app.pool, id).await.expect("round");
    Round { app, id, loaded, invitations }
}

type Sending<'a> = Pin<Box<dyn Future<Output = Submitted> + Send + 'a>>;

impl Round {
    /// Person `i` sends their answer, `antwoord-<i>`, as at `at`.
    fn send(&self, i: usize, at: chrono::DateTime<chrono::Utc>) -> Sending<'_> {
        let answers: Answers = [("opmerking".to_string(), Answer::Text(format!("antwoord-{i:03}")))].into();
        let (app, invitation) = (&self.app, &self.invitations[i]);
        Box::pin(async move {
            let seal = app.seal();
            peil::responses::submit(&app.db, &seal, &self.loaded, invitation, &answers, K, at)
                .await
                .expect("submit")
        })
    }

    async fn count(&self, sql: &'static str) -> i64 {
        self.app.count(sql).await
    }

    /// Closes the round by the clock and lets the scheduler release what still waits.
    async fn close(&self) {
        self.app.clock.advance(chrono::Duration::days(8));
        self.app.scheduler.tick().await.expect("tick");
    }
}

/// Polls `sending` until each has queued (has to wait for something), without waiting for any.
async fn queue<F: Future + Unpin>(sending: &mut F) {
    std::future::poll_fn(|cx| {
        assert!(Pin::new(&mut *sending).poll(cx).is_pending(), "nothing is answered while the turn is held");
        Poll::Ready(())
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_people_sending_at_once_share_one_commit_and_each_is_stored_once() {
    let round = round_of(20).await;
    let now = round.app.now();
    let turn = round.app.db.write().await.expect("the write turn");
    // Everyone once, and person 0 a second time (a double click) in the same batch.
    let mut sending = pin!(join_all((0..20).chain([0]).map(|i| round.send(i, now))));
    queue(&mut sending).await;
    drop(turn);
    let answers = sending.await;

    assert!(answers[1..20].iter().all(|a| *a == Submitted::Stored), "{answers:?}");
    // Of person 0's two sends one is stored and the other told it came already; on SQLite the
    // batch writes them in the order they queued, on PostgreSQL they race.
    let mut twice = [answers[0].clone(), answers[20].clone()];
    if on_postgres() {
        twice.sort_by_key(|a| *a == Submitted::AlreadyAnswered);
    }
    assert_eq!(twice, [Submitted::Stored, Submitted::AlreadyAnswered]);
    assert_eq!(round.count("SELECT COUNT(*) FROM invitations WHERE answered = 1").await, 20);
    if !on_postgres() {
        let written = round.app.db.batches().written();
        assert_eq!((written.batches, written.submissions), (1, 21), "one batch took all 21");
        // Twenty waiting reach the smallest group: released in the batch's own commit.
        assert_eq!(round.count("SELECT COUNT(*) FROM responses").await, 20);
        assert_eq!(round.count("SELECT COUNT(*) FROM anonymous_pool").await, 0);
    }
    round.close().await;
    assert_eq!(round.count("SELECT COUNT(*) FROM responses").await, 20);
    assert_eq!(round.count("SELECT COUNT(*) FROM responses WHERE invitation_id IS NOT NULL").await, 0);
    let texts: Vec<String> = sqlx::query_scalar("SELECT answers FROM responses")
        .fetch_all(&round.app.pool)
        .await
        .expect("answers");
    for i in 0..20 {
        let marker = format!("antwoord-{i:03}");
        assert_eq!(texts.iter().filter(|t| t.contains(&marker)).count(), 1, "{marker} stored once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_too_small_to_release_waits_in_the_pool_and_a_closed_round_is_answered_alone() {
    let round = round_of(4).await;
    let now = round.app.now();
    let turn = round.app.db.write().await.expect("the write turn");
    // Person 3's send arrives as if after the close: refused, while the three others are stored.
    let late = now + chrono::Duration::days(8);
    let mut sending =
        pin!(join_all([round.send(0, now), round.send(1, now), round.send(3, late), round.send(2, now)]));
    queue(&mut sending).await;
    drop(turn);
    let answers = sending.await;

    assert_eq!(answers, [Submitted::Stored, Submitted::Stored, Submitted::Closed, Submitted::Stored]);
    assert_eq!(round.count("SELECT COUNT(*) FROM invitations WHERE answered = 1").await, 3);
    // Three are fewer than five: they wait, sealed, until the round closes.
    assert_eq!(round.count("SELECT COUNT(*) FROM responses").await, 0);
    assert_eq!(round.count("SELECT COUNT(*) FROM anonymous_pool").await, 1);
    if !on_postgres() {
        assert_eq!(round.app.db.batches().written().batches, 1);
    }
    round.close().await;
    assert_eq!(round.count("SELECT COUNT(*) FROM responses").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sender_who_goes_away_takes_nothing_from_the_others_and_is_stored_whole_or_not_at_all() {
    let round = round_of(6).await;
    let now = round.app.now();
    let turn = round.app.db.write().await.expect("the write turn");
    // The first to send starts the batch's writer, then closes the browser before the answer.
    let mut gone = round.send(0, now);
    queue(&mut gone).await;
    let mut sending = pin!(join_all((1..6).map(|i| round.send(i, now))));
    queue(&mut sending).await;
    drop(gone);
    drop(turn);
    let answers = sending.await;

    assert!(answers.iter().all(|a| *a == Submitted::Stored), "{answers:?}");
    let answered = round.count("SELECT COUNT(*) FROM invitations WHERE answered = 1").await;
    round.close().await;
    let stored = round.count("SELECT COUNT(*) FROM responses").await;
    assert_eq!(stored, answered, "every invitation marked has its response, and only those");
    if !on_postgres() {
        // On SQLite the writer does not belong to the caller: the batch is written whole.
        assert_eq!(stored, 6);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_simultaneous_anonymous_posts_each_get_their_thank_you_and_are_stored_once() {
    let round = round_of(20).await;
    let mut posts = tokio::task::JoinSet::new();
    for link in round.app.links(round.id).await {
        let client = round.app.client.clone();
        posts.spawn(async move {
            let reply = client.post(&link.url).form(&[("_page", "0"), ("opmerking", "Prima")]).send().await;
            let reply = reply.expect("POST");
            (reply.status().as_u16(), reply.text().await.expect("body"))
        });
    }
    for (status, body) in posts.join_all().await {
        assert_eq!(status, 200, "{body}");
        assert!(body.contains("opgeslagen"), "{body}");
    }
    assert_eq!(round.count("SELECT COUNT(*) FROM invitations WHERE answered = 1").await, 20);
    if !on_postgres() {
        let written = round.app.db.batches().written();
        assert_eq!(written.submissions, 20);
        assert!((1..=20).contains(&written.batches), "{written:?}");
    }
    round.close().await;
    assert_eq!(round.count("SELECT COUNT(*) FROM responses").await, 20);
}
