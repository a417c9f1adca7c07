//! What an erasure removes and keeps, counted, and said in Dutch: the confirmation step shows it
//! before (the same erasure, rolled back), the result page and the command after.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::contacts::ContactId;

/// Rows removed, per kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub invitations: u64,
    pub answers: u64,
    pub drafts: u64,
    pub seats: u64,
    /// Confirmed seats in sessions still to come, given up.
    pub seats_freed: u64,
    /// People moved up from a waiting list into a freed seat (each gets a mail).
    pub promoted: u64,
    pub certificates: u64,
    pub mails_waiting: u64,
    pub mails_sent: u64,
    pub register_numbers: u64,
    /// Audit entries that named the address: they stay, without it.
    pub audit_entries: u64,
    /// `.eml` files written instead of sent (no SMTP) that named the address.
    pub mail_files: u64,
}

/// Attendance kept as accreditation proof.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Kept {
    pub round_title: String,
    pub session_title: String,
    pub starts_at: DateTime<Utc>,
    pub certificate: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Erasure {
    pub contact: ContactId,
    pub removed: Tally,
    /// False when attendance is kept: then the contact stays with only what a register needs.
    pub contact_removed: bool,
    pub kept: Vec<Kept>,
    /// A staff account with the same address, which an erasure does not touch.
    pub account_kept: bool,
}

fn n(count: u64, one: &str, more: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { more })
}

impl Erasure {
    /// What goes (or went), one line per kind that has any.
    pub fn removed_lines(&self) -> Vec<String> {
        let t = &self.removed;
        let mut lines = vec![if self.contact_removed {
            "het contact: naam, e-mailadres, rol, praktijk, wijk, gemeente, voorletters, achternaam, \
             BIG-nummer en afmelding"
                .to_owned()
        } else {
            "van het contact: het e-mailadres, de praktijk, de wijk en de gemeente".to_owned()
        }];
        let mut add = |count: u64, text: String| {
            if count > 0 {
                lines.push(text);
            }
        };
        add(t.register_numbers, n(t.register_numbers, "registernummer", "registernummers"));
        add(t.invitations, n(t.invitations, "uitnodiging met haar link", "uitnodigingen met hun links"));
        add(t.answers, n(t.answers, "ingevulde vragenlijst met naam", "ingevulde vragenlijsten met naam"));
        add(t.drafts, n(t.drafts, "niet verstuurd concept", "niet verstuurde concepten"));
        let freed = if t.seats_freed == 0 {
            String::new()
        } else {
            format!(
                " ({} vrijgegeven; {} van de wachtlijst doorgeschoven, met een mail)",
                n(t.seats_freed, "komende plaats", "komende plaatsen"),
                t.promoted
            )
        };
        add(
            t.seats,
            format!("{}{freed}", n(t.seats, "plaats bij een bijeenkomst", "plaatsen bij bijeenkomsten")),
        );
        add(t.certificates, n(t.certificates, "bewijs van deelname", "bewijzen van deelname"));
        let mails = t.mails_waiting + t.mails_sent;
        add(mails, format!("{}, waarvan {} nog niet verstuurd", n(mails, "mail", "mails"), t.mails_waiting));
        add(t.mail_files, n(t.mail_files, "mailbestand (.eml)", "mailbestanden (.eml)"));
        add(
            t.audit_entries,
            format!(
                "het e-mailadres uit {} (wat er gebeurde en wanneer blijft)",
                n(t.audit_entries, "regel van het logboek", "regels van het logboek")
            ),
        );
        lines
    }

    /// What stays (or stayed), and why.
    pub fn kept_lines(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .kept
            .iter()
            .map(|k| {
                let certificate = k
                    .certificate
                    .as_ref()
                    .map(|c| format!(" met bewijs van deelname {c}"))
                    .unwrap_or_default();
                format!(
                    "Aanwezigheid bij ‘{}’ op {} (ronde ‘{}’){certificate}: bewijs voor de accreditatie, dat \
                     een register bij een steekproef kan opvragen.",
                    k.session_title,
                    crate::time::dutch(k.starts_at),
                    k.round_title
                )
            })
            .collect();
        if !self.kept.is_empty() {
            lines.push(
                "Daarvoor blijven bij het contact de naam, voorletters, achternaam, rol, het BIG-nummer en de \
                 registernummers, zoals de presentielijst ze nodig heeft; het contact wordt nergens meer voor \
                 uitgenodigd."
                    .to_owned(),
            );
        }
        if self.account_kept {
            lines.push(
                "Het account van een medewerker met dit adres blijft; verwijder het bij Gebruikers als dat ook moet."
                    .to_owned(),
            );
        }
        lines.push(
            "Anonieme antwoorden blijven: ze zijn aan niemand gekoppeld, dus ook niet te vinden of te wissen."
                .to_owned(),
        );
        lines.push(
            "Het adres komt als sleutel-hash (niet leesbaar) op de lijst van gewiste adressen, zodat een import \
             het overslaat."
                .to_owned(),
        );
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lines_count_what_went_and_say_why_attendance_stayed() {
        let removed = Tally {
            answers: 2,
            seats: 1,
            seats_freed: 1,
            promoted: 1,
            mails_waiting: 1,
            mails_sent: 3,
            ..Tally::default()
        };
        let kept = vec![Kept {
            round_title: "Intervisie".into(),
            session_title: "Groep 1".into(),
            starts_at: DateTime::parse_from_rfc3339("2027-03-01T09:00:00Z").expect("a moment").into(),
            certificate: Some("ABCD-EFGH-JK".into()),
        }];
        let erasure =
            Erasure { contact: ContactId(7), removed, contact_removed: false, kept, account_kept: true };
        let removed = erasure.removed_lines().join("\n");
        assert!(removed.contains("2 ingevulde vragenlijsten met naam"), "{removed}");
        assert!(
            removed.contains("1 komende plaats vrijgegeven; 1 van de wachtlijst doorgeschoven"),
            "{removed}"
        );
        assert!(removed.contains("4 mails, waarvan 1 nog niet verstuurd"), "{removed}");
        assert!(!removed.contains("uitnodiging"), "kinds without rows are left out: {removed}");
        let kept = erasure.kept_lines().join("\n");
        assert!(
            kept.contains("‘Groep 1’") && kept.contains("ABCD-EFGH-JK") && kept.contains("accreditatie"),
            "{kept}"
        );
        assert!(kept.contains("account van een medewerker"), "{kept}");
    }
}
