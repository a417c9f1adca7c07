//! What registers need of a person, remembered on their contact (migration 0013): voorletters
//! and achternaam as the register knows them, the BIG number, and their number per register.
//! Asked at sign-up, shown and changeable from their link and on the contact's page.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use super::BigNumber;
use crate::contacts::ContactId;
use crate::db::{Pool, Timestamp, Write};

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct PersonDetails {
    /// "J.A."
    pub initials: String,
    /// With tussenvoegsel, as the register has it: "van den Berg".
    pub surname: String,
    pub big_number: Option<BigNumber>,
    /// Register id → the person's number there.
    pub numbers: BTreeMap<String, String>,
}

impl PersonDetails {
    /// The number `register` knows this person by, if given.
    pub fn number_for(&self, register: &super::Register) -> Option<&str> {
        match register.asks {
            super::Asks::Big => self.big_number.as_ref().map(BigNumber::as_str),
            super::Asks::Lidnummer => {
                self.numbers.get(&register.id).map(String::as_str).filter(|n| !n.is_empty())
            }
        }
    }
}

/// The details remembered for `contact` (all empty for someone never asked).
pub async fn of_contact(pool: &Pool, contact: ContactId) -> Result<PersonDetails, sqlx::Error> {
    let row: Option<(String, String, String)> =
        sqlx::query_as("SELECT initials, surname, big_number FROM contacts WHERE id = $1")
            .bind(contact)
            .fetch_optional(pool)
            .await?;
    let Some((initials, surname, big)) = row else { return Ok(PersonDetails::default()) };
    let numbers: Vec<(String, String)> = sqlx::query_as(
        "SELECT register, number FROM register_numbers WHERE contact_id = $1 ORDER BY register",
    )
    .bind(contact)
    .fetch_all(pool)
    .await?;
    Ok(PersonDetails {
        initials,
        surname,
        // Only checked numbers are ever stored; one that no longer reads counts as not given.
        big_number: BigNumber::parse(&big).ok(),
        numbers: numbers.into_iter().collect(),
    })
}

/// Stores `details` for `contact` in the caller's transaction; a register number left empty is
/// forgotten.
pub async fn save(
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
