//! `/r/<token>/afmelden`: unsubscribing from all further mails with the personal link of any
//! mail. For people, the link becomes `/antwoord/<handle>/afmelden` (see `link`), a page with one
//! button. Mail programs' one-click POST (RFC 8058) goes to the mailed address itself, without a
//! cookie, and may arrive as form data or multipart: the token in the path is all that counts,
//! so the body is not read. The page's button must come from peil's own page; the one-click POST
//! is exempt (see `one_click`).

use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};

use super::auth::{AuthError, SameOrigin};
use super::link::{self, Caller, Recalled};
use super::respond::{Answer, Reply, from_our_pages, invitation};
use super::{App, Error};
use crate::rounds::{self, InvitationToken};

pub fn routes() -> Vec<Route> {
    routes![ask, unsubscribe, one_click]
}

/// The page with the button, reached from `/r/<token>/afmelden` once the token is in a cookie.
#[get("/antwoord/<_>/afmelden")]
async fn ask(recalled: Result<Recalled, Error>) -> Answer {
    let action = format!("{}/afmelden", link::path(&recalled?.0));
    Ok(Reply::Page((Status::Ok, Template::render("unsubscribe/ask", context! { action }))))
}

/// The button of the page: it must come from that page (`respond::from_our_pages`).
#[post("/antwoord/<_>/afmelden")]
async fn unsubscribe(
    origin: Result<SameOrigin, AuthError>,
    recalled: Result<Recalled, Error>,
    app: &State<App>,
) -> Answer {
    from_our_pages(origin)?;
    opt_out(app, &recalled?.0).await
}

/// A mail program's one-click unsubscribe (the `List-Unsubscribe` address): no cookie, no body.
/// No origin check either: RFC 8058 has the mail program (often its server) post here, never
/// from a page of ours, so it carries no `Origin` of ours. A forged post can only unsubscribe
/// the owner of the token in its path, which the forger would need to have.
#[post("/r/<token>/afmelden")]
async fn one_click(token: &str, caller: Caller, app: &State<App>) -> Answer {
    opt_out(app, &invitation(app, token, &caller).await?).await
}

async fn opt_out(app: &App, token: &InvitationToken) -> Answer {
    let invitation = rounds::find_invitation(app.db.read(), token).await?.ok_or(Error::NotFound)?;
    let cancelled = crate::mail::opt_out(&app.db, invitation.id, app.now()).await?;
    tracing::info!(cancelled, "a contact unsubscribed");
    Ok(Reply::Page((Status::Ok, Template::render("unsubscribe/done", context! {}))))
}
