//! A person's record as the page shows it: Dutch dates and words instead of the file's stored
//! values. The JSON file is the record itself (`persons::PersonRecord`), not this.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::outbox::{MailKind, Status};
use crate::persons::{AnswerItem, ContactData, InvitationData, MailData, PersonRecord, SeatData};
use crate::signup::SeatStatus;
use crate::time::dutch;

#[derive(Serialize)]
pub(super) struct PersonView {
    email: String,
    contact: Option<ContactView>,
    invitations: Vec<Line>,
    answers: Vec<Answered>,
    drafts: Vec<Answered>,
    seats: Vec<Line>,
    certificates: Vec<Line>,
    mails: Vec<Line>,
    account: Option<String>,
    audit: Vec<Line>,
    erased_before: Option<String>,
    anonymous_rounds: usize,
}

#[derive(Serialize)]
struct ContactView {
    /// For the links to the contact's page and to the audit entries about them.
    id: i64,
    name: String,
    initials: String,
    surname: String,
    role: String,
    practice: String,
    wijk: String,
    gemeente: String,
    big_number: String,
    register_numbers: Vec<String>,
    opted_out: bool,
    self_registered: bool,
    created: String,
    updated: String,
}

/// One row of a table: its cells, in the order of the table's headers.
#[derive(Serialize)]
struct Line {
    cells: Vec<String>,
}

#[derive(Serialize)]
struct Answered {
    round: String,
    when: String,
    items: Vec<AnswerItem>,
}

fn line(cells: impl IntoIterator<Item = String>) -> Line {
    Line { cells: cells.into_iter().collect() }
}

fn maybe(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(|| "–".to_owned(), dutch)
}

/// An identified response's moment in Dutch; the stored text if it is not one.
fn stored_moment(text: &str) -> String {
    crate::db::Timestamp::parse(text).map_or_else(|_| text.to_owned(), |t| dutch(t.at()))
}

fn yes_no(flag: bool) -> String {
    if flag { "ja" } else { "nee" }.to_owned()
}

impl From<&PersonRecord> for PersonView {
    fn from(r: &PersonRecord) -> PersonView {
        let answered = |round: &str, when: String, items: &[AnswerItem]| Answered {
            round: round.to_owned(),
            when,
            items: items.to_vec(),
        };
        PersonView {
            email: r.email.clone(),
            contact: r.contact.as_ref().map(contact),
            invitations: r.invitations.iter().map(invitation).collect(),
            answers: r
                .answers
                .iter()
                .map(|a| answered(&a.round_title, stored_moment(&a.submitted_at), &a.items))
                .collect(),
            drafts: r
                .drafts
                .iter()
                .map(|d| answered(&d.round_title, dutch(d.updated_at), &d.items))
                .collect(),
            seats: r.seats.iter().map(seat).collect(),
            certificates: r
                .certificates
                .iter()
                .map(|c| {
                    line([c.code.clone(), c.session_title.clone(), dutch(c.issued_at), maybe(c.withdrawn_at)])
                })
                .collect(),
            mails: r.mails.iter().map(mail).collect(),
            account: r.account.as_ref().map(|a| format!("{}, sinds {}", a.role, dutch(a.created_at))),
            audit: r
                .audit
                .iter()
                .map(|a| {
                    let actor = a.actor.clone().unwrap_or_else(|| "opdrachtregel".to_owned());
                    line([dutch(a.at), actor, crate::audit::label_of(&a.action), a.detail.clone()])
                })
                .collect(),
            erased_before: r.erased_before_at.map(dutch),
            anonymous_rounds: r.invitations.iter().filter(|i| i.anonymous).count(),
        }
    }
}

fn contact(c: &ContactData) -> ContactView {
    ContactView {
        id: c.id.0,
        name: c.name.clone(),
        initials: c.initials.clone(),
        surname: c.surname.clone(),
        role: c.role.clone(),
        practice: c.practice.clone(),
        wijk: c.wijk.clone(),
        gemeente: c.gemeente.clone(),
        big_number: c.big_number.clone(),
        register_numbers: c
            .register_numbers
            .iter()
            .map(|n| format!("{}: {}", n.register, n.number))
            .collect(),
        opted_out: c.opted_out,
        self_registered: c.self_registered,
        created: dutch(c.created_at),
        updated: dutch(c.updated_at),
    }
}

/// An invitation; of an anonymous round, what "answered" does and does not mean.
fn invitation(i: &InvitationData) -> Line {
    let answered = match (i.anonymous, i.answered) {
        (true, true) => "ja (anoniem: de antwoorden zijn niet aan deze persoon te koppelen)",
        (true, false) => "nee (anonieme ronde)",
        (false, true) => "ja",
        (false, false) => "nee",
    };
    line([
        i.round_title.clone(),
        dutch(i.invited_at),
        dutch(i.closes_at),
        answered.to_owned(),
        i.link_state.dutch().to_owned(),
    ])
}

fn seat(s: &SeatData) -> Line {
    let status = SeatStatus::parse(&s.status).map_or_else(|| s.status.clone(), |st| st.dutch().to_owned());
    let attended = s.attended.map_or_else(|| "niet vastgelegd".to_owned(), yes_no);
    let session =
        if s.session_cancelled { format!("{} (afgelast)", s.session_title) } else { s.session_title.clone() };
    line([s.round_title.clone(), session, dutch(s.starts_at), status, attended])
}

fn mail(m: &MailData) -> Line {
    let kind = MailKind::try_from(m.kind.clone()).map_or_else(|_| m.kind.clone(), |k| k.label().to_owned());
    let status =
        Status::try_from(m.status.clone()).map_or_else(|_| m.status.clone(), |s| s.label().to_owned());
    line([kind, m.round_title.clone().unwrap_or_default(), status, dutch(m.created_at), maybe(m.sent_at)])
}
