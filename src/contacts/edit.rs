//! Changing one contact from their page: their fields, checked as a line of a list is
//! (`check_contact`), and undoing an opt-out, which needs a reason. Each in one transaction with
//! its audit row. A corrected address takes the contact's failed mails along: the outbox names
//! the invitation, not the address, so waiting mails go to the new address by themselves, and
//! the failed ones are queued again.

use chrono::{DateTime, Utc};

use super::{ContactId, NewContact, Problem, RawContact, Vocabulary, check_contact};
use crate::audit::{self, AuditAction};
use crate::db::{Db, Timestamp};
use crate::outbox::{self, OutboxError};

/// The longest reason for undoing an opt-out that the audit log keeps.
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error("no such contact")]
    NotFound,
    /// Every problem of the typed fields.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<Problem>),
    #[error("another contact has this e-mail address")]
    EmailTaken,
    #[error("the contact has not opted out")]
    NotOptedOut,
    #[error("a reason is required")]
    NoReason,
    #[error("the reason is longer than {MAX_REASON_CHARS} characters")]
    ReasonTooLong,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error(transparent)]
    Outbox(#[from] OutboxError),
}

impl EditError {
    /// The message for the contact's page, for the errors a coordinator can act on.
    pub fn dutch(&self) -> Option<String> {
        Some(match self {
            EditError::Invalid(problems) => problems.iter().map(Problem::dutch).collect::<Vec<_>>().join(" "),
            EditError::EmailTaken => "Dit e-mailadres hoort al bij een ander contact.".into(),
            EditError::NotOptedOut => "Dit contact is niet afgemeld; er is niets in te trekken.".into(),
            EditError::NoReason => "Geef een reden op: die komt in het logboek.".into(),
            EditError::ReasonTooLong => {
                format!("De reden is te lang: ten hoogste {MAX_REASON_CHARS} tekens.")
            }
            _ => return None,
        })
    }
}

/// What saving a contact did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Edited {
    /// The Dutch names of the fields that changed; empty when nothing did.
    pub changed: Vec<&'static str>,
    /// Failed mails queued again because the address changed.
    pub requeued: u64,
    /// Mails that were waiting and will go to the new address.
    pub waiting: u64,
}

/// Saves the typed fields of contact `id`. Refuses with every problem at once, and an address
/// another contact has.
pub async fn update(
    db: &Db,
    id: ContactId,
    typed: &RawContact<'_>,
    vocab: &Vocabulary,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Edited, EditError> {
    let new = check_contact(vocab, typed).map_err(EditError::Invalid)?;
    let mut tx = db.write().await?;
    let old: Option<super::StoredContact> =
        sqlx::query_as("SELECT email, name, role, practice, wijk, gemeente FROM contacts WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    let old = NewContact::from(old.ok_or(EditError::NotFound)?);
    let changed = changed_fields(&old, &new);
    if changed.is_empty() {
        return Ok(Edited::default());
    }
    if new.email != old.email {
        let taken: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM contacts WHERE email = $1 AND id <> $2")
            .bind(new.email.as_str())
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if taken > 0 {
            return Err(EditError::EmailTaken);
        }
    }
    sqlx::query(
        "UPDATE contacts SET email = $1, name = $2, role = $3, practice = $4, wijk = $5, gemeente = $6, \
         updated_at = $7 WHERE id = $8",
    )
    .bind(new.email.as_str())
    .bind(&new.name)
    .bind(&new.role)
    .bind(&new.practice)
    .bind(&new.wijk)
    .bind(&new.gemeente)
    .bind(Timestamp::from(now))
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let (mut waiting, mut requeued) = (0, 0);
    if new.email != old.email {
        waiting = outbox::waiting_for_contact(&mut tx, id).await?;
        requeued = outbox::requeue_failed_for_contact(&mut tx, id, now).await?;
    }
    let mut detail = format!("contact {id} ({}): {}", new.email, changed.join(", "));
    if new.email != old.email {
        detail.push_str(&format!(" (was {}); {requeued} mislukte mails opnieuw verstuurd", old.email));
    }
    audit::record(&mut tx, now, actor, AuditAction::ContactChanged, &detail).await?;
    tx.commit().await?;
    Ok(Edited { changed, requeued, waiting })
}

fn changed_fields(old: &NewContact, new: &NewContact) -> Vec<&'static str> {
    [
        ("naam", old.name != new.name),
        ("e-mail", old.email != new.email),
        ("rol", old.role != new.role),
        ("praktijk", old.practice != new.practice),
        ("wijk", old.wijk != new.wijk),
        ("gemeente", old.gemeente != new.gemeente),
    ]
    .into_iter()
    .filter_map(|(name, changed)| changed.then_some(name))
    .collect()
}

/// Makes contact `id` reachable again after they opted out, for `reason` (required; it goes
/// into the audit row). Mails cancelled by the opt-out stay cancelled; the contact is in the
/// audience of rounds opened from now on. Their own link can opt them out again.
pub async fn undo_opt_out(
    db: &Db,
    id: ContactId,
    reason: &str,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), EditError> {
    // Line breaks and other control characters would split the audit log's lines.
    let reason =
        reason.split(char::is_control).map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ");
    if reason.is_empty() {
        return Err(EditError::NoReason);
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(EditError::ReasonTooLong);
    }
    let mut tx = db.write().await?;
    let found: Option<(String, i64)> = sqlx::query_as("SELECT email, opted_out FROM contacts WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
    let (email, opted_out) = found.ok_or(EditError::NotFound)?;
    if opted_out == 0 {
        return Err(EditError::NotOptedOut);
    }
    sqlx::query("UPDATE contacts SET opted_out = 0, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(Timestamp::from(now))
        .execute(&mut *tx)
        .await?;
    let detail = format!("contact {id} ({email}): {reason}");
    audit::record(&mut tx, now, actor, AuditAction::OptOutUndone, &detail).await?;
    tx.commit().await?;
    Ok(())
}
