//! Which answers are for whom, as the form says (`results`, `read_by`; see `forms::reading`): a
//! question with `results = "hidden"` is left out of what the werkgroep sees, one with
//! `results = "count"` shows only how many answered; and the e-mail addresses of an identified
//! round, listed for the roles its form names, with the answering contact's name.

use futures_util::TryStreamExt;

use super::load::LoadError;
use super::{Filter, QuestionResult, Summary};
use crate::db::Pool;
use crate::forms::{Answer, Answers, Form, Question, QuestionKind, ReadBy, Results};
use crate::rounds::Round;

/// A question's result as the werkgroep's pages, report and summary get it: `None` for a hidden
/// question, only the count for texts that are not for reading.
pub fn shown(form: &Form, result: QuestionResult) -> Option<QuestionResult> {
    let Some(question) = form.question(&result.id) else { return Some(result) };
    match question.reading.results {
        Results::Hidden => None,
        Results::Count => {
            let summary = match result.summary {
                Summary::Texts(texts) => Summary::Answered(texts.len() as u64),
                other => other,
            };
            Some(QuestionResult { summary, ..result })
        }
        Results::Read => Some(result),
    }
}

/// Whether the answers to `question` go into a responses export: every answer for an
/// administrator of an identified round (`full`), else only those the werkgroep may read.
pub fn exported(question: &Question, full: bool) -> bool {
    full || question.reading.results == Results::Read
}

/// The e-mail question `id` of `round` if its addresses may be listed for a reader (`admin` or
/// not): only in an identified round, only for `results = "read"`, and for a werkgroep member
/// only when the form's `read_by` names the werkgroep.
pub fn address_question<'r>(round: &'r Round, id: &str, admin: bool) -> Option<&'r Question> {
    let question = round.form.question(id)?;
    let readable = !round.anonymous
        && matches!(question.kind, QuestionKind::Email)
        && question.reading.results == Results::Read
        && (admin || question.reading.read_by == ReadBy::Werkgroep);
    readable.then_some(question)
}

/// One address given, with the name of the contact who gave it ('' for an open link).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Address {
    pub name: String,
    pub email: String,
}

/// The addresses the group's respondents gave to `question`, sorted by name and address, so the
/// list says nothing about the order people answered in.
pub async fn addresses(
    pool: &Pool,
    round: &Round,
    filter: &Filter,
    question: &str,
) -> Result<Vec<Address>, LoadError> {
    let mut rows = sqlx::query_as::<_, (String, String)>(
        "SELECT r.answers, COALESCE(c.name, '') FROM responses r \
         LEFT JOIN invitations i ON i.id = r.invitation_id LEFT JOIN contacts c ON c.id = i.contact_id \
         WHERE r.round_id = $1 AND ($2 = '' OR COALESCE(r.wijk, '') = $2) \
         AND ($3 = '' OR COALESCE(r.role, '') = $3)",
    )
    .bind(round.id)
    .bind(filter.wijk.clone().unwrap_or_default())
    .bind(filter.role.clone().unwrap_or_default())
    .fetch(pool);
    let mut addresses = Vec::new();
    while let Some((json, name)) = rows.try_next().await? {
        let answers: Answers = serde_json::from_str(&json)?;
        if let Some(Answer::Text(email)) = answers.get(question) {
            addresses.push(Address { name, email: email.clone() });
        }
    }
    addresses.sort_by(|a, b| (&a.name, &a.email).cmp(&(&b.name, &b.email)));
    Ok(addresses)
}
