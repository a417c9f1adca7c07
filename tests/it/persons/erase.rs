//! Article 17: the confirmation step, the erasure and what it says; the waiting list, accredited
//! attendance, the suppression list and the CSRF token.

use peil::accounts::Role;
use peil::persons::Address;

use super::{BIG, EMAIL, NAME, PEOPLE, registers, scene};
use crate::helpers::{Session, TestApp};

async fn admin(app: &TestApp) -> Session {
    app.login_as("beheer@example.org", Role::Admin).await
}

async fn erase_on_page(admin: &Session) -> String {
    let (status, page) =
        admin.post("/beheer/personen/wissen/bevestigen", &[("email", EMAIL), ("bevestigd", "ja")]).await;
    assert_eq!(status, 200, "{page}");
    page
}

async fn contacts_named(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE email = $1")
        .bind(EMAIL)
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

#[tokio::test]
async fn erasing_a_person_who_held_a_seat_moves_the_first_on_the_waiting_list_up_with_a_mail() {
    let app = TestApp::spawn().await;
    let second = scene(&app, vec![]).await;
    let admin = admin(&app).await;
    let waiting = crate::signup::seats(&app, second, "s2").await;
    assert_eq!(waiting.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>(), ["confirmed", "waiting"]);

    let (status, confirm) = admin.post("/beheer/personen/wissen", &[("email", EMAIL)]).await;
    assert_eq!(status, 200, "{confirm}");
    assert!(confirm.contains("Dit wordt gewist") && confirm.contains("1 van de wachtlijst doorgeschoven"));
    assert!(confirm.contains("2 ingevulde vragenlijsten met naam"), "{confirm}");
    assert_eq!(contacts_named(&app).await, 1, "the confirmation step changes nothing");
    assert_eq!(crate::signup::seats(&app, second, "s2").await, waiting);
    let figures = |r: peil::rounds::RoundSummary| (r.invited, r.answered);
    let before = figures(peil::rounds::summary(&app.pool, second).await.expect("the round"));

    let result = erase_on_page(&admin).await;
    assert!(result.contains("1 van de wachtlijst doorgeschoven, met een mail"), "{result}");
    assert!(!result.contains(EMAIL), "the result does not show the erased address");
    let bert = waiting[1].0;
    assert_eq!(crate::signup::seats(&app, second, "s2").await, [(bert, "confirmed".to_string())]);
    assert_eq!(crate::signup::mails(&app, "seat-promoted").await, [bert]);
    assert_eq!(crate::signup::taken(&app, second, "s2").await, 1);
    assert_eq!(contacts_named(&app).await, 0);
    // The person is gone; that the round invited them and they answered is still counted.
    let after = figures(peil::rounds::summary(&app.pool, second).await.expect("the round"));
    assert_eq!(after, before, "the round's invited and answered stay what they were");
    for table in ["invitations", "responses", "seats", "certificates", "outbox"] {
        let sql = format!(
            "SELECT COUNT(*) FROM {table} WHERE {}",
            match table {
                "invitations" => "contact_id NOT IN (SELECT id FROM contacts)",
                "responses" | "outbox" =>
                    "invitation_id IS NOT NULL AND invitation_id NOT IN (SELECT id FROM invitations)",
                "seats" => "invitation_id NOT IN (SELECT id FROM invitations)",
                _ => "seat_id NOT IN (SELECT id FROM seats)",
            }
        );
        let left: i64 =
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&app.pool).await.expect("count");
        assert_eq!(left, 0, "{table}: rows of the erased person left");
    }
    let (action, detail): (String, String) =
        sqlx::query_as("SELECT action, detail FROM audit_log WHERE action = 'person_erased'")
            .fetch_one(&app.pool)
            .await
            .expect("audited");
    assert_eq!(action, "person_erased");
    assert!(detail.starts_with("contact ") && !detail.contains("quokka"), "{detail}");
    let named: i64 = app.count("SELECT COUNT(*) FROM audit_log WHERE LOWER(detail) LIKE '%quokka%'").await;
    assert_eq!(named, 0, "no audit row keeps the address");
}

#[tokio::test]
async fn attendance_of_an_accredited_round_is_kept_and_the_result_says_why() {
    let app = TestApp::spawn().await;
    scene(&app, registers()).await;
    let admin = admin(&app).await;

    let result = erase_on_page(&admin).await;
    assert!(
        result.contains("Intervisiegroep s1") && result.contains("bewijs voor de accreditatie"),
        "{result}"
    );
    assert!(result.contains("BIG-nummer"), "says what of the contact stays: {result}");
    let attended = app.count("SELECT COUNT(*) FROM seats WHERE attended = 1").await;
    assert_eq!(attended, 1, "the attended seat stays");
    assert_eq!(app.count("SELECT COUNT(*) FROM certificates").await, 1, "with its certificate");
    let (name, email, big, opted_out): (String, String, String, i64) =
        sqlx::query_as("SELECT name, email, big_number, opted_out FROM contacts WHERE name = $1")
            .bind(NAME)
            .fetch_one(&app.pool)
            .await
            .expect("the contact behind the kept attendance");
    assert_eq!((name.as_str(), big.as_str(), opted_out), (NAME, BIG, 1));
    assert!(email.ends_with("@gewist.invalid"), "{email}");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM responses").await,
        1,
        "the answers go all the same: Bert's stay"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM seats WHERE status = 'confirmed'").await,
        2,
        "s1 kept, Bert in s2"
    );
}

#[tokio::test]
async fn an_import_after_the_erasure_skips_the_address_and_says_so() {
    let app = TestApp::spawn().await;
    scene(&app, vec![]).await;
    let address = Address::parse(EMAIL).expect("an address");
    peil::persons::erase(
        &app.db,
        &app.secret,
        &app.settings.data_dir.join("outbox"),
        &address,
        &peil::audit::Actor::cli(),
        app.now(),
    )
    .await
    .expect("erased");

    let admin = admin(&app).await;
    let (status, preview) = crate::contacts::upload(&admin, Some(admin.csrf()), None, PEOPLE).await;
    assert_eq!(status, 200, "{preview}");
    assert!(preview.contains("overgeslagen: gewist op verzoek"), "{preview}");
    assert!(!preview.contains(EMAIL), "the preview does not list the erased row");

    let summary = app.import_contacts(PEOPLE).await;
    assert_eq!((summary.suppressed, summary.added, summary.unchanged), (1, 0, 1));
    assert_eq!(contacts_named(&app).await, 0);
    let (status, page) = admin.post("/beheer/personen", &[("email", EMAIL)]).await;
    assert_eq!(status, 200);
    assert!(page.contains("op verzoek gewist"), "the page says the address was erased before: {page}");
}

#[tokio::test]
async fn the_erase_post_needs_the_csrf_token_and_the_confirmation() {
    let app = TestApp::spawn().await;
    app.import_contacts(PEOPLE).await;
    let admin = admin(&app).await;

    let (status, _) = admin
        .post_without_csrf("/beheer/personen/wissen/bevestigen", &[("email", EMAIL), ("bevestigd", "ja")])
        .await;
    assert_eq!(status, 403);
    assert_eq!(admin.post("/beheer/personen/wissen/bevestigen", &[("email", EMAIL)]).await.0, 400);
    assert_eq!(contacts_named(&app).await, 1, "nothing erased");
}
