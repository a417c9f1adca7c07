//! The BIG number: 11 digits, stored as text because it may start with a 0. GAIA pads 9- and
//! 10-digit numbers with leading zeros ("Heeft uw BIG-nummer tien cijfers? Zet er dan één nul
//! voor"), so peil does the same; anything else is refused with a message a person can act on.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct BigNumber(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BigNumberError {
    #[error("Een BIG-nummer bestaat alleen uit cijfers; \"{0}\" bevat iets anders.")]
    NotDigits(String),
    #[error(
        "Een BIG-nummer heeft 11 cijfers (9 of 10 mag ook: dan zet peil er nullen voor); dit heeft er {0}."
    )]
    WrongLength(usize),
}

impl BigNumber {
    /// Reads a BIG number as people type it: spaces, dots and dashes between the digits are
    /// dropped, and 9 or 10 digits are padded to 11 with leading zeros.
    pub fn parse(text: &str) -> Result<BigNumber, BigNumberError> {
        let digits: String = text.chars().filter(|c| !matches!(c, ' ' | '.' | '-')).collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(BigNumberError::NotDigits(text.trim().to_string()));
        }
        match digits.len() {
            9 | 10 => Ok(BigNumber(format!("{digits:0>11}"))),
            11 => Ok(BigNumber(digits)),
            n => Err(BigNumberError::WrongLength(n)),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for BigNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eleven_digits_stay_as_they_are_and_shorter_ones_get_leading_zeros() {
        assert_eq!(BigNumber::parse("01234567890").unwrap().as_str(), "01234567890");
        assert_eq!(BigNumber::parse("1234567890").unwrap().as_str(), "01234567890");
        assert_eq!(BigNumber::parse("123456789").unwrap().as_str(), "00123456789");
        assert_eq!(BigNumber::parse(" 1234 567 890 ").unwrap().as_str(), "01234567890");
    }

    #[test]
    fn letters_and_wrong_lengths_are_refused_in_dutch() {
        assert_eq!(BigNumber::parse("BIG-123"), Err(BigNumberError::NotDigits("BIG-123".into())));
        assert_eq!(BigNumber::parse("12345678"), Err(BigNumberError::WrongLength(8)));
        assert_eq!(BigNumber::parse("123456789012"), Err(BigNumberError::WrongLength(12)));
        assert!(BigNumberError::WrongLength(8).to_string().contains("11 cijfers"));
    }
}
