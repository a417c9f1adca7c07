//! Rounds after they open (issue 23): closing, extending, inviting late contacts and reminding,
//! from the domain functions, the command line and `/beheer/rondes`; and the answering pages
//! seeing a round's new dates at once.

mod cache;
mod cli;
mod manage;
mod pages;

use peil::audit::AuditEntry;

use crate::helpers::{CONTACTS, TestApp};

/// The app with the four test contacts and a round of `crisisdienst` for the three huisartsen.
async fn with_round() -> (TestApp, peil::rounds::RoundId) {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    (app, round)
}

/// The audit rows of `action`, newest first.
async fn audited(app: &TestApp, action: &str) -> Vec<AuditEntry> {
    peil::audit::list(&app.pool, 1000)
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == action)
        .collect()
}

/// The statuses of the round's outbox rows of `kind`, sorted.
async fn mail_statuses(app: &TestApp, round: peil::rounds::RoundId, kind: &str) -> Vec<String> {
    let mut statuses: Vec<String> =
        sqlx::query_scalar("SELECT status FROM outbox WHERE round_id = $1 AND kind = $2")
            .bind(round)
            .bind(kind)
            .fetch_all(&app.pool)
            .await
            .expect("outbox");
    statuses.sort();
    statuses
}
