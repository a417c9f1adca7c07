//! The CSRF defence of every staff form, as guards: `SameOrigin` and the data guards
//! `CsrfForm<T>` (any logged-in account), `EnrolForm<T>` (also an account that must still enrol in
//! two-step login) and `CsrfBody` (fields not fixed). Rocket has no CSRF protection of its own.
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

use rocket::Request;
use rocket::data::{Data, FromData};
use rocket::form::{self, FromForm, ValueField};
use rocket::http::Status;
use rocket::request::{FromRequest, Outcome};

use super::{AuthError, Enrolling, Member};
use crate::accounts;
use crate::web::App;
use crate::web::body::{self, BodyError};

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
        let Outcome::Success(member) = req.guard::<Member>().await else {
            return rocket::data::Outcome::Error((Status::Forbidden, AuthError::NotLoggedIn));
        };
        checked(req, data, member).await
    }
}

/// `CsrfForm` for the enrolment page and logout: the same checks, for `Enrolling` accounts.
pub struct EnrolForm<T = NoFields>(pub CsrfForm<T>);

#[rocket::async_trait]
impl<'r, T: FromForm<'r>> FromData<'r> for EnrolForm<T> {
    type Error = AuthError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> rocket::data::Outcome<'r, Self> {
        let Outcome::Success(Enrolling(member)) = req.guard::<Enrolling>().await else {
            return rocket::data::Outcome::Error((Status::Forbidden, AuthError::NotLoggedIn));
        };
        checked(req, data, member).await.map(EnrolForm)
    }
}

/// The checks of `CsrfForm` after the guard found `member`: same origin, then the CSRF token,
/// then the form's own fields.
async fn checked<'r, T: FromForm<'r>>(
    req: &'r Request<'_>,
    data: Data<'r>,
    member: Member,
) -> rocket::data::Outcome<'r, CsrfForm<T>, AuthError> {
    let refuse = |e: AuthError| rocket::data::Outcome::Error((Status::Forbidden, e));
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

#[cfg(test)]
mod tests {
    use super::*;

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
