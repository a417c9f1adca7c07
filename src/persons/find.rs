//! Gathering a person's data (article 15): one read per kind, by contact, each as the record's
//! own type. The contact pages show parts of this too (`contacts::history`); this is the whole.

use chrono::{DateTime, Utc};

use super::record::*;
use super::{Address, PersonsError, answers, suppression};
use crate::contacts::ContactId;
use crate::db::{Pool, Timestamp};
use crate::responses::Seal;
use crate::rounds::RoundId;
use crate::settings::Secret;

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: ContactId,
    name: String,
    initials: String,
    surname: String,
    role: String,
    practice: String,
    wijk: String,
    gemeente: String,
    big_number: String,
    opted_out: i64,
    self_registered: i64,
    #[sqlx(try_from = "Timestamp")]
    created_at: DateTime<Utc>,
    #[sqlx(try_from = "Timestamp")]
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct InvitationRow {
    round_id: RoundId,
    title: String,
    form_id: String,
    anonymous: i64,
    #[sqlx(try_from = "Timestamp")]
    created_at: DateTime<Utc>,
    #[sqlx(try_from = "Timestamp")]
    opens_at: DateTime<Utc>,
    #[sqlx(try_from = "Timestamp")]
    closes_at: DateTime<Utc>,
    answered: i64,
}

#[derive(sqlx::FromRow)]
struct SeatRow {
    round_title: String,
    session_title: String,
    #[sqlx(try_from = "Timestamp")]
    starts_at: DateTime<Utc>,
    #[sqlx(try_from = "Timestamp")]
    ends_at: DateTime<Utc>,
    cancelled: i64,
    status: String,
    attended: Option<i64>,
    #[sqlx(try_from = "Timestamp")]
    created_at: DateTime<Utc>,
    #[sqlx(try_from = "Timestamp")]
    updated_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct CertificateRow {
    code: String,
    session_title: String,
    #[sqlx(try_from = "Timestamp")]
    issued_at: DateTime<Utc>,
    withdrawn_at: Option<Timestamp>,
}

#[derive(sqlx::FromRow)]
struct MailRow {
    kind: String,
    status: String,
    round_title: Option<String>,
    #[sqlx(try_from = "Timestamp")]
    created_at: DateTime<Utc>,
    sent_at: Option<Timestamp>,
    attempts: i64,
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    role: String,
    #[sqlx(try_from = "Timestamp")]
    created_at: DateTime<Utc>,
}

/// Everything peil holds about `address`; `Unknown` when that is nothing at all.
pub async fn find(
    pool: &Pool,
    secret: &Secret,
    address: &Address,
    now: DateTime<Utc>,
) -> Result<PersonRecord, PersonsError> {
    let contact = contact(pool, address).await?;
    let id = contact.as_ref().map(|c| c.id);
    let account: Option<AccountRow> = sqlx::query_as("SELECT role, created_at FROM users WHERE email = $1")
        .bind(address.as_str())
        .fetch_optional(pool)
        .await?;
    let mut record = PersonRecord {
        format: FORMAT,
        email: address.as_str().to_owned(),
        generated_at: now,
        contact,
        invitations: Vec::new(),
        answers: Vec::new(),
        drafts: Vec::new(),
        seats: Vec::new(),
        certificates: Vec::new(),
        mails: Vec::new(),
        account: account.map(|a| AccountData { role: a.role, created_at: a.created_at }),
        audit: super::about(pool, address, id).await?,
        erased_before_at: suppression::erased_at(pool, secret, address).await?,
    };
    if let Some(id) = id {
        record.invitations = invitations(pool, id, now).await?;
        record.answers = answers::answers(pool, id).await?;
        record.drafts = answers::drafts(pool, &Seal::new(secret), id).await?;
        record.seats = seats(pool, id).await?;
        record.certificates = certificates(pool, id).await?;
        record.mails = mails(pool, id).await?;
    }
    if record.is_empty() && record.erased_before_at.is_none() {
        return Err(PersonsError::Unknown);
    }
    Ok(record)
}

async fn contact(pool: &Pool, address: &Address) -> Result<Option<ContactData>, sqlx::Error> {
    let row: Option<ContactRow> = sqlx::query_as(
        "SELECT id, name, initials, surname, role, practice, wijk, gemeente, big_number, opted_out, \
         self_registered, created_at, updated_at FROM contacts WHERE email = $1",
    )
    .bind(address.as_str())
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let numbers: Vec<(String, String, Timestamp)> = sqlx::query_as(
        "SELECT register, number, updated_at FROM register_numbers WHERE contact_id = $1 ORDER BY register",
    )
    .bind(row.id)
    .fetch_all(pool)
    .await?;
    Ok(Some(ContactData {
        id: row.id,
        name: row.name,
        initials: row.initials,
        surname: row.surname,
        role: row.role,
        practice: row.practice,
        wijk: row.wijk,
        gemeente: row.gemeente,
        big_number: row.big_number,
        register_numbers: numbers
            .into_iter()
            .map(|(register, number, at)| RegisterNumber { register, number, updated_at: at.at() })
            .collect(),
        opted_out: row.opted_out != 0,
        self_registered: row.self_registered != 0,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }))
}

async fn invitations(
    pool: &Pool,
    id: ContactId,
    now: DateTime<Utc>,
) -> Result<Vec<InvitationData>, sqlx::Error> {
    let rows: Vec<InvitationRow> = sqlx::query_as(
        "SELECT r.id AS round_id, r.title, r.form_id, r.anonymous, i.created_at, r.opens_at, r.closes_at, \
         i.answered FROM invitations i JOIN rounds r ON r.id = i.round_id WHERE i.contact_id = $1 \
         ORDER BY i.created_at, i.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| InvitationData {
            round_id: r.round_id,
            round_title: r.title,
            form_id: r.form_id,
            anonymous: r.anonymous != 0,
            invited_at: r.created_at,
            opens_at: r.opens_at,
            closes_at: r.closes_at,
            answered: r.answered != 0,
            link_state: LinkState::of(r.opens_at, r.closes_at, now),
        })
        .collect())
}

async fn seats(pool: &Pool, id: ContactId) -> Result<Vec<SeatData>, sqlx::Error> {
    let rows: Vec<SeatRow> = sqlx::query_as(
        "SELECT r.title AS round_title, s.title AS session_title, s.starts_at, s.ends_at, s.cancelled, \
         st.status, st.attended, st.created_at, st.updated_at FROM seats st \
         JOIN invitations i ON i.id = st.invitation_id JOIN sessions s ON s.id = st.session_id \
         JOIN rounds r ON r.id = s.round_id WHERE i.contact_id = $1 ORDER BY s.starts_at, st.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| SeatData {
            round_title: r.round_title,
            session_title: r.session_title,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            session_cancelled: r.cancelled != 0,
            status: r.status,
            attended: r.attended.map(|a| a != 0),
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
        .collect())
}

async fn certificates(pool: &Pool, id: ContactId) -> Result<Vec<CertificateData>, sqlx::Error> {
    let rows: Vec<CertificateRow> = sqlx::query_as(
        "SELECT c.code, s.title AS session_title, c.issued_at, c.withdrawn_at FROM certificates c \
         JOIN seats st ON st.id = c.seat_id JOIN invitations i ON i.id = st.invitation_id \
         JOIN sessions s ON s.id = st.session_id WHERE i.contact_id = $1 ORDER BY c.issued_at",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| CertificateData {
            code: r.code,
            session_title: r.session_title,
            issued_at: r.issued_at,
            withdrawn_at: r.withdrawn_at.map(Timestamp::at),
        })
        .collect())
}

/// Mails by invitation or by seat (a seat's mails name their invitation too; the union is for
/// safety, not for rows of another person).
async fn mails(pool: &Pool, id: ContactId) -> Result<Vec<MailData>, sqlx::Error> {
    let rows: Vec<MailRow> = sqlx::query_as(
        "SELECT o.kind, o.status, r.title AS round_title, o.created_at, o.sent_at, o.attempts FROM outbox o \
         LEFT JOIN rounds r ON r.id = o.round_id \
         WHERE o.invitation_id IN (SELECT id FROM invitations WHERE contact_id = $1) \
         OR o.seat_id IN (SELECT st.id FROM seats st JOIN invitations i ON i.id = st.invitation_id \
         WHERE i.contact_id = $1) ORDER BY o.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| MailData {
            kind: r.kind,
            status: r.status,
            round_title: r.round_title,
            created_at: r.created_at,
            sent_at: r.sent_at.map(Timestamp::at),
            attempts: r.attempts,
        })
        .collect())
}
