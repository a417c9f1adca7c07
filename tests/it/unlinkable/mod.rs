//! What the database itself keeps of the order and the sender of anonymous responses, beyond
//! what peil writes in them (issue 22, section 1): the responses wait sealed in a pool and are
//! released at least `min_group_size` at a time, by a transaction that marks nobody answered,
//! into places that follow their random ids. On SQLite a copy of the files is read as an attacker
//! would (`sqlite`); on PostgreSQL the rows' transaction ids and physical places are.

pub(crate) mod files;
/// Its round set-up serves `answering::together` too.
pub(crate) mod sqlite;

use crate::helpers::{CONTACTS, TestApp, forms_dir};
use crate::pg::on_postgres;

const FORM: &str = r#"
title = "Anoniem"
anonymous = true

[[pages]]
[[pages.questions]]
id = "tevreden"
type = "scale"
label = "Hoe tevreden bent u?"
options = "tevreden5"
required = true
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_responses_wait_sealed_until_enough_can_be_released_together() {
    let forms = forms_dir(&[("anoniem", FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("anoniem", &[], true).await;
    let links = app.links(round).await;
    // The smallest group is 3 (the floor under the test app's setting of 2): two responses wait,
    // the third releases all three, the fourth waits again.
    for (n, (link, score)) in links.iter().take(4).zip(["1", "3", "5", "2"]).enumerate() {
        let path = link.url.trim_start_matches(&app.url);
        assert_eq!(app.post(path, &[("_page", "0"), ("tevreden", score)]).await.0, 200);
        let (released, waiting) = ([0, 0, 3, 3][n], [1, 1, 0, 1][n]);
        assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, released, "after {}", n + 1);
        assert_eq!(app.count("SELECT COUNT(*) FROM anonymous_pool").await, waiting, "after {}", n + 1);
    }
    let sealed: String =
        sqlx::query_scalar("SELECT sealed FROM anonymous_pool").fetch_one(&app.pool).await.expect("pool");
    assert!(peil::responses::seal::is_sealed(&sealed), "the waiting response is sealed");
    assert!(
        String::from_utf8(app.seal().open(&sealed).expect("opens with the key"))
            .unwrap()
            .contains("tevreden")
    );

    // Closing releases the last one; the results see all four.
    app.clock.advance(chrono::Duration::days(8));
    app.scheduler.tick().await.expect("tick");
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 4);
    assert_eq!(app.count("SELECT COUNT(*) FROM anonymous_pool").await, 0);

    if !on_postgres() {
        let rowid = sqlx::query("SELECT rowid FROM responses").fetch_all(&app.pool).await;
        assert!(rowid.is_err(), "responses has no rowid that counts arrivals");
        return;
    }
    let responses = xmins(&app, "SELECT DISTINCT xmin::text FROM responses").await;
    assert_eq!(responses.len(), 1, "every response of the round written by one transaction");
    let senders = xmins(&app, "SELECT xmin::text FROM invitations WHERE answered = 1").await;
    assert_eq!(senders.len(), 4);
    assert!(senders.iter().all(|x| !responses.contains(x)), "the release marked nobody answered");

    let physical: Vec<String> =
        sqlx::query_scalar("SELECT id FROM responses ORDER BY ctid").fetch_all(&app.pool).await.expect("ids");
    let mut random = physical.clone();
    random.sort();
    assert_eq!(physical, random, "rows lie in the order of their random ids");
}

/// The ids of the transactions that wrote the rows `sql` selects (PostgreSQL's `xmin`).
async fn xmins(app: &TestApp, sql: &'static str) -> Vec<String> {
    sqlx::query_scalar(sql).fetch_all(&app.pool).await.expect("xmin")
}
