//! Open registration against someone who tries to abuse it (issue 22): a flood of addresses from
//! one client, a name that carries a link or a message, an address that unsubscribed, and
//! registrations that never confirm and would otherwise stay forever.

use chrono::Duration;

use super::{open_registration, poh_contacts};
use crate::helpers::TestApp;

fn fields<'a>(name: &'a str, email: &'a str) -> [(&'a str, &'a str); 4] {
    [("naam", name), ("email", email), ("rol", "poh-ggz"), ("praktijk", "De Brug")]
}

#[tokio::test]
async fn sixty_addresses_from_one_client_get_at_most_the_limit_and_then_a_dutch_429() {
    let app = TestApp::spawn().await;
    let (_, page) = open_registration(&app, 1).await;
    let mut statuses = Vec::new();
    let mut refused = String::new();
    for i in 0..60 {
        let (status, body) = app.post(&page, &fields("Eva Nieuw", &format!("eva{i:02}@example.org"))).await;
        if status == 429 {
            refused = body;
        }
        statuses.push(status);
    }
    let accepted = statuses.iter().take_while(|s| **s == 200).count();
    assert_eq!(accepted, peil::signup::limit::PER_CLIENT as usize, "{statuses:?}");
    assert!(statuses[accepted..].iter().all(|s| *s == 429), "{statuses:?}");
    assert!(refused.contains("Te veel aanmeldingen"), "{refused}");
    let queued = app.count("SELECT COUNT(*) FROM outbox WHERE kind = 'registration'").await;
    assert_eq!(queued, accepted as i64, "a refused registration queues no mail");
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, accepted as i64);
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, accepted as i64);

    // An hour later the same client may register again.
    app.clock.advance(Duration::minutes(61));
    assert_eq!(app.post(&page, &fields("Eva Later", "eva.later@example.org")).await.0, 200);
}

#[tokio::test]
async fn registrations_from_many_clients_together_meet_a_global_limit() {
    let app = TestApp::spawn().await;
    let (_, page) = open_registration(&app, 1).await;
    // Other clients' registrations within the window, as other instances would have stored them.
    for i in 0..peil::signup::limit::GLOBAL {
        sqlx::query("INSERT INTO registration_attempts (client, at) VALUES ($1, $2)")
            .bind(format!("another client {i}"))
            .bind(peil::db::Timestamp::from(app.now()))
            .execute(&app.pool)
            .await
            .expect("insert");
    }
    let (status, body) = app.post(&page, &fields("Eva Nieuw", "eva@example.org")).await;
    assert_eq!(status, 429, "{body}");
    assert!(body.contains("Te veel aanmeldingen"), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0);
}

#[tokio::test]
async fn a_name_that_carries_a_link_or_a_message_is_refused_in_dutch_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (_, page) = open_registration(&app, 1).await;
    let message = "Beste collega. LET OP: uw BIG-registratie verloopt vandaag, bevestig via \
                   https://evil.example/big,";
    for name in [
        message,
        "Jan https://evil.example",
        "Jan www.evil.example",
        "Jan jan@evil.example",
        "Bel 0612345678",
    ] {
        let (status, body) = app.post(&page, &fields(name, "eva@example.org")).await;
        assert_eq!(status, 422, "{name}: {body}");
        assert!(body.contains("Vul uw naam in zoals u die schrijft"), "{name}: {body}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);
    for name in ["Van der Berg-de Vries", "'t Hart", "Ösz", "O'Neill", "J.P. de Vries"] {
        assert_eq!(app.post(&page, &fields(name, "eva@example.org")).await.0, 200, "{name}");
    }
}

#[tokio::test]
async fn an_address_that_unsubscribed_gets_no_registration_mail_and_the_same_page() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let (round, page) = open_registration(&app, 1).await;
    let link = app.first_link(round).await;
    let (status, _) = app.post_raw(&format!("{link}/afmelden"), b"List-Unsubscribe=One-Click".to_vec()).await;
    assert_eq!(status, 200);
    assert_eq!(app.count("SELECT opted_out FROM contacts WHERE email = 'poh01@example.org'").await, 1);

    let (status, opted_out) = app.post(&page, &fields("Anna de Poh", "poh01@example.org")).await;
    assert_eq!(status, 200, "{opted_out}");
    let (_, stranger) = app.post(&page, &fields("Eva Nieuw", "eva@example.org")).await;
    assert_eq!(opted_out, stranger, "the page does not tell who opted out");
    let to_poh: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
         JOIN contacts c ON c.id = i.contact_id WHERE o.kind = 'registration' AND c.email = $1",
    )
    .bind("poh01@example.org")
    .fetch_one(&app.pool)
    .await
    .expect("count");
    assert_eq!(to_poh, 0, "no registration mail to an address that unsubscribed");
}

#[tokio::test]
async fn an_unconfirmed_registration_and_its_self_registered_contact_are_gone_after_a_week() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let (_, page) = open_registration(&app, 1).await;
    assert_eq!(app.post(&page, &fields("Eva Nieuw", "eva@example.org")).await.0, 200);
    assert_eq!(app.post(&page, &fields("Anna de Poh", "poh01@example.org")).await.0, 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 2, "the POH's own, and eva's");

    app.clock.advance(Duration::days(6));
    app.scheduler.tick().await.expect("tick");
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts WHERE email = 'eva@example.org'").await, 1);

    app.clock.advance(Duration::days(2));
    app.scheduler.tick().await.expect("tick");
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts WHERE email = 'eva@example.org'").await, 0);
    let evas: i64 = app
        .count(
            "SELECT COUNT(*) FROM outbox WHERE kind = 'registration' AND invitation_id NOT IN \
             (SELECT id FROM invitations)",
        )
        .await;
    assert_eq!(evas, 0, "no mail row is left pointing at a removed invitation");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM contacts WHERE email = 'poh01@example.org'").await,
        1,
        "a contact from the office's list stays"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 1, "the POH's own invitation stays");
}
