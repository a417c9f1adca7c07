//! Logging in and out, setting a password through a link, and the guards every staff page uses:
//! `Member` (any logged-in account), `Admin` (administrators only), `SameOrigin` and the CSRF data
//! guard `CsrfForm<T>`. Rocket has no CSRF protection of its own; this module is it.
//!
//! CSRF defence, in two layers. (1) Every state-changing form of a logged-in user carries the
//! session's synchronizer token (`csrf` field), compared in constant time before the form's own
//! fields are typed. (2) A POST must come from peil's own pages: `Sec-Fetch-Site`, when sent,
//! must be `same-origin` or `none`, and `Origin`, when sent, must equal the origin of `base_url`.
//! Browsers set both headers themselves and scripts cannot forge them. The login form has no
//! session yet, so it is protected by (2) alone (login CSRF, logging a victim into an attacker's
//! account): every browser that could be lured into a cross-site POST sends `Origin` with it,
//! which made a signed double-submit cookie unnecessary. The session cookie's `SameSite=Strict`
//! is a third layer, not relied on alone.

use rocket::data::{Data, FromData};
use rocket::form::{self, FromForm, ValueField};
use rocket::http::uri::Origin;
use rocket::http::{Cookie, CookieJar, Method, SameSite, Status};
use rocket::request::{FromRequest, Outcome};
use rocket::response::Redirect;
use rocket::{Catcher, Request, Route, State, catch, catchers, get, post, routes, uri};
use rocket_dyn_templates::{Template, context};

use super::body::{self, BodyError, Fields};
use super::client::ClientAddress;
use super::link::{self, Admitted};
use super::{App, Error};
use crate::accounts::{self, AccountsError, Role, UserId};

/// The session cookie: a random token whose SHA-256 is the session's key in the database.
pub const SESSION_COOKIE: &str = "peil_sessie";
/// Where a login goes when the login page was not reached from another page.
const HOME: &str = "/werkgroep";

/// A redirect, or a page with its status.
#[derive(rocket::Responder)]
enum Answer {
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
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Member {
    type Error = AuthError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        match &req.local_cache_async(async { Looked(look_up(req).await) }).await.0 {
            Ok(Some(member)) => Outcome::Success(member.clone()),
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
    match accounts::session_user(&app.db, &token, app.now()).await {
        Ok(found) => Ok(found.map(|s| Member {
            id: s.user,
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

/// The request came from peil's own pages (see the module comment); 403 otherwise.
pub struct SameOrigin;

#[rocket::async_trait]
impl<'r> FromRequest<'r> for SameOrigin {
    type Error = AuthError;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let base_url =
            req.rocket().state::<App>().map(|app| app.settings.base_url.as_str()).unwrap_or_default();
        if same_origin(req.headers().get_one("Sec-Fetch-Site"), req.headers().get_one("Origin"), base_url) {
            Outcome::Success(SameOrigin)
        } else {
            Outcome::Error((Status::Forbidden, AuthError::CrossSite))
        }
    }
}

fn same_origin(fetch_site: Option<&str>, origin: Option<&str>, base_url: &str) -> bool {
    let site_ok = fetch_site.is_none_or(|site| matches!(site, "same-origin" | "none"));
    // Under `Referrer-Policy: no-referrer` (every peil page) browsers send `Origin: null` even
    // for a same-origin form post; then `Sec-Fetch-Site`, which they also send, must vouch.
    let vouched_null = origin == Some("null") && fetch_site == Some("same-origin");
    let origin_ok =
        vouched_null || origin.is_none_or(|origin| origin.eq_ignore_ascii_case(origin_of(base_url)));
    site_ok && origin_ok
}

/// `https://host:port` of a URL, without path or trailing slash.
fn origin_of(url: &str) -> &str {
    let Some(scheme_end) = url.find("://") else { return url };
    let authority_start = scheme_end + 3;
    match url[authority_start..].find(['/', '?', '#']) {
        Some(end) => &url[..authority_start + end],
        None => url,
    }
}

/// A form posted by a logged-in user from peil's own pages with the session's CSRF token: the
/// data guard for every state-changing POST. Refuses with 403 otherwise, before the handler runs
/// and before `T` sees the fields. `T` types the form's own fields and passes over `csrf`, checked
/// here; the logout button has none of its own.
pub struct CsrfForm<T = NoFields> {
    pub member: Member,
    pub fields: T,
}

#[rocket::async_trait]
impl<'r, T: FromForm<'r>> FromData<'r> for CsrfForm<T> {
    type Error = AuthError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> rocket::data::Outcome<'r, Self> {
        let refuse = |e: AuthError| rocket::data::Outcome::Error((Status::Forbidden, e));
        let Outcome::Success(member) = req.guard::<Member>().await else {
            return refuse(AuthError::NotLoggedIn);
        };
        if !matches!(req.guard::<SameOrigin>().await, Outcome::Success(_)) {
            return refuse(AuthError::CrossSite);
        }
        let unreadable = |e: BodyError| rocket::data::Outcome::Error((e.status(), e.into()));
        let posted = match body::decoded(req, data).await {
            Ok(posted) => posted,
            Err(e) => return unreadable(e),
        };
        if !accounts::csrf_matches(member.csrf(), body::first(posted, "csrf")) {
            return refuse(AuthError::BadToken);
        }
        match body::typed(posted) {
            Ok(fields) => rocket::data::Outcome::Success(CsrfForm { member, fields }),
            Err(e) => unreadable(e),
        }
    }
}

/// `CsrfForm` for a form whose fields are not fixed (the form preview posts a form's questions):
/// the same checks, then every field as posted, without `csrf`.
pub struct CsrfBody {
    pub posted: crate::forms::validate::Posted,
}

#[rocket::async_trait]
impl<'r> FromData<'r> for CsrfBody {
    type Error = AuthError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> rocket::data::Outcome<'r, Self> {
        match CsrfForm::<NoFields>::from_data(req, data).await {
            rocket::data::Outcome::Success(_) => {
                let mut posted = body::decoded_again(req);
                posted.remove("csrf");
                rocket::data::Outcome::Success(CsrfBody { posted })
            }
            rocket::data::Outcome::Error(e) => rocket::data::Outcome::Error(e),
            rocket::data::Outcome::Forward(f) => rocket::data::Outcome::Forward(f),
        }
    }
}

/// The fields of a form that posts nothing but its CSRF token.
pub struct NoFields;

#[rocket::async_trait]
impl<'r> FromForm<'r> for NoFields {
    type Context = ();

    fn init(_: form::Options) {}

    fn push_value((): &mut (), _: ValueField<'r>) {}

    async fn push_data((): &mut (), _: form::DataField<'r, '_>) {}

    fn finalize((): ()) -> form::Result<'r, Self> {
        Ok(NoFields)
    }
}

/// `terug` when it is a path on this site; anything else (`//evil.example`, `https://...`,
/// `/\evil`) would turn the login into an open redirect. It must also be a valid URI path as it
/// stands (no space, no non-ASCII): the redirect sends it unchanged, and Rocket answers a
/// `Location` it cannot parse with a 500.
fn local_path(terug: &str) -> Option<&str> {
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
        Ok(session) => {
            let cookie = Cookie::build((SESSION_COOKIE, session.token))
                .http_only(true)
                .same_site(SameSite::Strict)
                .path("/")
                .secure(app.settings.base_url.starts_with("https://"));
            cookies.add(cookie);
            Ok(Answer::Redirect(Redirect::to(terug.to_owned())))
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

#[post("/uitloggen", data = "<form>")]
async fn logout(form: CsrfForm, cookies: &CookieJar<'_>, app: &State<App>) -> Result<Redirect, Error> {
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

#[catch(403)]
fn forbidden() -> (Status, Template) {
    forbidden_page()
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

    #[test]
    fn the_origin_of_the_base_url_is_scheme_and_authority() {
        assert_eq!(origin_of("https://peil.example.org/"), "https://peil.example.org");
        assert_eq!(origin_of("http://127.0.0.1:8000"), "http://127.0.0.1:8000");
        assert_eq!(origin_of("https://example.org/peil?x"), "https://example.org");
    }

    #[test]
    fn posts_from_other_sites_are_refused() {
        let base = "https://peil.example.org";
        assert!(same_origin(None, None, base));
        assert!(same_origin(Some("same-origin"), Some("https://peil.example.org"), base));
        assert!(same_origin(Some("none"), None, base));
        assert!(!same_origin(Some("cross-site"), None, base));
        assert!(!same_origin(Some("same-site"), None, base));
        assert!(!same_origin(None, Some("https://evil.example"), base));
        assert!(!same_origin(None, Some("null"), base));
        assert!(!same_origin(Some("cross-site"), Some("null"), base));
        assert!(
            same_origin(Some("same-origin"), Some("null"), base),
            "what Chromium sends under no-referrer"
        );
    }
}
