//! Terms as forms, jobs and `peil.toml` declare them, checked by `peil check`: a term that does
//! not read, or attendance shorter than a register's five years, is refused at `file:line:col`.

use std::path::Path;
use std::process::{Command, Output};

use crate::helpers::repo;

/// `peil check` on the shipped forms, the jobs in `jobs`, and `peil_toml` as the configuration.
fn peil_check(jobs: &Path, forms: &Path, peil_toml: &str) -> Output {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("peil.toml"), peil_toml).expect("peil.toml");
    Command::new(env!("CARGO_BIN_EXE_peil"))
        .arg("check")
        .current_dir(dir.path())
        .env("PEIL_FORMS_DIR", forms)
        .env("PEIL_JOBS_DIR", jobs)
        .env("PEIL_DATA_DIR", dir.path().join("data"))
        .env("NO_COLOR", "1")
        .output()
        .expect("peil check runs")
}

fn jobs_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        std::fs::write(dir.path().join(format!("{name}.toml")), text).expect("job file");
    }
    dir
}

fn stderr(output: &Output, dir: &Path, name: &str) -> String {
    String::from_utf8_lossy(&output.stderr).replace(&*dir.to_string_lossy(), name)
}

#[test]
fn peil_check_refuses_a_term_it_cannot_read_at_its_file_line_and_column() {
    let forms = crate::helpers::forms_dir(&[(
        "kort",
        "title = \"Kort\"\n[retention]\nresponses = \"2 jaar\"\nidentified = \"vergeten\"\n\n[[questions]]\nid = \"a\"\ntype = \"text\"\nlabel = \"A\"\n",
    )]);
    let jobs = jobs_with(&[]);
    let output = peil_check(jobs.path(), forms.path(), "");
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output, forms.path(), "forms");
    assert!(
        errors.contains("forms/kort.toml:3:14: `responses`: \"2 jaar\": \"jaar\" is not a unit"),
        "{errors}"
    );
    assert!(errors.contains("forms/kort.toml:4:15: identified = \"vergeten\" does not exist"), "{errors}");
}

#[test]
fn peil_check_refuses_attendance_shorter_than_the_registers_five_years() {
    let job = r#"form = "intervisie"
[[sessions]]
title = "Intervisiegroep West"
date = "2027-03-09"
time = "13:30-15:30"
place = "Utrecht"
capacity = 8

[[accreditation]]
register = "abc1"
name = "ABC1 (GAIA)"
roles = ["huisarts"]
asks = "big"
format = "BIG-{nummer}"
deadline = "2 maanden"

[retention]
attendance = "2 years"
"#;
    let jobs = jobs_with(&[("intervisie", job)]);
    let output = peil_check(jobs.path(), &repo("forms"), "");
    assert_eq!(output.status.code(), Some(1));
    let errors = stderr(&output, jobs.path(), "jobs");
    assert!(
        errors
            .contains("jobs/intervisie.toml:18:15: attendance = \"2 years\" is shorter than the five years"),
        "{errors}"
    );

    // The same job relying on a default that is too short: peil.toml is named, with what to write.
    let relying = jobs_with(&[(
        "intervisie",
        job.trim_end()
            .trim_end_matches("attendance = \"2 years\"")
            .trim_end()
            .trim_end_matches("[retention]"),
    )]);
    let output = peil_check(relying.path(), &repo("forms"), "[retention]\nattendance = \"3 years\"\n");
    assert_eq!(output.status.code(), Some(1));
    let errors = String::from_utf8_lossy(&output.stderr);
    assert!(
        errors.contains("peil.toml: [retention] attendance = \"3 years\" applies to job `intervisie`"),
        "{errors}"
    );
}

#[test]
fn the_shipped_forms_and_jobs_declare_terms_that_check() {
    let output = peil_check(&repo("jobs"), &repo("forms"), "");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

#[test]
fn peil_retention_says_what_a_dry_run_would_remove_and_a_real_run_is_in_the_audit_log() {
    let dir = tempfile::tempdir().expect("temp dir");
    let peil = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_peil"))
            .args(args)
            .current_dir(dir.path())
            .env("PEIL_FORMS_DIR", repo("forms"))
            .env("PEIL_JOBS_DIR", repo("jobs"))
            .env("PEIL_DATA_DIR", dir.path().join("data"))
            .env("PEIL_DATABASE_URL", format!("sqlite://{}", dir.path().join("peil.db").display()))
            .output()
            .expect("peil runs")
    };
    let dry = peil(&["retention", "--dry-run"]);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(out.starts_with("would remove (dry run, nothing changed):"), "{out}");
    assert!(out.contains("persoonlijke links beëindigd"), "{out}");
    let audit = peil(&["audit"]);
    assert!(!String::from_utf8_lossy(&audit.stdout).contains("retention_run"), "a dry run is not a run");

    let done = peil(&["retention"]);
    assert!(done.status.success(), "{}", String::from_utf8_lossy(&done.stderr));
    assert!(String::from_utf8_lossy(&done.stdout).starts_with("removed:"));
    let audit = peil(&["audit"]);
    assert!(String::from_utf8_lossy(&audit.stdout).contains("retention_run"), "the run by hand is audited");
}
