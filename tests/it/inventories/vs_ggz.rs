//! The VS-GGZ monitor reaches the GPs and POH-GGZ of the practices its job lists, and its
//! quarters line up on the job's trend page.

use chrono::Duration;
use peil::accounts::Role;
use peil::forms::Answer;
use peil::rounds::RoundId;

use super::scheduler;
use crate::helpers::TestApp;
use crate::results::{answers, close, submit};

const JOB: &str = "vs-ggz-overbrugging";

/// Six GPs and four POH-GGZ in two of the job's practices (one written with other capitals and
/// spaces, as an office might type it), and four people it must not reach: a GP and a POH-GGZ
/// elsewhere, the VS-GGZ herself, and a wijkmanager.
fn contacts() -> String {
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for i in 0..6 {
        let practice =
            if i % 2 == 0 { "Huisartsenpraktijk De Linde" } else { "huisartsenpraktijk  het anker " };
        csv.push_str(&format!("Arts {i};arts{i}@example.org;huisarts;{practice};noord;Stad\n"));
    }
    for i in 0..4 {
        csv.push_str(&format!("Poh {i};poh{i}@example.org;poh-ggz;Huisartsenpraktijk Het Anker;zuid;Stad\n"));
    }
    csv.push_str("Elders Arts;elders@example.org;huisarts;Praktijk Elders;noord;Stad\n");
    csv.push_str("Elders Poh;elderspoh@example.org;poh-ggz;Praktijk Elders;noord;Stad\n");
    csv.push_str("Vera Specialist;vera@example.org;vs-ggz;Huisartsenpraktijk De Linde;noord;Stad\n");
    csv.push_str("Wim Manager;wim@example.org;wijkmanager;Huisartsenpraktijk De Linde;noord;Stad\n");
    csv
}

async fn quarter(app: &TestApp, round: RoundId, relief: &[f64], opened: &str, closed: &str) {
    let links = app.links(round).await;
    assert_eq!(links.len(), relief.len());
    for (link, score) in links.iter().zip(relief) {
        let given = answers(&[
            ("ontlasting", Answer::Number(*score)),
            ("overbrugd", Answer::Number(3.0)),
            ("wachttijd", Answer::Number(9.5)),
        ]);
        submit(app, round, &link.url, given).await;
    }
    close(app, round, opened, closed).await;
}

#[tokio::test]
async fn the_vs_ggz_monitor_invites_only_the_gps_and_poh_ggz_of_the_listed_practices() {
    let app = TestApp::spawn().await;
    app.import_contacts(&contacts()).await;
    let (scheduler, _clock) = scheduler(&app);
    let rounds = scheduler.start_job(JOB).await.expect("start the monitor");
    assert_eq!(rounds.len(), 1, "one round for all practices together");
    let mut invited: Vec<String> = app.links(rounds[0]).await.into_iter().map(|l| l.email).collect();
    invited.sort();
    let mut expected: Vec<String> = (0..6)
        .map(|i| format!("arts{i}@example.org"))
        .chain((0..4).map(|i| format!("poh{i}@example.org")))
        .collect();
    expected.sort();
    assert_eq!(invited, expected);

    // The round keeps its practices: a GP added to a listed practice later is a late contact,
    // one added elsewhere is not.
    app.import_contacts(&format!(
        "{}Nieuw Arts;nieuw@example.org;huisarts;Huisartsenpraktijk De Linde;noord;Stad\n\
         Ander Arts;ander@example.org;huisarts;Praktijk Elders;noord;Stad\n",
        contacts()
    ))
    .await;
    let late = peil::rounds::late_contacts(&app.pool, rounds[0], peil::rounds::LateInvitation::Audience)
        .await
        .expect("late contacts");
    let late: Vec<&str> = late.iter().map(|c| c.email.as_str()).collect();
    assert_eq!(late, ["nieuw@example.org"]);
}

#[tokio::test]
async fn two_quarters_of_the_vs_ggz_monitor_show_side_by_side_on_its_trend_page() {
    let app = TestApp::spawn().await;
    app.import_contacts(&contacts()).await;
    let (scheduler, clock) = scheduler(&app);
    // April: relief 3 on average; July: 4.
    let april = scheduler.start_job(JOB).await.expect("start")[0];
    quarter(
        &app,
        april,
        &[2.0, 3.0, 3.0, 4.0, 3.0, 3.0, 2.0, 4.0, 3.0, 3.0],
        "2026-04-08T07:00:00Z",
        "2026-04-29T07:00:00Z",
    )
    .await;
    clock.advance(Duration::minutes(30));
    let july = scheduler.start_job(JOB).await.expect("start")[0];
    quarter(
        &app,
        july,
        &[4.0, 4.0, 5.0, 3.0, 4.0, 4.0, 5.0, 3.0, 4.0, 4.0],
        "2026-07-08T07:00:00Z",
        "2026-07-29T07:00:00Z",
    )
    .await;

    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = session.get(&format!("/werkgroep/job/{JOB}")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("apr 2026") && page.contains("juli 2026"), "both quarters: {page}");
    assert!(page.contains("ontlast door de VS-GGZ"), "the relief question is on the trend page: {page}");
    // The region's mean relief per quarter, and the change since the previous one.
    let row = crate::results::row_from(&page, "<th scope=\"row\">regio</th><td class=\"num\">3 (n=10)");
    assert!(row.contains("<td class=\"num\">4 (n=10)</td><td class=\"num\">+1</td>"), "{row}");
    assert!(page.contains("<svg"), "the trend is drawn: {page}");
}

#[tokio::test]
async fn starting_the_monitor_by_hand_names_the_listed_practices_missing_from_the_contact_list() {
    let folders = crate::jobs_page::folders();
    let app = crate::jobs_page::app_on(&folders).await;
    app.import_contacts(&contacts()).await;
    let admin = app.login_as("coordinator@example.org", Role::Admin).await;
    let (status, page) = admin.get(&format!("/beheer/jobs/{JOB}/starten")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Uitgenodigd worden 10 contactpersonen"), "{page}");
    // The contact list knows De Linde and Het Anker of the job's 20 practices.
    assert!(page.contains("18 praktijken uit het jobbestand staan niet in de contactlijst"), "{page}");
    assert!(
        page.contains("Huisartsenpraktijk De Horst") && !page.contains("Huisartsenpraktijk De Linde,"),
        "{page}"
    );
}
