//! The results' queries on PostgreSQL: the same round as the page tests, read through the same
//! functions the pages use, on a database of its own (skipped when no PostgreSQL answers).

use peil::contacts::{self, Vocabulary};
use peil::forms::Answer;
use peil::results::export::{self, Reader};
use peil::results::privacy::Disclosure;
use peil::results::{Filter, Summary, Threshold, load};
use peil::rounds::{self, InvitationToken, OpenRequest};
use peil::settings::Secret;

use super::pages::PEILING;
use super::{answers, huisartsen};
use crate::helpers::forms_dir;

#[tokio::test]
async fn the_results_queries_give_the_same_figures_on_postgresql() {
    let Some(database) = crate::pg::Database::create().await else { return };
    let pool = peil::db::connect(&database.url).await.expect("migrations on PostgreSQL");
    let dir = forms_dir(&[("peiling", PEILING)]);
    let forms = peil::forms::load(dir.path()).expect("forms");
    let csv = dir.path().join("contacts.csv");
    std::fs::write(&csv, huisartsen(&[("noord", 6), ("zuid", 5), ("oost", 2)])).expect("csv");
    let vocabulary = Vocabulary { roles: forms.list_pairs("rollen"), wijken: forms.list_pairs("wijken") };
    contacts::import_csv(&pool, &csv, &vocabulary).await.expect("import");
    let secret = Secret::new(peil::crypto::random_b64(48));
    let request = OpenRequest {
        form_id: "peiling".into(),
        roles: vec!["huisarts".into()],
        wijken: vec![],
        gemeenten: vec![],
        closes_at: chrono::Utc::now() + chrono::Duration::days(7),
        anonymous: false,
        occurrence: None,
        signup: None,
    };
    let round = rounds::open(&pool, &forms, &secret, &request).await.expect("open").round;
    let scores = [("noord", [5, 5, 4, 4, 3, 2].as_slice()), ("zuid", &[4, 4, 4, 1, 2]), ("oost", &[1, 1])];
    let links = rounds::links(&pool, &secret, "http://peil.test", round).await.expect("links");
    let loaded = rounds::load(&pool, round).await.expect("round");
    for (wijk, wijk_scores) in scores {
        let mine = links.iter().filter(|l| l.email.ends_with(&format!("@{wijk}.example.org")));
        for (link, score) in mine.zip(wijk_scores) {
            let token = InvitationToken::parse(link.url.rsplit('/').next().expect("token")).expect("token");
            let invitation =
                rounds::find_invitation(&pool, &token).await.expect("lookup").expect("invitation");
            let given = answers(&[("ervaring", Answer::Number(f64::from(*score)))]);
            peil::responses::submit(&pool, &loaded, &invitation, &given, 5).await.expect("submit");
        }
    }
    sqlx::query("UPDATE rounds SET opens_at = '2026-10-01T07:00:00Z', closes_at = '2026-10-22T07:00:00Z'")
        .execute(&pool)
        .await
        .expect("close");
    let closed = rounds::load(&pool, round).await.expect("round");

    let row = load::one_round(&pool, round).await.expect("row").expect("the round");
    assert_eq!((row.invited, row.answered), (13, 13));
    assert_eq!(load::rounds(&pool).await.expect("rounds").len(), 1);
    assert!(load::job_rounds(&pool, "geen-job").await.expect("job rounds").is_empty());
    let siblings = load::siblings(&pool, &row).await.expect("siblings");
    let invited = load::invited(&pool, &siblings).await.expect("invited");
    assert_eq!(invited.invited.values().sum::<u64>(), 13);
    let threshold = Threshold::of(&closed.form, 5);
    let disclosure = Disclosure::new(&load::respondents(&pool, &siblings).await.expect("table"), threshold);
    assert_eq!(disclosure.count(&Filter::default()), Some(13));
    assert!(!disclosure.allows(&Filter { wijk: Some("zuid".into()), role: None }), "the complement of oost");

    let all = load::round_results(&pool, &closed, &Filter::default(), &disclosure).await.expect("results");
    let all = all.expect("the whole round may be shown");
    let Summary::Scale { mean, answered, .. } = &all.questions[0].summary else { panic!("a scale") };
    assert_eq!(*answered, 13);
    assert!((mean.expect("a mean") - 40.0 / 13.0).abs() < 1e-9);
    let noord = Filter { wijk: Some("noord".into()), role: None };
    let noord =
        load::round_results(&pool, &closed, &noord, &disclosure).await.expect("results").expect("noord");
    assert_eq!(noord.respondents, 6);
    let sheet = export::responses(&pool, &closed, &disclosure, &Filter::default(), Reader::Admin)
        .await
        .expect("export")
        .expect("a sheet");
    assert_eq!(sheet.rows.len(), 13);
    database.drop(pool).await;
}
