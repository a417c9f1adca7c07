//! Mail delivery end to end: rounds queue their mails, the worker sends them to a real SMTP
//! server on loopback, links in the mails work, failures are retried or given up as they should,
//! and unsubscribing stops everything still waiting.

mod delivery;
mod lease;
mod login;
mod look;
mod queue;
mod received;
pub(crate) mod smtp;
pub(crate) mod support;
mod tls;
mod workers;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;
use peil::jobs::MailTexts;
use peil::mail::Delivery;
use peil::time::clock::{Clock, ManualClock};
use smtp::SmtpServer;

use crate::helpers::{CONTACTS, TestApp, forms_dir, free_port};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_round_opened_by_hand_mails_each_invited_person_once_with_a_working_link() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());

    let opened = open(&app, &clock, "crisisdienst", &["huisarts"]).await;
    assert_eq!((opened.invited, opened.queued), (3, 3));
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));

    for address in HUISARTSEN {
        let mails = server.to(address);
        assert_eq!(mails.len(), 1, "{address} gets exactly one mail");
        let mail = &mails[0];
        assert_eq!(mail.to, vec![address.to_string()], "one recipient per message");
        let (status, body) = app.get(&link_path(&app, mail)).await;
        assert_eq!(status, 200, "the link in the mail opens the form: {body}");
        let path = link_path(&app, mail);
        assert_eq!(header(mail, "List-Unsubscribe"), vec![format!("<{}{path}/afmelden>", app.url)]);
        assert_eq!(header(mail, "List-Unsubscribe-Post"), vec!["List-Unsubscribe=One-Click"]);
        assert!(header(mail, "From")[0].ends_with("<peil@example.org>"), "{}", mail.headers());
        assert!(header(mail, "Content-Type")[0].starts_with("multipart/alternative"), "{}", mail.headers());
        assert!(decoded(mail).contains("U kunt antwoorden tot "), "{}", decoded(mail));
    }
    let ids: Vec<Option<String>> = sqlx::query_scalar("SELECT message_id FROM outbox WHERE status = 'sent'")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(ids.len(), 3);
    assert!(ids.iter().all(|id| id.as_deref().is_some_and(|id| id.ends_with("@example.org>"))), "{ids:?}");

    assert_eq!(mailer.run_once().await.expect("run"), Delivery::default(), "nothing is sent twice");
    assert_eq!(server.received().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mails_queued_while_the_smtp_server_is_down_arrive_once_after_it_returns() {
    let (app, clock) = app().await;
    let mut server = SmtpServer::on(free_port());
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    open(&app, &clock, "crisisdienst", &["huisarts"]).await;

    let retried = Delivery { retried: 3, ..Delivery::default() };
    assert_eq!(mailer.run_once().await.expect("run"), retried, "the port is closed");
    assert_eq!(mailer.run_once().await.expect("run"), Delivery::default(), "not before the backoff");
    clock.advance(Duration::minutes(2));
    assert_eq!(mailer.run_once().await.expect("run"), retried, "still down");
    let errors: Vec<Option<String>> =
        sqlx::query_scalar("SELECT last_error FROM outbox").fetch_all(&app.pool).await.unwrap();
    assert!(errors.iter().all(Option::is_some), "the reason is kept: {errors:?}");

    server.start().await;
    clock.advance(Duration::minutes(2));
    assert_eq!(mailer.run_once().await.expect("run"), Delivery::default(), "the second wait is longer");
    clock.advance(Duration::minutes(4));
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    assert_eq!(mailer.run_once().await.expect("run"), Delivery::default());
    for address in HUISARTSEN {
        assert_eq!(server.to(address).len(), 1, "{address} gets the mail once");
    }
    let attempts: Vec<i64> =
        sqlx::query_scalar("SELECT attempts FROM outbox").fetch_all(&app.pool).await.unwrap();
    assert_eq!(attempts, vec![3, 3, 3]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_relay_that_hangs_up_is_tried_once_per_run_not_once_per_mail() {
    let (app, clock) = app().await;
    // Accepts and hangs up at once, before any greeting: a relay in trouble.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("smtp://{}", listener.local_addr().expect("address"));
    let accepted = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    let relay = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            drop(stream);
        }
    });
    let mailer = mailer(&app, &clock, Some(url), HashMap::new());
    open(&app, &clock, "crisisdienst", &["huisarts"]).await;

    assert_eq!(mailer.run_once().await.expect("run"), Delivery { retried: 3, ..Delivery::default() });
    assert_eq!(accepted.load(std::sync::atomic::Ordering::SeqCst), 1, "one try for the batch");
    let due: Vec<String> =
        sqlx::query_scalar("SELECT DISTINCT due_at FROM outbox").fetch_all(&app.pool).await.unwrap();
    assert_eq!(
        due,
        vec![peil::db::Timestamp::from(clock.now() + Duration::minutes(1)).to_string()],
        "all wait alike"
    );
    relay.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recipient_refused_for_good_is_marked_failed_and_not_retried_while_the_others_are_sent() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    server.refuse("bram@example.org", 550, "5.1.1 Mailbox unavailable", None);
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    open(&app, &clock, "crisisdienst", &["huisarts"]).await;

    assert_eq!(mailer.run_once().await.expect("run"), Delivery { sent: 2, failed: 1, ..Delivery::default() });
    clock.advance(Duration::days(1));
    assert_eq!(mailer.run_once().await.expect("run"), Delivery::default(), "a 5xx is final");
    assert_eq!(server.offered().iter().filter(|a| *a == "bram@example.org").count(), 1);
    assert_eq!(server.to("anna@example.org").len() + server.to("dina@example.org").len(), 2);

    let report = peil::mail::report(&app.pool).await.expect("report");
    assert_eq!(report.rounds.len(), 1);
    assert_eq!(report.rounds[0].counts, [0, 0, 2, 1, 0], "pending sending sent failed cancelled");
    let failure = &report.failures[0];
    assert_eq!(failure.email.as_deref(), Some("bram@example.org"));
    assert!(failure.reason.contains("550") && failure.reason.contains("Mailbox unavailable"), "{failure:?}");
    let printed = report.to_string();
    assert!(printed.contains("invitation to bram@example.org after 1 attempt(s)"), "{printed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_temporary_refusal_is_retried_after_the_backoff_and_arrives_once() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    server.refuse("dina@example.org", 451, "4.7.1 Greylisted, try again later", Some(1));
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    open(&app, &clock, "crisisdienst", &["huisarts"]).await;

    assert_eq!(
        mailer.run_once().await.expect("run"),
        Delivery { sent: 2, retried: 1, ..Delivery::default() }
    );
    clock.advance(Duration::seconds(61));
    assert_eq!(mailer.run_once().await.expect("run"), sent(1));
    assert_eq!(server.to("dina@example.org").len(), 1);
    assert_eq!(server.received().len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn names_and_texts_cannot_add_headers_or_recipients_or_end_the_message_early() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    sqlx::query("UPDATE contacts SET name = $1 WHERE email = 'anna@example.org'")
        .bind("Anna\r\nBcc: evil@example.org")
        .execute(&app.pool)
        .await
        .unwrap();
    let texts = MailTexts {
        invitation_subject: Some("Vragen\r\nBcc: evil2@example.org".into()),
        invitation_text: Some(
            "Eerste regel\r\n.\r\nRCPT TO:<evil3@example.org>\r\nDATA\r\n\r\nLaatste regel".into(),
        ),
        ..MailTexts::default()
    };
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::from([("peiling".to_string(), texts)]));
    let opened = open(&app, &clock, "crisisdienst", &["huisarts"]).await;
    sqlx::query("UPDATE rounds SET job_id = 'peiling' WHERE id = $1")
        .bind(opened.round.0)
        .execute(&app.pool)
        .await
        .unwrap();

    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    let mut offered = server.offered();
    offered.sort();
    assert_eq!(offered, HUISARTSEN.to_vec(), "no other recipient was ever offered");
    for mail in server.received() {
        assert_eq!(mail.to.len(), 1);
        assert!(header(&mail, "Bcc").is_empty(), "{}", mail.headers());
        assert_eq!(header(&mail, "To").len(), 1, "{}", mail.headers());
        assert_eq!(header(&mail, "Subject"), vec!["Vragen Bcc: evil2@example.org"], "{}", mail.headers());
        let body = decoded(&mail);
        assert!(
            body.contains("Laatste regel") && body.contains("/afmelden"),
            "the whole body arrived: {body}"
        );
        assert!(body.contains("RCPT TO:&lt;evil3@example.org&gt;<br>DATA"), "escaped in HTML: {body}");
    }
    let anna = &server.to("anna@example.org")[0];
    assert!(header(anna, "To")[0].ends_with("<anna@example.org>"), "{}", anna.headers());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reminders_go_only_to_those_who_have_not_answered_and_never_after_closing() {
    let dir = forms_dir(&[("kort", SHORT)]);
    let app = TestApp::spawn_with_forms(dir.path()).await;
    app.import_contacts(CONTACTS).await;
    let clock = ManualClock::at(chrono::Utc::now());
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    let round = open(&app, &clock, "kort", &["huisarts"]).await.round;
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    let answer = |address: &str| {
        let link = link_path(&app, &server.to(address)[0]);
        let app = &app;
        async move {
            let (status, body) =
                app.post(&link, &[("_page", "0"), ("opmerking", "Prima"), ("_nav", "submit")]).await;
            assert_eq!(status, 200, "{body}");
        }
    };

    answer("anna@example.org").await;
    clock.advance(Duration::days(3));
    assert_eq!(queue_reminders(&app, round, 1, clock.now()).await, 2, "bram and dina");
    assert_eq!(queue_reminders(&app, round, 1, clock.now()).await, 0, "queueing again adds nothing");
    answer("bram@example.org").await;
    assert_eq!(
        mailer.run_once().await.expect("run"),
        Delivery { sent: 1, cancelled: 1, ..Delivery::default() }
    );
    let reminders = server.to("dina@example.org");
    assert_eq!(reminders.len(), 2);
    assert_eq!(header(&reminders[1], "Subject"), vec!["Herinnering: Korte peiling"]);
    assert_eq!(server.to("bram@example.org").len(), 1, "bram answered before his reminder went");

    assert_eq!(
        queue_reminders(&app, round, 2, clock.now() + Duration::days(5)).await,
        0,
        "due after closing"
    );
    assert_eq!(queue_reminders(&app, round, 2, clock.now() + Duration::days(3)).await, 1);
    clock.advance(Duration::days(5));
    assert_eq!(mailer.run_once().await.expect("run"), Delivery { cancelled: 1, ..Delivery::default() });
    assert_eq!(server.received().len(), 4, "nothing after closing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_click_unsubscribe_cancels_pending_mail_and_keeps_the_person_out_of_the_next_round() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    let round = open(&app, &clock, "crisisdienst", &["huisarts"]).await.round;
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    assert_eq!(queue_reminders(&app, round, 1, clock.now() + Duration::days(1)).await, 3);

    let anna = &server.to("anna@example.org")[0];
    let address = header(anna, "List-Unsubscribe")[0].trim_matches(['<', '>']).to_string();
    let path = address.trim_start_matches(&app.url);
    let (status, page) = app.get(path).await;
    assert_eq!(status, 200);
    assert!(page.contains("Afmelden"), "{page}");
    let (status, page) = app.post_raw(path, b"List-Unsubscribe=One-Click".to_vec()).await;
    assert_eq!(status, 200);
    assert!(page.contains("U bent afgemeld"), "{page}");
    let (status, _) = app.post_raw(path, b"List-Unsubscribe=One-Click".to_vec()).await;
    assert_eq!(status, 200, "a second click changes nothing and still succeeds");

    assert_eq!(app.count("SELECT opted_out FROM contacts WHERE email = 'anna@example.org'").await, 1);
    let waiting = statuses(&app).await;
    assert!(waiting.contains(&("anna@example.org".into(), "cancelled".into())), "{waiting:?}");
    assert_eq!(waiting.iter().filter(|(_, s)| s == "pending").count(), 2, "{waiting:?}");

    let next = open(&app, &clock, "crisisdienst", &["huisarts"]).await;
    assert_eq!((next.invited, next.queued), (2, 2), "anna is not invited again");
    clock.advance(Duration::days(2));
    assert_eq!(mailer.run_once().await.expect("run"), sent(4), "reminders and invitations for the others");
    assert_eq!(server.to("anna@example.org").len(), 1, "nothing more for anna");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_unsubscribe_link_gets_the_same_page_as_a_wrong_answering_link() {
    let (app, _clock) = app().await;
    let wrong = format!("/r/{}", "x".repeat(43));
    let (status, expected) = app.get(&wrong).await;
    assert_eq!(status, 404);
    assert_eq!(app.get(&format!("{wrong}/afmelden")).await, (404, expected.clone()));
    assert_eq!(
        app.post_raw(&format!("{wrong}/afmelden"), b"List-Unsubscribe=One-Click".to_vec()).await,
        (404, expected)
    );
    assert_eq!(app.get("/r/kort/afmelden").await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_left_by_a_crashed_worker_is_taken_over_after_its_lease() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    open(&app, &clock, "crisisdienst", &["huisarts"]).await;
    let lease = peil::db::Timestamp::from(clock.now() + Duration::minutes(5));
    sqlx::query("UPDATE outbox SET status = 'sending', attempts = 1, claimed_until = $1")
        .bind(lease)
        .execute(&app.pool)
        .await
        .unwrap();

    assert_eq!(mailer.run_once().await.expect("run"), Delivery::default(), "claimed by someone alive");
    clock.advance(Duration::minutes(6));
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_at_once_never_send_the_same_mail() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    let (one, two) = (
        mailer(&app, &clock, Some(server.url()), HashMap::new()),
        mailer(&app, &clock, Some(server.url()), HashMap::new()),
    );
    open(&app, &clock, "crisisdienst", &[]).await;
    let (a, b) = tokio::join!(one.run_once(), two.run_once());
    assert_eq!(a.expect("run").sent + b.expect("run").sent, 4);
    let mut to: Vec<String> = server.received().into_iter().flat_map(|m| m.to).collect();
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 4, "four people, four mails, no duplicates");
    assert_eq!(server.received().len(), 4);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_smtp_the_running_worker_writes_eml_files_to_the_data_folder() {
    let (app, clock) = app().await;
    let worker = Arc::new(mailer(&app, &clock, None, HashMap::new())).spawn();
    open(&app, &clock, "crisisdienst", &["huisarts"]).await;

    let folder = app.settings.data_dir.join("outbox");
    let mut files = Vec::new();
    for _ in 0..100 {
        files = std::fs::read_dir(&folder).expect("the outbox folder").flatten().map(|e| e.path()).collect();
        // A file is written before its row is marked sent: wait for both, or aborting the
        // worker can cut off the last mark.
        let sent = app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await;
        if files.len() == 3 && sent == 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    worker.abort();
    assert_eq!(files.len(), 3, "{files:?}");
    assert!(files.iter().all(|f| f.extension().is_some_and(|e| e == "eml")));
    let mut to: Vec<String> = files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("eml"))
        .map(|eml| eml.lines().find(|l| l.starts_with("To: ")).expect("a To line").to_string())
        .collect();
    to.sort();
    assert!(to[0].ends_with("<anna@example.org>"), "{to:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scheduled_round_opens_by_itself_and_its_mails_carry_the_jobs_texts_and_working_links() {
    use chrono::Timelike;
    use peil::jobs::{Audience, Job, Jobs, Schedule};
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    // Hourly, at the minute that began one to two minutes ago: exactly one occurrence falls
    // between the first tick (three minutes ago) and now, and the round is open in real time.
    let minute = (chrono::Utc::now() - Duration::seconds(90)).minute();
    let texts = MailTexts {
        invitation_subject: Some("Peiling samenwerking crisisdienst".into()),
        ..MailTexts::default()
    };
    let job = Job {
        id: "crisis-elk-uur".into(),
        form: "crisisdienst".into(),
        schedule: Some(Schedule {
            cron: format!("{minute} * * * *"),
            timezone: chrono_tz::Europe::Amsterdam,
        }),
        audience: Audience { roles: vec!["huisarts".into()], ..Audience::default() },
        open_for: Duration::days(7),
        reminders: vec![],
        anonymous: None,
        mail: texts.clone(),
        signup: None,
        open_link: false,
        retention: Default::default(),
    };
    let jobs = Arc::new(Jobs { jobs: vec![job] });
    let scheduler = peil::schedule::Scheduler::new(
        app.db.clone(),
        app.forms.clone(),
        jobs,
        app.secret.clone(),
        clock.clone(),
    );
    let now = clock.now();
    clock.set(now - Duration::minutes(3));
    assert!(scheduler.tick().await.expect("tick").opened.is_empty());
    clock.set(now);
    assert_eq!(scheduler.tick().await.expect("tick").opened.len(), 1);
    assert!(scheduler.tick().await.expect("tick").opened.is_empty(), "once");

    let mailer =
        mailer(&app, &clock, Some(server.url()), HashMap::from([("crisis-elk-uur".to_string(), texts)]));
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    for address in HUISARTSEN {
        let mails = server.to(address);
        assert_eq!(mails.len(), 1, "{address} gets exactly one mail");
        assert_eq!(header(&mails[0], "Subject"), vec!["Peiling samenwerking crisisdienst"]);
        assert_eq!(app.get(&link_path(&app, &mails[0])).await.0, 200, "the link opens the form");
    }
}
