//! Two-step login on the web: the login's second step at `/inloggen/code` (here) and the account's
//! own enrolment page at `/account/tweestaps` (`enrol`). The logic is `accounts::two_factor`'s.
//!
//! Between the password and the code the browser holds only the pending-login cookie, which no
//! guard accepts: `/beheer` and `/werkgroep` still ask for a login.

mod enrol;
mod qr;

use rocket::http::{Cookie, CookieJar, Status};
use rocket::response::Redirect;
use rocket::{Route, State, get, post, routes, uri};
use rocket_dyn_templates::{Template, context};

use super::auth::{Answer, HOME, SESSION_COOKIE, SameOrigin, cookie, local_path};
use super::body::Fields;
use super::client::ClientAddress;
use super::{App, Error};
use crate::accounts::TwoFactorError;
use crate::accounts::two_factor;

/// The pending login's cookie: a random token whose SHA-256 is its key in `pending_logins`.
pub const PENDING_COOKIE: &str = "peil_tweede_stap";

pub fn routes() -> Vec<Route> {
    routes![code_page, code, enrol::page, enrol::enable, enrol::disable]
}

/// Where a correct password for an account with two-step login goes.
pub fn code_page_uri(terug: &str) -> String {
    uri!(code_page(terug = Some(terug))).to_string()
}

#[get("/inloggen/code?<terug>")]
fn code_page(terug: Option<&str>, cookies: &CookieJar<'_>) -> Answer {
    if cookies.get(PENDING_COOKIE).is_none() {
        return Answer::Redirect(Redirect::to("/inloggen"));
    }
    let terug = terug.and_then(local_path).unwrap_or(HOME);
    Answer::Page((Status::Ok, Template::render("auth/code", context! { terug })))
}

/// The second step's form; a field left out counts as empty.
#[derive(rocket::FromForm)]
#[field(default = "")]
struct SecondStep<'r> {
    code: &'r str,
    terug: &'r str,
}

#[post("/inloggen/code", data = "<form>")]
async fn code(
    _origin: SameOrigin,
    form: Fields<SecondStep<'_>>,
    client: ClientAddress,
    cookies: &CookieJar<'_>,
    app: &State<App>,
) -> Result<Answer, Error> {
    let Fields(SecondStep { code, terug }) = form;
    let terug = local_path(terug).unwrap_or(HOME);
    let Some(token) = cookies.get(PENDING_COOKIE).map(|c| c.value().to_owned()) else {
        return Ok(Answer::Redirect(Redirect::to("/inloggen")));
    };
    let (key, now) = (app.secret.expose(), app.now());
    match two_factor::second_step(&app.db, key, &token, code, &client.describe(), now).await {
        Ok(session) => {
            cookies.remove(Cookie::build(PENDING_COOKIE).path("/"));
            cookies.add(cookie(app, SESSION_COOKIE, session.token));
            Ok(Answer::Redirect(Redirect::to(terug.to_owned())))
        }
        Err(e @ TwoFactorError::Expired) => {
            cookies.remove(Cookie::build(PENDING_COOKIE).path("/"));
            let context = context! { terug, error: e.to_string() };
            Ok(Answer::Page((Status::UnprocessableEntity, Template::render("auth/login", context))))
        }
        Err(e @ (TwoFactorError::WrongCode | TwoFactorError::CodeUsed | TwoFactorError::TooManyAttempts)) => {
            let status = match e {
                TwoFactorError::TooManyAttempts => Status::TooManyRequests,
                _ => Status::UnprocessableEntity,
            };
            let context = context! { terug, error: e.to_string() };
            Ok(Answer::Page((status, Template::render("auth/code", context))))
        }
        Err(e) => Err(e.into()),
    }
}
