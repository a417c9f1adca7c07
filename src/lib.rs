//! peil: questionnaires, sign-ups and inventories for a regional GP organisation.
//!
//! Forms are declared in TOML files (`forms`), sent in rounds with personal links (`rounds`),
//! answered in the browser (`web`) and stored (`responses`). `cli` is the binary's front door.

pub mod accounts;
pub mod accreditation;
pub mod app;
pub mod audit;
pub mod catalog;
pub mod certificates;
pub mod charts;
pub mod cli;
pub mod contacts;
pub mod crypto;
pub mod db;
pub mod email;
pub mod forms;
pub mod front;
pub mod jobs;
pub mod mail;
pub mod organisation;
pub mod outbox;
pub mod pdf;
pub mod persons;
pub mod privacy;
pub mod private;
pub mod responses;
pub mod results;
pub mod retention;
pub mod rounds;
pub mod schedule;
pub mod settings;
pub mod signup;
pub mod spreadsheet;
pub mod time;
pub mod web;
