//! Identified responses past their term: made anonymous (the form's default) while the round's
//! charts, response rates and trend counts read as before, or removed where the form says so.

use peil::results::load;

use super::{FORM, answer, app_with_round, past_closing, run};

/// What the round's pages count: respondents per (wijk, role), invited and answered per group,
/// and the overview's totals.
async fn figures(app: &crate::helpers::TestApp, round: peil::rounds::RoundId) -> String {
    let respondents = load::respondents(&app.pool, &[round]).await.expect("respondents");
    let invited = load::invited(&app.pool, &[round]).await.expect("invited");
    let row = load::one_round(&app.pool, round).await.expect("round").expect("a round");
    format!(
        "{:?} {:?} {:?} {} {}",
        respondents.cells, invited.invited, invited.answered.cells, row.invited, row.answered
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identified_response_past_its_term_loses_who_gave_it_and_the_round_keeps_its_figures() {
    let (app, round, _forms) = app_with_round(FORM).await;
    answer(&app, round, 0, "Anna de Vries", "4", "Goed overleg met de POH").await;
    answer(&app, round, 2, "Cor Smit", "5", "Korte lijnen").await;
    let before = figures(&app, round).await;

    past_closing(&app, round, 11).await;
    let early = run(&app, false).await;
    assert_eq!(early.anonymised, 0, "eleven months after closing they are kept as they are");
    assert_eq!(early.invitations, 2, "the invitations nobody answered went with their links: {early:?}");
    past_closing(&app, round, 12).await;
    let report = run(&app, false).await;
    assert_eq!((report.anonymised, report.removed, report.invitations), (2, 0, 2), "{report:?}");

    let rows: Vec<(Option<i64>, String, String, Option<String>)> = sqlx::query_as(
        "SELECT invitation_id, answers, submitted_on, updated_at FROM responses ORDER BY answers",
    )
    .fetch_all(&app.pool)
    .await
    .expect("responses");
    assert_eq!(rows.len(), 2, "anonymised, not removed");
    for (invitation, answers, day, updated) in &rows {
        assert_eq!(*invitation, None, "no invitation ties it to a person");
        assert!(
            !answers.contains("naam") && !answers.contains("Anna") && !answers.contains("Cor"),
            "{answers}"
        );
        assert!(answers.contains("tevreden") && answers.contains("toelichting"), "{answers}");
        assert_eq!(day.len(), 10, "the day only, not the time: {day}");
        assert_eq!(*updated, None);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM invitations").await, 0, "nobody's invitation is left");
    assert_eq!(figures(&app, round).await, before, "the charts, rates and trend counts read as before");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_that_says_remove_has_its_identified_responses_removed_at_their_term() {
    let form = FORM.replace(
        "responses = \"12 months after closing\"",
        "responses = \"6 months\"\nidentified = \"remove\"",
    );
    let (app, round, _forms) = app_with_round(&form).await;
    answer(&app, round, 0, "Anna de Vries", "4", "Goed overleg").await;
    past_closing(&app, round, 6).await;
    let report = run(&app, false).await;
    assert_eq!((report.anonymised, report.removed), (0, 1), "{report:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
    // The rate still counts who answered: the counts outlive the rows.
    let row = load::one_round(&app.pool, round).await.expect("round").expect("a round");
    assert_eq!((row.invited, row.answered), (4, 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_round_keeps_its_responses_and_loses_who_was_invited_and_who_answered() {
    let forms = crate::helpers::forms_dir(&[("samenwerking", FORM)]);
    let app = crate::helpers::TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(crate::helpers::CONTACTS).await;
    let round = app.open_round("samenwerking", &[], true).await;
    past_closing(&app, round, 3).await;
    let report = run(&app, false).await;
    assert_eq!((report.links, report.invitations, report.anonymised), (4, 4, 0), "{report:?}");
    let row = load::one_round(&app.pool, round).await.expect("round").expect("a round");
    assert_eq!(row.invited, 4, "the rate's base is kept as a count");
}
