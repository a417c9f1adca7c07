//! One entry of the access log with everything NEN 7513 asks of it: what (the action and its
//! detail), when, who (the actor), whose data (a contact id and/or a description without names),
//! on whose behalf (the capacity the actor acted in) and via what (web with the client's address,
//! or the command line). Callers build an [`Entry`] where personal data is read or exported;
//! the older `audit::record`/`audit::log` write the same row with the new fields left unknown.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use super::AuditAction;
use crate::contacts::ContactId;
use crate::db::{Db, Timestamp, Write};

/// Who acted, in what capacity and through what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The account's e-mail address; `None` at the command line, which has no account.
    pub email: Option<String>,
    /// The capacity acted in: "beheerder" or "werkgroep". The organisation is the one this
    /// installation runs for (`[organisation]` in peil.toml), so a row does not repeat it.
    pub on_behalf: String,
    /// "web 192.0.2.7" (the client address as `web::client` decides it, trusted proxies
    /// included), "web" when it is not known, or "cli".
    pub via: String,
}

impl Actor {
    /// The administrator at the server's command line: peil's commands are theirs alone.
    pub fn cli() -> Actor {
        Actor { email: None, on_behalf: ADMIN.to_owned(), via: "cli".to_owned() }
    }

    /// A logged-in account on the web, `admin` when it is an administrator's.
    pub fn web(email: &str, admin: bool, address: Option<IpAddr>) -> Actor {
        let via = address.map_or_else(|| "web".to_owned(), |ip| format!("web {ip}"));
        let on_behalf = if admin { ADMIN } else { WERKGROEP };
        Actor { email: Some(email.to_owned()), on_behalf: on_behalf.to_owned(), via }
    }
}

const ADMIN: &str = "beheerder";
const WERKGROEP: &str = "werkgroep";

/// A round's people as an entry's subject: "ronde 12: 18 personen". The count is how many
/// people's data the reader saw, never who they are.
pub fn round_subject(round: impl std::fmt::Display, people: usize) -> String {
    let noun = if people == 1 { "persoon" } else { "personen" };
    format!("ronde {round}: {people} {noun}")
}

/// A session's people as an entry's subject: "bijeenkomst 4: 12 personen".
pub fn session_subject(session: impl std::fmt::Display, people: usize) -> String {
    let noun = if people == 1 { "persoon" } else { "personen" };
    format!("bijeenkomst {session}: {people} {noun}")
}

/// An access-log entry being written. Build it with [`Entry::new`], say whose data with
/// [`Entry::contact`] or [`Entry::about`], then [`Entry::record`] or [`Entry::log`] it.
#[derive(Clone, Debug)]
pub struct Entry<'a> {
    pub at: DateTime<Utc>,
    pub actor: &'a Actor,
    pub action: AuditAction,
    pub subject_contact: Option<ContactId>,
    pub subject: Option<String>,
    pub detail: String,
}

impl<'a> Entry<'a> {
    pub fn new(action: AuditAction, actor: &'a Actor, at: DateTime<Utc>) -> Entry<'a> {
        Entry { at, actor, action, subject_contact: None, subject: None, detail: String::new() }
    }

    /// One person's data: their contact id, and "contact <id>" as the description.
    pub fn contact(mut self, contact: ContactId) -> Entry<'a> {
        self.subject_contact = Some(contact);
        self.subject = Some(format!("contact {contact}"));
        self
    }

    /// Whose data in words, without names: "ronde 12: 18 personen".
    pub fn about(mut self, subject: impl Into<String>) -> Entry<'a> {
        self.subject = Some(subject.into());
        self
    }

    /// What exactly, never answers, addresses or tokens.
    pub fn detail(mut self, detail: impl Into<String>) -> Entry<'a> {
        self.detail = detail.into();
        self
    }

    /// Appends the row in the caller's transaction, so a change and its entry exist together.
    pub async fn record(&self, tx: &mut Write) -> Result<(), sqlx::Error> {
        insert(tx, self.at, self.actor.email.as_deref(), self.action, &self.detail, Some(self)).await
    }

    /// Appends the row on its own, for what changes nothing else: a page looked at, a file.
    pub async fn log(&self, db: &Db) -> Result<(), sqlx::Error> {
        let mut w = db.write().await?;
        self.record(&mut w).await?;
        w.commit().await
    }
}

/// The one INSERT; `entry` is `None` for the older callers, whose rows leave whose data, on
/// whose behalf and via unknown (NULL).
pub(super) async fn insert(
    tx: &mut Write,
    at: DateTime<Utc>,
    actor: Option<&str>,
    action: AuditAction,
    detail: &str,
    entry: Option<&Entry<'_>>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor, action, detail, subject_contact, subject, on_behalf, via) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Timestamp::from(at))
    .bind(actor.map(str::to_owned))
    .bind(action.as_str())
    .bind(detail.to_owned())
    .bind(entry.and_then(|e| e.subject_contact).map(|c| c.0))
    .bind(entry.and_then(|e| e.subject.clone()))
    .bind(entry.map(|e| e.actor.on_behalf.clone()))
    .bind(entry.map(|e| e.actor.via.clone()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_web_actor_names_its_capacity_and_address_and_the_command_line_names_itself() {
        let admin = Actor::web("beheer@example.org", true, Some("192.0.2.7".parse().unwrap()));
        assert_eq!((admin.on_behalf.as_str(), admin.via.as_str()), ("beheerder", "web 192.0.2.7"));
        let member = Actor::web("lid@example.org", false, None);
        assert_eq!((member.on_behalf.as_str(), member.via.as_str()), ("werkgroep", "web"));
        assert_eq!(Actor::cli(), Actor { email: None, on_behalf: "beheerder".into(), via: "cli".into() });
    }

    #[test]
    fn a_subject_counts_people_and_names_none() {
        assert_eq!(round_subject(12, 18), "ronde 12: 18 personen");
        assert_eq!(round_subject(12, 1), "ronde 12: 1 persoon");
        assert_eq!(session_subject(4, 0), "bijeenkomst 4: 0 personen");
    }
}
