//! What a run removed (or, dry, would remove): counts only, never what, so that it can be logged,
//! stored with the run and shown on `/beheer/bewaartermijnen`.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Report {
    /// Personal links ended.
    pub links: u64,
    pub drafts: u64,
    /// Identified responses made anonymous.
    pub anonymised: u64,
    /// Identified responses removed.
    pub removed: u64,
    /// Invitations removed, counted first into the round's tallies.
    pub invitations: u64,
    pub seats: u64,
    pub certificates: u64,
    pub outbox: u64,
    pub mail_files: u64,
    pub registrations: u64,
    pub audit: u64,
    /// Failed logins, wrong links and registrations that no rate limit counts any more.
    pub attempts: u64,
    /// Everything of a form's rounds above, per form id.
    pub per_form: BTreeMap<String, u64>,
}

impl Report {
    /// Each count with what it counts, in Dutch, in the order the page lists them.
    pub fn lines(&self) -> Vec<(&'static str, u64)> {
        vec![
            ("persoonlijke links beëindigd", self.links),
            ("concepten verwijderd", self.drafts),
            ("antwoorden met naam anoniem gemaakt", self.anonymised),
            ("antwoorden met naam verwijderd", self.removed),
            ("uitnodigingen verwijderd (alleen de aantallen blijven)", self.invitations),
            ("inschrijvingen en aanwezigheid verwijderd", self.seats),
            ("bewijzen van deelname verwijderd", self.certificates),
            ("e-mails verwijderd", self.outbox),
            (".eml-bestanden verwijderd", self.mail_files),
            ("onbevestigde aanmeldingen verwijderd", self.registrations),
            ("regels uit het logboek verwijderd", self.audit),
            ("oude pogingen (inloggen, links, aanmelden) verwijderd", self.attempts),
        ]
    }

    pub fn total(&self) -> u64 {
        self.lines().iter().map(|(_, n)| n).sum()
    }

    pub fn removed_anything(&self) -> bool {
        self.total() > 0
    }

    /// Every table a run may change: PostgreSQL's are scrubbed after every real run, since a
    /// row an open snapshot kept alive during the last scrub is only gone after the next one.
    pub const ALL_TABLES: [&'static str; 12] = [
        "audit_log",
        "certificates",
        "contacts",
        "drafts",
        "expired_links",
        "invitations",
        "link_failures",
        "login_attempts",
        "outbox",
        "registration_attempts",
        "responses",
        "seats",
    ];

    /// The tables a run that removed these changed: the ones to scrub afterwards.
    pub fn tables(&self) -> BTreeSet<&'static str> {
        let touched: [(u64, &[&'static str]); 10] = [
            (self.links, &["invitations", "expired_links", "outbox"]),
            (self.drafts, &["drafts"]),
            (self.anonymised + self.removed, &["responses"]),
            (self.invitations, &["invitations", "outbox", "contacts"]),
            (self.seats, &["seats", "outbox"]),
            (self.certificates, &["certificates"]),
            (self.outbox, &["outbox"]),
            (self.registrations, &["invitations", "outbox", "contacts"]),
            (self.audit, &["audit_log"]),
            (self.attempts, &["login_attempts", "link_failures", "registration_attempts"]),
        ];
        touched.into_iter().filter(|(n, _)| *n > 0).flat_map(|(_, tables)| tables.iter().copied()).collect()
    }

    /// "3 persoonlijke links beëindigd, 2 antwoorden ..." without the zeros; for the audit log.
    pub fn summary(&self) -> String {
        let lines: Vec<String> =
            self.lines().into_iter().filter(|(_, n)| *n > 0).map(|(what, n)| format!("{n} {what}")).collect();
        if lines.is_empty() { "niets verwijderd".to_string() } else { lines.join(", ") }
    }
}
