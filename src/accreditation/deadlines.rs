//! The registers still owed: every (session, register) whose attendance was recorded, with
//! someone present whose role counts, and not yet marked entered; with its deadline (GAIA: 2
//! months after the session, Deel A of the POH-GGZ register: 6 weeks). `/beheer` shows them,
//! the overdue first, until the organiser marks each entered.

use chrono::{DateTime, Utc};

use super::Register;
use crate::db::{Pool, Timestamp};
use crate::signup::SessionId;

/// One register a session's attendance still has to go into.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Due {
    pub session: SessionId,
    pub title: String,
    pub ended: DateTime<Utc>,
    pub register: String,
    pub register_name: String,
    pub due: DateTime<Utc>,
    pub overdue: bool,
}

#[derive(sqlx::FromRow)]
struct Attended {
    id: SessionId,
    title: String,
    #[sqlx(try_from = "Timestamp")]
    ends_at: DateTime<Utc>,
    accreditation_json: String,
}

/// What is still owed at `now`, earliest deadline first (so the overdue lead).
pub async fn pending(pool: &Pool, now: DateTime<Utc>) -> Result<Vec<Due>, sqlx::Error> {
    let sessions: Vec<Attended> = sqlx::query_as(
        "SELECT s.id, s.title, s.ends_at, r.accreditation_json FROM sessions s JOIN rounds r ON r.id = s.round_id \
         WHERE r.accreditation_json <> '[]' \
         AND EXISTS (SELECT 1 FROM seats st WHERE st.session_id = s.id AND st.status = 'confirmed' AND st.attended = 1)",
    )
    .fetch_all(pool)
    .await?;
    let mut owed = Vec::new();
    for session in sessions {
        // A stored list that no longer reads is logged where the round's page reads it.
        let registers: Vec<Register> = serde_json::from_str(&session.accreditation_json).unwrap_or_default();
        let entered: Vec<String> =
            sqlx::query_scalar("SELECT register FROM register_entries WHERE session_id = $1")
                .bind(session.id)
                .fetch_all(pool)
                .await?;
        let roles: Vec<String> = sqlx::query_scalar(
            "SELECT DISTINCT c.role FROM seats st JOIN invitations i ON i.id = st.invitation_id \
             JOIN contacts c ON c.id = i.contact_id \
             WHERE st.session_id = $1 AND st.status = 'confirmed' AND st.attended = 1",
        )
        .bind(session.id)
        .fetch_all(pool)
        .await?;
        for register in registers {
            if entered.contains(&register.id) || !roles.iter().any(|role| register.counts_for(role)) {
                continue;
            }
            // A register the participant enters herself owes the organiser nothing.
            let Some(due) = register.deadline.due(session.ends_at) else { continue };
            owed.push(Due {
                session: session.id,
                title: session.title.clone(),
                ended: session.ends_at,
                register: register.id,
                register_name: register.name,
                due,
                overdue: due < now,
            });
        }
    }
    owed.sort_by(|a, b| (a.due, a.session, &a.register).cmp(&(b.due, b.session, &b.register)));
    Ok(owed)
}
