//! The sign-up parts of a job file: `[signup]` (cancellation deadline, reminder, open
//! registration) and `[[sessions]]`, each a dated session (`date = "2027-03-09"`) or a rule
//! relative to the month the round opens in (`month = "next"`, `week = 2`, `weekday = "dinsdag"`:
//! the second Tuesday of next month).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc, Weekday};
use chrono_tz::Tz;
use toml::de::DeTable;

use super::duration;
use crate::forms::diag::nearest;
use crate::forms::fields::{At, Ctx, Fields};
use crate::signup::NewSession;
use crate::signup::SignupRound;
use crate::signup::planning::MOST_SEATS;
use crate::time::{SpanError, TimeSpan};

pub const SIGNUP_KEYS: &[&str] = &["cancel_until", "remind_before", "open_registration"];
pub const SESSION_KEYS: &[&str] = &[
    "title", "date", "month", "week", "weekday", "time", "place", "online", "leader", "activity", "capacity",
    "points",
];

/// More accreditation points than any one session gets; a typo such as `points = 25` for 2.5.
const MOST_POINTS: f64 = 24.0;

#[derive(Clone, Debug, PartialEq)]
pub struct SignupRules {
    pub sessions: Vec<SessionRule>,
    pub cancel_until: Duration,
    pub remind_before: Duration,
    pub open_registration: bool,
    /// `[[accreditation]]`: the registers the activity counts for.
    pub registers: Vec<crate::accreditation::Register>,
}

impl Default for SignupRules {
    fn default() -> Self {
        SignupRules {
            sessions: Vec::new(),
            cancel_until: Duration::hours(24),
            remind_before: Duration::hours(24),
            open_registration: false,
            registers: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SessionRule {
    pub title: String,
    pub day: Day,
    pub starts: NaiveTime,
    pub ends: NaiveTime,
    pub place: String,
    pub online: String,
    pub leader: String,
    pub activity: String,
    pub capacity: u32,
    /// Accreditation points (0: none stated).
    pub points: f64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Day {
    Date(NaiveDate),
    /// The `week`th (or, with `week = -1`, the last) `weekday` of the month `months_ahead`
    /// after the one the round opens in.
    Relative {
        months_ahead: u32,
        week: i8,
        weekday: Weekday,
    },
}

impl SignupRules {
    /// The sessions of the round that opens at `opened`, with times in `tz`.
    pub fn round(&self, opened: DateTime<Utc>, tz: Tz) -> SignupRound {
        let month = opened.with_timezone(&tz).date_naive().with_day(1).unwrap_or_default();
        let sessions = self
            .sessions
            .iter()
            .enumerate()
            .map(|(i, rule)| {
                let day = rule.day.resolve(month);
                NewSession {
                    code: format!("s{}", i + 1),
                    title: rule.title.clone(),
                    starts_at: crate::time::from_local(tz, day.and_time(rule.starts)),
                    ends_at: crate::time::from_local(tz, day.and_time(rule.ends)),
                    place: rule.place.clone(),
                    online_url: rule.online.clone(),
                    leader: rule.leader.clone(),
                    activity_id: rule.activity.clone(),
                    capacity: rule.capacity,
                    points: rule.points,
                }
            })
            .collect();
        SignupRound {
            sessions,
            cancel_until: self.cancel_until,
            remind_before: self.remind_before,
            open_registration: self.open_registration,
            registers: self.registers.clone(),
        }
    }
}

impl Day {
    fn resolve(&self, opening_month: NaiveDate) -> NaiveDate {
        match *self {
            Day::Date(date) => date,
            Day::Relative { months_ahead, week, weekday } => {
                let first = opening_month
                    .checked_add_months(chrono::Months::new(months_ahead))
                    .unwrap_or(opening_month);
                nth_weekday(first, week, weekday)
            }
        }
    }
}

/// The `week`th `weekday` of the month starting at `first`; `week = -1` is the last one.
fn nth_weekday(first: NaiveDate, week: i8, weekday: Weekday) -> NaiveDate {
    if week < 0 {
        let next = first.checked_add_months(chrono::Months::new(1)).unwrap_or(first);
        let last = next.pred_opt().unwrap_or(first);
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        return last - Duration::days(i64::from(back));
    }
    let ahead = (7 + weekday.num_days_from_monday() - first.weekday().num_days_from_monday()) % 7;
    first + Duration::days(i64::from(ahead) + 7 * i64::from(week - 1))
}

pub fn rules(ctx: &Ctx<'_>, table: Option<(&DeTable<'_>, usize)>) -> SignupRules {
    let mut rules = SignupRules::default();
    let Some((table, at)) = table else { return rules };
    let mut f = Fields::new(ctx, table, at);
    if let Some(d) = deadline(&mut f, "cancel_until") {
        rules.cancel_until = d;
    }
    if let Some(d) = deadline(&mut f, "remind_before") {
        rules.remind_before = d;
    }
    rules.open_registration = f.bool("open_registration").unwrap_or(false);
    f.finish(SIGNUP_KEYS, |_| None);
    rules
}

/// A duration before the session; "0h" is not a duration, so `"none"` switches it off.
fn deadline(f: &mut Fields<'_, '_, '_, '_>, key: &str) -> Option<Duration> {
    let text = f.str(key)?;
    if text.value == "none" {
        return Some(Duration::zero());
    }
    match duration::parse(text.value) {
        Ok(d) => Some(d),
        Err(message) => {
            f.ctx().report(text.at, format!("`{key}`: {message}, or \"none\""));
            None
        }
    }
}

pub fn session(ctx: &Ctx<'_>, table: &DeTable<'_>, at: usize) -> Option<SessionRule> {
    let mut f = Fields::new(ctx, table, at);
    let title = f.required_str("title", "\"Intervisiegroep West\"").map(|t| t.value.trim().to_string());
    let day = day(&mut f);
    let times = f.required_str("time", "\"13:30-15:30\"").and_then(|t| span(ctx, t));
    let capacity = match f.count("capacity") {
        Some(At { value, .. }) if (1..=MOST_SEATS).contains(&value) => Some(value),
        Some(c) => {
            ctx.report(c.at, format!("`capacity` is the number of seats: from 1 to {MOST_SEATS}"));
            None
        }
        None if !f.has("capacity") => {
            ctx.report(at, "missing `capacity`; add e.g. capacity = 8 (the number of seats)");
            None
        }
        None => None,
    };
    let points = points(&mut f);
    let mut text = |key: &str| f.str(key).map(|t| t.value.trim().to_string()).unwrap_or_default();
    let (place, online, leader, activity) = (text("place"), text("online"), text("leader"), text("activity"));
    f.finish(SESSION_KEYS, |_| None);
    if place.is_empty() && online.is_empty() {
        ctx.report(at, "a session needs a `place` or an `online` link (or both)");
        return None;
    }
    let (starts, ends) = times?;
    Some(SessionRule {
        title: title?,
        day: day?,
        starts,
        ends,
        place,
        online,
        leader,
        activity,
        capacity: capacity?,
        points: points?,
    })
}

/// `points = 2.5`: the accreditation points of the session, 0 when not stated.
fn points(f: &mut Fields<'_, '_, '_, '_>) -> Option<f64> {
    let Some(points) = f.num("points") else { return (!f.has("points")).then_some(0.0) };
    if (0.0..=MOST_POINTS).contains(&points.value) {
        return Some(points.value);
    }
    let message = format!("`points` are the session's accreditation points: from 0 to {MOST_POINTS}");
    f.ctx().report(points.at, message);
    None
}

fn day(f: &mut Fields<'_, '_, '_, '_>) -> Option<Day> {
    let ctx = f.ctx();
    if let Some(date) = f.str("date") {
        if f.has("weekday") || f.has("week") || f.has("month") {
            ctx.report(date.at, "give either `date` or `weekday` with `week` (and `month`), not both");
            return None;
        }
        return match NaiveDate::parse_from_str(date.value, "%Y-%m-%d") {
            Ok(d) => Some(Day::Date(d)),
            Err(_) => {
                ctx.report(date.at, format!("\"{}\" is not a date; write it as \"2027-03-09\"", date.value));
                None
            }
        };
    }
    if !f.has("weekday") {
        ctx.report(
            f.at,
            "missing the day: add date = \"2027-03-09\", or weekday = \"dinsdag\" with week = 2",
        );
        return None;
    }
    let weekday = f.str("weekday").and_then(|w| weekday(ctx, w));
    let week = match f.int("week") {
        Some(w) if (1..=4).contains(&w.value) || w.value == -1 => Some(w.value as i8),
        Some(w) => {
            ctx.report(w.at, "`week` is 1, 2, 3 or 4 (the first to fourth in the month), or -1 for the last");
            None
        }
        None if !f.has("week") => Some(1),
        None => None,
    };
    let months_ahead = match f.str("month") {
        None if !f.has("month") => Some(1),
        None => None,
        Some(m) => match m.value {
            "this" | "deze" => Some(0),
            "next" | "volgende" => Some(1),
            _ => {
                ctx.report(m.at, "`month` is \"this\" (the month the round opens) or \"next\"");
                None
            }
        },
    };
    Some(Day::Relative { months_ahead: months_ahead?, week: week?, weekday: weekday? })
}

const WEEKDAYS: [(&str, &str, Weekday); 7] = [
    ("maandag", "monday", Weekday::Mon),
    ("dinsdag", "tuesday", Weekday::Tue),
    ("woensdag", "wednesday", Weekday::Wed),
    ("donderdag", "thursday", Weekday::Thu),
    ("vrijdag", "friday", Weekday::Fri),
    ("zaterdag", "saturday", Weekday::Sat),
    ("zondag", "sunday", Weekday::Sun),
];

fn weekday(ctx: &Ctx<'_>, text: At<&str>) -> Option<Weekday> {
    let lower = text.value.to_lowercase();
    if let Some((_, _, day)) = WEEKDAYS.iter().find(|(nl, en, _)| *nl == lower || *en == lower) {
        return Some(*day);
    }
    let names = WEEKDAYS.iter().flat_map(|(nl, en, _)| [*nl, *en]);
    let message = match nearest(&lower, names) {
        Some(near) => format!("unknown weekday `{}`; did you mean `{near}`?", text.value),
        None => format!("unknown weekday `{}`; write e.g. \"dinsdag\" or \"tuesday\"", text.value),
    };
    ctx.report(text.at, message);
    None
}

/// "13:30-15:30" by `time::TimeSpan`'s rule, with the message at the value.
fn span(ctx: &Ctx<'_>, text: At<&str>) -> Option<(NaiveTime, NaiveTime)> {
    match TimeSpan::parse(text.value) {
        Ok(TimeSpan { starts, ends }) => Some((starts, ends)),
        Err(SpanError::EndsBeforeStart) => {
            ctx.report(text.at, format!("\"{}\" ends before it starts", text.value));
            None
        }
        Err(SpanError::NotASpan) => {
            ctx.report(
                text.at,
                format!("\"{}\" is not a time span; write it as \"13:30-15:30\"", text.value),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_second_tuesday_of_next_month_is_found_from_any_day_of_this_one() {
        let rule = Day::Relative { months_ahead: 1, week: 2, weekday: Weekday::Tue };
        // March 2027 starts on a Monday: its Tuesdays are the 2nd and the 9th.
        assert_eq!(rule.resolve(day(2027, 2, 1)), day(2027, 3, 9));
        // December 2026 -> January 2027 (starts on a Friday): Tuesdays 5 and 12.
        assert_eq!(rule.resolve(day(2026, 12, 1)), day(2027, 1, 12));
    }

    #[test]
    fn the_last_weekday_of_a_month_counts_back_from_its_end() {
        let rule = Day::Relative { months_ahead: 0, week: -1, weekday: Weekday::Thu };
        assert_eq!(rule.resolve(day(2027, 3, 1)), day(2027, 3, 25));
        assert_eq!(rule.resolve(day(2027, 9, 1)), day(2027, 9, 30));
    }
}
