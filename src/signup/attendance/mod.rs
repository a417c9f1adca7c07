//! Attendance: the presence list an organiser prints for people to sign and sends in for
//! accreditation (ABC1 in GAIA for GPs; a POH-GGZ uploads her own proof), and recording who came.
//!
//! [`attendees`] reads a session's people once, with what the registers know them by; `sheet`
//! makes the CSV/XLSX list of them, `presence` the printable PDF, and `record` ticks who came,
//! from the session's start on, through `seats::mark_attended` only (so what hangs on attendance,
//! such as certificates, follows every way of recording it).
//!
//! Voorletters, achternaam, the BIG number and register numbers come from the contact's
//! remembered details (`accreditation::person`). For contacts never asked, the achternaam falls
//! back to their name (so the list is never empty) and the BIG number to the old form answer
//! `big_nummer` (or `big`); either stays text throughout, since it may start with a 0.

mod presence;
mod record;
mod sheet;

pub use presence::{PresenceHeader, presence_pdf};
pub use record::{Recorded, Ticking, record, tick};
pub use sheet::{HEADERS, list, role_name, sheet};

use super::sessions::{self, Session};
use super::{SeatId, SeatStatus, SessionId, SignupError};
use crate::accreditation::{BigNumber, PersonDetails, Register, person, register};
use crate::contacts::ContactId;
use crate::db::Pool;
use crate::forms::{Answer, Answers, Form, QuestionKind};
use crate::rounds::RoundsError;

/// The ids a form may give its BIG-number question, most specific first.
const BIG_QUESTIONS: [&str; 2] = ["big_nummer", "big"];

#[derive(Debug, thiserror::Error)]
pub enum AttendanceError {
    /// Nothing was recorded: these addresses hold no confirmed seat in the session.
    #[error(
        "no confirmed seat in session {session} for {}; nothing was recorded",
        .emails.join(", ")
    )]
    NoConfirmedSeat { session: SessionId, emails: Vec<String> },
    /// Nothing was recorded: the seat is not a confirmed seat of this session.
    #[error("seat {seat} is not a confirmed seat in session {session}; nothing was recorded")]
    NotASeatHere { session: SessionId, seat: SeatId },
    /// Attendance is a fact about a meeting that has begun: before then nothing is recorded.
    #[error(
        "session {session} starts {starts}; attendance can be recorded from its start, nothing was recorded"
    )]
    NotStarted { session: SessionId, starts: String },
    #[error(transparent)]
    Signup(#[from] SignupError),
    #[error(transparent)]
    Round(#[from] RoundsError),
    #[error(transparent)]
    Pdf(#[from] crate::pdf::PdfError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// A register the person's role counts for, with their number there (for a register that asks
/// the BIG number, the BIG number).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RegisterNumber {
    pub register: String,
    pub name: String,
    pub number: Option<String>,
}

/// One person with a seat, a place on the waiting list or a cancelled seat in a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendee {
    pub seat: SeatId,
    pub contact: ContactId,
    pub name: String,
    pub email: String,
    /// As the registers know them; empty when never asked.
    pub initials: String,
    /// The remembered achternaam, or the contact's name when none was given.
    pub surname: String,
    /// The role code of the contact list ("poh-ggz").
    pub role: String,
    pub practice: String,
    /// 11 digits when known; the old form answer as typed otherwise; empty when neither.
    pub big_number: String,
    /// The round's registers that count for this person's role, in the round's order.
    pub registers: Vec<RegisterNumber>,
    pub status: SeatStatus,
    /// Place on the waiting list, counted from 1.
    pub position: Option<u32>,
    /// `None` until a coordinator records it.
    pub attended: Option<bool>,
}

impl Attendee {
    /// "Kwaliteitsregister POH-GGZ 12345; ABC1 (GAIA)": each register with the person's own
    /// number there (a BIG register's number is in the BIG column already).
    pub fn registers_text(&self, registers: &[Register]) -> String {
        self.registers
            .iter()
            .map(|r| {
                let asks_big =
                    registers.iter().any(|g| g.id == r.register && g.asks == crate::accreditation::Asks::Big);
                match (&r.number, asks_big) {
                    (Some(number), false) => format!("{} {number}", r.name),
                    _ => r.name.clone(),
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub fn present(&self) -> bool {
        self.status == SeatStatus::Confirmed && self.attended == Some(true)
    }
}

/// A session, its round's registers and its people, as [`attendees`] reads them.
pub type SessionPeople = (Session, Vec<Register>, Vec<Attendee>);

/// The session and its people: confirmed seats by achternaam, then the waiting list in its
/// order, then cancelled seats by name; and the registers of its round.
pub async fn attendees(pool: &Pool, id: SessionId) -> Result<SessionPeople, AttendanceError> {
    let session = sessions::get(pool, id).await?;
    let form = crate::rounds::load(pool, session.round).await?.form;
    let registers = register::of_round(pool, session.round).await?;
    let big = big_question(&form);
    let rows: Vec<AttendeeRow> = sqlx::query_as(
        "SELECT st.id, i.contact_id, st.status, st.attended, c.name, c.email, c.role, c.practice, r.answers \
         FROM seats st JOIN invitations i ON i.id = st.invitation_id JOIN contacts c ON c.id = i.contact_id \
         LEFT JOIN responses r ON r.invitation_id = st.invitation_id \
         WHERE st.session_id = $1 ORDER BY st.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let mut people = Vec::with_capacity(rows.len());
    for row in rows {
        let details = person::of_contact(pool, row.contact_id).await?;
        people.push(row.attendee(big, details, &registers));
    }
    let mut waiting = 0;
    for person in people.iter_mut().filter(|p| p.status == SeatStatus::Waiting) {
        waiting += 1;
        person.position = Some(waiting);
    }
    people.sort_by_cached_key(|p| {
        let rank = match p.status {
            SeatStatus::Confirmed => 0,
            SeatStatus::Waiting => 1,
            SeatStatus::Cancelled => 2,
        };
        // Waiting people keep their queue order; the others are found by name.
        let name = if p.status == SeatStatus::Waiting { String::new() } else { p.surname.to_lowercase() };
        (rank, p.position, name, p.seat)
    });
    Ok((session, registers, people))
}

/// The id of the form's BIG-number question, if it has one (a text question).
fn big_question(form: &Form) -> Option<&'static str> {
    BIG_QUESTIONS
        .into_iter()
        .find(|id| form.question(id).is_some_and(|q| matches!(q.kind, QuestionKind::Text { .. })))
}

/// A seat with its holder and their response, as [`attendees`] selects it.
#[derive(sqlx::FromRow)]
struct AttendeeRow {
    id: SeatId,
    contact_id: ContactId,
    #[sqlx(try_from = "String")]
    status: SeatStatus,
    attended: Option<i64>,
    name: String,
    email: String,
    role: String,
    practice: String,
    answers: Option<String>,
}

impl AttendeeRow {
    fn attendee(self, big: Option<&str>, details: PersonDetails, registers: &[Register]) -> Attendee {
        let answered = match (big, &self.answers) {
            (Some(question), Some(json)) => big_number(json, question),
            _ => String::new(),
        };
        let big_number = match &details.big_number {
            Some(number) => number.to_string(),
            // An old answer that reads as a BIG number is padded as GAIA does; one that does
            // not is shown as typed, for the organiser to see and correct.
            None => BigNumber::parse(&answered).map_or(answered, |n| n.to_string()),
        };
        let registers = registers
            .iter()
            .filter(|r| r.counts_for(&self.role))
            .map(|r| RegisterNumber {
                register: r.id.clone(),
                name: r.name.clone(),
                number: details.number_for(r).map(str::to_string),
            })
            .collect();
        let surname = if details.surname.trim().is_empty() { self.name.clone() } else { details.surname };
        Attendee {
            seat: self.id,
            contact: self.contact_id,
            name: self.name,
            email: self.email,
            initials: details.initials,
            surname,
            role: self.role,
            practice: self.practice,
            big_number,
            registers,
            status: self.status,
            position: None,
            attended: self.attended.map(|a| a != 0),
        }
    }
}

/// The text answer to `question`; answers that cannot be read give an empty cell, not an error,
/// so one odd response does not cost the organiser the whole list.
fn big_number(json: &str, question: &str) -> String {
    match serde_json::from_str::<Answers>(json).ok().and_then(|mut a| a.remove(question)) {
        Some(Answer::Text(text)) => text.trim().to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_big_number_is_read_as_text_and_anything_else_gives_an_empty_cell() {
        assert_eq!(big_number(r#"{"big_nummer":"01234567890"}"#, "big_nummer"), "01234567890");
        assert_eq!(big_number(r#"{"big_nummer":12345678901}"#, "big_nummer"), "");
        assert_eq!(big_number(r#"{"anders":"x"}"#, "big_nummer"), "");
        assert_eq!(big_number("not json", "big_nummer"), "");
    }
}
