//! From posted fields to `Answers`, one page at a time, with a Dutch message per field that is
//! wrong. Questions hidden by `show_if` are skipped and whatever was posted for them is dropped.

use std::collections::BTreeMap;

use super::answers::{Answer, Answers, other_key};
use super::model::{Choice, Form, NA, OTHER, Page, Question, QuestionKind, ScalePoint};

/// Posted fields by name, every value kept (a name may be repeated, as checkboxes do).
pub type Posted = BTreeMap<String, Vec<String>>;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub question: String,
    pub message: String,
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValidateError {
    /// A field this page does not have: a tampered or stale form, not a respondent's mistake.
    #[error("unknown field `{0}`")]
    UnknownField(String),
}

/// The answers on `page`, or every field error on it. `before` holds the answers of earlier pages
/// for `show_if`.
pub fn check_page(
    page: &Page,
    posted: &Posted,
    before: &Answers,
) -> Result<Result<Answers, Vec<FieldError>>, ValidateError> {
    reject_unknown(page, posted)?;
    let mut context = before.clone();
    let mut answers = Answers::new();
    let mut errors = Vec::new();
    for question in &page.questions {
        context.remove(&question.id);
        context.remove(&other_key(&question.id));
        if !is_shown(question, &context) {
            continue;
        }
        match read(question, posted) {
            Ok(found) => {
                for (key, answer) in found {
                    context.insert(key.clone(), answer.clone());
                    answers.insert(key, answer);
                }
            }
            Err(message) => errors.push(FieldError { question: question.id.clone(), message }),
        }
    }
    Ok(if errors.is_empty() { Ok(answers) } else { Err(errors) })
}

pub fn is_shown(question: &Question, answers: &Answers) -> bool {
    question.show_if.as_ref().is_none_or(|c| c.expr.holds(answers))
}

pub fn page_is_shown(page: &Page, answers: &Answers) -> bool {
    page.show_if.as_ref().is_none_or(|c| c.expr.holds(answers))
}

/// Only the answers to questions that are shown, given all the other answers; drops the rest.
pub fn prune(form: &Form, answers: &Answers) -> Answers {
    let mut kept = Answers::new();
    for page in &form.pages {
        if !page_is_shown(page, &kept) {
            continue;
        }
        for question in &page.questions {
            if !is_shown(question, &kept) {
                continue;
            }
            for key in [question.id.clone(), other_key(&question.id)] {
                if let Some(answer) = answers.get(&key) {
                    kept.insert(key, answer.clone());
                }
            }
        }
    }
    kept
}

/// The first shown page with a required question left unanswered, if any.
pub fn first_incomplete_page(form: &Form, answers: &Answers) -> Option<usize> {
    form.pages.iter().position(|page| page_is_shown(page, answers) && !missing(page, answers).is_empty())
}

/// An error for every required question on `page` that is shown but has no answer.
pub fn missing(page: &Page, answers: &Answers) -> Vec<FieldError> {
    page.questions
        .iter()
        .filter(|q| q.required && is_shown(q, answers) && !answers.contains_key(&q.id))
        .map(|q| FieldError { question: q.id.clone(), message: required_message(&q.kind).into() })
        .collect()
}

/// The answers to questions on pages before `page`, as far as they are still shown.
pub fn answers_before(form: &Form, page: usize, answers: &Answers) -> Answers {
    let earlier: Vec<&str> =
        form.pages.iter().take(page).flat_map(|p| &p.questions).map(|q| q.id.as_str()).collect();
    let pruned = prune(form, answers);
    pruned
        .into_iter()
        .filter(|(key, _)| earlier.contains(&key.split('.').next().unwrap_or_default()))
        .collect()
}

/// The indices of the pages shown, given the answers.
pub fn shown_pages(form: &Form, answers: &Answers) -> Vec<usize> {
    let pruned = prune(form, answers);
    (0..form.pages.len()).filter(|i| page_is_shown(&form.pages[*i], &pruned)).collect()
}

fn reject_unknown(page: &Page, posted: &Posted) -> Result<(), ValidateError> {
    for name in posted.keys() {
        let (base, sub) = name.split_once('.').map_or((name.as_str(), None), |(b, s)| (b, Some(s)));
        let known = page.questions.iter().any(|q| {
            q.id == base
                && match (sub, &q.kind) {
                    (None, QuestionKind::Matrix { .. }) => false,
                    (None, _) => true,
                    (
                        Some("other"),
                        QuestionKind::Single { other: true, .. } | QuestionKind::Multi { other: true, .. },
                    ) => true,
                    (Some(item), QuestionKind::Matrix { items, .. }) => items.iter().any(|i| i.value == item),
                    (Some(_), _) => false,
                }
        });
        if !known {
            return Err(ValidateError::UnknownField(name.clone()));
        }
    }
    Ok(())
}

type Found = Vec<(String, Answer)>;

/// The answer to one question (and its "anders" text), `[]` when left empty and allowed.
fn read(q: &Question, posted: &Posted) -> Result<Found, String> {
    let values: Vec<&str> =
        posted.get(&q.id).map(|v| v.iter().map(String::as_str).collect()).unwrap_or_default();
    if let QuestionKind::Multi { options, other, min_choices, max_choices } = &q.kind {
        return multi(q, &values, posted, options, *other, *min_choices, *max_choices);
    }
    if let QuestionKind::Matrix { items, points, na } = &q.kind {
        return matrix(q, posted, items, points, na.is_some());
    }
    if let QuestionKind::Slot { max_choices } = &q.kind {
        return slot(q, &values, *max_choices);
    }
    if values.len() > 1 {
        return Err("Geef één antwoord.".into());
    }
    let raw = values.first().map(|v| clean(v)).unwrap_or_default();
    if raw.is_empty() {
        return if q.required { Err(required_message(&q.kind).into()) } else { Ok(vec![]) };
    }
    let answer = match &q.kind {
        QuestionKind::Text { min_length, max_length, pattern, .. } => {
            length(&raw, *min_length, *max_length)?;
            if let Some(p) = pattern
                && !p.matches(&raw)
            {
                return Err(p.message.nl.clone());
            }
            Answer::Text(raw)
        }
        QuestionKind::Textarea { min_length, max_length, .. } => {
            length(&raw, *min_length, *max_length)?;
            Answer::Text(raw)
        }
        QuestionKind::Number { decimal, min, max, step, .. } => {
            Answer::Number(on_step(number(&raw, *decimal, *min, *max)?, *step, *min)?)
        }
        QuestionKind::Email => Answer::Text(email(&raw)?),
        QuestionKind::Date { min, max } => Answer::Text(date(&raw, *min, *max)?),
        QuestionKind::Single { options, other, .. } => return single(q, &raw, posted, options, *other),
        QuestionKind::Scale { points, na } => scale_point(&raw, points, na.is_some())?,
        QuestionKind::Yesno => match raw.as_str() {
            "ja" => Answer::Bool(true),
            "nee" => Answer::Bool(false),
            _ => return Err("Kies Ja of Nee.".into()),
        },
        QuestionKind::Consent if raw == "ja" => Answer::Bool(true),
        QuestionKind::Consent => return Err("Vink het vakje aan om akkoord te gaan.".into()),
        // Read above, before the one-value checks.
        QuestionKind::Multi { .. } | QuestionKind::Matrix { .. } | QuestionKind::Slot { .. } => {
            return Ok(vec![]);
        }
    };
    Ok(vec![(q.id.clone(), answer)])
}

fn required_message(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single { .. } | QuestionKind::Scale { .. } | QuestionKind::Yesno => {
            "Kies een antwoord."
        }
        QuestionKind::Multi { .. } => "Kies ten minste één mogelijkheid.",
        QuestionKind::Slot { .. } => "Kies een bijeenkomst.",
        QuestionKind::Matrix { .. } => "Beantwoord elke regel.",
        QuestionKind::Consent => "Vink het vakje aan om akkoord te gaan.",
        _ => "Vul dit in.",
    }
}

/// Line ends made uniform, control characters removed, outer spaces trimmed.
pub fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let kept: String = text.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
    kept.trim().to_string()
}

fn length(text: &str, min: Option<u32>, max: u32) -> Result<(), String> {
    let n = text.chars().count();
    if let Some(min) = min
        && n < min as usize
    {
        return Err(format!("Gebruik ten minste {min} tekens (nu {n})."));
    }
    if n > max as usize {
        return Err(format!("Gebruik hoogstens {max} tekens (nu {n})."));
    }
    Ok(())
}

fn number(raw: &str, decimal: bool, min: Option<f64>, max: Option<f64>) -> Result<f64, String> {
    let normal = raw.replace(' ', "");
    let digits = normal.strip_prefix('-').unwrap_or(&normal);
    let shaped = if decimal {
        let mut parts = digits.splitn(2, [',', '.']);
        let whole = parts.next().unwrap_or_default();
        let fraction = parts.next();
        !whole.is_empty()
            && whole.bytes().all(|b| b.is_ascii_digit())
            && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
    } else {
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let value = normal
        .replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| shaped && v.is_finite() && digits.len() <= 15);
    let Some(value) = value else {
        return Err(if decimal {
            "Vul een getal in, bijvoorbeeld 2,5."
        } else {
            "Vul een geheel getal in, bijvoorbeeld 12."
        }
        .into());
    };
    let show = |v: f64| v.to_string().replace('.', ",");
    match (min, max) {
        (Some(lo), Some(hi)) if value < lo || value > hi => {
            Err(format!("Vul een getal van {} tot en met {} in.", show(lo), show(hi)))
        }
        (Some(lo), None) if value < lo => Err(format!("Vul een getal van ten minste {} in.", show(lo))),
        (None, Some(hi)) if value > hi => Err(format!("Vul een getal van hoogstens {} in.", show(hi))),
        _ => Ok(value),
    }
}

/// A value on the question's step, counted from its `min` (or 0); off it, the two answers
/// nearest to what was typed are offered.
fn on_step(value: f64, step: Option<f64>, min: Option<f64>) -> Result<f64, String> {
    let Some(step) = step else { return Ok(value) };
    let origin = min.unwrap_or(0.0);
    let steps = (value - origin) / step;
    if (steps - steps.round()).abs() <= 1e-9 * steps.abs().max(1.0) {
        return Ok(value);
    }
    let show = |v: f64| (((v * 1e6).round() / 1e6).to_string()).replace('.', ",");
    let (below, above) = (origin + steps.floor() * step, origin + steps.ceil() * step);
    let counted = match min {
        Some(min) if min != 0.0 => format!(" vanaf {}", show(min)),
        _ => String::new(),
    };
    Err(format!(
        "{} kan niet: vul een getal in stappen van {}{counted} in, bijvoorbeeld {} of {}.",
        show(value),
        show(step),
        show(below),
        show(above)
    ))
}

fn email(raw: &str) -> Result<String, String> {
    let valid = raw.len() <= 254
        && email_address::EmailAddress::is_valid(raw)
        && raw.rsplit_once('@').is_some_and(|(_, domain)| domain.contains('.'));
    if valid {
        Ok(raw.to_string())
    } else {
        Err("Vul een geldig e-mailadres in, bijvoorbeeld naam@praktijk.nl.".into())
    }
}

fn date(raw: &str, min: Option<chrono::NaiveDate>, max: Option<chrono::NaiveDate>) -> Result<String, String> {
    let parsed = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
        .iter()
        .find_map(|f| chrono::NaiveDate::parse_from_str(raw, f).ok());
    let Some(day) = parsed else {
        return Err("Vul een datum in als dd-mm-jjjj, bijvoorbeeld 07-12-2026.".into());
    };
    if min.is_some_and(|m| day < m) || max.is_some_and(|m| day > m) {
        let bound = |d: Option<chrono::NaiveDate>| d.map(crate::time::dutch_date);
        return Err(match (bound(min), bound(max)) {
            (Some(lo), Some(hi)) => format!("Kies een datum van {lo} tot en met {hi}."),
            (Some(lo), None) => format!("Kies een datum op of na {lo}."),
            (_, hi) => format!("Kies een datum op of voor {}.", hi.unwrap_or_default()),
        });
    }
    Ok(day.format("%Y-%m-%d").to_string())
}

const NOT_AN_OPTION: &str = "Kies een van de genoemde mogelijkheden.";

fn single(
    q: &Question,
    raw: &str,
    posted: &Posted,
    options: &[Choice],
    other: bool,
) -> Result<Found, String> {
    if other && raw == OTHER {
        let text = other_text(q, posted)?;
        return Ok(vec![(q.id.clone(), Answer::Text(OTHER.into())), (other_key(&q.id), Answer::Text(text))]);
    }
    if !options.iter().any(|o| o.value == raw) {
        return Err(NOT_AN_OPTION.into());
    }
    Ok(vec![(q.id.clone(), Answer::Text(raw.to_string()))])
}

fn other_text(q: &Question, posted: &Posted) -> Result<String, String> {
    let text = posted.get(&other_key(&q.id)).and_then(|v| v.first()).map(|v| clean(v)).unwrap_or_default();
    if text.is_empty() {
        return Err("Vul in wat u bedoelt met ‘Anders’.".into());
    }
    length(&text, None, 500)?;
    Ok(text)
}

fn multi(
    q: &Question,
    values: &[&str],
    posted: &Posted,
    options: &[Choice],
    other: bool,
    min: Option<u32>,
    max: Option<u32>,
) -> Result<Found, String> {
    let mut chosen: Vec<String> = Vec::new();
    for value in values {
        let known = options.iter().any(|o| o.value == *value) || (other && *value == OTHER);
        if !known {
            return Err(NOT_AN_OPTION.into());
        }
        if !chosen.iter().any(|c| c == value) {
            chosen.push(value.to_string());
        }
    }
    if chosen.is_empty() {
        return if q.required { Err(required_message(&q.kind).into()) } else { Ok(vec![]) };
    }
    if let Some(max) = max
        && chosen.len() > max as usize
    {
        return Err(format!("Kies er hoogstens {max}."));
    }
    if let Some(min) = min
        && chosen.len() < min as usize
    {
        return Err(format!("Kies er ten minste {min}."));
    }
    let mut found = Vec::new();
    if chosen.iter().any(|c| c == OTHER) {
        found.push((other_key(&q.id), Answer::Text(other_text(q, posted)?)));
    }
    found.push((q.id.clone(), Answer::Many(chosen)));
    Ok(found)
}

/// The sessions chosen, by code. Which codes the round offers is the sign-up's business
/// (`signup::check_choices`); here only the shape: distinct codes, no more than allowed.
fn slot(q: &Question, values: &[&str], max: u32) -> Result<Found, String> {
    let mut chosen: Vec<String> = Vec::new();
    for value in values {
        let plausible = !value.is_empty()
            && value.len() <= 40
            && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !plausible {
            return Err(NOT_AN_OPTION.into());
        }
        if !chosen.iter().any(|c| c == value) {
            chosen.push(value.to_string());
        }
    }
    if chosen.is_empty() {
        return if q.required { Err(required_message(&q.kind).into()) } else { Ok(vec![]) };
    }
    if chosen.len() > max as usize {
        return Err(if max == 1 {
            "Kies één bijeenkomst.".into()
        } else {
            format!("Kies er hoogstens {max}.")
        });
    }
    Ok(vec![(q.id.clone(), Answer::Many(chosen))])
}

fn scale_point(raw: &str, points: &[ScalePoint], na: bool) -> Result<Answer, String> {
    if na && raw == NA {
        return Ok(Answer::Text(NA.into()));
    }
    match raw.parse::<i64>() {
        Ok(v) if points.iter().any(|p| p.value == v) => Ok(Answer::Number(v as f64)),
        _ => Err(NOT_AN_OPTION.into()),
    }
}

fn matrix(
    q: &Question,
    posted: &Posted,
    items: &[Choice],
    points: &[ScalePoint],
    na: bool,
) -> Result<Found, String> {
    let mut grid = BTreeMap::new();
    for item in items {
        let values = posted.get(&format!("{}.{}", q.id, item.value)).cloned().unwrap_or_default();
        if values.len() > 1 {
            return Err("Geef per regel één antwoord.".into());
        }
        let raw = values.first().map(|v| clean(v)).unwrap_or_default();
        if raw.is_empty() {
            continue;
        }
        grid.insert(item.value.clone(), scale_point(&raw, points, na)?);
    }
    if q.required && grid.len() < items.len() {
        return Err(required_message(&q.kind).into());
    }
    Ok(if grid.is_empty() { vec![] } else { vec![(q.id.clone(), Answer::Grid(grid))] })
}
