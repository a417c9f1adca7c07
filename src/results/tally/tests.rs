use crate::charts::Bin;
use crate::forms::model::{Choice, FormId, FormKind, Page, ScalePoint, Widget};
use crate::forms::{Form, Question, QuestionKind, Text};
use crate::results::{Count, Dates, MatrixRow, Numbers, Summary};

use super::Tally;

pub(crate) fn question(id: &str, kind: QuestionKind) -> Question {
    Question {
        id: id.into(),
        label: Text::nl(&format!("Vraag {id}")),
        help: None,
        required: false,
        show_if: None,
        kind,
        reading: Default::default(),
    }
}

pub(crate) fn form(questions: Vec<Question>) -> Form {
    Form {
        id: FormId("test".into()),
        title: Text::nl("Test"),
        intro: None,
        purpose: None,
        kind: FormKind::Survey,
        anonymous: true,
        thanks: None,
        min_group_size: None,
        pages: vec![Page { title: None, intro: None, show_if: None, questions }],
        retention: Default::default(),
    }
}

pub(crate) fn options(values: &[&str]) -> Vec<Choice> {
    values.iter().map(|v| Choice { value: v.to_string(), label: Text::nl(&v.to_uppercase()) }).collect()
}

pub(crate) fn points(from: i64, to: i64) -> Vec<ScalePoint> {
    (from..=to).map(|v| ScalePoint { value: v, label: Text::nl(&format!("p{v}")) }).collect()
}

fn tally(form: &Form, responses: &[&str]) -> Vec<Summary> {
    let mut t = Tally::new(form);
    for r in responses {
        t.add(r).unwrap();
    }
    assert_eq!(t.respondents(), responses.len() as u64);
    t.finish().into_iter().map(|r| r.summary).collect()
}

fn count(value: &str, label: &str, count: u64) -> Count {
    Count { value: value.into(), label: label.into(), count }
}

#[test]
fn choices_are_counted_per_option_with_anders_last_and_its_texts_collected() {
    let f = form(vec![
        question(
            "s",
            QuestionKind::Single { options: options(&["a", "b"]), widget: Widget::Radio, other: true },
        ),
        question(
            "m",
            QuestionKind::Multi {
                options: options(&["x", "y"]),
                other: false,
                min_choices: None,
                max_choices: None,
            },
        ),
    ]);
    let got = tally(
        &f,
        &[
            r#"{"s": "a", "m": ["x", "y"]}"#,
            r#"{"s": "_anders", "s.other": "  De buurvrouw ", "m": ["y"]}"#,
            r#"{"s": "weg", "m": ["weg"], "onbekend": {"a": [1]}}"#,
            r#"{"s.other": "   "}"#,
        ],
    );
    assert_eq!(
        got[0],
        Summary::Choices {
            options: vec![count("a", "A", 1), count("b", "B", 0), count("_anders", "Anders", 1)],
            answered: 2,
            multiple: false,
            other_texts: vec!["De buurvrouw".into()],
        }
    );
    assert_eq!(
        got[1],
        Summary::Choices {
            options: vec![count("x", "X", 1), count("y", "Y", 2)],
            answered: 2,
            multiple: true,
            other_texts: vec![],
        }
    );
}

#[test]
fn yes_no_and_consent_are_read_from_booleans() {
    let f = form(vec![question("j", QuestionKind::Yesno), question("c", QuestionKind::Consent)]);
    let got = tally(&f, &[r#"{"j": true, "c": true}"#, r#"{"j": false}"#, r#"{"j": true, "c": "ja"}"#]);
    let Summary::Choices { options, answered, .. } = &got[0] else { panic!("{got:?}") };
    assert_eq!((options.clone(), *answered), (vec![count("ja", "Ja", 2), count("nee", "Nee", 1)], 3));
    let Summary::Choices { options, answered, .. } = &got[1] else { panic!("{got:?}") };
    assert_eq!((options.clone(), *answered), (vec![count("akkoord", "Akkoord", 1)], 1));
}

#[test]
fn a_scale_counts_points_low_to_high_keeps_nvt_apart_and_averages_without_it() {
    let f =
        form(vec![question("sc", QuestionKind::Scale { points: points(1, 5), na: Some(Text::nl("nvt")) })]);
    let got =
        tally(&f, &[r#"{"sc": 5.0}"#, r#"{"sc": 4}"#, r#"{"sc": "nvt"}"#, r#"{"sc": 9}"#, r#"{"sc": 2.0}"#]);
    let Summary::Scale { points, na, answered, mean, na_label } = &got[0] else { panic!("{got:?}") };
    assert_eq!(points.iter().map(|p| p.count).collect::<Vec<_>>(), vec![0, 1, 0, 1, 1]);
    assert_eq!(points[0], count("1", "p1", 0));
    assert_eq!((*na, *answered, *mean), (1, 4, Some(11.0 / 3.0)));
    assert_eq!(na_label.as_deref(), Some("nvt"), "the form's own words for it");
}

#[test]
fn a_matrix_gets_a_row_per_item() {
    let kind = QuestionKind::Matrix {
        items: options(&["i1", "i2"]),
        points: points(1, 3),
        na: Some(Text::nl("nvt")),
    };
    let f = form(vec![question("mx", kind)]);
    let got = tally(
        &f,
        &[r#"{"mx": {"i1": 3.0, "i2": "nvt"}}"#, r#"{"mx": {"i1": 1.0, "oud": 2.0}}"#, r#"{"mx": 2}"#],
    );
    assert_eq!(
        got[0],
        Summary::Matrix {
            points: vec!["p1".into(), "p2".into(), "p3".into()],
            rows: vec![
                MatrixRow {
                    value: "i1".into(),
                    label: "I1".into(),
                    counts: vec![1, 0, 1],
                    na: 0,
                    answered: 2,
                    mean: Some(2.0)
                },
                MatrixRow {
                    value: "i2".into(),
                    label: "I2".into(),
                    counts: vec![0, 0, 0],
                    na: 1,
                    answered: 1,
                    mean: None
                },
            ],
            na_label: Some("nvt".into()),
        }
    );
}

#[test]
fn numbers_get_their_extremes_mean_median_and_bins() {
    let kind = QuestionKind::Number {
        decimal: false,
        min: None,
        max: None,
        unit: Some(Text::nl("weken")),
        step: None,
    };
    let f = form(vec![question("n", kind)]);
    let got =
        tally(&f, &[r#"{"n": 3.0}"#, r#"{"n": 1}"#, r#"{"n": 6.0}"#, r#"{"n": 2.0}"#, r#"{"n": "veel"}"#]);
    let bin =
        |value: f64, count| Bin { low: value - 0.5, high: value + 0.5, count, label: value.to_string() };
    assert_eq!(
        got[0],
        Summary::Numbers(Numbers {
            answered: 4,
            min: Some(1.0),
            max: Some(6.0),
            mean: Some(3.0),
            median: Some(2.5),
            unit: Some("weken".into()),
            bins: vec![bin(1.0, 1), bin(2.0, 1), bin(3.0, 1), bin(4.0, 0), bin(5.0, 0), bin(6.0, 1)],
        })
    );
}

#[test]
fn a_declared_step_gives_a_bin_to_every_step_even_one_nobody_answered() {
    let kind = QuestionKind::Number { decimal: true, min: None, max: None, unit: None, step: Some(0.25) };
    let f = form(vec![question("uren", kind)]);
    let Summary::Numbers(n) = &tally(&f, &[r#"{"uren": 1.0}"#, r#"{"uren": 1.5}"#])[0] else {
        panic!("numbers")
    };
    let labels: Vec<&str> = n.bins.iter().map(|b| b.label.as_str()).collect();
    assert_eq!(labels, ["1", "1,25", "1,5"]);
}

#[test]
fn texts_are_trimmed_and_empty_ones_dropped_dates_counted_per_week_and_other_kinds_only_counted() {
    let f = form(vec![
        question("t", QuestionKind::Textarea { min_length: None, max_length: 100, placeholder: None }),
        question("e", QuestionKind::Email),
        question("d", QuestionKind::Date { min: None, max: None }),
        question("sl", QuestionKind::Slot { max_choices: 2 }),
    ]);
    let got = tally(
        &f,
        &[
            r#"{"t": " Goed \n", "e": "a@b.nl", "d": "2026-03-01", "sl": ["s1"]}"#,
            r#"{"t": "  ", "e": 3, "sl": []}"#,
            r#"{"t": ["lijst"], "sl": "s2"}"#,
        ],
    );
    assert_eq!(
        got,
        vec![
            Summary::Texts(vec!["Goed".into()]),
            Summary::Answered(1),
            Summary::Dates(Dates {
                answered: 1,
                first: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
                last: chrono::NaiveDate::from_ymd_opt(2026, 3, 1),
                periods: vec![count("2026-W09", "week 9 (23 feb)", 1)],
            }),
            Summary::Answered(1),
        ]
    );
}

#[test]
fn results_follow_form_order_and_only_tallies_one_question() {
    let f = form(vec![question("b", QuestionKind::Yesno), question("a", QuestionKind::Email)]);
    let ids: Vec<String> = Tally::new(&f).finish().into_iter().map(|r| r.id).collect();
    assert_eq!(ids, vec!["b", "a"]);
    let mut one = Tally::only(&f, "a");
    one.add(r#"{"a": "x@y.nl", "b": true}"#).unwrap();
    let results = one.finish();
    assert_eq!(results.len(), 1);
    assert_eq!((results[0].kind, &results[0].label), ("email", &"Vraag a".to_string()));
}

#[test]
fn broken_json_is_an_error_and_not_a_respondent() {
    let f = form(vec![question("j", QuestionKind::Yesno)]);
    let mut t = Tally::new(&f);
    assert!(t.add("[1, 2]").is_err());
    assert!(t.add(r#"{"j": tru"#).is_err());
    assert!(t.add("{} x").is_err());
    assert_eq!(t.respondents(), 0);
}

/// 20 questions of every counted kind, answered at random by `n` respondents.
fn big_round(n: usize) -> (Form, Vec<String>) {
    let mut qs = Vec::new();
    for i in 0..4 {
        let opts = options(&["a", "b", "c", "d", "e"]);
        qs.push(question(
            &format!("s{i}"),
            QuestionKind::Single { options: opts, widget: Widget::Radio, other: true },
        ));
        qs.push(question(
            &format!("sc{i}"),
            QuestionKind::Scale { points: points(1, 5), na: Some(Text::nl("nvt")) },
        ));
    }
    for i in 0..3 {
        let opts = options(&["a", "b", "c", "d", "e", "f"]);
        qs.push(question(
            &format!("m{i}"),
            QuestionKind::Multi { options: opts, other: false, min_choices: None, max_choices: None },
        ));
    }
    for i in 0..2 {
        let items = options(&["i1", "i2", "i3", "i4", "i5"]);
        qs.push(question(
            &format!("mx{i}"),
            QuestionKind::Matrix { items, points: points(1, 5), na: Some(Text::nl("nvt")) },
        ));
        qs.push(question(&format!("j{i}"), QuestionKind::Yesno));
        qs.push(question(
            &format!("n{i}"),
            QuestionKind::Number { decimal: true, min: None, max: None, unit: None, step: None },
        ));
    }
    qs.push(question("e0", QuestionKind::Email));
    qs.push(question("d0", QuestionKind::Date { min: None, max: None }));
    qs.push(question("t", QuestionKind::Textarea { min_length: None, max_length: 500, placeholder: None }));
    let f = form(qs);
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    let responses = (0..n)
        .map(|_| {
            let mut o = serde_json::Map::new();
            for i in 0..4 {
                o.insert(format!("s{i}"), ["a", "b", "c", "d", "_anders"][next(5) as usize].into());
                o.insert(
                    format!("sc{i}"),
                    if next(8) == 0 { "nvt".into() } else { ((next(5) + 1) as f64).into() },
                );
            }
            for i in 0..3 {
                let chosen: Vec<&str> =
                    ["a", "b", "c", "d", "e", "f"].into_iter().filter(|_| next(2) == 0).collect();
                o.insert(format!("m{i}"), chosen.into());
            }
            for i in 0..2 {
                let grid: serde_json::Map<_, _> =
                    (1..=5).map(|k| (format!("i{k}"), ((next(5) + 1) as f64).into())).collect();
                o.insert(format!("mx{i}"), grid.into());
                o.insert(format!("j{i}"), (next(2) == 0).into());
                o.insert(format!("n{i}"), (next(1000) as f64 / 10.0).into());
            }
            o.insert("s0.other".into(), "Iets anders".into());
            o.insert("e0".into(), "iemand@praktijk.nl".into());
            o.insert("d0".into(), "2026-03-01".into());
            o.insert("t".into(), "Prima samenwerking met de POH-GGZ.".into());
            serde_json::Value::Object(o).to_string()
        })
        .collect();
    (f, responses)
}

/// `cargo test --release --lib results::tally -- --ignored --nocapture`
#[test]
#[ignore = "timing, run by hand in an optimised build"]
fn tallying_a_big_round_is_fast() {
    for n in [10_000, 100_000] {
        let (f, responses) = big_round(n);
        let bytes: usize = responses.iter().map(String::len).sum();
        let start = std::time::Instant::now();
        let mut t = Tally::new(&f);
        for r in &responses {
            t.add(r).unwrap();
        }
        let results = t.finish();
        let took = start.elapsed();
        assert_eq!(results.len(), 20);
        // What reading the JSON alone costs, without tallying anything.
        let start = std::time::Instant::now();
        for r in &responses {
            serde_json::from_str::<serde::de::IgnoredAny>(r).unwrap();
        }
        let skim = start.elapsed();
        println!(
            "{n} responses ({} kB): {:.1} ms, {:.0} responses/s (only reading the JSON: {:.1} ms)",
            bytes / 1000,
            took.as_secs_f64() * 1000.0,
            n as f64 / took.as_secs_f64(),
            skim.as_secs_f64() * 1000.0
        );
    }
}
