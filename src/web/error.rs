//! `Error`: why a handler cannot give the page that was asked for, as a value handlers return
//! with `?`. It renders itself as the Dutch error page for its status (`errors::page`), so what a
//! person reads stays in one place, apart from the English `Display` that goes to the log.
//!
//! Any domain error converts into `Internal`: by the time one reaches `?`, the person can do
//! nothing about it. Domain errors that do mean something to the person (a wrong password, a
//! seat no longer offered, a cancellation too late) are matched in the handler before that and
//! answered with their own page, usually the form again with a message.

use std::fmt;

use rocket::Request;
use rocket::http::Status;
use rocket::response::{self, Responder};

use super::errors;

pub enum Error {
    /// Not there, or not to be shown: the "Deze link werkt niet" page (404).
    NotFound,
    /// A request no page of peil's sends (a tampered or stale form): 400.
    BadRequest,
    /// A link's pages opened without the link's cookie: another browser, or a week later (403).
    OpenLinkAgain,
    /// Too many wrong links from this caller (429).
    Throttled,
    /// A respondent's form posted from another site (403): see `auth::SameOrigin`.
    CrossSite,
    /// Too many registrations from this caller, or from everyone, within the hour (429).
    TooManyRegistrations,
    /// A personal link that ended at its round's retention term (410), with the round's title.
    Expired(String),
    /// Something failed that the person cannot fix (500). The cause is logged once, when the
    /// page is rendered.
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    pub fn status(&self) -> Status {
        match self {
            Error::NotFound => Status::NotFound,
            Error::BadRequest => Status::BadRequest,
            Error::OpenLinkAgain => Status::Forbidden,
            Error::Throttled | Error::TooManyRegistrations => Status::TooManyRequests,
            Error::CrossSite => Status::Forbidden,
            Error::Expired(_) => Status::Gone,
            Error::Internal(_) => Status::InternalServerError,
        }
    }
}

/// `?` on any domain error; see the module comment.
impl<E: std::error::Error + Send + Sync + 'static> From<E> for Error {
    fn from(e: E) -> Self {
        Error::Internal(Box::new(e))
    }
}

/// For the log: the cause's own `Display`, which names the kind of failure and never a token or
/// an answer.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound => f.write_str("not found"),
            Error::BadRequest => f.write_str("a request no page of peil's sends"),
            Error::OpenLinkAgain => f.write_str("a link's page without the link's cookie"),
            Error::Throttled => f.write_str("too many wrong links"),
            Error::CrossSite => f.write_str("a respondent's form posted from another site"),
            Error::TooManyRegistrations => f.write_str("too many registrations"),
            Error::Expired(_) => f.write_str("a link past its retention term"),
            Error::Internal(cause) => write!(f, "{cause}"),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl<'r> Responder<'r, 'static> for Error {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        if let Error::Internal(cause) = &self {
            // The path is not logged: it may hold a personal token.
            tracing::error!(error = %cause, "a request failed");
        }
        match self {
            Error::CrossSite => errors::cross_site(),
            Error::TooManyRegistrations => errors::too_many_registrations(),
            Error::Expired(title) => errors::expired(&title),
            _ => errors::page(self.status()),
        }
        .respond_to(req)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_error_becomes_the_page_for_a_failure() {
        let e: Error = std::io::Error::other("disk full").into();
        assert_eq!(e.status(), Status::InternalServerError);
        assert_eq!(e.to_string(), "disk full");
    }

    #[test]
    fn each_kind_has_the_status_of_its_page() {
        assert_eq!(Error::NotFound.status(), Status::NotFound);
        assert_eq!(Error::BadRequest.status(), Status::BadRequest);
        assert_eq!(Error::OpenLinkAgain.status(), Status::Forbidden);
        assert_eq!(Error::Throttled.status(), Status::TooManyRequests);
        assert_eq!(Error::CrossSite.status(), Status::Forbidden);
        assert_eq!(Error::TooManyRegistrations.status(), Status::TooManyRequests);
    }
}
