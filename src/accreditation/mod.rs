//! Accreditation: the registers an activity counts for (ABC1 in GAIA for GPs, the
//! Kwaliteitsregister POH-GGZ, V&VN, KABIZ), as a job declares them and its round keeps them
//! (`register`); what those registers need of a person, asked once at sign-up and remembered on
//! the contact (`person`), with the BIG number checked and padded as GAIA does (`big`); which
//! fields a person is asked, by role, and the check of what they typed (`asked`); the
//! coordinator's change on the contact's page (`edit`); what a session's attendance gives each
//! register and the mark that it was entered (`entries`); and what is still owed, with its
//! deadline (`deadlines`).

pub mod asked;
pub mod big;
pub mod deadlines;
pub mod edit;
pub mod entries;
pub mod person;
pub mod register;

pub use big::{BigNumber, BigNumberError};
pub use person::PersonDetails;
pub use register::{Asks, Deadline, Register};
