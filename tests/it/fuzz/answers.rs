//! Posted answers, as a tampering or confused browser might send them, checked page by page
//! against the shipped forms: unknown and repeated fields, huge values, NUL and other control
//! characters, the right values in the wrong places, and now and then a page filled in right.

use peil::forms::validate::{self, Posted, ValidateError};
use peil::forms::{Answers, Page, Question, QuestionKind};
use proptest::prelude::*;
use proptest::sample::Index;

use super::*;

/// A field name the page has, with the question it belongs to.
fn fields_of(page: &Page) -> Vec<(String, &Question)> {
    let mut names = Vec::new();
    for q in &page.questions {
        match &q.kind {
            QuestionKind::Matrix { items, .. } => {
                names.extend(items.iter().map(|i| (format!("{}.{}", q.id, i.value), q)));
            }
            QuestionKind::Single { other: true, .. } | QuestionKind::Multi { other: true, .. } => {
                names.push((q.id.clone(), q));
                names.push((format!("{}.other", q.id), q));
            }
            _ => names.push((q.id.clone(), q)),
        }
    }
    names
}

/// Names no page has.
const STRANGERS: &[&str] = &["onbekend", "a\0b", ".", "x.other", "", "tevreden.", "wijk.other.other"];

/// Values a question takes, and some it does not.
fn values_for(q: &Question) -> Vec<String> {
    let mut values: Vec<String> = match &q.kind {
        QuestionKind::Single { options, .. } | QuestionKind::Multi { options, .. } => {
            options.iter().map(|o| o.value.clone()).chain(["_anders".to_string()]).collect()
        }
        QuestionKind::Scale { points, .. } | QuestionKind::Matrix { points, .. } => {
            points.iter().map(|p| p.value.to_string()).chain(["nvt".to_string()]).collect()
        }
        QuestionKind::Yesno | QuestionKind::Consent => vec!["ja".into(), "nee".into()],
        QuestionKind::Number { .. } => vec!["12".into(), "2,5".into(), "-1".into(), "1e5".into()],
        QuestionKind::Date { .. } => vec!["2026-12-04".into(), "07-12-2026".into(), "31-02-2026".into()],
        QuestionKind::Email => vec!["naam@praktijk.nl".into(), "a@b".into()],
        QuestionKind::Slot { .. } => vec!["s1".into(), "s2".into(), "s 1".into()],
        QuestionKind::Text { .. } | QuestionKind::Textarea { .. } => vec!["Een antwoord".into()],
    };
    let odd = ["", " ", "\0", "\r\n", "x\u{0}y", "\u{202e}", "NaN", "٣", "99999999999999999999"];
    values.extend(odd.map(str::to_string));
    values
}

#[derive(Clone, Debug)]
enum Value {
    Fitting(Index),
    Huge(usize, char),
    Random(String),
}

fn value() -> impl Strategy<Value = Value> {
    prop_oneof![
        8 => any::<Index>().prop_map(Value::Fitting),
        1 => (1usize..300_000, prop::sample::select(vec!['x', 'é', '\0', ' ', '\n', '9'])).prop_map(|(n, c)| Value::Huge(n, c)),
        1 => "\\PC{0,40}".prop_map(Value::Random),
    ]
}

/// Which field (or, now and then, a stranger) and its values.
#[derive(Clone, Debug)]
struct Field {
    name: Index,
    stranger: bool,
    values: Vec<Value>,
}

fn posted_fields() -> impl Strategy<Value = Vec<Field>> {
    let values =
        prop_oneof![4 => prop::collection::vec(value(), 1..2), 1 => prop::collection::vec(value(), 2..4)];
    let field = (any::<Index>(), prop::bool::weighted(0.03), values)
        .prop_map(|(name, stranger, values)| Field { name, stranger, values });
    prop::collection::vec(field, 0..12)
}

fn build(page: &Page, fields: &[Field]) -> Posted {
    let names = fields_of(page);
    let mut posted = Posted::new();
    for field in fields {
        let (name, values) = match (field.stranger, names.is_empty()) {
            (false, false) => {
                let (name, q) = &names[field.name.index(names.len())];
                (name.clone(), values_for(q))
            }
            _ => (STRANGERS[field.name.index(STRANGERS.len())].to_string(), vec!["ja".to_string()]),
        };
        posted.entry(name).or_default().extend(field.values.iter().map(|v| match v {
            Value::Fitting(i) => values[i.index(values.len())].clone(),
            Value::Huge(n, c) => c.to_string().repeat(*n),
            Value::Random(s) => s.clone(),
        }));
    }
    posted
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn any_posted_fields_are_answers_field_errors_or_an_unknown_field_never_a_panic(
        form in any::<Index>(),
        page in any::<Index>(),
        fields in posted_fields(),
        before in posted_fields(),
    ) {
        let all: Vec<_> = shipped_forms().iter().collect();
        let form = all[form.index(all.len())];
        let page_index = page.index(form.pages.len());
        let page = &form.pages[page_index];
        // What earlier pages answered: whatever they accepted from the same kind of input.
        let mut earlier = Answers::new();
        for p in &form.pages[..page_index] {
            if let Ok(Ok(answers)) = validate::check_page(p, &build(p, &before), &earlier) {
                earlier.extend(answers);
            }
        }
        let posted = build(page, &fields);
        let outcome = quickly("check_page", || validate::check_page(page, &posted, &earlier));
        match outcome {
            Ok(Ok(answers)) => {
                for (key, answer) in &answers {
                    let base = key.strip_suffix(".other").unwrap_or(key);
                    assert!(page.questions.iter().any(|q| q.id == base), "answer {key} is no question here");
                    let text = serde_json::to_string(answer).expect("serialises");
                    assert!(!text.contains("\\u0000"), "a NUL is stored: {key} = {text}");
                }
                let json = serde_json::to_string(&answers).expect("answers serialise");
                let back: Answers = serde_json::from_str(&json).expect("answers read back");
                assert_eq!(back, answers);
                let mut all = earlier.clone();
                all.extend(answers);
                quickly("the form's navigation", || {
                    validate::prune(form, &all);
                    validate::shown_pages(form, &all);
                    validate::first_incomplete_page(form, &all);
                });
            }
            Ok(Err(errors)) => {
                assert!(!errors.is_empty());
                for e in &errors {
                    assert!(page.questions.iter().any(|q| q.id == e.question), "{e:?}");
                    assert!(!e.message.trim().is_empty(), "{e:?}");
                }
            }
            Err(ValidateError::UnknownField(name)) => assert!(posted.contains_key(&name), "{name}"),
        }
    }
}
