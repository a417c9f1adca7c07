//! One pass over stored answers into a summary per question.
//!
//! A round can have tens of thousands of responses and the results page tallies them on every
//! view, so each stored JSON object is read once, straight into per-question counters (see
//! `de`): no intermediate `Answers` map, no copied keys, and only free texts allocated.
//! Answers that no longer fit their question (the form changed between rounds) are skipped.

mod acc;
mod bins;
mod dates;
mod de;

use std::collections::HashMap;

use serde::Deserializer as _;

use crate::forms::answers::other_key;
use crate::forms::{Form, Question};

use super::QuestionResult;
use acc::Acc;
use de::{Response, Target};

pub struct Tally {
    accs: Vec<Acc>,
    keys: HashMap<String, Target>,
    respondents: u64,
}

impl Tally {
    /// Accumulators for every question of `form`.
    pub fn new(form: &Form) -> Tally {
        Tally::of(form.questions())
    }

    /// Accumulators for one question only (trends).
    pub fn only(form: &Form, question: &str) -> Tally {
        Tally::of(form.questions().filter(|q| q.id == question))
    }

    fn of<'q>(questions: impl Iterator<Item = &'q Question>) -> Tally {
        let accs: Vec<Acc> = questions.map(Acc::new).collect();
        let mut keys = HashMap::new();
        for (i, acc) in accs.iter().enumerate() {
            keys.insert(acc.id().to_string(), Target::Answer(i));
            if acc.has_other() {
                keys.insert(other_key(acc.id()), Target::Other(i));
            }
        }
        Tally { accs, keys, respondents: 0 }
    }

    /// Adds one response, as stored (a JSON object, question id to answer). On an error (not
    /// JSON, or not an object) the response is not counted as a respondent, though answers
    /// read before the error may have been counted.
    pub fn add(&mut self, answers_json: &str) -> Result<(), serde_json::Error> {
        let mut de = serde_json::Deserializer::from_str(answers_json);
        (&mut de).deserialize_map(Response { keys: &self.keys, accs: &mut self.accs })?;
        de.end()?;
        self.respondents += 1;
        Ok(())
    }

    pub fn respondents(&self) -> u64 {
        self.respondents
    }

    pub fn finish(self) -> Vec<QuestionResult> {
        self.accs.into_iter().map(Acc::finish).collect()
    }
}

#[cfg(test)]
pub(crate) mod tests;
