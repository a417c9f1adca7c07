//! The tally kept for a closed round (issue 27): pages read from it say exactly what a fresh fold
//! says, and anything that changes the round's responses (an erasure, a retention run, an edit by
//! hand) is seen at the next view; an open round is folded afresh after each answer.

use peil::accounts::Role;
use peil::forms::Answer;
use peil::persons::Address;
use peil::results::kept::{Fold, Stamp};
use peil::results::load;
use peil::results::privacy::{Disclosure, Table};
use peil::results::{Filter, Threshold};
use peil::rounds::RoundId;

use super::pages::{PEILING, closed_round};
use super::{answers, huisartsen, submit};
use crate::helpers::{Session, TestApp, forms_dir};

/// The pages a werkgroep member reads of `round`, each as it was served.
async fn pages(session: &Session, round: RoundId) -> Vec<String> {
    let id = round.0;
    let mut seen = Vec::new();
    for path in [
        format!("/werkgroep/ronde/{id}"),
        format!("/werkgroep/ronde/{id}?wijk=noord"),
        format!("/werkgroep/ronde/{id}?rol=huisarts"),
        format!("/werkgroep/ronde/{id}/rapport"),
        format!("/werkgroep/ronde/{id}/vrije-tekst/opmerking?wijk=noord"),
        format!("/werkgroep/ronde/{id}/grafiek/ervaring/svg"),
    ] {
        let (status, page) = session.get(&path).await;
        assert_eq!(status, 200, "{path}: {page}");
        seen.push(page);
    }
    seen
}

#[tokio::test]
async fn a_kept_tally_serves_the_same_pages_as_a_fresh_fold() {
    let (app, round, _forms) = closed_round().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    app.db.kept().clear();
    let fresh = pages(&session, round).await;
    assert!(!app.db.kept().is_empty(), "the folds are kept");
    let kept = pages(&session, round).await;
    assert_eq!(kept, fresh, "read from the kept folds");
    app.db.kept().clear();
    assert_eq!(pages(&session, round).await, fresh, "folded afresh");
}

#[tokio::test]
async fn an_erasure_changes_the_figures_of_a_kept_round() {
    let (app, round, _forms) = closed_round().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let path = format!("/werkgroep/ronde/{}", round.0);
    let (_, before) = session.get(&path).await;
    assert!(before.contains("13 respondenten") && before.contains("gemiddelde 3,1"), "{before}");

    let address = Address::parse("arts0@noord.example.org").expect("an address");
    let outbox = app.settings.data_dir.join("outbox");
    peil::persons::erase(&app.db, &app.secret, &outbox, &address, &peil::audit::Actor::cli(), app.now())
        .await
        .expect("erased");
    let (_, after) = session.get(&path).await;
    assert!(after.contains("12 respondenten"), "{after}");
    app.db.kept().clear();
    assert_eq!(session.get(&path).await.1, after, "as a fresh fold says");
}

#[tokio::test]
async fn a_change_by_hand_to_stored_answers_is_seen_at_the_next_view() {
    let (app, round, _forms) = closed_round().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let chart = format!("/werkgroep/ronde/{}/grafiek/kanaal/svg", round.0);
    let (_, before) = session.get(&chart).await;
    assert!(before.contains("Telefoon"), "{before}");
    // The number of responses stays; only the count of changes tells.
    sqlx::query("UPDATE responses SET answers = REPLACE(answers, 'telefoon', 'mail')")
        .execute(&app.pool)
        .await
        .expect("edited");
    let (_, after) = session.get(&chart).await;
    assert_ne!(after, before, "the chart is drawn from the edited answers");
    let fresh = {
        app.db.kept().clear();
        session.get(&chart).await.1
    };
    assert_eq!(after, fresh);
}

/// Everyone may be shown: the threshold's floor over whatever answered.
async fn everyone(app: &TestApp, round: RoundId) -> load::RoundResults {
    let table: Table = load::respondents(&app.pool, &[round]).await.expect("respondents");
    let disclosure = Disclosure::new(&table, Threshold(3));
    let loaded = peil::rounds::load(&app.pool, round).await.expect("round");
    load::round_results(&app.db, &loaded, &Filter::default(), &disclosure)
        .await
        .expect("results")
        .expect("shown")
}

#[tokio::test]
async fn an_open_round_is_folded_afresh_after_each_answer() {
    let forms = forms_dir(&[("peiling", PEILING)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 5)])).await;
    let round = app.open_round("peiling", &["huisarts"], false).await;
    let links = app.links(round).await;
    for (n, link) in links.iter().enumerate() {
        submit(&app, round, &link.url, answers(&[("ervaring", Answer::Number(4.0))])).await;
        if n >= 2 {
            assert_eq!(everyone(&app, round).await.respondents, n as u64 + 1);
        }
    }
}

#[tokio::test]
async fn a_kept_fold_is_not_used_once_its_stamp_no_longer_holds() {
    let (app, round, _forms) = closed_round().await;
    let before = everyone(&app, round).await;
    let stamp = Stamp::read(&app.pool, &[round]).await.expect("stamp");
    let fold = Fold::Group(Filter::default());
    assert!(app.db.kept().get(&[round], &fold, &stamp).is_some(), "kept");
    sqlx::query("DELETE FROM responses WHERE wijk = 'oost'").execute(&app.pool).await.expect("deleted");
    let now = Stamp::read(&app.pool, &[round]).await.expect("stamp");
    assert_ne!(now, stamp);
    assert!(app.db.kept().get(&[round], &fold, &now).is_none());
    assert_eq!(everyone(&app, round).await.respondents, before.respondents - 2);
}
