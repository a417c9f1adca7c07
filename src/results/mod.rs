//! Results for the werkgroep: what a round's respondents answered, per question, per wijk and
//! role, and over a job's rounds; with every group smaller than the threshold suppressed.
//!
//! The pieces: `tally` folds stored answers into per-question summaries in one pass; `privacy`
//! decides which groups may be shown (primary and complementary suppression); `trend` turns
//! summaries into one figure per round for trend lines; `load` reads the database, and `kept`
//! keeps a closed round's folded summaries for the next reader; `export`
//! makes CSV/XLSX sheets of responses and summaries; `access` is how a reader (the web pages,
//! `peil export`) gets at a round: closed rounds only, its scope, and the audit entry.

pub mod access;
pub mod export;
pub mod feasibility;
pub mod figures;
pub mod glance;
pub mod history;
pub mod kept;
pub mod labels;
pub mod load;
pub mod pooled;
pub mod privacy;
pub mod readers;
pub mod tally;
pub mod trend;

use crate::charts::Bin;
use crate::forms::Form;

/// What a suppressed figure shows instead of itself.
pub const TOO_FEW: &str = "te weinig antwoorden";

/// The smallest group of respondents whose results may be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Threshold(pub u32);

impl Threshold {
    /// The configured minimum (never below 3, checked in settings), raised by the form's own
    /// `min_group_size` when that is larger; a form can never lower it.
    pub fn of(form: &Form, configured: u32) -> Threshold {
        Threshold::new(configured, form.min_group_size)
    }

    /// The same rule from the form's `min_group_size` alone (a round row keeps only that).
    pub fn new(configured: u32, form_minimum: Option<u32>) -> Threshold {
        Threshold(configured.max(form_minimum.unwrap_or(0)).max(3))
    }
}

/// Which respondents a result covers: everyone, or one wijk and/or one role.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Filter {
    pub wijk: Option<String>,
    pub role: Option<String>,
}

/// One option (or scale point) and how many respondents chose it.
#[derive(Clone, Debug, PartialEq)]
pub struct Count {
    /// The stored value ("ja", "3", "_anders", ...).
    pub value: String,
    /// The label shown ("Ja", "3 - eens", "Anders", ...).
    pub label: String,
    pub count: u64,
}

/// What a question's answers add up to.
#[derive(Clone, Debug, PartialEq)]
pub enum Summary {
    /// single, multi, yesno, consent: a count per option in form order ("Anders" last).
    /// Percentages are of `answered` (for multi the counts add up to more than that).
    Choices { options: Vec<Count>, answered: u64, multiple: bool, other_texts: Vec<String> },
    /// scale: a count per point, low to high; the form's `na` answer ("Weet ik niet") apart,
    /// under its own label; the mean over the points. `answered` counts both; shares of the
    /// scale are of the points alone (`answered - na`).
    Scale { points: Vec<Count>, na: u64, answered: u64, mean: Option<f64>, na_label: Option<String> },
    /// matrix: one row per item, each with a count per point (same order as `points`) and its
    /// `na` answers apart, as for a scale.
    Matrix { points: Vec<String>, rows: Vec<MatrixRow>, na_label: Option<String> },
    /// number: a histogram and the median.
    Numbers(Numbers),
    /// text, textarea: the answers themselves, in no particular order.
    Texts(Vec<String>),
    /// date: how many answered per week or month, and the first and last date.
    Dates(Dates),
    /// email, slot: only how many answered.
    Answered(u64),
    /// A question fewer than the threshold answered in the group shown: only how many, since a
    /// distribution, a histogram, a minimum or maximum or a text of so few are single people's
    /// answers (see `privacy::Disclosure::question`).
    Withheld(u64),
}

impl Summary {
    /// How many in the group answered the question (for a matrix, its most answered item).
    pub fn answered(&self) -> u64 {
        match self {
            Summary::Choices { answered, .. } | Summary::Scale { answered, .. } => *answered,
            Summary::Matrix { rows, .. } => rows.iter().map(|r| r.answered).max().unwrap_or(0),
            Summary::Numbers(n) => n.answered,
            Summary::Dates(d) => d.answered,
            Summary::Texts(t) => t.len() as u64,
            Summary::Answered(n) | Summary::Withheld(n) => *n,
        }
    }

    /// The fewest who answered any part of it: for a matrix its least answered item.
    fn fewest(&self) -> u64 {
        match self {
            Summary::Matrix { rows, .. } => {
                rows.iter().map(|r| r.answered).filter(|&n| n > 0).min().unwrap_or(0)
            }
            other => other.answered(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct MatrixRow {
    pub value: String,
    pub label: String,
    pub counts: Vec<u64>,
    pub na: u64,
    pub answered: u64,
    pub mean: Option<f64>,
}

impl MatrixRow {
    /// The item's base: who chose a point of the scale (its `na` answers not among them).
    pub fn base(&self) -> u64 {
        self.counts.iter().sum()
    }
}

/// What the form calls its `na` answer when it does not say: the old fixed wording.
pub const NA_LABEL: &str = "n.v.t.";

/// The dates answered to a question, counted per period (`Count::value` is "2027-W14" or
/// "2027-04"), every period from the first date's to the last's, empty ones included.
#[derive(Clone, Debug, PartialEq)]
pub struct Dates {
    pub answered: u64,
    pub first: Option<chrono::NaiveDate>,
    pub last: Option<chrono::NaiveDate>,
    pub periods: Vec<Count>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Numbers {
    pub answered: u64,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub mean: Option<f64>,
    pub median: Option<f64>,
    pub unit: Option<String>,
    pub bins: Vec<Bin>,
}

/// One question's result.
#[derive(Clone, Debug, PartialEq)]
pub struct QuestionResult {
    pub id: String,
    pub label: String,
    /// `QuestionKind::name()`: "single", "scale", ...
    pub kind: &'static str,
    pub summary: Summary,
}
