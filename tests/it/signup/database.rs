//! The seat rules held by the database alone: concurrent transactions straight on the pool,
//! without the web app's write gate, as several processes (or instances on PostgreSQL) would
//! run them.

use std::sync::Arc;

use chrono::{Duration, Utc};
use futures_util::future::join_all;
use peil::contacts::{self, Vocabulary};
use peil::db::{Backend, Db, Pool};
use peil::outbox::{self, MailKind, Queue};
use peil::rounds::{InvitationId, RoundId};
use peil::signup::seats::{self, By};
use peil::signup::{SeatId, SeatStatus};

use super::{poh_contacts, session};
use crate::helpers::repo;
use crate::pg::TestDb;

struct World {
    pool: Pool,
    backend: Backend,
    round: RoundId,
    invitations: Vec<InvitationId>,
}

/// A handle of its own, as another process has: its write turn orders nobody else's writes.
fn own_db(world: &World) -> Db {
    Db::new(world.pool.clone(), world.backend)
}

async fn world(pool: Pool, backend: Backend, dir: &tempfile::TempDir, people: usize, capacity: u32) -> World {
    let db = Db::new(pool.clone(), backend);
    let forms = peil::forms::load(&repo("forms")).expect("forms");
    let csv = dir.path().join("contacts.csv");
    std::fs::write(&csv, poh_contacts(people)).expect("csv");
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
    let secret = peil::settings::Secret::new(peil::crypto::random_b64(48));
    let request = peil::rounds::OpenRequest {
        form_id: "intervisie".into(),
        roles: vec!["poh-ggz".into()],
        wijken: vec![],
        gemeenten: vec![],
        practices: vec![],
        closes_at: Utc::now() + Duration::days(10),
        anonymous: false,
        occurrence: None,
    };
    let rules = peil::signup::SignupRound {
        sessions: vec![session("s1", capacity, Utc::now() + Duration::days(20))],
        cancel_until: Duration::hours(24),
        remind_before: Duration::hours(24),
        open_registration: false,
        registers: vec![],
    };
    let round = peil::signup::open(&db, &forms, &secret, &request, &rules, chrono::Utc::now())
        .await
        .expect("open")
        .round;
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM invitations WHERE round_id = $1 ORDER BY id")
        .bind(round.0)
        .fetch_all(&pool)
        .await
        .expect("invitations");
    World { pool, backend, round, invitations: ids.into_iter().map(InvitationId).collect() }
}

async fn take(world: Arc<World>, invitation: InvitationId) -> seats::Taken {
    let mut tx = own_db(&world).write().await.expect("begin");
    let taken = seats::take(&mut tx, world.round, "s1", invitation, Utc::now()).await.expect("take");
    tx.commit().await.expect("commit");
    taken
}

async fn state(pool: &Pool) -> (Vec<(i64, String)>, i64) {
    let seats =
        sqlx::query_as("SELECT id, status FROM seats ORDER BY id").fetch_all(pool).await.expect("seats");
    let taken = sqlx::query_scalar("SELECT taken FROM sessions").fetch_one(pool).await.expect("taken");
    (seats, taken)
}

/// 50 take 8 seats at once; then 5 confirmed cancel while 10 more sign up, at once.
async fn races(world: World) {
    let world = Arc::new(world);
    let first: Vec<_> =
        world.invitations[..50].iter().map(|i| tokio::spawn(take(world.clone(), *i))).collect();
    let taken: Vec<seats::Taken> = join_all(first).await.into_iter().map(|r| r.expect("task")).collect();
    let confirmed: Vec<SeatId> =
        taken.iter().filter(|t| t.status == SeatStatus::Confirmed).map(|t| t.seat).collect();
    assert_eq!(confirmed.len(), 8);
    let mut positions: Vec<u32> = taken.iter().filter_map(|t| t.position).collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=42).collect::<Vec<u32>>(), "each waiting place given once");
    let (seats, count) = state(&world.pool).await;
    assert_eq!(count, 8);
    let first_waiting: Vec<i64> =
        seats.iter().filter(|(_, s)| s == "waiting").map(|(id, _)| *id).take(5).collect();

    let cancels: Vec<_> = confirmed[..5]
        .iter()
        .map(|seat| {
            let db = own_db(&world);
            let seat = *seat;
            tokio::spawn(async move {
                seats::cancel(&db, seat, By::Coordinator, Utc::now()).await.expect("cancel")
            })
        })
        .collect();
    let joins: Vec<_> =
        world.invitations[50..].iter().map(|i| tokio::spawn(take(world.clone(), *i))).collect();
    let cancelled: Vec<_> = join_all(cancels).await.into_iter().map(|r| r.expect("task")).collect();
    let joined: Vec<_> = join_all(joins).await.into_iter().map(|r| r.expect("task")).collect();

    let mut promoted: Vec<i64> =
        cancelled.iter().map(|c| c.promoted.expect("each cancellation promotes").0).collect();
    promoted.sort_unstable();
    assert_eq!(promoted, first_waiting, "the first five waiting, each once");
    assert!(joined.iter().all(|t| t.status == SeatStatus::Waiting), "newcomers queue behind");
    let (seats, count) = state(&world.pool).await;
    let confirmed_now = seats.iter().filter(|(_, s)| s == "confirmed").count();
    assert_eq!((confirmed_now, count), (8, 8), "seats = capacity");
    let promoted_mails: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'seat-promoted'")
        .fetch_one(&world.pool)
        .await
        .expect("outbox");
    assert_eq!(promoted_mails, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_transactions_never_overbook_and_promote_once_each() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDb::new(dir.path());
    races(world(database.pool().await, Backend::of(&database.url), &dir, 60, 8).await).await;
}

/// A take of its own that may find the session cancelled.
async fn try_take(world: Arc<World>, invitation: InvitationId) -> Option<seats::Taken> {
    let mut tx = own_db(&world).write().await.expect("begin");
    match seats::take(&mut tx, world.round, "s1", invitation, Utc::now()).await {
        Ok(taken) => {
            tx.commit().await.expect("commit");
            Some(taken)
        }
        Err(peil::signup::SignupError::NotOffered(_)) => None,
        Err(e) => panic!("take: {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_cancelled_during_a_rush_ends_every_seat_taken_before_and_gives_none_after() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDb::new(dir.path());
    let world = Arc::new(world(database.pool().await, Backend::of(&database.url), &dir, 40, 8).await);
    let session: i64 =
        sqlx::query_scalar("SELECT id FROM sessions").fetch_one(&world.pool).await.expect("id");
    // Twenty take before, twenty race the cancellation.
    for invitation in &world.invitations[..20] {
        try_take(world.clone(), *invitation).await.expect("offered before the cancellation");
    }
    let racing: Vec<_> =
        world.invitations[20..].iter().map(|i| tokio::spawn(try_take(world.clone(), *i))).collect();
    let db = own_db(&world);
    let cancelled = peil::signup::sessions::cancel(&db, peil::signup::SessionId(session), Utc::now(), None)
        .await
        .expect("cancel");
    let racers: Vec<_> = join_all(racing).await.into_iter().map(|r| r.expect("task")).collect();

    let seated = 20 + racers.iter().filter(|t| t.is_some()).count();
    assert_eq!(cancelled as usize, seated, "each seat taken before the cancellation is told, none after");
    let (seats, count) = state(&world.pool).await;
    assert_eq!(seats.len(), seated);
    assert!(seats.iter().all(|(_, s)| s == "cancelled"), "{seats:?}");
    assert_eq!(count, 0, "a cancelled session holds no seats");
}

#[tokio::test]
async fn a_seat_taken_queues_its_mail_once_under_the_key_every_enqueue_uses() {
    let dir = tempfile::tempdir().expect("temp dir");
    let database = TestDb::new(dir.path());
    let world = Arc::new(world(database.pool().await, Backend::of(&database.url), &dir, 3, 1).await);
    let now = Utc::now();
    let db = own_db(&world);
    for (invitation, kind) in world.invitations.iter().zip([MailKind::SeatConfirmed, MailKind::SeatWaiting]) {
        let mut tx = db.write().await.expect("begin");
        let taken = seats::take(&mut tx, world.round, "s1", *invitation, now).await.expect("take");
        // The statement that took the seat (on PostgreSQL) queued the mail the step-by-step path
        // (SQLite) queues: the same kind, key, round, person and moment, so this adds nothing.
        let again =
            outbox::enqueue(&mut tx, Queue::Seat(kind, taken.seat, ""), now, now).await.expect("enqueue");
        tx.commit().await.expect("commit");
        assert_eq!(again, 0, "{kind:?}");
        let row: (String, i64, i64, String, String) = sqlx::query_as(
            "SELECT kind, round_id, invitation_id, due_at, status FROM outbox WHERE seat_id = $1",
        )
        .bind(taken.seat.0)
        .fetch_one(&world.pool)
        .await
        .expect("one mail for the seat");
        let due = peil::db::Timestamp::from(now);
        assert_eq!(
            row,
            (kind.as_str().into(), world.round.0, invitation.0, due.to_string(), "pending".into())
        );
    }
}
