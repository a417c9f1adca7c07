//! The year overview of one person: every session of a calendar year (in Amsterdam) they were
//! recorded present at, over all rounds of their contact, with the hours and points of each and
//! the totals. For the POH-GGZ who uploads her intervisie hours to her register, and for GPs'
//! peer-review hours.

use chrono::{DateTime, Datelike, Utc};
use chrono_tz::Europe::Amsterdam;

use super::CertificateError;
use crate::contacts::ContactId;
use crate::db::{Pool, Timestamp};

/// One attended session.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub starts_at: DateTime<Utc>,
    /// Session and round: "Intervisiegroep West (Intervisie POH-GGZ 2027)".
    pub activity: String,
    pub minutes: i64,
    pub points: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Overview {
    pub name: String,
    pub year: i32,
    pub lines: Vec<Line>,
}

impl Overview {
    pub fn total_minutes(&self) -> i64 {
        self.lines.iter().map(|l| l.minutes).sum()
    }

    /// The sum of the points given, if any session gave points.
    pub fn total_points(&self) -> Option<f64> {
        let given: Vec<f64> = self.lines.iter().filter_map(|l| l.points).collect();
        (!given.is_empty()).then(|| given.iter().sum())
    }
}

#[derive(sqlx::FromRow)]
struct Attended {
    session: String,
    round: String,
    starts_at: Timestamp,
    ends_at: Timestamp,
    points: f64,
}

/// The overview of `contact` for `year`; `None` for a contact that does not exist.
pub async fn year(pool: &Pool, contact: ContactId, year: i32) -> Result<Option<Overview>, CertificateError> {
    let person: Option<(String, String, String)> =
        sqlx::query_as("SELECT name, initials, surname FROM contacts WHERE id = $1")
            .bind(contact)
            .fetch_optional(pool)
            .await?;
    let Some((name, initials, surname)) = person else { return Ok(None) };
    let lines = attended(pool, contact)
        .await?
        .into_iter()
        .filter(|a| a.starts_at.at().with_timezone(&Amsterdam).year() == year)
        .map(|a| Line {
            starts_at: a.starts_at.at(),
            activity: format!("{} ({})", a.session, a.round),
            minutes: (a.ends_at.at() - a.starts_at.at()).num_minutes(),
            points: (a.points > 0.0).then_some(a.points),
        })
        .collect();
    Ok(Some(Overview { name: super::register_name(&initials, &surname, &name), year, lines }))
}

/// Every session `contact` was recorded present at, oldest first.
async fn attended(pool: &Pool, contact: ContactId) -> Result<Vec<Attended>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.title AS session, r.title AS round, s.starts_at, s.ends_at, s.points \
         FROM seats st JOIN sessions s ON s.id = st.session_id JOIN rounds r ON r.id = s.round_id \
         JOIN invitations i ON i.id = st.invitation_id \
         WHERE i.contact_id = $1 AND st.attended = 1 AND st.status = 'confirmed' ORDER BY s.starts_at, st.id",
    )
    .bind(contact)
    .fetch_all(pool)
    .await
}

/// The calendar years in which `contact` attended a session, newest first.
pub async fn years(pool: &Pool, contact: ContactId) -> Result<Vec<i32>, CertificateError> {
    let mut years: Vec<i32> = attended(pool, contact)
        .await?
        .iter()
        .map(|a| a.starts_at.at().with_timezone(&Amsterdam).year())
        .collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    Ok(years)
}

/// The contact behind `invitation`: whose overview its link shows.
pub async fn contact_of(
    pool: &Pool,
    invitation: crate::rounds::InvitationId,
) -> Result<Option<ContactId>, CertificateError> {
    Ok(sqlx::query_scalar("SELECT contact_id FROM invitations WHERE id = $1")
        .bind(invitation)
        .fetch_optional(pool)
        .await?)
}
