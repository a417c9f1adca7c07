//! Contacts: the people peil invites (GPs, POH-GGZ, wijk managers, partners), each with a role
//! and usually a wijk. They come in from a CSV list kept by the office (`import`), and rounds
//! pick their audience from them with `matching`. Opting out is the contact's own choice, so
//! no import ever changes it. The coordinator's pages read a list before importing it
//! (`preview`), search the contacts (`list`), show one with their invitations, seats and mails
//! (`history`), and edit one or undo an opt-out (`edit`); each change is in the audit log.

mod edit;
pub mod erasure;
mod header;
mod history;
mod import;
mod list;
mod preview;
mod problem;
mod register_details;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use chrono::{DateTime, Utc};

use crate::db::{Db, Pool, Timestamp, Write};
use crate::email::EmailAddress;
use crate::persons::suppression::Suppression;
use crate::settings::Secret;

pub use edit::{EditError, Edited, undo_opt_out, update};
pub use header::{HeaderCell, suggest_column};
pub use history::{History, IntFlag, InvitationLine, MailLine, SeatLine, history};
pub use import::{Parsed, RawContact, check_contact, parse, parse_csv};
pub use list::{ContactFilter, ContactPage, PAGE_SIZE, find, gemeenten, search};
pub use preview::{Change, Counts, Preview, PreviewRow, SAMPLE_ROWS, preview};
pub use problem::{Problem, RowError};
pub use register_details::save_register_details;

crate::db::id!(ContactId);

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Contact {
    pub id: ContactId,
    pub email: String,
    pub name: String,
    pub role: String,
    pub practice: String,
    pub wijk: String,
    pub gemeente: String,
    pub opted_out: bool,
}

/// A checked row of a contact list: role and wijk as codes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewContact {
    pub email: EmailAddress,
    pub name: String,
    pub role: String,
    pub practice: String,
    pub wijk: String,
    pub gemeente: String,
}

/// The first control character in a name or another field of a contact, if it has one. No name
/// holds one, and each would do harm: PostgreSQL cannot store a NUL; a line break or a tab, even
/// in a quoted CSV cell, splits the lines and columns of `peil round links` and of exports and
/// would reach a mail's `To:` header. The registration page refuses the same characters.
pub fn control_character(text: &str) -> Option<char> {
    text.chars().find(|c| c.is_control())
}

/// Known roles and wijken as (value, label) pairs, e.g. ("poh-ggz", "POH-GGZ").
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    pub roles: Vec<(String, String)>,
    pub wijken: Vec<(String, String)>,
}

impl Vocabulary {
    /// The role code a cell means; people type the label as often as the code.
    pub fn role(&self, cell: &str) -> Option<&str> {
        lookup(&self.roles, cell)
    }

    pub fn wijk(&self, cell: &str) -> Option<&str> {
        lookup(&self.wijken, cell)
    }
}

fn lookup<'v>(list: &'v [(String, String)], cell: &str) -> Option<&'v str> {
    let cell = cell.trim().to_lowercase();
    list.iter()
        .find(|(value, label)| value.to_lowercase() == cell || label.trim().to_lowercase() == cell)
        .map(|(value, _)| value.as_str())
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Of those on the list, how many had opted out; they stay so.
    pub opted_out: usize,
    /// Addresses on the list that were erased on request (`persons::suppression`): skipped.
    pub suppressed: usize,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { added, updated, unchanged, suppressed, .. } = self;
        write!(f, "{added} added, {updated} updated, {unchanged} unchanged")?;
        if *suppressed > 0 {
            write!(f, ", {suppressed} skipped (erased on request)")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ContactsError {
    #[error("could not read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    /// Everything wrong with a list, one `FILE:LINE: message` per line.
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Rows(Vec<RowError>),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// The most a contact list may hold, read from a file or from the import page: a region's list
/// of 10,000 people is about 1 MB.
pub const MAX_LIST_BYTES: usize = 4 * 1024 * 1024;

/// Checks the whole list first and writes only if all of it is right, in one transaction, so
/// a half-fixed list never leaves half the contacts updated. `peil contacts import`; the audit
/// row names no actor ("opdrachtregel").
pub async fn import_csv(
    db: &Db,
    path: &Path,
    vocab: &Vocabulary,
    secret: &Secret,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ContactsError> {
    let label = path.display().to_string();
    let bytes =
        tokio::fs::read(path).await.map_err(|source| ContactsError::Read { path: label.clone(), source })?;
    import_bytes(db, &label, &bytes, vocab, secret, None, now).await
}

/// Imports a list read elsewhere (the import page), all or nothing, as `import_csv` does; `label`
/// is its file name in messages and in the audit log. Addresses erased on request are skipped
/// (`secret` is the key of their list).
pub async fn import_bytes(
    db: &Db,
    label: &str,
    bytes: &[u8],
    vocab: &Vocabulary,
    secret: &Secret,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ContactsError> {
    let contacts = parse_csv(label, bytes, vocab)?;
    let mut tx = db.write().await?;
    let suppression = crate::persons::suppression::load(&mut *tx, secret).await?;
    let summary = upsert(&mut tx, &contacts, &suppression, now).await?;
    let ImportSummary { added, updated, unchanged, opted_out, suppressed } = summary;
    let mut detail =
        format!("{label}: {added} nieuw, {updated} gewijzigd, {unchanged} ongewijzigd, {opted_out} afgemeld");
    if suppressed > 0 {
        detail.push_str(&format!(", {suppressed} overgeslagen (gewist op verzoek)"));
    }
    crate::audit::record(&mut tx, now, actor, crate::audit::AuditAction::ContactsImported, &detail).await?;
    tx.commit().await?;
    Ok(summary)
}

async fn upsert(
    tx: &mut Write,
    contacts: &[NewContact],
    suppression: &Suppression<'_>,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ContactsError> {
    let existing = stored(&mut **tx).await?;
    let now = Timestamp::from(now);
    let mut summary = ImportSummary::default();
    for contact in contacts {
        // Erased on request: not brought back, whether or not they registered themselves since.
        if suppression.holds(contact.email.as_str()) {
            summary.suppressed += 1;
            continue;
        }
        let known = existing.get(&contact.email);
        summary.opted_out += usize::from(known.is_some_and(|(_, opted_out)| *opted_out));
        let sql = match Change::of(known.map(|(old, _)| old), contact) {
            Change::Unchanged => {
                summary.unchanged += 1;
                continue;
            }
            Change::Changed => {
                summary.updated += 1;
                "UPDATE contacts SET name = $2, role = $3, practice = $4, wijk = $5, \
                 gemeente = $6, updated_at = $7, self_registered = 0 WHERE email = $1"
            }
            Change::New => {
                summary.added += 1;
                "INSERT INTO contacts (email, name, role, practice, wijk, gemeente, \
                 opted_out, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7)"
            }
        };
        bind(sqlx::query(sql), contact).bind(now).execute(&mut **tx).await?;
    }
    Ok(summary)
}

/// Every stored contact's own fields and whether they opted out, by address: what a list is
/// compared with.
async fn stored<'e, E>(executor: E) -> Result<HashMap<EmailAddress, (NewContact, bool)>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<ContactRow> =
        sqlx::query_as("SELECT id, email, name, role, practice, wijk, gemeente, opted_out FROM contacts")
            .fetch_all(executor)
            .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let opted_out = row.opted_out != 0;
            let contact = NewContact::from(row.stored);
            (contact.email.clone(), (contact, opted_out))
        })
        .collect())
}

/// Binds a contact's fields as `$1` to `$6`.
fn bind<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    contact: &'q NewContact,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    query
        .bind(contact.email.as_str())
        .bind(&contact.name)
        .bind(&contact.role)
        .bind(&contact.practice)
        .bind(&contact.wijk)
        .bind(&contact.gemeente)
}

/// Adds someone who registered themselves (never part of an audience), in the caller's
/// transaction, and returns their contact. A known address keeps its contact as it is: a
/// registration cannot rename anyone.
pub async fn add_self_registered(
    tx: &mut Write,
    person: &NewContact,
    now: DateTime<Utc>,
) -> Result<Contact, sqlx::Error> {
    let sql = "INSERT INTO contacts (email, name, role, practice, wijk, gemeente, self_registered, \
               created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) ON CONFLICT (email) DO NOTHING";
    bind(sqlx::query(sql), person).bind(Timestamp::from(now)).execute(&mut **tx).await?;
    let row: ContactRow = sqlx::query_as(
        "SELECT id, email, name, role, practice, wijk, gemeente, opted_out FROM contacts WHERE email = $1",
    )
    .bind(person.email.as_str())
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.into())
}

/// Marks the contact behind `invitation` opted out, in the caller's transaction (an opt-out and
/// the mails it cancels go together).
pub async fn opt_out_invited(
    tx: &mut Write,
    invitation: crate::rounds::InvitationId,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE contacts SET opted_out = 1, updated_at = $2 \
         WHERE id = (SELECT contact_id FROM invitations WHERE id = $1) AND opted_out = 0",
    )
    .bind(invitation)
    .bind(Timestamp::from(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Removes `contact` in the caller's transaction if it exists only because of an open
/// registration: self-registered, and invited to nothing (any more). A contact from the office's
/// list, or one with another invitation, stays.
pub async fn remove_if_only_registered(tx: &mut Write, contact: ContactId) -> Result<bool, sqlx::Error> {
    let removed = sqlx::query(
        "DELETE FROM contacts WHERE id = $1 AND self_registered = 1 \
         AND NOT EXISTS (SELECT 1 FROM invitations WHERE contact_id = $1)",
    )
    .bind(contact)
    .execute(&mut **tx)
    .await?;
    Ok(removed.rows_affected() > 0)
}

/// A contact's own fields as stored.
#[derive(sqlx::FromRow)]
struct StoredContact {
    email: String,
    name: String,
    role: String,
    practice: String,
    wijk: String,
    gemeente: String,
}

impl From<StoredContact> for NewContact {
    fn from(row: StoredContact) -> NewContact {
        let StoredContact { email, name, role, practice, wijk, gemeente } = row;
        NewContact { email: EmailAddress::from_stored(email), name, role, practice, wijk, gemeente }
    }
}

#[derive(sqlx::FromRow)]
struct ContactRow {
    id: ContactId,
    #[sqlx(flatten)]
    stored: StoredContact,
    opted_out: i64,
}

impl From<ContactRow> for Contact {
    fn from(row: ContactRow) -> Contact {
        let StoredContact { email, name, role, practice, wijk, gemeente } = row.stored;
        Contact { id: row.id, email, name, role, practice, wijk, gemeente, opted_out: row.opted_out != 0 }
    }
}

/// A practice's name as compared: without capitals, and with runs of spaces as one, since the
/// contact list and a job file are typed by different people.
pub fn practice_key(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Whether `contact` works in one of `practices` (an empty list means any), the names compared
/// by [`practice_key`].
pub fn in_practices(contact: &Contact, practices: &[String]) -> bool {
    let own = practice_key(&contact.practice);
    practices.is_empty() || (!own.is_empty() && practices.iter().any(|p| practice_key(p) == own))
}

/// Contacts who have not opted out, with a role in `roles` and a wijk in `wijken` (an empty
/// list means any), ordered by e-mail.
pub async fn matching(
    pool: &Pool,
    roles: &[String],
    wijken: &[String],
) -> Result<Vec<Contact>, ContactsError> {
    // Filtered here rather than with a generated `IN ($1, $2, ...)`: a region has hundreds of
    // contacts, and the SQL stays one static string for both backends.
    let rows: Vec<ContactRow> = sqlx::query_as(
        "SELECT id, email, name, role, practice, wijk, gemeente, opted_out \
         FROM contacts WHERE opted_out = 0 AND self_registered = 0",
    )
    .fetch_all(pool)
    .await?;
    let mut contacts: Vec<Contact> = rows
        .into_iter()
        .map(Contact::from)
        .filter(|c| {
            (roles.is_empty() || roles.contains(&c.role)) && (wijken.is_empty() || wijken.contains(&c.wijk))
        })
        .collect();
    // Sorted here: PostgreSQL's collation would order `.` and `-` differently from SQLite.
    contacts.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(contacts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(practice: &str) -> Contact {
        Contact {
            id: ContactId(1),
            email: "a@example.org".into(),
            name: "A".into(),
            role: "huisarts".into(),
            practice: practice.into(),
            wijk: String::new(),
            gemeente: String::new(),
            opted_out: false,
        }
    }

    #[test]
    fn a_practice_matches_whatever_its_capitals_and_spacing() {
        let listed = vec!["Huisartsenpraktijk De Linde".to_string()];
        assert!(in_practices(&at(" huisartsenpraktijk  de linde"), &listed));
        assert!(!in_practices(&at("Huisartsenpraktijk De Lind"), &listed));
    }

    #[test]
    fn a_contact_without_a_practice_is_in_no_listed_one_but_in_any_when_none_is_listed() {
        assert!(!in_practices(&at(""), &["De Linde".to_string()]));
        assert!(!in_practices(&at("  "), &["De Linde".to_string()]));
        assert!(in_practices(&at(""), &[]));
    }
}
