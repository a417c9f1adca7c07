//! Which groups of respondents may be shown. (helper B fills this in)

use std::collections::BTreeMap;

use super::{Filter, Threshold};

/// Respondents per (wijk, role) cell; an empty string stands for "not kept" (an anonymous
/// response in a small group keeps no wijk or role).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Table {
    pub cells: BTreeMap<(String, String), u64>,
}

impl Table {
    pub fn add(&mut self, wijk: &str, role: &str, n: u64) {
        *self.cells.entry((wijk.to_string(), role.to_string())).or_default() += n;
    }
}

/// The decision, made once per table: which groups (filters) may be shown.
#[derive(Clone, Debug)]
pub struct Disclosure {}

impl Disclosure {
    pub fn new(_table: &Table, _threshold: Threshold) -> Disclosure {
        todo!("helper B")
    }

    /// Whether results for this group may be shown: counts, charts, free text.
    pub fn allows(&self, _filter: &Filter) -> bool {
        todo!("helper B")
    }

    /// The group's respondent count, when it may be shown.
    pub fn count(&self, _filter: &Filter) -> Option<u64> {
        todo!("helper B")
    }
}
