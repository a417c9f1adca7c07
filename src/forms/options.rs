//! Option lists: inline in a question, or named and shared from `forms/lists/<name>.toml`.

use std::collections::BTreeMap;
use std::path::Path;

use toml::de::{DeArray, DeTable, DeValue};

use super::diag::{Diagnostic, Source, nearest};
use super::fields::{At, Ctx, Fields, int_of};
use super::model::{Choice, ScalePoint, Text};

#[derive(Clone, Debug, PartialEq)]
pub enum OptValue {
    Str(String),
    Int(i64),
}

#[derive(Clone, Debug)]
pub struct RawOption {
    pub value: OptValue,
    pub label: Text,
}

/// Named lists by name (the file name without `.toml`).
pub type Lists = BTreeMap<String, Vec<RawOption>>;

/// Reads every `*.toml` in `dir`; a missing folder is simply no lists.
pub fn load_lists(dir: &Path, diags: &mut Vec<Diagnostic>) -> Lists {
    let mut lists = Lists::new();
    for (name, src) in super::toml_files(dir, diags) {
        if let Some(options) = list_from_source(&src, diags) {
            lists.insert(name, options);
        }
    }
    lists
}

pub fn list_from_source(src: &Source, diags: &mut Vec<Diagnostic>) -> Option<Vec<RawOption>> {
    let ctx = Ctx::new(src);
    let options = read_list(&ctx);
    diags.extend(ctx.into_diagnostics());
    options
}

fn read_list(ctx: &Ctx<'_>) -> Option<Vec<RawOption>> {
    let table = super::parse_toml(ctx)?;
    let mut fields = Fields::new(ctx, &table, 0);
    fields.text("title");
    let options = match fields.array("options") {
        Some(array) => read_inline(ctx, array),
        None => {
            if !fields.has("options") {
                ctx.report(0, "missing `options`; add e.g. options = [\"Noord\", \"Zuid\"]");
            }
            None
        }
    };
    fields.finish(&["title", "title_en", "options"], |_| None);
    options
}

/// `options = [...]` written in the question itself.
pub fn read_inline(ctx: &Ctx<'_>, array: At<&DeArray<'_>>) -> Option<Vec<RawOption>> {
    if array.value.is_empty() {
        ctx.report(array.at, "`options` is empty; list at least one option");
        return None;
    }
    let mut options: Vec<RawOption> = Vec::new();
    for item in array.value.iter() {
        let at = item.span().start;
        let option = match item.get_ref() {
            DeValue::String(s) => {
                Some(RawOption { value: OptValue::Str(s.trim().to_string()), label: Text::nl(s.trim()) })
            }
            DeValue::Table(t) => read_option_table(ctx, t, at),
            other => {
                let found = other.type_str();
                ctx.report(
                    at,
                    format!("an option is \"text\" or {{ value = ..., label = \"...\" }}, not {found}"),
                );
                None
            }
        };
        let Some(option) = option else { continue };
        if let OptValue::Str(v) = &option.value
            && (v.is_empty() || v.starts_with('_'))
        {
            ctx.report(at, "an option value cannot be empty or start with `_`");
        } else if options.iter().any(|o| o.value == option.value) {
            ctx.report(at, format!("option {} is listed twice", show(&option.value)));
        }
        options.push(option);
    }
    Some(options)
}

fn read_option_table(ctx: &Ctx<'_>, table: &DeTable<'_>, at: usize) -> Option<RawOption> {
    let mut fields = Fields::new(ctx, table, at);
    let value = match fields.get("value").map(|v| v.get_ref()) {
        Some(DeValue::String(s)) => Some(OptValue::Str(s.trim().to_string())),
        Some(v @ DeValue::Integer(_)) => int_of(v).map(OptValue::Int),
        Some(_) => {
            ctx.report(at, "an option's `value` is \"text\" or a whole number");
            None
        }
        None => {
            ctx.report(at, "this option has no `value`; add e.g. value = \"noord\"");
            None
        }
    };
    let label = fields.text("label");
    fields.finish(&["value", "label", "label_en"], |_| None);
    let value = value?;
    let label = label.unwrap_or_else(|| Text::nl(&show_plain(&value)));
    Some(RawOption { value, label })
}

/// `options = "name"`: the named list, or a report naming the lists that do exist.
pub fn named<'l>(ctx: &Ctx<'_>, lists: &'l Lists, name: At<&str>) -> Option<&'l [RawOption]> {
    if let Some(list) = lists.get(name.value) {
        return Some(list);
    }
    let hint = match nearest(name.value, lists.keys().map(String::as_str)) {
        Some(near) => format!("; did you mean \"{near}\"?"),
        None if lists.is_empty() => " (there are no lists in forms/lists/)".to_string(),
        None => format!("; lists: {}", lists.keys().cloned().collect::<Vec<_>>().join(", ")),
    };
    ctx.report(
        name.at,
        format!("there is no option list `{}` (forms/lists/{}.toml){hint}", name.value, name.value),
    );
    None
}

/// Options of a single or multi choice: values become text.
pub fn choices(options: &[RawOption]) -> Vec<Choice> {
    options.iter().map(|o| Choice { value: show_plain(&o.value), label: o.label.clone() }).collect()
}

/// Options of a scale: whole numbers, ascending, at least two.
pub fn points(ctx: &Ctx<'_>, at: usize, options: &[RawOption]) -> Option<Vec<ScalePoint>> {
    let mut points: Vec<ScalePoint> = Vec::new();
    for option in options {
        let OptValue::Int(value) = option.value else {
            ctx.report(at, format!("scale points need whole-number values, e.g. {{ value = 1, label = \"Helemaal oneens\" }}; found {}", show(&option.value)));
            return None;
        };
        if points.last().is_some_and(|p| p.value >= value) {
            ctx.report(
                at,
                format!(
                    "scale points must go up; {value} comes after {}",
                    points.last().map_or(0, |p| p.value)
                ),
            );
            return None;
        }
        points.push(ScalePoint { value, label: option.label.clone() });
    }
    if points.len() < 2 {
        ctx.report(at, "a scale needs at least two points");
        return None;
    }
    Some(points)
}

fn show(value: &OptValue) -> String {
    match value {
        OptValue::Str(s) => format!("\"{s}\""),
        OptValue::Int(n) => n.to_string(),
    }
}

fn show_plain(value: &OptValue) -> String {
    match value {
        OptValue::Str(s) => s.clone(),
        OptValue::Int(n) => n.to_string(),
    }
}
