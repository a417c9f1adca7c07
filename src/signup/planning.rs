//! A coordinator's plan for the sessions of a sign-up round: adding a session and changing one,
//! with the rules that hold for both (a sign-up round that still takes sign-ups, a title, a
//! start not yet passed, a place or an online link, a new day for a session past midnight only
//! with new times). `peil session` parses arguments and prints; the coordinator's web pages are
//! to call the same two functions, so both refuse the same things. What the rows do (seats,
//! revisions, mails) stays in `sessions`.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;

use super::sessions::{self, NewSession, Session, SessionChange};
use super::{SessionId, SignupError};
use crate::db::Db;
use crate::forms::FormKind;
use crate::rounds::{self, RoundId, RoundsError};
use crate::time::TimeSpan;

/// A room or group larger than this is a typo (in job files and on the command line alike).
pub const MOST_SEATS: u32 = 2000;

/// A session a coordinator adds; text fields as typed, trimmed here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionPlan {
    pub title: String,
    pub date: NaiveDate,
    /// Amsterdam wall-clock time, as people entered it.
    pub span: TimeSpan,
    pub place: String,
    pub online_url: String,
    pub leader: String,
    pub activity_id: String,
    pub capacity: u32,
}

/// What a coordinator asks to change; `None` leaves a field as it is. A new `date` keeps the
/// session's own times unless `span` is given too.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionEdit {
    pub title: Option<String>,
    pub date: Option<NaiveDate>,
    pub span: Option<TimeSpan>,
    pub place: Option<String>,
    pub online_url: Option<String>,
    pub leader: Option<String>,
    pub capacity: Option<u32>,
}

/// Worded for the command line, today the only caller.
#[derive(Debug, thiserror::Error)]
pub enum PlanningError {
    #[error("round {0} is a survey, not a sign-up; it has no sessions")]
    NotASignup(RoundId),
    #[error("round {round} closed on {}; nobody can sign up any more", crate::time::dutch(*.closed_at))]
    Closed { round: RoundId, closed_at: DateTime<Utc> },
    #[error("a session needs a --title")]
    NoTitle,
    #[error("a session needs a title; --title cannot be empty")]
    EmptyTitle,
    #[error("{} has already begun; give a later --date or --time", crate::time::dutch(*.0))]
    AlreadyBegun(DateTime<Utc>),
    #[error("a session needs a place or an online link (or both)")]
    NoPlace,
    #[error("a session has from 1 to {MOST_SEATS} seats, not {0}")]
    Seats(u32),
    #[error("this session runs past midnight; give --time with --date")]
    PastMidnight,
    #[error(
        "nothing to change; give one or more of --title, --date, --time, --place, --online, --leader, --capacity"
    )]
    NothingToChange,
    #[error(transparent)]
    Rounds(#[from] RoundsError),
    #[error(transparent)]
    Signup(#[from] SignupError),
}

/// Adds a session to an open sign-up round, with the next free code (`s1`, `s2`, ...).
pub async fn add_session(
    db: &Db,
    round: RoundId,
    plan: &SessionPlan,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<Session, PlanningError> {
    let loaded = rounds::load(db.read(), round).await?;
    if loaded.form.kind != FormKind::Signup {
        return Err(PlanningError::NotASignup(round));
    }
    if loaded.closes_at <= now {
        return Err(PlanningError::Closed { round, closed_at: loaded.closes_at });
    }
    let new = new_session(plan, &sessions::of_round(db.read(), round).await?, now)?;
    let id = sessions::add(db, round, &new, now, actor).await?;
    Ok(sessions::get(db.read(), id).await?)
}

/// Changes a session and returns it as it was and as it is now.
pub async fn change_session(
    db: &Db,
    id: SessionId,
    edit: &SessionEdit,
    now: DateTime<Utc>,
    actor: Option<&str>,
) -> Result<(Session, Session), PlanningError> {
    let before = sessions::get(db.read(), id).await?;
    let wanted = session_change(&before, edit, now)?;
    let after = sessions::change(db, id, &wanted, now, actor).await?;
    Ok((before, after))
}

fn new_session(
    plan: &SessionPlan,
    existing: &[Session],
    now: DateTime<Utc>,
) -> Result<NewSession, PlanningError> {
    let title = plan.title.trim().to_string();
    if title.is_empty() {
        return Err(PlanningError::NoTitle);
    }
    let (starts_at, ends_at) = moments(plan.date, plan.span);
    if starts_at <= now {
        return Err(PlanningError::AlreadyBegun(starts_at));
    }
    let (place, online_url) = (plan.place.trim().to_string(), plan.online_url.trim().to_string());
    if place.is_empty() && online_url.is_empty() {
        return Err(PlanningError::NoPlace);
    }
    Ok(NewSession {
        code: next_code(existing),
        title,
        starts_at,
        ends_at,
        place,
        online_url,
        leader: plan.leader.trim().to_string(),
        activity_id: plan.activity_id.trim().to_string(),
        capacity: seats(plan.capacity)?,
        // A session added by hand states no points; the job's sessions do.
        points: 0.0,
    })
}

/// What the edit asks to change, with a new day or time applied to the session's own.
fn session_change(
    before: &Session,
    edit: &SessionEdit,
    now: DateTime<Utc>,
) -> Result<SessionChange, PlanningError> {
    let (starts_at, ends_at) = if edit.date.is_some() || edit.span.is_some() {
        let (from, to) =
            (before.starts_at.with_timezone(&Amsterdam), before.ends_at.with_timezone(&Amsterdam));
        if from.date_naive() != to.date_naive() && edit.span.is_none() {
            return Err(PlanningError::PastMidnight);
        }
        let date = edit.date.unwrap_or(from.date_naive());
        let span = edit.span.unwrap_or(TimeSpan { starts: from.time(), ends: to.time() });
        let (starts, ends) = moments(date, span);
        (Some(starts), Some(ends))
    } else {
        (None, None)
    };
    let title = edit.title.as_ref().map(|t| t.trim().to_string());
    if title.as_ref().is_some_and(String::is_empty) {
        return Err(PlanningError::EmptyTitle);
    }
    let change = SessionChange {
        title,
        starts_at,
        ends_at,
        place: edit.place.as_ref().map(|p| p.trim().to_string()),
        online_url: edit.online_url.as_ref().map(|u| u.trim().to_string()),
        leader: edit.leader.as_ref().map(|l| l.trim().to_string()),
        capacity: edit.capacity.map(seats).transpose()?,
    };
    if change == SessionChange::default() {
        return Err(PlanningError::NothingToChange);
    }
    let place = change.place.as_deref().unwrap_or(&before.place);
    let online = change.online_url.as_deref().unwrap_or(&before.online_url);
    if place.trim().is_empty() && online.is_empty() {
        return Err(PlanningError::NoPlace);
    }
    if let Some(starts) = change.starts_at.filter(|s| *s != before.starts_at && *s <= now) {
        return Err(PlanningError::AlreadyBegun(starts));
    }
    Ok(change)
}

fn seats(capacity: u32) -> Result<u32, PlanningError> {
    if (1..=MOST_SEATS).contains(&capacity) { Ok(capacity) } else { Err(PlanningError::Seats(capacity)) }
}

/// The first `sN` after every `sN` code in the round.
fn next_code(existing: &[Session]) -> String {
    let highest = existing.iter().filter_map(|s| s.code.strip_prefix('s')?.parse::<u32>().ok()).max();
    format!("s{}", highest.unwrap_or(0) + 1)
}

/// A day and a span as moments; Amsterdam wall-clock time, as people entered it.
fn moments(date: NaiveDate, span: TimeSpan) -> (DateTime<Utc>, DateTime<Utc>) {
    (
        crate::time::from_amsterdam(date.and_time(span.starts)),
        crate::time::from_amsterdam(date.and_time(span.ends)),
    )
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, NaiveTime};

    use super::*;

    fn at(date: (i32, u32, u32), hm: (u32, u32)) -> DateTime<Utc> {
        let day = NaiveDate::from_ymd_opt(date.0, date.1, date.2).expect("a day");
        crate::time::from_amsterdam(day.and_hms_opt(hm.0, hm.1, 0).expect("a time"))
    }

    fn span(from: (u32, u32), to: (u32, u32)) -> TimeSpan {
        let t = |(h, m)| NaiveTime::from_hms_opt(h, m, 0).expect("a time");
        TimeSpan { starts: t(from), ends: t(to) }
    }

    fn session(code: &str, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> Session {
        Session {
            id: SessionId(1),
            round: RoundId(1),
            code: code.into(),
            title: "Intervisie".into(),
            starts_at,
            ends_at,
            place: "Wijkcentrum".into(),
            online_url: String::new(),
            leader: String::new(),
            activity_id: String::new(),
            capacity: 8,
            taken: 0,
            waiting: 0,
            cancelled: false,
            revision: 0,
        }
    }

    fn plan() -> SessionPlan {
        SessionPlan {
            title: " Intervisie West ".into(),
            date: NaiveDate::from_ymd_opt(2027, 3, 9).expect("a day"),
            span: span((13, 30), (15, 30)),
            place: " Wijkcentrum ".into(),
            online_url: String::new(),
            leader: String::new(),
            activity_id: String::new(),
            capacity: 8,
        }
    }

    #[test]
    fn a_new_session_gets_the_next_code_trimmed_text_and_amsterdam_times() {
        let existing = [
            session("s2", at((2027, 3, 1), (9, 0)), at((2027, 3, 1), (10, 0))),
            session("x", at((2027, 3, 1), (9, 0)), at((2027, 3, 1), (10, 0))),
        ];
        let new = new_session(&plan(), &existing, at((2027, 1, 1), (0, 0))).expect("valid");
        assert_eq!(
            (new.code.as_str(), new.title.as_str(), new.place.as_str()),
            ("s3", "Intervisie West", "Wijkcentrum")
        );
        assert_eq!((new.starts_at, new.ends_at), (at((2027, 3, 9), (13, 30)), at((2027, 3, 9), (15, 30))));
    }

    #[test]
    fn a_new_session_needs_a_title_a_later_start_a_place_and_sensible_seats() {
        let now = at((2027, 1, 1), (0, 0));
        let refused = |plan: SessionPlan| new_session(&plan, &[], now).expect_err("refused").to_string();
        assert_eq!(refused(SessionPlan { title: "  ".into(), ..plan() }), "a session needs a --title");
        let begun = new_session(&plan(), &[], at((2027, 3, 9), (13, 30))).expect_err("begun");
        assert!(matches!(begun, PlanningError::AlreadyBegun(t) if t == at((2027, 3, 9), (13, 30))));
        assert!(matches!(
            new_session(&SessionPlan { place: " ".into(), ..plan() }, &[], now),
            Err(PlanningError::NoPlace)
        ));
        for capacity in [0, MOST_SEATS + 1] {
            assert!(matches!(
                new_session(&SessionPlan { capacity, ..plan() }, &[], now),
                Err(PlanningError::Seats(c)) if c == capacity
            ));
        }
    }

    #[test]
    fn a_new_day_keeps_the_times_unless_the_session_runs_past_midnight() {
        let before = session("s1", at((2027, 3, 9), (13, 30)), at((2027, 3, 9), (15, 30)));
        let now = at((2027, 1, 1), (0, 0));
        let date = NaiveDate::from_ymd_opt(2027, 3, 16);
        let change =
            session_change(&before, &SessionEdit { date, ..SessionEdit::default() }, now).expect("valid");
        assert_eq!(
            (change.starts_at, change.ends_at),
            (Some(at((2027, 3, 16), (13, 30))), Some(at((2027, 3, 16), (15, 30))))
        );

        let late = session("s1", at((2027, 3, 9), (22, 0)), at((2027, 3, 9), (22, 0)) + Duration::hours(3));
        let edit = SessionEdit { date, ..SessionEdit::default() };
        assert!(matches!(session_change(&late, &edit, now), Err(PlanningError::PastMidnight)));
        let edit = SessionEdit { date, span: Some(span((20, 0), (22, 0))), ..SessionEdit::default() };
        assert!(session_change(&late, &edit, now).is_ok());
    }

    #[test]
    fn a_change_must_change_something_keep_a_place_and_not_move_into_the_past() {
        let before = session("s1", at((2027, 3, 9), (13, 30)), at((2027, 3, 9), (15, 30)));
        let now = at((2027, 3, 1), (0, 0));
        let refused = |edit: SessionEdit| session_change(&before, &edit, now).expect_err("refused");
        assert!(matches!(refused(SessionEdit::default()), PlanningError::NothingToChange));
        assert!(matches!(
            refused(SessionEdit { title: Some(" ".into()), ..SessionEdit::default() }),
            PlanningError::EmptyTitle
        ));
        assert!(matches!(
            refused(SessionEdit { place: Some(String::new()), ..SessionEdit::default() }),
            PlanningError::NoPlace
        ));
        let date = NaiveDate::from_ymd_opt(2027, 2, 23);
        assert!(matches!(
            refused(SessionEdit { date, ..SessionEdit::default() }),
            PlanningError::AlreadyBegun(_)
        ));
        // A session that has begun may still get a new title or more seats.
        let begun = at((2027, 3, 9), (14, 0));
        let edit = SessionEdit { capacity: Some(10), ..SessionEdit::default() };
        assert_eq!(session_change(&before, &edit, begun).expect("valid").capacity, Some(10));
    }
}
