//! Evaluating `show_if` against answers, as docs/forms.md promises.

use super::*;

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
