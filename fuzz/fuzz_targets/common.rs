//! What the targets share: the shipped forms and the rules every parser must follow, from the
//! property tests' own file, so that both hold the parsers to the same rules.
#![allow(dead_code, reason = "each target uses only some of these")]

#[path = "../../tests/it/fuzz/rules.rs"]
mod rules;

pub use rules::*;

/// Where [`rules`] finds the shipped forms, from this crate's folder.
const FORMS_DIR: &str = "../forms";
