//! The domain functions behind `peil round ...` and `/beheer/rondes`: each change with its mail
//! and its audit row, and its refusals.

use chrono::Duration;
use peil::rounds::{self, LateInvitation, RoundsError};

use super::{audited, mail_statuses, with_round};
use crate::helpers::CONTACTS;

const ADMIN: Option<&str> = Some("beheer@example.org");

#[tokio::test]
async fn closing_a_round_stops_its_waiting_invitations_and_is_written_to_the_log() {
    let (app, round) = with_round().await;
    assert_eq!(mail_statuses(&app, round, "invitation").await, ["pending"; 3]);

    let closed = rounds::close(&app.db, round, app.now(), ADMIN).await.expect("close");

    assert_eq!(closed.cancelled_mails, 3);
    assert_eq!(mail_statuses(&app, round, "invitation").await, ["cancelled"; 3]);
    assert_eq!(app.deliver_pending_mail().await.sent, 0);
    let summary = rounds::summary(&app.pool, round).await.expect("summary");
    assert_eq!(summary.state(app.now()), rounds::RoundState::Closed);
    let rows = audited(&app, "round_closed").await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].actor.as_deref(), ADMIN);
    assert!(rows[0].detail.contains("3 wachtende mails niet verstuurd"), "{}", rows[0].detail);
    // Closed once is closed.
    let again = rounds::close(&app.db, round, app.now(), ADMIN).await;
    assert!(matches!(again, Err(RoundsError::Closed(_))), "{again:?}");
    assert_eq!(audited(&app, "round_closed").await.len(), 1);
}

#[tokio::test]
async fn a_round_is_extended_only_to_a_later_moment_and_never_once_closed() {
    let (app, round) = with_round().await;
    let before = rounds::summary(&app.pool, round).await.expect("summary").closes_at;
    let past = rounds::extend(&app.db, round, app.now() - Duration::hours(1), app.now(), ADMIN).await;
    assert!(matches!(past, Err(RoundsError::ClosesInThePast)), "{past:?}");
    let sooner = rounds::extend(&app.db, round, before - Duration::days(1), app.now(), ADMIN).await;
    assert!(matches!(sooner, Err(RoundsError::NotLater(_))), "{sooner:?}");
    assert!(audited(&app, "round_extended").await.is_empty());

    let later = before + Duration::days(14);
    rounds::extend(&app.db, round, later, app.now(), ADMIN).await.expect("extend");
    assert_eq!(rounds::summary(&app.pool, round).await.expect("summary").closes_at, later);
    assert_eq!(audited(&app, "round_extended").await.len(), 1);

    rounds::close(&app.db, round, app.now(), ADMIN).await.expect("close");
    let reopened = rounds::extend(&app.db, round, later + Duration::days(1), app.now(), ADMIN).await;
    assert!(matches!(reopened, Err(RoundsError::Closed(_))), "{reopened:?}");
}

#[tokio::test]
async fn the_schedulers_reminders_follow_an_extended_close() {
    let (app, round) = with_round().await;
    let closes = rounds::summary(&app.pool, round).await.expect("summary").closes_at;
    rounds::extend(&app.db, round, closes + Duration::days(7), app.now(), ADMIN).await.expect("extend");
    // A reminder due after the old close but before the new one is still queued.
    let mut tx = app.db.write().await.expect("tx");
    let due = closes + Duration::days(1);
    let queued = peil::outbox::enqueue(&mut tx, peil::outbox::Queue::Reminders(round, 1), due, app.now())
        .await
        .expect("queue");
    tx.commit().await.expect("commit");
    assert_eq!(queued, 3);
}

const ONE_MORE: &str = "Eva Jansen;eva@example.org;huisarts;Praktijk Zuid;zuid;Stad\n\
Frits Poh;frits@example.org;poh-ggz;Praktijk Zuid;zuid;Stad\n";

#[tokio::test]
async fn contacts_added_after_the_round_opened_are_invited_once_with_their_mail() {
    let (app, round) = with_round().await;
    app.import_contacts(&format!("{CONTACTS}{ONE_MORE}")).await;

    let late = rounds::late_contacts(&app.pool, round, LateInvitation::Audience).await.expect("late");
    // Frits is no huisarts: the round's audience does not reach him.
    assert_eq!(late.iter().map(|c| c.email.as_str()).collect::<Vec<_>>(), ["eva@example.org"]);
    let invited =
        rounds::invite_late(&app.db, &app.secret, round, LateInvitation::Audience, app.now(), ADMIN)
            .await
            .expect("invite");
    assert_eq!(invited, 1);
    assert_eq!(mail_statuses(&app, round, "invitation").await, ["pending"; 4]);
    assert_eq!(app.links(round).await.len(), 4);
    assert_eq!(audited(&app, "late_invited").await.len(), 1);

    let again = rounds::invite_late(&app.db, &app.secret, round, LateInvitation::Audience, app.now(), ADMIN)
        .await
        .expect("invite");
    assert_eq!(again, 0);
    assert_eq!(mail_statuses(&app, round, "invitation").await.len(), 4);
    assert_eq!(audited(&app, "late_invited").await.len(), 1, "nothing done, nothing logged");
}

#[tokio::test]
async fn named_addresses_are_invited_whatever_the_audience_but_must_be_contacts() {
    let (app, round) = with_round().await;
    app.import_contacts(&format!("{CONTACTS}{ONE_MORE}")).await;
    let unknown = ["niemand@example.org".to_owned()];
    let refused = rounds::invite_late(
        &app.db,
        &app.secret,
        round,
        LateInvitation::Addresses(&unknown),
        app.now(),
        ADMIN,
    )
    .await;
    assert!(matches!(refused, Err(RoundsError::NotAContact(_))), "{refused:?}");
    let frits = ["Frits@Example.org".to_owned()];
    let invited =
        rounds::invite_late(&app.db, &app.secret, round, LateInvitation::Addresses(&frits), app.now(), ADMIN)
            .await
            .expect("invite");
    assert_eq!(invited, 1);
    assert!(app.links(round).await.iter().any(|l| l.email == "frits@example.org"));
}

#[tokio::test]
async fn a_closed_round_invites_nobody_and_reminds_nobody() {
    let (app, round) = with_round().await;
    app.import_contacts(&format!("{CONTACTS}{ONE_MORE}")).await;
    rounds::close(&app.db, round, app.now(), ADMIN).await.expect("close");
    let invite =
        rounds::invite_late(&app.db, &app.secret, round, LateInvitation::Audience, app.now(), ADMIN).await;
    assert!(matches!(invite, Err(RoundsError::Closed(_))), "{invite:?}");
    let remind = rounds::remind_now(&app.db, round, app.now(), ADMIN).await;
    assert!(matches!(remind, Err(RoundsError::Closed(_))), "{remind:?}");
    assert_eq!(app.links(round).await.len(), 3);
    assert!(audited(&app, "late_invited").await.is_empty());
    assert!(audited(&app, "reminders_sent").await.is_empty());
}

#[tokio::test]
async fn a_reminder_now_goes_to_those_who_have_not_answered_once_an_hour() {
    let (app, round) = with_round().await;
    sqlx::query("UPDATE invitations SET answered = 1 WHERE id = (SELECT MIN(id) FROM invitations)")
        .execute(&app.pool)
        .await
        .expect("answered");
    assert_eq!(rounds::to_remind(&app.pool, round).await.expect("count"), 2);

    let queued = rounds::remind_now(&app.db, round, app.now(), ADMIN).await.expect("remind");
    assert_eq!(queued, 2);
    assert_eq!(mail_statuses(&app, round, "reminder").await, ["pending"; 2]);
    let again = rounds::remind_now(&app.db, round, app.now(), ADMIN).await.expect("remind");
    assert_eq!(again, 0, "a second press within the hour sends nothing more");
    let rows = audited(&app, "reminders_sent").await;
    assert_eq!(rows.len(), 2);
    assert!(rows[1].detail.contains("2 herinneringen"), "{}", rows[1].detail);
}

#[tokio::test]
async fn the_list_counts_invited_answered_and_mail_per_round_in_one_statement() {
    let (app, first) = with_round().await;
    let second = app.open_round("crisisdienst", &["poh-ggz"], false).await;
    sqlx::query(
        "UPDATE invitations SET answered = 1 WHERE round_id = $1 AND id = (SELECT MIN(id) FROM invitations)",
    )
    .bind(first)
    .execute(&app.pool)
    .await
    .expect("answered");
    sqlx::query("UPDATE outbox SET status = 'failed' WHERE round_id = $1")
        .bind(second)
        .execute(&app.pool)
        .await
        .expect("failed");

    let list = rounds::list(&app.pool).await.expect("list");
    assert_eq!(list.iter().map(|r| r.id).collect::<Vec<_>>(), [second, first], "newest first");
    let (s, f) = (&list[0], &list[1]);
    assert_eq!((s.invited, s.answered, s.pending, s.failed), (1, 0, 0, 1));
    assert_eq!((f.invited, f.answered, f.pending, f.failed), (3, 1, 3, 0));
    assert_eq!(f.response_percent(), Some(33));
    assert_eq!(f.job_id, None);
}
