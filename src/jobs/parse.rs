//! A whole job file: its top-level keys, read with the forms' key walker so that problems are
//! reported the same way (`file:line:col`, unknown keys with the nearest valid one).

use std::sync::Arc;

use chrono::Duration;
use chrono_tz::{TZ_VARIANTS, Tz};
use toml::de::DeTable;

use super::duration;
use super::sections::{self, Section};
use super::signup::SignupRules;
use super::{Audience, Job, Schedule, cron};
use crate::forms::diag::{in_string, nearest};
use crate::forms::fields::{Ctx, Fields};
use crate::forms::{Form, Forms};

pub const JOB_KEYS: &[&str] = &[
    "form",
    "schedule",
    "timezone",
    "audience",
    "open_for",
    "reminders",
    "anonymous",
    "mail",
    "signup",
    "sessions",
    "accreditation",
    "open_link",
    "retention",
];

const DEFAULT_OPEN_FOR: Duration = Duration::days(14);

pub fn read_job(ctx: &Ctx<'_>, id: String, forms: &Forms) -> Option<Job> {
    let table = crate::forms::parse_toml(ctx)?;
    let mut f = Fields::new(ctx, &table, 0);
    let form = form(&mut f, forms);
    let schedule = schedule(&mut f);
    let audience = match sub_table(&mut f, "audience", "roles = [\"huisarts\"]") {
        Some((t, at)) => sections::audience(ctx, t, at, forms),
        None => Audience::default(),
    };
    let open_for = open_for(&mut f);
    let reminders = reminders(&mut f, open_for);
    let anonymous = anonymous(&mut f, form);
    let mail = sub_table(&mut f, "mail", "invitation_subject = \"...\"")
        .map(|(t, at)| sections::mail(ctx, t, at))
        .unwrap_or_default();
    let signup = signup(&mut f, form, forms);
    let open_link = open_link(&mut f, form, anonymous);
    let retention = retention(&mut f, form, signup.as_ref());
    f.finish(JOB_KEYS, |key| sections::belongs_elsewhere(key, Section::Top));
    if ctx.has_errors() {
        return None;
    }
    Some(Job {
        id,
        form: form?.id.0.clone(),
        schedule,
        audience,
        open_for: open_for?,
        reminders,
        anonymous,
        mail,
        signup,
        open_link,
        retention,
    })
}

/// `[retention]`: `attendance` only for a sign-up, and then long enough for the registers the
/// job counts for, which check attendance over five years.
fn retention(
    f: &mut Fields<'_, '_, '_, '_>,
    form: Option<&Arc<Form>>,
    signup: Option<&SignupRules>,
) -> crate::retention::Declared {
    use crate::retention::declared::{self, ACCREDITATION_TERM};
    let (declared, at) = declared::read(f, declared::JOB_KEYS);
    let ctx = f.ctx();
    let is_signup = form.is_some_and(|form| form.kind == crate::forms::FormKind::Signup);
    match (declared.attendance, at.attendance) {
        (Some(_), Some(at)) if form.is_some() && !is_signup => {
            ctx.report(at, "`attendance` is for a sign-up job, which has sessions to attend; remove it here")
        }
        (Some(term), Some(at))
            if signup.is_some_and(|rules| !rules.registers.is_empty())
                && term.approx_days() < ACCREDITATION_TERM.approx_days() =>
        {
            let message = format!(
                "attendance = \"{term}\" is shorter than the five years over which a register \
                 ([[accreditation]]) may ask for proof of attendance; write at least \"5 years\" \
                 (\"6 years\" leaves a year for the sample check itself)"
            );
            ctx.report(at, message);
        }
        _ => {}
    }
    declared
}

/// `open_link = true`: only for an identified survey. A sign-up has its own
/// `[signup] open_registration`; an anonymous round would let anyone who gives an address add
/// answers that nobody can tell from the invited people's.
fn open_link(f: &mut Fields<'_, '_, '_, '_>, form: Option<&Arc<Form>>, anonymous: Option<bool>) -> bool {
    let at = f.key_at("open_link");
    let value = f.bool("open_link").unwrap_or(false);
    let (Some(form), Some(at), true) = (form, at, value) else { return value };
    if form.kind == crate::forms::FormKind::Signup {
        let message = "a sign-up job gets its public link with open_registration = true under [signup]";
        f.ctx().report(at, message);
    } else if form.anonymous || anonymous == Some(true) {
        let message = "an open link is only for a round that is not anonymous: whoever answers \
                       through it is known by name and address, and this job's answers are anonymous";
        f.ctx().report(at, message);
    }
    value
}

/// `[signup]` and `[[sessions]]`: required for a sign-up form, refused for a survey; so is
/// `[[accreditation]]`, which only a sign-up has (attendance is what counts in a register).
fn signup(f: &mut Fields<'_, '_, '_, '_>, form: Option<&Arc<Form>>, forms: &Forms) -> Option<SignupRules> {
    let ctx = f.ctx();
    let is_signup = form.map(|form| form.kind == crate::forms::FormKind::Signup);
    let rules_table = sub_table(f, "signup", "cancel_until = \"24h\"");
    let sessions_at = f.key_at("sessions");
    let sessions = f.array("sessions");
    let accreditation_at = f.key_at("accreditation");
    let accreditation = f.array("accreditation");
    if is_signup == Some(false) {
        if let Some(at) = accreditation_at {
            ctx.report(
                at,
                "the form is a survey: only a job for a sign-up form (kind = \"signup\") counts for a register",
            );
        }
        for at in [rules_table.map(|(_, at)| at), sessions_at].into_iter().flatten() {
            ctx.report(
                at,
                "the form is a survey: only a job for a sign-up form (kind = \"signup\") has sessions",
            );
        }
        return None;
    }
    let mut rules = super::signup::rules(ctx, rules_table);
    if let Some(tables) = accreditation {
        rules.registers = super::accreditation::registers(ctx, tables, forms);
    }
    for value in sessions.iter().flat_map(|a| a.value.iter()) {
        match value.get_ref().as_table() {
            Some(table) => rules.sessions.extend(super::signup::session(ctx, table, value.span().start)),
            None => ctx.report(value.span().start, "write each session as a [[sessions]] table"),
        }
    }
    if is_signup == Some(true) && sessions.is_none() {
        ctx.report(
            0,
            "the form is a sign-up form: add the sessions each round offers as [[sessions]] tables \
             (title, date or weekday and week, time, place, capacity)",
        );
    }
    (is_signup == Some(true)).then_some(rules)
}

/// The table under `key` (`[audience]`, `[mail]`) and where it is written.
fn sub_table<'t, 'i>(
    f: &mut Fields<'_, '_, 't, 'i>,
    key: &str,
    example: &str,
) -> Option<(&'t DeTable<'i>, usize)> {
    let value = f.get(key)?;
    let at = value.span().start;
    let table = value.get_ref().as_table();
    if table.is_none() {
        let message = format!(
            "`{key}` must be a table: write [{key}] on a line of its own, with e.g. {example} under it"
        );
        f.ctx().report(at, message);
    }
    table.map(|t| (t, at))
}

fn form<'f>(f: &mut Fields<'_, '_, '_, '_>, forms: &'f Forms) -> Option<&'f Arc<Form>> {
    let ctx = f.ctx();
    let Some(name) = f.str("form") else {
        if f.lacks("form", JOB_KEYS) {
            ctx.report(
                0,
                "missing `form`; add e.g. form = \"wachttijden\" (a file name in forms/ without .toml)",
            );
        }
        return None;
    };
    let found = forms.get(name.value);
    if found.is_none() && forms.failed(name.value) {
        let message = format!(
            "the form `{}` has problems (listed with its own file); what this job asks of the form \
             is checked once the form passes",
            name.value
        );
        ctx.report(name.at, message);
    } else if found.is_none() {
        let ids: Vec<String> = forms.iter().map(|form| form.id.0.clone()).collect();
        let message = match nearest(name.value, ids.iter().map(String::as_str)) {
            Some(near) => format!("there is no form `{}`; did you mean `{near}`?", name.value),
            None => format!("there is no form `{}`; the forms are {}", name.value, ids.join(", ")),
        };
        ctx.report(name.at, message);
    }
    found
}

fn schedule(f: &mut Fields<'_, '_, '_, '_>) -> Option<Schedule> {
    let ctx = f.ctx();
    let timezone = timezone(f);
    let pattern = f.str("schedule")?;
    match cron::check(pattern.value) {
        Ok(_) => Some(Schedule { cron: pattern.value.to_string(), timezone }),
        Err(problems) => {
            for problem in problems {
                ctx.report(in_string(ctx.src, pattern.at, problem.offset), problem.message);
            }
            None
        }
    }
}

fn timezone(f: &mut Fields<'_, '_, '_, '_>) -> Tz {
    let Some(name) = f.str("timezone") else { return chrono_tz::Europe::Amsterdam };
    // The database spells names with capitals; "europe/amsterdam" can only mean one zone.
    if let Some(tz) = TZ_VARIANTS.iter().find(|tz| tz.name().eq_ignore_ascii_case(name.value)) {
        return *tz;
    }
    let message = match nearest(name.value, TZ_VARIANTS.iter().map(|tz| tz.name())) {
        Some(near) => format!("unknown time zone `{}`; did you mean `{near}`?", name.value),
        None => format!(
            "unknown time zone `{}`; write a name from the tz database, e.g. \"Europe/Amsterdam\"",
            name.value
        ),
    };
    f.ctx().report(name.at, message);
    chrono_tz::Europe::Amsterdam
}

/// `open_for`, its default when absent, `None` when wrong.
fn open_for(f: &mut Fields<'_, '_, '_, '_>) -> Option<Duration> {
    let Some(text) = f.str("open_for") else {
        return (!f.has("open_for")).then_some(DEFAULT_OPEN_FOR);
    };
    match duration::parse(text.value) {
        Ok(value) => Some(value),
        Err(message) => {
            f.ctx().report(text.at, format!("`open_for`: {message}"));
            None
        }
    }
}

/// The reminders, each after the round opens and before it closes, from early to late.
fn reminders(f: &mut Fields<'_, '_, '_, '_>, open_for: Option<Duration>) -> Vec<Duration> {
    let ctx = f.ctx();
    let Some(list) = f.array("reminders") else { return Vec::new() };
    let mut out: Vec<Duration> = Vec::new();
    for value in list.value.iter() {
        let Some(text) = value.get_ref().as_str() else {
            ctx.report(
                value.span().start,
                "each reminder is a duration in quotes, e.g. reminders = [\"7d\"]",
            );
            continue;
        };
        let at = ctx.src.string_body(value.span().start);
        let reminder = match duration::parse(text) {
            Ok(d) => d,
            Err(message) => {
                ctx.report(at, format!("reminder: {message}"));
                continue;
            }
        };
        if let Some(problem) = reminder_problem(text, reminder, out.last(), open_for) {
            ctx.report(at, problem);
        }
        out.push(reminder);
    }
    out
}

fn reminder_problem(
    text: &str,
    reminder: Duration,
    previous: Option<&Duration>,
    open_for: Option<Duration>,
) -> Option<String> {
    if let Some(open) = open_for
        && reminder >= open
    {
        let written = duration::short(open);
        return Some(format!(
            "the reminder \"{text}\" comes when the round has closed (open_for is {written}); \
             make it shorter than open_for"
        ));
    }
    match previous {
        Some(p) if *p == reminder => Some(format!("the reminder \"{text}\" is listed twice; remove one")),
        Some(p) if *p > reminder => Some(format!(
            "the reminder \"{text}\" comes before the one in front of it; list reminders from early to late"
        )),
        _ => None,
    }
}

/// A job may make an open form anonymous, never the other way round: an anonymous form tells
/// people so in its intro.
fn anonymous(f: &mut Fields<'_, '_, '_, '_>, form: Option<&Arc<Form>>) -> Option<bool> {
    let at = f.key_at("anonymous");
    let value = f.bool("anonymous");
    if let (Some(false), Some(form), Some(at)) = (value, form, at)
        && form.anonymous
    {
        let message = format!(
            "the form `{}` is anonymous and tells people so; a job cannot lift that: remove `anonymous = false`",
            form.id
        );
        f.ctx().report(at, message);
    }
    if let (Some(true), Some(form), Some(at)) = (value, form, at)
        && form.kind == crate::forms::FormKind::Signup
    {
        f.ctx().report(at, crate::forms::SIGNUP_IS_PERSONAL);
    }
    if let (Some(true), Some(form), Some(at)) = (value, form, at)
        && !form.anonymous
    {
        warn_identifying(f.ctx(), form, at);
    }
    value
}

/// A job that makes an identified form anonymous, where the form asks who answered (and does
/// not say so with `identifying = true`): the answer undoes the anonymity, as in an anonymous
/// form (see `forms::reading`).
fn warn_identifying(ctx: &Ctx<'_>, form: &Form, at: usize) {
    let asks = form.questions().filter(|q| q.reading.identifying.is_none() && q.is_identifying());
    let ids: Vec<String> = asks.map(|q| format!("`{}`", q.id)).collect();
    if ids.is_empty() {
        return;
    }
    ctx.warn(
        at,
        format!(
            "this job makes the form `{}` anonymous, but its question(s) {} ask who answered: such an \
             answer tells who gave all the others. Remove `anonymous = true`, or use a form without \
             those questions",
            form.id,
            ids.join(", ")
        ),
    );
}
