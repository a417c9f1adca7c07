//! "13:30-15:30": the start and end of a session on one day, as coordinators type them in job
//! files and on the command line. One parser for both, so a time a job file takes is a time the
//! CLI takes; each caller words its own message (job files point at the line, the CLI does not).

use chrono::NaiveTime;

/// A start and a later end on the same day, in wall-clock time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimeSpan {
    pub starts: NaiveTime,
    pub ends: NaiveTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("not a time span; write it as 13:30-15:30")]
    NotASpan,
    /// Also an end equal to the start: a session takes time.
    #[error("ends before it starts")]
    EndsBeforeStart,
}

impl TimeSpan {
    /// Hours and minutes with a colon or a dot ("13.30", as Dutch mail writes times), an hour of
    /// one or two digits, spaces around either time, and a hyphen or an en dash between them.
    /// "24:00" is not a time: a session ending at midnight ends at 23:59.
    pub fn parse(text: &str) -> Result<TimeSpan, SpanError> {
        let read = |t: &str| NaiveTime::parse_from_str(&t.trim().replace('.', ":"), "%H:%M").ok();
        let (starts, ends) = text
            .split_once(['-', '\u{2013}'])
            .and_then(|(a, b)| Some((read(a)?, read(b)?)))
            .ok_or(SpanError::NotASpan)?;
        if starts < ends { Ok(TimeSpan { starts, ends }) } else { Err(SpanError::EndsBeforeStart) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(from: (u32, u32), to: (u32, u32)) -> Result<TimeSpan, SpanError> {
        let t = |(h, m)| NaiveTime::from_hms_opt(h, m, 0).expect("a time");
        Ok(TimeSpan { starts: t(from), ends: t(to) })
    }

    #[test]
    fn colons_dots_one_digit_hours_spaces_and_an_en_dash_are_all_read() {
        assert_eq!(TimeSpan::parse("13:30-15:30"), span((13, 30), (15, 30)));
        assert_eq!(TimeSpan::parse("13.30-15.30"), span((13, 30), (15, 30)));
        assert_eq!(TimeSpan::parse("9:00-10:00"), span((9, 0), (10, 0)));
        assert_eq!(TimeSpan::parse(" 09:00 - 10:15 "), span((9, 0), (10, 15)));
        assert_eq!(TimeSpan::parse("9.00 \u{2013} 10.15"), span((9, 0), (10, 15)));
        assert_eq!(TimeSpan::parse("13.30-15:30"), span((13, 30), (15, 30)));
        assert_eq!(TimeSpan::parse("00:00-23:59"), span((0, 0), (23, 59)));
    }

    #[test]
    fn an_end_before_or_at_the_start_is_refused_as_such() {
        assert_eq!(TimeSpan::parse("15:30-13:30"), Err(SpanError::EndsBeforeStart));
        assert_eq!(TimeSpan::parse("13:30-13:30"), Err(SpanError::EndsBeforeStart));
        assert_eq!(TimeSpan::parse("22:00-01:00"), Err(SpanError::EndsBeforeStart));
    }

    #[test]
    fn what_is_not_two_times_is_not_a_span() {
        for text in [
            "",
            "13:30",
            "13:30-",
            "-15:30",
            "13:30-24:00",
            "24:00-25:00",
            "25:00-26:00",
            "13:60-14:00",
            "13-15",
            "1330-1530",
            "13:30 tot 15:30",
            "13:30--15:30",
            "13:30-15:30-16:00",
            "half twee-drie",
        ] {
            assert_eq!(TimeSpan::parse(text), Err(SpanError::NotASpan), "{text:?}");
        }
    }
}
