//! The coordinator's view and change of a contact's register details, on the contact's page:
//! every field (the BIG number and the number at each register a job declares or the contact
//! has), checked as on the person's own link, saved with its audit row in one transaction.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use super::asked::{self, Asked, FieldErrors, Typed};
use super::{Asks, PersonDetails, Register, person};
use crate::audit::{self, AuditAction};
use crate::contacts::ContactId;
use crate::db::Db;

#[derive(Debug, thiserror::Error)]
pub enum ChangeError {
    #[error("no such contact")]
    NotFound,
    /// A Dutch message per refused field.
    #[error("refused: {}", .0.keys().cloned().collect::<Vec<_>>().join(", "))]
    Invalid(FieldErrors),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// The fields a coordinator sees for a contact: the registers that ask a lidnummer in `declared`
/// (the jobs' registers), and any other register the contact has a number at.
pub fn fields(declared: &[Register], details: &PersonDetails) -> Asked {
    let mut registers: Vec<Register> = Vec::new();
    for register in declared.iter().filter(|r| r.asks == Asks::Lidnummer) {
        if !registers.iter().any(|r| r.id == register.id) {
            registers.push(register.clone());
        }
    }
    let known: BTreeSet<&str> = registers.iter().map(|r| r.id.as_str()).collect();
    let others: Vec<Register> = details
        .numbers
        .keys()
        .filter(|id| !known.contains(id.as_str()))
        .map(|id| Register {
            id: id.clone(),
            // A register no job declares any more: its id is all peil knows of it.
            name: id.clone(),
            roles: vec![],
            asks: Asks::Lidnummer,
            format: "{nummer}".into(),
            deadline: super::Deadline::Months(2),
        })
        .collect();
    registers.extend(others);
    Asked::everything(registers)
}

/// Saves `typed` for `contact` as a coordinator (`actor`) changed it, audited with the names of
/// the fields that changed (not their values). Nothing changed: nothing written.
pub async fn change(
    db: &Db,
    contact: ContactId,
    typed: &Typed<'_>,
    declared: &[Register],
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, ChangeError> {
    let email: Option<String> = sqlx::query_scalar("SELECT email FROM contacts WHERE id = $1")
        .bind(contact)
        .fetch_optional(db.read())
        .await?;
    let email = email.ok_or(ChangeError::NotFound)?;
    let before = person::of_contact(db.read(), contact).await?;
    let asked = fields(declared, &before);
    let after = asked::check(typed, &asked, &before).map_err(ChangeError::Invalid)?;
    let changed = changed(&before, &after, &asked);
    if changed.is_empty() {
        return Ok(changed);
    }
    let mut tx = db.write().await?;
    person::save(&mut tx, contact, &after, now).await?;
    let detail = format!("contact {contact} ({email}): accreditatiegegevens: {}", changed.join(", "));
    audit::record(&mut tx, now, actor, AuditAction::ContactChanged, &detail).await?;
    tx.commit().await?;
    Ok(changed)
}

fn changed(before: &PersonDetails, after: &PersonDetails, asked: &Asked) -> Vec<String> {
    let mut changed = Vec::new();
    if before.initials != after.initials {
        changed.push("voorletters".to_string());
    }
    if before.surname != after.surname {
        changed.push("achternaam".to_string());
    }
    if before.big_number != after.big_number {
        changed.push("BIG-nummer".to_string());
    }
    for register in &asked.registers {
        let old = before.numbers.get(&register.id).map_or("", String::as_str);
        let new = after.numbers.get(&register.id).map_or("", String::as_str);
        if old != new {
            changed.push(format!("nummer bij {}", register.name));
        }
    }
    changed
}
