//! Reading one TOML table key by key: every key that is read is marked, every value of the wrong
//! type is reported, and what is left over at the end is an unknown key with a suggestion.

use std::cell::RefCell;

use toml::Spanned;
use toml::de::{DeArray, DeTable, DeValue};

use super::diag::{Diagnostic, Source, nearest};
use super::model::Text;

/// The file being read and the problems found so far.
pub struct Ctx<'s> {
    pub src: &'s Source,
    diags: RefCell<Vec<Diagnostic>>,
    /// What is allowed but probably not meant: shown, never a reason to refuse the file.
    warnings: RefCell<Vec<Diagnostic>>,
}

impl<'s> Ctx<'s> {
    pub fn new(src: &'s Source) -> Ctx<'s> {
        Ctx { src, diags: RefCell::new(Vec::new()), warnings: RefCell::new(Vec::new()) }
    }

    /// A warning at `offset`, written `file:line:col: warning: message`.
    pub fn warn(&self, offset: usize, message: impl Into<String>) {
        let message = format!("warning: {}", message.into());
        self.warnings.borrow_mut().push(self.src.diagnostic(offset, message));
    }

    /// The warnings so far, in the order of the file.
    pub fn take_warnings(&self) -> Vec<Diagnostic> {
        let mut warnings = self.warnings.take();
        warnings.sort_by_key(|d| (d.line, d.col));
        warnings
    }

    pub fn report(&self, offset: usize, message: impl Into<String>) {
        self.diags.borrow_mut().push(self.src.diagnostic(offset, message));
    }

    /// The problems in the order of the file, which is how an editor works through them (they
    /// are found in another order: a question's own keys before its unknown ones, say).
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut diags = self.diags.into_inner();
        diags.sort_by_key(|d| (d.line, d.col));
        diags
    }

    pub fn has_errors(&self) -> bool {
        !self.diags.borrow().is_empty()
    }
}

/// A value with the byte offset it was found at.
#[derive(Clone, Copy, Debug)]
pub struct At<T> {
    pub at: usize,
    pub value: T,
}

pub type Value<'t, 'i> = &'t Spanned<DeValue<'i>>;

pub struct Fields<'c, 's, 't, 'i> {
    ctx: &'c Ctx<'s>,
    table: &'t DeTable<'i>,
    pub at: usize,
    used: Vec<&'t str>,
}

impl<'c, 's, 't, 'i> Fields<'c, 's, 't, 'i> {
    pub fn new(ctx: &'c Ctx<'s>, table: &'t DeTable<'i>, at: usize) -> Self {
        Fields { ctx, table, at, used: Vec::new() }
    }

    pub fn ctx(&self) -> &'c Ctx<'s> {
        self.ctx
    }

    pub fn has(&self, key: &str) -> bool {
        self.table.get(key).is_some()
    }

    /// Whether `key` is absent and no unknown key (one not in `known`) looks like a typo of it:
    /// `finish` reports the typo with its correction, so "missing" would only repeat it.
    pub fn lacks(&self, key: &str, known: &[&str]) -> bool {
        let typo = |k: &str| !known.contains(&k) && nearest(k, known.iter().copied()) == Some(key);
        !self.has(key) && !self.table.iter().any(|(k, _)| typo(k.get_ref()))
    }

    /// Where `key` itself is written, for problems with the key rather than its value.
    pub fn key_at(&self, key: &str) -> Option<usize> {
        self.table.get_key_value(key).map(|(k, _)| k.span().start)
    }

    pub fn get(&mut self, key: &str) -> Option<Value<'t, 'i>> {
        let (k, v) = self.table.get_key_value(key)?;
        self.used.push(k.get_ref().as_ref());
        Some(v)
    }

    fn wrong_type(&self, key: &str, v: Value<'t, 'i>, expected: &str) {
        let found = v.get_ref().type_str();
        self.ctx.report(v.span().start, format!("`{key}` must be {expected}, not {found}"));
    }

    pub fn str(&mut self, key: &str) -> Option<At<&'t str>> {
        let v = self.get(key)?;
        match v.get_ref().as_str() {
            Some(s) => Some(At { at: self.ctx.src.string_body(v.span().start), value: s }),
            None => {
                self.wrong_type(key, v, "a string in quotes");
                None
            }
        }
    }

    /// A required string; reports its absence at the table.
    pub fn required_str(&mut self, key: &str, example: &str) -> Option<At<&'t str>> {
        if !self.has(key) {
            self.ctx.report(self.at, format!("missing `{key}`; add e.g. {key} = {example}"));
            return None;
        }
        self.str(key)
    }

    /// A Dutch text under `key` with its optional English under `key_en`.
    pub fn text(&mut self, key: &str) -> Option<Text> {
        let nl = self.str(key).map(|s| s.value.trim().to_string());
        let en = self.str(&format!("{key}_en")).map(|s| s.value.trim().to_string());
        nl.map(|nl| Text { nl, en })
    }

    pub fn bool(&mut self, key: &str) -> Option<bool> {
        let v = self.get(key)?;
        let b = v.get_ref().as_bool();
        if b.is_none() {
            self.wrong_type(key, v, "true or false");
        }
        b
    }

    pub fn int(&mut self, key: &str) -> Option<At<i64>> {
        let v = self.get(key)?;
        match int_of(v.get_ref()) {
            Some(n) => Some(At { at: v.span().start, value: n }),
            None => {
                self.wrong_type(key, v, "a whole number");
                None
            }
        }
    }

    /// A whole number of at least 0 that fits a `u32`.
    pub fn count(&mut self, key: &str) -> Option<At<u32>> {
        let n = self.int(key)?;
        match u32::try_from(n.value) {
            Ok(value) => Some(At { at: n.at, value }),
            Err(_) => {
                self.ctx.report(n.at, format!("`{key}` must be 0 or more"));
                None
            }
        }
    }

    pub fn num(&mut self, key: &str) -> Option<At<f64>> {
        let v = self.get(key)?;
        let n = match v.get_ref() {
            DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
            other => int_of(other).map(|n| n as f64),
        };
        match n.filter(|n| n.is_finite()) {
            Some(value) => Some(At { at: v.span().start, value }),
            None => {
                self.wrong_type(key, v, "a number");
                None
            }
        }
    }

    pub fn array(&mut self, key: &str) -> Option<At<&'t DeArray<'i>>> {
        let v = self.get(key)?;
        match v.get_ref().as_array() {
            Some(a) => Some(At { at: v.span().start, value: a }),
            None => {
                self.wrong_type(key, v, "a list [...]");
                None
            }
        }
    }

    /// Reports every key that is neither read nor `known` as unknown, suggesting the nearest of
    /// `known`. A known key can go unread when its table already has an error that stopped the
    /// reading early; it is not unknown for that.
    pub fn finish(self, known: &[&str], elsewhere: impl Fn(&str) -> Option<String>) {
        for (k, _) in self.table.iter() {
            let key: &str = k.get_ref().as_ref();
            if self.used.contains(&key) || known.contains(&key) {
                continue;
            }
            let hint = match (elsewhere(key), nearest(key, known.iter().copied())) {
                (Some(why), _) => why,
                (None, Some(near)) => format!("unknown key `{key}`; did you mean `{near}`?"),
                (None, None) => format!("unknown key `{key}`; valid here: {}", known.join(", ")),
            };
            self.ctx.report(k.span().start, hint);
        }
    }
}

pub fn int_of(v: &DeValue<'_>) -> Option<i64> {
    match v {
        DeValue::Integer(i) => i64::from_str_radix(&i.as_str().replace('_', ""), i.radix()).ok(),
        _ => None,
    }
}
