//! `/beheer/mail` and `/beheer/mail/ronde/<id>`: the coordinator sees why mail waits (the relay's
//! last error and the next attempt), which mail failed and why, a round's way from invitation to
//! answer per wijk, and sends failed mail again (one, or a round's at once), which the next
//! worker run delivers. `peil outbox` says the same.

use std::collections::HashMap;

use chrono::Duration;
use peil::accounts::Role;
use peil::mail::Delivery;
use peil::time::clock::Clock;

use super::smtp::SmtpServer;
use super::support::{app, mailer, open, sent};
use crate::helpers::{TestApp, free_port};
use crate::results::unescape;

async fn status_of(app: &TestApp, email: &str) -> (i64, String, i64) {
    sqlx::query_as(
        "SELECT o.id, o.status, o.attempts FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
         JOIN contacts c ON c.id = i.contact_id WHERE c.email = $1",
    )
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .expect("the mail's row")
}

async fn audited(app: &TestApp) -> Vec<(Option<String>, String)> {
    sqlx::query_as("SELECT actor, detail FROM audit_log WHERE action = 'mail_retried' ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .expect("audit rows")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mail_waiting_while_the_relay_is_down_shows_the_last_error_and_the_next_attempt() {
    let (app, clock) = app().await;
    let mut server = SmtpServer::on(free_port());
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    let round = open(&app, &clock, "crisisdienst", &["huisarts"]).await.round;
    assert_eq!(mailer.run_once().await.expect("run"), Delivery { retried: 3, ..Delivery::default() });
    let error: String = sqlx::query_scalar("SELECT last_error FROM outbox LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .expect("the stored error");
    let next = peil::time::dutch(clock.now() + Duration::minutes(1));

    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, page) = admin.get("/beheer/mail").await;
    assert_eq!(status, 200);
    let page = unescape(&page);
    assert!(page.contains(&format!("3 mail(s) wachten op verzending; volgende poging {next}.")), "{page}");
    assert!(page.contains("3 daarvan konden nog niet worden verstuurd"), "{page}");
    assert!(page.contains(&format!("Laatste fout: <span class=\"reason\">{error}</span>")), "{page}");
    assert!(page.contains(&format!(r#"href="/beheer/mail/ronde/{round}""#)), "{page}");

    let (status, page) = admin.get(&format!("/beheer/mail/ronde/{round}")).await;
    assert_eq!(status, 200);
    // noord: anna and bram, zuid: dina; all three invitations wait.
    let noord = r#"<th scope="row">noord</th><td class="num">2</td><td class="num">2</td><td class="num">2</td><td class="num">0</td>"#;
    assert!(page.contains(noord), "{page}");
    assert!(page.contains(&next), "each waiting mail with its next attempt: {page}");
    let (_, start) = admin.get("/beheer").await;
    assert!(unescape(&start).contains(&format!("volgende poging {next}")), "{start}");

    let printed = peil::mail::report(&app.pool).await.expect("report").to_string();
    assert!(printed.contains(&format!("3 waiting; next attempt {next}")), "{printed}");
    assert!(printed.contains(&format!("3 of them to be tried again; last error: {error}")), "{printed}");

    server.start().await;
    clock.advance(Duration::minutes(2));
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    let (_, page) = admin.get("/beheer/mail").await;
    assert!(page.contains("Er wacht geen mail en er is geen mail mislukt."), "{page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_mail_sent_again_from_the_page_is_queued_audited_and_sent_by_the_next_run() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    server.refuse("bram@example.org", 550, "5.1.1 Mailbox unavailable", Some(1));
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    let round = open(&app, &clock, "crisisdienst", &["huisarts"]).await.round;
    assert_eq!(mailer.run_once().await.expect("run"), Delivery { sent: 2, failed: 1, ..Delivery::default() });
    let (id, status, _) = status_of(&app, "bram@example.org").await;
    assert_eq!(status, "failed");

    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (_, page) = admin.get("/beheer/mail").await;
    assert!(page.contains("1 mail(s) zijn mislukt"), "{page}");
    assert!(page.contains("5.1.1 Mailbox unavailable"), "the reason: {page}");
    assert!(unescape(&page).contains(&format!(r#"action="/beheer/mail/{id}/opnieuw""#)), "{page}");

    let (code, page) = admin.post(&format!("/beheer/mail/{id}/opnieuw"), &[]).await;
    assert_eq!(code, 200, "{page}");
    assert!(page.contains(&format!("Mail {id} staat weer klaar")), "{page}");
    assert_eq!(status_of(&app, "bram@example.org").await, (id, "pending".to_owned(), 0));
    assert_eq!(audited(&app).await, [(Some("beheer@example.org".to_owned()), format!("mail {id}"))]);

    // The retry is due at the page's now; the test's worker clock stood still since the start.
    clock.set(app.now());
    assert_eq!(mailer.run_once().await.expect("run"), sent(1), "the next run sends it");
    assert_eq!(server.to("bram@example.org").len(), 1);
    assert_eq!(status_of(&app, "bram@example.org").await.1, "sent");

    // Again: it is sent now, so nothing is done; a mail that does not exist neither.
    let (code, page) = admin.post(&format!("/beheer/mail/{id}/opnieuw"), &[]).await;
    assert_eq!(code, 422);
    assert!(page.contains(&format!("Mail {id} is niet mislukt (status: verstuurd)")), "{page}");
    let (code, page) = admin.post("/beheer/mail/999999/opnieuw", &[("ronde", &round.to_string())]).await;
    assert_eq!(code, 422);
    assert!(page.contains("Mail 999999 bestaat niet"), "{page}");
    assert!(page.contains(&format!("Mail van ronde {round}")), "back on the round's page: {page}");
    assert_eq!(audited(&app).await.len(), 1, "a refusal is not logged as a retry");
    let (code, _) = admin.post("/beheer/mail/niet-een-getal/opnieuw", &[]).await;
    assert!((400..500).contains(&code), "not a mail's number: {code}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_failed_mail_of_a_round_is_sent_again_at_once() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    server.refuse("bram@example.org", 550, "5.1.1 Mailbox unavailable", Some(1));
    server.refuse("dina@example.org", 554, "5.7.1 Rejected", Some(1));
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    let round = open(&app, &clock, "crisisdienst", &["huisarts"]).await.round;
    assert_eq!(mailer.run_once().await.expect("run"), Delivery { sent: 1, failed: 2, ..Delivery::default() });

    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (_, page) = admin.get(&format!("/beheer/mail/ronde/{round}")).await;
    assert!(page.contains("Alle 2 mislukte mail(s) van deze ronde opnieuw versturen"), "{page}");
    let (code, page) = admin.post(&format!("/beheer/mail/ronde/{round}/opnieuw"), &[]).await;
    assert_eq!(code, 200, "{page}");
    assert!(page.contains("2 mislukte mail(s) staan weer klaar"), "{page}");
    assert_eq!(
        audited(&app).await,
        [(Some("beheer@example.org".to_owned()), format!("2 mislukte mail(s) van ronde {round}"))]
    );
    clock.set(app.now());
    assert_eq!(mailer.run_once().await.expect("run"), sent(2));

    let (code, page) = admin.post(&format!("/beheer/mail/ronde/{round}/opnieuw"), &[]).await;
    assert_eq!(code, 422, "nothing left to send again");
    assert!(page.contains("Deze ronde heeft geen mislukte mails"), "{page}");
    assert_eq!(admin.post("/beheer/mail/ronde/999999/opnieuw", &[]).await.0, 404);
    assert_eq!(admin.get("/beheer/mail/ronde/999999").await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_an_anonymous_round_small_answer_counts_per_wijk_are_not_shown() {
    let (app, _clock) = app().await;
    let round = app.open_round("crisisdienst", &["huisarts"], true).await;
    // Two answers in noord, one in zuid; the test's threshold is 2.
    sqlx::query("UPDATE invitations SET answered = 1 WHERE round_id = $1")
        .bind(round.0)
        .execute(&app.pool)
        .await
        .expect("answered");
    let (wijken, total) = peil::outbox::delivery::of_round(&app.pool, round, true, 2).await.expect("funnel");
    let shown: Vec<(&str, Option<u64>)> = wijken.iter().map(|w| (w.wijk.as_str(), w.answered)).collect();
    assert_eq!(shown, [("noord", None), ("zuid", None)], "one small count would give the other away");
    assert_eq!(total.answered, Some(3));
    let (wijken, _) = peil::outbox::delivery::of_round(&app.pool, round, false, 2).await.expect("funnel");
    assert!(wijken.iter().all(|w| w.answered.is_some()), "an identified round shows them all");

    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, page) = admin.get(&format!("/beheer/mail/ronde/{round}")).await;
    assert_eq!(status, 200);
    // The settings' threshold is 2: zuid's single answer is hidden, and so is noord's.
    assert!(page.contains(r#"id="verborgen""#), "the page says why: {page}");
    assert!(!page.contains(r#"<td class="num">1</td></tr>"#), "zuid's count: {page}");
}

#[tokio::test]
async fn werkgroep_members_get_403_on_every_mail_page_and_action() {
    let app = TestApp::spawn().await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    for path in ["/beheer/mail", "/beheer/mail/ronde/1"] {
        assert_eq!(member.get(path).await.0, 403, "{path}");
    }
    for path in ["/beheer/mail/1/opnieuw", "/beheer/mail/ronde/1/opnieuw"] {
        assert_eq!(member.post(path, &[]).await.0, 403, "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn peil_outbox_says_why_mail_waits_and_retry_puts_a_failed_mail_back() {
    let cli = crate::cli::Cli::new();
    let contacts = cli.write("contacts.csv", crate::helpers::CONTACTS.as_bytes());
    assert!(cli.run(&["contacts", "import", &contacts]).status.success());
    let started = cli
        .command(&["job", "start", "crisisdienst"])
        .env("PEIL_JOBS_DIR", crate::helpers::repo("jobs"))
        .output()
        .expect("job start");
    assert!(started.status.success(), "{}", crate::cli::stderr(&started));
    let pool = cli.db.pool().await;
    let error = "connection refused (os error 111)";
    sqlx::query("UPDATE outbox SET attempts = 1, last_error = $1 WHERE id <> (SELECT MIN(id) FROM outbox)")
        .bind(error)
        .execute(&pool)
        .await
        .expect("two mails tried once");
    sqlx::query("UPDATE outbox SET status = 'failed', attempts = 13, last_error = 'gave up' WHERE id = (SELECT MIN(id) FROM outbox)")
        .execute(&pool)
        .await
        .expect("one mail failed");
    let failed: i64 = sqlx::query_scalar("SELECT MIN(id) FROM outbox").fetch_one(&pool).await.expect("id");

    let out = |output: &std::process::Output| String::from_utf8_lossy(&output.stdout).into_owned();
    let printed = cli.run(&["outbox"]);
    assert!(printed.status.success(), "{}", crate::cli::stderr(&printed));
    let printed = out(&printed);
    assert!(printed.contains("\n2 waiting; next attempt "), "{printed}");
    assert!(printed.contains(&format!("2 of them to be tried again; last error: {error}")), "{printed}");
    assert!(printed.contains(&format!("mail {failed}  round 1  invitation to ")), "{printed}");

    let retried = cli.run(&["outbox", "retry", &failed.to_string()]);
    assert!(retried.status.success(), "{}", crate::cli::stderr(&retried));
    assert_eq!(out(&retried), format!("mail {failed} queued again\n"));
    let row: (String, i64) = sqlx::query_as("SELECT status, attempts FROM outbox WHERE id = $1")
        .bind(failed)
        .fetch_one(&pool)
        .await
        .expect("row");
    assert_eq!(row, ("pending".to_owned(), 0));
    let audit: Vec<(Option<String>, String)> =
        sqlx::query_as("SELECT actor, detail FROM audit_log WHERE action = 'mail_retried'")
            .fetch_all(&pool)
            .await
            .expect("audit");
    assert_eq!(audit, [(None, format!("mail {failed}"))], "the command line is the actor");

    let again = cli.run(&["outbox", "retry", &failed.to_string()]);
    assert_eq!(again.status.code(), Some(1));
    assert!(
        crate::cli::stderr(&again).contains("has not failed (it is pending)"),
        "{}",
        crate::cli::stderr(&again)
    );
    let round = cli.run(&["outbox", "retry", "--round", "1"]);
    assert_eq!(round.status.code(), Some(1), "nothing failed in round 1 any more");
    assert_eq!(out(&round), "round 1: 0 failed mail(s) queued again\n");
}
