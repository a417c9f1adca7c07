//! What the database itself keeps of the order and the sender of anonymous responses, beyond
//! what peil writes in them: on SQLite no hidden row counter; on PostgreSQL no transaction id
//! shared with the sender's invitation and no physical order of arrival.

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
async fn the_database_keeps_neither_the_order_nor_the_sender_of_anonymous_responses() {
    let forms = forms_dir(&[("anoniem", FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("anoniem", &[], true).await;
    for (link, score) in app.links(round).await.iter().take(3).zip(["1", "3", "5"]) {
        let path = link.url.trim_start_matches(&app.url);
        assert_eq!(app.post(path, &[("_page", "0"), ("tevreden", score)]).await.0, 200);
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 3);

    if !on_postgres() {
        let rowid = sqlx::query("SELECT rowid FROM responses").fetch_all(&app.pool).await;
        assert!(rowid.is_err(), "responses has no rowid that counts arrivals");
        return;
    }
    let responses = xmins(&app, "SELECT DISTINCT xmin::text FROM responses").await;
    assert_eq!(responses.len(), 1, "every response of the round written by one transaction");
    let senders = xmins(&app, "SELECT xmin::text FROM invitations WHERE answered = 1").await;
    assert_eq!(senders.len(), 3);
    let sharing = senders.iter().filter(|x| responses.contains(x)).count();
    assert!(sharing <= 1, "only the latest sender shares it, with all three responses");

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
