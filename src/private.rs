//! Folders and files that only peil's own user may read: the data folder with the SQLite
//! database, the secret key and the `.eml` files of the outbox. Each is made with its mode from
//! the start, whatever the umask of the shell or service manager that started peil, because a
//! database of answers or a mail with a personal link is readable by anyone once it is 0644.

use std::fs::{DirBuilder, OpenOptions};
use std::io::Write;
use std::path::Path;

/// Owner only: read, write, enter.
const FOLDER_MODE: u32 = 0o700;
/// Owner only: read and write.
const FILE_MODE: u32 = 0o600;

/// `path` and its missing parents, each made 0700. A folder that is there already keeps its mode:
/// its owner may have opened it up on purpose (a backup user's group, say).
pub fn create_folder(path: &Path) -> std::io::Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, FOLDER_MODE);
    builder.create(path)
}

/// `path` as an empty 0600 file when it is not there yet; an existing file is left as it is.
pub fn ensure_file(path: &Path) -> std::io::Result<()> {
    options(OpenOptions::new().write(true).create(true)).open(path).map(drop)
}

/// A new 0600 file at `path` holding `bytes`; refused when `path` exists.
pub fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    options(OpenOptions::new().write(true).create_new(true)).open(path)?.write_all(bytes)
}

fn options(options: &mut OpenOptions) -> &mut OpenOptions {
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(options, FILE_MODE);
    options
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &std::path::Path) -> u32 {
        std::fs::metadata(path).expect("metadata").permissions().mode() & 0o777
    }

    #[test]
    fn new_folders_and_files_are_for_the_owner_only_and_existing_files_are_kept() {
        let dir = tempfile::tempdir().expect("temp dir");
        let nested = dir.path().join("data").join("outbox");
        super::create_folder(&nested).expect("folders");
        assert_eq!(mode(&dir.path().join("data")), 0o700);
        assert_eq!(mode(&nested), 0o700);
        let file = nested.join("a.eml");
        super::write_new(&file, b"mail").expect("file");
        assert_eq!(mode(&file), 0o600);
        assert!(super::write_new(&file, b"other").is_err(), "never overwrites");
        super::ensure_file(&file).expect("already there");
        assert_eq!(std::fs::read(&file).expect("read"), b"mail");
    }
}
