//! Form files: `forms/<id>.toml`, with shared option lists in `forms/lists/`. Loading checks every
//! file and reports every problem at once as `file:line:col: message`; a form with problems is
//! never served.

pub mod answers;
pub(crate) mod diag;
mod eval;
pub mod explain;
pub mod expr;
pub(crate) mod fields;
mod lexer;
mod limits;
pub mod model;
mod options;
mod parse;
pub(crate) use parse::SIGNUP_IS_PERSONAL;
mod question;
pub mod reading;
mod typing;
pub mod validate;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

pub use answers::{Answer, Answers};
pub use diag::{Diagnostic, Source};
pub use limits::MAX_FIELDS;
pub use model::{
    Choice, Form, FormId, FormKind, Page, Question, QuestionKind, ReadBy, Reading, Results, ScalePoint, Text,
};
pub use options::Lists;

#[derive(Debug, thiserror::Error)]
pub enum FormsError {
    #[error("{}\n{} problem(s) found in the form files", join(.0), .0.len())]
    Invalid(Vec<Diagnostic>),
    #[error("cannot read the forms folder {0}: {1}")]
    Folder(String, std::io::Error),
}

fn join(diags: &[Diagnostic]) -> String {
    diags.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

/// Every checked form, by id, and the shared option lists.
#[derive(Debug, Default)]
pub struct Forms {
    forms: BTreeMap<FormId, Arc<Form>>,
    /// The ids of form files with problems, left out of `forms`. Only `check` fills this in;
    /// `load` refuses the whole folder instead.
    failed: BTreeSet<String>,
    pub lists: Lists,
    /// What the files allow but probably do not mean (`file:line:col: warning: ...`): printed by
    /// `peil check` and logged at start-up, never a reason to refuse a form.
    pub warnings: Vec<Diagnostic>,
}

impl Forms {
    pub fn get(&self, id: &str) -> Option<&Arc<Form>> {
        self.forms.get(&FormId(id.to_string()))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<Form>> {
        self.forms.values()
    }

    pub fn len(&self) -> usize {
        self.forms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.forms.is_empty()
    }

    /// Whether `id` is a form file that was left out for its problems (see `check`): a job
    /// naming it is told that, rather than that the form does not exist.
    pub fn failed(&self, id: &str) -> bool {
        self.failed.contains(id)
    }

    /// (value, label) pairs of a named list, e.g. the roles or the wijken.
    pub fn list_pairs(&self, name: &str) -> Vec<(String, String)> {
        let options = self.lists.get(name).map(Vec::as_slice).unwrap_or_default();
        options::choices(options).into_iter().map(|c| (c.value, c.label.nl)).collect()
    }
}

/// Loads and checks `dir/*.toml` with the lists in `dir/lists/`; any problem refuses them all.
pub fn load(dir: &Path) -> Result<Forms, FormsError> {
    let Checked { forms, problems } = check(dir)?;
    if problems.is_empty() { Ok(forms) } else { Err(FormsError::Invalid(problems)) }
}

/// What `check` found: the forms that passed and every problem of those that did not.
pub struct Checked {
    pub forms: Forms,
    pub problems: Vec<Diagnostic>,
}

/// Checks `dir/*.toml` with the lists in `dir/lists/`, keeping the forms that pass: `peil check`
/// checks the job files against those in the same run, rather than only once every form passes.
pub fn check(dir: &Path) -> Result<Checked, FormsError> {
    if !dir.is_dir() {
        let e = std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder");
        return Err(FormsError::Folder(dir.display().to_string(), e));
    }
    let mut diags = Vec::new();
    let lists = options::load_lists(&dir.join("lists"), &mut diags);
    let mut forms = BTreeMap::new();
    let mut warnings = Vec::new();
    let before = diags.len();
    let files = toml_files(dir, &mut diags);
    // A file that cannot be read as text is a form with problems too.
    let mut failed: BTreeSet<String> = diags[before..]
        .iter()
        .filter_map(|d| Path::new(&d.file).file_stem()?.to_str().map(str::to_string))
        .collect();
    for (name, src) in files {
        if !is_form_id(&name) {
            diags.push(src.diagnostic(
                0,
                format!("the file name `{name}` is the form's id: use lower-case letters, digits and - only"),
            ));
            failed.insert(name);
            continue;
        }
        let id = FormId(name);
        let ctx = fields::Ctx::new(&src);
        let form = parse::read_form(&ctx, id.clone(), &lists);
        warnings.extend(ctx.take_warnings());
        let problems = ctx.into_diagnostics();
        match form {
            Some(form) if problems.is_empty() => {
                forms.insert(id, Arc::new(form));
            }
            _ => {
                failed.insert(id.0);
            }
        }
        diags.extend(problems);
    }
    Ok(Checked { forms: Forms { forms, failed, lists, warnings }, problems: diags })
}

/// Checks one form's text (as if it were `file`) against `lists`: for tests and tools.
pub fn check_text(file: &str, text: &str, lists: &Lists) -> Result<Form, Vec<Diagnostic>> {
    check_text_warned(file, text, lists).map(|(form, _)| form)
}

/// [`check_text`] with the form's warnings.
pub fn check_text_warned(
    file: &str,
    text: &str,
    lists: &Lists,
) -> Result<(Form, Vec<Diagnostic>), Vec<Diagnostic>> {
    let src = Source::new(file.to_string(), text.to_string());
    let name = Path::new(file).file_stem().and_then(|s| s.to_str()).unwrap_or("form");
    let ctx = fields::Ctx::new(&src);
    let form = parse::read_form(&ctx, FormId(name.to_string()), lists);
    let warnings = ctx.take_warnings();
    let diags = ctx.into_diagnostics();
    match form {
        Some(form) if diags.is_empty() => Ok((form, warnings)),
        _ => Err(diags),
    }
}

/// Lists from `(name, text)` pairs: for tests and tools.
pub fn lists_from(files: &[(&str, &str)]) -> Result<Lists, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut lists = Lists::new();
    for (name, text) in files {
        let src = Source::new(format!("forms/lists/{name}.toml"), text.to_string());
        if let Some(options) = options::list_from_source(&src, &mut diags) {
            lists.insert(name.to_string(), options);
        }
    }
    if diags.is_empty() { Ok(lists) } else { Err(diags) }
}

pub(crate) fn is_form_id(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// The `*.toml` files directly in `dir`, sorted by name, read as text.
pub(crate) fn toml_files(dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<(String, Source)> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let file = path.display().to_string();
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
        match std::fs::read(&path).map(String::from_utf8) {
            Ok(Ok(text)) => files.push((name, Source::new(file, text))),
            Ok(Err(e)) => diags.push(Source::new(file, String::new()).diagnostic(
                0,
                format!(
                    "the file is not UTF-8 text (byte {}); save it as UTF-8",
                    e.utf8_error().valid_up_to()
                ),
            )),
            Err(e) => diags.push(Source::new(file, String::new()).diagnostic(0, format!("cannot read: {e}"))),
        }
    }
    files
}

/// The file's top-level table, or `None` after reporting its syntax errors.
pub(crate) fn parse_toml<'s>(ctx: &fields::Ctx<'s>) -> Option<toml::de::DeTable<'s>> {
    let (table, errors) = toml::de::DeTable::parse_recoverable(&ctx.src.text);
    for e in &errors {
        let at = e.span().map_or(0, |s| s.start);
        let message = e.message().trim().replace('\n', " ");
        ctx.report(at, format!("TOML syntax: {message}"));
    }
    errors.is_empty().then(|| table.into_inner())
}
