//! One figure per round for a question, for trend lines. (helper B fills this in)

use crate::forms::Question;

use super::Summary;

/// A figure that can be followed over rounds.
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    /// URL-safe key, unique within the question: "gemiddelde", "eens", "optie-ja", "item-x-eens".
    pub key: String,
    /// Dutch label for the y axis and the choice list: "gemiddelde (1-5)", "% (zeer) eens".
    pub label: String,
    /// A share in 0..=1 (drawn as a percentage) rather than a mean.
    pub percent: bool,
    /// The fixed y range when known (a scale's lowest and highest point).
    pub y_range: Option<(f64, f64)>,
}

/// The measures a question offers; empty for questions without a figure (texts, dates).
pub fn measures(_question: &Question) -> Vec<Measure> {
    todo!("helper B")
}

/// The measure's value for a summary of that question; `None` when nobody answered.
pub fn value(_measure: &Measure, _summary: &Summary) -> Option<f64> {
    todo!("helper B")
}
