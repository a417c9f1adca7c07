//! Who is on a session, as the coordinator's page shows it: the confirmed people, the waiting
//! list in its order, and the cancellations with when they happened (`seats.updated_at`).

use chrono::{DateTime, Utc};

use super::{SeatId, SeatStatus, SessionId, SignupError};
use crate::db::{Pool, Timestamp};

/// One seat of a session with its person.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Person {
    pub seat: SeatId,
    pub name: String,
    pub email: String,
    pub status: SeatStatus,
    /// When the seat was taken.
    pub since: DateTime<Utc>,
    /// When it last changed: for a cancelled seat, when it was cancelled.
    pub changed: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: SeatId,
    name: String,
    email: String,
    #[sqlx(try_from = "String")]
    status: SeatStatus,
    #[sqlx(try_from = "Timestamp")]
    created_at: DateTime<Utc>,
    #[sqlx(try_from = "Timestamp")]
    updated_at: DateTime<Utc>,
}

/// A session's people by status.
#[derive(Clone, Debug, Default, serde::Serialize)]
pub struct Roster {
    pub confirmed: Vec<Person>,
    /// In queue order: the first moves up first.
    pub waiting: Vec<Person>,
    /// Newest cancellation first.
    pub cancelled: Vec<Person>,
}

pub async fn of_session(pool: &Pool, session: SessionId) -> Result<Roster, SignupError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT st.id, c.name, c.email, st.status, st.created_at, st.updated_at FROM seats st \
         JOIN invitations i ON i.id = st.invitation_id JOIN contacts c ON c.id = i.contact_id \
         WHERE st.session_id = $1 ORDER BY st.id",
    )
    .bind(session)
    .fetch_all(pool)
    .await?;
    let mut roster = Roster::default();
    for row in rows {
        let person = Person {
            seat: row.id,
            name: row.name,
            email: row.email,
            status: row.status,
            since: row.created_at,
            changed: row.updated_at,
        };
        match person.status {
            SeatStatus::Confirmed => roster.confirmed.push(person),
            SeatStatus::Waiting => roster.waiting.push(person),
            SeatStatus::Cancelled => roster.cancelled.push(person),
        }
    }
    roster.cancelled.sort_by(|a, b| b.changed.cmp(&a.changed).then(b.seat.0.cmp(&a.seat.0)));
    Ok(roster)
}
