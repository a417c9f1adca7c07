//! `[retention]` in a form or job file, read with the forms' key walker so that a wrong term is
//! reported as `file:line:col` like every other mistake. A form says how long its responses and
//! links are kept and what becomes of an identified response after that; a job may say it
//! otherwise for its rounds, and a sign-up job also how long attendance is kept.

use serde::{Deserialize, Serialize};
use toml::de::DeTable;

use super::Term;
use crate::forms::fields::{Ctx, Fields};

pub const FORM_KEYS: &[&str] = &["responses", "links", "identified"];
pub const JOB_KEYS: &[&str] = &["responses", "links", "identified", "attendance"];

/// Accreditation registers check samples over five years: attendance must outlive that.
pub const ACCREDITATION_TERM: Term = Term::years(5);

/// What happens to an identified response past its term.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Identified {
    /// Kept for the charts and trends without who gave it: no invitation, the day only, no
    /// answers that say who answered.
    #[default]
    Anonymise,
    /// Removed altogether.
    Remove,
}

/// The terms a form or job writes; `None` where it leaves them to the form or `peil.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declared {
    pub responses: Option<Term>,
    pub links: Option<Term>,
    pub identified: Option<Identified>,
    /// Jobs for a sign-up form only.
    pub attendance: Option<Term>,
}

/// Where each declared term is written, for `peil check`'s later remarks.
#[derive(Clone, Copy, Debug, Default)]
pub struct DeclaredAt {
    pub table: Option<usize>,
    pub attendance: Option<usize>,
    pub links: Option<usize>,
}

/// Reads `[retention]` from the file's top-level keys; `keys` are the ones allowed there.
pub fn read(f: &mut Fields<'_, '_, '_, '_>, keys: &[&str]) -> (Declared, DeclaredAt) {
    let ctx = f.ctx();
    let Some(value) = f.get("retention") else { return Default::default() };
    let at = value.span().start;
    let Some(table) = value.get_ref().as_table() else {
        let message = "`retention` must be a table: write [retention] on a line of its own, with \
                       e.g. responses = \"24 months\" under it";
        ctx.report(at, message);
        return Default::default();
    };
    read_table(ctx, table, at, keys)
}

fn read_table(ctx: &Ctx<'_>, table: &DeTable<'_>, at: usize, keys: &[&str]) -> (Declared, DeclaredAt) {
    let mut f = Fields::new(ctx, table, at);
    // Where each value's text starts: a later remark about the term points at it.
    let mut value_at = |key: &str| f.get(key).map(|v| ctx.src.string_body(v.span().start));
    let attendance_at = if keys.contains(&"attendance") { value_at("attendance") } else { None };
    let places = DeclaredAt { table: Some(at), attendance: attendance_at, links: value_at("links") };
    let mut term = |key: &str| {
        let text = f.str(key)?;
        Term::parse(text.value).map_err(|message| ctx.report(text.at, format!("`{key}`: {message}"))).ok()
    };
    let responses = term("responses");
    let links = term("links");
    let attendance = if keys.contains(&"attendance") { term("attendance") } else { None };
    let identified = f.str("identified").and_then(|text| match text.value {
        "anonymise" | "anonymize" => Some(Identified::Anonymise),
        "remove" => Some(Identified::Remove),
        other => {
            let message = format!(
                "identified = \"{other}\" does not exist; write \"anonymise\" (keep the answers \
                 without who gave them) or \"remove\""
            );
            ctx.report(text.at, message);
            None
        }
    });
    f.finish(keys, |key| {
        (key == "attendance").then(|| {
            "`attendance` belongs in the [retention] of a sign-up job, which has the sessions".into()
        })
    });
    (Declared { responses, links, identified, attendance }, places)
}

impl Declared {
    /// `self`, with what it leaves open taken from `under` (a job's over its form's).
    pub fn over(&self, under: &Declared) -> Declared {
        Declared {
            responses: self.responses.or(under.responses),
            links: self.links.or(under.links),
            identified: self.identified.or(under.identified),
            attendance: self.attendance.or(under.attendance),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Declared::default()
    }
}

/// `peil.toml`'s default attendance term where a job with `[[accreditation]]` relies on it and it
/// is shorter than the registers' five years: one problem per such job, saying what to change.
pub fn short_defaults(defaults: &super::Defaults, jobs: &crate::jobs::Jobs) -> Vec<String> {
    if defaults.attendance.approx_days() >= ACCREDITATION_TERM.approx_days() {
        return Vec::new();
    }
    let relying = jobs.jobs.iter().filter(|job| {
        job.retention.attendance.is_none() && job.signup.as_ref().is_some_and(|s| !s.registers.is_empty())
    });
    relying
        .map(|job| {
            format!(
                "peil.toml: [retention] attendance = \"{}\" applies to job `{}`, which counts for a \
                 register ([[accreditation]]); registers ask for proof over five years: write at least \
                 attendance = \"5 years\" in peil.toml or in the job's [retention]",
                defaults.attendance, job.id
            )
        })
        .collect()
}
