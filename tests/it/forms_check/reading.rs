//! `results`, `read_by` and `identifying`: wrong values and keys on the wrong type are errors at
//! their position; an anonymous form that asks who answered gets a warning that does not refuse
//! it; the shipped forms give none.

use super::*;

/// The warnings of a form that passes, each as `file:line:col: warning: message`, but for the
/// missing `purpose` these forms leave out (`privacy::asked` tests that one).
fn warnings(text: &str) -> Vec<String> {
    match forms::check_text_warned(FILE, source(text), &lists()) {
        Ok((_, warnings)) => {
            warnings.iter().map(ToString::to_string).filter(|w| !w.contains("has no `purpose`")).collect()
        }
        Err(diags) => panic!("expected a valid form, got:\n{}", lines(&diags)),
    }
}

#[test]
fn results_takes_read_count_or_hidden_and_a_misspelt_value_is_refused_where_it_is_written() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "praktijk"
type = "text"
label = "Praktijk"
results = "cout"
"#
        ),
        [format!("{FILE}:6:12: results `cout` does not exist; did you mean \"count\"?")]
    );
    let form = form(
        r#"
title = "T"
[[questions]]
id = "praktijk"
type = "text"
label = "Praktijk"
results = "count"
[[questions]]
id = "oordeel"
type = "scale"
label = "Oordeel"
options = "eens5"
results = "hidden"
[[questions]]
id = "opmerking"
type = "textarea"
label = "Opmerking"
"#,
    );
    let results: Vec<_> = form.questions().map(|q| q.reading.results).collect();
    assert_eq!(results, [forms::Results::Count, forms::Results::Hidden, forms::Results::Read]);
}

#[test]
fn results_count_on_a_question_whose_answers_are_only_counted_is_refused_at_its_value() {
    assert_eq!(
        errors(
            r#"
title = "T"
[[questions]]
id = "oordeel"
type = "scale"
label = "Oordeel"
options = "eens5"
results = "count"
"#
        ),
        [format!(
            "{FILE}:7:12: results = \"count\" is for text, textarea and email questions, whose answers can be \
             read; the answers of a `scale` question are only counted; use \"hidden\" to leave it out of the \
             werkgroep's results"
        )]
    );
}

#[test]
fn read_by_names_existing_roles_on_an_email_question_only() {
    let errors = errors(
        r#"
title = "T"
[[questions]]
id = "vervolg"
type = "email"
label = "E-mailadres"
read_by = ["werkgroep", "werkgrop"]
[[questions]]
id = "opmerking"
type = "textarea"
label = "Opmerking"
read_by = ["werkgroep"]
[[questions]]
id = "alleen_tellen"
type = "email"
label = "E-mailadres"
results = "count"
read_by = ["admin"]
"#,
    );
    assert_eq!(
        errors,
        [
            format!("{FILE}:6:26: the role `werkgrop` does not exist; did you mean \"werkgroep\"?"),
            format!("{FILE}:11:1: `read_by` does not apply to a `textarea` question"),
            format!(
                "{FILE}:17:1: `read_by` names who reads the addresses, but with results = \"count\" no one \
                 does; remove one of the two"
            ),
        ]
    );
    let form = form(
        r#"
title = "T"
[[questions]]
id = "vervolg"
type = "email"
label = "E-mailadres"
read_by = ["werkgroep"]
[[questions]]
id = "beheer"
type = "email"
label = "E-mailadres"
"#,
    );
    let read_by: Vec<_> = form.questions().map(|q| q.reading.read_by).collect();
    assert_eq!(read_by, [forms::ReadBy::Werkgroep, forms::ReadBy::Admin]);
}

const ASKS_WHO: &str = r#"
title = "T"
anonymous = true
[[questions]]
id = "contact"
type = "email"
label = "Uw e-mailadres"
[[questions]]
id = "wie"
type = "text"
label = "Naam van uw praktijk"
[[questions]]
id = "telefoonnummer"
type = "text"
label = "Waar kunnen we u bellen?"
[[questions]]
id = "verwezen"
type = "textarea"
label = "Hoeveel patiënten heeft uw praktijk verwezen, en wat vond u van het telefoontje?"
"#;

#[test]
fn an_anonymous_form_that_asks_who_answered_is_warned_at_the_question_and_still_passes() {
    let warnings = warnings(ASKS_WHO);
    let advice = "its answer tells who gave all the others. Make the form identified (anonymous = false) \
                  or leave the question out; if the answer is meant not to be anonymous, say so in the \
                  label and add identifying = true (the answer page then says \"Let op: dit antwoord is \
                  niet anoniem.\")";
    assert_eq!(
        warnings,
        [
            format!(
                "{FILE}:5:9: warning: this question of an anonymous form asks for an e-mail address: {advice}"
            ),
            format!(
                "{FILE}:10:10: warning: this question of an anonymous form asks who answered (see its label): \
                 {advice}"
            ),
            format!(
                "{FILE}:12:7: warning: this question of an anonymous form asks who answered (see its id): \
                 {advice}"
            ),
        ]
    );
}

#[test]
fn an_identified_form_or_a_question_that_says_what_it_is_gets_no_warning() {
    assert_eq!(warnings(&ASKS_WHO.replace("anonymous = true", "anonymous = false")), Vec::<String>::new());
    let said = ASKS_WHO
        .replace(
            "label = \"Uw e-mailadres\"",
            "label = \"Uw e-mailadres (niet anoniem)\"\nidentifying = true",
        )
        .replace("label = \"Naam van uw praktijk\"", "label = \"Naam van de cursus\"\nidentifying = false")
        .replace("id = \"telefoonnummer\"", "id = \"bellen\"");
    assert_eq!(warnings(&said), Vec::<String>::new());
    let form = form(&said);
    let identifying: Vec<bool> = form.questions().map(|q| q.is_identifying()).collect();
    assert_eq!(identifying, [true, false, false, false]);
}

#[test]
fn the_shipped_forms_give_no_warning() {
    let checked = forms::check(&crate::helpers::repo("forms")).expect("the forms folder");
    assert!(checked.problems.is_empty(), "{}", lines(&checked.problems));
    assert!(checked.forms.warnings.is_empty(), "{}", lines(&checked.forms.warnings));
}
