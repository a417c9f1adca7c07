//! What the answering templates receive: a page of a form with the values to show and the errors
//! to explain, as plain serialisable data. No HTML is built here; Tera escapes every value.

use std::collections::HashMap;

use rocket_dyn_templates::tera;
use serde::Serialize;

use crate::forms::answers::{Answer, Answers, other_key};
use crate::forms::explain;
use crate::forms::expr::references;
use crate::forms::model::{Form, NA, OTHER, Page, Question, QuestionKind, ScalePoint, Text, Widget};
use crate::forms::validate::{FieldError, Posted, is_shown};
use crate::organisation::Contact;
use crate::signup::Session;

pub fn empty() -> serde_json::Value {
    serde_json::json!({})
}

/// `organisation()` in every page template: the organisation's name (or "de organisatie") and
/// how to reach it (`templates/_contact.html.tera` writes the sentence). A template function
/// rather than a context value, so that no handler (and no catcher, which has no `App`) has to
/// remember to pass it.
pub fn organisation(contact: Contact) -> impl tera::Function {
    move |_: &HashMap<String, tera::Value>| -> tera::Result<tera::Value> { Ok(tera::to_value(&contact)?) }
}

#[derive(Serialize)]
pub struct PageView {
    pub form_title: String,
    /// The form's privacy statement, linked from the footer (`base.html.tera`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub privacy: Option<String>,
    pub intro: Option<String>,
    pub page_title: Option<String>,
    pub page_intro: Option<String>,
    pub step: usize,
    pub steps: usize,
    pub page: usize,
    pub first: bool,
    pub last: bool,
    pub action: String,
    pub closes: String,
    pub notice: Option<String>,
    /// Answers of earlier pages that live conditions on this page read, as JSON.
    pub earlier: String,
    pub errors: Vec<ErrorView>,
    pub questions: Vec<QuestionView>,
    /// Set when a coordinator previews the form (`/beheer/formulieren`): nothing is stored.
    pub preview: Option<Preview>,
}

/// What a preview page carries besides the respondent's page: the answers so far, signed, in a
/// hidden field (nothing is stored), and the session's CSRF token.
#[derive(Clone, Serialize)]
pub struct Preview {
    pub state: String,
    pub csrf: String,
    /// Back to the list of forms.
    pub back: String,
}

#[derive(Serialize)]
pub struct ErrorView {
    pub id: String,
    pub label: String,
    pub message: String,
}

#[derive(Serialize, Default)]
pub struct QuestionView {
    pub id: String,
    pub kind: &'static str,
    pub label: String,
    pub help: Option<String>,
    pub required: bool,
    pub error: Option<String>,
    /// Ids of the help and error texts, for `aria-describedby`.
    pub described: Option<String>,
    /// The condition as JSON, when it depends on an answer on this same page.
    pub show_if: Option<String>,
    /// That condition in words, for when the page script does not run and the question is
    /// shown whatever the answers (the script hides this line).
    pub only_if: Option<String>,
    pub value: String,
    pub options: Vec<OptionView>,
    pub items: Vec<ItemView>,
    pub widget: &'static str,
    pub other: bool,
    pub other_value: String,
    pub na: Option<String>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
    pub inputmode: &'static str,
    pub unit: Option<String>,
    pub placeholder: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    /// For a number with a `step`: "In stappen van 0,5.", shown under the label. The field is a
    /// text field (for the decimal comma), on which a `step` attribute would mean nothing.
    pub step: Option<String>,
    /// In an anonymous round, a question whose answer says who gave it: the page says that
    /// this answer is not anonymous (in English too when the form has the question in English).
    pub not_anonymous: bool,
    pub not_anonymous_en: bool,
}

#[derive(Serialize, Default)]
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub checked: bool,
    /// A session's date, place and seats left, shown under its title.
    pub details: Vec<String>,
    pub full: bool,
}

#[derive(Serialize)]
pub struct ItemView {
    pub id: String,
    pub name: String,
    pub label: String,
    pub options: Vec<OptionView>,
}

/// The values to put back in the fields: what was just posted, or what was stored.
pub fn posted_from(page: &Page, answers: &Answers) -> Posted {
    let mut posted = Posted::new();
    for q in &page.questions {
        match answers.get(&q.id) {
            Some(Answer::Grid(grid)) => {
                for (item, answer) in grid {
                    posted.insert(format!("{}.{item}", q.id), vec![plain(answer)]);
                }
            }
            Some(Answer::Many(values)) => {
                posted.insert(q.id.clone(), values.clone());
            }
            Some(answer) => {
                posted.insert(q.id.clone(), vec![plain(answer)]);
            }
            None => {}
        }
        if let Some(other) = answers.get(&other_key(&q.id)) {
            posted.insert(other_key(&q.id), vec![plain(other)]);
        }
    }
    posted
}

fn plain(answer: &Answer) -> String {
    match answer {
        Answer::Text(t) => t.clone(),
        Answer::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
        Answer::Number(n) => n.to_string().replace('.', ","),
        Answer::Bool(true) => "ja".into(),
        Answer::Bool(false) => "nee".into(),
        Answer::Many(v) => v.join(", "),
        Answer::Grid(_) => String::new(),
    }
}

/// The questions of `page` (of `form`) that are shown, given the answers of earlier pages.
pub fn questions(
    form: &Form,
    page: &Page,
    posted: &Posted,
    before: &Answers,
    errors: &[FieldError],
    sessions: &[Session],
) -> Vec<QuestionView> {
    let on_page: Vec<&str> = page.questions.iter().map(|q| q.id.as_str()).collect();
    page.questions
        .iter()
        .filter_map(|q| {
            let live = q.show_if.as_ref().filter(|c| {
                let mut refs = Vec::new();
                references(&c.expr, &mut refs);
                refs.iter().any(|r| on_page.contains(&r.as_str()))
            });
            // Conditions on earlier pages only are decided here; live ones are left to the script.
            if live.is_none() && !is_shown(q, before) {
                return None;
            }
            let mut view = question(q, posted, sessions);
            view.show_if = live.and_then(|c| serde_json::to_string(&c.expr).ok());
            view.only_if = live.map(|c| explain::only_if(form, &c.expr));
            view.error = errors.iter().find(|e| e.question == q.id).map(|e| e.message.clone());
            let ids = [
                view.help.as_ref().map(|_| format!("q-{}-help", q.id)),
                view.step.as_ref().map(|_| format!("q-{}-step", q.id)),
                view.only_if.as_ref().map(|_| format!("q-{}-only-if", q.id)),
                view.error.as_ref().map(|_| format!("q-{}-error", q.id)),
            ];
            let ids: Vec<String> = ids.into_iter().flatten().collect();
            view.described = (!ids.is_empty()).then(|| ids.join(" "));
            Some(view)
        })
        .collect()
}

/// Marks the questions of `page` whose answer says who gave it (see
/// `Question::is_identifying`), with the notice first among what describes the field.
pub fn mark_not_anonymous(page: &Page, views: &mut [QuestionView]) {
    for view in views {
        let Some(q) = page.questions.iter().find(|q| q.id == view.id) else { continue };
        if !q.is_identifying() {
            continue;
        }
        view.not_anonymous = true;
        view.not_anonymous_en = q.label.en.is_some();
        let id = format!("q-{}-not-anonymous", q.id);
        view.described = Some(match view.described.take() {
            Some(others) => format!("{id} {others}"),
            None => id,
        });
    }
}

fn first(posted: &Posted, name: &str) -> String {
    posted.get(name).and_then(|v| v.first()).cloned().unwrap_or_default()
}

fn nl(text: &Option<Text>) -> Option<String> {
    text.as_ref().map(|t| t.nl.clone())
}

fn question(q: &Question, posted: &Posted, sessions: &[Session]) -> QuestionView {
    let chosen = posted.get(&q.id).cloned().unwrap_or_default();
    let mut view = QuestionView {
        id: q.id.clone(),
        kind: q.kind.name(),
        label: q.label.nl.clone(),
        help: nl(&q.help),
        required: q.required,
        value: first(posted, &q.id),
        widget: "radio",
        inputmode: "text",
        ..QuestionView::default()
    };
    match &q.kind {
        QuestionKind::Text { min_length, max_length, placeholder, .. }
        | QuestionKind::Textarea { min_length, max_length, placeholder } => {
            view.min_length = *min_length;
            view.max_length = Some(*max_length);
            view.placeholder = nl(placeholder);
        }
        QuestionKind::Number { decimal, min, max, unit, step } => {
            view.inputmode = if *decimal { "decimal" } else { "numeric" };
            view.unit = nl(unit);
            view.min = min.map(|m| m.to_string().replace('.', ","));
            view.max = max.map(|m| m.to_string().replace('.', ","));
            view.step = step.map(|s| match view.min.as_deref().filter(|m| *m != "0") {
                Some(from) => format!("In stappen van {}, vanaf {from}.", s.to_string().replace('.', ",")),
                None => format!("In stappen van {}.", s.to_string().replace('.', ",")),
            });
        }
        QuestionKind::Date { min, max } => {
            view.min = min.map(|d| d.to_string());
            view.max = max.map(|d| d.to_string());
        }
        QuestionKind::Single { options, other, .. } | QuestionKind::Multi { options, other, .. } => {
            view.options = options
                .iter()
                .map(|o| OptionView {
                    value: o.value.clone(),
                    label: o.label.nl.clone(),
                    checked: chosen.contains(&o.value),
                    ..OptionView::default()
                })
                .collect();
            if *other {
                view.other = true;
                view.other_value = first(posted, &other_key(&q.id));
                view.options.push(OptionView {
                    value: OTHER.into(),
                    label: "Anders, namelijk".into(),
                    checked: chosen.iter().any(|c| c == OTHER),
                    ..OptionView::default()
                });
            }
            if let QuestionKind::Single { widget: Widget::Dropdown, .. } = &q.kind {
                view.widget = "dropdown";
            }
        }
        QuestionKind::Scale { points, na } => {
            view.options = point_options(points, na, &view.value);
            view.na = nl(na);
        }
        QuestionKind::Matrix { items, points, na } => {
            view.na = nl(na);
            view.items = items
                .iter()
                .map(|item| {
                    let name = format!("{}.{}", q.id, item.value);
                    let value = first(posted, &name);
                    ItemView {
                        id: item.value.clone(),
                        label: item.label.nl.clone(),
                        options: point_options(points, na, &value),
                        name,
                    }
                })
                .collect();
        }
        QuestionKind::Email => view.inputmode = "email",
        QuestionKind::Slot { max_choices } => {
            view.widget = if *max_choices > 1 { "checkbox" } else { "radio" };
            view.options = slot_options(sessions, &chosen);
        }
        QuestionKind::Yesno | QuestionKind::Consent => {}
    }
    view
}

/// The sessions still offered, each with when and where, and how many seats are left.
fn slot_options(sessions: &[Session], chosen: &[String]) -> Vec<OptionView> {
    sessions
        .iter()
        .filter(|s| !s.cancelled)
        .map(|s| {
            let mut details = vec![s.when()];
            details.extend([&s.place, &s.leader].into_iter().filter(|t| !t.is_empty()).cloned());
            if !s.online_url.is_empty() {
                details.push("Online".into());
            }
            let full = s.seats_left() == 0;
            details.push(match s.seats_left() {
                0 if s.waiting > 0 => format!("Vol \u{2014} wachtlijst ({} wachtend)", s.waiting),
                0 => "Vol \u{2014} u komt op de wachtlijst".into(),
                1 => "Nog 1 plaats".into(),
                n => format!("Nog {n} plaatsen"),
            });
            OptionView {
                value: s.code.clone(),
                label: s.title.clone(),
                checked: chosen.contains(&s.code),
                details,
                full,
            }
        })
        .collect()
}

fn point_options(points: &[ScalePoint], na: &Option<Text>, value: &str) -> Vec<OptionView> {
    let mut options: Vec<OptionView> = points
        .iter()
        .map(|p| OptionView {
            value: p.value.to_string(),
            label: p.label.nl.clone(),
            checked: value == p.value.to_string(),
            ..OptionView::default()
        })
        .collect();
    if let Some(na) = na {
        options.push(OptionView {
            value: NA.into(),
            label: na.nl.clone(),
            checked: value == NA,
            ..OptionView::default()
        });
    }
    options
}

/// The answers of earlier pages that this page's live conditions read, as JSON for the script.
pub fn earlier_answers(page: &Page, before: &Answers) -> String {
    let mut refs = Vec::new();
    for q in &page.questions {
        if let Some(c) = &q.show_if {
            references(&c.expr, &mut refs);
        }
    }
    let subset: Answers =
        before.iter().filter(|(k, _)| refs.contains(k)).map(|(k, v)| (k.clone(), v.clone())).collect();
    serde_json::to_string(&subset).unwrap_or_else(|_| "{}".into())
}

pub fn error_views(page: &Page, errors: &[FieldError]) -> Vec<ErrorView> {
    errors
        .iter()
        .map(|e| {
            let label = page
                .questions
                .iter()
                .find(|q| q.id == e.question)
                .map_or_else(String::new, |q| q.label.nl.clone());
            ErrorView { id: e.question.clone(), label, message: e.message.clone() }
        })
        .collect()
}
