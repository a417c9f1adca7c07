//! Mails written as `.eml` files instead of sent (an instance without `smtp_url` puts them in
//! `data_dir/outbox/`, under random names): each names its recipient in its `To:` header, so an
//! erasure removes the files that hold the address. Mail that went out over SMTP is beyond peil.

use std::path::Path;

use super::Address;

/// Removes every `.eml` file in `dir` that holds `address` (in any capitals); how many. A
/// missing folder (mail goes over SMTP) holds none.
pub async fn remove(dir: &Path, address: &Address) -> std::io::Result<u64> {
    let (dir, needle) = (dir.to_path_buf(), address.as_str().to_owned());
    tokio::task::spawn_blocking(move || {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut removed = 0;
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_none_or(|ext| ext != "eml") {
                continue;
            }
            let text = String::from_utf8_lossy(&std::fs::read(&path)?).to_lowercase();
            if text.contains(&needle) {
                std::fs::remove_file(&path)?;
                removed += 1;
            }
        }
        Ok(removed)
    })
    .await?
}
