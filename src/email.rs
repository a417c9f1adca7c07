//! The e-mail address of a person peil knows: a contact from a list, someone registering on a
//! public page, an account. Every address peil accepts is parsed into an [`EmailAddress`] once,
//! by one rule, so that the same person typed in two places is one row and not two.
//!
//! It lives at the top rather than in `contacts` (accounts are not contacts) or in `mail` (which
//! sends messages; an address is checked where people type it, long before anything is sent).

use std::fmt;

use email_address::Options;

/// A plain address with a top-level domain, trimmed and lower-cased. "Jan <jan@x.nl>" and
/// "jan@localhost" are typing mistakes in a list or a form, not addresses we want to mail.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct EmailAddress(String);

/// What was typed, as typed, for the message that refuses it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("\"{0}\" is not a valid e-mail address")]
pub struct BadEmailAddress(pub String);

impl EmailAddress {
    pub fn parse(text: &str) -> Result<EmailAddress, BadEmailAddress> {
        let options = Options::default().with_required_tld().without_display_text().without_domain_literal();
        email_address::EmailAddress::parse_with_options(text.trim(), options)
            .map(|address| EmailAddress(address.as_str().to_lowercase()))
            .map_err(|_| BadEmailAddress(text.to_owned()))
    }

    /// An address read back from peil's own tables, which only parsed addresses are written to.
    /// Not checked again: a row written before this type existed must still be readable.
    pub(crate) fn from_stored(text: String) -> EmailAddress {
        EmailAddress(text)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for EmailAddress {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<EmailAddress> for String {
    fn from(address: EmailAddress) -> String {
        address.0
    }
}

impl std::str::FromStr for EmailAddress {
    type Err = BadEmailAddress;

    fn from_str(text: &str) -> Result<EmailAddress, BadEmailAddress> {
        EmailAddress::parse(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<String, BadEmailAddress> {
        EmailAddress::parse(text).map(String::from)
    }

    #[test]
    fn an_address_is_trimmed_and_lower_cased() {
        assert_eq!(parsed("  Anna@Example.ORG \t"), Ok("anna@example.org".to_string()));
        assert_eq!(
            parsed("j.de-vries+peil@praktijk.example.nl"),
            Ok("j.de-vries+peil@praktijk.example.nl".into())
        );
    }

    #[test]
    fn a_display_name_a_dotless_domain_or_a_domain_literal_is_refused() {
        for typed in ["jan <jan@example.org>", "Jan <jan@example.org>", "jan@localhost", "jan@[127.0.0.1]"] {
            assert_eq!(parsed(typed), Err(BadEmailAddress(typed.to_string())), "{typed}");
        }
    }

    #[test]
    fn text_that_is_no_address_is_refused_as_typed() {
        for typed in ["", "   ", "anna", "anna@", "@example.org", "an na@example.org", "a@b@example.org"] {
            assert_eq!(parsed(typed), Err(BadEmailAddress(typed.to_string())), "{typed:?}");
        }
    }
}
