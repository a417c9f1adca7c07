//! A contact list: checked contacts, or problems each at a line of the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use peil::contacts::{ContactsError, Vocabulary};

fuzz_target!(|data: &[u8]| {
    let pairs = |list: &[&str]| list.iter().map(|v| (v.to_string(), v.to_uppercase())).collect();
    let vocab = Vocabulary { roles: pairs(&["huisarts", "poh-ggz"]), wijken: pairs(&["noord", "zuid"]) };
    match peil::contacts::parse_csv("lijst.csv", data, &vocab) {
        Ok(contacts) => assert!(contacts.iter().all(|c| !c.name.is_empty() && c.email.contains('@'))),
        Err(ContactsError::Rows(rows)) => {
            let lines = 1 + data.iter().filter(|&&b| b == b'\n').count() as u64;
            assert!(!rows.is_empty());
            assert!(rows.iter().all(|r| (1..=lines).contains(&r.line)), "{rows:?}");
        }
        Err(e) => panic!("parsing touches no file or database: {e}"),
    }
});
