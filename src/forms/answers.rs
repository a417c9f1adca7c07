//! Answers as stored: one JSON object per response, question id to value. The shape of each value
//! follows from the question's type, so the JSON carries no type tags.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// yesno, consent
    Bool(bool),
    /// number, scale
    Number(f64),
    /// text, textarea, email, date (YYYY-MM-DD), single (the option value), scale "nvt"
    Text(String),
    /// multi (option values), slot (session ids)
    Many(Vec<String>),
    /// matrix: item id to a scale value or "nvt"
    Grid(BTreeMap<String, Answer>),
}

/// Question id (or `id.other` for the "Anders, namelijk" text) to answer.
pub type Answers = BTreeMap<String, Answer>;

/// The key under which the free text of "Anders, namelijk" is kept.
pub fn other_key(question: &str) -> String {
    format!("{question}.other")
}
