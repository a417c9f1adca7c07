//! What registers need of a person, remembered on their contact (migration 0013): voorletters
//! and achternaam as the register knows them, the BIG number, and their number per register.
//! Asked at sign-up, shown and changeable from their link and on the contact's page.

use std::collections::BTreeMap;

use super::BigNumber;
use crate::contacts::ContactId;
use crate::db::Pool;

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

/// Stores `details` for `contact`; the contacts module owns both tables it writes.
pub use crate::contacts::save_register_details as save;
