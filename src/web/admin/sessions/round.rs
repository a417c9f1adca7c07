//! `/beheer/rondes/<id>/bijeenkomsten`: a sign-up round's sessions with their seats, waiting
//! lists and cancellations, and adding one, as `peil session list|add` do.

use rocket::http::Status;
use rocket::{State, get, post};
use rocket_dyn_templates::{Template, context};

use super::super::super::auth::{Admin, CsrfForm};
use super::super::super::{App, Error};
use super::{Page, SessionView, words};
use crate::rounds::{self, RoundId, RoundsError};
use crate::signup::planning::{self, PlanningError};
use crate::signup::sessions;

#[get("/beheer/rondes/<id>/bijeenkomsten")]
pub(super) async fn list(admin: Admin, id: i64, app: &State<App>) -> Page {
    page(&admin, app, RoundId(id), Status::Ok, words::SessionForm::default(), Outcome::default()).await
}

#[derive(Default, serde::Serialize)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
}

async fn page(
    admin: &Admin,
    app: &App,
    id: RoundId,
    status: Status,
    form: words::SessionForm,
    outcome: Outcome,
) -> Page {
    let round = match rounds::summary(app.db.read(), id).await {
        Ok(round) => round,
        Err(RoundsError::UnknownRound(_)) => return Ok(super::missing(admin, "Deze ronde bestaat niet.")),
        Err(e) => return Err(e.into()),
    };
    let sessions: Vec<SessionView> =
        sessions::of_round(app.db.read(), id).await?.iter().map(SessionView::of).collect();
    let context = context! {
        round: context! { id: id.0, title: round.title, open: round.closes_at > app.now() },
        sessions,
        form,
        outcome,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((status, Template::render("admin/sessions/round", context)))
}

#[post("/beheer/rondes/<id>/bijeenkomsten", data = "<form>")]
pub(super) async fn add(admin: Admin, id: i64, form: CsrfForm<words::SessionForm>, app: &State<App>) -> Page {
    let id = RoundId(id);
    let typed = form.fields;
    let refused = |message: String| Outcome { notice: None, error: Some(message) };
    let plan = match typed.plan() {
        Ok(plan) => plan,
        Err(message) => {
            return page(&admin, app, id, Status::UnprocessableEntity, typed, refused(message)).await;
        }
    };
    match planning::add_session(&app.db, id, &plan, app.now(), Some(&admin.email)).await {
        Ok(session) => {
            let notice = format!("Bijeenkomst \"{}\" op {} is toegevoegd.", session.title, session.when());
            let done = Outcome { notice: Some(notice), error: None };
            page(&admin, app, id, Status::Ok, words::SessionForm::default(), done).await
        }
        Err(PlanningError::Rounds(RoundsError::UnknownRound(_))) => {
            Ok(super::missing(&admin, "Deze ronde bestaat niet."))
        }
        Err(e) => match words::planning(&e) {
            Some(message) => {
                page(&admin, app, id, Status::UnprocessableEntity, typed, refused(message)).await
            }
            None => Err(Error::from(e)),
        },
    }
}
