//! The year overview: every attended session of one calendar year over all the person's rounds,
//! with the total hours, from their own link and for the organiser on `/beheer`.

use chrono::{Datelike, Duration, Utc};
use chrono_tz::Europe::Amsterdam;
use peil::accounts::Role;

use super::{get_bytes, pdf_text, record, signed_up};
use crate::helpers::TestApp;
use crate::signup::poh_contacts;

#[tokio::test]
async fn the_year_overview_lists_that_years_attended_sessions_only_with_their_total() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(2)).await;
    let first = Utc::now() + Duration::days(1);
    // Two sessions this year attended (two hours, and ninety minutes), one this year missed,
    // and one next year attended: four rounds for the same people.
    let (_, a, paths) = signed_up(&app, first, "a", 2).await;
    let (_, b, _) = signed_up(&app, first + Duration::hours(4), "b", 2).await;
    let (_, missed, _) = signed_up(&app, first + Duration::hours(8), "c", 2).await;
    let (_, later, _) = signed_up(&app, first + Duration::days(370), "d", 2).await;
    for session in [a, b, later] {
        record(&app, session, &["poh01@example.org"], true).await;
    }
    record(&app, missed, &["poh02@example.org"], true).await;
    let year = first.with_timezone(&Amsterdam).year();
    let b_minutes: i64 = 90;
    sqlx::query("UPDATE sessions SET ends_at = $2 WHERE id = $1")
        .bind(b.0)
        .bind(peil::db::Timestamp::from(first + Duration::hours(4) + Duration::minutes(b_minutes)))
        .execute(&app.pool)
        .await
        .expect("ninety minutes");

    // The link of the first round, whose overview covers all four.
    let (status, kind, bytes) = get_bytes(&app, &format!("{}/jaaroverzicht/{year}.pdf", paths[0])).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    let text = pdf_text(&bytes);
    assert!(text.contains(&format!("Jaaroverzicht deelname {year}")), "{text}");
    assert!(text.contains("Intervisiegroep a") && text.contains("Intervisiegroep b"), "{text}");
    assert!(!text.contains("Intervisiegroep c"), "not attended: {text}");
    assert!(!text.contains("Intervisiegroep d"), "another year: {text}");
    assert!(text.contains("Totaal: 2 bijeenkomsten") && text.contains("3,5 uur"), "{text}");

    // The organiser, for the same person.
    let contact: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE email = 'poh01@example.org'")
        .fetch_one(&app.pool)
        .await
        .expect("contact");
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, page) = admin.get(&format!("/beheer/contacten/{contact}")).await;
    assert_eq!(status, 200);
    assert!(crate::signup::unescaped(&page).contains(&format!("/jaaroverzicht/{year}.pdf\"")), "{page}");
    let text =
        pdf_text(&admin.get_bytes(&format!("/beheer/contacten/{contact}/jaaroverzicht/{year}.pdf")).await);
    assert!(text.contains("POH 01") && text.contains("3,5 uur"), "{text}");
    let path = format!("{}/beheer/contacten/{contact}/jaaroverzicht/{year}.pdf", app.url);
    let response = app.client.get(path).send().await.expect("GET");
    assert_eq!(response.status(), 303, "not without logging in");
    assert!(crate::helpers::location(&response).starts_with("/inloggen"));
}

#[tokio::test]
async fn peil_contacts_overview_writes_the_same_pdf_for_an_address_in_any_case() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let (_, session, _) = signed_up(&app, Utc::now() + Duration::days(1), "a", 1).await;
    record(&app, session, &["poh01@example.org"], true).await;
    let year = (Utc::now() + Duration::days(1)).with_timezone(&Amsterdam).year().to_string();
    let out = app.dir.path().join("overzicht.pdf");
    let peil = |email: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_peil"))
            .args(["contacts", "overview", email, "--year", &year, "--out", out.to_str().expect("a path")])
            .env("PEIL_DATABASE_URL", &app.settings.database_url)
            .env("PEIL_FORMS_DIR", crate::helpers::repo("forms"))
            .env("PEIL_DATA_DIR", app.dir.path().join("data"))
            .output()
            .expect("peil runs")
    };
    let written = peil("POH01@example.org");
    assert!(written.status.success(), "{}", String::from_utf8_lossy(&written.stderr));
    assert!(String::from_utf8_lossy(&written.stdout).contains("1 session(s) attended"));
    let text = pdf_text(&std::fs::read(&out).expect("the file"));
    assert!(
        text.contains("POH 01") && text.contains("Intervisiegroep a") && text.contains("2 uur"),
        "{text}"
    );
    let unknown = peil("niemand@example.org");
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no contact with e-mail address"));
}
