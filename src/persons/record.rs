//! What peil holds about one address, as one value: the page shows it, the JSON file is it
//! (`serde`, field names documented in docs/person-export.md and kept stable: a new field may be
//! added, none renamed), and the command writes that file. Never a token, link, nonce or password
//! hash: those are keys, not data about the person.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::contacts::ContactId;
use crate::rounds::RoundId;

/// The file's format name; raised only when a field changes meaning or goes.
pub const FORMAT: &str = "peil-persoonsgegevens/1";

#[derive(Clone, Debug, Serialize)]
pub struct PersonRecord {
    pub format: &'static str,
    pub email: String,
    pub generated_at: DateTime<Utc>,
    pub contact: Option<ContactData>,
    pub invitations: Vec<InvitationData>,
    pub answers: Vec<AnswerData>,
    pub drafts: Vec<DraftData>,
    pub seats: Vec<SeatData>,
    pub certificates: Vec<CertificateData>,
    pub mails: Vec<MailData>,
    pub account: Option<AccountData>,
    pub audit: Vec<AuditData>,
    /// When the address was erased on request before, if it was (it is on the suppression list).
    pub erased_before_at: Option<DateTime<Utc>>,
}

impl PersonRecord {
    /// Whether peil holds anything at all about the address.
    pub fn is_empty(&self) -> bool {
        self.contact.is_none() && self.account.is_none() && self.audit.is_empty()
    }

    pub fn contact_id(&self) -> Option<ContactId> {
        self.contact.as_ref().map(|c| c.id)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ContactData {
    pub id: ContactId,
    pub name: String,
    pub initials: String,
    pub surname: String,
    pub role: String,
    pub practice: String,
    pub wijk: String,
    pub gemeente: String,
    pub big_number: String,
    pub register_numbers: Vec<RegisterNumber>,
    pub opted_out: bool,
    pub self_registered: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RegisterNumber {
    pub register: String,
    pub number: String,
    pub updated_at: DateTime<Utc>,
}

/// Where a personal link stands: it works only while its round is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    NotYetOpen,
    Open,
    Closed,
}

impl LinkState {
    pub fn of(opens_at: DateTime<Utc>, closes_at: DateTime<Utc>, now: DateTime<Utc>) -> LinkState {
        if now < opens_at {
            LinkState::NotYetOpen
        } else if now < closes_at {
            LinkState::Open
        } else {
            LinkState::Closed
        }
    }

    pub fn dutch(self) -> &'static str {
        match self {
            LinkState::NotYetOpen => "werkt nog niet (ronde nog niet open)",
            LinkState::Open => "werkt (ronde open)",
            LinkState::Closed => "werkt niet meer (ronde gesloten)",
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct InvitationData {
    pub round_id: RoundId,
    pub round_title: String,
    pub form_id: String,
    pub anonymous: bool,
    pub invited_at: DateTime<Utc>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub answered: bool,
    pub link_state: LinkState,
}

/// One question and its answer in words, as the form's snapshot in the round labels it.
#[derive(Clone, Debug, Serialize)]
pub struct AnswerItem {
    pub question: String,
    pub answer: String,
}

/// The answers of an identified round.
#[derive(Clone, Debug, Serialize)]
pub struct AnswerData {
    pub round_id: RoundId,
    pub round_title: String,
    pub submitted_at: String,
    pub updated_at: Option<String>,
    pub items: Vec<AnswerItem>,
}

/// Answers saved but not sent. Shown only for identified rounds: a draft of an anonymous round
/// is the person's own until sent, and no coordinator reads it (the row is sealed).
#[derive(Clone, Debug, Serialize)]
pub struct DraftData {
    pub round_id: RoundId,
    pub round_title: String,
    pub anonymous: bool,
    pub page: i64,
    pub updated_at: DateTime<Utc>,
    pub items: Vec<AnswerItem>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SeatData {
    pub round_title: String,
    pub session_title: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub session_cancelled: bool,
    /// confirmed, waiting or cancelled.
    pub status: String,
    /// None until the coordinator recorded it.
    pub attended: Option<bool>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct CertificateData {
    pub code: String,
    pub session_title: String,
    pub issued_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

/// A mail queued or sent, without its link or content.
#[derive(Clone, Debug, Serialize)]
pub struct MailData {
    pub kind: String,
    pub status: String,
    pub round_title: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub attempts: i64,
}

/// A staff account with the same address; never its password hash.
#[derive(Clone, Debug, Serialize)]
pub struct AccountData {
    pub role: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct AuditData {
    pub at: DateTime<Utc>,
    /// The staff member's address, or None for the command line.
    pub actor: Option<String>,
    pub action: String,
    pub detail: String,
}
