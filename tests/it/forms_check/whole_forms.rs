//! Sign-up forms, a form with every mistake at once, and forms that are valid.

use super::*;

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

#[test]
fn a_sign_up_form_cannot_be_anonymous() {
    assert_eq!(
        errors(
            r#"
title = "T"
kind = "signup"
anonymous = true
[[questions]]
id = "sessie"
type = "slot"
label = "Sessie"
"#
        ),
        [format!(
            "{FILE}:3:1: a sign-up cannot be anonymous: its seats, waiting list and attendance list name the \
             people who signed up; remove `anonymous = true`"
        )]
    );
}
