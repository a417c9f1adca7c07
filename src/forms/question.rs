//! One `[[pages.questions]]` table: its common keys, the keys of its type, and their checks.

use toml::de::DeTable;

use super::diag::{in_string, nearest};
use super::expr::{self, Scope, Ty};
use super::fields::{At, Ctx, Fields};
use super::model::{Choice, Condition, Pattern, Question, QuestionKind, Text, Widget};
use super::options::{self, Lists, RawOption};

const COMMON: &[&str] =
    &["id", "type", "label", "label_en", "help", "help_en", "required", "show_if", "results", "identifying"];
pub const TYPES: &[&str] = &[
    "text", "textarea", "number", "email", "date", "single", "multi", "scale", "matrix", "yesno", "consent",
    "slot",
];

/// Keys a question of `type_name` takes besides the common ones.
fn own_keys(type_name: &str) -> &'static [&'static str] {
    match type_name {
        "text" => &[
            "min_length",
            "max_length",
            "pattern",
            "pattern_message",
            "pattern_message_en",
            "placeholder",
            "placeholder_en",
        ],
        "textarea" => &["min_length", "max_length", "placeholder", "placeholder_en"],
        "number" => &["decimal", "min", "max", "unit", "unit_en", "step"],
        "email" => &["read_by"],
        "date" => &["min", "max"],
        "single" => &["options", "widget", "other"],
        "multi" => &["options", "other", "min_choices", "max_choices"],
        "scale" => &["options", "na", "na_en"],
        "matrix" => &["items", "options", "na", "na_en"],
        "slot" => &["max_choices"],
        _ => &[],
    }
}

pub struct QuestionCtx<'a> {
    pub lists: &'a Lists,
    pub scope: &'a dyn Scope,
}

pub fn read(ctx: &Ctx<'_>, table: &DeTable<'_>, at: usize, qc: &QuestionCtx<'_>) -> Option<Question> {
    let mut f = Fields::new(ctx, table, at);
    let id = f.required_str("id", "\"wijk\"");
    if let Some(id) = id
        && !is_identifier(id.value)
    {
        ctx.report(id.at, format!("question id `{}` must be lower-case letters, digits and _ (starting with a letter), e.g. `aantal_patienten`", id.value));
    }
    let type_name = f.required_str("type", "\"single\"");
    let type_str = type_name.map_or("", |t| t.value);
    let known = known_keys(type_str);
    let label = f.text("label");
    if label.is_none() && f.lacks("label", &known) {
        ctx.report(at, "missing `label`; add e.g. label = \"In welke wijk werkt u?\"");
    }
    let help = f.text("help");
    let required = f.bool("required");
    let show_if = f.str("show_if").and_then(|s| condition(ctx, s, qc.scope));
    let kind = type_name.and_then(|t| kind(&mut f, t, qc));
    let reading = super::reading::read(&mut f, kind.as_ref());
    f.finish(&known, |key| {
        let elsewhere = TYPES.iter().any(|t| own_keys(t).contains(&key));
        elsewhere.then(|| format!("`{key}` does not apply to a `{type_str}` question"))
    });
    let kind = kind?;
    let required = required.unwrap_or(matches!(kind, QuestionKind::Consent));
    Some(Question { id: id?.value.to_string(), label: label?, help, required, show_if, kind, reading })
}

/// The keys a question of `type_name` takes. Without a known type every type's keys are
/// accepted: the type is reported already, and the keys may well be right for the intended one.
fn known_keys(type_name: &str) -> Vec<&'static str> {
    let mut known = COMMON.to_vec();
    if TYPES.contains(&type_name) {
        known.extend_from_slice(own_keys(type_name));
    } else {
        TYPES.iter().for_each(|t| known.extend_from_slice(own_keys(t)));
    }
    known
}

pub fn condition(ctx: &Ctx<'_>, source: At<&str>, scope: &dyn Scope) -> Option<Condition> {
    match expr::parse(source.value, scope) {
        Ok(expr) => Some(Condition { source: source.value.to_string(), expr }),
        Err(e) => {
            ctx.report(in_string(ctx.src, source.at, e.offset), format!("show_if: {}", e.message));
            None
        }
    }
}

fn kind(f: &mut Fields<'_, '_, '_, '_>, type_name: At<&str>, qc: &QuestionCtx<'_>) -> Option<QuestionKind> {
    let ctx = f.ctx();
    let kind = match type_name.value {
        "text" => text(f),
        "textarea" => {
            let (min_length, max_length) = lengths(f, 5000)?;
            QuestionKind::Textarea { min_length, max_length, placeholder: f.text("placeholder") }
        }
        "number" => number(f)?,
        "email" => QuestionKind::Email,
        "date" => date(f)?,
        "single" => {
            let options = options::choices(&choice_options(f, qc)?);
            let widget = match f.str("widget") {
                None => Widget::Radio,
                Some(w) if w.value == "radio" => Widget::Radio,
                Some(w) if w.value == "dropdown" => Widget::Dropdown,
                Some(w) => {
                    ctx.report(
                        w.at,
                        format!("widget `{}` does not exist; use \"radio\" or \"dropdown\"", w.value),
                    );
                    return None;
                }
            };
            QuestionKind::Single { options, widget, other: f.bool("other").unwrap_or(false) }
        }
        "multi" => multi(f, qc)?,
        "scale" => {
            let (at, raw) = raw_options(f, qc)?;
            QuestionKind::Scale { points: options::points(ctx, at, &raw)?, na: f.text("na") }
        }
        "matrix" => matrix(f, qc)?,
        "yesno" => QuestionKind::Yesno,
        "consent" => QuestionKind::Consent,
        "slot" => QuestionKind::Slot { max_choices: max_choices(f, None)?.unwrap_or(1) },
        other => {
            let hint = nearest(other, TYPES.iter().copied())
                .map_or_else(|| format!("types: {}", TYPES.join(", ")), |t| format!("did you mean `{t}`?"));
            ctx.report(type_name.at, format!("unknown question type `{other}`; {hint}"));
            return None;
        }
    };
    Some(kind)
}

fn text(f: &mut Fields<'_, '_, '_, '_>) -> QuestionKind {
    let ctx = f.ctx();
    let (min_length, max_length) = lengths(f, 500).unwrap_or((None, 500));
    let message_at = f.key_at("pattern_message");
    let message = f.text("pattern_message");
    let pattern = match (f.str("pattern"), message) {
        (Some(p), message) => match super::model::anchored(p.value) {
            Ok(_) => Some(Pattern::new(
                p.value.to_string(),
                message.unwrap_or_else(|| Text::nl("Het antwoord heeft niet de verwachte vorm.")),
            )),
            Err(e) => {
                let message = format!("`pattern` is not a valid regular expression: {}", regex_problem(&e));
                ctx.report(p.at, message);
                None
            }
        },
        (None, Some(_)) => {
            let at = message_at.unwrap_or(f.at);
            ctx.report(at, "`pattern_message` without a `pattern`; add the pattern or drop the message");
            None
        }
        (None, None) => None,
    };
    QuestionKind::Text { min_length, max_length, pattern, placeholder: f.text("placeholder") }
}

/// The last line of the regex crate's report, e.g. "unclosed character class"; the lines above
/// it repeat the pattern with our anchors added, which would only confuse.
fn regex_problem(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text.lines().last().unwrap_or_default();
    last.strip_prefix("error: ").unwrap_or(last).to_string()
}

fn lengths(f: &mut Fields<'_, '_, '_, '_>, default_max: u32) -> Option<(Option<u32>, u32)> {
    let min = f.count("min_length");
    let max = f.count("max_length");
    let max_value = max.map_or(default_max, |m| m.value);
    if let Some(m) = max
        && !(1..=20_000).contains(&m.value)
    {
        f.ctx().report(m.at, "`max_length` must be between 1 and 20000");
        return None;
    }
    if let Some(m) = min
        && m.value > max_value
    {
        f.ctx().report(m.at, format!("`min_length` ({}) is larger than `max_length` ({max_value})", m.value));
        return None;
    }
    Some((min.map(|m| m.value), max_value))
}

fn number(f: &mut Fields<'_, '_, '_, '_>) -> Option<QuestionKind> {
    let decimal = f.bool("decimal").unwrap_or(false);
    let (min, max) = (f.num("min"), f.num("max"));
    if let (Some(lo), Some(hi)) = (min, max)
        && lo.value > hi.value
    {
        f.ctx().report(lo.at, format!("`min` ({}) is larger than `max` ({}); swap them", lo.value, hi.value));
        return None;
    }
    for bound in [min, max].into_iter().flatten() {
        if !decimal && bound.value.fract() != 0.0 {
            f.ctx().report(
                bound.at,
                "a whole-number question needs whole bounds; add `decimal = true` for decimals",
            );
            return None;
        }
    }
    let (min, max) = (min.map(|m| m.value), max.map(|m| m.value));
    let step = f.num("step");
    if let Some(step) = step
        && let Err(message) = check_step(step.value, decimal, min, max)
    {
        f.ctx().report(step.at, message);
        return None;
    }
    let unit = f.text("unit");
    Some(QuestionKind::Number { decimal, min, max, unit, step: step.map(|s| s.value) })
}

/// A `step` is positive, whole for a whole-number question, and lands on `max` when counted
/// from `min` (or from 0 without one), so every answer between the bounds is reachable.
fn check_step(step: f64, decimal: bool, min: Option<f64>, max: Option<f64>) -> Result<(), String> {
    if step <= 0.0 {
        return Err("`step` must be more than 0, e.g. step = 0.5".into());
    }
    if !decimal && step.fract() != 0.0 {
        return Err(
            "a whole-number question needs a whole `step`; add `decimal = true` for steps like 0.5".into()
        );
    }
    if ((step * 1e6).round() - step * 1e6).abs() > 1e-6 {
        return Err("`step` may have at most 6 decimals".into());
    }
    let (Some(max), origin) = (max, min.unwrap_or(0.0)) else { return Ok(()) };
    let steps = (max - origin) / step;
    if (steps - steps.round()).abs() <= 1e-9 * steps.abs().max(1.0) {
        return Ok(());
    }
    let near = |k: f64| ((origin + k * step) * 1e6).round() / 1e6;
    let from = match min {
        Some(min) => format!("`min` ({min})"),
        None => "0 (there is no `min`)".into(),
    };
    Err(format!(
        "`max` ({max}) is not {from} plus whole steps of {step}; use max = {} or max = {}",
        near(steps.floor()),
        near(steps.ceil())
    ))
}

fn date(f: &mut Fields<'_, '_, '_, '_>) -> Option<QuestionKind> {
    let mut bound = |key: &str| -> Result<Option<At<chrono::NaiveDate>>, ()> {
        let Some(s) = f.str(key) else { return Ok(None) };
        match chrono::NaiveDate::parse_from_str(s.value, "%Y-%m-%d") {
            Ok(d) => Ok(Some(At { at: s.at, value: d })),
            Err(_) => {
                f.ctx().report(s.at, format!("`{key}` must be a date written \"YYYY-MM-DD\""));
                Err(())
            }
        }
    };
    let (min, max) = (bound("min").ok()?, bound("max").ok()?);
    if let (Some(lo), Some(hi)) = (min, max)
        && lo.value > hi.value
    {
        f.ctx().report(lo.at, "`min` is after `max`; swap them");
        return None;
    }
    Some(QuestionKind::Date { min: min.map(|d| d.value), max: max.map(|d| d.value) })
}

fn multi(f: &mut Fields<'_, '_, '_, '_>, qc: &QuestionCtx<'_>) -> Option<QuestionKind> {
    let options = options::choices(&choice_options(f, qc)?);
    let other = f.bool("other").unwrap_or(false);
    let available = options.len() as u32 + u32::from(other);
    let max = max_choices(f, Some(available))?;
    let min = f.count("min_choices");
    if let Some(m) = min
        && m.value > max.unwrap_or(available)
    {
        f.ctx().report(m.at, "`min_choices` is larger than the number of choices allowed");
        return None;
    }
    Some(QuestionKind::Multi { options, other, min_choices: min.map(|m| m.value), max_choices: max })
}

fn max_choices(f: &mut Fields<'_, '_, '_, '_>, available: Option<u32>) -> Option<Option<u32>> {
    let Some(max) = f.count("max_choices") else { return Some(None) };
    if max.value == 0 || available.is_some_and(|a| max.value > a) {
        let most = available.map_or(String::new(), |a| format!(" and at most {a}, the number of options"));
        f.ctx().report(max.at, format!("`max_choices` must be at least 1{most}"));
        return None;
    }
    Some(Some(max.value))
}

fn matrix(f: &mut Fields<'_, '_, '_, '_>, qc: &QuestionCtx<'_>) -> Option<QuestionKind> {
    let ctx = f.ctx();
    let items = match f.array("items") {
        Some(array) => items(ctx, array)?,
        None => {
            ctx.report(
                f.at,
                "a matrix needs `items`, e.g. items = [{ id = \"bereikbaar\", label = \"Bereikbaarheid\" }]",
            );
            return None;
        }
    };
    let (at, raw) = raw_options(f, qc)?;
    let points = options::points(ctx, at, &raw)?;
    Some(QuestionKind::Matrix { items, points, na: f.text("na") })
}

const ITEM_KEYS: &[&str] = &["id", "label", "label_en"];

/// The rows of a matrix: `{ id = "...", label = "..." }` each, ids unique.
fn items(ctx: &Ctx<'_>, array: At<&toml::de::DeArray<'_>>) -> Option<Vec<Choice>> {
    let mut items: Vec<Choice> = Vec::new();
    for item in array.value.iter() {
        let at = item.span().start;
        let Some(table) = item.get_ref().as_table() else {
            ctx.report(at, "a matrix item is { id = \"...\", label = \"...\" }");
            continue;
        };
        let mut f = Fields::new(ctx, table, at);
        let id = f.required_str("id", "\"bereikbaar\"");
        let label = f.text("label");
        let missing_label = label.is_none() && f.lacks("label", ITEM_KEYS);
        f.finish(ITEM_KEYS, |_| None);
        let Some(id) = id else { continue };
        if !is_identifier(id.value) {
            ctx.report(
                id.at,
                format!("matrix item id `{}` must be lower-case letters, digits and _", id.value),
            );
        } else if items.iter().any(|i| i.value == id.value) {
            ctx.report(id.at, format!("matrix item `{}` is listed twice", id.value));
        }
        match label {
            Some(label) => items.push(Choice { value: id.value.to_string(), label }),
            None if missing_label => ctx.report(at, "this matrix item has no `label`"),
            None => {}
        }
    }
    if array.value.is_empty() {
        ctx.report(array.at, "`items` is empty; list at least one row");
    }
    (!items.is_empty()).then_some(items)
}

/// `options` of a single or multi choice: text values (numbers are read as text).
fn choice_options(f: &mut Fields<'_, '_, '_, '_>, qc: &QuestionCtx<'_>) -> Option<Vec<RawOption>> {
    raw_options(f, qc).map(|(_, raw)| raw)
}

fn raw_options(f: &mut Fields<'_, '_, '_, '_>, qc: &QuestionCtx<'_>) -> Option<(usize, Vec<RawOption>)> {
    let ctx = f.ctx();
    let Some(value) = f.get("options") else {
        ctx.report(f.at, "missing `options`; list them, e.g. options = [\"Ja\", \"Nee\"], or name a list, e.g. options = \"wijken\"");
        return None;
    };
    let at = value.span().start;
    match value.get_ref() {
        toml::de::DeValue::String(name) => {
            let name = At { at: ctx.src.string_body(at), value: name.as_ref() };
            options::named(ctx, qc.lists, name).map(|l| (at, l.to_vec()))
        }
        toml::de::DeValue::Array(array) => {
            options::read_inline(ctx, At { at, value: array }).map(|o| (at, o))
        }
        other => {
            ctx.report(
                at,
                format!("`options` must be a list [...] or the name of a list, not {}", other.type_str()),
            );
            None
        }
    }
}

pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && s.len() <= 40
}

/// What a condition may do with a question of this kind.
pub fn ty_of(kind: &QuestionKind) -> Ty {
    match kind {
        QuestionKind::Text { .. } | QuestionKind::Textarea { .. } | QuestionKind::Email => Ty::Text,
        QuestionKind::Number { .. } => Ty::Num,
        QuestionKind::Date { .. } => Ty::Date,
        QuestionKind::Single { options, .. } => Ty::Choice(options.iter().map(|o| o.value.clone()).collect()),
        QuestionKind::Multi { options, .. } => Ty::Many(options.iter().map(|o| o.value.clone()).collect()),
        QuestionKind::Scale { points, .. } => Ty::Points(points.iter().map(|p| p.value).collect()),
        QuestionKind::Matrix { items, points, .. } => Ty::Matrix(
            items.iter().map(|i| i.value.clone()).collect(),
            points.iter().map(|p| p.value).collect(),
        ),
        QuestionKind::Yesno | QuestionKind::Consent => Ty::Bool,
        QuestionKind::Slot { .. } => Ty::Slot,
    }
}
