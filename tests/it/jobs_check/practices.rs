//! `practices` under `[audience]` and the survey's `open_link`: what they accept and what they
//! refuse, with the spot to change.

use super::{FILE, errors, forms, job};

#[test]
fn practices_are_kept_as_written_for_the_contact_list_to_match() {
    let job = job(r#"
form = "wachttijden"

[audience]
practices = ["Huisartsenpraktijk De Linde", "Gezondheidscentrum Oost"]
"#);
    assert_eq!(job.audience.practices, ["Huisartsenpraktijk De Linde", "Gezondheidscentrum Oost"]);
    assert!(!job.open_link);
}

#[test]
fn a_practice_listed_twice_in_other_capitals_or_spacing_is_reported_where_it_repeats() {
    let problems = errors(
        r#"
form = "wachttijden"

[audience]
practices = ["De Linde", "de  linde", "  "]
"#,
    );
    assert_eq!(
        problems,
        [
            format!(
                "{FILE}:4:27: `de  linde` is listed twice in `practices` (capitals and spaces do not count); remove one"
            ),
            format!("{FILE}:4:40: an entry of `practices` holds only spaces; remove it"),
        ]
    );
}

#[test]
fn practices_written_at_the_top_of_the_file_are_sent_under_audience() {
    let problems = errors(
        r#"
form = "wachttijden"
practices = ["De Linde"]
"#,
    );
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(problems[0].contains("`practices` belongs under [audience]"), "{problems:#?}");
}

#[test]
fn an_identified_survey_may_have_an_open_link() {
    let job = job(r#"
form = "wachttijden"
open_link = true
"#);
    assert!(job.open_link);
}

#[test]
fn an_open_link_is_refused_for_an_anonymous_round_and_for_a_sign_up() {
    let anonymous_form = errors(
        r#"
form = "crisisdienst"
open_link = true
"#,
    );
    assert_eq!(anonymous_form.len(), 1, "{anonymous_form:#?}");
    assert!(
        anonymous_form[0]
            .starts_with(&format!("{FILE}:2:1: an open link is only for a round that is not anonymous"))
    );

    let anonymous_job = errors(
        r#"
form = "wachttijden"
anonymous = true
open_link = true
"#,
    );
    assert!(anonymous_job[0].contains("this job's answers are anonymous"), "{anonymous_job:#?}");

    let signup = errors(
        r#"
form = "scholing"
open_link = true

[[sessions]]
title = "Scholing"
date = "2099-03-09"
time = "19:00-21:30"
place = "Utrecht"
capacity = 40
"#,
    );
    assert!(signup.iter().any(|p| p.contains("open_registration = true under [signup]")), "{signup:#?}");
    assert!(forms().get("scholing").is_some());
}
