//! The form-file checker as a coordinator meets it: every kind of mistake in a form file is
//! reported as `file:line:col: message`, all at once; the shipped forms load; and `show_if`
//! conditions evaluate as the README promises.

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

// --- TOML itself -------------------------------------------------------------------------------

#[test]
fn a_toml_syntax_error_is_reported_where_it_is() {
    assert_eq!(
        errors("title = \"Samenwerking\n"),
        [format!("{FILE}:1:22: TOML syntax: invalid basic string, expected `\"`")]
    );
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]
id = "a"
"#
        ),
        [format!("{FILE}:2:13: TOML syntax: unclosed array table, expected `]`")]
    );
}

// --- Form keys ---------------------------------------------------------------------------------

#[test]
fn a_form_without_a_title_is_refused() {
    assert_eq!(
        errors(
            r#"
[[questions]]
id = "a"
type = "yesno"
label = "A"
"#
        ),
        [format!("{FILE}:1:1: missing `title`; add e.g. title = \"Samenwerking in de wijk\"")]
    );
}

#[test]
fn a_misspelt_top_level_key_gets_a_suggestion_and_no_second_missing_title_report() {
    assert_eq!(
        errors(
            r#"
titel = "T"
[[questions]]
id = "a"
type = "yesno"
label = "A"
"#
        ),
        [format!("{FILE}:1:1: unknown key `titel`; did you mean `title`?")]
    );
}

#[test]
fn an_unknown_key_far_from_any_known_one_lists_the_valid_keys() {
    assert_eq!(
        errors(
            r#"
title = "T"
colour = "blue"
[[questions]]
id = "a"
type = "yesno"
label = "A"
"#
        ),
        [format!(
            "{FILE}:2:1: unknown key `colour`; valid here: title, title_en, intro, intro_en, kind, \
             anonymous, thanks, thanks_en, min_group_size, pages, questions"
        )]
    );
}

#[test]
fn pages_and_top_level_questions_together_are_refused_once() {
    assert_eq!(
        errors(
            r#"
title = "T"
pages = []
[[questions]]
id = "a"
type = "yesno"
label = "A"
"#
        ),
        [format!("{FILE}:1:1: use either [[pages]] or top-level [[questions]], not both")]
    );
}

// --- Question keys and types -------------------------------------------------------------------

#[test]
fn a_misspelt_question_key_gets_a_suggestion() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "a"
type = "yesno"
label = "A"
reqired = true
"#
        ),
        [format!("{FILE}:6:1: unknown key `reqired`; did you mean `required`?")]
    );
}

#[test]
fn a_misspelt_label_is_reported_as_a_typo_not_also_as_missing() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "a"
type = "yesno"
lable = "A"
"#
        ),
        [format!("{FILE}:5:1: unknown key `lable`; did you mean `label`?")]
    );
}

#[test]
fn a_key_of_another_question_type_is_named_as_such() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[pages]]
title = "Eerste pagina"
[[pages.questions]]
id = "naam"
type = "text"
label = "Naam"
max_choices = 2
"#
        ),
        [format!("{FILE}:8:1: `max_choices` does not apply to a `text` question")]
    );
}

#[test]
fn an_unknown_type_gets_a_suggestion_and_its_keys_are_not_reported_again() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "wijk"
type = "singel"
label = "Wijk"
options = "wijken"
widget = "dropdown"
"#
        ),
        [format!("{FILE}:4:9: unknown question type `singel`; did you mean `single`?")]
    );
}

#[test]
fn a_question_id_with_capitals_or_hyphens_is_refused() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "Wijk-1"
type = "yesno"
label = "A"
"#
        ),
        [format!(
            "{FILE}:3:7: question id `Wijk-1` must be lower-case letters, digits and _ (starting with \
             a letter), e.g. `aantal_patienten`"
        )]
    );
}

#[test]
fn a_duplicate_question_id_names_both_lines() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "a"
type = "yesno"
label = "A"

[[questions]]
id = "a"
type = "yesno"
label = "B"
"#
        ),
        [format!(
            "{FILE}:8:7: duplicate question id `a`; line 3 uses it already; give each question its own id"
        )]
    );
}

// --- show_if: names ----------------------------------------------------------------------------

#[test]
fn show_if_naming_an_unknown_question_suggests_the_nearest() {
    assert_eq!(
        show_if_errors("wyjk = 'noord'"),
        column(12, "there is no question `wyjk`; did you mean `wijk`?")
    );
}

#[test]
fn show_if_naming_a_later_question_is_refused() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "b"
type = "yesno"
label = "B"
show_if = "n > 3"
[[questions]]
id = "n"
type = "number"
label = "N"
"#
        ),
        [format!(
            "{FILE}:6:12: show_if: `n` comes later in the form; show_if may only use earlier \
             questions (move this question after it)"
        )]
    );
}

#[test]
fn a_page_show_if_cannot_use_a_question_on_that_page() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[pages]]
show_if = "n > 3"
[[pages.questions]]
id = "n"
type = "number"
label = "N"
"#
        ),
        [format!(
            "{FILE}:3:12: show_if: `n` comes later in the form; show_if may only use earlier \
             questions (move this question after it)"
        )]
    );
}

#[test]
fn show_if_naming_its_own_question_is_refused() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "b"
type = "yesno"
label = "B"
show_if = "b = true"
"#
        ),
        [format!("{FILE}:6:12: show_if: `b` cannot depend on itself")]
    );
}

#[test]
fn show_if_on_a_question_with_its_own_errors_adds_no_second_error() {
    // `n` is broken (min > max), but `b` may still name it: one problem, not two.
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "n"
type = "number"
label = "N"
min = 10
max = 5
[[questions]]
id = "b"
type = "yesno"
label = "B"
show_if = "n > 3 and n.x = 'iets' and selected(n, 'y')"
"#
        ),
        [format!("{FILE}:6:7: `min` (10) is larger than `max` (5); swap them")]
    );
}

// --- show_if: types and values -----------------------------------------------------------------

#[test]
fn show_if_comparing_a_single_choice_with_a_value_it_does_not_have_lists_its_options() {
    assert_eq!(
        show_if_errors("wijk = 'west'"),
        column(19, "'west' is not an option of `wijk`; its options are 'noord', 'zuid', 'oost'")
    );
    assert_eq!(
        show_if_errors("wijk in ['noord', 'west']"),
        column(30, "'west' is not an option of `wijk`; its options are 'noord', 'zuid', 'oost'")
    );
    assert_eq!(
        show_if_errors("selected(platforms, 'd')"),
        column(32, "'d' is not an option of `platforms`; its options are 'a', 'b', 'c'")
    );
}

#[test]
fn show_if_comparing_a_number_question_with_text_is_refused() {
    assert_eq!(show_if_errors("n = 'veel'"), column(16, "cannot compare a number with text"));
    assert_eq!(show_if_errors("n in [1, 'twee']"), column(21, "cannot compare a number with text"));
}

#[test]
fn show_if_ordering_a_single_choice_is_refused_at_the_operator() {
    assert_eq!(
        show_if_errors("wijk < 'zuid'"),
        column(
            17,
            "`<` compares numbers or dates; `wijk` is a single choice, so use = or != (or `in [...]`)"
        )
    );
}

#[test]
fn show_if_checks_scale_points_matrix_items_and_dates() {
    assert_eq!(
        show_if_errors("tevreden = 7"),
        column(23, "7 is not on the scale of `tevreden`; its points are 1, 2, 3, 4, 5")
    );
    assert_eq!(
        show_if_errors("grid.snel = 0"),
        column(24, "0 is not on the scale of `grid.snel`; its points are 1, 2, 3, 4, 5")
    );
    assert_eq!(
        show_if_errors("grid.traag >= 4"),
        column(12, "matrix `grid` has no item `traag`; its items are 'snel', 'vriendelijk'")
    );
    assert_eq!(
        show_if_errors("grid >= 4"),
        column(12, "compare one item of a matrix, e.g. `q.item >= 4`, or use answered(q)")
    );
    assert_eq!(show_if_errors("n.snel = 1"), column(12, "`n` is not a matrix; drop the `.item`"));
    assert_eq!(
        show_if_errors("d > '2025-13-01'"),
        column(16, "'2025-13-01' is not a date; write it as 'YYYY-MM-DD'")
    );
}

#[test]
fn show_if_on_a_multi_needs_selected_or_count() {
    assert_eq!(
        show_if_errors("platforms = 'a'"),
        column(12, "a multi question holds several values; use selected(q, 'v') or count(q)")
    );
    assert_eq!(show_if_errors("count(n) > 1"), column(18, "count(q) applies to a multi or slot question"));
    assert_eq!(
        show_if_errors("selected(n, 'x')"),
        column(21, "selected() applies to a single or multi choice; `n` is not")
    );
}

#[test]
fn show_if_must_be_a_condition_joined_by_and_or_not() {
    assert_eq!(
        show_if_errors("n + 1"),
        column(12, "this is a value, not a condition; compare it, e.g. `wijk = 'noord'`, or use answered(q)")
    );
    assert_eq!(
        show_if_errors("n or d = '2025-01-01'"),
        column(12, "`and`, `or` and `not` join conditions, e.g. `a = 1 and b = 'x'`")
    );
    assert_eq!(show_if_errors("n + 'a' > 1"), column(14, "arithmetic (+ - * /) works on numbers only"));
}

// --- show_if: syntax ---------------------------------------------------------------------------

#[test]
fn a_show_if_syntax_error_points_into_the_expression() {
    assert_eq!(show_if_errors("n > 3 and and n < 5"), column(22, "`and` needs a value before it"));
    assert_eq!(show_if_errors("n > 3 && n < 5"), column(18, "write `and` / `or` instead of `&&` / `||`"));
    assert_eq!(show_if_errors("(n > 3"), column(18, "expected `)`"));
    assert_eq!(show_if_errors("n > 3 < 4"), column(18, "unexpected `<` after a complete condition"));
    assert_eq!(
        show_if_errors("n > 1 and"),
        column(21, "the condition ends too early; expected a question id or a value")
    );
    assert_eq!(show_if_errors("n in []"), column(18, "the list after `in` is empty"));
    assert_eq!(show_if_errors("n = 1.2.3"), column(16, "`1.2.3` is not a number"));
    assert_eq!(show_if_errors("wijk = 'noord"), column(19, "text starting here has no closing '"));
    assert_eq!(show_if_errors("grid. = 1"), column(18, "expected a matrix item id after `.`"));
    assert_eq!(
        show_if_errors("som(n) > 1"),
        column(12, "unknown function `som`; use selected(q, 'v'), answered(q) or count(q)")
    );
}

#[test]
fn a_show_if_column_counts_escapes_and_multi_line_strings_as_written() {
    // `\"` is two characters in the file but one in the condition.
    assert_eq!(show_if_errors(r#"wijk = \"noord\" and and"#), column(33, "`and` needs a value before it"));
    let multi_line = errors(
        r#"
title = "T"
[[questions]]
id = "n"
type = "number"
label = "N"
[[questions]]
id = "b"
type = "yesno"
label = "B"
show_if = """
n > 3 and
  m < 2"""
"#,
    );
    assert_eq!(multi_line, [format!("{FILE}:12:3: show_if: there is no question `m`; did you mean `n`?")]);
}

// --- Options -----------------------------------------------------------------------------------

#[test]
fn a_named_option_list_that_does_not_exist_is_refused_with_the_lists_that_do() {
    let question = |list: &str| {
        format!(
            "title = \"T\"\n[[questions]]\nid = \"w\"\ntype = \"single\"\nlabel = \"W\"\noptions = \"{list}\"\n"
        )
    };
    assert_eq!(
        errors(&question("wijk")),
        [format!(
            "{FILE}:6:12: there is no option list `wijk` (forms/lists/wijk.toml); did you mean \"wijken\"?"
        )]
    );
    assert_eq!(
        errors(&question("rollen")),
        [format!(
            "{FILE}:6:12: there is no option list `rollen` (forms/lists/rollen.toml); lists: eens5, wijken"
        )]
    );
}

#[test]
fn options_must_be_unique_and_non_empty() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "w"
type = "multi"
label = "W"
options = ["a", "b", "a", "_x", 3.5]
"#
        ),
        [
            format!("{FILE}:6:22: option \"a\" is listed twice"),
            format!("{FILE}:6:27: an option value cannot be empty or start with `_`"),
            format!("{FILE}:6:33: an option is \"text\" or {{ value = ..., label = \"...\" }}, not float"),
        ]
    );
}

// --- Bounds and patterns -----------------------------------------------------------------------

#[test]
fn a_number_question_with_min_above_max_is_refused() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "n"
type = "number"
label = "N"
min = 10
max = 5
unit = "patiënten"
"#
        ),
        [format!("{FILE}:6:7: `min` (10) is larger than `max` (5); swap them")]
    );
}

#[test]
fn a_text_question_with_min_length_above_max_length_is_refused() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "t"
type = "textarea"
label = "T"
min_length = 10
max_length = 5
placeholder = "..."
"#
        ),
        [format!("{FILE}:6:14: `min_length` (10) is larger than `max_length` (5)")]
    );
}

#[test]
fn an_invalid_regular_expression_is_refused_with_the_reason() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "big"
type = "text"
label = "BIG-nummer"
pattern = '[0-9{11}'
"#
        ),
        [format!("{FILE}:6:12: `pattern` is not a valid regular expression: unclosed character class")]
    );
}

#[test]
fn a_pattern_message_without_a_pattern_is_refused_at_the_message() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "big"
type = "text"
label = "BIG-nummer"
pattern_message = "Vul 11 cijfers in."
"#
        ),
        [format!("{FILE}:6:1: `pattern_message` without a `pattern`; add the pattern or drop the message")]
    );
}

// --- Scales and matrices -----------------------------------------------------------------------

#[test]
fn a_scale_needs_whole_numbers_going_up() {
    let scale = |options: &str| {
        format!(
            "title = \"T\"\n[[questions]]\nid = \"s\"\ntype = \"scale\"\nlabel = \"S\"\noptions = {options}\n"
        )
    };
    assert_eq!(
        errors(&scale(r#"["laag", "hoog"]"#)),
        [format!(
            "{FILE}:6:11: scale points need whole-number values, e.g. {{ value = 1, label = \"Helemaal \
             oneens\" }}; found \"laag\""
        )]
    );
    assert_eq!(
        errors(&scale("[{ value = 1 }, { value = 3 }, { value = 2 }]")),
        [format!("{FILE}:6:11: scale points must go up; 2 comes after 3")]
    );
    assert_eq!(
        errors(&scale("[{ value = 1 }]")),
        [format!("{FILE}:6:11: a scale needs at least two points")]
    );
}

#[test]
fn matrix_items_are_checked_one_by_one() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "m"
type = "matrix"
label = "M"
options = "eens5"
items = [
  { id = "Snel", label = "Snel" },
  { id = "a", label = "A" },
  { id = "a", label = "A again" },
  { id = "b" },
  { label = "zonder id" },
  "c",
  { id = "d", lable = "D" },
]
"#
        ),
        [
            format!("{FILE}:8:11: matrix item id `Snel` must be lower-case letters, digits and _"),
            format!("{FILE}:10:11: matrix item `a` is listed twice"),
            format!("{FILE}:11:3: this matrix item has no `label`"),
            format!("{FILE}:12:3: missing `id`; add e.g. id = \"bereikbaar\""),
            format!("{FILE}:13:3: a matrix item is {{ id = \"...\", label = \"...\" }}"),
            format!("{FILE}:14:15: unknown key `lable`; did you mean `label`?"),
        ]
    );
}

#[test]
fn a_matrix_without_items_or_with_none_is_refused() {
    let matrix = |items: &str| {
        format!(
            "title = \"T\"\n[[questions]]\nid = \"m\"\ntype = \"matrix\"\nlabel = \"M\"\noptions = \"eens5\"\n{items}"
        )
    };
    assert_eq!(
        errors(&matrix("")),
        [format!(
            "{FILE}:2:1: a matrix needs `items`, e.g. items = [{{ id = \"bereikbaar\", label = \
             \"Bereikbaarheid\" }}]"
        )]
    );
    assert_eq!(
        errors(&matrix("items = []\n")),
        [format!("{FILE}:7:9: `items` is empty; list at least one row")]
    );
}

// --- Sign-up forms -----------------------------------------------------------------------------

#[test]
fn a_slot_question_in_a_survey_is_refused_at_its_type() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "sessie"
type = "slot"
label = "Welke bijeenkomst?"
"#
        ),
        [format!(
            "{FILE}:4:9: a `slot` question belongs in a sign-up form; add kind = \"signup\" at the top"
        )]
    );
}

#[test]
fn a_signup_form_needs_exactly_one_slot_question() {
    assert_eq!(
        errors(
            r#"
title = "T"
kind = "signup"
[[questions]]
id = "opmerking"
type = "textarea"
label = "Opmerking"
"#
        ),
        [format!("{FILE}:2:9: a sign-up form needs a `slot` question, where people choose a session")]
    );
    assert_eq!(
        errors(
            r#"
title = "T"
kind = "signup"
[[questions]]
id = "eerste"
type = "slot"
label = "Eerste keus"
[[questions]]
id = "tweede"
type = "slot"
label = "Tweede keus"
"#
        ),
        [format!("{FILE}:9:9: a sign-up form has exactly one `slot` question; line 5 has it already")]
    );
}

// --- Everything at once ------------------------------------------------------------------------

#[test]
fn a_misspelt_kind_is_reported_without_guessing_at_slot_rules() {
    assert_eq!(
        errors(
            r#"
title = "T"
kind = "sign-up"
[[questions]]
id = "sessie"
type = "slot"
label = "Welke bijeenkomst?"
"#
        ),
        [format!("{FILE}:2:9: kind `sign-up` does not exist; use \"survey\" or \"signup\"")]
    );
}

#[test]
fn every_problem_in_a_file_is_reported_at_once_in_file_order() {
    let found = errors(
        r#"
titel = "Samenwerking"
[[pages]]
title = "Eén"

[[pages.questions]]
id = "wijk"
type = "single"
label = "In welke wijk werkt u?"
options = "wijken"
reqired = true

[[pages.questions]]
id = "aantal"
type = "number"
label = "Hoeveel?"
min = 10
max = 1

[[pages.questions]]
id = "wijk"
type = "singel"
label = "Nog eens"

[[pages.questions]]
id = "vervolg"
type = "yesno"
label = "Vervolg?"
show_if = "wijk = 'west'"
"#,
    );
    assert_eq!(
        found,
        [
            format!("{FILE}:1:1: unknown key `titel`; did you mean `title`?"),
            format!("{FILE}:10:1: unknown key `reqired`; did you mean `required`?"),
            format!("{FILE}:16:7: `min` (10) is larger than `max` (1); swap them"),
            format!(
                "{FILE}:20:7: duplicate question id `wijk`; line 6 uses it already; give each question its own id"
            ),
            format!("{FILE}:21:9: unknown question type `singel`; did you mean `single`?"),
        ],
        "the broken second `wijk` takes over the name, so the last show_if adds nothing"
    );
    assert_eq!(found.len(), 5);
}

#[test]
fn several_independent_problems_are_all_counted() {
    let found = errors(
        r#"
title = "T"
[[questions]]
id = "a"
type = "yesno"
label = "A"
reqired = true
[[questions]]
id = "t"
type = "text"
label = "T"
min_length = 9
max_length = 3
[[questions]]
id = "s"
type = "scale"
label = "S"
options = "eens4"
[[questions]]
id = "b"
type = "yesno"
label = "B"
show_if = "a = 'ja'"
"#,
    );
    assert_eq!(
        found,
        [
            format!("{FILE}:6:1: unknown key `reqired`; did you mean `required`?"),
            format!("{FILE}:11:14: `min_length` (9) is larger than `max_length` (3)"),
            format!(
                "{FILE}:17:12: there is no option list `eens4` (forms/lists/eens4.toml); did you mean \"eens5\"?"
            ),
            format!("{FILE}:22:16: show_if: cannot compare a yes/no value (true/false) with text"),
        ]
    );
}

// --- Valid forms -------------------------------------------------------------------------------

#[test]
fn every_shipped_form_loads() {
    let loaded = match forms::load(Path::new("forms")) {
        Ok(loaded) => loaded,
        Err(e) => panic!("the shipped forms do not load:\n{e}"),
    };
    assert!(!loaded.is_empty());
    let files = std::fs::read_dir("forms")
        .expect("forms/ exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .count();
    assert_eq!(loaded.len(), files, "every forms/*.toml is a form");
    for form in loaded.iter() {
        assert!(form.questions().next().is_some(), "{} has questions", form.id);
    }
}

#[test]
fn a_missing_forms_folder_is_a_folder_error() {
    let error = forms::load(Path::new("no-such-folder")).expect_err("no folder, no forms");
    assert!(matches!(error, forms::FormsError::Folder(..)), "{error}");
}

#[test]
fn a_valid_form_becomes_a_checked_model() {
    let checked = form(
        r#"
title = "Samenwerking"
kind = "signup"
[[pages]]
title = "Keuze"
[[pages.questions]]
id = "sessie"
type = "slot"
label = "Welke bijeenkomst?"
max_choices = 2
[[pages.questions]]
id = "wijk"
type = "single"
label = "Wijk"
options = "wijken"
[[pages.questions]]
id = "d"
type = "date"
label = "Sinds"
[[pages]]
show_if = "wijk in ['noord', 'zuid'] and d >= '2025-01-01'"
[[pages.questions]]
id = "oordeel"
type = "matrix"
label = "Oordeel"
options = "eens5"
items = [{ id = "snel", label = "Snel" }]
na = "n.v.t."
"#,
    );
    assert_eq!(checked.pages.len(), 2);
    assert_eq!(checked.questions().count(), 4);
    assert!(matches!(
        checked.question("sessie").map(|q| &q.kind),
        Some(QuestionKind::Slot { max_choices: 2 })
    ));
}

// --- Evaluating show_if ------------------------------------------------------------------------

/// The questions a condition may name in the evaluation tests.
struct Questions;

impl Scope for Questions {
    fn lookup(&self, id: &str) -> Lookup {
        let texts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        let ty = match id {
            "n" | "m" => Ty::Num,
            "d" => Ty::Date,
            "naam" => Ty::Text,
            "gebruikt" => Ty::Bool,
            "wijk" => Ty::Choice(texts(&["noord", "zuid", "oost"])),
            "platforms" => Ty::Many(texts(&["a", "b", "c"])),
            "tevreden" => Ty::Points(vec![1, 2, 3, 4, 5]),
            "grid" => Ty::Matrix(texts(&["snel", "vriendelijk"]), vec![1, 2, 3, 4, 5]),
            _ => return Lookup::Unknown { suggestion: None },
        };
        Lookup::Earlier(ty)
    }
}

fn holds(condition: &str, answers: &Answers) -> bool {
    match expr::parse(condition, &Questions) {
        Ok(e) => e.holds(answers),
        Err(e) => panic!("`{condition}` does not parse: {e:?}"),
    }
}

fn answers(pairs: &[(&str, Answer)]) -> Answers {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn num(n: f64) -> Answer {
    Answer::Number(n)
}

fn text(s: &str) -> Answer {
    Answer::Text(s.to_string())
}

fn many(values: &[&str]) -> Answer {
    Answer::Many(values.iter().map(|s| s.to_string()).collect())
}

fn grid(cells: &[(&str, Answer)]) -> Answer {
    Answer::Grid(cells.iter().map(|(k, v)| (k.to_string(), v.clone())).collect::<BTreeMap<_, _>>())
}

#[test]
fn comparisons_evaluate_on_numbers_text_dates_and_yes_no() {
    let a = answers(&[
        ("n", num(3.0)),
        ("wijk", text("noord")),
        ("d", text("2025-03-01")),
        ("gebruikt", Answer::Bool(true)),
        ("naam", text("Jansen")),
    ]);
    for (condition, expected) in [
        ("n = 3", true),
        ("n == 3", true),
        ("n = 4", false),
        ("n != 4", true),
        ("n <> 3", false),
        ("n < 4", true),
        ("n < 3", false),
        ("n <= 3", true),
        ("n <= 2", false),
        ("n > 2", true),
        ("n > 3", false),
        ("n >= 3", true),
        ("n >= 4", false),
        ("wijk = 'noord'", true),
        ("wijk != 'noord'", false),
        ("wijk = \"zuid\"", false),
        ("d > '2025-01-31'", true),
        ("d <= '2025-02-28'", false),
        ("gebruikt = true", true),
        ("gebruikt = false", false),
        ("naam = 'Jansen'", true),
    ] {
        assert_eq!(holds(condition, &a), expected, "{condition}");
    }
}

#[test]
fn not_binds_tighter_than_and_which_binds_tighter_than_or() {
    let a = answers(&[("n", num(1.0)), ("m", num(2.0))]);
    // `n = 1 or (n = 2 and m = 3)`: true; `(n = 1 or n = 2) and m = 3` would be false.
    assert!(holds("n = 1 or n = 2 and m = 3", &a));
    assert!(!holds("(n = 1 or n = 2) and m = 3", &a));
    // `(not n = 2) and m = 2`: true; `not (n = 2 and m = 2)` is also true, so test with n = 1.
    assert!(holds("not n = 2 and m = 2", &a));
    assert!(!holds("not n = 1 and m = 2", &a));
    assert!(holds("not (n = 1 and m = 3)", &a));
    assert!(holds("not not n = 1", &a));
    assert!(!holds("n = 2 or not m = 2", &a));
}

#[test]
fn in_and_not_in_test_membership() {
    let a = answers(&[("wijk", text("zuid")), ("n", num(2.0))]);
    assert!(holds("wijk in ['noord', 'zuid']", &a));
    assert!(!holds("wijk in ['oost']", &a));
    assert!(holds("wijk not in ['oost', 'noord']", &a));
    assert!(!holds("wijk not in ['zuid']", &a));
    assert!(holds("n in [1, 2, 3]", &a));
    assert!(holds("n not in [-1, 0]", &a));
}

#[test]
fn selected_count_and_answered_work_on_a_multi() {
    let a = answers(&[("platforms", many(&["a", "c"]))]);
    assert!(holds("selected(platforms, 'a')", &a));
    assert!(!holds("selected(platforms, 'b')", &a));
    assert!(holds("count(platforms) = 2", &a));
    assert!(holds("count(platforms) >= 2 and answered(platforms)", &a));
    let none = answers(&[("platforms", many(&[]))]);
    assert!(!holds("answered(platforms)", &none));
    assert!(holds("count(platforms) = 0", &none));
    assert!(holds("count(platforms) = 0", &answers(&[])));
    assert!(!holds("selected(platforms, 'a')", &answers(&[])));
}

#[test]
fn matrix_items_are_compared_one_by_one() {
    let a = answers(&[("grid", grid(&[("snel", num(4.0)), ("vriendelijk", text("nvt"))]))]);
    assert!(holds("grid.snel >= 4", &a));
    assert!(!holds("grid.snel >= 5", &a));
    assert!(!holds("grid.vriendelijk <= 5", &a), "n.v.t. is no point on the scale");
    assert!(holds("answered(grid.vriendelijk)", &a));
    assert!(holds("answered(grid)", &a));
    assert!(!holds("answered(grid.vriendelijk)", &answers(&[("grid", grid(&[("snel", num(1.0))]))])));
}

#[test]
fn arithmetic_follows_the_usual_precedence() {
    let a = answers(&[("n", num(3.0)), ("m", num(4.0))]);
    assert!(holds("n + m > 6", &a));
    assert!(holds("n + m * 2 = 11", &a));
    assert!(holds("(n + m) * 2 = 14", &a));
    assert!(holds("m - n - 1 = 0", &a));
    assert!(holds("m / 2 = 2", &a));
    assert!(holds("-n < -2", &a));
    assert!(!holds("n / 0 > 0", &a), "division by zero has no value");
    assert!(!holds("n / 0 <= 0", &a));
}

#[test]
fn any_comparison_with_an_unanswered_question_is_false() {
    let none = answers(&[]);
    for condition in [
        "n = 3",
        "n != 3",
        "n < 3",
        "n <= 3",
        "n > 3",
        "n >= 3",
        "n in [1, 2]",
        "n not in [1, 2]",
        "wijk = 'noord'",
        "wijk != 'noord'",
        "wijk not in ['noord']",
        "gebruikt = false",
        "gebruikt != true",
        "n + 1 > 0",
        "grid.snel >= 1",
        "grid.snel != 1",
        "answered(n)",
    ] {
        assert!(!holds(condition, &none), "{condition} should be false without answers");
    }
    // An empty text is unanswered too; `not` turns the false comparison into true.
    let empty = answers(&[("naam", text(""))]);
    assert!(!holds("naam != 'Jansen'", &empty));
    assert!(!holds("answered(naam)", &empty));
    assert!(holds("not naam = 'Jansen'", &empty));
    assert!(holds("not answered(n)", &none));
}

#[test]
fn a_scale_answered_not_applicable_is_answered_but_compares_as_unanswered() {
    let nvt = answers(&[("tevreden", text("nvt"))]);
    assert!(holds("answered(tevreden)", &nvt));
    for condition in
        ["tevreden = 3", "tevreden != 3", "tevreden <= 5", "tevreden >= 1", "tevreden not in [1, 2]"]
    {
        assert!(!holds(condition, &nvt), "{condition} should be false for n.v.t.");
    }
    let three = answers(&[("tevreden", num(3.0))]);
    assert!(holds("tevreden = 3 and tevreden != 4 and tevreden not in [1, 2]", &three));
}

#[test]
fn a_checked_form_keeps_its_conditions_ready_to_evaluate() {
    let checked = form(
        r#"
title = "T"
[[questions]]
id = "gebruikt"
type = "yesno"
label = "Gebruikt u het?"
[[questions]]
id = "hoe_vaak"
type = "number"
label = "Hoe vaak?"
show_if = "gebruikt = true"
"#,
    );
    let condition = checked.question("hoe_vaak").and_then(|q| q.show_if.as_ref()).expect("a condition");
    assert_eq!(condition.source, "gebruikt = true");
    assert!(condition.expr.holds(&answers(&[("gebruikt", Answer::Bool(true))])));
    assert!(!condition.expr.holds(&answers(&[("gebruikt", Answer::Bool(false))])));
    assert!(!condition.expr.holds(&answers(&[])));
}
