//! The forms and jobs in use, swapped whole when their files change. `peil serve` reads the form
//! and job folders at start; after that a small task (and every scheduler tick and job start)
//! looks at the files' sizes and modification times, and when one changed, loads and checks them
//! all again. Only a set where every form and every job checks replaces the one in use; otherwise
//! the old set stays and the problems are kept, as `peil check` prints them (`file:line:col`),
//! for the start page to show. Rounds keep their own form snapshot, so an open round is never
//! changed by a reload.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, SystemTime};

use crate::forms::{self, Forms, FormsError};
use crate::jobs::{self, Jobs, JobsError};

/// How often the running service looks at the files.
pub const POLL: Duration = Duration::from_secs(3);

/// One checked set of forms and jobs.
#[derive(Debug)]
pub struct Loaded {
    pub forms: Arc<Forms>,
    pub jobs: Arc<Jobs>,
}

/// Why a set did not load.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("{0}")]
    Forms(#[from] FormsError),
    #[error("{0}")]
    Jobs(#[from] JobsError),
}

/// What [`Catalog::refresh`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refresh {
    /// No file changed since the last look.
    Unchanged,
    /// The files changed and all of them check: the new set is in use.
    Reloaded,
    /// The files changed and do not check: the old set stays in use.
    Refused,
}

/// The shared, swappable set; cheap to clone (one `Arc`).
#[derive(Clone)]
pub struct Catalog(Arc<Inner>);

struct Inner {
    /// `None` for a fixed set (tests, one-shot commands): never reloaded.
    folders: Option<(PathBuf, PathBuf)>,
    current: RwLock<Arc<Loaded>>,
    watch: Mutex<Watch>,
}

#[derive(Default)]
struct Watch {
    /// The files as last looked at.
    stamp: Vec<FileStamp>,
    /// The problems of the files on disk, when they do not check.
    problems: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
struct FileStamp {
    path: PathBuf,
    modified: Option<SystemTime>,
    len: u64,
}

impl Catalog {
    /// Loads and checks the forms in `forms_dir` and the jobs in `jobs_dir`, and watches them.
    pub fn load(forms_dir: &Path, jobs_dir: &Path) -> Result<Catalog, CatalogError> {
        let stamp = stamp(forms_dir, jobs_dir);
        let loaded = load_set(forms_dir, jobs_dir)?;
        Ok(Catalog(Arc::new(Inner {
            folders: Some((forms_dir.to_path_buf(), jobs_dir.to_path_buf())),
            current: RwLock::new(Arc::new(loaded)),
            watch: Mutex::new(Watch { stamp, problems: None }),
        })))
    }

    /// A set that never changes: for tests and tools that build their own.
    pub fn fixed(forms: Arc<Forms>, jobs: Arc<Jobs>) -> Catalog {
        Catalog(Arc::new(Inner {
            folders: None,
            current: RwLock::new(Arc::new(Loaded { forms, jobs })),
            watch: Mutex::default(),
        }))
    }

    /// The set in use now; hold it for the length of one request or tick.
    pub fn current(&self) -> Arc<Loaded> {
        self.0.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn forms(&self) -> Arc<Forms> {
        self.current().forms.clone()
    }

    pub fn jobs(&self) -> Arc<Jobs> {
        self.current().jobs.clone()
    }

    /// The problems of the form and job files on disk, as `peil check` prints them, while they
    /// keep the previous set in use; `None` when the files on disk are the set in use.
    pub fn problems(&self) -> Option<String> {
        self.0.watch.lock().unwrap_or_else(|e| e.into_inner()).problems.clone()
    }

    /// Looks at the files; when any changed, loads them and swaps the set in if all check.
    pub fn refresh(&self) -> Refresh {
        let Some((forms_dir, jobs_dir)) = &self.0.folders else { return Refresh::Unchanged };
        // One look at a time, so two callers do not load the same change twice.
        let mut watch = self.0.watch.lock().unwrap_or_else(|e| e.into_inner());
        let now = stamp(forms_dir, jobs_dir);
        if now == watch.stamp {
            return Refresh::Unchanged;
        }
        watch.stamp = now;
        match load_set(forms_dir, jobs_dir) {
            Ok(loaded) => {
                *self.0.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(loaded);
                watch.problems = None;
                tracing::info!("forms and jobs changed on disk and check: the new ones are in use");
                Refresh::Reloaded
            }
            Err(e) => {
                let problems = e.to_string();
                tracing::warn!(problems = %problems, "forms or jobs changed on disk but do not check; the previous ones stay in use");
                watch.problems = Some(problems);
                Refresh::Refused
            }
        }
    }

    /// Refreshes every `every` until the returned handle is dropped.
    pub fn watch(&self, every: Duration) -> Watcher {
        let catalog = self.clone();
        Watcher(tokio::spawn(async move {
            let mut tick = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let catalog = catalog.clone();
                // Reading and checking files blocks; off the request threads.
                if let Err(e) = tokio::task::spawn_blocking(move || catalog.refresh()).await {
                    tracing::error!(error = %e, "looking at the form and job files failed; tried again");
                }
            }
        }))
    }
}

/// The running [`Catalog::watch`]; it stops when dropped.
#[derive(Debug)]
pub struct Watcher(tokio::task::JoinHandle<()>);

impl Drop for Watcher {
    fn drop(&mut self) {
        self.0.abort();
    }
}

fn load_set(forms_dir: &Path, jobs_dir: &Path) -> Result<Loaded, CatalogError> {
    let forms = Arc::new(forms::load(forms_dir)?);
    for warning in &forms.warnings {
        tracing::warn!(%warning, "a form file allows what it probably does not mean");
    }
    let (jobs, warnings) = jobs::load_warned(jobs_dir, &forms)?;
    for warning in &warnings {
        tracing::warn!(%warning, "a job file allows what it probably does not mean");
    }
    let jobs = Arc::new(jobs);
    Ok(Loaded { forms, jobs })
}

/// Every file under both folders with its size and modification time, in path order. A folder
/// that cannot be read gives no entries: the load that follows reports it.
fn stamp(forms_dir: &Path, jobs_dir: &Path) -> Vec<FileStamp> {
    let mut files = Vec::new();
    for dir in [forms_dir, jobs_dir] {
        collect(dir, &mut files, 0);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

fn collect(dir: &Path, files: &mut Vec<FileStamp>, depth: u8) {
    // Forms have one level of lists below them; deeper is not read by the loaders.
    if depth > 2 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(meta) = entry.metadata() else { continue };
        if meta.is_dir() {
            collect(&path, files, depth + 1);
        } else {
            files.push(FileStamp { path, modified: meta.modified().ok(), len: meta.len() });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM: &str =
        "title = \"Een\"\n\n[[pages]]\n[[pages.questions]]\nid = \"q\"\ntype = \"text\"\nlabel = \"Vraag\"\n";

    fn folders() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("forms")).unwrap();
        std::fs::create_dir_all(dir.path().join("jobs")).unwrap();
        std::fs::write(dir.path().join("forms/een.toml"), FORM).unwrap();
        dir
    }

    #[test]
    fn a_form_that_does_not_check_keeps_the_old_set_until_it_is_fixed() {
        let dir = folders();
        let catalog = Catalog::load(&dir.path().join("forms"), &dir.path().join("jobs")).unwrap();
        assert_eq!(catalog.refresh(), Refresh::Unchanged);

        std::fs::write(dir.path().join("forms/twee.toml"), "title = \n").unwrap();
        assert_eq!(catalog.refresh(), Refresh::Refused);
        assert_eq!(catalog.forms().len(), 1);
        let problems = catalog.problems().expect("problems kept");
        assert!(problems.contains("twee.toml:1:"), "{problems}");
        assert_eq!(catalog.refresh(), Refresh::Unchanged, "the same broken files are not read again");

        std::fs::write(dir.path().join("forms/twee.toml"), FORM.replace("Een", "Twee")).unwrap();
        assert_eq!(catalog.refresh(), Refresh::Reloaded);
        assert_eq!((catalog.forms().len(), catalog.problems()), (2, None));
    }
}
