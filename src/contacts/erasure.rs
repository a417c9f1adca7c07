//! A contact removed on their request (`persons::erase`), or, when attendance is kept as
//! accreditation proof, kept with only what the presentielijst and the registers need.

use chrono::{DateTime, Utc};

use super::ContactId;
use crate::db::{Timestamp, Write};

/// Deletes the contact and its register numbers in the caller's transaction; the register
/// numbers removed. Its invitations must be gone already.
pub async fn remove(tx: &mut Write, contact: ContactId) -> Result<u64, sqlx::Error> {
    let numbers = sqlx::query("DELETE FROM register_numbers WHERE contact_id = $1")
        .bind(contact)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    sqlx::query("DELETE FROM contacts WHERE id = $1").bind(contact).execute(&mut **tx).await?;
    Ok(numbers)
}

/// Keeps name, initials, surname, role, BIG and register numbers; the address becomes a
/// placeholder that reaches no one, practice, wijk and gemeente go, and the contact is never
/// invited again (opted out, and self-registered so no audience picks it).
pub async fn restrict(tx: &mut Write, contact: ContactId, now: DateTime<Utc>) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE contacts SET email = $2, practice = '', wijk = '', gemeente = '', opted_out = 1, \
         self_registered = 1, updated_at = $3 WHERE id = $1",
    )
    .bind(contact)
    .bind(format!("gewist-{contact}@gewist.invalid"))
    .bind(Timestamp::from(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
