//! `/privacy/<form>`: the privacy statement of a form in use, public, linked from every page a
//! respondent sees and from every invitation; `/privacy` lists the forms. A thin edge over
//! `privacy::statement`, which says what the page says; an unknown form gets a Dutch 404 that
//! points to the index.

use rocket::http::Status;
use rocket::{Route, State, get, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::App;
use crate::privacy::{Setup, Statement};

pub fn routes() -> Vec<Route> {
    routes![index, statement]
}

/// A form on the index.
#[derive(Serialize)]
struct Listed {
    id: String,
    title: String,
}

#[get("/privacy")]
fn index(app: &State<App>) -> Template {
    let forms = app.catalog.forms();
    let forms: Vec<Listed> =
        forms.iter().map(|f| Listed { id: f.id.0.clone(), title: f.title.nl.clone() }).collect();
    Template::render("privacy/index", context! { forms })
}

/// `ronde=anoniem` or `ronde=niet-anoniem`: the round the reader came from (see
/// `privacy::link`); anything else is ignored.
#[get("/privacy/<form>?<ronde>")]
fn statement(form: &str, ronde: Option<&str>, app: &State<App>) -> (Status, Template) {
    let round = match ronde {
        Some("anoniem") => Some(true),
        Some("niet-anoniem") => Some(false),
        _ => None,
    };
    let forms = app.catalog.forms();
    let Some(form) = forms.get(form) else {
        // Not the generic 404 ("Deze link werkt niet"): this address is typed or followed from
        // a page, and the index lists the statements there are.
        let text =
            "Er is geen vragenlijst met dit adres. Op /privacy staan de vragenlijsten die in gebruik zijn.";
        let context = context! { title: "Deze vragenlijst bestaat niet", text };
        return (Status::NotFound, Template::render("errors/error", context));
    };
    let statement = Statement::of(form, &app.catalog.jobs(), Setup::of(&app.settings), round);
    (Status::Ok, Template::render("privacy/statement", context! { s: statement }))
}
