//! A person's data on request (AVG articles 15 and 17), found by e-mail address. `find` gathers
//! everything peil holds about an address into one [`PersonRecord`] (the page at
//! `/beheer/personen`, the JSON file and `peil person export` all show that one value); `erase`
//! removes it in one transaction, keeping only attendance that a register may still ask to see,
//! and puts the address on the `suppression` list so that an import skips it. `about` finds the
//! audit entries about a person. Every look and every erasure is itself in the audit log, by
//! contact number, never by address.
//!
//! Anonymous answers are not part of a person's data as peil holds it: their rows keep no link
//! to anyone (see docs/security.md), so they can neither be shown nor erased, and both the page
//! and the file say so.

mod about;
mod access;
mod answers;
mod erase;
mod find;
mod mail_files;
mod outcome;
mod record;
pub mod suppression;

pub use about::about;
pub use access::{export, view};
pub use erase::{erase, plan};
pub use find::find;
pub use outcome::{Erasure, Kept, Tally};
pub use record::*;

/// An e-mail address as peil looks people up by: trimmed and lower-cased, as contacts and
/// accounts store it. Never printed by `Debug`, so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Address(String);

impl Address {
    pub fn parse(typed: &str) -> Result<Address, PersonsError> {
        let address = typed.trim().to_lowercase();
        let shaped = address.len() <= 320
            && address.split_once('@').is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty())
            && !address.chars().any(|c| c.is_control() || c.is_whitespace());
        if shaped { Ok(Address(address)) } else { Err(PersonsError::BadAddress) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Address(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum PersonsError {
    #[error("not an e-mail address")]
    BadAddress,
    #[error("peil holds nothing about this address")]
    Unknown,
    #[error("no contact has this address")]
    NoContact,
    #[error("a stored form or draft could not be read: {0}")]
    Stored(String),
    #[error("removing mail files: {0}")]
    MailFiles(std::io::Error),
    #[error("sign-ups: {0}")]
    Signup(#[from] crate::signup::SignupError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

impl PersonsError {
    /// What the coordinator reads, for the errors they can act on.
    pub fn dutch(&self) -> &'static str {
        match self {
            PersonsError::BadAddress => {
                "Dit is geen e-mailadres. Typ het hele adres, zoals naam@praktijk.nl."
            }
            PersonsError::Unknown => {
                "Over dit adres heeft peil niets: geen contact, geen account en geen regel in het logboek."
            }
            PersonsError::NoContact => {
                "Er is geen contact met dit adres, dus er is niets te wissen. Een account van een \
                 medewerker verwijdert u bij Gebruikers."
            }
            _ => "Dit lukte niet door een fout in peil; probeer het later opnieuw.",
        }
    }
}

/// How the audit log names a person: by contact number, never by address, so the log keeps no
/// address once the person is erased.
pub(crate) fn audit_name(contact: Option<crate::contacts::ContactId>) -> String {
    match contact {
        Some(id) => format!("contact {id}"),
        None => "adres zonder contact".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_looked_up_trimmed_and_lower_cased_and_nonsense_is_refused() {
        assert_eq!(Address::parse("  Anna@Praktijk.NL\n").expect("an address").as_str(), "anna@praktijk.nl");
        for bad in ["", "anna", "@praktijk.nl", "anna@", "an na@x.nl"] {
            assert!(Address::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(format!("{:?}", Address::parse("a@b.nl").expect("an address")), "Address(…)");
    }
}
