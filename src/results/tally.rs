//! One pass over stored answers into a summary per question. (helper B fills this in)

use crate::forms::Form;

use super::QuestionResult;

pub struct Tally {}

impl Tally {
    /// Accumulators for every question of `form`.
    pub fn new(_form: &Form) -> Tally {
        todo!("helper B")
    }

    /// Accumulators for one question only (trends).
    pub fn only(_form: &Form, _question: &str) -> Tally {
        todo!("helper B")
    }

    /// Adds one response, as stored (a JSON object, question id to answer).
    pub fn add(&mut self, _answers_json: &str) -> Result<(), serde_json::Error> {
        todo!("helper B")
    }

    pub fn respondents(&self) -> u64 {
        todo!("helper B")
    }

    pub fn finish(self) -> Vec<QuestionResult> {
        todo!("helper B")
    }
}
