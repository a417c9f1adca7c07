//! The verification code of a certificate: 12 characters from an alphabet without the letters
//! people confuse with digits (no I, O, 0 or 1), written in groups of four (`K7PQ-M2XA-9DHF`)
//! so it can be typed from paper. 32 symbols make 5 bits each: 60 random bits per code.
//!
//! Those 60 bits are what keeps certificates from being found by guessing: at the wrong-link
//! limit's pace (see `rounds::guesses`) a guesser needs on the order of 10^14 tries for one hit
//! among a few thousand certificates. The limit only makes trying slower still.

use std::fmt;

const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
const LEN: usize = 12;
const GROUP: usize = 4;

/// A code as stored: 12 characters of [`ALPHABET`], without dashes.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Code(String);

impl Code {
    /// A new random code from the operating system's generator.
    pub fn random() -> Code {
        // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
        let bytes = crate::crypto::random_bytes(LEN);
        Code(bytes.iter().map(|b| char::from(ALPHABET[usize::from(b & 31)])).collect())
    }

    /// A code as someone typed it: any case, with or without dashes or spaces.
    pub fn parse(text: &str) -> Option<Code> {
        let plain: String =
            text.chars().filter(|c| !matches!(c, '-' | ' ')).map(|c| c.to_ascii_uppercase()).collect();
        let valid = plain.len() == LEN && plain.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(Code(plain))
    }

    /// A code read from the database, where only codes made by [`Code::random`] are written.
    pub(super) fn stored(code: String) -> Code {
        Code(code)
    }

    /// As stored (no dashes).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// `K7PQ-M2XA-9DHF`: as printed and shown.
impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> =
            (0..self.0.len()).step_by(GROUP).map(|i| &self.0[i..(i + GROUP).min(self.0.len())]).collect();
        f.write_str(&groups.join("-"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_printed_in_groups_and_read_back_in_any_case_with_or_without_dashes() {
        let code = Code::random();
        let printed = code.to_string();
        assert_eq!(printed.len(), 14);
        assert_eq!(printed.matches('-').count(), 2);
        assert_eq!(Code::parse(&printed), Some(code.clone()));
        assert_eq!(Code::parse(&printed.to_lowercase()), Some(code.clone()));
        assert_eq!(Code::parse(code.as_str()), Some(code));
    }

    #[test]
    fn codes_with_confusable_or_missing_characters_are_refused() {
        assert_eq!(Code::parse("K7PQ-M2XA-9DH0"), None, "no zero");
        assert_eq!(Code::parse("K7PQ-M2XA-9DHI"), None, "no I");
        assert_eq!(Code::parse("K7PQ-M2XA-9DH"), None, "too short");
        assert_eq!(Code::parse("K7PQ/M2XA/9DHF"), None);
        assert!(Code::parse("k7pq m2xa 9dhf").is_some());
    }

    #[test]
    fn random_codes_differ() {
        assert_ne!(Code::random(), Code::random());
    }
}
