//! The audit log: who logged in (or tried to), who added, removed or changed whose role, who looked
//! at free text or took an export, who imported or changed contacts. It answers "who saw what, when" for the organisation's privacy
//! officer, and is the access log NEN 7513 asks for: an entry about personal data also says whose
//! data, on whose behalf and via what ([`Entry`]). A row never holds answers, passwords, tokens
//! or addresses: callers pass a short description and a contact id, not data.

mod entry;
mod read;

use chrono::{DateTime, Utc};

pub use entry::{Actor, Entry, round_subject, session_subject};
pub use read::{AuditEntry, AuditFilter, about_contact, list, page};

use crate::db::{Db, Timestamp, Write};

/// What happened. Stored as the lower-case name (`login_failed`), so the log stays readable in
/// plain SQL and new kinds need no migration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditAction {
    Login,
    LoginFailed,
    /// A login refused by the rate limit before the password was even checked.
    LoginThrottled,
    Logout,
    UserAdded,
    UserRemoved,
    RoleChanged,
    PasswordLinkCreated,
    PasswordSet,
    ResultsViewed,
    FreeTextViewed,
    Exported,
    /// A failed mail put back in the queue by a coordinator.
    MailRetried,
    ContactsImported,
    ContactChanged,
    OptOutUndone,
    RoundOpened,
    RoundClosed,
    RoundExtended,
    LateInvited,
    RemindersSent,
    LinksViewed,
    /// A job started by hand (`peil job start`, or "Nu starten" on the jobs page).
    JobStarted,
    /// A session added to a sign-up round.
    SessionAdded,
    SessionChanged,
    SessionCancelled,
    /// A person moved to another session of the round by a coordinator.
    SeatMoved,
    /// A contact given a seat (or waiting place) by a coordinator.
    SeatEnrolled,
    /// A coordinator's message to everyone on a session.
    SessionMailed,
    /// Who came to a session, ticked (or unticked) on the tablet page or by command.
    AttendanceRecorded,
    /// A session's attendance marked as entered in a register (GAIA, PE-online), or unmarked.
    RegisterEntered,
    RegisterEntryUndone,
    /// The answers of an identified round read with the names of those who gave them
    /// (`/beheer/rondes/<id>/antwoorden`).
    AnswersViewed,
    /// Two-step login turned on by the account itself (enrolment confirmed with a code).
    TwoFactorEnabled,
    /// Two-step login turned off by the account itself, with a current code.
    TwoFactorDisabled,
    /// Two-step login turned off for someone else (a lost phone), by an administrator or
    /// `peil user reset-2fa`.
    TwoFactorReset,
    /// A recovery code used for a login's second step.
    RecoveryCodeUsed,
    /// A wrong or reused code at a login's second step (the password was right).
    TwoFactorFailed,
    /// The contact list, or one contact's page, read by an administrator.
    ContactsViewed,
    /// A session's presentielijst read on its page (its downloads are `Exported`).
    PresenceListViewed,
    /// The mail pages' list of failed mails, which names their addresses.
    MailAddressesViewed,
    /// A session's page with the names and addresses of who signed up.
    ParticipantsViewed,
    /// The retention terms carried out by hand ("Nu uitvoeren" on `/beheer/bewaartermijnen`,
    /// or `peil retention`); the daily run is in `retention_runs` instead.
    RetentionRun,
    /// Everything peil holds about a person looked at (`/beheer/personen`), by contact number.
    PersonViewed,
    /// The same taken away as a JSON file, on the page or by `peil person export`.
    PersonExported,
    /// A person erased on request (`peil person erase`, or on the page), by contact number.
    PersonErased,
}

impl AuditAction {
    pub const ALL: [AuditAction; 46] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::LoginThrottled,
        AuditAction::Logout,
        AuditAction::UserAdded,
        AuditAction::UserRemoved,
        AuditAction::RoleChanged,
        AuditAction::PasswordLinkCreated,
        AuditAction::PasswordSet,
        AuditAction::ResultsViewed,
        AuditAction::FreeTextViewed,
        AuditAction::Exported,
        AuditAction::MailRetried,
        AuditAction::ContactsImported,
        AuditAction::ContactChanged,
        AuditAction::OptOutUndone,
        AuditAction::RoundOpened,
        AuditAction::RoundClosed,
        AuditAction::RoundExtended,
        AuditAction::LateInvited,
        AuditAction::RemindersSent,
        AuditAction::LinksViewed,
        AuditAction::JobStarted,
        AuditAction::SessionAdded,
        AuditAction::SessionChanged,
        AuditAction::SessionCancelled,
        AuditAction::SeatMoved,
        AuditAction::SeatEnrolled,
        AuditAction::SessionMailed,
        AuditAction::AttendanceRecorded,
        AuditAction::RegisterEntered,
        AuditAction::RegisterEntryUndone,
        AuditAction::AnswersViewed,
        AuditAction::TwoFactorEnabled,
        AuditAction::TwoFactorDisabled,
        AuditAction::TwoFactorReset,
        AuditAction::RecoveryCodeUsed,
        AuditAction::TwoFactorFailed,
        AuditAction::ContactsViewed,
        AuditAction::PresenceListViewed,
        AuditAction::MailAddressesViewed,
        AuditAction::ParticipantsViewed,
        AuditAction::RetentionRun,
        AuditAction::PersonViewed,
        AuditAction::PersonExported,
        AuditAction::PersonErased,
    ];

    /// The kind a stored text names, if this version knows it.
    pub fn parse(text: &str) -> Option<AuditAction> {
        AuditAction::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// What the coordinator reads on `/beheer`; the stored text stays for scripts (`peil audit`).
    pub fn label(self) -> &'static str {
        match self {
            AuditAction::Login => "Ingelogd",
            AuditAction::LoginFailed => "Inloggen mislukt",
            AuditAction::LoginThrottled => "Inloggen geweigerd: te veel pogingen",
            AuditAction::Logout => "Uitgelogd",
            AuditAction::UserAdded => "Gebruiker toegevoegd",
            AuditAction::UserRemoved => "Gebruiker verwijderd",
            AuditAction::RoleChanged => "Rol gewijzigd",
            AuditAction::PasswordLinkCreated => "Wachtwoordlink gemaakt",
            AuditAction::PasswordSet => "Wachtwoord ingesteld",
            AuditAction::ResultsViewed => "Resultaten bekeken",
            AuditAction::FreeTextViewed => "Open antwoorden gelezen",
            AuditAction::Exported => "Geëxporteerd",
            AuditAction::MailRetried => "Mail opnieuw verstuurd",
            AuditAction::ContactsImported => "Contacten geïmporteerd",
            AuditAction::ContactChanged => "Contact gewijzigd",
            AuditAction::OptOutUndone => "Afmelding ingetrokken",
            AuditAction::RoundOpened => "Ronde geopend",
            AuditAction::RoundClosed => "Ronde gesloten",
            AuditAction::RoundExtended => "Ronde verlengd",
            AuditAction::LateInvited => "Nagekomen contacten uitgenodigd",
            AuditAction::RemindersSent => "Herinnering verstuurd",
            AuditAction::LinksViewed => "Links bekeken",
            AuditAction::JobStarted => "Job gestart",
            AuditAction::SessionAdded => "Bijeenkomst toegevoegd",
            AuditAction::SessionChanged => "Bijeenkomst gewijzigd",
            AuditAction::SessionCancelled => "Bijeenkomst afgelast",
            AuditAction::SeatMoved => "Deelnemer verplaatst",
            AuditAction::SeatEnrolled => "Deelnemer ingeschreven",
            AuditAction::SessionMailed => "Bericht aan bijeenkomst",
            AuditAction::AttendanceRecorded => "Aanwezigheid vastgelegd",
            AuditAction::RegisterEntered => "Ingevoerd in register",
            AuditAction::RegisterEntryUndone => "Invoer in register ongedaan gemaakt",
            AuditAction::AnswersViewed => "Antwoorden met naam gelezen",
            AuditAction::TwoFactorEnabled => "Tweestapsverificatie aangezet",
            AuditAction::TwoFactorDisabled => "Tweestapsverificatie uitgezet",
            AuditAction::TwoFactorReset => "Tweestapsverificatie gereset",
            AuditAction::RecoveryCodeUsed => "Herstelcode gebruikt",
            AuditAction::TwoFactorFailed => "Tweede stap mislukt",
            AuditAction::ContactsViewed => "Contactgegevens bekeken",
            AuditAction::PresenceListViewed => "Presentielijst bekeken",
            AuditAction::MailAddressesViewed => "Mailadressen bekeken",
            AuditAction::ParticipantsViewed => "Deelnemers bekeken",
            AuditAction::RetentionRun => "Bewaartermijnen uitgevoerd",
            AuditAction::PersonViewed => "Persoonsgegevens bekeken",
            AuditAction::PersonExported => "Persoonsgegevens geëxporteerd",
            AuditAction::PersonErased => "Persoon gewist op verzoek",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::LoginThrottled => "login_throttled",
            AuditAction::Logout => "logout",
            AuditAction::UserAdded => "user_added",
            AuditAction::UserRemoved => "user_removed",
            AuditAction::RoleChanged => "role_changed",
            AuditAction::PasswordLinkCreated => "password_link_created",
            AuditAction::PasswordSet => "password_set",
            AuditAction::ResultsViewed => "results_viewed",
            AuditAction::FreeTextViewed => "free_text_viewed",
            AuditAction::Exported => "exported",
            AuditAction::MailRetried => "mail_retried",
            AuditAction::ContactsImported => "contacts_imported",
            AuditAction::ContactChanged => "contact_changed",
            AuditAction::OptOutUndone => "opt_out_undone",
            AuditAction::RoundOpened => "round_opened",
            AuditAction::RoundClosed => "round_closed",
            AuditAction::RoundExtended => "round_extended",
            AuditAction::LateInvited => "late_invited",
            AuditAction::RemindersSent => "reminders_sent",
            AuditAction::LinksViewed => "links_viewed",
            AuditAction::JobStarted => "job_started",
            AuditAction::SessionAdded => "session_added",
            AuditAction::SessionChanged => "session_changed",
            AuditAction::SessionCancelled => "session_cancelled",
            AuditAction::SeatMoved => "seat_moved",
            AuditAction::SeatEnrolled => "seat_enrolled",
            AuditAction::SessionMailed => "session_mailed",
            AuditAction::AttendanceRecorded => "attendance_recorded",
            AuditAction::RegisterEntered => "register_entered",
            AuditAction::RegisterEntryUndone => "register_entry_undone",
            AuditAction::AnswersViewed => "answers_viewed",
            AuditAction::TwoFactorEnabled => "two_factor_enabled",
            AuditAction::TwoFactorDisabled => "two_factor_disabled",
            AuditAction::TwoFactorReset => "two_factor_reset",
            AuditAction::RecoveryCodeUsed => "recovery_code_used",
            AuditAction::TwoFactorFailed => "two_factor_failed",
            AuditAction::ContactsViewed => "contacts_viewed",
            AuditAction::PresenceListViewed => "presence_list_viewed",
            AuditAction::MailAddressesViewed => "mail_addresses_viewed",
            AuditAction::ParticipantsViewed => "participants_viewed",
            AuditAction::RetentionRun => "retention_run",
            AuditAction::PersonViewed => "person_viewed",
            AuditAction::PersonExported => "person_exported",
            AuditAction::PersonErased => "person_erased",
        }
    }
}

/// The Dutch label of a stored action, or the stored text itself for a kind this version does
/// not know (a row written by a newer version).
pub fn label_of(stored: &str) -> String {
    AuditAction::parse(stored).map_or_else(|| stored.to_owned(), |a| a.label().to_owned())
}

impl std::fmt::Display for AuditAction {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Appends a row in the caller's transaction, so a change and its audit row exist together.
/// Whose data, on whose behalf and via stay unknown: where personal data is read or exported,
/// write an [`Entry`] instead.
pub async fn record(
    tx: &mut Write,
    at: DateTime<Utc>,
    actor: Option<&str>,
    action: AuditAction,
    detail: &str,
) -> Result<(), sqlx::Error> {
    entry::insert(tx, at, actor, action, detail, None).await
}

/// Appends a row on its own, for what changes nothing else (see [`record`]).
pub async fn log(
    db: &Db,
    at: DateTime<Utc>,
    actor: Option<&str>,
    action: AuditAction,
    detail: &str,
) -> Result<(), sqlx::Error> {
    let mut w = db.write().await?;
    record(&mut w, at, actor, action, detail).await?;
    w.commit().await
}

/// Takes an erased person's address out of every entry's detail, in the erasure's transaction
/// (`persons::erase`): the entry stays (what was done, when, by whom), the address becomes
/// "[gewist]". Details hold addresses as stored (lower case); a row that still names it in other
/// capitals is lower-cased whole rather than kept. Returns the rows changed.
pub async fn forget_address(tx: &mut Write, address: &str) -> Result<u64, sqlx::Error> {
    let pattern = crate::db::like_containing(address);
    let mut changed = 0;
    for sql in [
        "UPDATE audit_log SET detail = REPLACE(detail, $1, '[gewist]') WHERE detail LIKE $2 ESCAPE '\\'",
        "UPDATE audit_log SET detail = REPLACE(LOWER(detail), $1, '[gewist]') \
         WHERE LOWER(detail) LIKE $2 ESCAPE '\\'",
    ] {
        let done = sqlx::query(sql).bind(address.to_owned()).bind(pattern.clone()).execute(&mut **tx).await?;
        changed += done.rows_affected();
    }
    Ok(changed)
}

/// Entries at or before `cutoff`: the audit term is over. The rows removed.
pub(crate) async fn remove_before(tx: &mut Write, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM audit_log WHERE at <= $1")
        .bind(Timestamp::from(cutoff))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_read_back_from_its_stored_text_and_has_a_dutch_label_of_its_own() {
        let mut labels = std::collections::BTreeSet::new();
        for action in AuditAction::ALL {
            assert_eq!(AuditAction::parse(action.as_str()), Some(action));
            assert!(labels.insert(action.label()), "{action}: a label shared with another kind");
        }
        assert_eq!(label_of("login_failed"), "Inloggen mislukt");
    }

    #[test]
    fn a_kind_this_version_does_not_know_shows_as_stored() {
        assert_eq!(label_of("moon_landed"), "moon_landed");
    }
}
