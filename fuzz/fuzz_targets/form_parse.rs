//! A form file: a form that a round can store, or problems at places in the file.
#![no_main]

mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = "forms/fuzz.toml";
    match peil::forms::check_text(file, text, &common::shipped_forms().lists) {
        Ok(form) => common::assert_storable(&form),
        Err(diags) => common::assert_placed(file, text, &diags),
    }
});
