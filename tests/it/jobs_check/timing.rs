//! Runs in local time across clock changes, and `peil schedule` as a coordinator reads it.

use super::*;

#[test]
fn nine_in_the_morning_stays_nine_on_the_amsterdam_clock_when_summer_time_starts() {
    // 28 March 2027: 02:00 CET becomes 03:00 CEST, so 09:00 moves from 08:00 to 07:00 UTC.
    assert_eq!(
        runs(&amsterdam("0 9 * * *"), "2027-03-26T12:00:00Z", 3),
        ["2027-03-27T08:00Z", "2027-03-28T07:00Z", "2027-03-29T07:00Z"]
    );
}

#[test]
fn nine_in_the_morning_stays_nine_on_the_amsterdam_clock_when_summer_time_ends() {
    // 31 October 2027: 03:00 CEST becomes 02:00 CET, so 09:00 moves from 07:00 to 08:00 UTC.
    assert_eq!(
        runs(&amsterdam("0 9 * * *"), "2027-10-29T12:00:00Z", 3),
        ["2027-10-30T07:00Z", "2027-10-31T08:00Z", "2027-11-01T08:00Z"]
    );
}

#[test]
fn a_monthly_job_keeps_its_local_time_from_winter_to_summer_and_back() {
    assert_eq!(
        runs(&amsterdam("0 9 1 * *"), "2027-02-15T00:00:00Z", 2),
        ["2027-03-01T08:00Z", "2027-04-01T07:00Z"]
    );
    assert_eq!(
        runs(&amsterdam("0 9 1 * *"), "2027-09-15T00:00:00Z", 2),
        ["2027-10-01T07:00Z", "2027-11-01T08:00Z"]
    );
}

#[test]
fn the_next_run_is_strictly_after_the_given_moment() {
    let schedule = amsterdam("0 9 * * *");
    let nine = utc("2027-06-01T07:00:00Z");
    assert_eq!(schedule.next_after(nine), Some(utc("2027-06-02T07:00:00Z")));
    assert_eq!(schedule.next_after(nine - Duration::seconds(1)), Some(nine));
    assert_eq!(schedule.next_after(nine + Duration::milliseconds(500)), Some(utc("2027-06-02T07:00:00Z")));
}

#[test]
fn a_job_in_the_night_of_a_clock_change_runs_once() {
    // 02:30 does not exist on 28 March: the run comes when the clock jumps to 03:00 CEST.
    assert_eq!(
        runs(&amsterdam("30 2 * * *"), "2027-03-27T12:00:00Z", 2),
        ["2027-03-28T01:00Z", "2027-03-29T00:30Z"]
    );
    // 02:30 happens twice on 31 October: only the first (summer-time) pass runs.
    assert_eq!(
        runs(&amsterdam("30 2 * * *"), "2027-10-30T12:00:00Z", 2),
        ["2027-10-31T00:30Z", "2027-11-01T01:30Z"]
    );
}

#[test]
fn a_five_field_schedule_and_its_six_field_form_run_at_the_same_moments() {
    for (five, six) in [
        ("0 9 1 1,4,7,10 *", "0 0 9 1 1,4,7,10 *"),
        ("*/30 8-9 * * MON", "0 */30 8-9 * * MON"),
        ("0 9 * * *", "0 0 9 * * *"),
    ] {
        assert_eq!(
            runs(&amsterdam(five), "2027-01-01T00:00:00Z", 12),
            runs(&amsterdam(six), "2027-01-01T00:00:00Z", 12),
            "{five} / {six}"
        );
        job(&format!("form = \"wachttijden\"\nschedule = \"{six}\"\n"));
    }
}

/// `peil` run in an empty folder with the shipped forms and the given jobs folder.
fn peil(args: &[&str], jobs_dir: &Path) -> Output {
    let dir = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_peil"))
        .args(args)
        .current_dir(dir.path())
        .env("PEIL_FORMS_DIR", repo("forms"))
        .env("PEIL_JOBS_DIR", jobs_dir)
        .env("PEIL_DATA_DIR", dir.path().join("data"))
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The listing's blocks, one per job, by job id.
fn blocks(listing: &str) -> Vec<(String, Vec<String>)> {
    listing
        .split("\n\n")
        .map(|block| {
            let mut lines = block.lines().map(str::to_string);
            (lines.next().unwrap_or_default(), lines.collect())
        })
        .collect()
}

#[test]
fn peil_schedule_shows_three_runs_per_scheduled_job_and_one_offs_as_manual() {
    let output = peil(&["schedule", "--from", "2027-01-15T12:00"], &repo("jobs"));
    assert!(output.status.success(), "{}", text(&output.stderr));
    let listing = text(&output.stdout);
    let blocks = blocks(&listing);
    assert_eq!(blocks.len(), 10, "{listing}");
    for (id, lines) in &blocks {
        let runs =
            lines.iter().filter(|l| l.ends_with("(Europe/Amsterdam)") && !l.contains("schema")).count();
        let manual = lines.iter().any(|l| l.ends_with("alleen handmatig"));
        assert!((runs == 3) != manual, "{id}: {lines:#?}");
    }
    let (_, intervisie) = blocks.iter().find(|(id, _)| id == "intervisie-poh-ggz").unwrap();
    let expected = [
        "  formulier      intervisie",
        "  doelgroep      rollen poh-ggz",
        "  open           10 dagen",
        "  herinneringen  na 5 dagen",
        "  schema         0 9 1 * * (Europe/Amsterdam)",
        "  volgende       maandag 1 februari 2027 09:00 (Europe/Amsterdam)",
        "                 maandag 1 maart 2027 09:00 (Europe/Amsterdam)",
        "                 donderdag 1 april 2027 09:00 (Europe/Amsterdam)",
    ];
    assert_eq!(intervisie, &expected);
    let (_, per_wijk) = blocks.iter().find(|(id, _)| id == "samenwerking-per-wijk").unwrap();
    assert!(per_wijk.contains(&"  doelgroep      rollen huisarts; een ronde per wijk".to_string()));
    // Without a database there are no contacts to count, and none is created to find that out.
    assert!(
        per_wijk.contains(&"  per wijk       niet te schatten: nog geen database".to_string()),
        "{per_wijk:#?}"
    );
}

#[test]
fn peil_schedule_from_a_moment_before_the_clock_change_shows_the_same_local_time() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("dagelijks.toml"), "form = \"wachttijden\"\nschedule = \"0 9 * * *\"\n")
        .unwrap();
    let output = peil(&["schedule", "--from", "2027-10-30T12:00"], dir.path());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let listing = text(&output.stdout);
    for day in
        ["zondag 31 oktober 2027 09:00", "maandag 1 november 2027 09:00", "dinsdag 2 november 2027 09:00"]
    {
        assert!(listing.contains(day), "{day} missing in:\n{listing}");
    }
}

#[test]
fn peil_check_reports_broken_job_files_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("kapot.toml"), "form = \"wachttijden\"\nschedule = \"0 9 1 13 *\"\n")
        .unwrap();
    let output = peil(&["check"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr).replace(&*dir.path().to_string_lossy(), "jobs");
    assert!(
        stderr.contains("jobs/kapot.toml:2:19: there is no month 13; the month field takes 1-12 or JAN-DEC"),
        "{stderr}"
    );
    assert!(stderr.contains("1 problem(s) found in the job files"), "{stderr}");
}

#[test]
fn peil_check_accepts_the_shipped_jobs() {
    let output = peil(&["check"], &repo("jobs"));
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("\n10 jobs OK: blended-care-bezoek, blended-care, "),
        "{}",
        text(&output.stdout)
    );
}

#[test]
fn peil_schedule_says_how_many_wijken_a_per_wijk_job_can_show_with_the_contacts_in_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_peil"))
            .args(args)
            .current_dir(dir.path())
            .env("PEIL_FORMS_DIR", repo("forms"))
            .env("PEIL_JOBS_DIR", repo("jobs"))
            .env("PEIL_DATA_DIR", dir.path().join("data"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    };
    // At 60%: noord 9 → 5, zuid 8 → 4, oost 4 → 2; with k = 5 only noord, and the hidden two
    // together (6) are enough for the region to be shown beside it.
    let contacts = crate::results::huisartsen(&[("noord", 9), ("zuid", 8), ("oost", 4)]);
    std::fs::write(dir.path().join("contacten.csv"), contacts).unwrap();
    let imported = run(&["contacts", "import", "contacten.csv"]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));

    let output = run(&["schedule"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let listing = text(&output.stdout);
    let blocks = blocks(&listing);
    let (_, per_wijk) =
        blocks.iter().find(|(id, _)| id == "samenwerking-per-wijk").expect("the per-wijk job");
    let expected = "  per wijk       bij 60% respons is naar verwachting 1 van 3 wijken te tonen (k = 5)";
    assert!(per_wijk.contains(&expected.to_string()), "{per_wijk:#?}");
    let (_, scholing) = blocks.iter().find(|(id, _)| id == "scholing").expect("a job not per wijk");
    assert!(!scholing.iter().any(|l| l.contains("per wijk")), "{scholing:#?}");
}
