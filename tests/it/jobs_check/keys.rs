//! Every kind of mistake in a job file, reported as `file:line:col`, and the shipped jobs.

use super::*;

#[test]
fn a_small_job_reads_as_written_with_defaults_for_the_rest() {
    let job = job(r#"
form = "crisisdienst"
schedule = "0 9 1 3,9 *"

[audience]
roles = ["huisarts"]
"#);
    assert_eq!(job.id, "test");
    assert_eq!(job.form, "crisisdienst");
    let schedule = job.schedule.expect("a schedule");
    assert_eq!((schedule.cron.as_str(), schedule.timezone), ("0 9 1 3,9 *", chrono_tz::Europe::Amsterdam));
    assert_eq!(job.open_for, Duration::days(14));
    assert_eq!((job.reminders, job.anonymous), (vec![], None));
    assert_eq!(job.audience.roles, ["huisarts"]);
}

#[test]
fn an_unknown_key_is_reported_with_the_nearest_valid_one_in_each_table() {
    assert_eq!(
        errors(
            r#"
form = "wachttijden"
schedulle = "0 9 1 * *"

[audience]
role = ["ggz-partner"]

[mail]
invitation_subjcet = "Wachttijden"
"#
        ),
        [
            "jobs/test.toml:2:1: unknown key `schedulle`; did you mean `schedule`?",
            "jobs/test.toml:5:1: unknown key `role`; did you mean `roles`?",
            "jobs/test.toml:8:1: unknown key `invitation_subjcet`; did you mean `invitation_subject`?",
        ]
    );
}

#[test]
fn a_key_written_under_the_wrong_table_says_where_it_belongs() {
    assert_eq!(
        errors(
            r#"
form = "wachttijden"
roles = ["ggz-partner"]

[audience]
wijken = ["noord"]
open_for = "10d"
"#
        ),
        [
            "jobs/test.toml:2:1: `roles` belongs under [audience]",
            "jobs/test.toml:6:1: `open_for` belongs at the top of the file, above the first [table] line",
        ]
    );
}

#[test]
fn a_job_without_a_form_is_reported_at_the_top_of_the_file() {
    assert_eq!(
        errors("schedule = \"0 9 1 * *\"\n"),
        [
            "jobs/test.toml:1:1: missing `form`; add e.g. form = \"wachttijden\" (a file name in forms/ without .toml)"
        ]
    );
}

#[test]
fn an_unknown_form_is_reported_with_the_nearest_form() {
    assert_eq!(
        errors("form = \"crisisdiesnt\"\n"),
        ["jobs/test.toml:1:9: there is no form `crisisdiesnt`; did you mean `crisisdienst`?"]
    );
    let far = errors("form = \"koffie\"\n");
    assert!(
        far[0].starts_with("jobs/test.toml:1:9: there is no form `koffie`; the forms are blended-care, ")
    );
}

#[test]
fn a_bad_field_in_a_five_field_schedule_is_named_at_its_column() {
    assert_eq!(
        errors("form = \"wachttijden\"\nschedule = \"0 25 1 * *\"\n"),
        ["jobs/test.toml:2:15: there is no hour 25; the hour field takes 0-23, e.g. 9 or 8-17"]
    );
}

#[test]
fn a_bad_field_in_a_six_field_schedule_is_named_at_its_column() {
    assert_eq!(
        errors("form = \"wachttijden\"\nschedule = \"0 0 9 * * 8\"\n"),
        ["jobs/test.toml:2:23: there is no day of the week 8; the day-of-week field takes 0-7 or SUN-SAT \
             (0 and 7 are Sunday), e.g. MON-FRI, or MON#1 for the first Monday"]
    );
    assert_eq!(
        errors("form = \"wachttijden\"\nschedule = \"60 0 9 * * *\"\n"),
        ["jobs/test.toml:2:13: there is no second 60; the second field takes 0-59, e.g. 0"]
    );
}

#[test]
fn a_schedule_with_the_wrong_number_of_fields_or_no_run_at_all_is_refused() {
    assert_eq!(
        errors("form = \"wachttijden\"\nschedule = \"0 9 1 *\"\n"),
        ["jobs/test.toml:2:13: a schedule has 5 fields (minute hour day-of-month month day-of-week, \
             e.g. \"0 9 1 * *\") or 6 with seconds first; this one has 4"]
    );
    assert_eq!(
        errors("form = \"wachttijden\"\nschedule = \"0 9 30 2 *\"\n"),
        ["jobs/test.toml:2:13: the schedule \"0 9 30 2 *\" never runs (is the day in that month?)"]
    );
}

#[test]
fn every_wrong_field_of_a_schedule_is_reported_at_once() {
    assert_eq!(
        errors("form = \"wachttijden\"\nschedule = \"0 9 1-2-3 FOO MON#6\"\n"),
        [
            "jobs/test.toml:2:17: the day-of-month field `1-2-3` is not valid: invalid range syntax; \
             it takes 1-31 or L for the last day, e.g. 1 or 1,15",
            "jobs/test.toml:2:23: `FOO` means nothing in the month field; it takes 1-12 or JAN-DEC, \
             e.g. * or 1,4,7,10",
            "jobs/test.toml:2:31: the week number after # goes from 1 to 5, not 6",
        ]
    );
}

#[test]
fn an_unknown_time_zone_is_reported_with_the_nearest_one() {
    assert_eq!(
        errors("form = \"wachttijden\"\nschedule = \"0 9 1 * *\"\ntimezone = \"Europe/Amsterdm\"\n"),
        ["jobs/test.toml:3:13: unknown time zone `Europe/Amsterdm`; did you mean `Europe/Amsterdam`?"]
    );
    let job = job("form = \"wachttijden\"\nschedule = \"0 9 1 * *\"\ntimezone = \"europe/brussels\"\n");
    assert_eq!(job.schedule.unwrap().timezone, chrono_tz::Europe::Brussels);
}

#[test]
fn a_duration_that_is_not_a_number_and_a_unit_says_how_to_write_it() {
    let how = "write a whole number and h (hours), d (days) or w (weeks), e.g. \"14d\", \"36h\" or \"2w\"";
    assert_eq!(
        errors(
            r#"
form = "wachttijden"
open_for = "14 dagen"
reminders = ["1.5d"]
"#
        ),
        [
            format!("jobs/test.toml:2:13: `open_for`: \"14 dagen\" is not a duration; {how}"),
            format!("jobs/test.toml:3:15: reminder: \"1.5d\" is not a duration; {how}"),
        ]
    );
    assert_eq!(
        errors("form = \"wachttijden\"\nopen_for = \"0h\"\n"),
        ["jobs/test.toml:2:13: `open_for`: \"0h\" is no time at all; give a duration of more than 0"]
    );
}

#[test]
fn hours_days_and_weeks_are_all_durations() {
    let job = job("form = \"wachttijden\"\nopen_for = \"2w\"\nreminders = [\"36h\", \"7d\"]\n");
    assert_eq!(job.open_for, Duration::days(14));
    assert_eq!(job.reminders, [Duration::hours(36), Duration::days(7)]);
}

#[test]
fn a_reminder_after_the_round_closes_or_out_of_order_is_refused() {
    assert_eq!(
        errors(
            r#"
form = "wachttijden"
open_for = "14d"
reminders = ["7d", "3d", "3d", "2w"]
"#
        ),
        [
            "jobs/test.toml:3:21: the reminder \"3d\" comes before the one in front of it; list reminders from early to late",
            "jobs/test.toml:3:27: the reminder \"3d\" is listed twice; remove one",
            "jobs/test.toml:3:33: the reminder \"2w\" comes when the round has closed (open_for is 14d); make it shorter than open_for",
        ]
    );
}

#[test]
fn a_reminder_is_measured_against_the_default_open_time_too() {
    assert_eq!(
        errors("form = \"wachttijden\"\nreminders = [\"15d\"]\n"),
        [
            "jobs/test.toml:2:15: the reminder \"15d\" comes when the round has closed (open_for is 14d); make it shorter than open_for"
        ]
    );
}

#[test]
fn an_unknown_role_or_wijk_is_reported_with_the_nearest_value_from_the_shared_lists() {
    assert_eq!(
        errors(
            r#"
form = "wachttijden"

[audience]
roles = ["ggz_partner", "tandarts"]
wijken = ["noord", "zuidd", "noord"]
gemeenten = ["Stad", 7]
"#
        ),
        [
            "jobs/test.toml:4:11: unknown role `ggz_partner`; did you mean `ggz-partner`?",
            "jobs/test.toml:4:26: unknown role `tandarts`; the roles are huisarts, poh-ggz, vs-ggz, \
             kaderhuisarts-ggz, wijkmanager, ggz-partner, coordinator (forms/lists/rollen.toml)",
            "jobs/test.toml:5:21: unknown wijk `zuidd`; did you mean `zuid`?",
            "jobs/test.toml:5:30: `noord` is listed twice in `wijken`; remove one",
            "jobs/test.toml:6:22: each entry of `gemeenten` is a text in quotes, e.g. gemeenten = [\"...\"]",
        ]
    );
}

#[test]
fn per_takes_only_wijk() {
    assert_eq!(
        errors("form = \"wachttijden\"\n\n[audience]\nper = \"gemeente\"\n"),
        [
            "jobs/test.toml:4:8: per = \"gemeente\" does not exist; write per = \"wijk\" for one round per wijk, \
             or leave `per` out for one round for everyone"
        ]
    );
    let job = job("form = \"wachttijden\"\n\n[audience]\nper = \"wijk\"\n");
    assert!(job.audience.per_wijk);
}

#[test]
fn a_subject_with_a_line_break_is_reported_at_the_break() {
    assert_eq!(
        errors(
            r#"
form = "wachttijden"

[mail]
invitation_subject = "Wachttijden\nopgeven"
reminder_subject = """
Nog even
de wachttijden"""
"#
        ),
        [
            "jobs/test.toml:4:34: `invitation_subject` must be one line: an e-mail subject cannot hold a line break",
            "jobs/test.toml:6:9: `reminder_subject` must be one line: an e-mail subject cannot hold a line break",
        ]
    );
}

#[test]
fn a_subject_longer_than_150_characters_is_reported_where_it_gets_cut() {
    let subject = "é".repeat(151);
    let diags = errors(&format!("form = \"wachttijden\"\n[mail]\nreminder_subject = \"{subject}\"\n"));
    assert_eq!(
        diags,
        ["jobs/test.toml:3:171: `reminder_subject` is 151 characters long; keep it to 150, mail programs \
             cut off the rest (from here)"]
    );
}

#[test]
fn mail_texts_are_kept_and_a_blank_one_is_refused() {
    let job = job(r#"
form = "wachttijden"

[mail]
invitation_subject = "Opgave wachttijden"
invitation_text = """
Eerste alinea.

Tweede alinea."""
"#);
    assert_eq!(job.mail.invitation_subject.as_deref(), Some("Opgave wachttijden"));
    assert_eq!(job.mail.invitation_text.as_deref(), Some("Eerste alinea.\n\nTweede alinea."));
    assert_eq!(job.mail.reminder_subject, None);
    assert_eq!(
        errors("form = \"wachttijden\"\n[mail]\nreminder_text = \"  \"\n"),
        ["jobs/test.toml:3:18: `reminder_text` is empty; leave it out to use the standard text"]
    );
}

#[test]
fn a_job_may_make_a_form_anonymous_but_never_lift_its_anonymity() {
    assert_eq!(job("form = \"wachttijden\"\nanonymous = true\n").anonymous, Some(true));
    assert_eq!(
        errors("form = \"crisisdienst\"\nanonymous = false\n"),
        [
            "jobs/test.toml:2:1: the form `crisisdienst` is anonymous and tells people so; a job cannot lift that: \
             remove `anonymous = false`"
        ]
    );
}

#[test]
fn a_job_cannot_make_a_sign_up_anonymous() {
    assert_eq!(
        errors("form = \"intervisie\"\nanonymous = true\n"),
        [
            "jobs/test.toml:1:1: the form is a sign-up form: add the sessions each round offers as [[sessions]] \
             tables (title, date or weekday and week, time, place, capacity)",
            "jobs/test.toml:2:1: a sign-up cannot be anonymous: its seats, waiting list and attendance list name \
             the people who signed up; remove `anonymous = true`"
        ]
    );
}

#[test]
fn a_file_with_many_mistakes_gets_them_all_in_file_order() {
    let diags = errors(
        r#"
form = "wachtijden"
schedule = "0 9 32 * *"
timezone = "Mars/Olympus"
open_for = "3 weken"

[audience]
roles = ["huisart"]
per = "praktijk"

[mail]
invitation_subject = "a\rb"
"#,
    );
    let places: Vec<&str> = diags.iter().map(|d| d.split(": ").next().unwrap()).collect();
    assert_eq!(
        places,
        [
            "jobs/test.toml:1:9",
            "jobs/test.toml:2:17",
            "jobs/test.toml:3:13",
            "jobs/test.toml:4:13",
            "jobs/test.toml:7:11",
            "jobs/test.toml:8:8",
            "jobs/test.toml:11:24",
        ],
        "{diags:#?}"
    );
}

#[test]
fn the_shipped_jobs_pass_the_check() {
    let jobs = jobs::load(&repo("jobs"), forms()).unwrap_or_else(|e| panic!("{e}"));
    let ids: Vec<&str> = jobs.jobs.iter().map(|j| j.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            // In the order of their file names: `-` sorts before `.toml`'s dot.
            "blended-care-bezoek",
            "blended-care",
            "consultatiefunctie",
            "crisisdienst",
            "intervisie-poh-ggz",
            "samenwerking-per-wijk",
            "scholing",
            "verwijzing-bggz-sggz",
            "vs-ggz-overbrugging",
            "wachttijden",
        ]
    );
    let samenwerking = jobs.get("samenwerking-per-wijk").unwrap();
    assert_eq!(samenwerking.schedule.as_ref().unwrap().cron, "0 9 1 1,4,7,10 *");
    assert!(samenwerking.audience.per_wijk);
    assert_eq!(samenwerking.reminders, [Duration::days(7), Duration::days(14)]);
    let intervisie = jobs.get("intervisie-poh-ggz").unwrap();
    assert_eq!(
        (intervisie.open_for, intervisie.audience.roles.as_slice()),
        (Duration::days(10), &["poh-ggz".to_string()][..])
    );
    assert!(intervisie.mail.invitation_text.as_deref().unwrap().contains("intervisie"));
    assert!(jobs.get("wachttijden").unwrap().audience.roles == ["ggz-partner"]);
    assert!(jobs.get("blended-care").unwrap().schedule.is_none());
    let vs_ggz = jobs.get("vs-ggz-overbrugging").unwrap();
    assert_eq!(vs_ggz.schedule.as_ref().unwrap().cron, "0 9 8 1,4,7,10 *");
    assert_eq!(vs_ggz.audience.roles, ["huisarts", "poh-ggz"]);
    assert_eq!(vs_ggz.audience.practices.len(), 20, "the practices where the VS-GGZ works");
    let visits = jobs.get("blended-care-bezoek").unwrap();
    assert!(visits.open_link && visits.reminders.is_empty());
    assert_eq!(visits.open_for, Duration::weeks(51));
}

#[test]
fn a_missing_jobs_folder_means_no_jobs() {
    let jobs = jobs::load(Path::new("/nonexistent/jobs"), forms()).expect("no folder, no jobs");
    assert!(jobs.jobs.is_empty());
}

#[test]
fn loading_a_folder_reports_every_broken_file_by_its_path() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("goed.toml"), "form = \"wachttijden\"\n").unwrap();
    std::fs::write(dir.path().join("kapot.toml"), "form = \"wachttijden\"\nopen_for = \"14\"\n").unwrap();
    std::fs::write(dir.path().join("Met Spatie.toml"), "form = \"wachttijden\"\n").unwrap();
    std::fs::write(dir.path().join("notities.txt"), "not a job").unwrap();
    let Err(JobsError::Invalid(diags)) = jobs::load(dir.path(), forms()) else { panic!("expected problems") };
    let lines: Vec<String> =
        diags.iter().map(|d| d.to_string().replace(&*dir.path().to_string_lossy(), "jobs")).collect();
    assert_eq!(lines.len(), 2, "{lines:#?}");
    assert!(lines[0].starts_with("jobs/Met Spatie.toml:1:1: the file name `Met Spatie` is the job's id"));
    assert!(lines[1].starts_with("jobs/kapot.toml:2:13: `open_for`: \"14\" is not a duration"));
}

#[test]
fn a_job_that_makes_a_form_asking_who_answered_anonymous_is_warned_at_its_key_and_still_loads() {
    let dir = tempfile::tempdir().expect("a folder");
    let path = dir.path().join("opgave.toml");
    std::fs::write(&path, "form = \"wachttijden\"\nanonymous = true\n").expect("the job file");
    let (jobs, warnings) = jobs::load_warned(dir.path(), forms()).expect("the job loads");
    assert_eq!(jobs.jobs.len(), 1);
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [format!(
            "{}:2:1: warning: this job makes the form `wachttijden` anonymous, but its question(s) \
             `contact_email` ask who answered: such an answer tells who gave all the others. Remove \
             `anonymous = true`, or use a form without those questions",
            path.display()
        )]
    );
    std::fs::write(&path, "form = \"wachttijden\"\n").expect("the job file");
    assert!(jobs::load_warned(dir.path(), forms()).expect("the job loads").1.is_empty());
}
