//! What importing a list would do, worked out without writing anything (the manner of ODK
//! Central's entity upload): the header as read, every problem with its line, how many contacts
//! would be new, changed or unchanged and how many of them opted out, and the first rows as they
//! would be stored. The import page shows it before the coordinator confirms.

use serde::Serialize;

use super::{NewContact, RowError, Vocabulary, parse};
use crate::db::Pool;
use crate::settings::Secret;

/// How many rows the preview shows as they would be stored.
pub const SAMPLE_ROWS: usize = 10;

/// What importing a row would do to the stored contact with its address.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    New,
    Changed,
    Unchanged,
}

impl Change {
    pub fn of(stored: Option<&NewContact>, row: &NewContact) -> Change {
        match stored {
            None => Change::New,
            Some(old) if old == row => Change::Unchanged,
            Some(_) => Change::Changed,
        }
    }

    pub fn dutch(self) -> &'static str {
        match self {
            Change::New => "nieuw",
            Change::Changed => "gewijzigd",
            Change::Unchanged => "ongewijzigd",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Rows whose contact opted out (counted in `changed` or `unchanged` too); importing keeps
    /// them opted out.
    pub opted_out: usize,
    /// Rows whose address was erased on request: importing skips them, so they count nowhere else.
    pub suppressed: usize,
}

/// A row as it would be stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreviewRow {
    pub line: u64,
    pub contact: NewContact,
    pub change: Change,
    pub opted_out: bool,
}

#[derive(Clone, Debug, Default)]
pub struct Preview {
    pub header: Vec<super::HeaderCell>,
    /// Empty when the list can be imported.
    pub problems: Vec<RowError>,
    /// Over the rows without problems.
    pub counts: Counts,
    /// How many rows are without problems.
    pub rows: usize,
    /// The first `SAMPLE_ROWS` of those.
    pub sample: Vec<PreviewRow>,
}

impl Preview {
    pub fn can_import(&self) -> bool {
        self.problems.is_empty() && self.rows > 0
    }
}

/// Reads `bytes` as `import_bytes` would and compares it with the stored contacts; writes nothing.
pub async fn preview(
    pool: &Pool,
    label: &str,
    bytes: &[u8],
    vocab: &Vocabulary,
    secret: &Secret,
) -> Result<Preview, sqlx::Error> {
    let parsed = parse(label, bytes, vocab);
    let stored = super::stored(pool).await?;
    let suppression = crate::persons::suppression::load(pool, secret).await?;
    let mut counts = Counts::default();
    let mut sample = Vec::new();
    for (line, contact) in &parsed.rows {
        if suppression.holds(contact.email.as_str()) {
            counts.suppressed += 1;
            continue;
        }
        let known = stored.get(&contact.email);
        let opted_out = known.is_some_and(|(_, opted_out)| *opted_out);
        let change = Change::of(known.map(|(old, _)| old), contact);
        match change {
            Change::New => counts.new += 1,
            Change::Changed => counts.changed += 1,
            Change::Unchanged => counts.unchanged += 1,
        }
        counts.opted_out += usize::from(opted_out);
        if sample.len() < SAMPLE_ROWS {
            sample.push(PreviewRow { line: *line, contact: contact.clone(), change, opted_out });
        }
    }
    Ok(Preview { header: parsed.header, problems: parsed.problems, counts, rows: parsed.rows.len(), sample })
}
