//! A page is posted as one body, and a body holds at most `forms::MAX_FIELDS` fields: a page
//! that can post more would pass the check and then refuse every submission, so the check
//! refuses it first, counting fields as the answer page names them.

use super::{FILE, errors, form};

/// `count` text questions on the current page, with ids that start with `prefix`.
fn text_questions(prefix: &str, count: usize) -> String {
    (0..count)
        .map(|i| {
            format!("[[pages.questions]]\nid = \"{prefix}{i}\"\ntype = \"text\"\nlabel = \"Vraag {i}\"\n")
        })
        .collect()
}

/// One page with a matrix of `rows` rows and a multi of `options` options plus "anders".
fn matrix_and_multi(rows: usize, options: usize) -> String {
    let items: Vec<String> = (0..rows).map(|i| format!("{{ id = \"r{i}\", label = \"Rij {i}\" }}")).collect();
    let options: Vec<String> = (0..options).map(|i| format!("\"o{i}\"")).collect();
    format!(
        "title = \"Breed\"\n[[pages]]\ntitle = \"Alles\"\n\
         [[pages.questions]]\nid = \"grid\"\ntype = \"matrix\"\nlabel = \"Grid\"\noptions = \"eens5\"\n\
         items = [{}]\n\
         [[pages.questions]]\nid = \"welke\"\ntype = \"multi\"\nlabel = \"Welke\"\noptions = [{}]\nother = true\n",
        items.join(", "),
        options.join(", ")
    )
}

#[test]
fn a_page_with_five_thousand_questions_is_refused_because_no_submission_could_hold_it() {
    let text = format!("title = \"Te lang\"\n[[pages]]\ntitle = \"Alles\"\n{}", text_questions("q", 5000));
    assert_eq!(
        errors(&text),
        [format!(
            "{FILE}:2:1: this page can post 5002 fields, more than the 2000 the service accepts in \
             one submission; spread its questions over more pages"
        )]
    );
}

#[test]
fn the_same_questions_spread_over_three_pages_pass() {
    let mut text = String::from("title = \"Verdeeld\"\n");
    for page in 0..3 {
        text.push_str(&format!(
            "[[pages]]\ntitle = \"Deel {page}\"\n{}",
            text_questions(&format!("p{page}q"), 1666)
        ));
    }
    assert_eq!(form(&text).pages.len(), 3);
}

#[test]
fn matrix_rows_and_the_anders_choice_with_its_text_count_as_fields() {
    // _page and _nav, 1990 rows, 8 options with "anders" and its text: 2000 fits.
    assert_eq!(form(&matrix_and_multi(1990, 6)).pages.len(), 1);
    let refused = errors(&matrix_and_multi(1990, 7));
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(refused[0].starts_with(&format!("{FILE}:2:1: this page can post 2001 fields")), "{refused:?}");
}
