//! `show_if` in words: the line a person reads next to a conditional question when the page
//! script does not run (see `tests/it/without_script.rs` for the page itself).

use super::*;

use peil::forms::explain::only_if;

/// Questions of every kind a condition can read, on one page.
const QUESTIONS: &str = r#"
title = "T"
[[questions]]
id = "contact"
type = "yesno"
label = "Contact gehad?"
[[questions]]
id = "rol"
type = "single"
label = "Uw rol?"
options = [{ value = "ha", label = "Huisarts" }, { value = "poh", label = "POH-GGZ" }, { value = "doktersassistent", label = "Assistent" }]
other = true
[[questions]]
id = "tevreden"
type = "scale"
label = "Tevreden?"
options = "eens5"
[[questions]]
id = "uren"
type = "number"
decimal = true
label = "Uren?"
[[questions]]
id = "kanalen"
type = "multi"
label = "Kanalen?"
options = [{ value = "tel", label = "Telefoon" }, { value = "mail", label = "E-mail" }]
[[questions]]
id = "over"
type = "matrix"
label = "Samenwerking"
items = [{ id = "anw", label = "ANW-uren" }]
options = "eens5"
[[questions]]
id = "naam"
type = "text"
label = "Naam?"
"#;

/// The line for `condition`, written as the condition of a last question after `QUESTIONS`.
fn words(condition: &str) -> String {
    let text = format!(
        "{QUESTIONS}[[questions]]\nid = \"x\"\ntype = \"text\"\nlabel = \"X\"\nshow_if = \"{condition}\"\n"
    );
    let form = form(&text);
    let expr = &form.question("x").and_then(|q| q.show_if.as_ref()).expect("a condition").expr;
    only_if(&form, expr)
}

#[test]
fn a_yes_no_answer_is_named_with_the_question_as_the_person_read_it() {
    assert_eq!(words("contact = true"), "Alleen invullen als u bij ‘Contact gehad?’ ‘Ja’ antwoordde.");
    assert_eq!(words("not contact"), "Alleen invullen als u bij ‘Contact gehad?’ ‘Nee’ antwoordde.");
}

#[test]
fn choices_and_scale_points_are_named_by_their_labels_not_their_values() {
    assert_eq!(
        words("rol in ['ha', 'poh']"),
        "Alleen invullen als u bij ‘Uw rol?’ ‘Huisarts’ of ‘POH-GGZ’ antwoordde."
    );
    assert_eq!(
        words("rol != 'ha'"),
        "Alleen invullen als u bij ‘Uw rol?’ ‘POH-GGZ’, ‘Assistent’ of ‘Anders, namelijk’ antwoordde."
    );
    assert_eq!(
        words("tevreden <= 2"),
        "Alleen invullen als u bij ‘Tevreden?’ ‘Helemaal oneens’ of ‘Oneens’ antwoordde."
    );
    assert_eq!(
        words("over.anw > 4"),
        "Alleen invullen als u bij ‘Samenwerking – ANW-uren’ ‘Helemaal eens’ antwoordde."
    );
    assert_eq!(words("tevreden >= 1"), "Alleen invullen als u ‘Tevreden?’ beantwoordde.");
}

#[test]
fn numbers_ticks_and_counts_read_as_amounts() {
    assert_eq!(words("uren > 2.5"), "Alleen invullen als u bij ‘Uren?’ meer dan 2,5 antwoordde.");
    assert_eq!(
        words("selected(kanalen, 'mail')"),
        "Alleen invullen als u bij ‘Kanalen?’ ‘E-mail’ aankruiste."
    );
    assert_eq!(
        words("count(kanalen) >= 2"),
        "Alleen invullen als u bij ‘Kanalen?’ 2 of meer keuzes aankruiste."
    );
    assert_eq!(words("not answered(naam)"), "Alleen invullen als u ‘Naam?’ niet beantwoordde.");
    assert_eq!(
        words("uren + tevreden >= 10"),
        "Alleen invullen als u bij ‘Uren?’ en ‘Tevreden?’ samen 10 of meer antwoordde."
    );
}

#[test]
fn an_or_of_ands_reads_as_alternatives() {
    assert_eq!(
        words("contact or (uren > 4 and tevreden <= 1)"),
        "Alleen invullen als u bij ‘Contact gehad?’ ‘Ja’ antwoordde, of als u bij ‘Uren?’ meer dan 4 \
         antwoordde en u bij ‘Tevreden?’ ‘Helemaal oneens’ antwoordde."
    );
}

#[test]
fn a_condition_too_involved_for_a_sentence_names_the_questions_it_reads() {
    assert_eq!(
        words("uren * 2 > tevreden or contact"),
        "Alleen invullen bij bepaalde antwoorden op ‘Uren?’, ‘Tevreden?’ en ‘Contact gehad?’."
    );
    assert_eq!(
        words("contact and (uren > 1 or naam = 'x')"),
        "Alleen invullen bij bepaalde antwoorden op ‘Contact gehad?’, ‘Uren?’ en ‘Naam?’."
    );
}

#[test]
fn every_condition_in_the_shipped_forms_reads_as_a_sentence() {
    let forms = forms::load(&crate::helpers::repo("forms")).expect("the shipped forms load");
    for form in forms.iter() {
        for question in form.questions() {
            let Some(condition) = &question.show_if else { continue };
            let line = only_if(form, &condition.expr);
            assert!(!line.contains("bepaalde antwoorden"), "{}: {} -> {line}", form.id, condition.source);
        }
    }
}
