//! `/beheer/verwerkingsregister`: the entries for the organisation's processing register
//! (article 30), as `peil privacy register` prints them, with the same table as a CSV download
//! (`;`, BOM, for Dutch Excel). Built from the forms and jobs in use by `privacy::register`.

use rocket::http::{ContentType, Status};
use rocket::{State, get};
use rocket_dyn_templates::{Template, context};

use super::super::App;
use super::super::auth::Admin;
use super::super::results::{File, attachment};
use crate::privacy::measures::MEASURES;
use crate::privacy::{Entry, Setup, register};

fn entries(app: &App) -> Vec<Entry> {
    let forms = app.catalog.forms();
    let roles = forms.list_pairs("rollen");
    register::entries(&forms, &app.catalog.jobs(), Setup::of(&app.settings), &roles)
}

#[get("/beheer/verwerkingsregister")]
pub(super) fn page(admin: Admin, app: &State<App>) -> (Status, Template) {
    let context = context! {
        entries: entries(app), measures: MEASURES, account_email: &admin.email, csrf: admin.csrf(),
        organisation: app.settings.organisation.contact().called,
    };
    (Status::Ok, Template::render("admin/processing", context))
}

#[get("/beheer/verwerkingsregister.csv")]
pub(super) fn csv(_admin: Admin, app: &State<App>) -> File {
    let bytes = crate::spreadsheet::csv(&register::sheet(&entries(app)));
    File(bytes, ContentType::CSV, attachment("verwerkingsregister", "csv"))
}
