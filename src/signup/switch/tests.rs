//! What a person's link offers, from what they hold: the rules of `offered` without a database.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::{Held, Terms, offered};
use crate::rounds::RoundId;
use crate::signup::{SeatId, SeatStatus, Session, SessionId};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap()
}

/// Session `id`, `days` from now, with `taken` of 2 seats taken.
fn session(id: i64, days: i64, taken: u32) -> Session {
    Session {
        id: SessionId(id),
        round: RoundId(1),
        code: format!("s{id}"),
        title: format!("Groep {id}"),
        starts_at: now() + Duration::days(days),
        ends_at: now() + Duration::days(days) + Duration::hours(2),
        place: String::new(),
        online_url: String::new(),
        leader: String::new(),
        activity_id: String::new(),
        capacity: 2,
        taken,
        waiting: 0,
        cancelled: false,
        revision: 0,
    }
}

fn held(seat: i64, session: i64, status: SeatStatus) -> Held {
    Held { seat: SeatId(seat), session: SessionId(session), status }
}

fn terms(per_person: u32) -> Terms {
    Terms { cancel_until: Duration::hours(48), per_person }
}

fn codes(offers: &[super::Offer]) -> Vec<&str> {
    offers.iter().map(|o| o.session.code.as_str()).collect()
}

#[test]
fn without_a_seat_every_session_still_open_to_choose_is_offered_and_none_past_its_deadline() {
    let mut cancelled = session(3, 10, 0);
    cancelled.cancelled = true;
    let sessions = [session(1, 1, 0), session(2, 10, 2), cancelled, session(4, 12, 1)];
    let offers = offered(&sessions, &[], terms(1), now());
    assert_eq!(codes(&offers), ["s2", "s4"], "s1 starts within the 48 hours, s3 is cancelled");
    assert!(offers.iter().all(|o| o.join && o.switch_from.is_empty()));
}

#[test]
fn one_meeting_a_month_a_confirmed_seat_is_offered_nothing_more() {
    let sessions = [session(1, 10, 1), session(2, 11, 0)];
    let offers = offered(&sessions, &[held(7, 1, SeatStatus::Confirmed)], terms(1), now());
    assert!(offers.is_empty());
}

#[test]
fn one_meeting_a_month_a_waiting_person_may_switch_to_a_seat_or_join_a_second_waiting_list() {
    let sessions = [session(1, 10, 2), session(2, 11, 0), session(3, 12, 2)];
    let offers = offered(&sessions, &[held(7, 1, SeatStatus::Waiting)], terms(1), now());
    assert_eq!(codes(&offers), ["s2", "s3"]);
    assert_eq!(offers[0].switch_from.iter().map(|(seat, _)| *seat).collect::<Vec<_>>(), [SeatId(7)]);
    assert!(!offers[0].join, "a seat beside the waiting place would only end that place later");
    assert!(offers[1].switch_from.is_empty() && offers[1].join, "a second waiting list");
}

#[test]
fn several_evenings_a_person_with_room_left_may_take_more_and_keep_a_waiting_place() {
    let sessions = [session(1, 10, 1), session(2, 11, 2), session(3, 12, 0)];
    let mine = [held(7, 1, SeatStatus::Confirmed), held(8, 2, SeatStatus::Waiting)];
    let offers = offered(&sessions, &mine, terms(3), now());
    assert_eq!(codes(&offers), ["s3"]);
    assert!(offers[0].join && offers[0].switch_from.len() == 1, "take it beside, or switch to it");
    let full = [held(7, 1, SeatStatus::Confirmed), held(9, 3, SeatStatus::Confirmed)];
    assert!(offered(&sessions, &full, terms(2), now()).is_empty(), "two of two taken");
}
