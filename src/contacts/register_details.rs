//! The register details remembered on a contact (migration 0013): the `contacts` columns and
//! `register_numbers`, written here because this module owns both tables; what they mean and
//! when they are asked is `accreditation`'s.

use chrono::{DateTime, Utc};

use super::ContactId;
use crate::accreditation::{BigNumber, PersonDetails};
use crate::db::{Timestamp, Write};

/// Stores `details` for `contact` in the caller's transaction; a register number left empty is
/// forgotten.
pub async fn save_register_details(
    tx: &mut Write,
    contact: ContactId,
    details: &PersonDetails,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE contacts SET initials = $2, surname = $3, big_number = $4, updated_at = $5 WHERE id = $1",
    )
    .bind(contact)
    .bind(&details.initials)
    .bind(&details.surname)
    .bind(details.big_number.as_ref().map_or("", BigNumber::as_str))
    .bind(Timestamp::from(now))
    .execute(&mut **tx)
    .await?;
    for (register, number) in &details.numbers {
        if number.trim().is_empty() {
            sqlx::query("DELETE FROM register_numbers WHERE contact_id = $1 AND register = $2")
                .bind(contact)
                .bind(register)
                .execute(&mut **tx)
                .await?;
            continue;
        }
        sqlx::query(
            "INSERT INTO register_numbers (contact_id, register, number, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (contact_id, register) DO UPDATE SET number = excluded.number, updated_at = excluded.updated_at",
        )
        .bind(contact)
        .bind(register)
        .bind(number.trim())
        .bind(Timestamp::from(now))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
