//! A session's attendance pages under `/beheer/bijeenkomsten/<id>`: ticking who came on a
//! tablet at the door (`aanwezigheid`, here), the presentielijst to print, as PDF and as XLSX
//! (`lists`), and what goes into each register afterwards (`register`). Each handler reads the
//! session's people once (`attendance::attendees`) and calls one domain function.

mod lists;
mod register;

use rocket::http::Status;
use rocket::response::Redirect;
use rocket::{Either, Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::super::auth::{Admin, CsrfForm, NoFields};
use super::super::{App, Error};
use crate::audit::{AuditAction, Entry, session_subject};
use crate::signup::attendance::{self, AttendanceError, Attendee, Ticking};
use crate::signup::{SeatId, SessionId, SignupError};

type Page = Result<(Status, Template), Error>;
type Action = Result<Either<Redirect, (Status, Template)>, Error>;

pub(super) fn routes() -> Vec<Route> {
    routes![tablet, tick, everyone, lists::page, lists::pdf, lists::xlsx, register::page, register::entered]
}

/// The session's people, or the Dutch 404 page when there is no such session.
async fn load(
    app: &App,
    admin: &Admin,
    id: SessionId,
) -> Result<Result<attendance::SessionPeople, (Status, Template)>, Error> {
    match attendance::attendees(app.db.read(), id).await {
        Ok(found) => Ok(Ok(found)),
        Err(AttendanceError::Signup(SignupError::UnknownSession(_))) => Ok(Err(missing(admin, id))),
        Err(e) => Err(e.into()),
    }
}

fn missing(admin: &Admin, id: SessionId) -> (Status, Template) {
    let text = format!("Er is geen bijeenkomst met nummer {id}.");
    super::short_page(
        admin,
        Status::NotFound,
        "Onbekende bijeenkomst",
        &text,
        ("/beheer/rondes", "Naar de rondes"),
    )
}

/// A confirmed person as the tablet page shows them.
#[derive(Serialize)]
struct Row {
    seat: i64,
    name: String,
    present: bool,
}

#[get("/beheer/bijeenkomsten/<id>/aanwezigheid")]
async fn tablet(admin: Admin, id: i64, app: &State<App>) -> Page {
    tablet_page(&admin, app, SessionId(id), Status::Ok, None).await
}

async fn tablet_page(admin: &Admin, app: &App, id: SessionId, status: Status, error: Option<String>) -> Page {
    let (session, _, people) = match load(app, admin, id).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let rows: Vec<Row> = people
        .iter()
        .filter(|p| p.status == crate::signup::SeatStatus::Confirmed)
        .map(|p: &Attendee| Row { seat: p.seat.0, name: p.name.clone(), present: p.attended == Some(true) })
        .collect();
    let present = rows.iter().filter(|r| r.present).count();
    // The tablet lists the confirmed people by name: an attendance list shown, as the
    // presentielijst is.
    let actor = admin.actor();
    let entry = Entry::new(AuditAction::PresenceListViewed, &actor, app.now());
    let entry =
        entry.about(session_subject(id, rows.len())).detail(format!("aanwezigheid van bijeenkomst {id}"));
    entry.log(&app.db).await?;
    let context = context! {
        session: &session,
        when: session.when(),
        started: app.now() >= session.starts_at,
        starts: crate::time::dutch(session.starts_at),
        rows,
        present,
        error,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((status, Template::render("admin/attendance/tablet", context)))
}

#[derive(rocket::FromForm)]
#[field(default = "")]
struct Tick<'r> {
    aanwezig: &'r str,
}

/// One tick (`aanwezig=ja`) or its undo (`aanwezig=nee`); back to the same person on the page.
// Ranked after "iedereen", which the same path would otherwise also match.
#[post("/beheer/bijeenkomsten/<id>/aanwezigheid/<seat>", data = "<form>", rank = 2)]
async fn tick(admin: Admin, id: i64, seat: i64, form: CsrfForm<Tick<'_>>, app: &State<App>) -> Action {
    let attended = match form.fields.aanwezig {
        "ja" => true,
        "nee" => false,
        _ => return Err(Error::BadRequest),
    };
    let done = Ticking::Seat(SeatId(seat), attended);
    after(&admin, app, SessionId(id), done, &format!("#plaats-{seat}")).await
}

#[post("/beheer/bijeenkomsten/<id>/aanwezigheid/iedereen", data = "<_form>", rank = 1)]
async fn everyone(admin: Admin, id: i64, _form: CsrfForm<NoFields>, app: &State<App>) -> Action {
    after(&admin, app, SessionId(id), Ticking::Everyone, "#lijst").await
}

/// Records the tick and goes back to the page (303, so a reload does not post again), or shows
/// the page with why nothing was recorded.
async fn after(admin: &Admin, app: &App, id: SessionId, ticking: Ticking, anchor: &str) -> Action {
    let refused = match attendance::tick(&app.db, id, ticking, app.now(), Some(&admin.email)).await {
        Ok(_) => {
            return Ok(Either::Left(Redirect::to(format!(
                "/beheer/bijeenkomsten/{id}/aanwezigheid{anchor}"
            ))));
        }
        Err(AttendanceError::Signup(SignupError::UnknownSession(_))) => {
            return Ok(Either::Right(missing(admin, id)));
        }
        Err(AttendanceError::NotStarted { starts, .. }) => {
            format!(
                "De bijeenkomst begint {starts}. Aanwezigheid kunt u vastleggen vanaf het begin; er is niets genoteerd."
            )
        }
        Err(AttendanceError::NotASeatHere { .. }) => {
            "Deze persoon heeft geen bevestigde plaats in deze bijeenkomst; er is niets genoteerd.".to_owned()
        }
        Err(e) => return Err(e.into()),
    };
    let page = tablet_page(admin, app, id, Status::UnprocessableEntity, Some(refused)).await?;
    Ok(Either::Right(page))
}
