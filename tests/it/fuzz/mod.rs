//! Property tests of everything that reads open-ended input: form and job files, `show_if`
//! conditions, contact lists and posted answers. Inputs are the shipped files with structured
//! mutations (lines deleted, duplicated, swapped; brackets, quotes and bytes inserted; values of
//! the wrong type; the text cut off) and generated conditions, including absurdly deep ones.
//! What must hold: no panic, no hang, and every refusal a clear message at a real place.
//!
//! The default number of cases keeps a CI run short; `PROPTEST_CASES=5000` runs each property
//! longer. The libFuzzer targets in `fuzz/` (outside the main build) go further still.

mod answers;
mod contacts_csv;
mod form_files;
mod found;
mod job_files;
mod rules;
mod show_if;

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, FileFailurePersistence};
use rules::{assert_placed, assert_storable, same, shipped_forms};

/// Where [`rules`] finds the shipped forms, from the repository root.
const FORMS_DIR: &str = "forms";

/// `default` cases, or `PROPTEST_CASES` when it is set (for a long run).
fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default);
    // A failure is turned into a named regression test by hand; no files appear in the tree.
    Config { cases, failure_persistence: Some(Box::new(FileFailurePersistence::Off)), ..Config::default() }
}

/// Far more than any input here needs on the slowest machine: a case that takes longer hangs.
const CASE_LIMIT: Duration = Duration::from_secs(3);

/// Runs `f`, failing if it takes longer than [`CASE_LIMIT`].
fn quickly<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = f();
    let took = started.elapsed();
    assert!(took < CASE_LIMIT, "{what} took {took:?}");
    result
}

/// One change to a file's text.
#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    Insert(Index, String),
    /// The value after the `=` of a line, replaced.
    ReplaceValue(Index, String),
    Truncate(Index),
}

/// Text that breaks TOML, or a form, in interesting ways.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "[",
            "]",
            "[[",
            "]]",
            "{",
            "}",
            "\"",
            "'",
            "\"\"\"",
            "'''",
            "=",
            "\n",
            "\r\n",
            "\\",
            "\\u",
            "#",
            ".",
            ",",
            "\0",
            "é",
            "\u{feff}",
            "\u{202e}",
            "\t",
            "[[pages]]\n",
            "[[questions]]\n",
            "[[pages.questions]]\n",
            "show_if = \"",
            "id = \"x\"\n",
            "type = \"matrix\"\n",
            "(",
            ")",
            "not ",
            " and ",
            "options = \"wijken\"\n",
            "[audience]\n",
            "[mail]\n",
            "[[sessions]]\n",
        ])
        .prop_map(str::to_string),
        any::<char>().prop_map(String::from),
        "[ -~]{1,12}",
    ]
}

/// Values of every TOML type, and some that are not TOML at all.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "1",
            "-1",
            "0",
            "1.5",
            "1e400",
            "nan",
            "inf",
            "-0",
            "9999999999999999999999",
            "0x10",
            "true",
            "false",
            "\"\"",
            "\"x\"",
            "\"wijken\"",
            "'x'",
            "[]",
            "[1, \"a\"]",
            "{}",
            "{ id = 1 }",
            "2026-12-04",
            "12:00:00",
            "[[",
            "\"unterminated",
            "\"\\q\"",
            "\"not not not x\"",
            "\"(((((((\"",
            "\"0 9 1 * *\"",
            "\"14d\"",
            "\"-3d\"",
            "",
            // Multi-line strings, whose first line break is not part of the value.
            "\"\"\"\nHallo\ndaar\"\"\"",
            "\"\"\"\n0 9 32 * *\"\"\"",
            "'''\n0 9 32 * *'''",
            "'''\nnot 1'''",
        ])
        .prop_map(str::to_string),
        "\"[ -~]{0,20}\"",
        any::<i64>().prop_map(|n| n.to_string()),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<Index>().prop_map(Mutation::DeleteLine),
        any::<Index>().prop_map(Mutation::DuplicateLine),
        (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<Index>(), fragment()).prop_map(|(at, s)| Mutation::Insert(at, s)),
        (any::<Index>(), value()).prop_map(|(at, v)| Mutation::ReplaceValue(at, v)),
        any::<Index>().prop_map(Mutation::Truncate),
    ]
}

/// A few mutations, applied in order.
fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..6)
}

fn mutate(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_string();
    for m in mutations {
        text = apply(&text, m);
    }
    text
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = text.split_inclusive('\n').collect();
    if lines.is_empty() {
        lines.push("");
    }
    let line = |i: &Index| i.index(lines.len());
    match m {
        Mutation::DeleteLine(i) => {
            lines.remove(line(i));
        }
        Mutation::DuplicateLine(i) => {
            let at = line(i);
            lines.insert(at, lines[at]);
        }
        Mutation::SwapLines(a, b) => {
            let (a, b) = (line(a), line(b));
            lines.swap(a, b);
        }
        Mutation::Insert(i, s) => {
            let at = char_boundary(text, i.index(text.len() + 1));
            return format!("{}{s}{}", &text[..at], &text[at..]);
        }
        Mutation::ReplaceValue(i, v) => {
            let at = line(i);
            if let Some((key, _)) = lines[at].split_once('=') {
                let (before, after) = (lines[..at].concat(), lines[at + 1..].concat());
                return format!("{before}{key}= {v}\n{after}");
            }
        }
        Mutation::Truncate(i) => {
            let at = char_boundary(text, i.index(text.len() + 1));
            return text[..at].to_string();
        }
    }
    lines.concat()
}

fn char_boundary(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The text of a shipped file, e.g. `forms/intervisie.toml`.
fn shipped(path: &str) -> String {
    std::fs::read_to_string(crate::helpers::repo(path)).expect("a shipped file")
}

/// The shipped `*.toml` files directly in `dir`, by path, sorted.
fn shipped_files(dir: &str) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(crate::helpers::repo(dir))
        .expect("a shipped folder")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".toml") && name != "README.toml")
        .map(|name| format!("{dir}/{name}"))
        .collect();
    files.sort();
    files
}
