use crate::forms::QuestionKind;
use crate::forms::model::Widget;
use crate::results::tally::tests::{options, points, question};
use crate::results::{Count, MatrixRow, Numbers, Summary};

use super::{Measure, base, measures, value};

fn keys(ms: &[Measure]) -> Vec<&str> {
    ms.iter().map(|m| m.key.as_str()).collect()
}

fn find<'m>(ms: &'m [Measure], key: &str) -> &'m Measure {
    ms.iter().find(|m| m.key == key).unwrap()
}

fn counts(values: &[(&str, u64)]) -> Vec<Count> {
    values.iter().map(|(v, c)| Count { value: v.to_string(), label: v.to_string(), count: *c }).collect()
}

#[test]
fn a_scale_is_followed_by_its_mean_and_its_share_of_agreement() {
    let q = question("sc", QuestionKind::Scale { points: points(1, 5), na: None });
    let ms = measures(&q);
    assert_eq!(keys(&ms), vec!["gemiddelde", "eens"]);
    assert_eq!(ms[0].label, "gemiddelde (1–5)");
    assert_eq!((ms[0].percent, ms[0].y_range), (false, Some((1.0, 5.0))));
    assert_eq!((ms[1].label.as_str(), ms[1].percent), ("% (zeer) eens", true));
    // 1, 2, 4, 4, 5 and one n.v.t.: mean 16/5, agreement 3 of 5.
    let pts = counts(&[("1", 1), ("2", 1), ("3", 0), ("4", 2), ("5", 1)]);
    let s = Summary::Scale { points: pts, na: 1, answered: 6, mean: Some(3.2), na_label: None };
    assert_eq!(value(&ms[0], &s), Some(3.2));
    assert_eq!(value(&ms[1], &s), Some(0.6));
    assert_eq!((base(&ms[0], &s), base(&ms[1], &s)), (5, 5), "the n behind them leaves n.v.t. out too");
}

#[test]
fn agreement_is_the_upper_half_of_even_and_odd_scales() {
    let q4 = question("a", QuestionKind::Scale { points: points(1, 4), na: None });
    let s4 = Summary::Scale {
        points: counts(&[("1", 1), ("2", 1), ("3", 1), ("4", 1)]),
        na: 0,
        answered: 4,
        mean: None,
        na_label: None,
    };
    assert_eq!(value(&measures(&q4)[1], &s4), Some(0.5));
    let q7 = question("b", QuestionKind::Scale { points: points(1, 7), na: None });
    let seven: Vec<(String, u64)> = (1..=7).map(|v| (v.to_string(), 1)).collect();
    let seven: Vec<(&str, u64)> = seven.iter().map(|(v, c)| (v.as_str(), *c)).collect();
    let s7 = Summary::Scale { points: counts(&seven), na: 0, answered: 7, mean: None, na_label: None };
    assert_eq!(value(&measures(&q7)[1], &s7), Some(3.0 / 7.0));
    let only_na = Summary::Scale {
        points: counts(&[("1", 0), ("2", 0), ("3", 0), ("4", 0)]),
        na: 3,
        answered: 3,
        mean: None,
        na_label: Some("n.v.t.".into()),
    };
    assert_eq!(value(&measures(&q4)[1], &only_na), None);
}

#[test]
fn a_matrix_offers_both_figures_per_item() {
    let q = question(
        "m",
        QuestionKind::Matrix { items: options(&["Snel", "snel", "Über"]), points: points(1, 3), na: None },
    );
    let ms = measures(&q);
    assert_eq!(
        keys(&ms),
        vec![
            "item-snel-gemiddelde",
            "item-snel-eens",
            "item-snel-2-gemiddelde",
            "item-snel-2-eens",
            "item-ber-gemiddelde",
            "item-ber-eens",
        ]
    );
    assert_eq!(ms[0].label, "SNEL: gemiddelde (1–3)");
    let row = |value: &str, counts: Vec<u64>, mean| MatrixRow {
        value: value.into(),
        label: value.into(),
        answered: counts.iter().sum(),
        counts,
        na: 0,
        mean,
    };
    let s = Summary::Matrix {
        points: vec!["1".into(), "2".into(), "3".into()],
        rows: vec![
            row("Snel", vec![1, 0, 1], Some(2.0)),
            row("snel", vec![0, 1, 3], Some(2.75)),
            row("Über", vec![0, 0, 0], None),
        ],
        na_label: None,
    };
    assert_eq!(value(find(&ms, "item-snel-2-gemiddelde"), &s), Some(2.75));
    assert_eq!(value(find(&ms, "item-snel-2-eens"), &s), Some(0.75));
    assert_eq!(value(find(&ms, "item-snel-eens"), &s), Some(0.5));
    assert_eq!(value(find(&ms, "item-ber-eens"), &s), None);
    assert_eq!(base(find(&ms, "item-snel-2-gemiddelde"), &s), 4);
    assert_eq!(base(find(&ms, "item-snel-eens"), &s), 2);
}

#[test]
fn choices_are_followed_as_shares_of_those_who_answered() {
    let q = question(
        "k",
        QuestionKind::Multi {
            options: options(&["a b", "c"]),
            other: true,
            min_choices: None,
            max_choices: None,
        },
    );
    let ms = measures(&q);
    assert_eq!(keys(&ms), vec!["optie-a-b", "optie-c", "optie-anders"]);
    assert_eq!(ms[0].label, "% A B");
    assert_eq!(ms[2].label, "% Anders");
    let s = Summary::Choices {
        options: counts(&[("a b", 3), ("c", 1), ("_anders", 2)]),
        answered: 4,
        multiple: true,
        other_texts: vec![],
    };
    assert_eq!(value(&ms[0], &s), Some(0.75));
    assert_eq!(value(&ms[2], &s), Some(0.5));
    let none = Summary::Choices {
        options: counts(&[("a b", 0), ("c", 0)]),
        answered: 0,
        multiple: true,
        other_texts: vec![],
    };
    assert_eq!(value(&ms[0], &none), None);

    let single =
        question("s", QuestionKind::Single { options: options(&["x"]), widget: Widget::Radio, other: false });
    assert_eq!(keys(&measures(&single)), vec!["optie-x"]);
}

#[test]
fn yes_no_and_consent_are_followed_by_their_yes() {
    let yn = measures(&question("j", QuestionKind::Yesno));
    assert_eq!((yn.len(), yn[0].label.as_str()), (1, "% ja"));
    let s = Summary::Choices {
        options: counts(&[("ja", 1), ("nee", 3)]),
        answered: 4,
        multiple: false,
        other_texts: vec![],
    };
    assert_eq!(value(&yn[0], &s), Some(0.25));
    let c = measures(&question("c", QuestionKind::Consent));
    assert_eq!(c[0].label, "% akkoord");
    let s = Summary::Choices {
        options: counts(&[("akkoord", 2)]),
        answered: 2,
        multiple: false,
        other_texts: vec![],
    };
    assert_eq!(value(&c[0], &s), Some(1.0));
}

#[test]
fn numbers_are_followed_by_mean_and_median_and_texts_by_nothing() {
    let q =
        question("n", QuestionKind::Number { decimal: false, min: None, max: None, unit: None, step: None });
    let ms = measures(&q);
    assert_eq!(keys(&ms), vec!["gemiddelde", "mediaan"]);
    assert!(ms.iter().all(|m| m.y_range.is_none() && !m.percent));
    let n = Numbers {
        answered: 3,
        min: Some(1.0),
        max: Some(8.0),
        mean: Some(4.0),
        median: Some(3.0),
        unit: None,
        bins: vec![],
    };
    assert_eq!(value(&ms[0], &Summary::Numbers(n.clone())), Some(4.0));
    assert_eq!(value(&ms[1], &Summary::Numbers(n)), Some(3.0));
    let t = question(
        "t",
        QuestionKind::Text { min_length: None, max_length: 10, pattern: None, placeholder: None },
    );
    assert!(measures(&t).is_empty());
    assert!(measures(&question("e", QuestionKind::Email)).is_empty());
    assert!(measures(&question("sl", QuestionKind::Slot { max_choices: 1 })).is_empty());
}

#[test]
fn every_key_is_url_safe() {
    let q = question(
        "m",
        QuestionKind::Single {
            options: options(&["é/ü?", "--", "a&b=c"]),
            widget: Widget::Radio,
            other: true,
        },
    );
    for m in measures(&q) {
        assert!(m.key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'), "{}", m.key);
    }
}
