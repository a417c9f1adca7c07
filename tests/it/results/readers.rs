//! Which answers the werkgroep may read, as the form says: a text that is only counted, a
//! question hidden from the werkgroep, and the e-mail addresses of an identified round for the
//! roles the form names, never those of an anonymous round.

use peil::accounts::Role;
use peil::forms::Answer;
use peil::rounds::RoundId;

use super::{answers, close, huisartsen, submit, unescape};
use crate::helpers::{TestApp, forms_dir};

const VERVOLG: &str = r#"
title = "Vervolg samenwerking"
anonymous = false

[[pages]]
[[pages.questions]]
id = "praktijk"
type = "text"
label = "Naam van uw praktijk"
results = "count"

[[pages.questions]]
id = "intern"
type = "text"
label = "Notitie voor de beheerder"
results = "hidden"

[[pages.questions]]
id = "opmerking"
type = "textarea"
label = "Opmerkingen"

[[pages.questions]]
id = "vervolg"
type = "email"
label = "Op welk e-mailadres mogen we u benaderen voor een vervolggesprek?"
read_by = ["werkgroep"]

[[pages.questions]]
id = "beheer_email"
type = "email"
label = "Op welk e-mailadres bereikt de beheerder u?"
"#;

/// Six huisartsen in noord (the threshold being 5) each answer every question of `VERVOLG`;
/// the round is closed. Anonymous or not as asked.
pub(crate) async fn closed_round(anonymous: bool) -> (TestApp, RoundId, tempfile::TempDir) {
    let forms = forms_dir(&[("vervolg", VERVOLG)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 6)])).await;
    let round = app.open_round("vervolg", &["huisarts"], anonymous).await;
    for (i, link) in app.links(round).await.iter().enumerate() {
        let given = answers(&[
            ("praktijk", Answer::Text(format!("Praktijk De Linde {i}"))),
            ("intern", Answer::Text(format!("geheime notitie {i}"))),
            ("opmerking", Answer::Text(format!("Gewone opmerking {i}"))),
            ("vervolg", Answer::Text(format!("vervolg{i}@praktijk.example.org"))),
            ("beheer_email", Answer::Text(format!("beheer{i}@praktijk.example.org"))),
        ]);
        submit(&app, round, &link.url, given).await;
    }
    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    (app, round, forms)
}

async fn free_text_reads(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'free_text_viewed' ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .expect("audit log")
}

#[tokio::test]
async fn a_counted_text_shows_how_many_answered_without_a_link_and_its_free_text_page_is_not_there() {
    let (app, round, _forms) = closed_round(false).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = member.get(&format!("/werkgroep/ronde/{round}")).await;
    assert_eq!(status, 200, "{page}");
    let page = unescape(&page);
    assert!(page.contains("Naam van uw praktijk"), "{page}");
    assert!(!page.contains(&format!("/werkgroep/ronde/{round}/vrije-tekst/praktijk")), "{page}");
    assert!(page.contains(&format!("/werkgroep/ronde/{round}/vrije-tekst/opmerking")), "{page}");
    assert!(!page.contains("De Linde"), "{page}");
    let (status, text) = member.get(&format!("/werkgroep/ronde/{round}/vrije-tekst/praktijk")).await;
    assert_eq!(status, 404, "{text}");
    assert!(!text.contains("De Linde"), "{text}");
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, _) = admin.get(&format!("/werkgroep/ronde/{round}/vrije-tekst/praktijk")).await;
    assert_eq!(status, 404, "not for reading, also not for an administrator on the page");
    assert!(free_text_reads(&app).await.is_empty(), "nothing was read, so nothing is logged");
}

#[tokio::test]
async fn a_hidden_question_is_on_no_page_report_or_summary_and_only_in_the_administrators_export() {
    let (app, round, _forms) = closed_round(false).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    for path in [format!("/werkgroep/ronde/{round}"), format!("/werkgroep/ronde/{round}/rapport")] {
        let (status, page) = member.get(&path).await;
        assert_eq!(status, 200, "{path}");
        assert!(!page.contains("Notitie voor de beheerder"), "{path}: {page}");
        assert!(page.contains("Opmerkingen"), "{path}: {page}");
    }
    let (status, _) = member.get(&format!("/werkgroep/ronde/{round}/vrije-tekst/intern")).await;
    assert_eq!(status, 404);
    let (status, _) = member.get(&format!("/werkgroep/ronde/{round}/grafiek/intern/svg")).await;
    assert_eq!(status, 404);
    let summary = member.get_bytes(&format!("/werkgroep/ronde/{round}/download/samenvatting.csv")).await;
    let summary = String::from_utf8_lossy(&summary);
    assert!(!summary.contains("Notitie voor de beheerder"), "{summary}");
    assert!(summary.contains("Naam van uw praktijk"), "a counted question is counted: {summary}");

    let csv = member.get_bytes(&format!("/werkgroep/ronde/{round}/download/antwoorden.csv")).await;
    let csv = String::from_utf8_lossy(&csv);
    for absent in ["Notitie voor de beheerder", "geheime notitie", "Naam van uw praktijk", "De Linde"] {
        assert!(!csv.contains(absent), "{absent} in the werkgroep's export: {csv}");
    }
    assert!(csv.contains("Gewone opmerking 0"), "the texts for reading stay: {csv}");

    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let csv = admin.get_bytes(&format!("/werkgroep/ronde/{round}/download/antwoorden.csv")).await;
    let csv = String::from_utf8_lossy(&csv);
    for present in ["Notitie voor de beheerder", "geheime notitie 3", "Naam van uw praktijk", "De Linde 2"] {
        assert!(csv.contains(present), "{present} missing from the administrator's export: {csv}");
    }
}

#[tokio::test]
async fn a_werkgroep_member_reads_the_addresses_read_by_names_with_who_gave_them_and_no_others() {
    let (app, round, _forms) = closed_round(false).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (_, page) = member.get(&format!("/werkgroep/ronde/{round}")).await;
    let page = unescape(&page);
    assert!(page.contains(&format!("/werkgroep/ronde/{round}/e-mailadressen/vervolg")), "{page}");
    assert!(!page.contains(&format!("/werkgroep/ronde/{round}/e-mailadressen/beheer_email")), "{page}");

    let (status, list) = member.get(&format!("/werkgroep/ronde/{round}/e-mailadressen/vervolg")).await;
    assert_eq!(status, 200, "{list}");
    for i in 0..6 {
        let row = format!("<td>Arts noord {i}</td><td><a href=\"mailto:vervolg{i}@praktijk.example.org\">");
        assert!(list.contains(&row), "missing {row} in {list}");
    }
    assert!(!list.contains("beheer0@"), "{list}");
    for refused in ["beheer_email", "opmerking", "praktijk", "nergens"] {
        let (status, body) = member.get(&format!("/werkgroep/ronde/{round}/e-mailadressen/{refused}")).await;
        assert_eq!(status, 404, "{refused}: {body}");
        assert!(!body.contains("@praktijk.example.org"), "{refused}: {body}");
    }
    assert_eq!(free_text_reads(&app).await, [format!("ronde {round}, e-mailadressen bij vraag vervolg")]);
}

#[tokio::test]
async fn an_administrator_reads_the_addresses_a_form_keeps_for_administrators() {
    let (app, round, _forms) = closed_round(false).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (_, page) = admin.get(&format!("/werkgroep/ronde/{round}")).await;
    assert!(unescape(&page).contains(&format!("/werkgroep/ronde/{round}/e-mailadressen/beheer_email")));
    let (status, list) = admin.get(&format!("/werkgroep/ronde/{round}/e-mailadressen/beheer_email")).await;
    assert_eq!(status, 200, "{list}");
    assert!(
        list.contains("<td>Arts noord 4</td><td><a href=\"mailto:beheer4@praktijk.example.org\">"),
        "{list}"
    );
    let (status, _) = admin.get(&format!("/werkgroep/ronde/{round}/e-mailadressen/vervolg")).await;
    assert_eq!(status, 200, "an administrator reads what the werkgroep reads");
    assert_eq!(free_text_reads(&app).await.len(), 2);
}

#[tokio::test]
async fn an_anonymous_round_never_lists_addresses_to_anyone() {
    let (app, round, _forms) = closed_round(true).await;
    for (email, role) in [("lid@example.org", Role::Werkgroep), ("beheer@example.org", Role::Admin)] {
        let session = app.login_as(email, role).await;
        let (status, page) = session.get(&format!("/werkgroep/ronde/{round}")).await;
        assert_eq!(status, 200, "{page}");
        assert!(!page.contains("e-mailadressen"), "{page}");
        for question in ["vervolg", "beheer_email"] {
            let (status, body) =
                session.get(&format!("/werkgroep/ronde/{round}/e-mailadressen/{question}")).await;
            assert_eq!(status, 404, "{email} {question}: {body}");
            assert!(!body.contains("@praktijk.example.org"), "{body}");
        }
    }
    assert!(free_text_reads(&app).await.is_empty());
}
