//! What counts as a person's name on the open registration page. The name typed there goes
//! into the greeting and the `To:` of a mail peil sends to whatever address was typed with it,
//! so a name that could hold a link or read as a message ("LET OP: ... bevestig via https://...")
//! would let anyone send phishing in peil's name. A name is therefore letters and the few marks
//! real names use, and short.

/// Longer than this is not a name.
pub const MOST_CHARS: usize = 100;
/// More words than this is a sentence, not a name ("Johannes Petrus Maria van der Berg-de
/// Vries" has seven).
pub const MOST_WORDS: usize = 10;

/// Whether `text` reads as a person's name: letters of any alphabet, spaces, hyphens and
/// apostrophes (Van der Berg-de Vries, 't Hart, Ösz, O'Neill), and a full stop only after an
/// initial (J.P. de Vries). No digits, no `:`, `/`, `@`, commas or other punctuation, so no
/// link, address, phone number or sentence; at most `MOST_CHARS` characters and `MOST_WORDS`
/// words.
pub fn is_person_name(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    let fits = !chars.is_empty()
        && chars.len() <= MOST_CHARS
        && text.split_whitespace().count() <= MOST_WORDS
        && chars.iter().any(|c| c.is_alphabetic());
    fits && (0..chars.len()).all(|at| allowed_at(&chars, at))
}

fn allowed_at(chars: &[char], at: usize) -> bool {
    let letter = |i: Option<usize>| i.and_then(|i| chars.get(i)).is_some_and(|c| c.is_alphabetic());
    match chars[at] {
        c if c.is_alphabetic() => true,
        ' ' | '-' | '\'' | '\u{2019}' => true,
        // An initial: one letter, not part of a longer word ("www.", "collega.", "evil.example").
        '.' => letter(at.checked_sub(1)) && !letter(at.checked_sub(2)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dutch_and_foreign_names_are_names() {
        for name in
            ["Van der Berg-de Vries", "'t Hart", "Ösz", "O'Neill", "O’Neill", "J.P. de Vries", "Eva", "Çelik"]
        {
            assert!(is_person_name(name), "{name}");
        }
    }

    #[test]
    fn links_addresses_numbers_and_messages_are_not_names() {
        let refused = [
            "Beste collega. LET OP: uw BIG-registratie verloopt vandaag, bevestig via https://evil.example/big,",
            "Jan https://evil.example",
            "Jan www.evil.example",
            "evil.example",
            "jan@evil.example",
            "Bel 0612345678",
            "Jan, bel mij!",
            "Uw account verloopt vandaag klik hier en log in met uw wachtwoord en gebruikersnaam",
            "",
            " - ",
        ];
        for text in refused {
            assert!(!is_person_name(text), "{text}");
        }
        assert!(!is_person_name(&"a".repeat(MOST_CHARS + 1)));
        assert!(is_person_name(&"a".repeat(MOST_CHARS)));
    }
}
