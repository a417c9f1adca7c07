//! Issuing: one certificate and one mail per person present, withdrawn by an undo and the same
//! again after it; the mail arrives at a real SMTP server with the PDF attached.

use chrono::{Duration, Utc};
use peil::time::clock::ManualClock;

use super::{attached_pdf, certificate_of, pdf_text, record, signed_up};
use crate::helpers::TestApp;
use crate::mail::smtp::SmtpServer;
use crate::mail::support::{decoded, mailer};
use crate::signup::{mails, poh_contacts};

#[tokio::test]
async fn present_issues_one_certificate_and_mail_an_undo_withdraws_it_and_present_again_restores_it() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(3)).await;
    let (_, session, paths) = signed_up(&app, Utc::now() + Duration::days(2), "s1", 3).await;

    record(&app, session, &["poh01@example.org", "poh02@example.org"], true).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates").await, 2, "one each for the two present");
    assert_eq!(mails(&app, "certificate").await.len(), 2);
    let (code, withdrawn) = certificate_of(&app, &paths[0]).await;
    assert!(!withdrawn);
    assert_eq!(code.len(), 12, "{code}");

    record(&app, session, &["poh01@example.org"], false).await;
    assert_eq!(certificate_of(&app, &paths[0]).await, (code.clone(), true), "withdrawn, not deleted");
    assert!(!certificate_of(&app, &paths[1]).await.1, "the other stays valid");

    record(&app, session, &["poh01@example.org"], true).await;
    assert_eq!(certificate_of(&app, &paths[0]).await, (code, false), "the same certificate again");
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates").await, 2);
    assert_eq!(mails(&app, "certificate").await.len(), 2, "no second mail");
}

#[tokio::test]
async fn attendance_before_the_start_issues_nothing() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let (_, session, _) = signed_up(&app, Utc::now() + Duration::days(2), "s1", 1).await;
    let emails = vec!["poh01@example.org".to_string()];
    let early = peil::signup::attendance::record(&app.db, session, &emails, true, Utc::now(), None).await;
    assert!(early.is_err());
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates").await, 0);
    assert!(mails(&app, "certificate").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mail_carries_a_pdf_that_names_the_person_the_date_and_the_hours() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(2)).await;
    let starts = Utc::now() + Duration::days(2);
    let (_, session, _) = signed_up(&app, starts, "s1", 2).await;
    sqlx::query(
        "UPDATE contacts SET initials = 'P.J.', surname = 'van Oost' WHERE email = 'poh01@example.org'",
    )
    .execute(&app.pool)
    .await
    .expect("register name");
    sqlx::query("UPDATE sessions SET points = 2.5 WHERE id = $1")
        .bind(session.0)
        .execute(&app.pool)
        .await
        .expect("points");
    let at = record(&app, session, &["poh01@example.org"], true).await;

    let server = SmtpServer::started().await;
    let clock = ManualClock::at(at);
    let mailer = mailer(&app, &clock, Some(server.url()), Default::default());
    // The certificate waits a while after the tick, for an undo at the door.
    mailer.run_once().await.expect("run");
    assert!(server.to("poh01@example.org").iter().all(|m| attached_pdf(m).is_none()), "not yet");
    clock.advance(peil::certificates::MAIL_GRACE);
    mailer.run_once().await.expect("run");
    let received = server.to("poh01@example.org");
    let mail = received.iter().find(|m| attached_pdf(m).is_some()).expect("a mail with the certificate");
    assert!(
        decoded(mail).contains("Uw bewijs van deelname zit als PDF-bestand bij deze e-mail"),
        "{}",
        decoded(mail)
    );
    let text = pdf_text(&attached_pdf(mail).expect("the PDF"));
    let day = peil::time::dutch_long_date(peil::time::amsterdam_date(starts));
    for expected in [
        "Bewijs van deelname",
        "P.J. van Oost",
        day.as_str(),
        "2 uur",
        "Intervisiegroep s1",
        "GAIA-445566",
        "2,5",
        "Dr. K. Kader",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(!text.contains("poh01@example.org"), "no e-mail address on the certificate");
    assert!(
        server.to("poh02@example.org").iter().all(|m| attached_pdf(m).is_none()),
        "nobody else gets a certificate"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_withdrawn_before_its_mail_went_is_not_sent_until_it_is_issued_again() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let (_, session, _) = signed_up(&app, Utc::now() + Duration::days(2), "s1", 1).await;
    let at = record(&app, session, &["poh01@example.org"], true).await;
    record(&app, session, &["poh01@example.org"], false).await;
    let server = SmtpServer::started().await;
    let clock = ManualClock::at(at + peil::certificates::MAIL_GRACE);
    let mailer = mailer(&app, &clock, Some(server.url()), Default::default());
    mailer.run_once().await.expect("run");
    let with_pdf =
        || server.to("poh01@example.org").into_iter().filter(|m| attached_pdf(m).is_some()).count();
    assert_eq!(with_pdf(), 0, "withdrawn when its turn came");

    record(&app, session, &["poh01@example.org"], true).await;
    mailer.run_once().await.expect("run");
    assert_eq!(with_pdf(), 1, "issued again, and mailed after all");
    record(&app, session, &["poh01@example.org"], false).await;
    record(&app, session, &["poh01@example.org"], true).await;
    mailer.run_once().await.expect("run");
    assert_eq!(with_pdf(), 1, "a mail sent is not sent again");
}
