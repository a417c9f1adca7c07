//! A whole form file: top-level keys, pages, and the order of questions that `show_if` relies on.

use std::collections::HashMap;

use toml::de::{DeArray, DeTable, DeValue};

use super::diag::nearest;
use super::expr::{Lookup, Scope, Ty};
use super::fields::{At, Ctx, Fields};
use super::model::{Form, FormId, FormKind, Page, Question};
use super::options::Lists;
use super::question::{self, QuestionCtx};

const FORM_KEYS: &[&str] = &[
    "title",
    "title_en",
    "intro",
    "intro_en",
    "purpose",
    "purpose_en",
    "kind",
    "anonymous",
    "thanks",
    "thanks_en",
    "min_group_size",
    "pages",
    "questions",
    "retention",
];
const PAGE_KEYS: &[&str] = &["title", "title_en", "intro", "intro_en", "show_if", "questions"];

/// The questions seen so far, and every id in the form, for resolving `show_if` names.
struct FormScope<'a> {
    earlier: &'a [(String, Ty)],
    all: &'a [String],
    current: Option<&'a str>,
}

impl Scope for FormScope<'_> {
    fn lookup(&self, id: &str) -> Lookup {
        if self.current == Some(id) {
            return Lookup::SelfRef;
        }
        if let Some((_, ty)) = self.earlier.iter().rev().find(|(q, _)| q == id) {
            return Lookup::Earlier(ty.clone());
        }
        if self.all.iter().any(|q| q == id) {
            return Lookup::Later;
        }
        let suggestion = nearest(id, self.all.iter().map(String::as_str)).map(str::to_string);
        Lookup::Unknown { suggestion }
    }
}

pub fn read_form(ctx: &Ctx<'_>, id: FormId, lists: &Lists) -> Option<Form> {
    let table = super::parse_toml(ctx)?;
    let mut f = Fields::new(ctx, &table, 0);
    let title = f.text("title");
    if title.is_none() && f.lacks("title", FORM_KEYS) {
        ctx.report(0, "missing `title`; add e.g. title = \"Samenwerking in de wijk\"");
    }
    let intro = f.text("intro");
    // An empty purpose says no more than a missing one.
    let purpose = f.text("purpose").filter(|p| !p.nl.is_empty());
    if purpose.is_none() && (f.has("purpose") || f.lacks("purpose", FORM_KEYS)) {
        ctx.warn(0, MISSING_PURPOSE);
    }
    let kind_value = f.str("kind");
    let kind = match kind_value {
        None => Some(FormKind::Survey),
        Some(k) if k.value == "survey" => Some(FormKind::Survey),
        Some(k) if k.value == "signup" => Some(FormKind::Signup),
        Some(k) => {
            ctx.report(k.at, format!("kind `{}` does not exist; use \"survey\" or \"signup\"", k.value));
            None
        }
    };
    let anonymous_at = f.key_at("anonymous");
    let anonymous = f.bool("anonymous").unwrap_or(false);
    // A sign-up's seats, waiting list and attendance list are personal: nothing of it can be
    // anonymous, and an anonymous intro would promise what the round cannot keep.
    if anonymous && kind == Some(FormKind::Signup) {
        ctx.report(anonymous_at.unwrap_or(0), SIGNUP_IS_PERSONAL);
    }
    let thanks = f.text("thanks");
    let min_group_size = f.count("min_group_size").and_then(|m| {
        (m.value >= 3).then_some(m.value).or_else(|| {
            ctx.report(m.at, "`min_group_size` cannot be below 3");
            None
        })
    });
    let (retention, _) = crate::retention::declared::read(&mut f, crate::retention::declared::FORM_KEYS);
    let mut seen = Seen { anonymous, ..Seen::default() };
    let pages = pages(&mut f, lists, &mut seen);
    f.finish(FORM_KEYS, |k| {
        (k == "sections").then(|| "unknown key `sections`; write pages as [[pages]]".into())
    });
    // With a misspelt kind, which slot rule applies is anyone's guess: say nothing more.
    if let Some(kind) = kind {
        check_kind(ctx, kind, kind_value.map_or(0, |k| k.at), &seen.slots);
    }
    let pages = pages?;
    if ctx.has_errors() {
        return None;
    }
    Some(Form {
        id,
        title: title?,
        intro,
        purpose,
        kind: kind?,
        anonymous,
        thanks,
        min_group_size,
        pages,
        retention,
    })
}

/// Without a purpose the privacy statement and the register cannot say why the form asks what
/// it asks (AVG articles 13 and 30); the form still works, so this is a warning.
const MISSING_PURPOSE: &str = "the form has no `purpose`: the privacy statement (/privacy/<form>) and the \
     processing register cannot say why it asks this; add e.g. purpose = \"De werkgroep wil weten hoe \
     de samenwerking met de crisisdienst loopt, om die te verbeteren.\"";

/// Why a sign-up form or job cannot be anonymous (also `jobs::parse`).
pub(crate) const SIGNUP_IS_PERSONAL: &str = "a sign-up cannot be anonymous: its seats, waiting list and attendance list \
     name the people who signed up; remove `anonymous = true`";

/// Where a page's questions come from: a `[[pages]]` table, or top-level `[[questions]]`.
enum PageSource<'t, 'i> {
    Table(usize, &'t DeTable<'i>),
    TopLevel(&'t DeArray<'i>),
}

impl<'t, 'i> PageSource<'t, 'i> {
    fn questions(&self) -> Option<&'t DeArray<'i>> {
        match self {
            PageSource::Table(_, t) => t.get("questions").and_then(|q| q.get_ref().as_array()),
            PageSource::TopLevel(a) => Some(a),
        }
    }
}

/// Questions seen so far in the form, in order; where each id was first used; where the type of
/// each `slot` question is written.
#[derive(Default)]
struct Seen {
    earlier: Vec<(String, Ty)>,
    first_at: HashMap<String, usize>,
    slots: Vec<usize>,
    /// Whether the form is anonymous: then a question that asks who answered is warned about.
    anonymous: bool,
}

fn pages(f: &mut Fields<'_, '_, '_, '_>, lists: &Lists, seen: &mut Seen) -> Option<Vec<Page>> {
    let ctx = f.ctx();
    if f.has("pages") && f.has("questions") {
        ctx.report(0, "use either [[pages]] or top-level [[questions]], not both");
        return None;
    }
    let sources: Vec<PageSource<'_, '_>> = if let Some(pages) = f.array("pages") {
        tables(ctx, pages.value.iter().map(|v| (v.span().start, v.get_ref())), "[[pages]]")
            .into_iter()
            .map(|(at, t)| PageSource::Table(at, t))
            .collect()
    } else if let Some(questions) = f.array("questions") {
        vec![PageSource::TopLevel(questions.value)]
    } else {
        if !f.has("questions") {
            ctx.report(0, "the form has no questions; add [[pages]] with [[pages.questions]]");
        }
        return None;
    };
    let all = all_question_ids(&sources);
    let mut pages = Vec::new();
    for source in &sources {
        let (at, page) = match source {
            PageSource::Table(at, table) => (*at, page(ctx, table, *at, lists, &all, seen)),
            PageSource::TopLevel(array) => {
                let questions = questions(ctx, array, lists, &all, seen);
                let at = array.first().map_or(0, |q| q.span().start);
                (at, Some(Page { title: None, intro: None, show_if: None, questions }))
            }
        };
        if let Some(page) = &page {
            check_fields(ctx, page, at);
        }
        pages.push(page);
    }
    pages.into_iter().collect()
}

/// A page is posted as one body: one that can post more fields than a body may hold would
/// pass here and have every submission refused.
fn check_fields(ctx: &Ctx<'_>, page: &Page, at: usize) {
    let fields = page.most_fields();
    if fields > super::MAX_FIELDS {
        let most = super::MAX_FIELDS;
        ctx.report(
            at,
            format!(
                "this page can post {fields} fields, more than the {most} the service accepts in one \
                 submission; spread its questions over more pages"
            ),
        );
    }
}

fn tables<'t, 'i>(
    ctx: &Ctx<'_>,
    values: impl Iterator<Item = (usize, &'t DeValue<'i>)>,
    what: &str,
) -> Vec<(usize, &'t DeTable<'i>)> {
    let mut out = Vec::new();
    for (at, value) in values {
        match value.as_table() {
            Some(t) => out.push((at, t)),
            None => ctx.report(at, format!("each entry of {what} must be a table")),
        }
    }
    out
}

fn all_question_ids(sources: &[PageSource<'_, '_>]) -> Vec<String> {
    let questions = sources.iter().filter_map(PageSource::questions).flat_map(|a| a.iter());
    questions
        .filter_map(|q| q.get_ref().as_table()?.get("id")?.get_ref().as_str().map(str::to_string))
        .collect()
}

fn page(
    ctx: &Ctx<'_>,
    table: &DeTable<'_>,
    at: usize,
    lists: &Lists,
    all: &[String],
    seen: &mut Seen,
) -> Option<Page> {
    let mut f = Fields::new(ctx, table, at);
    let title = f.text("title");
    let intro = f.text("intro");
    let page_scope = FormScope { earlier: &seen.earlier, all, current: None };
    let show_if = f.str("show_if").and_then(|s| question::condition(ctx, s, &page_scope));
    let questions = match f.array("questions") {
        Some(array) => questions(ctx, array.value, lists, all, seen),
        None => {
            if !f.has("questions") {
                ctx.report(at, "this page has no questions; add [[pages.questions]]");
            }
            Vec::new()
        }
    };
    f.finish(PAGE_KEYS, |_| None);
    Some(Page { title, intro, show_if, questions })
}

fn questions(
    ctx: &Ctx<'_>,
    array: &DeArray<'_>,
    lists: &Lists,
    all: &[String],
    seen: &mut Seen,
) -> Vec<Question> {
    let mut questions = Vec::new();
    for (at, table) in tables(ctx, array.iter().map(|v| (v.span().start, v.get_ref())), "questions") {
        let id = string_at(ctx, table, "id");
        let scope = FormScope { earlier: &seen.earlier, all, current: id.map(|i| i.value) };
        let question = question::read(ctx, table, at, &QuestionCtx { lists, scope: &scope });
        if let Some(id) = id {
            if let Some(first) = seen.first_at.get(id.value) {
                let line = ctx.src.diagnostic(*first, "").line;
                let message = format!(
                    "duplicate question id `{}`; line {line} uses it already; give each question its own id",
                    id.value
                );
                ctx.report(id.at, message);
            }
            seen.first_at.entry(id.value.to_string()).or_insert(id.at);
        }
        if let Some(t) = string_at(ctx, table, "type")
            && t.value == "slot"
        {
            seen.slots.push(t.at);
        }
        match (question, id) {
            (Some(q), _) => {
                if seen.anonymous {
                    super::reading::warn_if_identifying(ctx, table, &q);
                }
                seen.earlier.push((q.id.clone(), question::ty_of(&q.kind)));
                questions.push(q);
            }
            // Its problems are reported; conditions that use it should not add more.
            (None, Some(id)) => seen.earlier.push((id.value.to_string(), Ty::Any)),
            (None, None) => {}
        }
    }
    questions
}

/// A string value of `table` and where its text starts.
fn string_at<'t>(ctx: &Ctx<'_>, table: &'t DeTable<'_>, key: &str) -> Option<At<&'t str>> {
    let value = table.get(key)?;
    let text = value.get_ref().as_str()?;
    Some(At { at: ctx.src.string_body(value.span().start), value: text })
}

/// A sign-up form has exactly one `slot` question (the sessions to choose from); a survey none.
fn check_kind(ctx: &Ctx<'_>, kind: FormKind, kind_at: usize, slots: &[usize]) {
    match (kind, slots) {
        (FormKind::Survey, _) => {
            let message = "a `slot` question belongs in a sign-up form; add kind = \"signup\" at the top";
            slots.iter().for_each(|&at| ctx.report(at, message));
        }
        (FormKind::Signup, []) => {
            ctx.report(kind_at, "a sign-up form needs a `slot` question, where people choose a session")
        }
        (FormKind::Signup, [first, more @ ..]) => {
            let line = ctx.src.diagnostic(*first, "").line;
            let message =
                format!("a sign-up form has exactly one `slot` question; line {line} has it already");
            more.iter().for_each(|&at| ctx.report(at, message.clone()));
        }
    }
}
