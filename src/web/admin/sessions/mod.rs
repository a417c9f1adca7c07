//! `/beheer/bijeenkomsten/<id>`: one session of a sign-up round: its details (changed or the
//! session cancelled here, as `peil session change|cancel`), the confirmed people, the waiting
//! list in order and the cancellations with their time; moving a person to another session,
//! enrolling a contact by hand, and a message to everyone on it (`people`). The round's list of
//! sessions, with adding one, is `round`. Each action calls the function `peil session` calls.

mod people;
mod round;
mod words;

use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::super::auth::{Admin, CsrfForm};
use super::super::{App, Error};
use super::Confirm;
use crate::audit::{AuditAction, Entry, session_subject};
use crate::contacts;
use crate::signup::planning::{self, PlanningError};
use crate::signup::{Session, SessionId, SignupError, roster, sessions};

pub(super) type Page = Result<(Status, Template), Error>;

pub(super) fn routes() -> Vec<Route> {
    routes![round::list, round::add, show, change, cancel, people::move_seat, people::enrol, people::mail]
}

/// A session as the pages show it.
#[derive(Serialize)]
pub(super) struct SessionView {
    id: i64,
    code: String,
    title: String,
    when: String,
    place: String,
    online_url: String,
    leader: String,
    activity_id: String,
    capacity: u32,
    taken: u32,
    waiting: u32,
    cancelled: bool,
}

impl SessionView {
    pub(super) fn of(s: &Session) -> SessionView {
        SessionView {
            id: s.id.0,
            code: s.code.clone(),
            title: s.title.clone(),
            when: s.when(),
            place: s.place.clone(),
            online_url: s.online_url.clone(),
            leader: s.leader.clone(),
            activity_id: s.activity_id.clone(),
            capacity: s.capacity,
            taken: s.taken,
            waiting: s.waiting,
            cancelled: s.cancelled,
        }
    }
}

/// The Dutch 404 page for a round or session that does not exist.
pub(super) fn missing(admin: &Admin, text: &str) -> (Status, Template) {
    super::short_page(admin, Status::NotFound, "Niet gevonden", text, ("/beheer/rondes", "Naar alle rondes"))
}

fn no_session(admin: &Admin) -> (Status, Template) {
    missing(admin, "Deze bijeenkomst bestaat niet. Misschien is het nummer verkeerd overgenomen.")
}

/// What the page says above its forms after an action, or the contacts a search found.
#[derive(Default, Serialize)]
pub(super) struct Outcome {
    pub notice: Option<String>,
    pub error: Option<String>,
    pub search: Option<Search>,
}

impl Outcome {
    pub(super) fn done(notice: String) -> Outcome {
        Outcome { notice: Some(notice), ..Outcome::default() }
    }

    pub(super) fn refused(error: String) -> Outcome {
        Outcome { error: Some(error), ..Outcome::default() }
    }
}

/// A search for a contact to enrol: what was typed, and who was found.
#[derive(Serialize)]
pub(super) struct Search {
    text: String,
    found: Vec<Found>,
}

#[derive(Serialize)]
struct Found {
    name: String,
    email: String,
}

/// Contacts a search on the page shows at most, to enrol one with a click.
const FOUND: usize = 10;

#[get("/beheer/bijeenkomsten/<id>?<zoek>")]
async fn show(admin: Admin, id: i64, zoek: Option<&str>, app: &State<App>) -> Page {
    let mut outcome = Outcome::default();
    if let Some(text) = zoek.map(str::trim).filter(|t| !t.is_empty()) {
        let filter = contacts::ContactFilter { text: Some(text.to_owned()), ..Default::default() };
        let page = contacts::search(app.db.read(), &filter, 0).await?;
        let found = page.contacts.into_iter().take(FOUND).map(|c| Found { name: c.name, email: c.email });
        outcome.search = Some(Search { text: text.to_owned(), found: found.collect() });
    }
    session_page(&admin, app, SessionId(id), Status::Ok, outcome, None).await
}

/// A person as the page lists them.
#[derive(Serialize)]
struct PersonView {
    seat: i64,
    name: String,
    email: String,
    since: String,
    changed: String,
}

fn people(list: &[roster::Person]) -> Vec<PersonView> {
    list.iter()
        .map(|p| PersonView {
            seat: p.seat.0,
            name: p.name.clone(),
            email: p.email.clone(),
            since: crate::time::dutch(p.since),
            changed: crate::time::dutch(p.changed),
        })
        .collect()
}

async fn session_page(
    admin: &Admin,
    app: &App,
    id: SessionId,
    status: Status,
    outcome: Outcome,
    form: Option<words::SessionForm>,
) -> Page {
    let session = match sessions::get(app.db.read(), id).await {
        Ok(session) => session,
        Err(SignupError::UnknownSession(_)) => return Ok(no_session(admin)),
        Err(e) => return Err(e.into()),
    };
    let roster = roster::of_session(app.db.read(), id).await?;
    // The page names everyone on the session (and what a search found): each showing is logged.
    let shown = roster.confirmed.len() + roster.waiting.len() + roster.cancelled.len();
    let found = outcome.search.as_ref().map(|s| format!(", zoekresultaten: {}", s.found.len()));
    let actor = admin.actor();
    let entry =
        Entry::new(AuditAction::ParticipantsViewed, &actor, app.now()).about(session_subject(id, shown));
    entry.detail(format!("bijeenkomst {id}{}", found.unwrap_or_default())).log(&app.db).await?;
    let others: Vec<SessionView> = sessions::of_round(app.db.read(), session.round)
        .await?
        .iter()
        .filter(|s| s.id != id && !s.cancelled && s.ends_at > app.now())
        .map(SessionView::of)
        .collect();
    let context = context! {
        session: SessionView::of(&session),
        round: session.round.0,
        form: form.unwrap_or_else(|| words::SessionForm::of(&session)),
        confirmed: people(&roster.confirmed),
        waiting: people(&roster.waiting),
        cancelled: people(&roster.cancelled),
        others,
        // A new key per page shown: the message form sent twice sends one message.
        mail_key: crate::crypto::random_b64(18),
        outcome,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((status, Template::render("admin/sessions/session", context)))
}

/// The page after a refused action: the message in Dutch and a 422, or the 404 or 500 the error
/// means.
async fn refused(admin: &Admin, app: &App, id: SessionId, e: SignupError) -> Page {
    match e {
        SignupError::UnknownSession(_) => Ok(no_session(admin)),
        e => match words::signup(&e) {
            Some(message) => {
                let outcome = Outcome::refused(message);
                session_page(admin, app, id, Status::UnprocessableEntity, outcome, None).await
            }
            None => Err(e.into()),
        },
    }
}

#[post("/beheer/bijeenkomsten/<id>/wijzigen", data = "<form>")]
async fn change(admin: Admin, id: i64, form: CsrfForm<words::SessionForm>, app: &State<App>) -> Page {
    let id = SessionId(id);
    let typed = form.fields;
    let session = match sessions::get(app.db.read(), id).await {
        Ok(session) => session,
        Err(e) => return refused(&admin, app, id, e).await,
    };
    let error = |message: String| Outcome::refused(message);
    let edit = match typed.edit(&session) {
        Ok(edit) => edit,
        Err(message) => {
            return session_page(&admin, app, id, Status::UnprocessableEntity, error(message), Some(typed))
                .await;
        }
    };
    match planning::change_session(&app.db, id, &edit, app.now(), Some(&admin.email)).await {
        Ok((before, after)) => {
            let told = if after.revision > before.revision {
                " Wie aangemeld is of op de wachtlijst staat, krijgt bericht met de nieuwe gegevens."
            } else {
                ""
            };
            let outcome = Outcome::done(format!("De bijeenkomst is gewijzigd.{told}"));
            session_page(&admin, app, id, Status::Ok, outcome, None).await
        }
        Err(PlanningError::Signup(e)) => refused(&admin, app, id, e).await,
        Err(e) => match words::planning(&e) {
            Some(message) => {
                session_page(&admin, app, id, Status::UnprocessableEntity, error(message), Some(typed)).await
            }
            None => Err(e.into()),
        },
    }
}

#[post("/beheer/bijeenkomsten/<id>/afgelasten", data = "<form>")]
async fn cancel(admin: Admin, id: i64, form: CsrfForm<Confirm<'_>>, app: &State<App>) -> Page {
    let id = SessionId(id);
    if !form.fields.given() {
        let outcome = Outcome::refused(
            "Vink aan dat u de bijeenkomst wilt afgelasten; er is niets gewijzigd.".to_owned(),
        );
        return session_page(&admin, app, id, Status::UnprocessableEntity, outcome, None).await;
    }
    match sessions::cancel(&app.db, id, app.now(), Some(&admin.email)).await {
        Ok(told) => {
            let outcome = Outcome::done(format!(
                "De bijeenkomst is afgelast. {told} mensen (aangemeld of op de wachtlijst) krijgen bericht."
            ));
            session_page(&admin, app, id, Status::Ok, outcome, None).await
        }
        Err(e) => refused(&admin, app, id, e).await,
    }
}
