//! `/beheer/rondes/<id>/antwoorden`: the answers of an identified survey round with the name,
//! address and practice of each person, newest first, while the round is still open (the
//! results pages only show closed rounds). For request rounds such as `blended-care-bezoek`,
//! where each answer is a practice asking for a visit. Administrators only; every reading is in
//! the audit log, as the personal links are. An anonymous round has no such page.

use rocket::http::Status;
use rocket::{State, get};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::{Page, RoundView, missing};
use crate::audit::{AuditAction, Entry, round_subject};
use crate::responses::identified::{self, Identified};
use crate::rounds::{self, RoundId, RoundsError};
use crate::web::App;
use crate::web::auth::Admin;

/// One response as the page shows it.
#[derive(Serialize)]
struct AnswerView {
    name: String,
    email: String,
    practice: String,
    when: String,
    answers: Vec<Line>,
}

#[derive(Serialize)]
struct Line {
    question: String,
    answer: String,
}

impl From<Identified> for AnswerView {
    fn from(i: Identified) -> AnswerView {
        AnswerView {
            name: i.name,
            email: i.email,
            practice: i.practice,
            when: crate::time::dutch(i.submitted_at),
            answers: i.answers.into_iter().map(|(question, answer)| Line { question, answer }).collect(),
        }
    }
}

#[get("/beheer/rondes/<id>/antwoorden")]
pub(super) async fn answers(admin: Admin, id: i64, app: &State<App>) -> Page {
    let id = RoundId(id);
    let summary = match rounds::summary(app.db.read(), id).await {
        Ok(summary) => summary,
        Err(RoundsError::UnknownRound(_)) => return Ok(missing(&admin, id)),
        Err(e) => return Err(e.into()),
    };
    let round = RoundView::of(&summary, app.now());
    if summary.anonymous {
        let context = context! { round, account_email: &admin.email, csrf: admin.csrf() };
        return Ok((Status::NotFound, Template::render("admin/rounds/answers_anonymous", context)));
    }
    let loaded = app.rounds.get(app.db.read(), id).await?;
    let found = identified::identified(app.db.read(), &loaded).await?;
    let detail = format!("ronde {id}: {} antwoorden met naam", found.len());
    let actor = admin.actor();
    let entry =
        Entry::new(AuditAction::AnswersViewed, &actor, app.now()).about(round_subject(id, found.len()));
    entry.detail(detail).log(&app.db).await?;
    let open_link = open_link(app, id).await?;
    let answers: Vec<AnswerView> = found.into_iter().map(AnswerView::from).collect();
    let context = context! {
        round,
        answers,
        open_link,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/rounds/answers", context)))
}

/// The whole address of the round's public link (a sign-up's open registration, a survey's
/// open link), to copy into a newsletter; `None` for a round without one.
pub(super) async fn open_link(app: &App, id: RoundId) -> Result<Option<String>, sqlx::Error> {
    let slug = rounds::public_slug(app.db.read(), id).await?;
    Ok(slug.map(|slug| format!("{}/f/{slug}", app.settings.base_url.trim_end_matches('/'))))
}
