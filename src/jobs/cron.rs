//! Cron patterns in job files: checked field by field, so a mistake is reported as "the hour 25
//! does not exist" at the 25 rather than as "invalid pattern", then handed to croner, which finds
//! runs on the wall clock of the job's time zone (09:00 stays 09:00 across daylight saving).

use chrono::{DateTime, LocalResult, SubsecRound, TimeZone, Utc};
use croner::Cron;
use croner::errors::CronError;
use croner::parser::{CronParser, Seconds, Year};

/// A problem in a pattern, at a byte offset of the pattern's text.
#[derive(Debug, PartialEq, Eq)]
pub struct CronProblem {
    pub offset: usize,
    pub message: String,
}

/// What one field of a pattern takes.
struct FieldKind {
    name: &'static str,
    /// One value of the field, as in "there is no hour 25".
    one: &'static str,
    /// Where the field sits in croner's six-field (seconds-first) pattern, for probing it alone.
    slot: usize,
    min: u32,
    max: u32,
    /// Words allowed besides numbers (month and weekday names, `L`, `W`).
    words: &'static [&'static str],
    /// Punctuation allowed besides `* , - /`.
    marks: &'static str,
    takes: &'static str,
}

const SECOND: FieldKind = FieldKind {
    name: "second",
    one: "second",
    slot: 0,
    min: 0,
    max: 59,
    words: &[],
    marks: "",
    takes: "0-59, e.g. 0",
};
const MINUTE: FieldKind = FieldKind {
    name: "minute",
    one: "minute",
    slot: 1,
    min: 0,
    max: 59,
    words: &[],
    marks: "",
    takes: "0-59, e.g. 0 or */15",
};
const HOUR: FieldKind = FieldKind {
    name: "hour",
    one: "hour",
    slot: 2,
    min: 0,
    max: 23,
    words: &[],
    marks: "",
    takes: "0-23, e.g. 9 or 8-17",
};
const DAY: FieldKind = FieldKind {
    name: "day-of-month",
    one: "day of the month",
    slot: 3,
    min: 1,
    max: 31,
    words: &["L", "W"],
    marks: "?",
    takes: "1-31 or L for the last day, e.g. 1 or 1,15",
};
const MONTH: FieldKind = FieldKind {
    name: "month",
    one: "month",
    slot: 4,
    min: 1,
    max: 12,
    words: &["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"],
    marks: "",
    takes: "1-12 or JAN-DEC, e.g. * or 1,4,7,10",
};
const WEEKDAY: FieldKind = FieldKind {
    name: "day-of-week",
    one: "day of the week",
    slot: 5,
    min: 0,
    max: 7,
    words: &["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT", "L"],
    marks: "?#",
    takes: "0-7 or SUN-SAT (0 and 7 are Sunday), e.g. MON-FRI, or MON#1 for the first Monday",
};

const FIVE: [&FieldKind; 5] = [&MINUTE, &HOUR, &DAY, &MONTH, &WEEKDAY];
const SIX: [&FieldKind; 6] = [&SECOND, &MINUTE, &HOUR, &DAY, &MONTH, &WEEKDAY];

/// Checks a pattern of 5 fields (`min hour dom month dow`) or 6 (seconds first); every wrong
/// field is reported.
pub fn check(pattern: &str) -> Result<Cron, Vec<CronProblem>> {
    let parts = split(pattern);
    let kinds: &[&FieldKind] = match parts.len() {
        5 => &FIVE,
        6 => &SIX,
        n => return Err(vec![field_count(n, parts.first().map_or(0, |p| p.0))]),
    };
    let problems: Vec<CronProblem> = parts
        .iter()
        .zip(kinds)
        .filter_map(|(&(at, text), kind)| check_field(text, kind).err().map(|p| moved(p, at)))
        .collect();
    if !problems.is_empty() {
        return Err(problems);
    }
    let at = parts[0].0;
    let cron = compile(pattern).map_err(|e| {
        vec![CronProblem { offset: at, message: format!("the schedule cannot be read: {}", reason(&e)) }]
    })?;
    never_runs(&cron, pattern).map_err(|p| vec![moved(p, at)])?;
    Ok(cron)
}

fn moved(problem: CronProblem, by: usize) -> CronProblem {
    CronProblem { offset: problem.offset + by, ..problem }
}

fn field_count(n: usize, offset: usize) -> CronProblem {
    let fields =
        "5 fields (minute hour day-of-month month day-of-week, e.g. \"0 9 1 * *\") or 6 with seconds first";
    let message = match n {
        0 => format!(
            "the schedule is empty; write {fields}, or leave `schedule` out for a job started by hand"
        ),
        n => format!("a schedule has {fields}; this one has {n}"),
    };
    CronProblem { offset, message }
}

/// The pattern as croner reads it: 5 or 6 fields, no year.
pub fn compile(pattern: &str) -> Result<Cron, CronError> {
    CronParser::builder().seconds(Seconds::Optional).year(Year::Disallowed).build().parse(pattern)
}

/// The first run strictly after `after`, on the wall clock of `tz`. A wall-clock time that
/// happens twice (the hour repeated when summer time ends) runs once, at its first pass, so a
/// job at 02:30 does not open two rounds that night.
pub fn next_after<Tz: TimeZone>(cron: &Cron, tz: &Tz, after: DateTime<Utc>) -> Option<DateTime<Utc>> {
    // croner counts "strictly after" from the whole second, so drop the fraction first.
    let mut from = after.trunc_subsecs(0).with_timezone(tz);
    // A pattern has at most one repeated pass per night to skip; the bound is only a guard.
    for _ in 0..4 {
        let next = cron.find_next_occurrence(&from, false).ok()?;
        if !is_second_pass(tz, &next) {
            return Some(next.with_timezone(&Utc));
        }
        from = next;
    }
    None
}

fn is_second_pass<Tz: TimeZone>(tz: &Tz, t: &DateTime<Tz>) -> bool {
    match tz.from_local_datetime(&t.naive_local()) {
        LocalResult::Ambiguous(first, _) => first.naive_utc() != t.naive_utc(),
        _ => false,
    }
}

/// The fields of a pattern with their byte offsets.
fn split(pattern: &str) -> Vec<(usize, &str)> {
    let mut parts = Vec::new();
    let mut start = None;
    for (i, c) in pattern.char_indices().chain(std::iter::once((pattern.len(), ' '))) {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                parts.push((s, &pattern[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    parts
}

fn problem(offset: usize, message: String) -> Result<(), CronProblem> {
    Err(CronProblem { offset, message })
}

fn check_field(text: &str, kind: &FieldKind) -> Result<(), CronProblem> {
    // `+` before the weekdays asks for day-of-month AND day-of-week (croner's extension).
    let skip = usize::from(kind.slot == WEEKDAY.slot && text.starts_with('+'));
    let mut at = skip;
    for item in text[skip..].split(',') {
        if item.is_empty() {
            let message = format!("an empty entry in the {} field; remove the extra comma", kind.name);
            return problem(at, message);
        }
        check_item(item, kind).map_err(|p| moved(p, at))?;
        at += item.len() + 1;
    }
    probe(text, kind)
}

/// Checks the numbers, words and marks of one comma-separated entry.
fn check_item(item: &str, kind: &FieldKind) -> Result<(), CronProblem> {
    let mut chars = item.char_indices().peekable();
    let mut after = ' ';
    while let Some((i, c)) = chars.next() {
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !same_run(c, d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        check_token(&item[i..end], after, kind).map_err(|message| CronProblem { offset: i, message })?;
        after = c;
    }
    Ok(())
}

/// Whether `d` continues a run of digits or of letters that started with `c`.
fn same_run(c: char, d: char) -> bool {
    (c.is_ascii_digit() && d.is_ascii_digit()) || (c.is_alphabetic() && d.is_alphabetic())
}

/// One token of an entry: a number, a word or a mark; `after` is the character before it.
fn check_token(token: &str, after: char, kind: &FieldKind) -> Result<(), String> {
    let first = token.chars().next().unwrap_or(' ');
    if first.is_ascii_digit() {
        return check_number(token, after, kind);
    }
    if first.is_alphabetic() {
        let word = token.to_uppercase();
        return if kind.words.contains(&word.as_str()) {
            Ok(())
        } else {
            Err(format!("`{token}` means nothing in the {} field; it takes {}", kind.name, kind.takes))
        };
    }
    if "*,-/".contains(first) || kind.marks.contains(first) {
        return Ok(());
    }
    Err(format!("`{token}` cannot be used in the {} field; it takes {}", kind.name, kind.takes))
}

fn check_number(token: &str, after: char, kind: &FieldKind) -> Result<(), String> {
    let n: u32 = token.parse().unwrap_or(u32::MAX);
    let (min, max) = match after {
        '/' => (1, kind.max.max(1)),
        '#' => (1, 5),
        _ => (kind.min, kind.max),
    };
    if (min..=max).contains(&n) {
        return Ok(());
    }
    match after {
        '/' => Err(format!("a step in the {} field goes from {min} to {max}, not {token}", kind.name)),
        '#' => Err(format!("the week number after # goes from {min} to {max}, not {token}")),
        _ => Err(format!("there is no {} {token}; the {} field takes {}", kind.one, kind.name, kind.takes)),
    }
}

/// Lets croner read the field on its own, for mistakes in how the pieces are put together
/// (`1-2-3`, `5/2`) that the token checks above let through.
fn probe(text: &str, kind: &FieldKind) -> Result<(), CronProblem> {
    let mut fields = ["0", "*", "*", "*", "*", "*"];
    fields[kind.slot] = text;
    match compile(&fields.join(" ")) {
        Ok(_) => Ok(()),
        Err(e) => problem(
            0,
            format!("the {} field `{text}` is not valid: {}; it takes {}", kind.name, reason(&e), kind.takes),
        ),
    }
}

/// croner's message without its prefix and full stop, to fit inside a sentence.
fn reason(e: &CronError) -> String {
    let text = match e {
        CronError::ComponentError(m) | CronError::InvalidPattern(m) | CronError::IllegalCharacters(m) => {
            m.clone()
        }
        other => other.to_string(),
    };
    let text = text.trim_end_matches('.');
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// A pattern such as "0 9 30 2 *" (30 February) passes every field check yet never runs.
fn never_runs(cron: &Cron, pattern: &str) -> Result<(), CronProblem> {
    let start = Utc.with_ymd_and_hms(2000, 1, 1, 0, 0, 0).single().unwrap_or_default();
    match cron.find_next_occurrence(&start, false) {
        Ok(_) => Ok(()),
        Err(_) => {
            problem(0, format!("the schedule \"{}\" never runs (is the day in that month?)", pattern.trim()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_usual_cron_syntax_is_accepted() {
        for pattern in [
            "0 9 1 * *",
            "0 0 9 1 * *",
            "*/15 8-17 * * MON-FRI",
            "0 9 L * *",
            "0 9 15W * *",
            "0 9 * * MON#1",
            "0 9 1-7 * +mon",
            "0 9 1 jan,apr,jul,oct *",
            "0 9 ? * 5L",
        ] {
            assert!(check(pattern).is_ok(), "{pattern}: {:?}", check(pattern).err());
        }
    }

    #[test]
    fn each_wrong_field_is_reported_where_it_is_written() {
        let problems = check("*/0 24 5/2 13 *").unwrap_err();
        let offsets: Vec<usize> = problems.iter().map(|p| p.offset).collect();
        assert_eq!(offsets, [2, 4, 7, 11], "{problems:?}");
        assert!(problems[0].message.contains("a step in the minute field goes from 1 to 59"));
        assert!(problems[2].message.contains("the day-of-month field `5/2` is not valid"));
    }

    #[test]
    fn names_of_the_wrong_kind_are_refused() {
        let problems = check("0 9 * MON JAN").unwrap_err();
        assert!(problems[0].message.starts_with("`MON` means nothing in the month field"));
        assert!(problems[1].message.starts_with("`JAN` means nothing in the day-of-week field"));
        assert!(check("@monthly").unwrap_err()[0].message.contains("this one has 1"));
    }
}
