//! `peil schedule`: every job with its form, audience, open time, reminders and next runs, so a
//! coordinator can see what a job file will do (across a daylight-saving change too) before the
//! scheduler does it.

use chrono::{DateTime, Timelike, Utc};
use chrono_tz::Tz;

use super::{Audience, Job, Jobs, duration};

/// How many coming runs the listing shows per scheduled job.
pub const RUNS_SHOWN: usize = 3;

/// The listing, one block per job, the runs strictly after `from`.
pub fn describe(jobs: &Jobs, from: DateTime<Utc>) -> String {
    describe_with(jobs, from, &[])
}

/// As [`describe`], with `extra` rows (job id, label, value) at the end of their job's block.
pub fn describe_with(jobs: &Jobs, from: DateTime<Utc>, extra: &[(String, &str, String)]) -> String {
    let blocks: Vec<String> = jobs
        .jobs
        .iter()
        .map(|job| {
            let mut out = describe_job(job, from);
            for (_, label, value) in extra.iter().filter(|(id, _, _)| *id == job.id) {
                row(&mut out, label, value);
            }
            out
        })
        .collect();
    blocks.join("\n")
}

/// The next `n` runs of all scheduled jobs together after `from`, soonest first, with their job.
pub fn next_runs(jobs: &Jobs, from: DateTime<Utc>, n: usize) -> Vec<(&Job, DateTime<Utc>)> {
    let mut runs: Vec<(&Job, DateTime<Utc>)> = jobs
        .jobs
        .iter()
        .filter_map(|job| Some((job, job.schedule.as_ref()?)))
        .flat_map(|(job, schedule)| schedule.runs_after(from).take(n).map(move |run| (job, run)))
        .collect();
    runs.sort_by_key(|(job, run)| (*run, job.id.clone()));
    runs.truncate(n);
    runs
}

fn describe_job(job: &Job, from: DateTime<Utc>) -> String {
    let mut out = format!("{}\n", job.id);
    row(&mut out, "formulier", &job.form);
    row(&mut out, "doelgroep", &audience(&job.audience));
    row(&mut out, "open", &duration::dutch(job.open_for));
    row(&mut out, "herinneringen", &reminders(&job.reminders));
    if let Some(anonymous) = job.anonymous {
        row(&mut out, "anoniem", if anonymous { "ja" } else { "nee" });
    }
    if job.open_link {
        row(&mut out, "open link", &format!("/f/{}-<jaar>-<maand>", job.id));
    }
    let Some(schedule) = &job.schedule else {
        row(&mut out, "schema", "alleen handmatig");
        return out;
    };
    row(&mut out, "schema", &format!("{} ({})", schedule.cron, schedule.timezone.name()));
    for (i, run) in schedule.runs_after(from).take(RUNS_SHOWN).enumerate() {
        row(&mut out, if i == 0 { "volgende" } else { "" }, &moment(run, schedule.timezone));
    }
    out
}

fn row(out: &mut String, label: &str, value: &str) {
    out.push_str(&format!("  {label:<15}{value}\n"));
}

pub fn audience(audience: &Audience) -> String {
    let mut parts = Vec::new();
    for (label, values) in
        [("rollen", &audience.roles), ("wijken", &audience.wijken), ("gemeenten", &audience.gemeenten)]
    {
        if !values.is_empty() {
            parts.push(format!("{label} {}", values.join(", ")));
        }
    }
    match audience.practices.as_slice() {
        [] => {}
        few @ ([_] | [_, _] | [_, _, _]) => parts.push(format!("praktijken {}", few.join(", "))),
        many => parts.push(format!("{} praktijken", many.len())),
    }
    if parts.is_empty() {
        parts.push("alle contactpersonen".to_string());
    }
    if audience.per_wijk {
        parts.push("een ronde per wijk".to_string());
    }
    parts.join("; ")
}

pub fn reminders(reminders: &[chrono::Duration]) -> String {
    if reminders.is_empty() {
        return "geen".to_string();
    }
    let after: Vec<String> = reminders.iter().map(|d| format!("na {}", duration::dutch(*d))).collect();
    after.join(", ")
}

/// "maandag 1 februari 2027 09:00 (Europe/Amsterdam)", on the job's own clock.
pub fn moment(t: DateTime<Utc>, tz: Tz) -> String {
    let local = t.with_timezone(&tz);
    let time = if local.second() == 0 { local.format("%H:%M") } else { local.format("%H:%M:%S") };
    format!("{} {time} ({})", crate::time::dutch_long_date(local.date_naive()), tz.name())
}

const WEEKDAYS: [&str; 7] = ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"];

/// A schedule in Dutch words for the common patterns ("elke maand op de 1e om 09:00"), else its
/// cron text; with the time zone when it is not Amsterdam's.
pub fn in_words(schedule: &super::Schedule) -> String {
    let words = words(&schedule.cron).unwrap_or_else(|| format!("volgens het patroon {}", schedule.cron));
    if schedule.timezone == chrono_tz::Europe::Amsterdam {
        words
    } else {
        format!("{words} ({})", schedule.timezone.name())
    }
}

fn words(cron: &str) -> Option<String> {
    let fields: Vec<&str> = cron.split_whitespace().collect();
    let [minute, hour, day, month, weekday] = fields[..] else { return None };
    let (minute, hour): (u32, u32) = (minute.parse().ok()?, hour.parse().ok()?);
    let at = format!("om {hour:02}:{minute:02}");
    let number = |text: &str| text.parse::<usize>().ok();
    match (day, month, weekday) {
        ("*", "*", "*") => Some(format!("elke dag {at}")),
        ("*", "*", w) => {
            let name = WEEKDAYS.get(number(w)? % 7)?;
            Some(format!("elke {name} {at}"))
        }
        (d, "*", "*") => Some(format!("elke maand op de {}e {at}", number(d)?)),
        (d, m, "*") => {
            let d = number(d)?;
            let months: Option<Vec<&str>> = m
                .split(',')
                .map(|m| number(m).and_then(|m| crate::time::MONTHS.get(m.checked_sub(1)?)).copied())
                .collect();
            match months?.as_slice() {
                [one] => Some(format!("elk jaar op {d} {one} {at}")),
                [first @ .., last] => Some(format!("op de {d}e van {} en {last} {at}", first.join(", "))),
                [] => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(cron: &str) -> String {
        in_words(&super::super::Schedule { cron: cron.into(), timezone: chrono_tz::Europe::Amsterdam })
    }

    #[test]
    fn common_schedules_read_as_dutch_words() {
        assert_eq!(said("0 9 1 * *"), "elke maand op de 1e om 09:00");
        assert_eq!(said("0 9 10 1 *"), "elk jaar op 10 januari om 09:00");
        assert_eq!(said("0 9 1 1,4,7,10 *"), "op de 1e van januari, april, juli en oktober om 09:00");
        assert_eq!(said("30 8 * * 1"), "elke maandag om 08:30");
        assert_eq!(said("0 9 * * *"), "elke dag om 09:00");
        assert_eq!(said("*/15 * * * *"), "volgens het patroon */15 * * * *");
    }
}
