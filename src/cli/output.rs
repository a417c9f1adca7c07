//! What commands print on stdout. A reader that stops early (`peil round links 1 | head -1`)
//! closes the pipe, and since Rust ignores SIGPIPE, `println!` would then panic with "failed
//! printing to stdout". Listings are printed here instead: a closed stdout ends the command
//! quietly and successfully, as it ends `ls` or `grep`, and other write errors are reported.

use std::io::{ErrorKind, Write};

/// The reader of stdout has gone: nothing is left to do and nothing to report.
#[derive(Debug, thiserror::Error)]
#[error("stdout was closed by its reader")]
pub struct ClosedStdout;

/// `text` on stdout as it is, `\n`s included.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|e| match e.kind() {
        ErrorKind::BrokenPipe => anyhow::Error::new(ClosedStdout),
        _ => anyhow::Error::new(e).context("writing to stdout"),
    })
}

/// Each of `lines` on a line of its own, written as it comes.
pub fn print_lines(lines: impl IntoIterator<Item = String>) -> anyhow::Result<()> {
    lines.into_iter().try_for_each(|line| print(&format!("{line}\n")))
}

/// Whether `error` is the reader going away, which ends a command without a message.
pub fn closed(error: &anyhow::Error) -> bool {
    error.downcast_ref::<ClosedStdout>().is_some()
}
