//! What the targets share: the shipped forms, and the rule every refusal must follow.
#![allow(dead_code, reason = "each target uses only some of these")]

use std::path::Path;
use std::sync::OnceLock;

use peil::forms::{Diagnostic, Form, Forms};
use serde_json::Value;

pub fn shipped_forms() -> &'static Forms {
    static FORMS: OnceLock<Forms> = OnceLock::new();
    FORMS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../forms");
        peil::forms::load(&dir).expect("the shipped forms load")
    })
}

/// Every problem names `file`, a line of `text` and a column on it, in one line of words.
pub fn assert_placed(file: &str, text: &str, diags: &[Diagnostic]) {
    assert!(!diags.is_empty(), "a refusal without a problem");
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diags {
        assert_eq!(d.file, file, "{d}");
        assert!(!d.message.trim().is_empty() && !d.message.contains('\n'), "{d:?}");
        assert!((1..=lines.len()).contains(&d.line), "{d}: no such line");
        assert!((1..=lines[d.line - 1].chars().count() + 1).contains(&d.col), "{d}: no such column");
    }
}

/// A round stores its form as JSON and reads it back on every request.
pub fn assert_storable(form: &Form) {
    let json = serde_json::to_value(form).expect("a form serialises");
    let back: Form =
        serde_json::from_str(&json.to_string()).expect("a checked form reads back from its snapshot");
    assert!(same(&json, &serde_json::to_value(&back).expect("serialises again")), "{json}");
}

/// Equal JSON, but for the last bit of a float (serde_json without `float_roundtrip`).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y || (x - y).abs() <= x.abs().max(y.abs()) * 4.0 * f64::EPSILON,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}
