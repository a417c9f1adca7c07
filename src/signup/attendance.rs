//! Attendance: the list an organiser prints for people to sign and sends in for accreditation
//! (ABC1 in GAIA for GPs; a POH-GGZ uploads her own proof), and recording afterwards who came.
//!
//! The list is a plain [`Sheet`], so the same rows become CSV, XLSX or (later) a printable page.
//! The BIG number is whatever the person gave for the form's `big_nummer` (or `big`) text
//! question; it stays text throughout, since it may start with a 0.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use chrono_tz::Europe::Amsterdam;

use super::sessions::{self, Session};
use super::{SeatId, SeatStatus, SessionId, SignupError, seats};
use crate::db::{Db, Pool, Timestamp};
use crate::forms::{Answer, Answers, Form, QuestionKind};
use crate::rounds::RoundsError;
use crate::spreadsheet::{Cell, Sheet};

/// The ids a form may give its BIG-number question, most specific first.
const BIG_QUESTIONS: [&str; 2] = ["big_nummer", "big"];

pub const HEADERS: [&str; 12] = [
    "Activiteit-ID",
    "Bijeenkomst",
    "Datum",
    "Tijd",
    "Naam",
    "E-mail",
    "Functie",
    "Praktijk",
    "BIG-nummer",
    "Status",
    "Aanwezig",
    "Handtekening",
];

#[derive(Debug, thiserror::Error)]
pub enum AttendanceError {
    /// Nothing was recorded: these addresses hold no confirmed seat in the session.
    #[error(
        "no confirmed seat in session {session} for {}; nothing was recorded",
        .emails.join(", ")
    )]
    NoConfirmedSeat { session: SessionId, emails: Vec<String> },
    /// Attendance is a fact about a meeting that has begun: before then nothing is recorded.
    #[error(
        "session {session} starts {starts}; attendance can be recorded from its start, nothing was recorded"
    )]
    NotStarted { session: SessionId, starts: String },
    #[error(transparent)]
    Signup(#[from] SignupError),
    #[error(transparent)]
    Round(#[from] RoundsError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// One person with a seat, a place on the waiting list or a cancelled seat in a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendee {
    pub seat: SeatId,
    pub name: String,
    pub email: String,
    /// The role code of the contact list ("poh-ggz").
    pub role: String,
    pub practice: String,
    /// Empty when the form does not ask it or the person left it open.
    pub big_number: String,
    pub status: SeatStatus,
    /// Place on the waiting list, counted from 1.
    pub position: Option<u32>,
    /// `None` until a coordinator records it.
    pub attended: Option<bool>,
}

/// The session and its people: confirmed seats by name, then the waiting list in its order,
/// then cancelled seats by name.
pub async fn attendees(pool: &Pool, id: SessionId) -> Result<(Session, Vec<Attendee>), AttendanceError> {
    let session = sessions::get(pool, id).await?;
    let form = crate::rounds::load(pool, session.round).await?.form;
    let big = big_question(&form);
    let rows: Vec<AttendeeRow> = sqlx::query_as(
        "SELECT st.id, st.status, st.attended, c.name, c.email, c.role, c.practice, r.answers \
         FROM seats st JOIN invitations i ON i.id = st.invitation_id JOIN contacts c ON c.id = i.contact_id \
         LEFT JOIN responses r ON r.invitation_id = st.invitation_id \
         WHERE st.session_id = $1 ORDER BY st.id",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let mut people: Vec<Attendee> = rows.into_iter().map(|row| row.attendee(big)).collect();
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
        let name = if p.status == SeatStatus::Waiting { String::new() } else { p.name.to_lowercase() };
        (rank, p.position, name, p.seat)
    });
    Ok((session, people))
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
    fn attendee(self, big: Option<&str>) -> Attendee {
        let big_number = match (big, self.answers) {
            (Some(question), Some(json)) => big_number(&json, question),
            _ => String::new(),
        };
        Attendee {
            seat: self.id,
            name: self.name,
            email: self.email,
            role: self.role,
            practice: self.practice,
            big_number,
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

/// The attendance list of a session. `roles` maps role codes to the names people read
/// (`Forms::list_pairs("rollen")`); a code without a name is shown as it is.
pub fn sheet(session: &Session, people: &[Attendee], roles: &[(String, String)]) -> Sheet {
    let (from, to) = (session.starts_at.with_timezone(&Amsterdam), session.ends_at.with_timezone(&Amsterdam));
    let date = from.format("%d-%m-%Y").to_string();
    let time = format!("{}-{}", from.format("%H:%M"), to.format("%H:%M"));
    let rows = people
        .iter()
        .map(|p| {
            vec![
                text(&session.activity_id),
                text(&session.title),
                Cell::Text(date.clone()),
                Cell::Text(time.clone()),
                text(&p.name),
                text(&p.email),
                text(role_name(roles, &p.role)),
                text(&p.practice),
                text(&p.big_number),
                Cell::Text(status(p)),
                match p.attended {
                    Some(true) => Cell::from("ja"),
                    Some(false) => Cell::from("nee"),
                    None => Cell::Empty,
                },
                Cell::Empty,
            ]
        })
        .collect();
    Sheet { name: session.title.clone(), headers: HEADERS.iter().map(|h| h.to_string()).collect(), rows }
}

fn role_name<'a>(roles: &'a [(String, String)], code: &'a str) -> &'a str {
    roles.iter().find(|(value, _)| value == code).map_or(code, |(_, label)| label.as_str())
}

fn text(value: &str) -> Cell {
    if value.is_empty() { Cell::Empty } else { Cell::Text(value.to_string()) }
}

/// "aangemeld", "wachtlijst (plaats 2)", "afgemeld".
fn status(person: &Attendee) -> String {
    match (person.status, person.position) {
        (SeatStatus::Waiting, Some(n)) => format!("wachtlijst (plaats {n})"),
        (status, _) => status.dutch().to_string(),
    }
}

/// The attendance list of session `id`, ready for `spreadsheet::csv` or `spreadsheet::xlsx`.
pub async fn list(pool: &Pool, id: SessionId, roles: &[(String, String)]) -> Result<Sheet, AttendanceError> {
    let (session, people) = attendees(pool, id).await?;
    Ok(sheet(&session, &people, roles))
}

/// Someone whose attendance was recorded.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Recorded {
    #[sqlx(rename = "id")]
    pub seat: SeatId,
    pub name: String,
    pub email: String,
}

/// Records that the holders of confirmed seats with these e-mail addresses (any case) did, or
/// with `attended = false` did not, attend session `id`, at `now`: from the session's start on.
/// All or nothing: one address without a confirmed seat in the session and nothing is written,
/// so a typo never leaves a list half done.
pub async fn record(
    db: &Db,
    id: SessionId,
    emails: &[String],
    attended: bool,
    now: DateTime<Utc>,
) -> Result<Vec<Recorded>, AttendanceError> {
    let mut tx = db.write().await?;
    // The session's row first, as every change to its seats does: a cancellation or promotion
    // running at the same moment comes before or after this, not in between.
    sessions::lock(&mut tx, id).await?;
    let starts: Timestamp = sqlx::query_scalar("SELECT starts_at FROM sessions WHERE id = $1")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    if now < starts.at() {
        return Err(AttendanceError::NotStarted { session: id, starts: crate::time::dutch(starts.at()) });
    }
    let mut holders: Vec<Recorded> = sqlx::query_as(
        "SELECT st.id, c.name, c.email FROM seats st JOIN invitations i ON i.id = st.invitation_id \
         JOIN contacts c ON c.id = i.contact_id WHERE st.session_id = $1 AND st.status = 'confirmed' \
         ORDER BY st.id",
    )
    .bind(id)
    .fetch_all(&mut *tx)
    .await?;
    let wanted: BTreeSet<String> = emails.iter().map(|e| e.trim().to_lowercase()).collect();
    let unknown: Vec<String> =
        wanted.iter().filter(|e| !holders.iter().any(|h| h.email.to_lowercase() == **e)).cloned().collect();
    if !unknown.is_empty() {
        drop(tx);
        return Err(AttendanceError::NoConfirmedSeat { session: id, emails: unknown });
    }
    holders.retain(|h| wanted.contains(&h.email.to_lowercase()));
    for holder in &holders {
        seats::mark_attended(&mut tx, holder.seat, attended, now).await?;
    }
    tx.commit().await?;
    Ok(holders)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};

    fn session() -> Session {
        Session {
            id: SessionId(3),
            round: crate::rounds::RoundId(1),
            code: "s1".into(),
            title: "Suïcidepreventie".into(),
            // 19:00-21:30 in Amsterdam, winter time.
            starts_at: Utc.with_ymd_and_hms(2027, 3, 9, 18, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2027, 3, 9, 20, 30, 0).unwrap(),
            place: "Utrecht".into(),
            online_url: String::new(),
            leader: String::new(),
            activity_id: "ABC1-000001".into(),
            capacity: 1,
            taken: 1,
            waiting: 1,
            cancelled: false,
            revision: 0,
        }
    }

    fn person(seat: i64, status: SeatStatus, position: Option<u32>, attended: Option<bool>) -> Attendee {
        Attendee {
            seat: SeatId(seat),
            name: format!("Persoon {seat}"),
            email: format!("p{seat}@example.org"),
            role: "huisarts".into(),
            practice: String::new(),
            big_number: "01234567890".into(),
            status,
            position,
            attended,
        }
    }

    #[test]
    fn a_row_holds_the_session_the_person_and_the_status_in_dutch() {
        let roles = [("huisarts".to_string(), "Huisarts".to_string())];
        let people = [
            person(1, SeatStatus::Confirmed, None, Some(true)),
            person(2, SeatStatus::Waiting, Some(1), None),
        ];
        let sheet = sheet(&session(), &people, &roles);
        assert_eq!(sheet.headers.len(), sheet.rows[0].len());
        let texts: Vec<String> = sheet.rows[0]
            .iter()
            .map(|c| match c {
                Cell::Text(t) => t.clone(),
                _ => String::new(),
            })
            .collect();
        assert_eq!(
            texts,
            [
                "ABC1-000001",
                "Suïcidepreventie",
                "09-03-2027",
                "19:00-21:30",
                "Persoon 1",
                "p1@example.org",
                "Huisarts",
                "",
                "01234567890",
                "aangemeld",
                "ja",
                ""
            ]
        );
        assert_eq!(sheet.rows[1][9], Cell::from("wachtlijst (plaats 1)"));
        assert_eq!(sheet.rows[1][10], Cell::Empty);
    }

    #[test]
    fn the_big_number_is_read_as_text_and_anything_else_gives_an_empty_cell() {
        assert_eq!(big_number(r#"{"big_nummer":"01234567890"}"#, "big_nummer"), "01234567890");
        assert_eq!(big_number(r#"{"big_nummer":12345678901}"#, "big_nummer"), "");
        assert_eq!(big_number(r#"{"anders":"x"}"#, "big_nummer"), "");
        assert_eq!(big_number("not json", "big_nummer"), "");
    }
}
