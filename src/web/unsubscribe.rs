//! `/r/<token>/afmelden`: unsubscribing from all further mails with the personal link of any
//! mail. For people, the link becomes `/antwoord/<handle>/afmelden` (see `link`), a page with one
//! button. Mail programs' one-click POST (RFC 8058) goes to the mailed address itself, without a
//! cookie, and may arrive as form data or multipart: the token in the path is all that counts,
//! so the body is not read.

use rocket::http::{CookieJar, Status};
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};

use super::App;
use super::errors;
use super::link::{self, Caller};
use super::respond::{Reply, invitation, open_link_again, recall};
use crate::rounds::{self, InvitationToken};

pub fn routes() -> Vec<Route> {
    routes![ask, unsubscribe, one_click]
}

fn failed(e: impl std::fmt::Display) -> Reply {
    // The error kind only: never the token.
    tracing::error!(error = %e, "unsubscribing failed");
    Reply::Page(errors::page(Status::InternalServerError))
}

/// The page with the button, reached from `/r/<token>/afmelden` once the token is in a cookie.
#[get("/antwoord/<handle>/afmelden")]
async fn ask(handle: &str, cookies: &CookieJar<'_>) -> Reply {
    match recall(cookies, handle).ok_or_else(open_link_again) {
        Ok(token) => {
            let action = format!("{}/afmelden", link::path(&token));
            Reply::Page((Status::Ok, Template::render("unsubscribe/ask", context! { action })))
        }
        Err(reply) => reply,
    }
}

#[post("/antwoord/<handle>/afmelden")]
async fn unsubscribe(handle: &str, cookies: &CookieJar<'_>, app: &State<App>) -> Reply {
    match recall(cookies, handle).ok_or_else(open_link_again) {
        Ok(token) => opt_out(app, &token).await,
        Err(reply) => reply,
    }
}

/// A mail program's one-click unsubscribe (the `List-Unsubscribe` address): no cookie, no body.
#[post("/r/<token>/afmelden")]
async fn one_click(token: &str, caller: Caller, app: &State<App>) -> Reply {
    match invitation(app, token, &caller).await {
        Ok(token) => opt_out(app, &token).await,
        Err(reply) => reply,
    }
}

async fn opt_out(app: &App, token: &InvitationToken) -> Reply {
    let invitation = match rounds::find_invitation(&app.pool, token).await {
        Ok(Some(invitation)) => invitation,
        Ok(None) => return Reply::Page(errors::page(Status::NotFound)),
        Err(e) => return failed(e),
    };
    match crate::mail::opt_out(&app.pool, invitation.id, app.now()).await {
        Ok(cancelled) => {
            tracing::info!(cancelled, "a contact unsubscribed");
            Reply::Page((Status::Ok, Template::render("unsubscribe/done", context! {})))
        }
        Err(e) => failed(e),
    }
}
