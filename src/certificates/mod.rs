//! Certificates of attendance (bewijs van deelname): issued when attendance is recorded as
//! present (`signup::seats::mark_attended`), withdrawn when it is undone, and the same
//! certificate again when it is recorded once more. Each carries a verification code (`code`)
//! that `/bewijs/<code>` confirms. Its `content` is a snapshot taken at issue, exactly what the
//! PDF (`pdf`) and the verification page show, so a later change to the contact or the session
//! does not change a certificate someone already uploaded. The organisation's name and the
//! address to check the code come from the settings when the PDF is drawn (`Issuer`).
//!
//! `overview` is the year overview per person: every attended session of a calendar year.

mod code;
pub mod overview;
pub mod pdf;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Amsterdam;
use serde::{Deserialize, Serialize};

pub use code::Code;
pub use overview::{Overview, year};

use crate::db::{Pool, Timestamp, Write};
use crate::outbox::{self, MailKind, Queue};
use crate::rounds::InvitationId;
use crate::signup::SeatId;

#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    #[error("there is no seat {0}")]
    UnknownSeat(SeatId),
    #[error("certificate content cannot be read: {0}")]
    Content(#[from] serde_json::Error),
    #[error(transparent)]
    Outbox(#[from] crate::outbox::OutboxError),
    #[error(transparent)]
    Pdf(#[from] crate::pdf::PdfError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// What a certificate says, as issued.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Content {
    /// Voorletters and achternaam when the person gave them, else the contact's name.
    pub name: String,
    /// The session's title ("Intervisiegroep West").
    pub session: String,
    /// The round's title ("Intervisie POH-GGZ voorjaar 2027").
    pub round: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The group's leader ("kaderhuisarts ggz"); empty when not given.
    pub leader: String,
    /// The accreditation ID (GAIA, PE-online); empty when not given.
    pub activity_id: String,
    /// Accreditation points, when the job gives them.
    pub points: Option<f64>,
}

impl Content {
    /// "dinsdag 9 maart 2027".
    pub fn date(&self) -> String {
        crate::time::dutch_long_date(self.starts_at.with_timezone(&Amsterdam).date_naive())
    }

    /// "13.30–15.30 uur".
    pub fn times(&self) -> String {
        let (from, to) = (self.starts_at.with_timezone(&Amsterdam), self.ends_at.with_timezone(&Amsterdam));
        format!("{}\u{2013}{} uur", from.format("%H.%M"), to.format("%H.%M"))
    }

    /// "2 uur", "2,5 uur".
    pub fn hours(&self) -> String {
        hours((self.ends_at - self.starts_at).num_minutes())
    }

    /// "2", "1,5": the points as a Dutch number, when given.
    pub fn points_text(&self) -> Option<String> {
        self.points.map(number)
    }
}

/// `minutes` as hours in Dutch: "2 uur", "2,5 uur", "1,75 uur".
pub fn hours(minutes: i64) -> String {
    format!("{} uur", number(minutes as f64 / 60.0))
}

/// A number with at most two decimals and a decimal comma: 2 → "2", 2.5 → "2,5".
pub fn number(value: f64) -> String {
    let text = format!("{value:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    text.replace('.', ",")
}

/// The organisation that issues, and where codes are checked: from the settings, the same for
/// every certificate of one installation.
#[derive(Clone, Debug)]
pub struct Issuer {
    pub organisation: String,
    /// `https://peil.example.org`, without a trailing slash.
    pub base_url: String,
}

impl Issuer {
    pub fn of(settings: &crate::settings::Settings) -> Issuer {
        Issuer {
            organisation: settings.organisation.contact().called,
            base_url: settings.base_url.trim_end_matches('/').to_string(),
        }
    }

    /// Where `code` is checked: `<base url>/bewijs/<code>`.
    pub fn check_url(&self, code: &Code) -> String {
        format!("{}/bewijs/{code}", self.base_url)
    }
}

/// A certificate as stored.
#[derive(Clone, Debug, PartialEq)]
pub struct Certificate {
    pub code: Code,
    pub seat: SeatId,
    pub content: Content,
    pub issued_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    code: String,
    seat_id: SeatId,
    content: String,
    issued_at: Timestamp,
    withdrawn_at: Option<Timestamp>,
}

impl Row {
    fn certificate(self) -> Result<Certificate, CertificateError> {
        Ok(Certificate {
            code: Code::stored(self.code),
            seat: self.seat_id,
            content: serde_json::from_str(&self.content)?,
            issued_at: self.issued_at.at(),
            withdrawn_at: self.withdrawn_at.map(Timestamp::at),
        })
    }
}

/// How long a certificate's mail waits after the tick: time to undo a mistaken "Iedereen
/// aanwezig" at the door before anyone who was not there receives a certificate.
pub const MAIL_GRACE: chrono::Duration = chrono::Duration::minutes(10);

/// Issues the certificate of `seat` (or makes a withdrawn one valid again, with its code and
/// content) and queues its mail, [`MAIL_GRACE`] later, in the caller's transaction. The mail's dedupe key is the
/// seat's, so a person marked present, absent and present again gets one mail; if the worker
/// dropped it meanwhile (withdrawn when its turn came), it goes back in the queue.
pub async fn issue(tx: &mut Write, seat: SeatId, now: DateTime<Utc>) -> Result<(), CertificateError> {
    let again = sqlx::query("UPDATE certificates SET withdrawn_at = NULL WHERE seat_id = $1")
        .bind(seat)
        .execute(&mut **tx)
        .await?;
    if again.rows_affected() == 0 {
        let content = snapshot(tx, seat).await?;
        sqlx::query("INSERT INTO certificates (code, seat_id, content, issued_at) VALUES ($1, $2, $3, $4)")
            .bind(Code::random().as_str())
            .bind(seat)
            .bind(serde_json::to_string(&content)?)
            .bind(Timestamp::from(now))
            .execute(&mut **tx)
            .await?;
    }
    let due = now + MAIL_GRACE;
    outbox::enqueue(tx, Queue::Seat(MailKind::Certificate, seat, ""), due, now).await?;
    outbox::requeue_cancelled_seat_mail(tx, MailKind::Certificate, seat, due).await?;
    Ok(())
}

/// Withdraws the certificate of `seat`, if it has a valid one, in the caller's transaction.
pub async fn withdraw(tx: &mut Write, seat: SeatId, now: DateTime<Utc>) -> Result<(), CertificateError> {
    sqlx::query("UPDATE certificates SET withdrawn_at = $2 WHERE seat_id = $1 AND withdrawn_at IS NULL")
        .bind(seat)
        .bind(Timestamp::from(now))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Facts {
    session: String,
    round: String,
    starts_at: Timestamp,
    ends_at: Timestamp,
    leader: String,
    activity_id: String,
    points: f64,
    name: String,
    initials: String,
    surname: String,
}

/// What the certificate of `seat` says, read now.
async fn snapshot(tx: &mut Write, seat: SeatId) -> Result<Content, CertificateError> {
    let facts: Facts = sqlx::query_as(
        "SELECT s.title AS session, r.title AS round, s.starts_at, s.ends_at, s.leader, s.activity_id, \
         s.points, c.name, c.initials, c.surname FROM seats st JOIN sessions s ON s.id = st.session_id \
         JOIN rounds r ON r.id = s.round_id JOIN invitations i ON i.id = st.invitation_id \
         JOIN contacts c ON c.id = i.contact_id WHERE st.id = $1",
    )
    .bind(seat)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(CertificateError::UnknownSeat(seat))?;
    Ok(Content {
        name: register_name(&facts.initials, &facts.surname, &facts.name),
        session: facts.session,
        round: facts.round,
        starts_at: facts.starts_at.at(),
        ends_at: facts.ends_at.at(),
        leader: facts.leader,
        activity_id: facts.activity_id,
        points: (facts.points > 0.0).then_some(facts.points),
    })
}

/// "J.A. van den Berg" when the register details are known, else the contact's name.
pub fn register_name(initials: &str, surname: &str, name: &str) -> String {
    match (initials.trim(), surname.trim()) {
        (_, "") => name.trim().to_string(),
        ("", surname) => surname.to_string(),
        (initials, surname) => format!("{initials} {surname}"),
    }
}

/// The certificate with `code`, valid or withdrawn.
pub async fn by_code(pool: &Pool, code: &Code) -> Result<Option<Certificate>, CertificateError> {
    let row: Option<Row> = sqlx::query_as(
        "SELECT code, seat_id, content, issued_at, withdrawn_at FROM certificates WHERE code = $1",
    )
    .bind(code.as_str())
    .fetch_optional(pool)
    .await?;
    row.map(Row::certificate).transpose()
}

/// The certificate of `seat`, valid or withdrawn.
pub async fn of_seat<'e, E>(db: E, seat: SeatId) -> Result<Option<Certificate>, CertificateError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let row: Option<Row> = sqlx::query_as(
        "SELECT code, seat_id, content, issued_at, withdrawn_at FROM certificates WHERE seat_id = $1",
    )
    .bind(seat)
    .fetch_optional(db)
    .await?;
    row.map(Row::certificate).transpose()
}

/// The valid certificates of an invitation's seats, in session order.
pub async fn of_invitation(
    pool: &Pool,
    invitation: InvitationId,
) -> Result<Vec<Certificate>, CertificateError> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT ce.code, ce.seat_id, ce.content, ce.issued_at, ce.withdrawn_at FROM certificates ce \
         JOIN seats st ON st.id = ce.seat_id JOIN sessions s ON s.id = st.session_id \
         WHERE st.invitation_id = $1 AND ce.withdrawn_at IS NULL ORDER BY s.starts_at, st.id",
    )
    .bind(invitation)
    .fetch_all(pool)
    .await?;
    rows.into_iter().map(Row::certificate).collect()
}

/// The PDF of `certificate`.
pub fn pdf(certificate: &Certificate, issuer: &Issuer) -> Result<Vec<u8>, CertificateError> {
    Ok(pdf::certificate(&certificate.content, &certificate.code, issuer)?)
}

/// Deletes a seat's certificate in the caller's transaction (the person's erasure,
/// `persons::erase`): its code then confirms nothing. The rows removed.
pub async fn remove(tx: &mut Write, seat: SeatId) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM certificates WHERE seat_id = $1").bind(seat).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

/// The certificates of the seats of `round`'s sessions that ended at or before `cutoff`: the
/// attendance term is over and the seats go. The rows removed.
pub(crate) async fn remove_of_past_seats(
    tx: &mut Write,
    round: crate::rounds::RoundId,
    cutoff: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(concat!(
        "DELETE FROM certificates WHERE seat_id IN (",
        crate::signup::retention::past_seats!(),
        ")"
    ))
    .bind(round)
    .bind(Timestamp::from(cutoff))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_and_points_are_dutch_numbers_without_needless_decimals() {
        assert_eq!(hours(120), "2 uur");
        assert_eq!(hours(150), "2,5 uur");
        assert_eq!(hours(105), "1,75 uur");
        assert_eq!(number(10.0), "10");
        assert_eq!(number(1.5), "1,5");
    }

    #[test]
    fn the_name_is_the_registers_when_known_and_the_contacts_otherwise() {
        assert_eq!(register_name("J.A.", "van den Berg", "Jet van den Berg"), "J.A. van den Berg");
        assert_eq!(register_name("", "", "Jet van den Berg"), "Jet van den Berg");
        assert_eq!(register_name("J.A.", "", "Jet"), "Jet");
    }
}
