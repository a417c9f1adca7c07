//! iCalendar (RFC 5545) files for sign-up seats.
//!
//! One function turns one seat into a complete `.ics` text: a calendar holding a Europe/Amsterdam
//! time-zone definition and a single event. Times are written as Amsterdam wall-clock times so a
//! calendar shows "13:30" on both sides of a daylight-saving change. Everything that came from a
//! person (titles, descriptions, places) is escaped here, so a hostile title cannot add a property
//! line of its own. Lines are folded at 75 octets without splitting a UTF-8 character.
//!
//! The module only writes text; choosing what a seat's mail carries is `calendar`'s business and
//! the e-mail's `method=` parameter (see [`Method::as_str`]) is `message`'s.

use chrono::{DateTime, LocalResult, TimeZone, Utc};
use chrono_tz::Europe::Amsterdam;

const TZID: &str = "Europe/Amsterdam";

/// The longest line RFC 5545 allows, in octets, not counting the CRLF.
const MAX_LINE_OCTETS: usize = 75;

/// The EU rules in force since 1996: summer time from the last Sunday of March 02:00 (CET) to the
/// last Sunday of October 03:00 (CEST). Each `DTSTART` is the first such change under that rule.
const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Europe/Amsterdam",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19810329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
];

/// What the receiving calendar should do with the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A new or changed seat: add the event, or replace the one with the same UID.
    Publish,
    /// The seat or the whole session is cancelled: the event is marked cancelled.
    Cancel,
}

impl Method {
    /// The iTIP method name, also needed for the `method=` parameter of a `text/calendar` e-mail part.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Cancel => "CANCEL",
        }
    }

    fn status(self) -> &'static str {
        match self {
            Method::Publish => "CONFIRMED",
            Method::Cancel => "CANCELLED",
        }
    }
}

/// One seat in one session, as it should appear in the participant's calendar.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    /// Stable per seat (e.g. `seat-42@peil.example.org`): an update or cancellation with the same
    /// UID replaces the calendar entry.
    pub uid: &'a str,
    /// Raised on each change, so clients know which version is newest.
    pub sequence: u32,
    pub summary: &'a str,
    /// May hold newlines; may be empty, then no `DESCRIPTION` line is written.
    pub description: &'a str,
    /// May be empty: then no `LOCATION` line is written.
    pub location: &'a str,
    /// For example an online meeting link.
    pub url: Option<&'a str>,
    pub starts: DateTime<Utc>,
    pub ends: DateTime<Utc>,
    /// When this version of the file was made (`DTSTAMP`).
    pub stamp: DateTime<Utc>,
}

/// The complete iCalendar text for one event, lines ending in CRLF.
pub fn calendar(event: &Event<'_>, method: Method) -> String {
    let mut out = Lines::default();
    out.push("BEGIN:VCALENDAR");
    out.push("VERSION:2.0");
    out.push("PRODID:-//peil//peil//NL");
    out.push("CALSCALE:GREGORIAN");
    out.push(&format!("METHOD:{}", method.as_str()));
    for line in VTIMEZONE {
        out.push(line);
    }
    out.push("BEGIN:VEVENT");
    out.push(&format!("UID:{}", escape_text(event.uid)));
    out.push(&format!("DTSTAMP:{}", utc_stamp(event.stamp)));
    out.push(&format!("SEQUENCE:{}", event.sequence));
    out.push(&date_time("DTSTART", event.starts));
    out.push(&date_time("DTEND", event.ends));
    out.push(&format!("SUMMARY:{}", escape_text(event.summary)));
    if !event.description.is_empty() {
        out.push(&format!("DESCRIPTION:{}", escape_text(event.description)));
    }
    if !event.location.is_empty() {
        out.push(&format!("LOCATION:{}", escape_text(event.location)));
    }
    if let Some(url) = event.url.map(clean_uri).filter(|url| !url.is_empty()) {
        out.push(&format!("URL:{url}"));
    }
    out.push(&format!("STATUS:{}", method.status()));
    out.push("END:VEVENT");
    out.push("END:VCALENDAR");
    out.0
}

/// A property with a date-time value, in Amsterdam wall-clock time where that is unambiguous.
///
/// In the repeated hour at the end of October a wall-clock time means its first occurrence
/// (RFC 5545, 3.3.5), so an instant in the second occurrence is written in UTC instead.
fn date_time(name: &str, instant: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&Amsterdam);
    let wall_clock = local.naive_local();
    let means_this_instant = match Amsterdam.from_local_datetime(&wall_clock) {
        LocalResult::Single(only) => only == local,
        LocalResult::Ambiguous(first, _) => first == local,
        LocalResult::None => false,
    };
    if means_this_instant {
        format!("{name};TZID={TZID}:{}", wall_clock.format("%Y%m%dT%H%M%S"))
    } else {
        format!("{name}:{}", utc_stamp(instant))
    }
}

fn utc_stamp(instant: DateTime<Utc>) -> String {
    instant.format("%Y%m%dT%H%M%SZ").to_string()
}

/// Escapes a TEXT value (RFC 5545, 3.3.11).
///
/// Every line break (CRLF, LF or a lone CR) becomes `\n`, a tab becomes a space, and other control
/// characters are dropped: none of them can then end the content line early.
fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("\\n");
                }
            }
            '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A URI value is not escaped like text; it only loses characters that could break the line.
fn clean_uri(uri: &str) -> String {
    uri.chars().filter(|c| !c.is_control()).collect::<String>().trim().to_owned()
}

/// Content lines, each folded and ended with CRLF.
#[derive(Default)]
struct Lines(String);

impl Lines {
    /// Appends one content line, folding it so that no physical line exceeds 75 octets.
    /// Folds fall on character boundaries; each continuation starts with one space.
    fn push(&mut self, line: &str) {
        let mut room = MAX_LINE_OCTETS;
        let mut start = 0;
        for (at, c) in line.char_indices() {
            if at - start + c.len_utf8() > room {
                self.0.push_str(&line[start..at]);
                self.0.push_str("\r\n ");
                start = at;
                room = MAX_LINE_OCTETS - 1;
            }
        }
        self.0.push_str(&line[start..]);
        self.0.push_str("\r\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, Weekday};
    use icalendar::parser::{Component, Property, read_calendar, unfold};

    fn amsterdam(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Amsterdam.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap().with_timezone(&Utc)
    }

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0).single().unwrap()
    }

    fn session(starts: DateTime<Utc>, ends: DateTime<Utc>) -> Event<'static> {
        Event {
            uid: "seat-42@peil.example.org",
            sequence: 0,
            summary: "FTO Farmacotherapie",
            description: "Neem je eigen casus mee.",
            location: "Huisartsenpost West, Zaal 2",
            url: None,
            starts,
            ends,
            stamp: utc(2027, 3, 1, 9, 15),
        }
    }

    /// Unfolds and parses with the icalendar crate, then hands out the only VEVENT and VTIMEZONE.
    fn with_parsed<T>(ics: &str, check: impl FnOnce(&Component<'_>, &Component<'_>) -> T) -> T {
        let unfolded = unfold(ics);
        let parsed = read_calendar(&unfolded).unwrap();
        let only = |name: &str| {
            let found: Vec<_> = parsed.components.iter().filter(|c| c.name == name).collect();
            assert_eq!(found.len(), 1, "exactly one {name}");
            found[0]
        };
        check(only("VEVENT"), only("VTIMEZONE"))
    }

    fn value<'c>(component: &'c Component<'_>, name: &str) -> &'c str {
        component.find_prop(name).unwrap_or_else(|| panic!("{name} is missing")).val.as_str()
    }

    fn tzid(property: &Property<'_>) -> Option<String> {
        property.params.iter().find(|p| p.key == "TZID").and_then(|p| p.val.as_ref()).map(|v| v.to_string())
    }

    /// Reads a `DTSTART`/`DTEND` back as the wall-clock time it states and the instant it means.
    fn read_back(event: &Component<'_>, name: &str) -> (String, DateTime<Utc>) {
        let property = event.find_prop(name).unwrap();
        assert_eq!(tzid(property).as_deref(), Some("Europe/Amsterdam"), "{name} has the Amsterdam TZID");
        let wall_clock = NaiveDateTime::parse_from_str(property.val.as_str(), "%Y%m%dT%H%M%S").unwrap();
        let instant = Amsterdam.from_local_datetime(&wall_clock).single().unwrap().with_timezone(&Utc);
        (wall_clock.format("%Y-%m-%d %H:%M").to_string(), instant)
    }

    fn assert_reads_back(starts_local: &str, ends_local: &str, starts: DateTime<Utc>, ends: DateTime<Utc>) {
        let ics = calendar(&session(starts, ends), Method::Publish);
        with_parsed(&ics, |event, _| {
            assert_eq!(read_back(event, "DTSTART"), (starts_local.to_owned(), starts));
            assert_eq!(read_back(event, "DTEND"), (ends_local.to_owned(), ends));
        });
    }

    #[test]
    fn afternoon_sessions_either_side_of_the_march_change_read_back_as_half_past_one_amsterdam_time() {
        let before = amsterdam(2027, 3, 23, 13, 30);
        assert_eq!(before, utc(2027, 3, 23, 12, 30));
        assert_reads_back("2027-03-23 13:30", "2027-03-23 15:30", before, amsterdam(2027, 3, 23, 15, 30));

        let after = amsterdam(2027, 4, 6, 13, 30);
        assert_eq!(after, utc(2027, 4, 6, 11, 30));
        assert_reads_back("2027-04-06 13:30", "2027-04-06 15:30", after, amsterdam(2027, 4, 6, 15, 30));
    }

    #[test]
    fn afternoon_sessions_either_side_of_the_october_change_read_back_as_half_past_one_amsterdam_time() {
        let before = amsterdam(2027, 10, 26, 13, 30);
        assert_eq!(before, utc(2027, 10, 26, 11, 30));
        assert_reads_back("2027-10-26 13:30", "2027-10-26 15:30", before, amsterdam(2027, 10, 26, 15, 30));

        let on_the_day = amsterdam(2027, 10, 31, 13, 30);
        assert_eq!(on_the_day, utc(2027, 10, 31, 12, 30));
        assert_reads_back(
            "2027-10-31 13:30",
            "2027-10-31 15:30",
            on_the_day,
            amsterdam(2027, 10, 31, 15, 30),
        );
    }

    #[test]
    fn the_second_half_past_two_of_the_october_night_is_written_in_utc_because_wall_clock_time_means_the_first()
     {
        let first = utc(2027, 10, 31, 0, 30);
        let second = utc(2027, 10, 31, 1, 30);
        let ics = calendar(&session(first, second), Method::Publish);
        assert!(ics.contains("\r\nDTSTART;TZID=Europe/Amsterdam:20271031T023000\r\n"));
        assert!(ics.contains("\r\nDTEND:20271031T013000Z\r\n"));
    }

    #[test]
    fn the_time_zone_component_states_cet_and_cest_with_the_eu_rules() {
        let ics = calendar(&session(utc(2027, 3, 23, 12, 30), utc(2027, 3, 23, 14, 30)), Method::Publish);
        with_parsed(&ics, |_, zone| {
            assert_eq!(value(zone, "TZID"), "Europe/Amsterdam");
            let part = |name: &str| zone.components.iter().find(|c| c.name == name).unwrap();
            let standard = part("STANDARD");
            assert_eq!(value(standard, "TZNAME"), "CET");
            assert_eq!(value(standard, "TZOFFSETFROM"), "+0200");
            assert_eq!(value(standard, "TZOFFSETTO"), "+0100");
            assert_eq!(value(standard, "RRULE"), "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU");
            assert!(value(standard, "DTSTART").ends_with("T030000"));
            let daylight = part("DAYLIGHT");
            assert_eq!(value(daylight, "TZNAME"), "CEST");
            assert_eq!(value(daylight, "TZOFFSETFROM"), "+0100");
            assert_eq!(value(daylight, "TZOFFSETTO"), "+0200");
            assert_eq!(value(daylight, "RRULE"), "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU");
            assert!(value(daylight, "DTSTART").ends_with("T020000"));
        });
    }

    fn last_sunday(year: i32, month: u32) -> NaiveDate {
        let mut day = NaiveDate::from_ymd_opt(year, month + 1, 1).unwrap().pred_opt().unwrap();
        while day.weekday() != Weekday::Sun {
            day = day.pred_opt().unwrap();
        }
        day
    }

    #[test]
    fn the_written_rules_agree_with_the_time_zone_database_for_decades() {
        let offset_hours = |instant: DateTime<Utc>| {
            use chrono::Offset;
            instant.with_timezone(&Amsterdam).offset().fix().local_minus_utc() / 3600
        };
        for year in 1997..2060 {
            for (month, before, after) in [(3, 1, 2), (10, 2, 1)] {
                // Both changes happen at 01:00 UTC: 02:00 CET in March, 03:00 CEST in October.
                let change = last_sunday(year, month).and_hms_opt(1, 0, 0).unwrap().and_utc();
                assert_eq!(offset_hours(change - Duration::seconds(1)), before, "{year}-{month}");
                assert_eq!(offset_hours(change), after, "{year}-{month}");
            }
        }
        assert_eq!(last_sunday(1981, 3), NaiveDate::from_ymd_opt(1981, 3, 29).unwrap());
        assert_eq!(last_sunday(1996, 10), NaiveDate::from_ymd_opt(1996, 10, 27).unwrap());
    }

    #[test]
    fn calendar_and_event_carry_the_fixed_properties_and_a_utc_stamp() {
        let ics = calendar(&session(utc(2027, 3, 23, 12, 30), utc(2027, 3, 23, 14, 30)), Method::Publish);
        let parsed_unfolded = unfold(&ics);
        let parsed = read_calendar(&parsed_unfolded).unwrap();
        let calendar_value =
            |name: &str| parsed.properties.iter().find(|p| p.name == name).unwrap().val.as_str();
        assert_eq!(calendar_value("VERSION"), "2.0");
        assert_eq!(calendar_value("PRODID"), "-//peil//peil//NL");
        assert_eq!(calendar_value("CALSCALE"), "GREGORIAN");
        assert_eq!(calendar_value("METHOD"), "PUBLISH");
        with_parsed(&ics, |event, _| {
            assert_eq!(value(event, "DTSTAMP"), "20270301T091500Z");
            assert_eq!(value(event, "STATUS"), "CONFIRMED");
            assert_eq!(value(event, "UID"), "seat-42@peil.example.org");
            assert_eq!(value(event, "SEQUENCE"), "0");
            assert_eq!(value(event, "LOCATION"), "Huisartsenpost West, Zaal 2");
        });
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    }

    #[test]
    fn hostile_text_survives_the_round_trip_as_the_same_text_without_adding_a_property() {
        let summary = "x\r\nATTENDEE:evil";
        let description = "a;b,c\\d\\n\nregel 2\r\nEND:VEVENT\rBEGIN:VEVENT\u{7}\u{0}";
        let location = "Zaal 1; 2e verdieping, \"achter\"\\";
        let url = "https://meet.example.org/abc?x=1;y=2\r\nATTENDEE:evil";
        let ics = calendar(
            &Event { summary, description, location, url: Some(url), ..session_now() },
            Method::Publish,
        );

        with_parsed(&ics, |event, _| {
            assert_eq!(value(event, "SUMMARY"), "x\nATTENDEE:evil");
            assert_eq!(value(event, "DESCRIPTION"), "a;b,c\\d\\n\nregel 2\nEND:VEVENT\nBEGIN:VEVENT");
            assert_eq!(value(event, "LOCATION"), location);
            assert_eq!(value(event, "URL"), "https://meet.example.org/abc?x=1;y=2ATTENDEE:evil");
            let names: Vec<&str> = event.properties.iter().map(|p| p.name.as_str()).collect();
            let expected = [
                "UID",
                "DTSTAMP",
                "SEQUENCE",
                "DTSTART",
                "DTEND",
                "SUMMARY",
                "DESCRIPTION",
                "LOCATION",
                "URL",
                "STATUS",
            ];
            assert_eq!(names, expected);
            assert!(event.components.is_empty());
        });
        let physical_lines: Vec<&str> = ics.split("\r\n").collect();
        assert!(!physical_lines.iter().any(|line| line.starts_with("ATTENDEE") || line.contains('\r')));
        assert!(!ics.replace("\r\n", "").contains('\n'), "no bare line feed");
    }

    fn session_now() -> Event<'static> {
        session(utc(2027, 3, 23, 12, 30), utc(2027, 3, 23, 14, 30))
    }

    #[test]
    fn an_empty_location_and_no_url_leave_their_lines_out() {
        let ics = calendar(&Event { location: "", url: None, ..session_now() }, Method::Publish);
        assert!(!ics.contains("LOCATION"));
        assert!(!ics.contains("URL"));
    }

    #[test]
    fn a_long_multibyte_description_folds_into_short_valid_lines_that_unfold_to_the_same_text() {
        let description: String =
            "Intervisie — één casus, geëvalueerd; ".chars().cycle().take(300).collect::<String>();
        assert_eq!(description.chars().count(), 300);
        let ics = calendar(&Event { description: &description, ..session_now() }, Method::Publish);

        let body = ics.as_bytes().strip_suffix(b"\n").expect("the file ends with a line break");
        let lines: Vec<&[u8]> = body.split(|&b| b == b'\n').collect();
        assert!(lines.len() > 10);
        for line in &lines {
            let line = line.strip_suffix(b"\r").expect("every line ends in CRLF");
            assert!(line.len() <= 75, "{} octets: {:?}", line.len(), String::from_utf8_lossy(line));
            assert!(std::str::from_utf8(line).is_ok(), "a line is valid UTF-8 by itself");
        }
        assert!(
            lines.iter().filter(|line| line.starts_with(b" ")).count() >= 4,
            "the description was folded"
        );
        with_parsed(&ics, |event, _| assert_eq!(value(event, "DESCRIPTION"), description));
    }

    #[test]
    fn folding_keeps_a_line_of_exactly_75_octets_whole_and_folds_the_76th() {
        let mut lines = Lines::default();
        lines.push(&"a".repeat(75));
        lines.push(&"b".repeat(76));
        lines.push(&format!("{}é", "c".repeat(74)));
        let expected =
            format!("{}\r\n{}\r\n b\r\n{}\r\n é\r\n", "a".repeat(75), "b".repeat(75), "c".repeat(74));
        assert_eq!(lines.0, expected);
    }

    #[test]
    fn a_cancellation_says_cancel_and_cancelled_with_the_same_uid_and_the_given_sequence() {
        let cancelled = Event { sequence: 3, ..session_now() };
        let ics = calendar(&cancelled, Method::Cancel);
        assert!(ics.contains("\r\nMETHOD:CANCEL\r\n"));
        with_parsed(&ics, |event, _| {
            assert_eq!(value(event, "UID"), session_now().uid);
            assert_eq!(value(event, "SEQUENCE"), "3");
            assert_eq!(value(event, "STATUS"), "CANCELLED");
        });
        assert_eq!(Method::Cancel.as_str(), "CANCEL");
    }
}
