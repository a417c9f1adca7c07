//! "Gegevens voor uw accreditatie" on a person's own link: once they signed up for a round whose
//! registers count for their role, `/antwoord/<handle>/gegevens` (`/r/<token>/gegevens` from a
//! mail) asks for what those registers need, prefilled from what peil remembers of them. The
//! sign-up's status page shows the same block: prominently while something is missing, as a
//! short summary with a link to change it after that.

use rocket::http::{CookieJar, Status};
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::auth::{AuthError, SameOrigin};
use super::body::{FormBody, first};
use super::link::Caller;
use super::respond::{Answer, Reply, Visit, from_our_pages, open_link, visit};
use super::{App, Error};
use crate::accreditation::asked::{self, Asked, FieldErrors, Typed};
use crate::accreditation::{PersonDetails, person};
use crate::contacts::ContactId;
use crate::forms::validate::Posted;

pub fn routes() -> Vec<Route> {
    routes![show, save, save_by_link]
}

/// One register that knows the person by their own number there.
#[derive(Serialize)]
struct NumberField {
    id: String,
    name: String,
    value: String,
    /// Why it was refused ("" when it was not).
    error: String,
}

/// The block and form, as the partial templates `respond/_accreditation*` show them (and the
/// contact's page in /beheer, with its own markup).
#[derive(Serialize)]
pub(super) struct DetailsView {
    url: String,
    /// What is still missing, in Dutch ("uw BIG-nummer").
    missing: Vec<String>,
    voorletters: String,
    achternaam: String,
    big_asked: bool,
    big: String,
    numbers: Vec<NumberField>,
    /// Register names, for the summary.
    registers: Vec<String>,
    errors: FieldErrors,
}

impl DetailsView {
    /// The form posting to `url`, filled with `details`.
    pub(super) fn new(url: String, asked: &Asked, details: &PersonDetails) -> DetailsView {
        let numbers = asked
            .lidnummers()
            .map(|r| NumberField {
                id: r.id.clone(),
                name: r.name.clone(),
                value: details.numbers.get(&r.id).cloned().unwrap_or_default(),
                error: String::new(),
            })
            .collect();
        DetailsView {
            url,
            missing: asked.missing(details),
            voorletters: details.initials.clone(),
            achternaam: details.surname.clone(),
            big_asked: asked.big(),
            big: details.big_number.as_ref().map(ToString::to_string).unwrap_or_default(),
            numbers,
            registers: asked.registers.iter().map(|r| r.name.clone()).collect(),
            errors: FieldErrors::new(),
        }
    }

    /// The form as typed, with its errors.
    pub(super) fn refused(mut self, typed: &Typed<'_>, errors: FieldErrors) -> DetailsView {
        self.voorletters = typed.initials.to_string();
        self.achternaam = typed.surname.to_string();
        self.big = typed.big.to_string();
        for field in &mut self.numbers {
            field.value = typed.numbers.get(&field.id).cloned().unwrap_or_default();
            field.error = errors.get(&field.id).cloned().unwrap_or_default();
        }
        self.errors = errors;
        self
    }
}

fn own_url(visit: &Visit) -> String {
    format!("{}/gegevens", visit.path)
}

/// Who is asked, when they signed up and a register counts for their role.
async fn asked(app: &App, visit: &Visit) -> Result<Option<(ContactId, Asked)>, Error> {
    if !visit.invitation.answered {
        return Ok(None);
    }
    let found = asked::of_invitation(app.db.read(), visit.invitation.id).await?;
    Ok(found.filter(|(_, asked)| !asked.is_empty()))
}

/// The status page's block, `None` when nothing is asked of this person.
pub(super) async fn block(app: &App, visit: &Visit) -> Result<Option<DetailsView>, Error> {
    let Some((contact, asked)) = asked(app, visit).await? else { return Ok(None) };
    let details = person::of_contact(app.db.read(), contact).await?;
    Ok(Some(DetailsView::new(own_url(visit), &asked, &details)))
}

fn page(visit: &Visit, view: DetailsView, status: Status, saved: bool) -> Answer {
    let privacy = crate::privacy::round_link(&visit.round);
    let context =
        context! { form_title: &visit.round.title, accreditation: view, back: &visit.path, saved, privacy };
    Ok(Reply::Page((status, Template::render("respond/accreditation", context))))
}

#[get("/antwoord/<_>/gegevens")]
async fn show(visit: Result<Visit, Error>, app: &State<App>) -> Answer {
    let visit = visit?;
    let view = block(app, &visit).await?.ok_or(Error::NotFound)?;
    page(&visit, view, Status::Ok, false)
}

/// The fields as posted; a register's number comes as `nummer-<register id>` (a plain name: the
/// body readers pass over Rocket's nesting syntax).
pub(super) fn typed(posted: &Posted) -> Typed<'_> {
    let numbers = posted
        .iter()
        .filter_map(|(name, values)| {
            Some((name.strip_prefix("nummer-")?.to_string(), values.first()?.clone()))
        })
        .collect();
    Typed {
        initials: first(posted, "voorletters"),
        surname: first(posted, "achternaam"),
        big: first(posted, "big"),
        numbers,
    }
}

#[post("/antwoord/<_>/gegevens", data = "<body>")]
async fn save(
    origin: Result<SameOrigin, AuthError>,
    visit: Result<Visit, Error>,
    body: FormBody,
    app: &State<App>,
) -> Answer {
    from_our_pages(origin)?;
    store(app, &visit?, &body.0).await
}

/// The form posted to the mailed address itself, for a browser without the link's cookie.
#[post("/r/<token>/gegevens", data = "<body>")]
async fn save_by_link(
    token: &str,
    origin: Result<SameOrigin, AuthError>,
    cookies: &CookieJar<'_>,
    caller: Caller,
    body: FormBody,
    app: &State<App>,
) -> Answer {
    from_our_pages(origin)?;
    let token = open_link(app, token, cookies, &caller).await?;
    store(app, &visit(app, &token).await?, &body.0).await
}

/// Checks everything first: a refused field stores nothing, the others included.
async fn store(app: &App, visit: &Visit, posted: &Posted) -> Answer {
    let (contact, asked) = asked(app, visit).await?.ok_or(Error::NotFound)?;
    let before = person::of_contact(app.db.read(), contact).await?;
    let typed = typed(posted);
    match asked::check(&typed, &asked, &before) {
        Ok(details) => {
            asked::save_own(&app.db, contact, &details, app.now()).await?;
            page(visit, DetailsView::new(own_url(visit), &asked, &details), Status::Ok, true)
        }
        Err(errors) => {
            let view = DetailsView::new(own_url(visit), &asked, &before).refused(&typed, errors);
            page(visit, view, Status::UnprocessableEntity, false)
        }
    }
}
