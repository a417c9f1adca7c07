//! The checked form: what a form file means once every key has been read and verified. It is
//! serialised into each round when the round opens, so edits to the file apply to later rounds.

use serde::{Deserialize, Serialize};

use super::expr::Expr;

/// A form's id: the file name without `.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct FormId(pub String);

impl std::fmt::Display for FormId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Dutch text with an optional English translation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Text {
    pub nl: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

impl Text {
    pub fn nl(text: &str) -> Text {
        Text { nl: text.to_string(), en: None }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FormKind {
    Survey,
    Signup,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Form {
    pub id: FormId,
    pub title: Text,
    pub intro: Option<Text>,
    /// `purpose`: why the organisation asks this, for the privacy statement and the processing
    /// register. Missing in rounds stored before the key existed, and warned about when absent.
    #[serde(default)]
    pub purpose: Option<Text>,
    pub kind: FormKind,
    pub anonymous: bool,
    pub thanks: Option<Text>,
    pub min_group_size: Option<u32>,
    pub pages: Vec<Page>,
    /// `[retention]`: the terms this form declares (see `retention`); a snapshot from before
    /// the key existed reads as none.
    #[serde(default)]
    pub retention: crate::retention::Declared,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Page {
    pub title: Option<Text>,
    pub intro: Option<Text>,
    pub show_if: Option<Condition>,
    pub questions: Vec<Question>,
}

/// A `show_if` expression with its source text, kept for the optional live script.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Condition {
    pub source: String,
    pub expr: Expr,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Question {
    pub id: String,
    pub label: Text,
    pub help: Option<Text>,
    pub required: bool,
    pub show_if: Option<Condition>,
    pub kind: QuestionKind,
    /// Who reads its answers and whether it asks who answered; a snapshot from before these
    /// keys existed reads as the defaults, which is how such a round was shown.
    #[serde(default)]
    pub reading: Reading,
}

/// The `results`, `read_by` and `identifying` keys of a question (see `forms::reading`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Reading {
    pub results: Results,
    pub read_by: ReadBy,
    /// Set by the form: `Some(true)` when it asks who answered, `Some(false)` when the word
    /// list guesses wrong; `None` leaves it to the guess.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifying: Option<bool>,
}

/// What the werkgroep gets of a question's answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Results {
    /// Texts (and e-mail addresses, for `read_by`) may be read, as the type allows.
    #[default]
    Read,
    /// Only how many answered.
    Count,
    /// Nothing: the question is left out of the werkgroep's pages, report and summary.
    Hidden,
}

/// Who may read the e-mail addresses an identified round collected. Administrators always may.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ReadBy {
    #[default]
    Admin,
    Werkgroep,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Choice {
    pub value: String,
    pub label: Text,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ScalePoint {
    pub value: i64,
    pub label: Text,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Widget {
    Radio,
    Dropdown,
}

/// A full-match regular expression with the message shown when an answer does not match.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Pattern {
    pub source: String,
    pub message: Text,
    #[serde(skip)]
    compiled: std::sync::OnceLock<Option<regex::Regex>>,
}

impl Pattern {
    pub fn new(source: String, message: Text) -> Pattern {
        Pattern { source, message, compiled: std::sync::OnceLock::new() }
    }

    /// Whether the whole of `text` matches. The source was compiled when the form was checked,
    /// so a failure here cannot happen for a checked form; it is treated as no match.
    pub fn matches(&self, text: &str) -> bool {
        let compiled = self.compiled.get_or_init(|| anchored(&self.source).ok());
        compiled.as_ref().is_some_and(|re| re.is_match(text))
    }
}

pub(crate) fn anchored(source: &str) -> Result<regex::Regex, regex::Error> {
    regex::RegexBuilder::new(&format!("^(?:{source})$")).size_limit(1 << 20).build()
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum QuestionKind {
    Text { min_length: Option<u32>, max_length: u32, pattern: Option<Pattern>, placeholder: Option<Text> },
    Textarea { min_length: Option<u32>, max_length: u32, placeholder: Option<Text> },
    // `step`: answers are `min` (or 0) plus whole steps; missing (None) in rounds stored before it.
    Number { decimal: bool, min: Option<f64>, max: Option<f64>, unit: Option<Text>, step: Option<f64> },
    Email,
    Date { min: Option<chrono::NaiveDate>, max: Option<chrono::NaiveDate> },
    Single { options: Vec<Choice>, widget: Widget, other: bool },
    Multi { options: Vec<Choice>, other: bool, min_choices: Option<u32>, max_choices: Option<u32> },
    Scale { points: Vec<ScalePoint>, na: Option<Text> },
    Matrix { items: Vec<Choice>, points: Vec<ScalePoint>, na: Option<Text> },
    Yesno,
    Consent,
    Slot { max_choices: u32 },
}

impl QuestionKind {
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Text { .. } => "text",
            QuestionKind::Textarea { .. } => "textarea",
            QuestionKind::Number { .. } => "number",
            QuestionKind::Email => "email",
            QuestionKind::Date { .. } => "date",
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multi { .. } => "multi",
            QuestionKind::Scale { .. } => "scale",
            QuestionKind::Matrix { .. } => "matrix",
            QuestionKind::Yesno => "yesno",
            QuestionKind::Consent => "consent",
            QuestionKind::Slot { .. } => "slot",
        }
    }
}

/// The value stored for the "Anders, namelijk" choice; option values cannot take it.
pub const OTHER: &str = "_anders";
/// The value stored for "niet van toepassing" on a scale or matrix.
pub const NA: &str = "nvt";

impl Form {
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.pages.iter().flat_map(|p| p.questions.iter())
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions().find(|q| q.id == id)
    }
}
