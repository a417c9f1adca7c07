//! The access log as NEN 7513 asks: every view of identified answers or personal data and every
//! export writes one entry with what, when, who, whose data, on whose behalf and via what, and
//! no entry holds answers, tokens or addresses. The logbook finds a person's entries by their
//! contact number.

mod mail;
mod results;
mod staff;

use peil::audit::AuditEntry;

use crate::helpers::TestApp;

/// The newest entry's id: what a step writes comes after it.
pub async fn mark(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .expect("audit")
}

/// Every entry after `since`, oldest first.
pub async fn since(app: &TestApp, since: i64) -> Vec<AuditEntry> {
    let mut all = peil::audit::list(&app.pool, 100_000).await.expect("audit");
    all.retain(|e| e.id > since);
    all.reverse();
    all
}

/// The one entry of `action` written after `since`; fails on none or more than one.
pub async fn the_one(app: &TestApp, since_id: i64, action: &str) -> AuditEntry {
    let mut found: Vec<AuditEntry> =
        since(app, since_id).await.into_iter().filter(|e| e.action == action).collect();
    assert_eq!(found.len(), 1, "one {action} entry: {found:?}");
    found.remove(0)
}

/// Who, on whose behalf and via, as one tuple to compare.
pub fn who(entry: &AuditEntry) -> (Option<&str>, Option<&str>, Option<&str>) {
    (entry.actor.as_deref(), entry.on_behalf.as_deref(), entry.via.as_deref())
}

/// A logged-in user's request, as the test's client makes it (to 127.0.0.1).
pub const WEB: &str = "web 127.0.0.1";

/// The entry was written now (the app's clock), not at some other moment.
pub fn written_now(app: &TestApp, entry: &AuditEntry) {
    let off = (entry.at - app.now()).num_seconds().abs();
    assert!(off < 120, "written at {} while it is {}", entry.at, app.now());
}

/// No entry after `since` holds an address, or any of `secrets` (answers, tokens, names), in
/// what it says about what was read: only the actor column names a person, the staff member.
pub async fn nothing_personal(app: &TestApp, since_id: i64, secrets: &[String]) {
    for entry in since(app, since_id).await {
        let fields = [&Some(entry.detail.clone()), &entry.subject, &entry.on_behalf, &entry.via];
        for text in fields.into_iter().flatten() {
            assert!(!text.contains('@'), "an address in {entry:?}");
            for secret in secrets {
                assert!(!text.contains(secret.as_str()), "{secret:?} in {entry:?}");
            }
        }
    }
}
