//! A round's responses as a sheet for CSV/XLSX (`crate::spreadsheet` writes the files and neutralises
//! formulas). Nothing is exported for a round below the threshold; an anonymous round exports no
//! identity; a wijk and role whose group may not be listed read "te weinig antwoorden"; names and
//! e-mail addresses only go to administrators of identified rounds.

use futures_util::TryStreamExt;

use super::load::LoadError;
use super::privacy::Disclosure;
use super::{Filter, TOO_FEW};
use crate::db::Pool;
use crate::forms::answers::other_key;
use crate::forms::model::{NA, OTHER};
use crate::forms::{Answer, Answers, Question, QuestionKind};
use crate::rounds::Round;
use crate::spreadsheet::{Cell, Sheet};

/// Whom the sheet is for: identity columns are for administrators only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Admin,
    Werkgroep,
}

/// The round's responses, one row each in no meaningful order; `None` when the round's group
/// (`scope`: everyone, or the wijk of a per-wijk round) may not be shown.
pub async fn responses(
    pool: &Pool,
    round: &Round,
    disclosure: &Disclosure,
    scope: &Filter,
    audience: Audience,
) -> Result<Option<Sheet>, LoadError> {
    if !disclosure.allows(scope) {
        return Ok(None);
    }
    let identity = audience == Audience::Admin && !round.anonymous;
    // What is not for the werkgroep's reading stays out, unless the administrator reads an
    // identified round (the one export with names in it).
    let questions: Vec<&Question> =
        round.form.questions().filter(|q| super::readers::exported(q, identity)).collect();
    let mut headers = Vec::new();
    if identity {
        headers.extend(["Naam".to_string(), "E-mailadres".to_string()]);
    }
    headers.extend(["Wijk".to_string(), "Rol".to_string(), "Ingevuld op".to_string()]);
    for q in &questions {
        headers.extend(columns(q, identity));
    }
    let mut rows = Vec::new();
    let mut stream = sqlx::query_as::<_, ResponseRecord>(
        "SELECT r.answers, COALESCE(r.wijk, '') AS wijk, COALESCE(r.role, '') AS role, r.submitted_on, \
         COALESCE(c.name, '') AS name, COALESCE(c.email, '') AS email FROM responses r \
         LEFT JOIN invitations i ON i.id = r.invitation_id LEFT JOIN contacts c ON c.id = i.contact_id \
         WHERE r.round_id = $1 ORDER BY r.id",
    )
    .bind(round.id)
    .fetch(pool);
    while let Some(row) = stream.try_next().await? {
        let answers: Answers = serde_json::from_str(&row.answers)?;
        let mut cells = Vec::new();
        if identity {
            cells.extend([Cell::Text(row.name), Cell::Text(row.email)]);
        }
        cells.extend(group(disclosure, row.wijk, row.role));
        cells.push(Cell::Text(row.submitted_on.chars().take(10).collect()));
        for q in &questions {
            cells.extend(answer_cells(q, &answers, identity));
        }
        rows.push(cells);
    }
    Ok(Some(Sheet { name: "Antwoorden".to_string(), headers, rows }))
}

/// One response with who gave it (`''` where unknown or not kept).
#[derive(sqlx::FromRow)]
struct ResponseRecord {
    answers: String,
    wijk: String,
    role: String,
    /// A day (`YYYY-MM-DD`) in an anonymous round, else a moment: text, of which the day is shown.
    submitted_on: String,
    name: String,
    email: String,
}

/// The wijk and role cells of a row: both shown only when their combination may be *listed*, as
/// the rows are a list: a row's text found on a free-text page ties the page's group to the row,
/// so the groups the rows reveal must pass the list rule together with those pages (see
/// `privacy::lists`). The rows that hide them are then a union of the rule's atoms, never a
/// group smaller than the threshold.
fn group(disclosure: &Disclosure, wijk: String, role: String) -> [Cell; 2] {
    let cross = Filter { wijk: Some(wijk.clone()), role: Some(role.clone()) };
    if !wijk.is_empty() && !role.is_empty() && disclosure.lists(&cross) {
        [Cell::Text(wijk), Cell::Text(role)]
    } else {
        [Cell::Text(TOO_FEW.to_string()), Cell::Text(TOO_FEW.to_string())]
    }
}

/// The header(s) of a question: one per matrix item, and one for an "Anders" text.
fn columns(q: &Question, identity: bool) -> Vec<String> {
    let label = &q.label.nl;
    match &q.kind {
        QuestionKind::Matrix { items, .. } => {
            items.iter().map(|i| format!("{label} – {}", i.label.nl)).collect()
        }
        QuestionKind::Single { other: true, .. } | QuestionKind::Multi { other: true, .. } => {
            vec![label.clone(), format!("{label} (anders)")]
        }
        QuestionKind::Email if !identity => Vec::new(),
        _ => vec![label.clone()],
    }
}

fn answer_cells(q: &Question, answers: &Answers, identity: bool) -> Vec<Cell> {
    let given = answers.get(&q.id);
    match &q.kind {
        QuestionKind::Matrix { items, .. } => items
            .iter()
            .map(|item| match given {
                Some(Answer::Grid(grid)) => grid.get(&item.value).map_or(Cell::Empty, scalar),
                _ => Cell::Empty,
            })
            .collect(),
        QuestionKind::Single { options, other, .. } | QuestionKind::Multi { options, other, .. } => {
            let label = |value: &str| {
                if value == OTHER {
                    "Anders".to_string()
                } else {
                    options
                        .iter()
                        .find(|o| o.value == value)
                        .map_or(value.to_string(), |o| o.label.nl.clone())
                }
            };
            let chosen = match given {
                Some(Answer::Text(v)) => Cell::Text(label(v)),
                Some(Answer::Many(vs)) => {
                    Cell::Text(vs.iter().map(|v| label(v)).collect::<Vec<_>>().join("; "))
                }
                _ => Cell::Empty,
            };
            let mut cells = vec![chosen];
            if *other {
                cells.push(answers.get(&other_key(&q.id)).map_or(Cell::Empty, scalar));
            }
            cells
        }
        QuestionKind::Email if !identity => Vec::new(),
        QuestionKind::Yesno | QuestionKind::Consent => vec![match given {
            Some(Answer::Bool(true)) => {
                Cell::Text(if matches!(q.kind, QuestionKind::Yesno) { "ja" } else { "akkoord" }.into())
            }
            Some(Answer::Bool(false)) => Cell::Text("nee".into()),
            _ => Cell::Empty,
        }],
        _ => vec![given.map_or(Cell::Empty, scalar)],
    }
}

fn scalar(answer: &Answer) -> Cell {
    match answer {
        Answer::Number(n) => Cell::Number(*n),
        Answer::Text(t) if t == NA => Cell::Text("n.v.t.".into()),
        Answer::Text(t) => Cell::Text(t.clone()),
        Answer::Bool(b) => Cell::Text(if *b { "ja" } else { "nee" }.into()),
        Answer::Many(vs) => Cell::Text(vs.join("; ")),
        Answer::Grid(_) => Cell::Empty,
    }
}

/// The summaries of a round as one sheet: question, answer, count, percentage (a number with a
/// percent format); what the page shows, for a report. A scale's shares are of its points, its
/// "Weet ik niet" a row with a count and no share, as on the page.
pub fn summary(questions: &[super::QuestionResult]) -> Sheet {
    use super::Summary;
    use super::figures::{decimal, fraction, na_row};
    let mut rows = Vec::new();
    let mut line = |q: &str, a: String, n: u64, base: u64| {
        rows.push(vec![
            Cell::Text(q.to_string()),
            Cell::Text(a),
            Cell::Number(n as f64),
            fraction(n, base).map_or(Cell::Empty, Cell::Percent),
        ]);
    };
    for q in questions {
        match &q.summary {
            Summary::Choices { options, answered, .. } => {
                options.iter().for_each(|o| line(&q.label, o.label.clone(), o.count, *answered));
            }
            Summary::Scale { points, na, answered, mean, na_label } => {
                points.iter().for_each(|o| line(&q.label, o.label.clone(), o.count, answered - na));
                if *na > 0 || na_label.is_some() {
                    line(&q.label, na_row(na_label.as_deref(), *na).label, *na, 0);
                }
                if let Some(mean) = mean {
                    line(&q.label, format!("gemiddelde {}", decimal(*mean, 1)), answered - na, 0);
                }
            }
            Summary::Matrix { points, rows: items, na_label } => {
                for item in items {
                    let label = format!("{} – {}", q.label, item.label);
                    for (point, n) in points.iter().zip(&item.counts) {
                        line(&label, point.clone(), *n, item.base());
                    }
                    if item.na > 0 || na_label.is_some() {
                        line(&label, na_row(na_label.as_deref(), item.na).label, item.na, 0);
                    }
                    if let Some(mean) = item.mean {
                        line(&label, format!("gemiddelde {}", decimal(mean, 1)), item.base(), 0);
                    }
                }
            }
            Summary::Dates(dates) => {
                dates.periods.iter().for_each(|p| line(&q.label, p.label.clone(), p.count, dates.answered));
            }
            Summary::Numbers(numbers) => {
                for bin in &numbers.bins {
                    line(&q.label, bin.label.clone(), bin.count, numbers.answered);
                }
            }
            Summary::Texts(texts) => {
                line(&q.label, "toelichtingen".into(), texts.len() as u64, texts.len() as u64)
            }
            Summary::Answered(n) => line(&q.label, "beantwoord".into(), *n, *n),
            Summary::Withheld(n) => line(&q.label, format!("{TOO_FEW} om te tonen"), *n, *n),
        }
    }
    let headers = ["Vraag", "Antwoord", "Aantal", "Percentage"].map(String::from).to_vec();
    Sheet { name: "Samenvatting".to_string(), headers, rows }
}
