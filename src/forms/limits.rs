//! How many fields one page of a form can post, against how many the service accepts in one
//! body. The limit belongs to the forms: the body parser refuses a longer post as not a browser
//! filling in a form, and `peil check` refuses a page that could post more, which would pass the
//! check and then get every submission refused.

use super::model::{Page, Question, QuestionKind};

/// More fields than any page posts; a body with more is not a browser filling in a form.
pub const MAX_FIELDS: usize = 2000;

/// `_page` and `_nav`, which every answer page posts besides its questions.
const PAGE_FIELDS: usize = 2;

impl Page {
    /// The most fields a browser posts for this page when it is filled in as it may be: one per
    /// question, matrix row, ticked box of a multi, and "anders, namelijk" text.
    pub fn most_fields(&self) -> usize {
        PAGE_FIELDS + self.questions.iter().map(Question::most_fields).sum::<usize>()
    }
}

impl Question {
    fn most_fields(&self) -> usize {
        let other_text = |other: bool| usize::from(other);
        match &self.kind {
            QuestionKind::Single { other, .. } => 1 + other_text(*other),
            QuestionKind::Multi { options, other, max_choices, .. } => {
                let boxes = options.len() + usize::from(*other);
                let ticked = max_choices.map_or(boxes, |most| boxes.min(most as usize));
                ticked + other_text(*other)
            }
            QuestionKind::Matrix { items, .. } => items.len(),
            // One box per session chosen; the sessions themselves are not known when checking.
            QuestionKind::Slot { max_choices } => *max_choices as usize,
            QuestionKind::Text { .. }
            | QuestionKind::Textarea { .. }
            | QuestionKind::Number { .. }
            | QuestionKind::Email
            | QuestionKind::Date { .. }
            | QuestionKind::Scale { .. }
            | QuestionKind::Yesno
            | QuestionKind::Consent => 1,
        }
    }
}
