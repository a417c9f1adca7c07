//! `/setup/<token>`: the first administrator sets a password through the link from the log.

use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};

use super::body::Fields;
use super::link::{self, Admitted};
use super::{App, Error};
use crate::accounts::setup::{self, FirstAdmin, SetupError};

pub fn routes() -> Vec<Route> {
    routes![show, create]
}

#[get("/setup/<token>")]
async fn show(
    token: &str,
    caller: Result<Admitted, Error>,
    app: &State<App>,
) -> Result<(Status, Template), Error> {
    let Admitted(caller) = caller?;
    if !setup::link_is_valid(app.db.read(), token, app.now()).await? {
        return Err(link::missed(app, &caller).await);
    }
    let context = context! { action: format!("/setup/{token}") };
    Ok((Status::Ok, Template::render("setup/first_admin", context)))
}

/// The first administrator's address and password, typed twice; one left out counts as empty.
#[derive(rocket::FromForm)]
#[field(default = "")]
struct Setup<'r> {
    email: &'r str,
    password: &'r str,
    repeat: &'r str,
}

#[post("/setup/<token>", data = "<form>")]
async fn create(
    token: &str,
    caller: Result<Admitted, Error>,
    form: Fields<Setup<'_>>,
    app: &State<App>,
) -> Result<(Status, Template), Error> {
    let Admitted(caller) = caller?;
    let Fields(Setup { email, password, repeat }) = form;
    let admin = FirstAdmin { email, password, repeat };
    match setup::create_first_admin(&app.db, token, &admin, app.now()).await {
        Ok(()) => {
            tracing::info!("first administrator created");
            Ok((Status::Ok, Template::render("setup/done", context! {})))
        }
        Err(SetupError::InvalidLink | SetupError::AlreadyDone) => Err(link::missed(app, &caller).await),
        Err(e @ (SetupError::BadEmail | SetupError::WeakPassword | SetupError::Mismatch)) => {
            let context =
                context! { action: format!("/setup/{token}"), error: e.to_string(), email: admin.email };
            Ok((Status::UnprocessableEntity, Template::render("setup/first_admin", context)))
        }
        Err(e) => Err(e.into()),
    }
}
