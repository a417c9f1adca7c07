//! Erasing a person (article 17) in one transaction: their seats are given up through the seat
//! code (a confirmed seat in a session still to come goes to the first on the waiting list, who is
//! mailed), then their mails, certificates, seats, drafts, identified answers, invitations,
//! register numbers and contact are deleted, the address is taken out of the audit log's details
//! and put on the suppression list. Attendance a register may still check is kept (see
//! [`keeps_attendance`]). Afterwards the database files are rid of the old rows too: SQLite
//! overwrites deleted content (`secure_delete`) and its WAL is truncated; PostgreSQL rewrites the
//! touched tables (`VACUUM FULL`).
//!
//! `plan` runs the very same steps and rolls them back, so the confirmation page shows exactly
//! what the erasure will do.

use chrono::{DateTime, Utc};

use std::path::Path;

use super::{Address, Erasure, Kept, PersonsError, Tally, mail_files, suppression};
use crate::audit::{self, AuditAction};
use crate::contacts::ContactId;
use crate::db::{Backend, Db, Timestamp, Write};
use crate::settings::Secret;
use crate::signup::{SeatId, SeatStatus, SessionId};

/// What an erasure of `address` would do, without doing it.
pub async fn plan(db: &Db, address: &Address, now: DateTime<Utc>) -> Result<Erasure, PersonsError> {
    let mut tx = db.write().await?;
    // Dropped uncommitted: rolled back, promotions and their mails included.
    carry_out(&mut tx, address, now).await
}

/// Erases `address`: all or nothing, audited by contact number, then scrubbed from the database
/// files, and from the `.eml` files in `mail_dir` (`data_dir/outbox`, used without SMTP).
pub async fn erase(
    db: &Db,
    secret: &Secret,
    mail_dir: &Path,
    address: &Address,
    actor: &audit::Actor,
    now: DateTime<Utc>,
) -> Result<Erasure, PersonsError> {
    let mut tx = db.write().await?;
    let mut erasure = carry_out(&mut tx, address, now).await?;
    suppression::add(&mut tx, secret, address, now).await?;
    let detail = audit_detail(&erasure);
    audit::Entry::new(AuditAction::PersonErased, actor, now)
        .contact(erasure.contact)
        .detail(detail)
        .record(&mut tx)
        .await?;
    tx.commit().await?;
    scrub(db).await?;
    erasure.removed.mail_files =
        mail_files::remove(mail_dir, address).await.map_err(PersonsError::MailFiles)?;
    Ok(erasure)
}

fn audit_detail(erasure: &Erasure) -> String {
    let t = &erasure.removed;
    format!(
        "{}: gewist ({} uitnodigingen, {} antwoorden, {} concepten, {} plaatsen, {} bewijzen, {} mails); \
         {} aanwezigheden bewaard als accreditatiebewijs",
        super::audit_name(Some(erasure.contact)),
        t.invitations,
        t.answers,
        t.drafts,
        t.seats,
        t.certificates,
        t.mails_waiting + t.mails_sent,
        erasure.kept.len()
    )
}

/// Rids the database files of what the transaction deleted.
async fn scrub(db: &Db) -> Result<(), sqlx::Error> {
    match db.backend() {
        Backend::Sqlite => db.truncate_wal().await,
        Backend::Postgres => {
            // FULL: a plain VACUUM marks the dead rows' space free but leaves their bytes in the
            // files; FULL writes each table and its indexes anew. It locks each table while it
            // does, which for tables of this size is a moment, and erasures are rare.
            // Outside any transaction, as VACUUM must be; as one plain statement. First the
            // queries that began before the erasure committed must end: a rewrite keeps every row
            // such a query could still see.
            db.wait_for_quiet(std::time::Duration::from_secs(30)).await?;
            sqlx::Executor::execute(
                db.read(),
                "VACUUM FULL contacts, register_numbers, invitations, drafts, responses, seats, certificates, \
                 outbox, audit_log, login_attempts",
            )
            .await?;
            Ok(())
        }
    }
}

/// A seat of the person's, as the erasure decides about it.
#[derive(sqlx::FromRow)]
struct Held {
    id: SeatId,
    session_id: SessionId,
    #[sqlx(try_from = "String")]
    status: SeatStatus,
    attended: Option<i64>,
    #[sqlx(try_from = "Timestamp")]
    starts_at: DateTime<Utc>,
    cancelled: i64,
    accreditation_json: String,
    round_title: String,
    session_title: String,
}

/// Whether a seat is kept as accreditation proof: attended, in a round whose activity counts for
/// a register. (A job's `[retention] attendance` term, once there, bounds how long; the daily
/// retention task removes it after that.)
fn keeps_attendance(seat: &Held) -> bool {
    let registers: Vec<serde_json::Value> =
        serde_json::from_str(&seat.accreditation_json).unwrap_or_default();
    seat.attended == Some(1) && !registers.is_empty()
}

async fn carry_out(tx: &mut Write, address: &Address, now: DateTime<Utc>) -> Result<Erasure, PersonsError> {
    let contact: ContactId = sqlx::query_scalar("SELECT id FROM contacts WHERE email = $1")
        .bind(address.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(PersonsError::NoContact)?;
    let accounts: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE email = $1")
        .bind(address.as_str())
        .fetch_one(&mut **tx)
        .await?;
    let (kept, gone): (Vec<Held>, Vec<Held>) =
        held(tx, contact).await?.into_iter().partition(keeps_attendance);
    let mut removed = Tally::default();
    remove_seats(tx, contact, &gone, now, &mut removed).await?;
    (removed.drafts, removed.answers) = crate::responses::erasure::remove_of_contact(tx, contact).await?;
    // Counted first, so that the rounds' response rates stay what they were (as at a retention
    // term): the person goes, the figure that they were invited and answered stays.
    let going = crate::rounds::invitations_to_remove_of_contact(tx, contact).await?;
    crate::retention::tallies::count(tx, &going).await?;
    removed.invitations = crate::rounds::remove_invitations_of_contact(tx, contact).await?;
    let kept = kept_with_certificates(tx, kept).await?;
    let contact_removed = kept.is_empty();
    if contact_removed {
        removed.register_numbers = crate::contacts::erasure::remove(tx, contact).await?;
    } else {
        crate::contacts::erasure::restrict(tx, contact, now).await?;
    }
    crate::accounts::forget_login_attempts(tx, address.as_str()).await?;
    removed.audit_entries = audit::forget_address(tx, address.as_str()).await?;
    Ok(Erasure { contact, removed, contact_removed, kept, account_kept: accounts > 0 })
}

/// Every seat the person holds or held.
async fn held(tx: &mut Write, contact: ContactId) -> Result<Vec<Held>, sqlx::Error> {
    sqlx::query_as(
        "SELECT st.id, st.session_id, st.status, st.attended, s.starts_at, s.cancelled, r.accreditation_json, \
         r.title AS round_title, s.title AS session_title FROM seats st \
         JOIN invitations i ON i.id = st.invitation_id JOIN sessions s ON s.id = st.session_id \
         JOIN rounds r ON r.id = s.round_id WHERE i.contact_id = $1 ORDER BY st.id",
    )
    .bind(contact)
    .fetch_all(&mut **tx)
    .await
}

/// Gives up the `gone` seats (the waiting lists move up), then removes the person's mails (which
/// name those seats) and the seats with their certificates.
async fn remove_seats(
    tx: &mut Write,
    contact: ContactId,
    gone: &[Held],
    now: DateTime<Utc>,
    removed: &mut Tally,
) -> Result<(), PersonsError> {
    for seat in gone {
        let given_up = crate::signup::erasure::give_up(
            tx,
            seat.id,
            seat.status,
            seat.session_id,
            seat.cancelled != 0,
            seat.starts_at,
            now,
        )
        .await?;
        removed.seats_freed += u64::from(given_up.freed);
        removed.promoted += u64::from(given_up.promoted);
    }
    (removed.mails_waiting, removed.mails_sent) = {
        let (waiting, all) = crate::outbox::erasure::remove_for_contact(tx, contact).await?;
        (waiting, all.saturating_sub(waiting))
    };
    for seat in gone {
        removed.certificates += crate::certificates::remove(tx, seat.id).await?;
        removed.seats += crate::signup::erasure::remove(tx, seat.id).await?;
    }
    Ok(())
}

/// The kept seats as the result names them, with their certificate's code.
async fn kept_with_certificates(tx: &mut Write, kept: Vec<Held>) -> Result<Vec<Kept>, sqlx::Error> {
    let mut out = Vec::with_capacity(kept.len());
    for seat in kept {
        let certificate: Option<String> =
            sqlx::query_scalar("SELECT code FROM certificates WHERE seat_id = $1")
                .bind(seat.id)
                .fetch_optional(&mut **tx)
                .await?;
        out.push(Kept {
            round_title: seat.round_title,
            session_title: seat.session_title,
            starts_at: seat.starts_at,
            certificate,
        });
    }
    Ok(out)
}
