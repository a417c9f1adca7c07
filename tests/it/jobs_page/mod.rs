//! The coordinator's jobs page and form preview (`/beheer/jobs`, `/beheer/formulieren`), and
//! forms and jobs that reload when their files change.

mod jobs;
mod preview;
mod reload;

use std::path::Path;

use crate::helpers::{TestApp, repo};

/// A copy of the shipped `forms` and `jobs` folders that a test may change.
pub(crate) fn folders() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    copy(&repo("forms"), &dir.path().join("forms"));
    copy(&repo("jobs"), &dir.path().join("jobs"));
    dir
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("folder");
    for entry in std::fs::read_dir(from).expect("shipped folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy");
        }
    }
}

/// The app on its own copy of the forms and jobs in `folders`.
pub(crate) async fn app_on(folders: &tempfile::TempDir) -> TestApp {
    let (forms, jobs) = (folders.path().join("forms"), folders.path().join("jobs"));
    TestApp::spawn_configured(move |s| {
        s.forms_dir = forms;
        s.jobs_dir = jobs;
    })
    .await
}

/// The value of the hidden field `name` in `page`.
pub(crate) fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = page.find(&marker).unwrap_or_else(|| panic!("no field {name} in {page}")) + marker.len();
    page[start..].split('"').next().unwrap_or_default().to_string()
}
