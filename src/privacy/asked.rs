//! What a form asks, as a privacy statement and a register entry name it: every question's label,
//! which questions say who answered (an e-mail address, a name, a BIG number, ...; the same
//! judgement as `Question::is_identifying`, which warns an anonymous form) and which let people
//! type text of their own, where they may write anything about themselves or others.

use serde::Serialize;

use crate::forms::{Form, Question, QuestionKind};

/// One question as the statement lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AskedQuestion {
    pub label: String,
    /// What of the person the question asks ("uw e-mailadres"), when it says who answered.
    pub identifies: Option<&'static str>,
    /// The answer is text the person types.
    pub free_text: bool,
}

/// Everything a form asks.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Asked {
    pub questions: Vec<AskedQuestion>,
    /// The kinds of identifying data asked, each once, in the order of the form.
    pub identifying: Vec<&'static str>,
    pub free_text: bool,
}

/// Words of an id or label and what they ask for, checked in this order.
const CATEGORIES: &[(&[&str], &str)] = &[
    (&["big", "big-nummer", "bignummer", "big-registratienummer"], "uw BIG-nummer"),
    (&["agb", "agb-code"], "uw AGB-code"),
    (&["email", "e-mail", "mail", "mailadres", "e-mailadres", "emailadres"], "uw e-mailadres"),
    (
        &["telefoon", "telefoonnummer", "mobiel", "06-nummer", "phone", "telephone", "mobile"],
        "uw telefoonnummer",
    ),
    (&["adres", "postcode", "woonplaats", "straat", "huisnummer", "address", "zip"], "een adres"),
    (
        &[
            "naam",
            "namen",
            "voornaam",
            "achternaam",
            "voorletters",
            "praktijknaam",
            "organisatienaam",
            "name",
            "surname",
        ],
        "uw naam of die van uw praktijk",
    ),
];

/// What identifying data `question` asks for, if any.
pub fn identifies(question: &Question) -> Option<&'static str> {
    if !question.is_identifying() {
        return None;
    }
    if matches!(question.kind, QuestionKind::Email) {
        return Some("uw e-mailadres");
    }
    let text = format!("{} {}", question.id, question.label.nl).to_lowercase();
    let words: Vec<&str> =
        text.split(|c: char| !(c.is_alphanumeric() || c == '-')).map(|w| w.trim_matches('-')).collect();
    let named = CATEGORIES.iter().find(|(list, _)| words.iter().any(|w| list.contains(w)));
    // `identifying = true` on a question without one of the words: the form says so, not why.
    Some(named.map_or("gegevens waaraan u te herkennen bent", |(_, what)| *what))
}

impl Asked {
    pub fn of(form: &Form) -> Asked {
        let mut asked = Asked::default();
        for question in form.questions() {
            let identifies = identifies(question);
            let free_text =
                matches!(question.kind, QuestionKind::Text { .. } | QuestionKind::Textarea { .. })
                    && identifies.is_none();
            if let Some(what) = identifies
                && !asked.identifying.contains(&what)
            {
                asked.identifying.push(what);
            }
            asked.free_text |= free_text || has_other(&question.kind);
            asked.questions.push(AskedQuestion { label: question.label.nl.clone(), identifies, free_text });
        }
        asked
    }
}

/// "Anders, namelijk": a choice with a text of the person's own.
fn has_other(kind: &QuestionKind) -> bool {
    matches!(kind, QuestionKind::Single { other: true, .. } | QuestionKind::Multi { other: true, .. })
}
