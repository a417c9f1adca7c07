//! Logging in and out, setting a password through a link, and the guards every staff page uses:
//! `Member` (any logged-in account), `Admin` (administrators only), and from `csrf` `SameOrigin`
//! and the CSRF data guard `CsrfForm<T>`. Rocket has no CSRF protection of its own; these are it.
//!
//! With `require_2fa`, an administrator without two-step login is logged in but `Member` (and so
//! `Admin` and `CsrfForm`) refuses them; only `Enrolling` and `EnrolForm` (the enrolment page and
//! logout) let them through, and the 403 catcher sends a page request to enrolment.
//!
//! The CSRF defence (`SameOrigin`, `CsrfForm`, `EnrolForm`, `CsrfBody`) is in `csrf`.

use rocket::http::uri::Origin;
use rocket::http::{Cookie, CookieJar, Method, SameSite, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::response::Redirect;
use rocket::{Catcher, Request, Route, State, catch, catchers, get, post, routes, uri};
use rocket_dyn_templates::{Template, context};

use super::body::{BodyError, Fields};
use super::client::ClientAddress;
use super::link::{self, Admitted};
use super::{App, Error};
use crate::accounts::{self, AccountsError, LoginStep, Role, UserId};

mod csrf;

pub use csrf::{CsrfBody, CsrfForm, EnrolForm, NoFields, SameOrigin};

/// The session cookie: a random token whose SHA-256 is the session's key in the database.
pub const SESSION_COOKIE: &str = "peil_sessie";
/// Where a login goes when the login page was not reached from another page.
pub(super) const HOME: &str = "/werkgroep";
/// The enrolment page for two-step login.
pub(super) const ENROL: &str = "/account/tweestaps";

/// A redirect, or a page with its status.
#[derive(rocket::Responder)]
pub(super) enum Answer {
    Redirect(Redirect),
    Page((Status, Template)),
}

pub fn routes() -> Vec<Route> {
    routes![login_page, login, logout, password_page, password_set]
}

pub fn catchers() -> Vec<Catcher> {
    catchers![not_logged_in, forbidden]
}

/// A logged-in account. As a guard: not logged in fails with 401, which the catcher turns into a
/// redirect to the login page for a GET and a 403 for anything else.
#[derive(Clone, Debug)]
pub struct Member {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    csrf: String,
    token_hash: String,
    /// `require_2fa` holds for this account and it has no two-step login yet.
    must_enrol: bool,
    /// Where the request came from (see `web::client`), for the access log's "via".
    address: ClientAddress,
}

impl Member {
    /// The session's CSRF token, for the hidden `csrf` field of every form on the page.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }

    /// This account as the access log names it: who, in what capacity, via the web from where.
    pub fn actor(&self) -> crate::audit::Actor {
        crate::audit::Actor::web(&self.email, self.is_admin(), self.address.0)
    }
}

/// The session looked up once per request, whichever guards ask.
struct Looked(Result<Option<Member>, ()>);

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("not logged in")]
    NotLoggedIn,
    #[error("this page is for administrators")]
    NotAdmin,
    #[error("the request did not come from peil's own pages")]
    CrossSite,
    #[error("the form's CSRF token is missing or wrong")]
    BadToken,
    #[error("{0}")]
    Body(#[from] BodyError),
    #[error("could not look up the session")]
    Lookup,
    #[error("two-step login must be turned on first")]
    MustEnrol,
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Member {
    type Error = AuthError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match Enrolling::from_request(req).await {
            Outcome::Success(Enrolling(member)) if member.must_enrol => {
                Outcome::Error((Status::Forbidden, AuthError::MustEnrol))
            }
            Outcome::Success(Enrolling(member)) => Outcome::Success(member),
            Outcome::Error(e) => Outcome::Error(e),
            Outcome::Forward(status) => Outcome::Forward(status),
        }
    }
}

/// A logged-in account, also one that `require_2fa` keeps out of every other page until it has
/// turned two-step login on: for the enrolment page and logout only.
#[derive(Clone, Debug)]
pub struct Enrolling(pub Member);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Enrolling {
    type Error = AuthError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match &req.local_cache_async(async { Looked(look_up(req).await) }).await.0 {
            Ok(Some(member)) => Outcome::Success(Enrolling(member.clone())),
            Ok(None) => Outcome::Error((Status::Unauthorized, AuthError::NotLoggedIn)),
            Err(()) => Outcome::Error((Status::InternalServerError, AuthError::Lookup)),
        }
    }
}

async fn look_up(req: &Request<'_>) -> Result<Option<Member>, ()> {
    let Some(token) = req.cookies().get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return Ok(None);
    };
    let app = req.rocket().state::<App>().ok_or(())?;
    let require_2fa = app.settings.require_2fa;
    match accounts::session_user(&app.db, &token, app.now()).await {
        Ok(found) => Ok(found.map(|s| Member {
            id: s.user,
            must_enrol: !s.two_factor && accounts::two_factor::required_for(s.role, require_2fa),
            email: s.email,
            role: s.role,
            csrf: s.csrf,
            token_hash: s.token_hash,
            address: super::client::of(req),
        })),
        Err(e) => {
            tracing::error!(error = %e, "session look-up failed");
            Err(())
        }
    }
}

/// An administrator. A logged-in werkgroep member gets 403.
#[derive(Clone, Debug)]
pub struct Admin(pub Member);

impl std::ops::Deref for Admin {
    type Target = Member;

    fn deref(&self) -> &Member {
        &self.0
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Admin {
    type Error = AuthError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match Member::from_request(req).await {
            Outcome::Success(member) if member.is_admin() => Outcome::Success(Admin(member)),
            Outcome::Success(_) => Outcome::Error((Status::Forbidden, AuthError::NotAdmin)),
            Outcome::Error(e) => Outcome::Error(e),
            Outcome::Forward(status) => Outcome::Forward(status),
        }
    }
}

/// `terug` when it is a path on this site; anything else (`//evil.example`, `https://...`,
/// `/\evil`) would turn the login into an open redirect. It must also be a valid URI path as it
/// stands (no space, no non-ASCII): the redirect sends it unchanged, and Rocket answers a
/// `Location` it cannot parse with a 500.
pub(super) fn local_path(terug: &str) -> Option<&str> {
    let local = terug.starts_with('/')
        && !terug.starts_with("//")
        && !terug.contains('\\')
        && !terug.chars().any(char::is_control)
        && Origin::parse(terug).is_ok();
    local.then_some(terug)
}

#[get("/inloggen?<terug>")]
fn login_page(terug: Option<&str>) -> Template {
    let terug = terug.and_then(local_path).unwrap_or(HOME);
    Template::render("auth/login", context! { terug })
}

/// The login form. The page sends all three fields; one left out counts as empty.
#[derive(rocket::FromForm)]
#[field(default = "")]
struct Login<'r> {
    email: &'r str,
    password: &'r str,
    terug: &'r str,
}

#[post("/inloggen", data = "<form>")]
async fn login(
    _origin: SameOrigin,
    form: Fields<Login<'_>>,
    client: ClientAddress,
    cookies: &CookieJar<'_>,
    app: &State<App>,
) -> Result<Answer, Error> {
    let Fields(Login { email, password, terug }) = form;
    let terug = local_path(terug).unwrap_or(HOME);
    match accounts::login(&app.db, email, password, &client.describe(), app.now()).await {
        Ok(LoginStep::Done(session)) => {
            cookies.add(cookie(app, SESSION_COOKIE, session.token));
            // Without two-step login (else this would be `Code`): an administrator who must have
            // it goes to enrolment first.
            let must_enrol = accounts::two_factor::required_for(session.role, app.settings.require_2fa);
            Ok(Answer::Redirect(Redirect::to(if must_enrol { ENROL } else { terug }.to_owned())))
        }
        Ok(LoginStep::Code(pending)) => {
            cookies.add(cookie(app, super::two_factor::PENDING_COOKIE, pending.token));
            Ok(Answer::Redirect(Redirect::to(super::two_factor::code_page_uri(terug))))
        }
        Err(e @ (AccountsError::WrongCredentials | AccountsError::TooManyAttempts)) => {
            let status = match e {
                AccountsError::TooManyAttempts => Status::TooManyRequests,
                _ => Status::UnprocessableEntity,
            };
            let context = context! { terug, email, error: e.to_string() };
            Ok(Answer::Page((status, Template::render("auth/login", context))))
        }
        Err(e) => Err(e.into()),
    }
}

/// A cookie of peil's: only for HTTP (no script reads it), only from peil's own pages, secure on
/// https.
pub(super) fn cookie(app: &App, name: &'static str, value: String) -> Cookie<'static> {
    Cookie::build((name, value))
        .http_only(true)
        .same_site(SameSite::Strict)
        .path("/")
        .secure(app.settings.base_url.starts_with("https://"))
        .build()
}

#[post("/uitloggen", data = "<form>")]
async fn logout(form: EnrolForm, cookies: &CookieJar<'_>, app: &State<App>) -> Result<Redirect, Error> {
    let EnrolForm(form) = form;
    accounts::logout(&app.db, &form.member.token_hash, &form.member.email, app.now()).await?;
    cookies.remove(Cookie::build(SESSION_COOKIE).path("/"));
    Ok(Redirect::to(uri!(login_page(terug = Option::<&str>::None))))
}

#[get("/wachtwoord/<token>")]
async fn password_page(
    token: &str,
    caller: Result<Admitted, Error>,
    app: &State<App>,
) -> Result<(Status, Template), Error> {
    let Admitted(caller) = caller?;
    let Some(link) = accounts::password_link(app.db.read(), token, app.now()).await? else {
        return Err(link::missed(app, &caller).await);
    };
    let context = context! { action: format!("/wachtwoord/{token}"), email: link.email };
    Ok((Status::Ok, Template::render("auth/password", context)))
}

/// A new password, typed twice.
#[derive(rocket::FromForm)]
#[field(default = "")]
struct NewPassword<'r> {
    password: &'r str,
    repeat: &'r str,
}

#[post("/wachtwoord/<token>", data = "<form>")]
async fn password_set(
    token: &str,
    _origin: SameOrigin,
    caller: Result<Admitted, Error>,
    form: Fields<NewPassword<'_>>,
    app: &State<App>,
) -> Result<(Status, Template), Error> {
    let Admitted(caller) = caller?;
    let Fields(NewPassword { password, repeat }) = form;
    match accounts::set_password(&app.db, token, password, repeat, app.now()).await {
        Ok(email) => Ok((Status::Ok, Template::render("auth/password_done", context! { email }))),
        Err(AccountsError::InvalidLink) => Err(link::missed(app, &caller).await),
        Err(e @ (AccountsError::WeakPassword | AccountsError::Mismatch)) => {
            // Gone or unreadable since the post was checked: the link no longer works.
            let Ok(Some(link)) = accounts::password_link(app.db.read(), token, app.now()).await else {
                return Err(Error::NotFound);
            };
            let context =
                context! { action: format!("/wachtwoord/{token}"), email: link.email, error: e.to_string() };
            Ok((Status::UnprocessableEntity, Template::render("auth/password", context)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Not logged in: a page asks for the login first and comes back; anything else is refused.
#[catch(401)]
fn not_logged_in(req: &Request<'_>) -> Answer {
    if req.method() == Method::Get {
        let here = req.uri().to_string();
        Answer::Redirect(Redirect::to(uri!(login_page(terug = Some(here.as_str())))))
    } else {
        Answer::Page(forbidden_page())
    }
}

/// Refused. An administrator whom `require_2fa` keeps out is sent to enrolment instead, when the
/// request was for a page.
#[catch(403)]
fn forbidden(req: &Request<'_>) -> Answer {
    let must_enrol = matches!(&req.local_cache(|| Looked(Ok(None))).0, Ok(Some(m)) if m.must_enrol);
    if must_enrol && req.method() == Method::Get {
        Answer::Redirect(Redirect::to(ENROL))
    } else {
        Answer::Page(forbidden_page())
    }
}

fn forbidden_page() -> (Status, Template) {
    let context = context! {
        title: "Geen toegang",
        text: "U hebt geen toegang tot deze pagina, of het formulier was verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens.",
        code: 403,
    };
    (Status::Forbidden, Template::render("errors/error", context))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_a_login() {
        assert_eq!(local_path("/beheer?x=1"), Some("/beheer?x=1"));
        let unsendable = ["/a b", "/be\u{a0}heer"];
        for bad in ["//evil.example", "https://evil.example", "/\\evil.example", "beheer", "/a\nb", ""]
            .iter()
            .chain(&unsendable)
        {
            assert_eq!(local_path(bad), None, "{bad}");
        }
    }
}
