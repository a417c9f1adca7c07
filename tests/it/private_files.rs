//! What peil leaves on disk is for peil's own user only: the data folder, the SQLite files, the
//! secret key and the `.eml` files of the outbox, whatever umask the service was started with.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::cli::{Cli, Service, stderr};
use crate::helpers::{CONTACTS, repo};

/// The permission bits, in octal as `ls` and `chmod` write them.
fn mode(path: &Path) -> String {
    let metadata = std::fs::metadata(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    format!("{:o}", metadata.permissions().mode() & 0o777)
}

/// The `.eml` files in `outbox`, once `count` of them are there.
fn mails(outbox: &Path, count: usize) -> Vec<std::path::PathBuf> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found: Vec<_> = std::fs::read_dir(outbox)
            .map(|dir| dir.filter_map(Result::ok).map(|e| e.path()).collect())
            .unwrap_or_default();
        if found.len() >= count {
            return found;
        }
        assert!(Instant::now() < deadline, "{} of {count} mails in {}", found.len(), outbox.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn the_data_folder_database_key_and_mails_are_private_whatever_the_umask() {
    for umask in ["022", "000"] {
        let cli = Cli::new();
        let data = cli.dir.path().join("data");
        let sqlite = !crate::pg::on_postgres();
        let database = data.join("peil.db");
        let run = |args: &[&str]| {
            let mut command = cli.under_umask(umask, args);
            command.env("PEIL_JOBS_DIR", repo("jobs"));
            if sqlite {
                // In the data folder, as the default database_url has it.
                command.env("PEIL_DATABASE_URL", format!("sqlite://{}", database.display()));
            }
            command
        };
        let csv = cli.write("contacts.csv", CONTACTS.as_bytes());
        let imported = run(&["contacts", "import", &csv]).output().unwrap();
        assert!(imported.status.success(), "{}", stderr(&imported));
        let started = run(&["job", "start", "crisisdienst"]).output().unwrap();
        assert!(started.status.success(), "{}", stderr(&started));
        let _service = Service(run(&["serve"]).stderr(std::process::Stdio::null()).spawn().unwrap());

        let outbox = data.join("outbox");
        let mut private = mails(&outbox, 3);
        private.push(data.join("secret.key"));
        if sqlite {
            private.extend(["peil.db", "peil.db-wal", "peil.db-shm"].map(|name| data.join(name)));
        }
        for folder in [&data, &outbox] {
            assert_eq!(mode(folder), "700", "umask {umask}: {}", folder.display());
        }
        for file in &private {
            assert_eq!(mode(file), "600", "umask {umask}: {}", file.display());
        }
    }
}
