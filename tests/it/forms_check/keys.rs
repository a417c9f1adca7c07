//! TOML syntax, form keys, question keys and types.

use super::*;

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
            "{FILE}:2:1: unknown key `colour`; valid here: title, title_en, intro, intro_en, purpose, \
             purpose_en, kind, anonymous, thanks, thanks_en, min_group_size, pages, questions, retention"
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
