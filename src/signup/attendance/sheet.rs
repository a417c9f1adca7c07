//! The attendance list as a [`Sheet`], for `peil session attendance` (CSV or XLSX) and the
//! presentielijst's XLSX download: the columns of the printed list (voorletters, achternaam,
//! functie, BIG number, register and number, a signature) with the session's own fields on
//! every row, so a filtered or merged sheet still says which meeting a row is about.

use chrono_tz::Europe::Amsterdam;

use super::{AttendanceError, Attendee};
use crate::accreditation::Register;
use crate::db::Pool;
use crate::signup::sessions::Session;
use crate::signup::{SeatStatus, SessionId};
use crate::spreadsheet::{Cell, Sheet};

pub const HEADERS: [&str; 16] = [
    "Activiteit-ID",
    "Bijeenkomst",
    "Datum",
    "Tijd",
    "Begeleider",
    "Voorletters",
    "Achternaam",
    "Naam",
    "E-mail",
    "Functie",
    "Praktijk",
    "BIG-nummer",
    "Beroepsorganisatie/register en nummer",
    "Status",
    "Aanwezig",
    "Handtekening",
];

/// The attendance list of a session. `roles` maps role codes to the names people read
/// (`Forms::list_pairs("rollen")`); a code without a name is shown as it is.
pub fn sheet(
    session: &Session,
    registers: &[Register],
    people: &[Attendee],
    roles: &[(String, String)],
) -> Sheet {
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
                text(&session.leader),
                text(&p.initials),
                text(&p.surname),
                text(&p.name),
                text(&p.email),
                text(role_name(roles, &p.role)),
                text(&p.practice),
                // Always a text cell: the XLSX keeps the leading 0, the CSV writes ="0123...".
                text(&p.big_number),
                text(&p.registers_text(registers)),
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

/// The name people read for a role code.
pub fn role_name<'a>(roles: &'a [(String, String)], code: &'a str) -> &'a str {
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

/// The attendance list of session `id` (everyone with a seat, a waiting place or a cancelled
/// seat), ready for `spreadsheet::csv` or `spreadsheet::xlsx`.
pub async fn list(pool: &Pool, id: SessionId, roles: &[(String, String)]) -> Result<Sheet, AttendanceError> {
    let (session, registers, people) = super::attendees(pool, id).await?;
    Ok(sheet(&session, &registers, &people, roles))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accreditation::{Asks, Deadline};
    use crate::contacts::ContactId;
    use crate::signup::attendance::RegisterNumber;
    use crate::signup::{SeatId, SessionId};
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
            leader: "K. Kader".into(),
            activity_id: "ABC1-000001".into(),
            capacity: 1,
            taken: 1,
            waiting: 1,
            cancelled: false,
            revision: 0,
        }
    }

    fn registers() -> Vec<Register> {
        vec![Register {
            id: "poh".into(),
            name: "Kwaliteitsregister POH-GGZ".into(),
            roles: vec![],
            asks: Asks::Lidnummer,
            format: "{nummer}".into(),
            deadline: Deadline::Days(42),
        }]
    }

    fn person(seat: i64, status: SeatStatus, position: Option<u32>, attended: Option<bool>) -> Attendee {
        Attendee {
            seat: SeatId(seat),
            contact: ContactId(seat),
            name: format!("Persoon {seat}"),
            email: format!("p{seat}@example.org"),
            initials: "P.".into(),
            surname: format!("Persoon {seat}"),
            role: "huisarts".into(),
            practice: String::new(),
            big_number: "01234567890".into(),
            registers: vec![RegisterNumber {
                register: "poh".into(),
                name: "Kwaliteitsregister POH-GGZ".into(),
                number: Some("4711".into()),
            }],
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
        let sheet = sheet(&session(), &registers(), &people, &roles);
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
                "K. Kader",
                "P.",
                "Persoon 1",
                "Persoon 1",
                "p1@example.org",
                "Huisarts",
                "",
                "01234567890",
                "Kwaliteitsregister POH-GGZ 4711",
                "aangemeld",
                "ja",
                ""
            ]
        );
        assert_eq!(sheet.rows[1][13], Cell::from("wachtlijst (plaats 1)"));
        assert_eq!(sheet.rows[1][14], Cell::Empty);
    }
}
