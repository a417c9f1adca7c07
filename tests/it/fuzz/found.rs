//! What the properties found, each kept as the smallest input that showed it.

use peil::forms::expr::{self, MAX_DEPTH};

use super::show_if::{Earlier, in_a_form};
use super::*;

const FILE: &str = "forms/show-if.toml";

/// The problems with `condition` as the `show_if` of a form (its text starts at column 12).
fn errors(condition: &str) -> Vec<String> {
    let text = in_a_form(condition);
    let lists = peil::forms::Lists::new();
    match peil::forms::check_text(FILE, &text, &lists) {
        Ok(form) => {
            assert_storable(&form);
            Vec::new()
        }
        Err(diags) => diags.iter().map(ToString::to_string).collect(),
    }
}

fn too_deep(col: usize) -> Vec<String> {
    vec![format!(
        "{FILE}:32:{col}: show_if: the condition is nested too deeply (more than {MAX_DEPTH} levels of \
         brackets, `not`, `and`, `or` and operators); write it more simply, e.g. q in ['a', 'b'] for a \
         list of values"
    )]
}

/// `not` recursed without a limit: ten thousand of them overflowed the stack and aborted
/// `peil check` (and the test binary) instead of reporting a problem.
#[test]
fn ten_thousand_nots_are_refused_at_the_first_one_too_many() {
    let condition = format!("{}gebruikt", "not ".repeat(10_000));
    assert_eq!(errors(&condition), too_deep(12 + 4 * MAX_DEPTH));
}

/// The same for a row of minus signs.
#[test]
fn ten_thousand_minus_signs_are_refused_at_the_first_one_too_many() {
    let condition = format!("{}n > 0", "-".repeat(10_000));
    assert_eq!(errors(&condition), too_deep(12 + MAX_DEPTH));
}

/// 61 times `not` passed the check, but the round's JSON snapshot of the form then went past
/// serde_json's 128 levels: "recursion limit exceeded", and the round could not be opened.
#[test]
fn a_condition_too_deep_for_the_round_snapshot_is_refused_in_the_form_file() {
    assert_eq!(errors(&format!("{}gebruikt", "not ".repeat(61))), too_deep(12 + 4 * MAX_DEPTH));
    assert_eq!(errors(&format!("{}gebruikt", "not ".repeat(MAX_DEPTH - 1))), Vec::<String>::new());
}

/// A long `and` builds the tree as deep as it is long, without any recursion in the parser.
#[test]
fn a_long_chain_of_and_is_refused_at_the_operator_that_makes_it_too_deep() {
    let chain = |n: usize| format!("{}gebruikt", "gebruikt and ".repeat(n));
    assert_eq!(errors(&chain(MAX_DEPTH - 1)), Vec::<String>::new());
    assert_eq!(errors(&chain(MAX_DEPTH)), too_deep(12 + 13 * (MAX_DEPTH - 1) + 9));
    let error = expr::parse(&chain(100_000), &Earlier).expect_err("far too deep");
    assert_eq!(error.offset, 13 * (MAX_DEPTH - 1) + 9);
}

/// A number past f64 became infinity, which JSON writes as `null`: the round's snapshot could
/// not be read back ("invalid type: null, expected f64").
#[test]
fn a_number_too_large_for_a_float_is_refused() {
    assert_eq!(
        errors(&format!("n > {}", "9".repeat(400))),
        [format!("{FILE}:32:16: show_if: the number starting here is too large")]
    );
}

/// A value with a line break, quoted in a message, split the problem over two lines of
/// `peil check`'s output.
#[test]
fn a_quoted_value_with_a_line_break_keeps_its_problem_on_one_line() {
    let text = "title = \"T\"\n[[questions]]\nid = \"q\"\ntype = \"scale\"\nlabel = \"Q\"\noptions = \"\"\"ee\ns5\"\"\"\n";
    let lists =
        peil::forms::lists_from(&[("eens5", "options = [{ value = 1 }, { value = 2 }]")]).expect("a list");
    let diags = peil::forms::check_text("forms/lines.toml", text, &lists).expect_err("no such list");
    let shown: Vec<String> = diags.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            r#"forms/lines.toml:6:14: there is no option list `ee\ns5` (forms/lists/ee\ns5.toml); did you mean "eens5"?"#
        ]
    );
    assert_placed("forms/lines.toml", text, &diags);
}

/// A NUL in a cell was a database error on PostgreSQL ("invalid byte sequence for encoding
/// UTF8: 0x00", no line), and stored as it was on SQLite.
#[tokio::test]
async fn a_nul_in_a_contact_list_is_refused_at_its_line_on_both_databases() {
    let dir = tempfile::tempdir().expect("temp dir");
    let test_db = crate::pg::TestDb::new(dir.path());
    let db = test_db.db().await;
    let path = dir.path().join("lijst.csv");
    std::fs::write(&path, "naam;e-mail;rol\nAnna;a@example.nl;huisarts\nB\0s;b@example.nl;huisarts\n")
        .expect("write");
    let error = peil::contacts::import_csv(
        &db,
        &path,
        &contacts_csv::vocabulary(),
        &peil::settings::Secret::new(peil::crypto::random_b64(48)),
        chrono::Utc::now(),
    )
    .await
    .expect_err("a NUL is no name");
    assert_eq!(
        error.to_string(),
        format!(
            "{}:3: column \"naam\" holds an invisible control character (U+0000); retype that cell",
            path.display()
        )
    );
    assert_eq!(contacts_csv::table(db.read()).await, Vec::<String>::new());
}

/// In a file with Windows line ends, a problem inside a multi-line string was placed two
/// columns early: the `\r\n` after the opening quotes was counted as part of the value.
#[test]
fn a_problem_in_a_multi_line_string_of_a_windows_file_is_placed_as_in_a_unix_file() {
    let forms = peil::forms::load(&crate::helpers::repo("forms")).expect("the shipped forms");
    let subject = "form = \"wachttijden\"\n[mail]\ninvitation_subject = \"\"\"\nHallo\ndaar\"\"\"\n";
    let schedule = "form = \"wachttijden\"\nschedule = '''\n0 9 32 * *'''\n";
    for (text, expected) in [
        (
            subject,
            "jobs/x.toml:4:6: `invitation_subject` must be one line: an e-mail subject cannot hold a line break",
        ),
        (
            schedule,
            "jobs/x.toml:3:5: there is no day of the month 32; the day-of-month field takes 1-31 or L for the last day, e.g. 1 or 1,15",
        ),
    ] {
        for text in [text.to_string(), text.replace('\n', "\r\n")] {
            let diags = peil::jobs::check_text("jobs/x.toml", &text, &forms).expect_err("a problem");
            assert_eq!(diags.iter().map(ToString::to_string).collect::<Vec<_>>(), [expected], "{text:?}");
        }
    }
}
