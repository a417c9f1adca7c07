//! Contacts: the people peil invites (GPs, POH-GGZ, wijk managers, partners), each with a role
//! and usually a wijk. They come in from a CSV list kept by the office (`import`), and rounds
//! pick their audience from them with `matching`. Opting out is the contact's own choice, so
//! no import ever changes it.

mod import;

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use chrono::{DateTime, Utc};
use sqlx::any::AnyRow;
use sqlx::{Acquire, AnyConnection, Connection, Row};

use crate::db::Pool;
use crate::email::EmailAddress;

pub use import::{Problem, RowError, parse_csv};

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

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Self { added, updated, unchanged } = self;
        write!(f, "{added} added, {updated} updated, {unchanged} unchanged")
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

/// Checks the whole list first and writes only if all of it is right, in one transaction, so
/// a half-fixed list never leaves half the contacts updated.
pub async fn import_csv(
    pool: &Pool,
    path: &Path,
    vocab: &Vocabulary,
    now: DateTime<Utc>,
) -> Result<ImportSummary, ContactsError> {
    let label = path.display().to_string();
    let bytes =
        tokio::fs::read(path).await.map_err(|source| ContactsError::Read { path: label.clone(), source })?;
    let contacts = parse_csv(&label, &bytes, vocab)?;
    let mut conn = pool.acquire().await?;
    upsert(&mut conn, &contacts, now).await
}

async fn upsert(
    conn: &mut AnyConnection,
    contacts: &[NewContact],
    now: DateTime<Utc>,
) -> Result<ImportSummary, ContactsError> {
    // SQLite's plain BEGIN takes the write lock only at the first write; if another writer
    // commits after our read, that write fails with SQLITE_BUSY instead of waiting.
    let mut tx = if conn.backend_name() == "SQLite" {
        conn.begin_with("BEGIN IMMEDIATE").await?
    } else {
        Connection::begin(conn).await?
    };
    let rows = sqlx::query("SELECT email, name, role, practice, wijk, gemeente FROM contacts")
        .fetch_all(tx.acquire().await?)
        .await?;
    let existing = rows
        .iter()
        .map(|row| new_contact(row).map(|c| (c.email.clone(), c)))
        .collect::<Result<HashMap<_, _>, _>>()?;
    let now = crate::db::timestamp(now);
    let mut summary = ImportSummary::default();
    for contact in contacts {
        let sql = match existing.get(&contact.email) {
            Some(old) if old == contact => {
                summary.unchanged += 1;
                continue;
            }
            Some(_) => {
                summary.updated += 1;
                "UPDATE contacts SET name = $2, role = $3, practice = $4, wijk = $5, \
                 gemeente = $6, updated_at = $7, self_registered = 0 WHERE email = $1"
            }
            None => {
                summary.added += 1;
                "INSERT INTO contacts (email, name, role, practice, wijk, gemeente, \
                 opted_out, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7)"
            }
        };
        sqlx::query(sql)
            .bind(contact.email.as_str())
            .bind(&contact.name)
            .bind(&contact.role)
            .bind(&contact.practice)
            .bind(&contact.wijk)
            .bind(&contact.gemeente)
            .bind(&now)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(summary)
}

fn new_contact(row: &AnyRow) -> Result<NewContact, sqlx::Error> {
    Ok(NewContact {
        email: EmailAddress::from_stored(row.try_get("email")?),
        name: row.try_get("name")?,
        role: row.try_get("role")?,
        practice: row.try_get("practice")?,
        wijk: row.try_get("wijk")?,
        gemeente: row.try_get("gemeente")?,
    })
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
    let rows = sqlx::query(
        "SELECT id, email, name, role, practice, wijk, gemeente, opted_out \
         FROM contacts WHERE opted_out = 0 AND self_registered = 0",
    )
    .fetch_all(pool)
    .await?;
    let mut contacts = Vec::new();
    for row in &rows {
        let contact = contact(row)?;
        if (roles.is_empty() || roles.contains(&contact.role))
            && (wijken.is_empty() || wijken.contains(&contact.wijk))
        {
            contacts.push(contact);
        }
    }
    // Sorted here: PostgreSQL's collation would order `.` and `-` differently from SQLite.
    contacts.sort_by(|a, b| a.email.cmp(&b.email));
    Ok(contacts)
}

fn contact(row: &AnyRow) -> Result<Contact, sqlx::Error> {
    let NewContact { email, name, role, practice, wijk, gemeente } = new_contact(row)?;
    Ok(Contact {
        id: ContactId(row.try_get("id")?),
        email: email.into(),
        name,
        role,
        practice,
        wijk,
        gemeente,
        opted_out: row.try_get::<i64, _>("opted_out")? != 0,
    })
}
