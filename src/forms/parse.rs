//! A whole form file: top-level keys, pages, and the order of questions that `show_if` relies on.

use std::collections::HashMap;

use toml::de::{DeArray, DeTable, DeValue};

use super::diag::nearest;
use super::expr::{Lookup, Scope, Ty};
use super::fields::{Ctx, Fields};
use super::model::{Form, FormId, FormKind, Page, Question, QuestionKind};
use super::options::Lists;
use super::question::{self, QuestionCtx};

const FORM_KEYS: &[&str] = &[
    "title", "title_en", "intro", "intro_en", "kind", "anonymous", "thanks", "thanks_en",
    "min_group_size", "pages", "questions",
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
    if title.is_none() && !f.has("title") {
        ctx.report(0, "missing `title`; add e.g. title = \"Samenwerking in de wijk\"");
    }
    let intro = f.text("intro");
    let kind = match f.str("kind") {
        None => FormKind::Survey,
        Some(k) if k.value == "survey" => FormKind::Survey,
        Some(k) if k.value == "signup" => FormKind::Signup,
        Some(k) => {
            ctx.report(k.at, format!("kind `{}` does not exist; use \"survey\" or \"signup\"", k.value));
            FormKind::Survey
        }
    };
    let anonymous = f.bool("anonymous").unwrap_or(false);
    let thanks = f.text("thanks");
    let min_group_size = f.count("min_group_size").and_then(|m| {
        (m.value >= 3).then_some(m.value).or_else(|| {
            ctx.report(m.at, "`min_group_size` cannot be below 3");
            None
        })
    });
    let pages = pages(&mut f, lists);
    f.finish(FORM_KEYS, |k| (k == "sections").then(|| "unknown key `sections`; write pages as [[pages]]".into()));
    let pages = pages?;
    check_kind(ctx, kind, &pages);
    if ctx.has_errors() {
        return None;
    }
    Some(Form { id, title: title?, intro, kind, anonymous, thanks, min_group_size, pages })
}

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

/// Questions seen so far in the form, in order, and where each id was first used.
#[derive(Default)]
struct Seen {
    earlier: Vec<(String, Ty)>,
    first_at: HashMap<String, usize>,
}

fn pages(f: &mut Fields<'_, '_, '_, '_>, lists: &Lists) -> Option<Vec<Page>> {
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
    let mut seen = Seen::default();
    let mut pages = Vec::new();
    for source in &sources {
        let page = match source {
            PageSource::Table(at, table) => page(ctx, table, *at, lists, &all, &mut seen),
            PageSource::TopLevel(array) => {
                let questions = questions(ctx, array, lists, &all, &mut seen);
                Some(Page { title: None, intro: None, show_if: None, questions })
            }
        };
        pages.push(page);
    }
    pages.into_iter().collect()
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

fn questions(ctx: &Ctx<'_>, array: &DeArray<'_>, lists: &Lists, all: &[String], seen: &mut Seen) -> Vec<Question> {
    let mut questions = Vec::new();
    for (at, table) in tables(ctx, array.iter().map(|v| (v.span().start, v.get_ref())), "questions") {
        let id = table.get("id").and_then(|v| v.get_ref().as_str()).map(str::to_string);
        let scope = FormScope { earlier: &seen.earlier, all, current: id.as_deref() };
        let question = question::read(ctx, table, at, &QuestionCtx { lists, scope: &scope });
        if let Some(id) = id {
            if let Some(first) = seen.first_at.get(&id) {
                let line = ctx.src.diagnostic(*first, "").line;
                ctx.report(at, format!("duplicate question id `{id}`; it is already used at line {line}; give each question its own id"));
            }
            seen.first_at.entry(id).or_insert(at);
        }
        if let Some(q) = question {
            seen.earlier.push((q.id.clone(), question::ty_of(&q.kind)));
            questions.push(q);
        }
    }
    questions
}

fn check_kind(ctx: &Ctx<'_>, kind: FormKind, pages: &[Page]) {
    let slots = pages.iter().flat_map(|p| &p.questions).filter(|q| matches!(q.kind, QuestionKind::Slot { .. })).count();
    match kind {
        FormKind::Survey if slots > 0 => ctx.report(0, "a `slot` question belongs in a sign-up form; add kind = \"signup\""),
        FormKind::Signup if slots != 1 => ctx.report(0, format!("a sign-up form needs exactly one `slot` question; it has {slots}")),
        _ => {}
    }
}
