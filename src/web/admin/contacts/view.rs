//! What the contact pages show, shaped for their templates: the list's filter as typed and its
//! links, the choices of the selects, a contact with Dutch labels, the edit form with its errors,
//! and a contact's history in Dutch.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::contacts::{Contact, ContactFilter, EditError, Edited, History, RawContact, Vocabulary};
use crate::outbox::{MailKind, Status};
use crate::web::results_view::encode;

/// The list's filter as it came in the query string, trimmed.
#[derive(Clone, Debug, Default)]
pub(super) struct ListQuery {
    pub text: String,
    pub role: String,
    /// A wijk code, or `WITHOUT_WIJK`.
    pub wijk: String,
    pub gemeente: String,
    /// "ja", "nee" or "".
    pub opted_out: String,
    /// From 1.
    pub page: u32,
}

/// The wijk filter's value for contacts without a wijk (no wijk code is empty-looking).
const WITHOUT_WIJK: &str = "-";

impl ListQuery {
    pub fn from_params(
        text: Option<&str>,
        role: Option<&str>,
        wijk: Option<&str>,
        gemeente: Option<&str>,
        opted_out: Option<&str>,
        page: Option<u32>,
    ) -> ListQuery {
        let owned = |value: Option<&str>| value.map(str::trim).unwrap_or_default().to_owned();
        ListQuery {
            text: owned(text),
            role: owned(role),
            wijk: owned(wijk),
            gemeente: owned(gemeente),
            opted_out: owned(opted_out).to_lowercase(),
            page: page.unwrap_or(1).max(1),
        }
    }

    pub fn filter(&self) -> ContactFilter {
        let some = |value: &str| (!value.is_empty()).then(|| value.to_owned());
        ContactFilter {
            text: some(&self.text),
            role: some(&self.role),
            wijk: if self.wijk == WITHOUT_WIJK { Some(String::new()) } else { some(&self.wijk) },
            gemeente: some(&self.gemeente),
            opted_out: match self.opted_out.as_str() {
                "ja" => Some(true),
                "nee" => Some(false),
                _ => None,
            },
        }
    }

    pub fn is_filtered(&self) -> bool {
        self.filter() != ContactFilter::default()
    }

    /// The list's address for `page` of this filter.
    pub fn link(&self, page: u32) -> String {
        let fields = [
            ("zoek", &self.text),
            ("rol", &self.role),
            ("wijk", &self.wijk),
            ("gemeente", &self.gemeente),
            ("afgemeld", &self.opted_out),
        ];
        let mut pairs: Vec<String> = fields
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| format!("{name}={}", encode(value)))
            .collect();
        pairs.push(format!("pagina={page}"));
        format!("/beheer/contacten?{}", pairs.join("&"))
    }
}

/// One option of a select.
#[derive(Serialize)]
pub(super) struct Choice {
    value: String,
    label: String,
    selected: bool,
}

fn choices(pairs: &[(String, String)], selected: &str) -> Vec<Choice> {
    pairs
        .iter()
        .map(|(value, label)| Choice {
            value: value.clone(),
            label: label.clone(),
            selected: value == selected,
        })
        .collect()
}

fn choice(value: &str, label: &str, selected: &str) -> Choice {
    Choice { value: value.to_owned(), label: label.to_owned(), selected: value == selected }
}

/// The choices of the list's filter, or of the edit form.
#[derive(Serialize)]
pub(super) struct Options {
    roles: Vec<Choice>,
    wijken: Vec<Choice>,
    gemeenten: Vec<Choice>,
    opted_out: Vec<Choice>,
}

impl Options {
    pub fn new(vocab: &Vocabulary, gemeenten: &[String], query: &ListQuery) -> Options {
        let mut wijken = vec![choice(WITHOUT_WIJK, "Zonder wijk", &query.wijk)];
        wijken.extend(choices(&vocab.wijken, &query.wijk));
        let gemeenten: Vec<(String, String)> = gemeenten.iter().map(|g| (g.clone(), g.clone())).collect();
        Options {
            roles: choices(&vocab.roles, &query.role),
            wijken,
            gemeenten: choices(&gemeenten, &query.gemeente),
            opted_out: vec![
                choice("nee", "Niet afgemeld", &query.opted_out),
                choice("ja", "Afgemeld", &query.opted_out),
            ],
        }
    }

    /// The selects of the edit form: every known role and wijk, and the contact's own value even
    /// when the lists no longer have it (saving then says so).
    pub fn for_form(vocab: &Vocabulary, form: &EditForm) -> Options {
        let with_own = |pairs: &[(String, String)], own: &str| {
            let mut list = choices(pairs, own);
            if !own.is_empty() && !pairs.iter().any(|(value, _)| value == own) {
                list.insert(0, choice(own, &format!("{own} (onbekend)"), own));
            }
            list
        };
        let mut wijken = vec![choice("", "Geen wijk", &form.wijk)];
        wijken.extend(with_own(&vocab.wijken, &form.wijk));
        Options { roles: with_own(&vocab.roles, &form.rol), wijken, gemeenten: vec![], opted_out: vec![] }
    }
}

fn label_of(pairs: &[(String, String)], code: &str) -> String {
    pairs.iter().find(|(value, _)| value == code).map_or_else(|| code.to_owned(), |(_, label)| label.clone())
}

/// A contact with the labels of their role and wijk.
#[derive(Serialize)]
pub(super) struct ContactView {
    id: i64,
    name: String,
    email: String,
    role: String,
    practice: String,
    wijk: String,
    gemeente: String,
    opted_out: bool,
}

impl ContactView {
    pub fn new(contact: &Contact, vocab: &Vocabulary) -> ContactView {
        ContactView {
            id: contact.id.0,
            name: contact.name.clone(),
            email: contact.email.clone(),
            role: label_of(&vocab.roles, &contact.role),
            practice: contact.practice.clone(),
            wijk: label_of(&vocab.wijken, &contact.wijk),
            gemeente: contact.gemeente.clone(),
            opted_out: contact.opted_out,
        }
    }
}

/// The edit form: its fields as shown, and per field the reason it was refused.
#[derive(Serialize)]
pub(super) struct EditForm {
    naam: String,
    email: String,
    rol: String,
    praktijk: String,
    wijk: String,
    gemeente: String,
    /// Field name to message.
    errors: BTreeMap<&'static str, String>,
}

impl EditForm {
    pub fn of(contact: &Contact) -> EditForm {
        EditForm {
            naam: contact.name.clone(),
            email: contact.email.clone(),
            rol: contact.role.clone(),
            praktijk: contact.practice.clone(),
            wijk: contact.wijk.clone(),
            gemeente: contact.gemeente.clone(),
            errors: BTreeMap::new(),
        }
    }

    pub fn refused(typed: &RawContact<'_>, error: &EditError) -> EditForm {
        let mut errors: BTreeMap<&'static str, String> = BTreeMap::new();
        let mut add = |field: &'static str, message: String| {
            errors.entry(field).and_modify(|m| *m = format!("{m} {message}")).or_insert(message);
        };
        match error {
            EditError::Invalid(problems) => {
                for problem in problems {
                    add(field_of(problem.column()), problem.dutch());
                }
            }
            other => add("email", other.dutch().unwrap_or_default()),
        }
        EditForm {
            naam: typed.name.to_owned(),
            email: typed.email.to_owned(),
            rol: typed.role.to_owned(),
            praktijk: typed.practice.to_owned(),
            wijk: typed.wijk.to_owned(),
            gemeente: typed.gemeente.to_owned(),
            errors,
        }
    }
}

/// The form field of a list column.
fn field_of(column: Option<&str>) -> &'static str {
    match column {
        Some("e-mail") => "email",
        Some("rol") => "rol",
        Some("praktijk") => "praktijk",
        Some("wijk") => "wijk",
        Some("gemeente") => "gemeente",
        _ => "naam",
    }
}

/// What saving did, as the page says it.
#[derive(Serialize)]
pub(super) struct EditedView {
    changed: String,
    nothing: bool,
    requeued: u64,
    waiting: u64,
}

impl From<&Edited> for EditedView {
    fn from(edited: &Edited) -> EditedView {
        EditedView {
            changed: edited.changed.join(", "),
            nothing: edited.changed.is_empty(),
            requeued: edited.requeued,
            waiting: edited.waiting,
        }
    }
}

#[derive(Serialize)]
struct InvitationView {
    round: i64,
    title: String,
    form: String,
    anonymous: bool,
    invited: String,
    answered: bool,
    open: bool,
}

#[derive(Serialize)]
struct SeatView {
    round: String,
    session: String,
    when: String,
    status: &'static str,
    session_cancelled: bool,
}

#[derive(Serialize)]
struct MailView {
    kind: &'static str,
    status: &'static str,
    round: String,
    at: String,
    attempts: i64,
    error: String,
}

/// A contact's history in Dutch.
#[derive(Serialize)]
pub(super) struct HistoryView {
    invitations: Vec<InvitationView>,
    seats: Vec<SeatView>,
    mails: Vec<MailView>,
}

impl HistoryView {
    pub fn new(history: &History, now: DateTime<Utc>) -> HistoryView {
        let dutch = crate::time::dutch;
        HistoryView {
            invitations: history
                .invitations
                .iter()
                .map(|i| InvitationView {
                    round: i.round.0,
                    title: i.title.clone(),
                    form: i.form_id.clone(),
                    anonymous: i.anonymous.0,
                    invited: dutch(i.invited_at),
                    answered: i.answered.0,
                    open: now < i.closes_at,
                })
                .collect(),
            seats: history
                .seats
                .iter()
                .map(|s| SeatView {
                    round: s.round_title.clone(),
                    session: s.session.clone(),
                    when: dutch(s.starts_at),
                    status: s.status.dutch(),
                    session_cancelled: s.session_cancelled.0,
                })
                .collect(),
            mails: history
                .mails
                .iter()
                .map(|m| MailView {
                    kind: kind_dutch(m.kind),
                    status: status_dutch(m.status),
                    round: m.round_title.clone().unwrap_or_default(),
                    at: dutch(m.at),
                    attempts: m.attempts,
                    error: m.last_error.clone().unwrap_or_default(),
                })
                .collect(),
        }
    }
}

fn kind_dutch(kind: MailKind) -> &'static str {
    match kind {
        MailKind::Invitation => "Uitnodiging",
        MailKind::Reminder => "Herinnering",
        MailKind::Confirmation => "Ontvangstbevestiging",
        MailKind::Registration => "Aanmeldlink",
        MailKind::SeatConfirmed => "Plaats bevestigd",
        MailKind::SeatWaiting => "Op de wachtlijst",
        MailKind::SeatPromoted => "Plaats vrijgekomen",
        MailKind::SeatCancelled => "Plaats geannuleerd",
        MailKind::SessionCancelled => "Bijeenkomst afgelast",
        MailKind::SessionChanged => "Bijeenkomst gewijzigd",
        MailKind::SessionReminder => "Herinnering bijeenkomst",
        MailKind::SeatMoved => "Verplaatst",
        MailKind::SessionNotice => "Bericht over de bijeenkomst",
        MailKind::Certificate => "Bewijs van deelname",
    }
}

fn status_dutch(status: Status) -> &'static str {
    match status {
        Status::Pending => "wacht",
        Status::Sending => "wordt verstuurd",
        Status::Sent => "verstuurd",
        Status::Failed => "mislukt",
        Status::Cancelled => "niet verstuurd",
    }
}
