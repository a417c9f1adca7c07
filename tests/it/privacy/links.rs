//! Every page a respondent sees and every mail that invites them link to the form's statement:
//! the answering pages (with mistakes and without), the thank-you and closed pages, a sign-up's
//! status and seat pages, the open registration page and its mail, the invitation and the
//! reminder (their text and HTML parts, with absolute addresses).

use std::collections::HashMap;

use chrono::Duration;
use peil::time::clock::Clock;

use super::unescaped;
use crate::helpers::{CONTACTS, TestApp, forms_dir, location};
use crate::mail::smtp::SmtpServer;
use crate::mail::support::{decoded, mailer, open, queue_reminders, sent};
use crate::signup::{open_registration, poh_contacts, seats, sign_up};

/// One required question, so a page can be refused and then answered.
const KORT: &str = r#"
title = "Korte peiling"
purpose = "Om te weten hoe het gaat."

[[questions]]
id = "opmerking"
type = "text"
label = "Hoe gaat het?"
required = true
"#;

fn links_to(page: &str, statement: &str) -> bool {
    unescaped(page).contains(&format!(r#"<a href="{statement}">Privacy</a>"#))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_of_a_survey_links_to_the_statement_of_its_round() {
    let dir = forms_dir(&[("kort", KORT)]);
    let app = TestApp::spawn_with_forms(dir.path()).await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("kort", &["huisarts"], true).await;
    let links: Vec<String> =
        app.links(round).await.into_iter().map(|l| l.url.trim_start_matches(&app.url).to_owned()).collect();
    let statement = "/privacy/kort?ronde=anoniem";

    let (status, first) = app.get(&links[0]).await;
    assert_eq!(status, 200);
    assert!(links_to(&first, statement), "{first}");
    let (status, refused) =
        app.post(&links[0], &[("_page", "0"), ("opmerking", ""), ("_nav", "submit")]).await;
    assert_eq!(status, 422);
    assert!(links_to(&refused, statement), "{refused}");
    let (status, thanks) =
        app.post(&links[0], &[("_page", "0"), ("opmerking", "Goed"), ("_nav", "submit")]).await;
    assert_eq!(status, 200, "{thanks}");
    assert!(links_to(&thanks, statement), "{thanks}");

    app.clock.advance(Duration::days(8));
    let (status, closed) = app.get(&links[1]).await;
    assert_eq!(status, 410);
    assert!(links_to(&closed, statement), "{closed}");

    let (_, followed) = app.get(statement).await;
    assert!(followed.contains("Om te weten hoe het gaat."), "{followed}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_ups_registration_status_and_seat_pages_link_to_its_statement() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let (round, address) = open_registration(&app, 2).await;
    let statement = "/privacy/intervisie?ronde=niet-anoniem";

    let (_, form) = app.get(&address).await;
    assert!(links_to(&form, statement), "{form}");
    // Where the details are asked, too, not only in the footer.
    let asked_here = format!(r#"leest u in de <a href="{statement}">privacyverklaring</a>."#);
    assert!(unescaped(&form).contains(&asked_here), "{form}");
    let fields = [("naam", "Eva Nieuw"), ("email", "eva@example.org"), ("rol", "poh-ggz"), ("praktijk", "")];
    let (_, sent_page) = app.post(&address, &fields).await;
    assert!(links_to(&sent_page, statement), "{sent_page}");

    let link = app.first_link(round).await;
    assert_eq!(sign_up(&app, &link, "s1").await, 303);
    let (_, status) = app.get(&link).await;
    assert!(links_to(&status, statement), "{status}");
    let opened = app.client.get(format!("{}{link}", app.url)).send().await.expect("GET");
    let page = location(&opened);
    let (seat, _) = seats(&app, round, "s1").await.remove(0);
    let (code, seat_page) = app.get(&format!("{page}/plaats/{seat}")).await;
    assert_eq!(code, 200, "{seat_page}");
    assert!(links_to(&seat_page, statement), "{seat_page}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_invitation_and_the_reminder_link_to_the_statement_in_both_parts() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let clock = peil::time::clock::ManualClock::at(chrono::Utc::now());
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    let opened = open(&app, &clock, "crisisdienst", &["huisarts"]).await;
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    assert_eq!(queue_reminders(&app, opened.round, 1, clock.now()).await, 3);
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));

    // crisisdienst is anonymous, so is its round; a mail's links are absolute.
    let statement = format!("{}/privacy/crisisdienst?ronde=anoniem", app.url);
    for mail in server.to("anna@example.org") {
        let body = decoded(&mail);
        assert!(body.contains(&format!("leest u op:\r\n{statement}\r\n")), "the text part:\n{body}");
        let html = format!(r#"<a href="{}">privacyverklaring</a>"#, statement.replace('/', "&#x2F;"));
        assert!(body.contains(&html), "the HTML part:\n{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mail_of_an_open_registration_links_to_the_statement() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let (_, address) = open_registration(&app, 2).await;
    let fields = [("naam", "Eva Nieuw"), ("email", "eva@example.org"), ("rol", "poh-ggz"), ("praktijk", "")];
    assert_eq!(app.post(&address, &fields).await.0, 200);
    let clock = peil::time::clock::ManualClock::at(chrono::Utc::now());
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    mailer.run_once().await.expect("run");
    let mail = server.to("eva@example.org").remove(0);
    let statement = format!("{}/privacy/intervisie?ronde=niet-anoniem", app.url);
    assert!(decoded(&mail).contains(&statement), "{}", decoded(&mail));
}
