//! `CsrfUpload<T>`: `CsrfForm<T>` for a form that uploads a file. The same two CSRF layers (the
//! request comes from peil's own pages, and the session's token is in the body, compared before
//! the fields are typed), for a body that is `multipart/form-data` or urlencoded, read within a
//! limit the page names rather than `max_body_bytes`: a contact list is larger than any answer.

use rocket::data::{Data, FromData, Outcome};
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::request::Outcome as RequestOutcome;
use rocket::{Request, async_trait};

use super::auth::{AuthError, Member, SameOrigin};
use super::body::{self, BodyError, Files};
use crate::accounts;

/// The most an upload form may post: a contact list (`contacts::MAX_LIST_BYTES`) in base64, as
/// the preview posts it back, with room for the other fields.
pub const UPLOAD_LIMIT: u64 = (crate::contacts::MAX_LIST_BYTES as u64) * 4 / 3 + 64 * 1024;

/// A form with a file, posted by a logged-in user from peil's own pages with the session's CSRF
/// token. Refuses with 403 otherwise, before the handler runs and before `T` sees the fields.
/// The handler names who posted with its own guard (`Admin`).
pub struct CsrfUpload<T> {
    pub fields: T,
    pub files: Files,
}

#[async_trait]
impl<'r, T: FromForm<'r>> FromData<'r> for CsrfUpload<T> {
    type Error = AuthError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        let refuse = |e: AuthError| Outcome::Error((Status::Forbidden, e));
        let RequestOutcome::Success(member) = req.guard::<Member>().await else {
            return refuse(AuthError::NotLoggedIn);
        };
        if !matches!(req.guard::<SameOrigin>().await, RequestOutcome::Success(_)) {
            return refuse(AuthError::CrossSite);
        }
        let unreadable = |e: BodyError| Outcome::Error((e.status(), e.into()));
        let (posted, files) = match body::decoded_with_files(req, data, UPLOAD_LIMIT).await {
            Ok(decoded) => decoded,
            Err(e) => return unreadable(e),
        };
        if !accounts::csrf_matches(member.csrf(), body::first(posted, "csrf")) {
            return refuse(AuthError::BadToken);
        }
        match body::typed(posted) {
            Ok(fields) => Outcome::Success(CsrfUpload { fields, files }),
            Err(e) => unreadable(e),
        }
    }
}
