//! The link between a form's `slot` questions and a round's sessions: which codes an answer
//! chose, and whether the round (still) offers them.

use super::Session;
use crate::forms::answers::{Answer, Answers};
use crate::forms::model::{Form, Page, QuestionKind};
use crate::forms::validate::FieldError;

/// Every session code chosen in `answers`, over all slot questions of the form, in order.
pub fn chosen(form: &Form, answers: &Answers) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for q in form.pages.iter().flat_map(|p| &p.questions) {
        if !matches!(q.kind, QuestionKind::Slot { .. }) {
            continue;
        }
        if let Some(Answer::Many(values)) = answers.get(&q.id) {
            for code in values {
                if !codes.contains(code) {
                    codes.push(code.clone());
                }
            }
        }
    }
    codes
}

/// `codes` in the order their sessions were created (their ids), the order in which every
/// transaction that locks more than one session row of a round takes them (a switch, a move):
/// two people choosing the same evenings in opposite orders then queue instead of deadlocking
/// on PostgreSQL. Codes the round does not have keep their place at the end, to be refused.
pub async fn in_lock_order(
    tx: &mut crate::db::Write,
    round: crate::rounds::RoundId,
    mut codes: Vec<String>,
) -> Result<Vec<String>, sqlx::Error> {
    if codes.len() < 2 {
        return Ok(codes);
    }
    let order: Vec<String> = sqlx::query_scalar("SELECT code FROM sessions WHERE round_id = $1 ORDER BY id")
        .bind(round)
        .fetch_all(&mut **tx)
        .await?;
    codes.sort_by_key(|code| order.iter().position(|c| c == code).unwrap_or(usize::MAX));
    Ok(codes)
}

/// An error for each slot question on `page` whose answer names a session the round does not
/// offer: cancelled since the page was shown, or never there (a tampered form).
pub fn check(page: &Page, answers: &Answers, sessions: &[Session]) -> Vec<FieldError> {
    let offered = |code: &str| sessions.iter().any(|s| s.code == code && !s.cancelled);
    page.questions
        .iter()
        .filter(|q| matches!(q.kind, QuestionKind::Slot { .. }))
        .filter_map(|q| match answers.get(&q.id) {
            Some(Answer::Many(values)) if values.iter().any(|v| !offered(v)) => Some(FieldError {
                question: q.id.clone(),
                message: "Deze bijeenkomst gaat niet door of bestaat niet meer. Kies een andere.".into(),
            }),
            _ => None,
        })
        .collect()
}

/// How many sessions of a round one person may hold: what the form's slot questions allow
/// together. One for the intervisie (one meeting a month), so a person holds at most one
/// confirmed seat in its round; at least one, so a form without a slot question still counts.
pub fn seats_per_person(form: &Form) -> u32 {
    let allowed: u32 = form
        .pages
        .iter()
        .flat_map(|p| &p.questions)
        .map(|q| match q.kind {
            QuestionKind::Slot { max_choices } => max_choices,
            _ => 0,
        })
        .sum();
    allowed.max(1)
}
