//! What administrators read of people: names with answers, personal links, the contact list
//! and a contact's page, a year overview, the presentielijst; on the web and at the command
//! line. A person's entries are found by their contact number, in the logbook and for a request
//! to see one's data.

use std::process::Command;

use chrono::{Datelike, Duration, Utc};
use chrono_tz::Europe::Amsterdam;
use peil::accounts::Role;
use peil::contacts::ContactId;

use super::{WEB, mark, nothing_personal, the_one, who, written_now};
use crate::attendance::Desk;
use crate::certificates::{record, signed_up};
use crate::helpers::{TestApp, repo};
use crate::results::pages;

/// `peil args...` on the app's own database.
fn peil(app: &TestApp, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_peil"))
        .args(args)
        .current_dir(app.dir.path())
        .env("PEIL_DATABASE_URL", &app.settings.database_url)
        .env("PEIL_FORMS_DIR", repo("forms"))
        .env("PEIL_DATA_DIR", app.dir.path().join("data"))
        .env("PEIL_TEMPLATES_DIR", repo("templates"))
        .env("PEIL_SECRET_KEY", app.secret.expose())
        .output()
        .expect("peil runs")
}

#[tokio::test]
async fn names_with_answers_and_the_personal_links_are_read_in_the_administrators_capacity_on_web_and_cli() {
    let (app, round, _forms) = pages::closed_round().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let start = mark(&app).await;
    for (tail, action) in [("antwoorden", "answers_viewed"), ("links", "links_viewed")] {
        let before = mark(&app).await;
        let (status, _) = admin.get(&format!("/beheer/rondes/{round}/{tail}")).await;
        assert_eq!(status, 200, "{tail}");
        let entry = the_one(&app, before, action).await;
        assert_eq!(who(&entry), (Some("beheer@example.org"), Some("beheerder"), Some(WEB)), "{tail}");
        assert_eq!(entry.subject.as_deref(), Some(format!("ronde {round}: 13 personen").as_str()), "{tail}");
        written_now(&app, &entry);
    }
    let before = mark(&app).await;
    let output = peil(&app, &["round", "links", &round.0.to_string()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let cli = the_one(&app, before, "links_viewed").await;
    assert_eq!(who(&cli), (None, Some("beheerder"), Some("cli")));
    assert_eq!(cli.subject.as_deref(), Some(format!("ronde {round}: 13 personen").as_str()));
    let tokens: Vec<String> = app
        .links(round)
        .await
        .into_iter()
        .map(|l| l.url.rsplit('/').next().unwrap_or("").to_owned())
        .collect();
    let mut secrets = tokens;
    secrets.extend(["Gewone opmerking".to_owned(), "Arts noord".to_owned()]);
    nothing_personal(&app, start, &secrets).await;
}

/// One person with an attended session this year, an administrator logged in, and the
/// person's contact id.
async fn attended_once() -> (TestApp, ContactId, i32) {
    let app = TestApp::spawn().await;
    app.import_contacts(&crate::signup::poh_contacts(2)).await;
    let starts = Utc::now() + Duration::days(1);
    let (_, session, _) = signed_up(&app, starts, "a", 2).await;
    record(&app, session, &["poh01@example.org"], true).await;
    let contact: i64 = sqlx::query_scalar("SELECT id FROM contacts WHERE email = 'poh01@example.org'")
        .fetch_one(&app.pool)
        .await
        .expect("contact");
    (app, ContactId(contact), starts.with_timezone(&Amsterdam).year())
}

#[tokio::test]
async fn a_contacts_page_and_year_overview_are_entries_about_that_contact_by_number_only() {
    let (app, contact, year) = attended_once().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let start = mark(&app).await;

    let before = mark(&app).await;
    let (status, _) = admin.get("/beheer/contacten").await;
    assert_eq!(status, 200);
    let list = the_one(&app, before, "contacts_viewed").await;
    assert_eq!(who(&list), (Some("beheer@example.org"), Some("beheerder"), Some(WEB)));
    assert_eq!((list.subject.as_deref(), list.subject_contact), (Some("contactenlijst: 2 personen"), None));

    let steps = [
        (format!("/beheer/contacten/{contact}"), "contacts_viewed"),
        (format!("/beheer/contacten/{contact}/jaaroverzicht/{year}.pdf"), "exported"),
    ];
    for (path, action) in steps {
        let before = mark(&app).await;
        let (status, _) = admin.get(&path).await;
        assert_eq!(status, 200, "{path}");
        let entry = the_one(&app, before, action).await;
        assert_eq!(who(&entry), (Some("beheer@example.org"), Some("beheerder"), Some(WEB)), "{path}");
        assert_eq!(entry.subject_contact, Some(contact.0), "{path}");
        assert_eq!(entry.subject, Some(format!("contact {contact}")), "{path}");
        written_now(&app, &entry);
    }

    let before = mark(&app).await;
    let output = peil(&app, &["contacts", "overview", "poh01@example.org", "--year", &year.to_string()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let cli = the_one(&app, before, "exported").await;
    assert_eq!((who(&cli), cli.subject_contact), ((None, Some("beheerder"), Some("cli")), Some(contact.0)));

    // What the person's request to see their data (art. 15) gets: these three, and no other.
    let about = peil::audit::about_contact(&app.pool, contact).await.expect("about");
    let actions: Vec<&str> = about.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["contacts_viewed", "exported", "exported"]);
    nothing_personal(&app, start, &["POH 01".to_owned(), "POH 02".to_owned()]).await;
}

#[tokio::test]
async fn the_logbook_filtered_on_a_contact_shows_the_entries_about_them_with_every_field() {
    let (app, contact, year) = attended_once().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    admin.get(&format!("/beheer/contacten/{contact}/jaaroverzicht/{year}.pdf")).await;
    admin.get("/beheer/contacten").await;
    let (status, page) = admin.get(&format!("/beheer/logboek?contact={contact}")).await;
    assert_eq!(status, 200, "{page}");
    let rows: Vec<&str> = page.split("<tbody>").nth(1).unwrap_or("").split("<tr>").skip(1).collect();
    assert_eq!(rows.len(), 1, "only the overview is about this contact: {page}");
    for cell in ["beheer@example.org", "beheerder", WEB, "Geëxporteerd", &format!("contact {contact}")] {
        assert!(rows[0].contains(cell), "{cell} in {}", rows[0]);
    }
    assert!(page.contains(&format!("value=\"{contact}\"")), "the filter shows what it filters on");
    let (_, everything) = admin.get("/beheer/logboek").await;
    assert!(everything.contains("contactenlijst: 2 personen"), "{everything}");
    let (_, contact_page) = admin.get(&format!("/beheer/contacten/{contact}")).await;
    assert!(
        contact_page.contains(&format!("/beheer/logboek?contact={contact}"))
            || contact_page.contains(&format!("&#x2F;beheer&#x2F;logboek?contact={contact}")),
        "the contact's page links to their entries"
    );
}

#[tokio::test]
async fn a_sessions_people_shown_or_their_list_downloaded_is_an_entry_about_the_session() {
    let desk = Desk::with(3).await;
    let start = mark(&desk.app).await;
    let subject = format!("bijeenkomst {}: 3 personen", desk.session);
    let steps = [
        ("", "participants_viewed"),
        ("/aanwezigheid", "presence_list_viewed"),
        ("/presentielijst", "presence_list_viewed"),
        ("/presentielijst.pdf", "exported"),
        ("/presentielijst.xlsx", "exported"),
    ];
    for (tail, action) in steps {
        let before = mark(&desk.app).await;
        let (status, _) = desk.admin.get(&desk.path(tail)).await;
        assert_eq!(status, 200, "{tail}");
        let entry = the_one(&desk.app, before, action).await;
        assert_eq!(who(&entry), (Some("beheer@example.org"), Some("beheerder"), Some(WEB)), "{tail}");
        assert_eq!(entry.subject.as_deref(), Some(subject.as_str()), "{tail}");
        written_now(&desk.app, &entry);
    }
    let before = mark(&desk.app).await;
    let output = peil(&desk.app, &["session", "attendance", &desk.session.to_string()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let cli = the_one(&desk.app, before, "exported").await;
    assert_eq!(who(&cli), (None, Some("beheerder"), Some("cli")));
    assert_eq!(cli.subject.as_deref(), Some(subject.as_str()));
    nothing_personal(&desk.app, start, &["POH 0".to_owned()]).await;
}
