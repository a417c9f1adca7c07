use crate::forms::{Question, QuestionKind};
use crate::results::tally::tests::{options, points, question};
use crate::results::{Count, MatrixRow, QuestionResult, Summary};

use super::{LIMIT, changes, lowest};

fn counts(values: &[u64]) -> Vec<Count> {
    values
        .iter()
        .enumerate()
        .map(|(i, c)| Count { value: (i + 1).to_string(), label: format!("p{}", i + 1), count: *c })
        .collect()
}

/// A 1–5 scale result with these counts per point; the mean computed here.
fn scale(id: &str, c: &[u64]) -> QuestionResult {
    let answered: u64 = c.iter().sum();
    let total: u64 = c.iter().enumerate().map(|(i, n)| (i as u64 + 1) * n).sum();
    let mean = (answered > 0).then(|| total as f64 / answered as f64);
    QuestionResult {
        id: id.into(),
        label: format!("Vraag {id}"),
        kind: "scale",
        summary: Summary::Scale { points: counts(c), na: 0, na_label: None, answered, mean },
    }
}

fn yesno(id: &str, yes: u64, no: u64) -> QuestionResult {
    let options = vec![
        Count { value: "ja".into(), label: "Ja".into(), count: yes },
        Count { value: "nee".into(), label: "Nee".into(), count: no },
    ];
    QuestionResult {
        id: id.into(),
        label: format!("Vraag {id}"),
        kind: "yesno",
        summary: Summary::Choices { options, answered: yes + no, multiple: false, other_texts: vec![] },
    }
}

fn scale_q(id: &str) -> Question {
    question(id, QuestionKind::Scale { points: points(1, 5), na: None })
}

#[test]
fn the_largest_changes_come_first_with_both_values_and_small_ones_are_left_out() {
    let questions = [scale_q("a"), scale_q("b"), scale_q("c"), question("d", QuestionKind::Yesno)];
    // a: 3,0 → 4,0 (a quarter of the scale); b: 3,0 → 3,1 (2.5%: not notable); c: 4,0 → 3,0;
    // d: 50% ja → 80% ja (30 points).
    let before = [
        scale("a", &[0, 0, 4, 0, 0]),
        scale("b", &[0, 0, 10, 0, 0]),
        scale("c", &[0, 0, 0, 4, 0]),
        yesno("d", 5, 5),
    ];
    let now = [
        scale("a", &[0, 0, 0, 4, 0]),
        scale("b", &[0, 0, 9, 1, 0]),
        scale("c", &[0, 0, 4, 0, 0]),
        yesno("d", 8, 2),
    ];
    let found = changes(&questions, &now, &before, LIMIT);
    let shown: Vec<_> =
        found.iter().map(|c| (c.question.as_str(), c.before.as_str(), c.after.as_str(), c.up)).collect();
    assert_eq!(
        shown,
        vec![("Vraag d", "50%", "80%", true), ("Vraag a", "3", "4", true), ("Vraag c", "4", "3", false),]
    );
    assert_eq!(found[0].measure, "% ja");
    assert_eq!(found[1].measure, "gemiddelde (1–5)");
}

#[test]
fn a_question_suppressed_in_either_round_is_not_compared() {
    let questions = [scale_q("a")];
    let withheld = QuestionResult {
        id: "a".into(),
        label: "Vraag a".into(),
        kind: "scale",
        summary: Summary::Withheld(3),
    };
    let moved = scale("a", &[0, 0, 0, 0, 6]);
    let (moved, withheld) = (std::slice::from_ref(&moved), std::slice::from_ref(&withheld));
    assert!(changes(&questions, moved, withheld, LIMIT).is_empty());
    assert!(changes(&questions, withheld, moved, LIMIT).is_empty());
    // A question the previous round did not ask is not compared either.
    assert!(changes(&questions, moved, &[], LIMIT).is_empty());
}

#[test]
fn the_lowest_statements_include_matrix_items_on_their_own_scale() {
    let items = options(&["wacht", "bereik"]);
    let matrix = question("m", QuestionKind::Matrix { items, points: points(1, 4), na: None });
    let questions = [scale_q("a"), matrix, scale_q("b")];
    let row = |value: &str, counts: Vec<u64>, mean: f64| MatrixRow {
        value: value.into(),
        label: value.to_uppercase(),
        answered: counts.iter().sum(),
        counts,
        na: 0,
        mean: Some(mean),
    };
    let m = QuestionResult {
        id: "m".into(),
        label: "Vraag m".into(),
        kind: "matrix",
        summary: Summary::Matrix {
            points: vec!["p1".into(), "p2".into(), "p3".into(), "p4".into()],
            // wacht: 1,5 on 1–4 (a sixth of the way); bereik: 3,5.
            rows: vec![row("wacht", vec![3, 3, 0, 0], 1.5), row("bereik", vec![0, 0, 3, 3], 3.5)],
            na_label: None,
        },
    };
    // a: 2,0 on 1–5 (a quarter); b: 4,5.
    let results = [scale("a", &[0, 6, 0, 0, 0]), m, scale("b", &[0, 0, 0, 3, 3])];
    let found = lowest(&questions, &results, 2);
    let shown: Vec<_> = found.iter().map(|s| (s.label.as_str(), s.mean.as_str(), s.agree.as_str())).collect();
    assert_eq!(shown, vec![("Vraag m – WACHT", "1,5", "0%"), ("Vraag a", "2", "0%")]);
}

#[test]
fn a_sentence_item_stands_alone_without_its_full_stop_and_a_short_item_keeps_its_question() {
    let q = "In hoeverre bent u het eens met deze stellingen?";
    assert_eq!(
        super::statement(q, "Er zijn korte lijnen: ik weet wie ik moet bellen.".into()),
        "Er zijn korte lijnen: ik weet wie ik moet bellen"
    );
    assert_eq!(super::statement("Bereikbaarheid", "anw".into()), "Bereikbaarheid – anw");
    assert_eq!(super::statement(q, q.into()), q);
}
