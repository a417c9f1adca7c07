//! What every fuzzed parser must do, shared by these property tests and the libFuzzer targets in
//! `fuzz/` (which include this file by path): refuse with problems placed in the file, or give a
//! form that a round can store. The includer says where the shipped forms are (`FORMS_DIR`,
//! from its manifest's folder).

use std::path::Path;
use std::sync::OnceLock;

use peil::forms::{Diagnostic, Form, Forms};
use serde_json::Value;

/// The shipped forms and lists, loaded once.
pub fn shipped_forms() -> &'static Forms {
    static FORMS: OnceLock<Forms> = OnceLock::new();
    FORMS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(super::FORMS_DIR);
        peil::forms::load(&dir).expect("the shipped forms load")
    })
}

/// Every problem names `file`, a line of `text` and a column on it, and says something.
pub fn assert_placed(file: &str, text: &str, diags: &[Diagnostic]) {
    assert!(!diags.is_empty(), "a refusal without a single problem");
    let lines: Vec<&str> = text.split('\n').collect();
    for d in diags {
        assert_eq!(d.file, file, "{d}");
        assert!(!d.message.trim().is_empty(), "an empty message at {d}");
        assert!(!d.message.contains('\n'), "a message over several lines: {d}");
        assert!((1..=lines.len()).contains(&d.line), "{d}: line outside the file ({} lines)", lines.len());
        let width = lines[d.line - 1].chars().count();
        assert!((1..=width + 1).contains(&d.col), "{d}: column outside line {} ({width} chars)", d.line);
    }
}

/// A round stores its form as JSON and reads it back on every request.
pub fn assert_storable(form: &Form) {
    let json = serde_json::to_value(form).expect("a form serialises");
    let back: Form = serde_json::from_str(&json.to_string())
        .unwrap_or_else(|e| panic!("a checked form cannot be read back from its snapshot: {e}"));
    let again = serde_json::to_value(&back).expect("serialises again");
    assert!(same(&json, &again), "the snapshot reads back as another form:\n{json}\n{again}");
}

/// Equal JSON, but for the last bit of a number: serde_json reads a float such as
/// -9.639420137916712e17 back one unit in the last place off unless its `float_roundtrip`
/// feature is on.
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
