//! Who reads a question's answers and whether a question asks who answered: the `results`,
//! `read_by` and `identifying` keys, checked against the question's type, and the warning for
//! an anonymous form that asks for a name, an e-mail address or another answer that says who
//! gave it (such an answer undoes the anonymity the form's intro promises).

use super::fields::{At, Ctx, Fields};
use super::model::{Question, QuestionKind, ReadBy, Reading, Results};

/// The words that make a text question's id or label ask who answered, matched as whole words
/// (lower-case; an id's `_` and a label's spaces and punctuation separate words, `-` does
/// not). Dutch and English. "telefoontje" or "praktijk" alone are not in it: "Hoeveel patiënten
/// heeft uw praktijk verwezen?" asks no one's name. docs/forms.md lists these.
pub const IDENTIFYING_WORDS: &[&str] = &[
    // a name, also the practice's or organisation's
    "naam",
    "namen",
    "voornaam",
    "achternaam",
    "voorletters",
    "praktijknaam",
    "organisatienaam",
    "name",
    "surname",
    // an e-mail address
    "email",
    "e-mail",
    "mail",
    "mailadres",
    "e-mailadres",
    "emailadres",
    // a phone number
    "telefoon",
    "telefoonnummer",
    "mobiel",
    "06-nummer",
    "phone",
    "telephone",
    "mobile",
    // a registration number
    "big",
    "big-nummer",
    "bignummer",
    "big-registratienummer",
    "agb",
    "agb-code",
    // an address
    "adres",
    "postcode",
    "woonplaats",
    "straat",
    "huisnummer",
    "address",
    "zip",
];

const RESULTS: &[&str] = &["read", "count", "hidden"];

/// Reads a question's `results`, `read_by` and `identifying`; `kind` is `None` when the type
/// has problems of its own (then only the values themselves are checked).
pub(super) fn read(f: &mut Fields<'_, '_, '_, '_>, kind: Option<&QuestionKind>) -> Reading {
    let ctx = f.ctx();
    let results = f.str("results").and_then(|r| results(ctx, r, kind));
    // Left unread on another type, so that the unknown-key check says it does not apply there.
    let for_email = matches!(kind, None | Some(QuestionKind::Email));
    let read_by_at = f.key_at("read_by").filter(|_| for_email);
    let read_by = if for_email { f.array("read_by").and_then(|list| read_by(ctx, list)) } else { None };
    if let (Some(at), Some(_), Some(r)) = (read_by_at, read_by, results)
        && r != Results::Read
    {
        let value = if r == Results::Count { "count" } else { "hidden" };
        ctx.report(
            at,
            format!(
                "`read_by` names who reads the addresses, but with results = \"{value}\" no one does; \
                 remove one of the two"
            ),
        );
    }
    let identifying = f.bool("identifying");
    Reading { results: results.unwrap_or_default(), read_by: read_by.unwrap_or_default(), identifying }
}

fn results(ctx: &Ctx<'_>, value: At<&str>, kind: Option<&QuestionKind>) -> Option<Results> {
    let results = match value.value {
        "read" => Results::Read,
        "count" => Results::Count,
        "hidden" => Results::Hidden,
        other => {
            let hint = super::diag::nearest(other, RESULTS.iter().copied()).map_or_else(
                || "use \"read\", \"count\" or \"hidden\"".to_string(),
                |r| format!("did you mean \"{r}\"?"),
            );
            ctx.report(value.at, format!("results `{other}` does not exist; {hint}"));
            return None;
        }
    };
    let readable = matches!(
        kind,
        None | Some(QuestionKind::Text { .. } | QuestionKind::Textarea { .. } | QuestionKind::Email)
    );
    if results != Results::Hidden && !readable {
        let name = kind.map_or("", QuestionKind::name);
        ctx.report(
            value.at,
            format!(
                "results = \"{}\" is for text, textarea and email questions, whose answers can be read; \
                 the answers of a `{name}` question are only counted; use \"hidden\" to leave it out of \
                 the werkgroep's results",
                value.value
            ),
        );
        return None;
    }
    Some(results)
}

/// `read_by = ["werkgroep"]`: the roles of `accounts::Role`; administrators may always read.
fn read_by(ctx: &Ctx<'_>, list: At<&toml::de::DeArray<'_>>) -> Option<ReadBy> {
    const ROLES: &[&str] = &["admin", "werkgroep"];
    if list.value.is_empty() {
        ctx.report(list.at, "`read_by` is empty; name who may read the addresses, e.g. [\"werkgroep\"]");
        return None;
    }
    let mut read_by = ReadBy::Admin;
    let mut ok = true;
    for item in list.value.iter() {
        let at = ctx.src.string_body(item.span().start);
        match item.get_ref().as_str() {
            Some("admin") => {}
            Some("werkgroep") => read_by = ReadBy::Werkgroep,
            Some(other) => {
                let hint = super::diag::nearest(other, ROLES.iter().copied()).map_or_else(
                    || "use \"admin\" or \"werkgroep\"".to_string(),
                    |r| format!("did you mean \"{r}\"?"),
                );
                ctx.report(at, format!("the role `{other}` does not exist; {hint}"));
                ok = false;
            }
            None => {
                ctx.report(item.span().start, "`read_by` lists roles in quotes, e.g. [\"werkgroep\"]");
                ok = false;
            }
        }
    }
    ok.then_some(read_by)
}

impl Question {
    /// Whether an answer to this question says who gave it: as the form says, or else an
    /// e-mail question, or a text question whose id or label asks for one of the
    /// [`IDENTIFYING_WORDS`].
    pub fn is_identifying(&self) -> bool {
        self.reading.identifying.unwrap_or_else(|| self.guessed_identifying())
    }

    fn guessed_identifying(&self) -> bool {
        match self.kind {
            QuestionKind::Email => true,
            QuestionKind::Text { .. } | QuestionKind::Textarea { .. } => {
                let label_en = self.label.en.as_deref().unwrap_or_default();
                [self.id.as_str(), self.label.nl.as_str(), label_en].iter().any(|text| asks_who(text))
            }
            _ => false,
        }
    }

    /// Whether the werkgroep may read this question's texts (its free-text page, its column in
    /// the werkgroep's export): not for `results = "count"` or `"hidden"`.
    pub fn texts_readable(&self) -> bool {
        self.reading.results == Results::Read
    }
}

/// Whether `text` holds one of the [`IDENTIFYING_WORDS`] as a word.
pub fn asks_who(text: &str) -> bool {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '-'))
        .map(|w| w.trim_matches('-'))
        .any(|w| IDENTIFYING_WORDS.contains(&w))
}

/// In an anonymous form, a question whose answer says who gave it: warned at its type (an
/// e-mail question), or at the id or label that asks for it. A form that says so itself
/// (`identifying = true` or `false`) is not warned.
pub(super) fn warn_if_identifying(ctx: &Ctx<'_>, table: &toml::de::DeTable<'_>, q: &Question) {
    if q.reading.identifying.is_some() || !q.is_identifying() {
        return;
    }
    let at = |key: &str| table.get(key).map(|v| ctx.src.string_body(v.span().start));
    let (at, what) = match q.kind {
        QuestionKind::Email => (at("type"), "asks for an e-mail address"),
        _ if asks_who(&q.id) => (at("id"), "asks who answered (see its id)"),
        _ if asks_who(&q.label.nl) => (at("label"), "asks who answered (see its label)"),
        _ => (at("label_en"), "asks who answered (see its English label)"),
    };
    ctx.warn(
        at.unwrap_or(0),
        format!(
            "this question of an anonymous form {what}: its answer tells who gave all the others. Make \
             the form identified (anonymous = false) or leave the question out; if the answer is meant \
             not to be anonymous, say so in the label and add identifying = true (the answer page then \
             says \"Let op: dit antwoord is niet anoniem.\")"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::asks_who;
    use crate::forms::{Question, ReadBy, Results};

    #[test]
    fn a_snapshot_from_before_these_keys_reads_as_their_defaults() {
        let json = r#"{"id":"contact","label":{"nl":"E-mailadres"},"help":null,"required":false,
            "show_if":null,"kind":{"type":"email"}}"#;
        let question: Question = serde_json::from_str(json).expect("an old snapshot's question");
        assert_eq!(question.reading.results, Results::Read);
        assert_eq!(question.reading.read_by, ReadBy::Admin);
        assert!(question.is_identifying(), "an e-mail question says who answered");
    }

    #[test]
    fn a_label_asks_who_answered_only_with_a_whole_word_of_the_list() {
        assert!(asks_who("Naam van uw praktijk"));
        assert!(asks_who("contact_email"));
        assert!(asks_who("Uw BIG-nummer"));
        assert!(asks_who("What is your phone number?"));
        assert!(!asks_who("Hoeveel patiënten heeft uw praktijk verwezen?"));
        assert!(!asks_who("Hoeveel uur zat er tussen uw telefoontje en de beoordeling?"));
        assert!(!asks_who("Opmerkingen"));
    }
}
