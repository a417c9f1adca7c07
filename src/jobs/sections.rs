//! The `[audience]` and `[mail]` tables of a job file, and the hint for a key written in the
//! wrong table (in TOML every key after `[mail]` belongs to `[mail]`, an easy slip).

use toml::de::DeTable;

use super::parse::JOB_KEYS;
use super::{Audience, MailTexts};
use crate::forms::Forms;
use crate::forms::diag::{in_string, nearest};
use crate::forms::fields::{At, Ctx, Fields};

const AUDIENCE_KEYS: &[&str] = &["roles", "wijken", "gemeenten", "practices", "per"];
const MAIL_KEYS: &[&str] = &["invitation_subject", "invitation_text", "reminder_subject", "reminder_text"];

/// An e-mail subject longer than this is cut off by most mail programs.
const SUBJECT_MAX_CHARS: usize = 150;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Top,
    Audience,
    Mail,
}

/// Where `key` does belong, when it is a valid key of another part of the file.
pub fn belongs_elsewhere(key: &str, here: Section) -> Option<String> {
    let place = if JOB_KEYS.contains(&key) && here != Section::Top {
        "at the top of the file, above the first [table] line"
    } else if AUDIENCE_KEYS.contains(&key) && here != Section::Audience {
        "under [audience]"
    } else if MAIL_KEYS.contains(&key) && here != Section::Mail {
        "under [mail]"
    } else if key == "cron" {
        return Some("unknown key `cron`; write the pattern as schedule = \"0 9 1 * *\"".into());
    } else {
        return None;
    };
    Some(format!("`{key}` belongs {place}"))
}

pub fn audience(ctx: &Ctx<'_>, table: &DeTable<'_>, at: usize, forms: &Forms) -> Audience {
    let mut f = Fields::new(ctx, table, at);
    let roles = codes(&mut f, "roles", &Vocabulary::of(forms, "rollen", "role", "roles"));
    let wijken = codes(&mut f, "wijken", &Vocabulary::of(forms, "wijken", "wijk", "wijken"));
    let gemeenten = strings(&mut f, "gemeenten").iter().map(|s| s.value.to_string()).collect();
    let practices = practices(&mut f);
    let per_wijk = match f.str("per") {
        None => false,
        Some(per) if per.value == "wijk" => true,
        Some(per) => {
            let message = format!(
                "per = \"{}\" does not exist; write per = \"wijk\" for one round per wijk, \
                 or leave `per` out for one round for everyone",
                per.value
            );
            ctx.report(per.at, message);
            false
        }
    };
    f.finish(AUDIENCE_KEYS, |key| belongs_elsewhere(key, Section::Audience));
    Audience { roles, wijken, gemeenten, practices, per_wijk }
}

/// `practices = [...]`: names as the contact list writes them. Two entries that differ only in
/// capitals or spaces are one practice to `contacts::in_practices`, so the second is reported.
fn practices(f: &mut Fields<'_, '_, '_, '_>) -> Vec<String> {
    let ctx = f.ctx();
    let mut out: Vec<String> = Vec::new();
    for name in strings(f, "practices") {
        let key = crate::contacts::practice_key(name.value);
        if key.is_empty() {
            ctx.report(name.at, "an entry of `practices` holds only spaces; remove it");
        } else if out.iter().any(|p| crate::contacts::practice_key(p) == key) {
            let message = format!(
                "`{}` is listed twice in `practices` (capitals and spaces do not count); remove one",
                name.value
            );
            ctx.report(name.at, message);
        } else {
            out.push(name.value.to_string());
        }
    }
    out
}

/// The values a list of codes may take, from a shared list in `forms/lists/`.
pub(super) struct Vocabulary {
    list: &'static str,
    one: &'static str,
    many: &'static str,
    values: Vec<String>,
}

impl Vocabulary {
    pub(super) fn of(forms: &Forms, list: &'static str, one: &'static str, many: &'static str) -> Vocabulary {
        let values = forms.list_pairs(list).into_iter().map(|(value, _)| value).collect();
        Vocabulary { list, one, many, values }
    }

    fn unknown(&self, value: &str) -> String {
        let Vocabulary { list, one, many, values } = self;
        match nearest(value, values.iter().map(String::as_str)) {
            Some(near) => format!("unknown {one} `{value}`; did you mean `{near}`?"),
            None if values.is_empty() => {
                format!(
                    "unknown {one} `{value}`: there is no list forms/lists/{list}.toml to take {many} from"
                )
            }
            None => format!(
                "unknown {one} `{value}`; the {many} are {} (forms/lists/{list}.toml)",
                values.join(", ")
            ),
        }
    }
}

pub(super) fn codes(f: &mut Fields<'_, '_, '_, '_>, key: &str, vocabulary: &Vocabulary) -> Vec<String> {
    let mut out = Vec::new();
    for code in strings(f, key) {
        if vocabulary.values.iter().any(|v| v == code.value) {
            out.push(code.value.to_string());
        } else {
            f.ctx().report(code.at, vocabulary.unknown(code.value));
        }
    }
    out
}

/// The strings of a list such as `roles = ["huisarts"]`; other values, empty strings and
/// repeats are reported.
fn strings<'t>(f: &mut Fields<'_, '_, 't, '_>, key: &str) -> Vec<At<&'t str>> {
    let ctx = f.ctx();
    let Some(list) = f.array(key) else { return Vec::new() };
    let mut out: Vec<At<&'t str>> = Vec::new();
    for value in list.value.iter() {
        let Some(text) = value.get_ref().as_str() else {
            let message = format!("each entry of `{key}` is a text in quotes, e.g. {key} = [\"...\"]");
            ctx.report(value.span().start, message);
            continue;
        };
        let at = ctx.src.string_body(value.span().start);
        if text.is_empty() {
            ctx.report(at, format!("an empty entry in `{key}`; remove it"));
        } else if out.iter().any(|s| s.value == text) {
            ctx.report(at, format!("`{text}` is listed twice in `{key}`; remove one"));
        } else {
            out.push(At { at, value: text });
        }
    }
    out
}

pub fn mail(ctx: &Ctx<'_>, table: &DeTable<'_>, at: usize) -> MailTexts {
    let mut f = Fields::new(ctx, table, at);
    let texts = MailTexts {
        invitation_subject: subject(&mut f, "invitation_subject"),
        invitation_text: text(&mut f, "invitation_text").map(|t| t.value.trim().to_string()),
        reminder_subject: subject(&mut f, "reminder_subject"),
        reminder_text: text(&mut f, "reminder_text").map(|t| t.value.trim().to_string()),
    };
    f.finish(MAIL_KEYS, |key| belongs_elsewhere(key, Section::Mail));
    texts
}

/// A text that is not blank; blank would send an empty mail or subject.
fn text<'t>(f: &mut Fields<'_, '_, 't, '_>, key: &str) -> Option<At<&'t str>> {
    let text = f.str(key)?;
    if text.value.trim().is_empty() {
        f.ctx().report(text.at, format!("`{key}` is empty; leave it out to use the standard text"));
        return None;
    }
    Some(text)
}

/// A subject: one line, and short enough to be read whole in an inbox.
fn subject(f: &mut Fields<'_, '_, '_, '_>, key: &str) -> Option<String> {
    let ctx = f.ctx();
    let subject = text(f, key)?;
    let value = subject.value.trim();
    let lead = subject.value.len() - subject.value.trim_start().len();
    if let Some(i) = value.find(['\r', '\n']) {
        let message = format!("`{key}` must be one line: an e-mail subject cannot hold a line break");
        ctx.report(in_string(ctx.src, subject.at, lead + i), message);
        return None;
    }
    if let Some((i, _)) = value.char_indices().nth(SUBJECT_MAX_CHARS) {
        let message = format!(
            "`{key}` is {} characters long; keep it to {SUBJECT_MAX_CHARS}, mail programs cut off the rest (from here)",
            value.chars().count()
        );
        ctx.report(in_string(ctx.src, subject.at, lead + i), message);
        return None;
    }
    Some(value.to_string())
}
