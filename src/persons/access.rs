//! A person's data looked at (the page) or taken away (the JSON file, the command), each
//! written to the audit log by contact number: a request answered is itself on record, without
//! keeping the address that the erasure may remove next.

use chrono::{DateTime, Utc};

use super::{Address, PersonRecord, PersonsError, audit_name, find};
use crate::audit::{Actor, AuditAction, Entry};
use crate::db::Db;
use crate::settings::Secret;

/// The record for the page, audited as viewed.
pub async fn view(
    db: &Db,
    secret: &Secret,
    address: &Address,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<PersonRecord, PersonsError> {
    let record = find(db.read(), secret, address, now).await?;
    entry(AuditAction::PersonViewed, actor, now, record.contact_id()).log(db).await?;
    Ok(record)
}

/// The record as the JSON file (pretty-printed, for people to read as well), audited as exported.
pub async fn export(
    db: &Db,
    secret: &Secret,
    address: &Address,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(PersonRecord, String), PersonsError> {
    let record = find(db.read(), secret, address, now).await?;
    let json = serde_json::to_string_pretty(&record).map_err(|e| PersonsError::Stored(e.to_string()))?;
    entry(AuditAction::PersonExported, actor, now, record.contact_id()).log(db).await?;
    Ok((record, json))
}

/// The entry about a person's record: by contact number where there is a contact, so that the
/// logbook's "wiens gegevens" finds it, and never by address.
fn entry(
    action: AuditAction,
    actor: &Actor,
    now: DateTime<Utc>,
    contact: Option<crate::contacts::ContactId>,
) -> Entry<'_> {
    let entry = Entry::new(action, actor, now);
    match contact {
        Some(id) => entry.contact(id),
        None => entry.about(audit_name(None)),
    }
}
