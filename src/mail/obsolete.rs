//! Whether a claimed outbox row should still be sent, judged at send time rather than when it
//! was queued. Invitations and reminders stop with an opt-out; mails a person asked for by
//! registering or taking a seat do not, but they stop once a later event tells the story better
//! (a cancellation after a confirmation, a promotion after a waiting-list place).

use chrono::{DateTime, Utc};

use super::rows::Details;
use crate::outbox::MailKind;
use crate::signup::SeatStatus;

/// Why a `kind` mail with `details` should no longer be sent, if so.
pub fn obsolete(kind: MailKind, details: &Details, now: DateTime<Utc>) -> Option<&'static str> {
    if kind.follows_opt_out() && details.opted_out {
        return Some("the contact opted out");
    }
    match kind {
        MailKind::Invitation | MailKind::Reminder | MailKind::Registration if details.closes_at <= now => {
            Some("the round has closed")
        }
        MailKind::Invitation | MailKind::Reminder | MailKind::Registration if details.answered => {
            Some("already answered")
        }
        _ if kind.is_about_a_seat() => seat_obsolete(kind, details, now),
        _ => None,
    }
}

fn seat_obsolete(kind: MailKind, details: &Details, now: DateTime<Utc>) -> Option<&'static str> {
    let seat = details.seat.as_ref()?;
    match kind {
        MailKind::SessionReminder if seat.status != SeatStatus::Confirmed => {
            Some("the seat is no longer confirmed")
        }
        MailKind::SessionReminder if seat.cancelled => Some("the session was cancelled"),
        MailKind::SessionReminder if seat.starts_at <= now => Some("the session has started"),
        MailKind::SeatConfirmed
        | MailKind::SeatPromoted
        | MailKind::SessionChanged
        | MailKind::SessionNotice
            if seat.status == SeatStatus::Cancelled =>
        {
            Some("the seat was cancelled since")
        }
        MailKind::SeatWaiting if seat.status != SeatStatus::Waiting => Some("the seat is no longer waiting"),
        MailKind::SeatConfirmed
        | MailKind::SeatPromoted
        | MailKind::SessionChanged
        | MailKind::SeatWaiting
        | MailKind::SessionNotice
            if seat.ends_at <= now =>
        {
            Some("the session is over")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mail::rows::SeatFacts;
    use crate::signup::SeatId;

    fn now() -> DateTime<Utc> {
        chrono::TimeZone::with_ymd_and_hms(&Utc, 2027, 3, 1, 9, 0, 0).unwrap()
    }

    fn details(opted_out: bool, status: Option<SeatStatus>) -> Details {
        let starts = now() + chrono::Duration::days(8);
        Details {
            name: "Anna".into(),
            email: "anna@example.org".into(),
            opted_out,
            answered: status.is_some(),
            nonce: "n".into(),
            title: "Intervisie".into(),
            form_id: "intervisie".into(),
            closes_at: now() + chrono::Duration::days(7),
            anonymous: false,
            signup: true,
            job_id: None,
            seat: status.map(|status| SeatFacts {
                id: SeatId(1),
                status,
                position: None,
                session: "Intervisie West".into(),
                starts_at: starts,
                ends_at: starts + chrono::Duration::hours(2),
                place: String::new(),
                online_url: String::new(),
                leader: String::new(),
                cancelled: status == SeatStatus::Cancelled,
                revision: 0,
                cancel_until: starts,
                published: true,
            }),
            notice: None,
        }
    }

    #[test]
    fn an_opt_out_stops_invitations_and_reminders_but_not_the_mails_about_a_seat() {
        let opted_out = details(true, None);
        assert_eq!(obsolete(MailKind::Invitation, &opted_out, now()), Some("the contact opted out"));
        assert_eq!(obsolete(MailKind::Reminder, &opted_out, now()), Some("the contact opted out"));
        let with_seat = details(true, Some(SeatStatus::Confirmed));
        for kind in [MailKind::SeatConfirmed, MailKind::SessionChanged, MailKind::SessionReminder] {
            assert_eq!(obsolete(kind, &with_seat, now()), None, "{kind:?}");
        }
        let cancelled = details(true, Some(SeatStatus::Cancelled));
        assert_eq!(obsolete(MailKind::SeatCancelled, &cancelled, now()), None);
    }

    #[test]
    fn a_registration_survives_an_opt_out_but_not_the_rounds_closing_or_an_answer() {
        let mut registered = details(true, None);
        assert_eq!(obsolete(MailKind::Registration, &registered, now()), None);
        registered.answered = true;
        assert_eq!(obsolete(MailKind::Registration, &registered, now()), Some("already answered"));
        let later = now() + chrono::Duration::days(8);
        assert_eq!(obsolete(MailKind::Registration, &registered, later), Some("the round has closed"));
    }

    #[test]
    fn a_confirmation_promotion_or_change_is_dropped_once_the_seat_is_cancelled() {
        let cancelled = details(false, Some(SeatStatus::Cancelled));
        for kind in [MailKind::SeatConfirmed, MailKind::SeatPromoted, MailKind::SessionChanged] {
            assert_eq!(obsolete(kind, &cancelled, now()), Some("the seat was cancelled since"), "{kind:?}");
        }
        assert_eq!(obsolete(MailKind::SessionCancelled, &cancelled, now()), None);
    }

    #[test]
    fn a_waiting_list_mail_is_dropped_once_the_seat_is_no_longer_waiting() {
        let promoted = details(false, Some(SeatStatus::Confirmed));
        assert_eq!(obsolete(MailKind::SeatWaiting, &promoted, now()), Some("the seat is no longer waiting"));
        assert_eq!(obsolete(MailKind::SeatWaiting, &details(false, Some(SeatStatus::Waiting)), now()), None);
    }

    #[test]
    fn a_session_reminder_needs_a_confirmed_seat_in_a_session_yet_to_start() {
        let confirmed = details(false, Some(SeatStatus::Confirmed));
        assert_eq!(obsolete(MailKind::SessionReminder, &confirmed, now()), None);
        let started = now() + chrono::Duration::days(8);
        assert_eq!(obsolete(MailKind::SessionReminder, &confirmed, started), Some("the session has started"));
        let waiting = details(false, Some(SeatStatus::Waiting));
        assert_eq!(
            obsolete(MailKind::SessionReminder, &waiting, now()),
            Some("the seat is no longer confirmed")
        );
        let mut cancelled_session = details(false, Some(SeatStatus::Confirmed));
        if let Some(seat) = &mut cancelled_session.seat {
            seat.cancelled = true;
        }
        assert_eq!(
            obsolete(MailKind::SessionReminder, &cancelled_session, now()),
            Some("the session was cancelled")
        );
    }
}
