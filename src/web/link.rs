//! Personal links leave the address bar. A mailed link `/r/<token>...` is looked up once, then
//! exchanged for a cookie and a redirect to `/antwoord/<handle>...`, an address without the
//! token: it does not end up in the browser's history, in a screenshot, in a link copied to a
//! colleague or in a proxy's log. The handle is derived from the token and names the cookie and
//! its path, so that two links opened in one browser (two rounds, two people at one desk) each
//! keep their own.

use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::{Route, head, routes};

use super::{App, Error};
use crate::rounds::InvitationToken;
use crate::rounds::guesses::{self, Client};

pub fn routes() -> Vec<Route> {
    routes![scanned]
}

/// A `HEAD` of a mailed link, as mail scanners send before the person clicks: an empty 200,
/// whatever the token. Without this route Rocket would answer it as a `GET`, and the scanner
/// would open the link (a cookie, and a wrong-link count for a mistyped one). Nothing is looked
/// up, so it tells a scanner nothing about which links exist either.
#[head("/r/<_>/<_..>")]
fn scanned() -> Status {
    Status::Ok
}

/// Where a link's pages live once the token is in a cookie.
pub const PREFIX: &str = "/antwoord";

const HANDLE_LEN: usize = 16;

/// The token-less name of a link's pages: 64 bits of a hash of the token. Not secret: it opens
/// nothing without the cookie, and reveals nothing about the token.
pub fn handle(token: &InvitationToken) -> String {
    let mut digest = crate::crypto::sha256_hex(&format!("peil link handle\n{}", token.as_str()));
    digest.truncate(HANDLE_LEN);
    digest
}

/// The address of the link's pages, e.g. `/antwoord/0123456789abcdef`.
pub fn path(token: &InvitationToken) -> String {
    format!("{PREFIX}/{}", handle(token))
}

fn cookie_name(handle: &str) -> String {
    format!("peil_link_{handle}")
}

/// Puts `token` in an encrypted, HttpOnly cookie that only the link's own pages receive.
/// `SameSite=Lax`, not `Strict`: the first visit comes from a mail program, another site, and
/// its redirect must carry the cookie. The cookie lasts a week (Rocket's default for private
/// cookies); after that the link from the mail works again as it did the first time.
pub fn remember(cookies: &CookieJar<'_>, token: &InvitationToken, secure: bool) {
    let handle = handle(token);
    let cookie = Cookie::build((cookie_name(&handle), token.as_str().to_owned()))
        .path(format!("{PREFIX}/{handle}"))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure);
    cookies.add_private(cookie);
}

/// The token behind `handle`, if this browser opened that link.
pub fn recall(cookies: &CookieJar<'_>, handle: &str) -> Option<InvitationToken> {
    let shaped = handle.len() == HANDLE_LEN && handle.bytes().all(|b| b.is_ascii_hexdigit());
    if !shaped {
        return None;
    }
    let cookie = cookies.get_private(&cookie_name(handle))?;
    InvitationToken::parse(cookie.value()).filter(|token| self::handle(token) == handle)
}

/// The rest of a mailed link after the token (`afmelden`, `plaats/12`, `bewijs/12.pdf`), if it is
/// one of ours: plain segments only (a dot inside, for a file's extension), so the redirect
/// cannot be steered anywhere else.
pub fn rest(segments: &std::path::Path) -> Option<String> {
    let mut rest = String::new();
    for part in segments.iter() {
        let part = part.to_str()?;
        let plain = !part.is_empty()
            && !part.starts_with('.')
            && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.');
        if !plain {
            return None;
        }
        rest.push('/');
        rest.push_str(part);
    }
    Some(rest)
}

/// Who is asking, for the rate limit on wrong links; see `rounds::guesses`.
pub struct Caller {
    pub client: Client,
    /// Whether cookies must say `Secure`: the service is reached over HTTPS.
    pub secure: bool,
}

fn app<'r>(req: &'r Request<'_>) -> &'r App {
    req.rocket().state::<App>().expect("the app is managed")
}

fn caller(req: &Request<'_>) -> Caller {
    let app = app(req);
    let client = Client::new(&app.secret, super::client::of(req).0);
    Caller { client, secure: app.settings.base_url.starts_with("https://") }
}

/// The caller without a look at its misses: for a route that asks the limit and the link
/// together (`respond::invitation`), in one query.
#[rocket::async_trait]
impl<'r> FromRequest<'r> for Caller {
    type Error = std::convert::Infallible;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Caller, Self::Error> {
        Outcome::Success(caller(req))
    }
}

/// A caller with wrong links left (see `admit`): the guard of the routes that look up a link
/// from their path, except the personal link's own, which take `Caller` and ask the limit and
/// the invitation in one query (`respond::invitation`). Handlers take it as `Result<Admitted, Error>` and apply `?` where they would
/// look the link up, so that what refused a request before (a path that is not a link's, a body
/// that is not a form) still refuses it first, with the same page.
pub struct Admitted(pub Caller);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Admitted {
    type Error = Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Admitted, Error> {
        let caller = caller(req);
        match admit(app(req), &caller).await {
            Ok(()) => Outcome::Success(Admitted(caller)),
            Err(e) => Outcome::Error((e.status(), e)),
        }
    }
}

/// The token of the link whose pages the request's path names (`/antwoord/<handle>/...`), from
/// this browser's cookie; without it (another browser, or a week later) `OpenLinkAgain`.
pub struct Recalled(pub InvitationToken);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Recalled {
    type Error = Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Recalled, Error> {
        let handle = req.param::<&str>(1).and_then(Result::ok).unwrap_or_default();
        match recall(req.cookies(), handle) {
            Some(token) => Outcome::Success(Recalled(token)),
            None => Outcome::Error((Status::Forbidden, Error::OpenLinkAgain)),
        }
    }
}

/// Before a link is looked up (personal, `/wachtwoord/...`, `/setup/...`): `Throttled` if
/// `caller` used up its wrong links. All kinds share one limit, so trying one kind does not buy
/// more tries of another; and a throttled caller's link is not looked up at all, so the limit
/// cannot be used to test a link either.
pub async fn admit(app: &App, caller: &Caller) -> Result<(), Error> {
    if guesses::throttled(app.db.read(), &caller.client, app.now()).await? {
        return Err(Error::Throttled);
    }
    Ok(())
}

/// A link that matched nothing, counted against `caller`: `NotFound`, to return with `?`.
pub async fn missed(app: &App, caller: &Caller) -> Error {
    match guesses::missed(&app.db, &caller.client, app.now()).await {
        Ok(_) => Error::NotFound,
        Err(e) => e.into(),
    }
}
