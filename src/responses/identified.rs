//! The answers of an identified round, each with the person who gave them, newest first: what a
//! coordinator reads while a request round (such as `blended-care-bezoek`) is still open, since
//! the results pages only show closed rounds. Anonymous rounds have no such list: their
//! responses keep no link to a person.

use chrono::{DateTime, Utc};

use super::ResponsesError;
use crate::db::{Pool, Timestamp};
use crate::forms::answers::other_key;
use crate::forms::model::{NA, OTHER};
use crate::forms::{Answer, Answers, Question, QuestionKind};
use crate::rounds::Round;

/// One response with its person.
#[derive(Clone, Debug, PartialEq)]
pub struct Identified {
    pub name: String,
    pub email: String,
    /// The practice the contact list (or the person's registration) gives.
    pub practice: String,
    /// When it was first sent; a later change through the same link keeps this moment.
    pub submitted_at: DateTime<Utc>,
    /// Each answered question as (question, answer in words), in the form's order.
    pub answers: Vec<(String, String)>,
}

#[derive(sqlx::FromRow)]
struct Row {
    answers: String,
    submitted_on: String,
    name: String,
    email: String,
    practice: String,
}

/// The responses of `round`, newest first; empty for an anonymous round.
pub async fn identified(pool: &Pool, round: &Round) -> Result<Vec<Identified>, ResponsesError> {
    if round.anonymous {
        return Ok(Vec::new());
    }
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT r.answers, r.submitted_on, c.name, c.email, c.practice FROM responses r \
         JOIN invitations i ON i.id = r.invitation_id JOIN contacts c ON c.id = i.contact_id \
         WHERE r.round_id = $1",
    )
    .bind(round.id)
    .fetch_all(pool)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let answers: Answers = serde_json::from_str(&row.answers)?;
        // An identified round stores a moment; a row that does not read sorts last, not lost.
        let submitted_at =
            Timestamp::parse(&row.submitted_on).map_or(DateTime::<Utc>::MIN_UTC, Timestamp::at);
        out.push(Identified {
            name: row.name,
            email: row.email,
            practice: row.practice,
            submitted_at,
            answers: round
                .form
                .questions()
                .filter_map(|q| in_words(q, &answers).map(|a| (q.label.nl.clone(), a)))
                .collect(),
        });
    }
    out.sort_by(|a, b| b.submitted_at.cmp(&a.submitted_at).then_with(|| a.email.cmp(&b.email)));
    Ok(out)
}

/// A question's answer as the coordinator reads it: option labels, "ja"/"nee", numbers with the
/// question's unit, an "Anders" text after the choice. `None` when it was not answered.
pub(crate) fn in_words(q: &Question, answers: &Answers) -> Option<String> {
    let given = answers.get(&q.id)?;
    let text = match (&q.kind, given) {
        (QuestionKind::Single { options, .. } | QuestionKind::Multi { options, .. }, _) => {
            let label = |value: &String| match options.iter().find(|o| &o.value == value) {
                _ if value == OTHER => {
                    let other = match answers.get(&other_key(&q.id)) {
                        Some(Answer::Text(t)) => t.as_str(),
                        _ => "",
                    };
                    format!("anders: {other}")
                }
                Some(option) => option.label.nl.clone(),
                None => value.clone(),
            };
            match given {
                Answer::Text(value) => label(value),
                Answer::Many(values) => values.iter().map(label).collect::<Vec<_>>().join("; "),
                other => plain(other),
            }
        }
        (QuestionKind::Yesno, Answer::Bool(b)) => if *b { "ja" } else { "nee" }.to_string(),
        (QuestionKind::Consent, Answer::Bool(b)) => if *b { "akkoord" } else { "niet akkoord" }.to_string(),
        (QuestionKind::Number { unit, .. }, Answer::Number(n)) => {
            let number = plain(&Answer::Number(*n));
            match unit.as_ref().map(|u| u.nl.as_str()) {
                Some(unit) if !unit.is_empty() => format!("{number} {unit}"),
                _ => number,
            }
        }
        (_, other) => plain(other),
    };
    Some(text)
}

fn plain(answer: &Answer) -> String {
    match answer {
        // With a decimal comma, as everywhere people read numbers.
        Answer::Number(n) => n.to_string().replace('.', ","),
        Answer::Text(t) if t == NA => "n.v.t.".to_string(),
        Answer::Text(t) => t.clone(),
        Answer::Bool(b) => if *b { "ja" } else { "nee" }.to_string(),
        Answer::Many(values) => values.join("; "),
        Answer::Grid(grid) => {
            grid.iter().map(|(item, a)| format!("{item}: {}", plain(a))).collect::<Vec<_>>().join("; ")
        }
    }
}
