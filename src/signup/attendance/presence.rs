//! The presentielijst as the regional accreditation offices (Stichting KOH, Stichting Huisarts &
//! Kwaliteit) ask for it: organisation, activity, date, start and end time, accreditation ID
//! and leader on every page; per confirmed person voorletters, achternaam, functie, BIG number,
//! register and number, and a box to sign in. A4 landscape, "pagina N van M" at the foot.

use chrono_tz::Europe::Amsterdam;

use super::Attendee;
use super::sheet::role_name;
use crate::accreditation::Register;
use crate::pdf::{Doc, Orientation, PdfError, Weight};
use crate::signup::sessions::Session;

/// What heads every page of the list, on paper and on screen.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct PresenceHeader {
    pub organisation: String,
    pub title: String,
    /// "dinsdag 9 maart 2027".
    pub date: String,
    /// "19.00–21.30 uur".
    pub time: String,
    pub activity_id: String,
    pub leader: String,
}

impl PresenceHeader {
    pub fn of(session: &Session, organisation: Option<&str>) -> PresenceHeader {
        let (from, to) =
            (session.starts_at.with_timezone(&Amsterdam), session.ends_at.with_timezone(&Amsterdam));
        PresenceHeader {
            organisation: organisation.unwrap_or_default().to_string(),
            title: session.title.clone(),
            date: crate::time::dutch_long_date(from.date_naive()),
            time: format!("{}\u{2013}{} uur", from.format("%H.%M"), to.format("%H.%M")),
            activity_id: session.activity_id.clone(),
            leader: session.leader.clone(),
        }
    }
}

const MARGIN: f32 = 36.0;
const ROW: f32 = 30.0;
const TABLE_TOP: f32 = 122.0;
/// Room kept at the foot for the page number.
const FOOT: f32 = 48.0;
const SIZE: f32 = 9.0;

/// The columns: heading and width in points; the signature takes what is left.
const COLUMNS: [(&str, f32); 6] = [
    ("Nr.", 24.0),
    ("Voorletters", 64.0),
    ("Achternaam", 130.0),
    ("Functie", 92.0),
    ("BIG-nummer", 78.0),
    ("Beroepsorganisatie/register en nummer", 190.0),
];

/// The PDF of the presentielijst of `people` (the confirmed seats, in the list's order).
pub fn presence_pdf(
    header: &PresenceHeader,
    registers: &[Register],
    people: &[&Attendee],
    roles: &[(String, String)],
) -> Result<Vec<u8>, PdfError> {
    let mut doc = Doc::new(&format!("Presentielijst {}", header.title), Orientation::Landscape);
    let per_page = ((doc.height() - TABLE_TOP - ROW - FOOT) / ROW).floor().max(1.0) as usize;
    let pages: Vec<&[&Attendee]> =
        if people.is_empty() { vec![&[]] } else { people.chunks(per_page).collect() };
    for (page, chunk) in pages.iter().enumerate() {
        if page > 0 {
            doc.new_page();
        }
        draw_header(&mut doc, header);
        let mut y = TABLE_TOP + ROW;
        for (i, person) in chunk.iter().enumerate() {
            let number = page * per_page + i + 1;
            draw_row(&mut doc, y, number, person, registers, roles);
            y += ROW;
        }
    }
    doc.finish(true)
}

fn draw_header(doc: &mut Doc, header: &PresenceHeader) {
    let right = doc.width() - MARGIN;
    doc.text(MARGIN, 44.0, 16.0, Weight::Bold, "Presentielijst");
    doc.text_right(right, 44.0, 11.0, Weight::Bold, &header.organisation);
    doc.text(MARGIN, 66.0, 12.0, Weight::Bold, &header.title);
    let when = format!("Datum: {}    Tijd: {}", header.date, header.time);
    doc.text(MARGIN, 86.0, 10.0, Weight::Regular, &when);
    let id = if header.activity_id.is_empty() { "–" } else { header.activity_id.as_str() };
    let leader = if header.leader.is_empty() { "–" } else { header.leader.as_str() };
    doc.text(MARGIN, 102.0, 10.0, Weight::Regular, &format!("Accreditatie-ID: {id}    Begeleider: {leader}"));
    let mut x = MARGIN;
    for (heading, width) in COLUMNS {
        doc.text(x + 3.0, TABLE_TOP + 19.0, SIZE, Weight::Bold, heading_fit(heading, width));
        x += width;
    }
    doc.text(x + 3.0, TABLE_TOP + 19.0, SIZE, Weight::Bold, "Handtekening");
    doc.rect(MARGIN, TABLE_TOP, right - MARGIN, ROW, 0.8);
}

/// A heading too wide for its column is cut to its first word ("Beroepsorganisatie/...").
fn heading_fit(heading: &str, width: f32) -> &str {
    if crate::pdf::text_width(heading, SIZE, Weight::Bold) <= width - 6.0 {
        heading
    } else {
        heading.split('/').next().unwrap_or(heading)
    }
}

fn draw_row(
    doc: &mut Doc,
    y: f32,
    number: usize,
    person: &Attendee,
    registers: &[Register],
    roles: &[(String, String)],
) {
    let right = doc.width() - MARGIN;
    let cells = [
        number.to_string(),
        person.initials.clone(),
        person.surname.clone(),
        role_name(roles, &person.role).to_string(),
        person.big_number.clone(),
        person.registers_text(registers),
    ];
    let mut x = MARGIN;
    for ((_, width), text) in COLUMNS.iter().zip(cells) {
        // A register a line; at most two lines a cell; what would not fit is left to the
        // spreadsheet.
        let lines: Vec<String> = text
            .split("; ")
            .flat_map(|part| crate::pdf::wrap(part, SIZE, Weight::Regular, width - 6.0))
            .collect();
        let top = if lines.len() > 1 { y + 12.0 } else { y + 18.0 };
        for (i, line) in lines.iter().take(2).enumerate() {
            doc.text(x + 3.0, top + i as f32 * 11.0, SIZE, Weight::Regular, line);
        }
        doc.line((x, y), (x, y + ROW), 0.4);
        x += width;
    }
    // The signature box: the rest of the row.
    doc.rect(x, y, right - x, ROW, 0.8);
    doc.line((MARGIN, y + ROW), (x, y + ROW), 0.4);
}
