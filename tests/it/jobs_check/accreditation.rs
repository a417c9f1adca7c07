//! `[[accreditation]]` and `points` in a sign-up job: read as written, every mistake at its
//! `file:line:col`, and only a sign-up job may have them.

use peil::accreditation::{Asks, Deadline};

use super::*;

/// A sign-up job with one session (lines 1-8), then the tables of a test.
fn signup_job(accreditation: &str) -> String {
    format!(
        r#"
form = "intervisie"
[[sessions]]
title = "Intervisiegroep West"
date = "2027-03-09"
time = "13:30-15:30"
place = "Utrecht"
capacity = 8
points = 2.5
{accreditation}"#
    )
}

#[test]
fn registers_and_points_read_as_written() {
    let job = job(&signup_job(
        r#"
[[accreditation]]
register = "abc1"
name = "ABC1 (GAIA)"
roles = ["huisarts", "kaderhuisarts-ggz"]
asks = "big"
format = "BIG-{nummer}"
deadline = "2 maanden"

[[accreditation]]
register = "kwaliteitsregister-poh-ggz"
name = "Kwaliteitsregister POH-GGZ"
roles = ["poh-ggz"]
asks = "lidnummer"
format = "{nummer}"
deadline = "6 weken"
"#,
    ));
    let rules = job.signup.expect("a sign-up job");
    assert_eq!(rules.sessions[0].points, 2.5);
    let [gaia, poh] = rules.registers.as_slice() else { panic!("two registers: {:?}", rules.registers) };
    assert_eq!((gaia.id.as_str(), gaia.name.as_str()), ("abc1", "ABC1 (GAIA)"));
    assert_eq!(gaia.roles, ["huisarts", "kaderhuisarts-ggz"]);
    assert_eq!(
        (gaia.asks, gaia.deadline, gaia.line("01234567890")),
        (Asks::Big, Deadline::Months(2), "BIG-01234567890".into())
    );
    assert_eq!((poh.asks, poh.deadline), (Asks::Lidnummer, Deadline::Days(42)));
}

#[test]
fn every_mistake_in_a_register_is_reported_where_it_is_written() {
    assert_eq!(
        errors(&signup_job(
            r#"
[[accreditation]]
register = "abc1"
nmae = "ABC1 (GAIA)"
roles = ["huisarst"]
asks = "bigg"
format = "BIG-"
deadline = "2 months"
"#,
        )),
        [
            "jobs/test.toml:10:1: missing `name`; add e.g. name = \"ABC1 (GAIA)\"",
            "jobs/test.toml:12:1: unknown key `nmae`; did you mean `name`?",
            "jobs/test.toml:13:11: unknown role `huisarst`; did you mean `huisarts`?",
            "jobs/test.toml:14:9: `asks` is \"big\" or \"lidnummer\", not \"bigg\"; did you mean `big`?",
            "jobs/test.toml:15:11: `format` must contain {nummer} where the number goes, e.g. \"BIG-{nummer}\"; \"BIG-\" has none",
            "jobs/test.toml:16:13: \"2 months\" is not a deadline; write a number and maanden, weken or dagen, e.g. \"2 maanden\" or \"6 weken\", or \"deelnemer\" when the participant enters it herself",
        ]
    );
}

#[test]
fn points_out_of_range_and_a_register_listed_twice_are_refused() {
    let text = signup_job(
        r#"
[[accreditation]]
register = "abc1"
name = "ABC1 (GAIA)"
asks = "big"
format = "BIG-{nummer}"
deadline = "2 maanden"

[[accreditation]]
register = "abc1"
name = "ABC1 nog eens"
asks = "big"
format = "BIG-{nummer}"
deadline = "2 maanden"
"#,
    )
    .replace("points = 2.5", "points = 25");
    assert_eq!(
        errors(&text),
        [
            "jobs/test.toml:8:10: `points` are the session's accreditation points: from 0 to 24",
            "jobs/test.toml:17:1: the register `abc1` is listed twice; remove one",
        ]
    );
}

#[test]
fn a_survey_job_cannot_count_for_a_register() {
    assert_eq!(
        errors(
            r#"
form = "wachttijden"

[[accreditation]]
register = "abc1"
name = "ABC1 (GAIA)"
asks = "big"
format = "BIG-{nummer}"
deadline = "2 maanden"
"#
        ),
        [
            "jobs/test.toml:3:3: the form is a survey: only a job for a sign-up form (kind = \"signup\") counts for a register"
        ]
    );
}

#[test]
fn the_shipped_sign_up_jobs_declare_their_registers() {
    let jobs = jobs::load(&repo("jobs"), forms()).unwrap_or_else(|e| panic!("{e}"));
    let registers = |id: &str| {
        let rules = jobs.get(id).and_then(|j| j.signup.clone()).expect("a sign-up job");
        rules.registers.iter().map(|r| (r.id.clone(), r.asks, r.deadline)).collect::<Vec<_>>()
    };
    let poh = |deadline| ("kwaliteitsregister-poh-ggz".to_string(), Asks::Lidnummer, deadline);
    // The intervisie is Deel B, which the POH-GGZ enters herself; the scholing is Deel A.
    assert_eq!(registers("intervisie-poh-ggz"), [poh(Deadline::Participant)]);
    assert_eq!(
        registers("scholing"),
        [("abc1".to_string(), Asks::Big, Deadline::Months(2)), poh(Deadline::Days(42))]
    );
}
