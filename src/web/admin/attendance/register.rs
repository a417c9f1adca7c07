//! `/beheer/bijeenkomsten/<id>/register`: per register of the round, the lines for its import
//! field (copied with one click where scripts run, selectable where they do not), who was
//! present without a number, the deadline, and "Ingevoerd in ..." (audited; undo allowed).

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{Either, State, get, post};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::super::super::auth::{Admin, CsrfForm};
use super::super::super::{App, Error};
use super::{Action, Page, load};
use crate::accreditation::entries::{self, EntryError, Missing, RegisterBlock};
use crate::signup::SessionId;

/// A register's block as the page shows it.
#[derive(Serialize)]
struct Block {
    id: String,
    name: String,
    text: String,
    count: usize,
    without_number: Vec<Missing>,
    due: Option<String>,
    overdue: bool,
    entered: Option<String>,
}

impl Block {
    fn of(b: RegisterBlock, now: chrono::DateTime<chrono::Utc>) -> Block {
        Block {
            id: b.register.id,
            name: b.register.name,
            count: b.lines.len(),
            text: b.lines.join("\n"),
            without_number: b.without_number,
            due: b.due.map(crate::time::dutch),
            overdue: b.entered.is_none() && b.due.is_some_and(|due| due < now),
            entered: b.entered.map(crate::time::dutch),
        }
    }
}

#[get("/beheer/bijeenkomsten/<id>/register")]
pub(super) async fn page(admin: Admin, id: i64, app: &State<App>) -> Page {
    register_page(&admin, app, SessionId(id), Status::Ok, None).await
}

async fn register_page(
    admin: &Admin,
    app: &App,
    id: SessionId,
    status: Status,
    error: Option<String>,
) -> Page {
    let (session, registers, people) = match load(app, admin, id).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let marks = entries::of_session(app.db.read(), id).await?;
    let now = app.now();
    let blocks: Vec<Block> = entries::blocks(&session, &registers, &people, &marks)
        .into_iter()
        .map(|b| Block::of(b, now))
        .collect();
    let present = people.iter().filter(|p| p.present()).count();
    let context = context! {
        session: &session,
        when: session.when(),
        present,
        blocks,
        error,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((status, Template::render("admin/attendance/register", context)))
}

#[derive(rocket::FromForm)]
#[field(default = "")]
pub(super) struct Entered<'r> {
    register: &'r str,
    ingevoerd: &'r str,
}

/// "Ingevoerd in <register>" (`ingevoerd=ja`), or its undo (`ingevoerd=nee`).
#[post("/beheer/bijeenkomsten/<id>/register", data = "<form>")]
pub(super) async fn entered(admin: Admin, id: i64, form: CsrfForm<Entered<'_>>, app: &State<App>) -> Action {
    let id = SessionId(id);
    let entered = match form.fields.ingevoerd {
        "ja" => true,
        "nee" => false,
        _ => return Err(Error::BadRequest),
    };
    let (session, registers, _) = match load(app, &admin, id).await? {
        Ok(found) => found,
        Err(page) => return Ok(Either::Right(page)),
    };
    let by = Some((admin.id, admin.email.as_str()));
    match entries::mark(&app.db, &session, &registers, form.fields.register, entered, app.now(), by).await {
        Ok(()) => Ok(Either::Left(Redirect::to(format!(
            "/beheer/bijeenkomsten/{id}/register#register-{}",
            form.fields.register
        )))),
        Err(EntryError::UnknownRegister(..)) => {
            let error = "Deze bijeenkomst telt niet voor dat register; er is niets genoteerd.".to_owned();
            Ok(Either::Right(register_page(&admin, app, id, Status::UnprocessableEntity, Some(error)).await?))
        }
        Err(e) => Err(e.into()),
    }
}
