//! The form-file checker as a coordinator meets it: every kind of mistake in a form file is
//! reported as `file:line:col: message`, all at once; the shipped forms load; and `show_if`
//! conditions evaluate as docs/forms.md promises.

mod evaluation;
mod field_limit;
mod in_words;
mod keys;
mod reading;
mod show_if;
mod values;
mod whole_forms;

use std::collections::BTreeMap;
use std::path::Path;

use peil::forms::expr::{self, Lookup, Scope, Ty};
use peil::forms::{self, Answer, Answers, Form, Lists, QuestionKind};

const FILE: &str = "forms/test.toml";

/// Two shared lists, as `forms/lists/` would hold them.
fn lists() -> Lists {
    forms::lists_from(&[
        ("wijken", r#"options = ["noord", "zuid", "oost"]"#),
        (
            "eens5",
            r#"options = [
                { value = 1, label = "Helemaal oneens" },
                { value = 2, label = "Oneens" },
                { value = 3, label = "Neutraal" },
                { value = 4, label = "Eens" },
                { value = 5, label = "Helemaal eens" },
            ]"#,
        ),
    ])
    .expect("the test lists are valid")
}

/// The text of a form written in a test; a leading newline is dropped so that line 1 of the
/// file is the first line after `r#"`.
fn source(text: &str) -> &str {
    text.strip_prefix('\n').unwrap_or(text)
}

/// The problems in a form, each as `file:line:col: message`.
fn errors(text: &str) -> Vec<String> {
    match forms::check_text(FILE, source(text), &lists()) {
        Ok(_) => panic!("expected problems, but the form is valid:\n{text}"),
        Err(diags) => diags.iter().map(ToString::to_string).collect(),
    }
}

fn form(text: &str) -> Form {
    match forms::check_text(FILE, source(text), &lists()) {
        Ok(form) => form,
        Err(diags) => panic!("expected a valid form, got:\n{}", lines(&diags)),
    }
}

fn lines(diags: &[forms::Diagnostic]) -> String {
    diags.iter().map(|d| format!("{d}\n")).collect()
}

/// The problems in a form whose only trouble is the `show_if` of its last question, `b`, which
/// comes after a number `n`, a date `d`, a single choice `wijk` (noord, zuid, oost), a multi
/// `platforms`, a scale `tevreden` and a matrix `grid`. `show_if` is on line 35, its text from
/// column 12.
fn show_if_errors(condition: &str) -> Vec<String> {
    let text = format!(
        r#"title = "T"
[[questions]]
id = "n"
type = "number"
label = "Aantal"
[[questions]]
id = "d"
type = "date"
label = "Datum"
[[questions]]
id = "wijk"
type = "single"
label = "Wijk"
options = "wijken"
[[questions]]
id = "platforms"
type = "multi"
label = "Platforms"
options = ["a", "b", "c"]
[[questions]]
id = "tevreden"
type = "scale"
label = "Tevreden"
options = "eens5"
[[questions]]
id = "grid"
type = "matrix"
label = "Grid"
options = "eens5"
items = [{{ id = "snel", label = "Snel" }}, {{ id = "vriendelijk", label = "Vriendelijk" }}]
[[questions]]
id = "b"
type = "yesno"
label = "B"
show_if = "{condition}"
"#
    );
    errors(&text)
}

/// What `show_if_errors` returns for one problem at column `col` of the `show_if` line.
fn column(col: usize, message: &str) -> Vec<String> {
    vec![format!("{FILE}:35:{col}: show_if: {message}")]
}
