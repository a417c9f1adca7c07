//! Options, bounds, patterns, scales and matrices.

use super::*;

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
fn a_number_step_that_does_not_land_on_max_is_refused_with_the_nearest_two_maxima() {
    let step = |min: &str, step: &str| {
        errors(&format!(
            "title = \"T\"\n[[questions]]\nid = \"n\"\ntype = \"number\"\nlabel = \"N\"\n{min}max = 10\nstep = {step}\n"
        ))
    };
    assert_eq!(
        step("min = 1\n", "2"),
        [format!("{FILE}:8:8: `max` (10) is not `min` (1) plus whole steps of 2; use max = 9 or max = 11")]
    );
    assert_eq!(
        step("", "3"),
        [format!(
            "{FILE}:7:8: `max` (10) is not 0 (there is no `min`) plus whole steps of 3; use max = 9 or max = 12"
        )]
    );
}

#[test]
fn a_number_step_must_be_positive_and_whole_for_a_whole_number_question() {
    let step = |decimal: &str, step: &str| {
        errors(&format!(
            "title = \"T\"\n[[questions]]\nid = \"n\"\ntype = \"number\"\nlabel = \"N\"\n{decimal}step = {step}\n"
        ))
    };
    assert_eq!(step("", "0"), [format!("{FILE}:6:8: `step` must be more than 0, e.g. step = 0.5")]);
    assert_eq!(
        step("", "0.5"),
        [format!(
            "{FILE}:6:8: a whole-number question needs a whole `step`; add `decimal = true` for steps like 0.5"
        )]
    );
    assert_eq!(
        step("decimal = true\n", "-0.5"),
        [format!("{FILE}:7:8: `step` must be more than 0, e.g. step = 0.5")]
    );
    assert_eq!(
        step("decimal = true\n", "0.0000001"),
        [format!("{FILE}:7:8: `step` may have at most 6 decimals")]
    );
}

#[test]
fn a_number_step_that_fits_its_bounds_is_kept_on_the_question() {
    let form = form(
        r#"
title = "T"
[[questions]]
id = "dagen"
type = "number"
label = "Dagen"
decimal = true
min = 0.5
max = 10
step = 0.5
"#,
    );
    let kind = &form.pages[0].questions[0].kind;
    assert!(matches!(kind, QuestionKind::Number { step: Some(s), .. } if *s == 0.5), "{kind:?}");
}

#[test]
fn a_number_question_stored_in_a_round_before_step_existed_still_loads_without_one() {
    let stored = r#"{"type": "number", "decimal": true, "min": 0.0, "max": 10.0, "unit": null}"#;
    let kind: QuestionKind = serde_json::from_str(stored).expect("an old round's form snapshot");
    assert!(matches!(kind, QuestionKind::Number { step: None, max: Some(10.0), .. }), "{kind:?}");
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
