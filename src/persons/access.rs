//! A person's data looked at (the page) or taken away (the JSON file, the command), each
//! written to the audit log by contact number: a request answered is itself on record, without
//! keeping the address that the erasure may remove next.

use chrono::{DateTime, Utc};

use super::{Address, PersonRecord, PersonsError, audit_name, find};
use crate::audit::{self, AuditAction};
use crate::db::Db;
use crate::settings::Secret;

/// The record for the page, audited as viewed.
pub async fn view(
    db: &Db,
    secret: &Secret,
    address: &Address,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<PersonRecord, PersonsError> {
    let record = find(db.read(), secret, address, now).await?;
    audit::log(db, now, actor, AuditAction::PersonViewed, &audit_name(record.contact_id())).await?;
    Ok(record)
}

/// The record as the JSON file (pretty-printed, for people to read as well), audited as exported.
pub async fn export(
    db: &Db,
    secret: &Secret,
    address: &Address,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(PersonRecord, String), PersonsError> {
    let record = find(db.read(), secret, address, now).await?;
    let json = serde_json::to_string_pretty(&record).map_err(|e| PersonsError::Stored(e.to_string()))?;
    audit::log(db, now, actor, AuditAction::PersonExported, &audit_name(record.contact_id())).await?;
    Ok((record, json))
}
