//! `/r/<token>/afmelden`: unsubscribing from all further mails with the personal link of any
//! mail. A page with one button for people, and the same address for mail programs' one-click
//! POST (RFC 8058), which may arrive as form data or multipart: the token in the path is all
//! that counts, so the body is not read.

use chrono::Utc;
use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};

use super::App;
use super::errors;
use crate::rounds::{self, Invitation, InvitationToken};

pub fn routes() -> Vec<Route> {
    routes![ask, unsubscribe]
}

type Page = (Status, Template);

/// The invitation behind the link, or the same 404 page `/r/<token>` gives for a wrong link.
async fn invitation(app: &App, token: &str) -> Result<Invitation, Page> {
    let token = InvitationToken::parse(token).ok_or_else(|| errors::page(Status::NotFound))?;
    match rounds::find_invitation(&app.pool, &token).await {
        Ok(Some(invitation)) => Ok(invitation),
        Ok(None) => Err(errors::page(Status::NotFound)),
        Err(e) => Err(failed(e)),
    }
}

fn failed(e: impl std::fmt::Display) -> Page {
    // The error kind only: never the token.
    tracing::error!(error = %e, "unsubscribing failed");
    errors::page(Status::InternalServerError)
}

#[get("/r/<token>/afmelden")]
async fn ask(token: &str, app: &State<App>) -> Page {
    match invitation(app, token).await {
        Ok(_) => {
            let action = format!("/r/{token}/afmelden");
            (Status::Ok, Template::render("unsubscribe/ask", context! { action }))
        }
        Err(page) => page,
    }
}

#[post("/r/<token>/afmelden")]
async fn unsubscribe(token: &str, app: &State<App>) -> Page {
    let invitation = match invitation(app, token).await {
        Ok(invitation) => invitation,
        Err(page) => return page,
    };
    match crate::mail::opt_out(&app.pool, invitation.id, Utc::now()).await {
        Ok(cancelled) => {
            tracing::info!(cancelled, "a contact unsubscribed");
            (Status::Ok, Template::render("unsubscribe/done", context! {}))
        }
        Err(e) => failed(e),
    }
}
