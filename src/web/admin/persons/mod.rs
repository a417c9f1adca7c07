//! `/beheer/personen`: a person's request to see or erase their data (AVG articles 15 and 17),
//! answered by an administrator. The address is always posted (with the CSRF token), never put
//! in a URL, so it reaches no access log or browser history. Each handler parses the address,
//! makes one call to `crate::persons` (which audits) and renders.

mod view;

use rocket::http::{ContentType, Status};
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};

use self::view::PersonView;
use super::super::results::{File, attachment};
use crate::persons::{self, Address, Erasure, PersonsError};
use crate::web::auth::{Admin, CsrfForm};
use crate::web::{App, Error};

type Page = Result<(Status, Template), Error>;

pub(super) fn routes() -> Vec<Route> {
    routes![search, show, download, confirm, erase]
}

/// The address as posted by every form of these pages.
#[derive(rocket::FromForm)]
#[field(default = "")]
struct Posted<'r> {
    email: &'r str,
    bevestigd: &'r str,
}

#[get("/beheer/personen")]
async fn search(admin: Admin) -> Template {
    search_page(&admin, "", None).1
}

fn search_page(admin: &Admin, typed: &str, error: Option<&PersonsError>) -> (Status, Template) {
    let status = match error {
        None => Status::Ok,
        Some(PersonsError::BadAddress) => Status::UnprocessableEntity,
        Some(_) => Status::NotFound,
    };
    let context = context! {
        email: typed,
        error: error.map(PersonsError::dutch),
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    (status, Template::render("admin/persons/search", context))
}

/// The answer for the person for an error they can act on, or the error page.
fn refused(admin: &Admin, typed: &str, e: PersonsError) -> Page {
    match e {
        PersonsError::BadAddress | PersonsError::Unknown | PersonsError::NoContact => {
            Ok(search_page(admin, typed, Some(&e)))
        }
        e => Err(e.into()),
    }
}

#[post("/beheer/personen", data = "<form>")]
async fn show(admin: Admin, form: CsrfForm<Posted<'_>>, app: &State<App>) -> Page {
    let typed = form.fields.email;
    let address = match Address::parse(typed) {
        Ok(address) => address,
        Err(e) => return refused(&admin, typed, e),
    };
    match persons::view(&app.db, &app.secret, &address, &admin.actor(), app.now()).await {
        Ok(record) => {
            let context = context! {
                person: PersonView::from(&record),
                account_email: &admin.email,
                csrf: admin.csrf(),
            };
            Ok((Status::Ok, Template::render("admin/persons/person", context)))
        }
        Err(e) => refused(&admin, typed, e),
    }
}

#[post("/beheer/personen/json", data = "<form>")]
async fn download(admin: Admin, form: CsrfForm<Posted<'_>>, app: &State<App>) -> Result<File, Error> {
    let address = Address::parse(form.fields.email).map_err(|_| Error::BadRequest)?;
    match persons::export(&app.db, &app.secret, &address, &admin.actor(), app.now()).await {
        Ok((_, json)) => {
            Ok(File(json.into_bytes(), ContentType::JSON, attachment("persoonsgegevens", "json")))
        }
        Err(PersonsError::Unknown) => Err(Error::NotFound),
        Err(e) => Err(e.into()),
    }
}

/// The confirmation step: what the erasure will remove and keep, worked out by doing it and
/// rolling it back.
#[post("/beheer/personen/wissen", data = "<form>")]
async fn confirm(admin: Admin, form: CsrfForm<Posted<'_>>, app: &State<App>) -> Page {
    let typed = form.fields.email;
    let address = match Address::parse(typed) {
        Ok(address) => address,
        Err(e) => return refused(&admin, typed, e),
    };
    match persons::plan(&app.db, &address, app.now()).await {
        Ok(plan) => Ok((Status::Ok, outcome_page(&admin, "admin/persons/confirm", address.as_str(), &plan))),
        Err(e) => refused(&admin, typed, e),
    }
}

#[post("/beheer/personen/wissen/bevestigen", data = "<form>")]
async fn erase(admin: Admin, form: CsrfForm<Posted<'_>>, app: &State<App>) -> Page {
    let Posted { email: typed, bevestigd } = form.fields;
    if bevestigd != "ja" {
        return Err(Error::BadRequest);
    }
    let address = match Address::parse(typed) {
        Ok(address) => address,
        Err(e) => return refused(&admin, typed, e),
    };
    let mail_dir = app.settings.data_dir.join("outbox");
    match persons::erase(&app.db, &app.secret, &mail_dir, &address, &admin.actor(), app.now()).await {
        // The address is not shown again: it is what was just erased.
        Ok(erased) => Ok((Status::Ok, outcome_page(&admin, "admin/persons/erased", "", &erased))),
        Err(e) => refused(&admin, typed, e),
    }
}

fn outcome_page(admin: &Admin, template: &'static str, email: &str, erasure: &Erasure) -> Template {
    let context = context! {
        email,
        removed: erasure.removed_lines(),
        kept: erasure.kept_lines(),
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Template::render(template, context)
}
