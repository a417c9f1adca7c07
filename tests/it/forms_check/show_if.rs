//! `show_if`: names, types and values, syntax.

use super::*;

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
