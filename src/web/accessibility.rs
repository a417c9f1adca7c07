//! `/toegankelijkheid`: the accessibility statement, linked from the footer of every page. The
//! text is the template's; the handler only passes the address that peil's mail comes from, so
//! that a reader knows which organisation to write to.

use rocket::{Route, State, get, routes};
use rocket_dyn_templates::{Template, context};

use super::App;

pub fn routes() -> Vec<Route> {
    routes![statement]
}

#[get("/toegankelijkheid")]
fn statement(app: &State<App>) -> Template {
    // As the mails carry it: with the organisation's name, when it has one.
    let mail_from =
        crate::mail::sender(&app.settings).map_or_else(|_| app.settings.mail_from.clone(), |m| m.to_string());
    Template::render("accessibility", context! { mail_from })
}
