//! A `show_if` condition, after questions of every kind: refused at a character of its text, or
//! a condition that evaluates and survives JSON.
#![no_main]

mod common;

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use peil::forms::expr::{self, Expr, Lookup, Scope, Ty};
use peil::forms::{Answer, Answers};

struct Earlier;

impl Scope for Earlier {
    fn lookup(&self, id: &str) -> Lookup {
        let texts = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        let ty = match id {
            "n" => Ty::Num,
            "d" => Ty::Date,
            "naam" => Ty::Text,
            "gebruikt" => Ty::Bool,
            "wijk" => Ty::Choice(texts(&["noord", "zuid"])),
            "platforms" => Ty::Many(texts(&["a", "b"])),
            "tevreden" => Ty::Points(vec![1, 2, 3]),
            "grid" => Ty::Matrix(texts(&["snel"]), vec![1, 2, 3]),
            "sessie" => Ty::Slot,
            "fout" => Ty::Any,
            "zelf" => return Lookup::SelfRef,
            "later" => return Lookup::Later,
            _ => return Lookup::Unknown { suggestion: None },
        };
        Lookup::Earlier(ty)
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    match expr::parse(source, &Earlier) {
        Ok(e) => {
            let answers: Answers = BTreeMap::from([
                ("n".to_string(), Answer::Number(3.0)),
                ("wijk".to_string(), Answer::Text("noord".into())),
                ("platforms".to_string(), Answer::Many(vec!["a".into()])),
                ("grid".to_string(), Answer::Grid(BTreeMap::from([("snel".into(), Answer::Number(2.0))]))),
            ]);
            e.holds(&answers);
            e.holds(&Answers::new());
            let json = serde_json::to_value(&e).expect("serialises");
            let back: Expr = serde_json::from_str(&json.to_string()).expect("reads back");
            assert!(common::same(&json, &serde_json::to_value(&back).expect("serialises")), "{json}");
        }
        Err(e) => {
            assert!(e.offset <= source.len() && source.is_char_boundary(e.offset), "{e:?}");
            assert!(!e.message.trim().is_empty());
        }
    }
});
