//! `show_if` conditions: generated from the grammar, as token soup, and nested far deeper than any
//! form needs. A condition is either refused at a place in its text, or a condition that holds
//! or not for any answers and survives the round's JSON snapshot.

use std::collections::BTreeMap;

use peil::forms::expr::{self, Lookup, Scope, Ty};
use peil::forms::{self, Answer, Answers};
use proptest::prelude::*;

use super::*;

/// The questions before the condition, as in the form of [`in_a_form`].
pub(super) struct Earlier;

impl Scope for Earlier {
    fn lookup(&self, id: &str) -> Lookup {
        let texts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        let ty = match id {
            "n" => Ty::Num,
            "d" => Ty::Date,
            "naam" => Ty::Text,
            "gebruikt" => Ty::Bool,
            "wijk" => Ty::Choice(texts(&["noord", "zuid"])),
            "platforms" => Ty::Many(texts(&["a", "b"])),
            "tevreden" => Ty::Points(vec![1, 2, 3]),
            "grid" => Ty::Matrix(texts(&["snel"]), vec![1, 2, 3]),
            "b" => return Lookup::SelfRef,
            "later" => return Lookup::Later,
            _ => return Lookup::Unknown { suggestion: Some("naam".into()) },
        };
        Lookup::Earlier(ty)
    }
}

/// A form whose last question, `b`, has `condition` as its `show_if`, on line 32.
pub(super) fn in_a_form(condition: &str) -> String {
    let escaped: String = condition
        .chars()
        .map(|c| match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            c if c.is_control() => format!("\\u{:04X}", c as u32),
            c => c.to_string(),
        })
        .collect();
    format!(
        r#"title = "T"
[[questions]]
id = "n"
type = "number"
label = "N"
[[questions]]
id = "d"
type = "date"
label = "D"
[[questions]]
id = "naam"
type = "text"
label = "Naam"
[[questions]]
id = "gebruikt"
type = "yesno"
label = "G"
[[questions]]
id = "wijk"
type = "single"
label = "Wijk"
options = ["noord", "zuid"]
[[questions]]
id = "platforms"
type = "multi"
label = "P"
options = ["a", "b"]
[[questions]]
id = "b"
type = "yesno"
label = "B"
show_if = "{escaped}"
[[questions]]
id = "later"
type = "yesno"
label = "L"
"#
    )
}

const SHOW_IF_LINE: usize = 32;

fn leaf() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "n", "d", "naam", "gebruikt", "wijk", "platforms", "tevreden", "grid", "grid.snel", "grid.traag",
        "b", "later", "onbekend", "'noord'", "'x'", "'2026-01-31'", "'2026-02-30'", "12", "1.5", "0",
        "1.2.3", "true", "false", "answered(naam)", "selected(wijk, 'noord')", "selected(wijk, 'west')",
        "count(platforms)", "count(n)", "selected(platforms, 'a')", "vreemd(n)", "answered()",
        "99999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999999",
    ])
    .prop_map(str::to_string)
}

/// Conditions built from the grammar, right and wrong.
fn condition() -> impl Strategy<Value = String> {
    leaf().prop_recursive(8, 64, 4, |inner| {
        let op = prop::sample::select(vec![
            " and ", " or ", " = ", " != ", " < ", " <= ", " > ", " >= ", " + ", " - ", " * ", " / ", " <> ",
            " == ",
        ]);
        let list = prop::collection::vec(prop::sample::select(vec!["'noord'", "1", "-2", "true", "n"]), 0..4)
            .prop_map(|items| format!("[{}]", items.join(", ")));
        prop_oneof![
            inner.clone().prop_map(|e| format!("not {e}")),
            inner.clone().prop_map(|e| format!("({e})")),
            inner.clone().prop_map(|e| format!("-{e}")),
            (inner.clone(), op, inner.clone()).prop_map(|(a, op, b)| format!("{a}{op}{b}")),
            (inner.clone(), list.clone()).prop_map(|(e, l)| format!("{e} in {l}")),
            (inner, list).prop_map(|(e, l)| format!("{e} not in {l}")),
        ]
    })
}

/// Tokens in any order, and characters the language does not have.
fn soup() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        leaf(),
        prop::sample::select(vec![
            "(",
            ")",
            "[",
            "]",
            ",",
            ".",
            "not",
            "in",
            "and",
            "or",
            "=",
            "<",
            ">=",
            "-",
            "+",
            "*",
            "/",
            "'",
            "\"",
            "&&",
            "!",
            "é",
            "\u{0}",
            "\n",
            "selected(",
            "count(",
        ])
        .prop_map(str::to_string),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec((token, prop::bool::ANY), 0..24)
        .prop_map(|parts| parts.into_iter().map(|(t, space)| if space { t + " " } else { t }).collect())
}

fn answer() -> impl Strategy<Value = (String, Answer)> {
    let value = prop_oneof![
        any::<bool>().prop_map(Answer::Bool),
        prop_oneof![Just(0.0), Just(1.0), Just(-3.5), Just(1e300), Just(f64::MAX)].prop_map(Answer::Number),
        prop::sample::select(vec!["", "noord", "zuid", "nvt", "2026-01-31", "x"])
            .prop_map(|s| Answer::Text(s.to_string())),
        prop::collection::vec(prop::sample::select(vec!["a", "b", "_other"]), 0..3)
            .prop_map(|v| Answer::Many(v.into_iter().map(str::to_string).collect())),
        Just(Answer::Grid(BTreeMap::from([("snel".to_string(), Answer::Number(2.0))]))),
    ];
    let key =
        prop::sample::select(vec!["n", "d", "naam", "gebruikt", "wijk", "platforms", "tevreden", "grid"]);
    (key.prop_map(str::to_string), value)
}

/// The condition on its own: refused at a character of its text, or evaluated for any answers.
fn check_alone(source: &str, answers: &Answers) {
    match quickly(source, || expr::parse(source, &Earlier)) {
        Ok(e) => {
            quickly("evaluation", || e.holds(answers));
            let json = serde_json::to_value(&e).expect("serialises");
            let back: expr::Expr = serde_json::from_str(&json.to_string())
                .unwrap_or_else(|err| panic!("{source}: the condition cannot be read back: {err}"));
            let again = serde_json::to_value(&back).expect("serialises again");
            assert!(same(&json, &again), "{source}: reads back as {back:?}");
        }
        Err(e) => {
            assert!(e.offset <= source.len() && source.is_char_boundary(e.offset), "{source}: {e:?}");
            assert!(!e.message.trim().is_empty(), "{source}: an empty message");
        }
    }
}

/// The condition in a form file: the form stores, or every problem is on the `show_if` line.
fn check_in_a_form(source: &str) {
    let text = in_a_form(source);
    let file = "forms/show-if.toml";
    let lists = forms::Lists::new();
    match quickly(source, || forms::check_text(file, &text, &lists)) {
        Ok(form) => assert_storable(&form),
        Err(diags) => {
            assert_placed(file, &text, &diags);
            for d in &diags {
                assert_eq!(d.line, SHOW_IF_LINE, "{source}: {d}");
                assert!(d.col >= 12, "{source}: {d} points before the condition");
            }
        }
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_generated_condition_is_refused_at_its_text_or_evaluates_and_stores(
        source in condition(),
        answers in prop::collection::btree_map(answer().prop_map(|(k, _)| k), answer().prop_map(|(_, v)| v), 0..6),
    ) {
        check_alone(&source, &answers);
        check_in_a_form(&source);
    }

    #[test]
    fn token_soup_is_refused_at_its_text_or_evaluates_and_stores(source in soup()) {
        check_alone(&source, &Answers::new());
        check_in_a_form(&source);
    }

    #[test]
    fn nesting_of_any_kind_is_accepted_up_to_the_limit_and_refused_beyond_it(
        wraps in prop::collection::vec(prop::sample::select(vec!["not ", "(", "-", "and", "+"]), 0..80),
    ) {
        let source = wrapped(&wraps);
        check_alone(&source, &Answers::new());
        check_in_a_form(&source);
    }
}

/// `gebruikt`, or `n > 0` when there is arithmetic, inside the given wrappers, outermost first.
fn wrapped(wraps: &[&str]) -> String {
    let arithmetic = wraps.contains(&"-") || wraps.contains(&"+");
    let mut inner = if arithmetic { "n".to_string() } else { "gebruikt".to_string() };
    for wrap in wraps.iter().rev() {
        inner = match *wrap {
            "not " if arithmetic => format!("(n + {inner})"),
            "and" if arithmetic => format!("n * {inner}"),
            "not " => format!("not {inner}"),
            "(" => format!("({inner})"),
            "-" => format!("-{inner}"),
            "and" => format!("gebruikt and {inner}"),
            _ => format!("{inner} + 1"),
        };
    }
    if arithmetic { format!("{inner} > 0") } else { inner }
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused_quickly_with_a_clear_message() {
    let deep = 10_000;
    let sources = [
        format!("{}gebruikt{}", "(".repeat(deep), ")".repeat(deep)),
        format!("{}gebruikt", "not ".repeat(deep)),
        format!("{}n > 0", "-".repeat(deep)),
        format!("{}n > 0", "- ".repeat(deep)),
        format!("{}gebruikt{}", "not (".repeat(deep), ")".repeat(deep)),
        format!("{}gebruikt", "gebruikt and ".repeat(deep * 10)),
        format!("n{} > 0", " + 1".repeat(deep * 10)),
        format!("n{} > 0", " * n".repeat(deep * 10)),
        "(".repeat(deep * 10),
        "not ".repeat(deep * 10),
    ];
    for source in &sources {
        let error = quickly("a deep condition", || expr::parse(source, &Earlier))
            .expect_err("ten thousand levels are too many");
        assert!(error.message.contains("nested too deeply"), "{}: {error:?}", &source[..40]);
        assert!(error.offset <= source.len(), "{error:?}");
        check_in_a_form(source);
    }
}
