//! `/setup/<token>`: the first administrator sets a password through the link from the log.

use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};

use super::App;
use super::body::FormBody;
use super::errors;
use super::link::{self, Caller};
use crate::accounts::setup::{self, FirstAdmin, SetupError};

pub fn routes() -> Vec<Route> {
    routes![show, create]
}

#[get("/setup/<token>")]
async fn show(token: &str, caller: Caller, app: &State<App>) -> (Status, Template) {
    if let Some(refused) = link::refused_before_lookup(app, &caller).await {
        return refused;
    }
    match setup::link_is_valid(&app.pool, token, app.now()).await {
        Ok(true) => (
            Status::Ok,
            Template::render("setup/first_admin", context! { action: format!("/setup/{token}") }),
        ),
        Ok(false) => link::missed(app, &caller).await,
        Err(e) => {
            tracing::error!(error = %e, "setup page failed");
            errors::page(Status::InternalServerError)
        }
    }
}

#[post("/setup/<token>", data = "<body>")]
async fn create(token: &str, caller: Caller, body: FormBody, app: &State<App>) -> (Status, Template) {
    if let Some(refused) = link::refused_before_lookup(app, &caller).await {
        return refused;
    }
    let field = |name: &str| body.0.get(name).and_then(|v| v.first()).map(String::as_str).unwrap_or_default();
    let admin = FirstAdmin { email: field("email"), password: field("password"), repeat: field("repeat") };
    match setup::create_first_admin(&app.pool, token, &admin, app.now()).await {
        Ok(()) => {
            tracing::info!("first administrator created");
            (Status::Ok, Template::render("setup/done", context! {}))
        }
        Err(SetupError::InvalidLink | SetupError::AlreadyDone) => link::missed(app, &caller).await,
        Err(e @ (SetupError::BadEmail | SetupError::WeakPassword | SetupError::Mismatch)) => {
            let context =
                context! { action: format!("/setup/{token}"), error: e.to_string(), email: admin.email };
            (Status::UnprocessableEntity, Template::render("setup/first_admin", context))
        }
        Err(e) => {
            tracing::error!(error = %e, "creating the first administrator failed");
            errors::page(Status::InternalServerError)
        }
    }
}
