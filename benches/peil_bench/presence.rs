//! presentielijst: the presentielijst PDF of a session of 40 people (voorletters, achternaam,
//! BIG number, two registers each), drawn and written as the download does, in-process: its
//! size and the time it takes (median of a few runs; the first run loads the font).

use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use peil::accreditation::{Asks, Deadline, Register};
use peil::contacts::ContactId;
use peil::rounds::RoundId;
use peil::signup::attendance::{Attendee, PresenceHeader, RegisterNumber, presence_pdf};
use peil::signup::{SeatId, SeatStatus, Session, SessionId};
use serde_json::{Value, json};

pub const PEOPLE: usize = 40;
const RUNS: usize = 7;

pub struct Presence {
    pub bytes: usize,
    pub median: Duration,
}

impl Presence {
    pub fn to_json(&self) -> Value {
        json!({ "people": PEOPLE, "bytes": self.bytes, "median_ms": self.median.as_secs_f64() * 1000.0 })
    }

    pub fn line(&self) -> String {
        format!(
            "presentielijst PDF, {PEOPLE} people: {} KiB in {:.1} ms (median of {RUNS})",
            self.bytes / 1024,
            self.median.as_secs_f64() * 1000.0
        )
    }
}

pub fn run_workload() -> anyhow::Result<Presence> {
    let registers = vec![
        Register {
            id: "abc1".into(),
            name: "ABC1 (GAIA)".into(),
            roles: vec![],
            asks: Asks::Big,
            format: "BIG-{nummer}".into(),
            deadline: Deadline::Months(2),
        },
        Register {
            id: "kwaliteitsregister-poh-ggz".into(),
            name: "Kwaliteitsregister POH-GGZ".into(),
            roles: vec![],
            asks: Asks::Lidnummer,
            format: "{nummer}".into(),
            deadline: Deadline::Days(42),
        },
    ];
    let people: Vec<Attendee> = (0..PEOPLE).map(|i| person(i, &registers)).collect();
    let people: Vec<&Attendee> = people.iter().collect();
    let header = PresenceHeader::of(&session(), Some("Huisartsen Regio West"));
    let roles = [("poh-ggz".to_string(), "POH-GGZ".to_string())];
    let mut times = Vec::with_capacity(RUNS);
    let mut bytes = 0;
    for _ in 0..RUNS {
        let started = Instant::now();
        bytes = presence_pdf(&header, &registers, &people, &roles)?.len();
        times.push(started.elapsed());
    }
    times.sort();
    Ok(Presence { bytes, median: times[RUNS / 2] })
}

fn session() -> Session {
    let starts = Utc.with_ymd_and_hms(2027, 3, 9, 18, 0, 0).single().unwrap_or_else(Utc::now);
    Session {
        id: SessionId(1),
        round: RoundId(1),
        code: "s1".into(),
        title: "Intervisie POH-GGZ: suïcidepreventie".into(),
        starts_at: starts,
        ends_at: starts + chrono::Duration::minutes(150),
        place: "Gezondheidscentrum West".into(),
        online_url: String::new(),
        leader: "Dr. K. Kader, kaderhuisarts ggz".into(),
        activity_id: "ABC1-123456".into(),
        capacity: PEOPLE as u32,
        taken: PEOPLE as u32,
        waiting: 0,
        cancelled: false,
        revision: 0,
    }
}

fn person(i: usize, registers: &[Register]) -> Attendee {
    Attendee {
        seat: SeatId(i as i64 + 1),
        contact: ContactId(i as i64 + 1),
        name: format!("Deelnemer {i:02}"),
        email: format!("poh{i:02}@example.org"),
        initials: "J.A.".into(),
        surname: format!("van den Deelnemer-{i:02}"),
        role: "poh-ggz".into(),
        practice: format!("Praktijk {i}"),
        big_number: format!("0123456{i:04}"),
        registers: registers
            .iter()
            .map(|r| RegisterNumber {
                register: r.id.clone(),
                name: r.name.clone(),
                number: Some(format!("PG-{i:05}")),
            })
            .collect(),
        status: SeatStatus::Confirmed,
        position: None,
        attended: Some(true),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_presentielijst_of_40_people_is_a_pdf_of_some_size() {
        let presence = super::run_workload().unwrap();
        println!("{}", presence.line());
        assert!(presence.bytes > 10_000, "{}", presence.line());
    }
}
