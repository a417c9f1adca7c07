//! The organisation behind peil, as `[organisation]` in `peil.toml` names it: who signs the mails,
//! whose name the sender carries, and how people reach someone when a page says "neem contact op".
//! Every key is optional: without a name, mails are signed as `mail_from` says and pages say "de
//! organisatie"; without an address or number, no contact line is shown.
//!
//! The raw keys are parsed once, at start-up (`Settings::load`), into checked values: an address
//! through [`EmailAddress`], a number through [`Phone`]. A mistake stops the start with the key
//! and what is wrong with it.
//!
//! `privacy_contact` is the address of the privacy officer (functionaris gegevensbescherming),
//! named by the privacy statement (`/privacy/<form>`) where people ask to see or erase their
//! data; without it, the statement sends them to `email`.

use serde::{Deserialize, Serialize};

use crate::email::EmailAddress;

/// The organisation's name, contact address and phone number, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawOrganisation", into = "RawOrganisation")]
pub struct Organisation {
    name: Option<String>,
    email: Option<EmailAddress>,
    phone: Option<Phone>,
    privacy_contact: Option<EmailAddress>,
}

/// `[organisation]` as written in the file (or `PEIL_ORGANISATION__NAME` and the like).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RawOrganisation {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub privacy_contact: Option<String>,
}

/// Why `[organisation]` was refused; the text names the key and the way to write it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrganisationError {
    #[error("organisation.email \"{0}\" is not an e-mail address like info@example.org")]
    Email(String),
    #[error(
        "organisation.phone \"{0}\" is not a phone number like 020 123 4567 or +31 20 123 4567 \
         (digits, spaces, dashes, dots and brackets; 8 to 11 digits from a leading 0, or 8 to 15 \
         after a leading +)"
    )]
    Phone(String),
    #[error("organisation.privacy_contact \"{0}\" is not an e-mail address like privacy@example.org")]
    PrivacyContact(String),
}

impl TryFrom<RawOrganisation> for Organisation {
    type Error = OrganisationError;

    fn try_from(raw: RawOrganisation) -> Result<Organisation, OrganisationError> {
        let given = |value: Option<String>| value.map(|v| one_line(&v)).filter(|v| !v.is_empty());
        let email = given(raw.email)
            .map(|e| EmailAddress::parse(&e).map_err(|_| OrganisationError::Email(e)))
            .transpose()?;
        let phone = given(raw.phone).map(|p| Phone::parse(&p)).transpose()?;
        let privacy_contact = given(raw.privacy_contact)
            .map(|e| EmailAddress::parse(&e).map_err(|_| OrganisationError::PrivacyContact(e)))
            .transpose()?;
        Ok(Organisation { name: given(raw.name), email, phone, privacy_contact })
    }
}

impl From<Organisation> for RawOrganisation {
    fn from(organisation: Organisation) -> RawOrganisation {
        RawOrganisation {
            name: organisation.name,
            email: organisation.email.map(String::from),
            phone: organisation.phone.map(|p| p.shown),
            privacy_contact: organisation.privacy_contact.map(String::from),
        }
    }
}

impl Organisation {
    /// The organisation from raw values, as `peil.toml` would give them.
    pub fn parse(raw: RawOrganisation) -> Result<Organisation, OrganisationError> {
        Organisation::try_from(raw)
    }

    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub fn email(&self) -> Option<&EmailAddress> {
        self.email.as_ref()
    }

    pub fn phone(&self) -> Option<&Phone> {
        self.phone.as_ref()
    }

    /// The privacy officer's address, when one is configured.
    pub fn privacy_contact(&self) -> Option<&EmailAddress> {
        self.privacy_contact.as_ref()
    }

    /// What pages and mails show: the name or "de organisatie", and how to reach it.
    pub fn contact(&self) -> Contact {
        Contact {
            name: self.name.clone(),
            called: self.name.clone().unwrap_or_else(|| "de organisatie".to_owned()),
            email: self.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: self.phone.as_ref().map(|p| p.shown.clone()),
            tel: self.phone.as_ref().map(|p| p.dial.clone()),
            reachable: self.email.is_some() || self.phone.is_some(),
        }
    }
}

/// The organisation as the templates read it (`organisation()` on pages, `contact` in mails).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub name: Option<String>,
    /// The name, or "de organisatie": what a sentence calls it.
    pub called: String,
    pub email: Option<String>,
    /// As configured, for reading: "020 123 4567".
    pub phone: Option<String>,
    /// For a `tel:` link: "+31201234567".
    pub tel: Option<String>,
    /// An address or a number is known, so a "neem contact op" line can say how.
    pub reachable: bool,
}

/// A phone number as written ("020 - 123 45 67") and as dialled ("+31201234567").
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    shown: String,
    dial: String,
}

impl Phone {
    /// A Dutch number from its leading 0 (8 to 11 digits: 0800 and 0900 numbers are shorter or
    /// longer than the usual 10) or an international one from its leading + (8 to 15 digits, as
    /// E.164 allows). "+31 (0)20 ..." is understood: the (0) is not dialled.
    pub fn parse(text: &str) -> Result<Phone, OrganisationError> {
        let shown = one_line(text);
        let refused = || OrganisationError::Phone(shown.clone());
        let allowed = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')' | '/');
        let (international, rest) = match shown.strip_prefix('+') {
            Some(rest) => (true, rest.replacen("(0)", "", 1)),
            None => (false, shown.clone()),
        };
        if !rest.chars().all(allowed) {
            return Err(refused());
        }
        let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
        let dial = match international {
            true if (8..=15).contains(&digits.len()) && !digits.starts_with('0') => format!("+{digits}"),
            false
                if (8..=11).contains(&digits.len())
                    && digits.starts_with('0')
                    && !digits.starts_with("00") =>
            {
                format!("+31{}", &digits[1..])
            }
            _ => return Err(refused()),
        };
        Ok(Phone { shown, dial })
    }

    pub fn shown(&self) -> &str {
        &self.shown
    }

    /// The number for a `tel:` link.
    pub fn dial(&self) -> &str {
        &self.dial
    }
}

/// Control characters and runs of white space become single spaces: every value here ends up
/// on one line of a page, a mail or a mail header.
fn one_line(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(name: Option<&str>, email: Option<&str>, phone: Option<&str>) -> RawOrganisation {
        RawOrganisation {
            name: name.map(String::from),
            email: email.map(String::from),
            phone: phone.map(String::from),
            privacy_contact: None,
        }
    }

    #[test]
    fn dutch_and_international_numbers_are_dialled_in_full() {
        for (written, dial) in [
            ("020 123 4567", "+31201234567"),
            ("(020) 123 45 67", "+31201234567"),
            ("06-12345678", "+31612345678"),
            ("0800-1234", "+318001234"),
            ("+31 (0)20 123 4567", "+31201234567"),
            ("+32 2 123 45 67", "+3221234567"),
        ] {
            let phone = Phone::parse(written).unwrap_or_else(|e| panic!("{written}: {e}"));
            assert_eq!((phone.shown(), phone.dial()), (written, dial));
        }
    }

    #[test]
    fn what_is_not_a_phone_number_is_refused_with_the_key_and_the_value() {
        for written in
            ["123", "020 123 4567 toestel 12", "bel ons", "+0 20 123 4567", "0020 123 4567", "2012345678"]
        {
            let refused = Phone::parse(written).expect_err(written);
            assert!(
                refused.to_string().starts_with(&format!("organisation.phone \"{written}\"")),
                "{refused}"
            );
        }
    }

    #[test]
    fn a_bad_address_is_refused_and_empty_values_count_as_absent() {
        let refused = Organisation::parse(raw(None, Some("info@"), None)).expect_err("no domain");
        assert_eq!(refused, OrganisationError::Email("info@".into()));
        let blank = Organisation::parse(raw(Some("  "), Some(""), Some(" "))).expect("blank is absent");
        assert_eq!(blank, Organisation::default());
        assert_eq!(blank.contact().called, "de organisatie");
        assert!(!blank.contact().reachable);
    }

    #[test]
    fn the_contact_carries_the_name_the_address_and_the_number_to_dial() {
        let organisation = Organisation::parse(raw(
            Some("Huisartsen\nNoord"),
            Some("Info@HANoord.nl"),
            Some("020 123 4567"),
        ))
        .expect("valid");
        let contact = organisation.contact();
        assert_eq!(contact.called, "Huisartsen Noord");
        assert_eq!(contact.email.as_deref(), Some("info@hanoord.nl"));
        assert_eq!(
            (contact.phone.as_deref(), contact.tel.as_deref()),
            (Some("020 123 4567"), Some("+31201234567"))
        );
        assert!(contact.reachable);
    }
}
