//! The organiser's session pages, `/beheer/rondes/<id>/bijeenkomsten` and
//! `/beheer/bijeenkomsten/<id>`, against the real app: sessions added, changed and cancelled,
//! the lists of one session, moving a person, enrolling a contact by hand, a message to everyone
//! (through a real SMTP server), and what is refused.

mod pages;
mod people;

use chrono::{Duration, Utc};
use peil::accounts::Role;
use peil::audit::AuditEntry;
use peil::rounds::RoundId;

use crate::helpers::{Session, TestApp};
use crate::signup::{link_paths, open_signup, poh_contacts, session, sign_up};

/// A sign-up round for six POH-GGZ with s1 (2 seats, 20 days ahead) and s2 (5 seats, 21 days
/// ahead); POH 01 and 02 have s1's seats, POH 03 and 04 wait in that order. Logged in as an
/// administrator. Returns the round, the ids of s1 and s2, and the people's link paths.
pub(super) struct Scene {
    pub app: TestApp,
    pub admin: Session,
    pub round: RoundId,
    pub s1: i64,
    pub s2: i64,
    pub links: Vec<String>,
}

impl Scene {
    pub async fn new() -> Scene {
        let app = TestApp::spawn().await;
        app.import_contacts(&poh_contacts(6)).await;
        let sessions = vec![
            session("s1", 2, Utc::now() + Duration::days(20)),
            session("s2", 5, Utc::now() + Duration::days(21)),
        ];
        let round = open_signup(&app, sessions, Duration::hours(24)).await;
        let links = link_paths(&app, round).await;
        for link in &links[..4] {
            assert_eq!(sign_up(&app, link, "s1").await, 303);
        }
        let id = |code: &'static str| {
            let pool = app.pool.clone();
            async move {
                sqlx::query_scalar::<_, i64>("SELECT id FROM sessions WHERE round_id = $1 AND code = $2")
                    .bind(round.0)
                    .bind(code)
                    .fetch_one(&pool)
                    .await
                    .expect("a session")
            }
        };
        let (s1, s2) = (id("s1").await, id("s2").await);
        let admin = app.login_as("beheer@example.org", Role::Admin).await;
        Scene { app, admin, round, s1, s2, links }
    }

    /// (status, address) of a session's seats, in queue order.
    pub async fn seats(&self, session: i64) -> Vec<(String, String)> {
        sqlx::query_as(
            "SELECT st.status, c.email FROM seats st JOIN invitations i ON i.id = st.invitation_id \
             JOIN contacts c ON c.id = i.contact_id WHERE st.session_id = $1 ORDER BY st.id",
        )
        .bind(session)
        .fetch_all(&self.app.pool)
        .await
        .expect("seats")
    }

    /// The addresses the outbox rows of `kind` go to, sorted.
    pub async fn mailed(&self, kind: &str) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT c.email FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
             JOIN contacts c ON c.id = i.contact_id WHERE o.kind = $1 ORDER BY c.email, o.id",
        )
        .bind(kind)
        .fetch_all(&self.app.pool)
        .await
        .expect("outbox")
    }

    pub async fn audited(&self, action: &str) -> Vec<AuditEntry> {
        let all = peil::audit::list(&self.app.pool, 1000).await.expect("audit");
        all.into_iter().filter(|e| e.action == action).collect()
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        self.app.count(sql).await
    }
}
