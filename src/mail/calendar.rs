//! The calendar file of a seat mail: which mails carry one, with which METHOD and SEQUENCE, and
//! the event itself, built from the seat as it is when the mail goes out. The UID is the seat's
//! own, so every later file replaces or withdraws the entry the first one made.

use chrono::{DateTime, Utc};

use super::ics::{self, Event, Method};
use super::message::Calendar;
use super::rows::SeatFacts;
use crate::outbox::MailKind;
use crate::signup::SeatStatus;

/// What the calendar file of a `kind` mail about `seat` asks of the calendar, if it has one. A
/// cancellation only withdraws an entry that a confirmation or promotion put there.
pub fn method(kind: MailKind, seat: &SeatFacts) -> Option<Method> {
    match kind {
        MailKind::SeatConfirmed | MailKind::SeatPromoted => Some(Method::Publish),
        MailKind::SessionChanged if seat.status == SeatStatus::Confirmed => Some(Method::Publish),
        MailKind::SeatCancelled | MailKind::SessionCancelled | MailKind::SeatMoved if seat.published => {
            Some(Method::Cancel)
        }
        _ => None,
    }
}

/// The SEQUENCE: the session's revision, which every change people are told of raises. A
/// person's own cancellation leaves the session's revision alone, so it counts one higher.
fn sequence(kind: MailKind, seat: &SeatFacts) -> u32 {
    match kind {
        MailKind::SeatCancelled | MailKind::SeatMoved => seat.revision + 1,
        _ => seat.revision,
    }
}

/// The `.ics` for a `kind` mail about `seat`; `page` is the seat's own page and `domain` the
/// sender's, which makes the UID unique beyond this installation.
pub fn for_seat(
    kind: MailKind,
    seat: &SeatFacts,
    page: &str,
    domain: &str,
    now: DateTime<Utc>,
) -> Option<Calendar> {
    let method = method(kind, seat)?;
    let uid = format!("seat-{}@{domain}", seat.id);
    let mut description = Vec::new();
    if !seat.leader.is_empty() {
        description.push(format!("Gespreksleider: {}", seat.leader));
    }
    if !seat.online_url.is_empty() {
        description.push(format!("Online: {}", seat.online_url));
    }
    if method == Method::Publish {
        description.push(format!("Uw aanmelding bekijken of afmelden: {page}"));
    }
    let location = if seat.place.is_empty() { &seat.online_url } else { &seat.place };
    let url = if seat.online_url.is_empty() { page } else { &seat.online_url };
    let event = Event {
        uid: &uid,
        sequence: sequence(kind, seat),
        summary: &seat.session,
        description: &description.join("\n"),
        location,
        url: Some(url),
        starts: seat.starts_at,
        ends: seat.ends_at,
        stamp: now,
    };
    Some(Calendar { method, text: ics::calendar(&event, method) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signup::SeatId;

    fn seat(status: SeatStatus, published: bool) -> SeatFacts {
        let starts = chrono::TimeZone::with_ymd_and_hms(&Utc, 2027, 3, 9, 12, 30, 0).unwrap();
        SeatFacts {
            id: SeatId(12),
            status,
            position: None,
            session: "Intervisie West".into(),
            starts_at: starts,
            ends_at: starts + chrono::Duration::hours(2),
            place: "Huisartsenpost West".into(),
            online_url: String::new(),
            leader: "K. de Graaf".into(),
            cancelled: false,
            revision: 3,
            cancel_until: starts,
            published,
        }
    }

    fn file(kind: MailKind, seat: &SeatFacts) -> Option<String> {
        for_seat(kind, seat, "https://peil.example.org/r/x/plaats/12", "example.org", seat.starts_at)
            .map(|c| c.text)
    }

    #[test]
    fn confirmations_promotions_and_changes_of_a_confirmed_seat_publish_at_the_sessions_revision() {
        let confirmed = seat(SeatStatus::Confirmed, true);
        for kind in [MailKind::SeatConfirmed, MailKind::SeatPromoted, MailKind::SessionChanged] {
            let text = file(kind, &confirmed).expect("a calendar file");
            assert!(text.contains("METHOD:PUBLISH\r\n"), "{kind:?}");
            assert!(
                text.contains("UID:seat-12@example.org\r\n") && text.contains("SEQUENCE:3\r\n"),
                "{kind:?}"
            );
            assert!(text.contains("DTSTART;TZID=Europe/Amsterdam:20270309T133000\r\n"), "{text}");
        }
    }

    #[test]
    fn a_change_for_someone_on_the_waiting_list_and_the_waiting_mail_itself_carry_no_file() {
        let waiting = seat(SeatStatus::Waiting, false);
        assert_eq!(file(MailKind::SessionChanged, &waiting), None);
        assert_eq!(file(MailKind::SeatWaiting, &waiting), None);
        assert_eq!(file(MailKind::SessionReminder, &seat(SeatStatus::Confirmed, true)), None);
    }

    #[test]
    fn a_persons_own_cancellation_counts_one_past_the_revision_and_a_session_cancellation_does_not() {
        let cancelled = seat(SeatStatus::Cancelled, true);
        let own = file(MailKind::SeatCancelled, &cancelled).expect("a calendar file");
        assert!(own.contains("METHOD:CANCEL\r\n") && own.contains("SEQUENCE:4\r\n"), "{own}");
        let session = file(MailKind::SessionCancelled, &cancelled).expect("a calendar file");
        assert!(session.contains("METHOD:CANCEL\r\n") && session.contains("SEQUENCE:3\r\n"), "{session}");
        assert!(session.contains("UID:seat-12@example.org\r\n"));
    }

    #[test]
    fn a_cancellation_withdraws_nothing_when_no_entry_was_ever_sent() {
        let never_published = seat(SeatStatus::Cancelled, false);
        assert_eq!(file(MailKind::SeatCancelled, &never_published), None);
        assert_eq!(file(MailKind::SessionCancelled, &never_published), None);
    }
}
