//! What a message is built from, read at send time so that it reflects the present: the outbox
//! row's invitation, contact and round, and for a seat mail also the seat and its session as they
//! are now. The rows themselves are claimed and settled by `crate::outbox`.

use chrono::{DateTime, Utc};

use super::{MailError, OutboxId};
use crate::db::{Pool, Timestamp};
use crate::signup::{SeatId, SeatStatus};

/// What a message is built from, read at send time so that it reflects the present.
#[derive(Clone, Debug)]
pub struct Details {
    pub name: String,
    pub email: String,
    pub opted_out: bool,
    pub answered: bool,
    pub nonce: String,
    pub title: String,
    /// The round's form, whose privacy statement the mail links to.
    pub form_id: String,
    pub closes_at: DateTime<Utc>,
    pub anonymous: bool,
    /// A sign-up round (it has sessions).
    pub signup: bool,
    pub job_id: Option<String>,
    /// The seat a seat mail is about, as it stands now.
    pub seat: Option<SeatFacts>,
    /// The subject and text of a coordinator's message to a session (`session_notices`).
    pub notice: Option<(String, String)>,
}

/// A seat and its session at send time: what the mail says, whether it still applies, and what
/// its calendar file holds.
#[derive(Clone, Debug)]
pub struct SeatFacts {
    pub id: SeatId,
    pub status: SeatStatus,
    /// Place on the waiting list, counted from 1, for a waiting seat.
    pub position: Option<u32>,
    pub session: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub place: String,
    pub online_url: String,
    pub leader: String,
    pub cancelled: bool,
    /// The calendar SEQUENCE of the session as it is now.
    pub revision: u32,
    /// Until when the person's link can cancel the seat.
    pub cancel_until: DateTime<Utc>,
    /// Whether a calendar file for this seat went out already (a confirmation or promotion was
    /// sent): only then is there an entry for a cancellation to withdraw.
    pub published: bool,
}

/// `Details` as stored: flags are INTEGER 0/1 on both backends.
#[derive(sqlx::FromRow)]
struct DetailsRow {
    name: String,
    email: String,
    opted_out: i64,
    answered: i64,
    nonce: String,
    title: String,
    form_id: String,
    closes_at: Timestamp,
    anonymous: i64,
    signup: i64,
    job_id: Option<String>,
    seat_id: Option<SeatId>,
    notice_subject: Option<String>,
    notice_body: Option<String>,
}

/// The row's invitation, contact and round; `None` when it has no invitation.
pub async fn details(pool: &Pool, id: OutboxId) -> Result<Option<Details>, MailError> {
    let row: Option<DetailsRow> = sqlx::query_as(
        "SELECT c.name, c.email, c.opted_out, i.answered, i.nonce, r.title, r.form_id, r.closes_at, r.anonymous, \
         (SELECT COUNT(*) FROM sessions s WHERE s.round_id = r.id) AS signup, \
         r.job_id, o.seat_id, n.subject AS notice_subject, n.body AS notice_body \
         FROM outbox o JOIN invitations i ON i.id = o.invitation_id \
         JOIN contacts c ON c.id = i.contact_id JOIN rounds r ON r.id = i.round_id \
         LEFT JOIN session_notices n ON n.id = o.notice_id WHERE o.id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let seat = match row.seat_id {
        Some(seat) => Some(seat_facts(pool, id, seat).await?),
        None => None,
    };
    Ok(Some(Details {
        name: row.name,
        email: row.email,
        opted_out: row.opted_out != 0,
        answered: row.answered != 0,
        nonce: row.nonce,
        title: row.title,
        form_id: row.form_id,
        closes_at: row.closes_at.at(),
        anonymous: row.anonymous != 0,
        signup: row.signup != 0,
        job_id: row.job_id,
        seat,
        notice: row.notice_subject.zip(row.notice_body),
    }))
}

/// `SeatFacts` as stored, with the counts the query makes.
#[derive(sqlx::FromRow)]
struct SeatRow {
    status: String,
    title: String,
    starts_at: Timestamp,
    ends_at: Timestamp,
    place: String,
    online_url: String,
    leader: String,
    cancelled: i64,
    #[sqlx(try_from = "i64")]
    revision: u32,
    cancel_until_secs: i64,
    #[sqlx(try_from = "i64")]
    position: u32,
    published: i64,
}

/// The seat of outbox row `id`, with its waiting place counted now.
async fn seat_facts(pool: &Pool, id: OutboxId, seat: SeatId) -> Result<SeatFacts, MailError> {
    let row: SeatRow = sqlx::query_as(
        "SELECT st.status, s.title, s.starts_at, s.ends_at, s.place, s.online_url, s.leader, s.cancelled, \
         s.revision, r.cancel_until_secs, \
         (SELECT COUNT(*) FROM seats w WHERE w.session_id = st.session_id AND w.status = 'waiting' \
           AND w.id <= st.id) AS position, \
         (SELECT COUNT(*) FROM outbox p WHERE p.seat_id = st.id AND p.status = 'sent' \
           AND p.kind IN ('seat-confirmed', 'seat-promoted')) AS published \
         FROM seats st JOIN sessions s ON s.id = st.session_id JOIN rounds r ON r.id = s.round_id \
         WHERE st.id = $1",
    )
    .bind(seat)
    .fetch_optional(pool)
    .await?
    .ok_or(MailError::Corrupt(id.0, "seat"))?;
    let status = SeatStatus::parse(&row.status).ok_or(MailError::Corrupt(id.0, "seat status"))?;
    let starts_at = row.starts_at.at();
    Ok(SeatFacts {
        id: seat,
        status,
        position: (status == SeatStatus::Waiting).then_some(row.position),
        session: row.title,
        starts_at,
        ends_at: row.ends_at.at(),
        place: row.place,
        online_url: row.online_url,
        leader: row.leader,
        cancelled: row.cancelled != 0,
        revision: row.revision,
        cancel_until: starts_at - chrono::Duration::seconds(row.cancel_until_secs),
        published: row.published > 0,
    })
}
