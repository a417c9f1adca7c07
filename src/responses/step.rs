//! Answering page by page, as a pure step: given the draft so far, the page just posted, the
//! button pressed and what checking that page gave, what happens next. The web edge reads the
//! draft, checks the page, asks `step` and carries out the answer (save and show a page, show
//! this page again with its mistakes, or submit); nothing here touches the database, so every
//! path is tested below.

use crate::forms::validate::{self, FieldError};
use crate::forms::{Answers, Form};

use super::Draft;

/// The button a person pressed under a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    Prev,
    Next,
    Submit,
}

/// What posting a page leads to.
#[derive(Debug, PartialEq)]
pub enum Step {
    /// Save this draft and show its page.
    MoveTo(Draft),
    /// The page had mistakes: show it again with them; nothing is saved.
    Mistakes(Vec<FieldError>),
    /// Send these answers: the last page's button, or "next" with no page after it.
    Submit(Answers),
}

/// The step after posting page `page` of `form` with `nav`, where `checked` is the page's own
/// answers or its mistakes, and `earlier` the answers of the draft.
pub fn step(
    form: &Form,
    earlier: Answers,
    page: usize,
    nav: Nav,
    checked: Result<Answers, Vec<FieldError>>,
) -> Step {
    let page_answers = match checked {
        Ok(answers) => answers,
        // Going back never blocks on this page's mistakes; what was wrong is simply not kept.
        Err(_) if nav == Nav::Prev => {
            return Step::MoveTo(Draft { page: previous(form, &earlier, page), answers: earlier });
        }
        Err(errors) => return Step::Mistakes(errors),
    };
    let answers = merge(form, page, earlier, page_answers);
    let next = validate::shown_pages(form, &answers).into_iter().find(|p| *p > page);
    match (nav, next) {
        (Nav::Prev, _) => Step::MoveTo(Draft { page: previous(form, &answers, page), answers }),
        (Nav::Next, Some(next)) => Step::MoveTo(Draft { page: next, answers }),
        (Nav::Next | Nav::Submit, _) => Step::Submit(answers),
    }
}

/// The draft's answers with this page's replaced by what was just posted.
fn merge(form: &Form, page: usize, mut answers: Answers, page_answers: Answers) -> Answers {
    for q in &form.pages[page].questions {
        answers.remove(&q.id);
        answers.remove(&crate::forms::answers::other_key(&q.id));
    }
    answers.extend(page_answers);
    validate::prune(form, &answers)
}

/// The page shown before `page`, given `answers`; the first page has none before it.
fn previous(form: &Form, answers: &Answers, page: usize) -> usize {
    validate::shown_pages(form, answers).into_iter().rev().find(|p| *p < page).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{self, Answer};

    /// Three pages; the second only for those who use the service.
    fn form() -> Form {
        let lists = forms::lists_from(&[]).expect("no lists");
        let text = r#"
title = "T"
[[pages]]
[[pages.questions]]
id = "gebruikt"
type = "yesno"
label = "Gebruikt u het?"
required = true
[[pages]]
show_if = "gebruikt = true"
[[pages.questions]]
id = "hoe_vaak"
type = "number"
label = "Hoe vaak?"
[[pages]]
[[pages.questions]]
id = "opmerking"
type = "text"
label = "Opmerking"
"#;
        forms::check_text("forms/t.toml", text, &lists).expect("a valid form")
    }

    fn answers(pairs: &[(&str, Answer)]) -> Answers {
        pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
    }

    fn mistake() -> Vec<FieldError> {
        let mistakes = validate::missing(&form().pages[0], &Answers::new());
        assert!(!mistakes.is_empty());
        mistakes
    }

    #[test]
    fn next_skips_a_page_that_does_not_apply() {
        let posted = answers(&[("gebruikt", Answer::Bool(false))]);
        let step = step(&form(), Answers::new(), 0, Nav::Next, Ok(posted.clone()));
        assert_eq!(step, Step::MoveTo(Draft { page: 2, answers: posted }));
    }

    #[test]
    fn next_goes_to_a_page_that_now_applies() {
        let posted = answers(&[("gebruikt", Answer::Bool(true))]);
        let step = step(&form(), Answers::new(), 0, Nav::Next, Ok(posted.clone()));
        assert_eq!(step, Step::MoveTo(Draft { page: 1, answers: posted }));
    }

    #[test]
    fn a_changed_answer_drops_the_answers_of_pages_that_no_longer_apply() {
        let earlier = answers(&[("gebruikt", Answer::Bool(true)), ("hoe_vaak", Answer::Number(3.0))]);
        let posted = answers(&[("gebruikt", Answer::Bool(false))]);
        let step = step(&form(), earlier, 0, Nav::Next, Ok(posted.clone()));
        assert_eq!(step, Step::MoveTo(Draft { page: 2, answers: posted }));
    }

    #[test]
    fn mistakes_keep_the_page_unless_going_back() {
        let earlier = answers(&[("gebruikt", Answer::Bool(true))]);
        let stay = step(&form(), earlier.clone(), 1, Nav::Next, Err(mistake()));
        assert_eq!(stay, Step::Mistakes(mistake()));
        let back = step(&form(), earlier.clone(), 1, Nav::Prev, Err(mistake()));
        assert_eq!(back, Step::MoveTo(Draft { page: 0, answers: earlier }));
    }

    #[test]
    fn the_last_page_or_next_with_nothing_after_it_submits() {
        let earlier = answers(&[("gebruikt", Answer::Bool(false))]);
        for nav in [Nav::Next, Nav::Submit] {
            let step = step(&form(), earlier.clone(), 2, nav, Ok(Answers::new()));
            assert_eq!(step, Step::Submit(earlier.clone()));
        }
    }

    #[test]
    fn back_skips_a_page_that_does_not_apply_and_keeps_what_was_posted() {
        let earlier = answers(&[("gebruikt", Answer::Bool(false))]);
        let posted = answers(&[("opmerking", Answer::Text("goed".into()))]);
        let step = step(&form(), earlier.clone(), 2, Nav::Prev, Ok(posted));
        let kept = answers(&[("gebruikt", Answer::Bool(false)), ("opmerking", Answer::Text("goed".into()))]);
        assert_eq!(step, Step::MoveTo(Draft { page: 0, answers: kept }));
    }
}
