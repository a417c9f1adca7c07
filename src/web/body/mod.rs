//! Request bodies, read by hand: a size limit with its own Dutch page, and a strict
//! `application/x-www-form-urlencoded` decoder that refuses what a browser never sends (bad
//! percent escapes, invalid UTF-8) instead of guessing.
//!
//! Every form body is read and decoded here, and never by Rocket's `Form<T>` data guard, which
//! answers differently where tests/it/hostile pins the answer: it decodes a bad escape lossily
//! (`%FF%FE` becomes U+FFFD, and the registration page would come back with a message, 422, where
//! it answers 400), it reads only up to its own `limits.form` instead of `max_body_bytes`, and its
//! errors reach a catcher, not this module's Dutch pages.
//!
//! On top of that decoder, the fixed forms (login, password, first-admin setup, registration,
//! beheer) are typed by Rocket's `FromForm` all the same: `Fields<T>` (in `fields`) hands the
//! decoded fields to a `#[derive(FromForm)]` struct through the trait's own steps, so each form
//! says which fields it has and their types, and a handler that shows errors again takes
//! `Fields<Contextual<T>>`. `FromForm` is not the problem; Rocket's decoder and data guard were.
//!
//! A form that uploads a file posts `multipart/form-data`, read by `multipart` within a limit of
//! the page's own (see `web::upload`).
//!
//! The answer pages keep `FormBody`, the decoded fields as a raw `Posted` map: their field names
//! come from a form definition read at run time, which no `FromForm` type can name, and
//! `forms::validate` checks them against that definition (a repeated answer to a text question
//! is a mistake on the page there, not a tampered post).

use rocket::data::{Data, FromData, Outcome, ToByteUnit};
use rocket::http::{ContentType, Status};
use rocket::{Request, async_trait};

use super::App;
use crate::forms::validate::Posted;

mod fields;
mod multipart;

pub use fields::{Fields, decoded, decoded_again, first, typed};
pub use multipart::{Files, decoded_with_files};

/// `peil check` refuses a page that could post more, so no form that passes is refused here.
use crate::forms::MAX_FIELDS;

/// After the limit, up to this much more of a body is read and thrown away before the 413 page
/// goes out: a client still sending would otherwise meet a closed connection (a broken pipe)
/// instead of the page that says its answer was too long. A client that stops sending and waits
/// gets the page after `DRAIN_WAIT`.
const DRAIN_BYTES: u64 = 4 * 1024 * 1024;
const DRAIN_WAIT: std::time::Duration = std::time::Duration::from_millis(500);

#[derive(PartialEq, thiserror::Error)]
pub enum BodyError {
    #[error("the body is larger than the limit")]
    TooLarge,
    #[error("the body is not form data")]
    NotForm,
    #[error("the body is not valid form data: {0}")]
    Malformed(&'static str),
    #[error("could not read the body: {0}")]
    Io(String),
    /// Decoded, but the fields do not make the form's `FromForm` type: not a post of its page.
    #[error("the fields do not fit the form: {0}")]
    Fields(rocket::form::Errors<'static>),
}

/// The message, never the fields: Rocket's generated code logs a failed data guard's error with
/// `{:?}`, and a form error's derived `Debug` shows the value that was posted (a password, a
/// pasted link).
impl std::fmt::Debug for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self, f)
    }
}

impl BodyError {
    pub fn status(&self) -> Status {
        match self {
            BodyError::TooLarge => Status::PayloadTooLarge,
            BodyError::NotForm => Status::UnsupportedMediaType,
            BodyError::Malformed(_) | BodyError::Io(_) | BodyError::Fields(_) => Status::BadRequest,
        }
    }
}

/// A decoded form body: field name to every value posted under it.
pub struct FormBody(pub Posted);

#[async_trait]
impl<'r> FromData<'r> for FormBody {
    type Error = BodyError;

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> Outcome<'r, Self> {
        match read_form(req, data).await {
            Ok(posted) => Outcome::Success(FormBody(posted)),
            Err(e) => Outcome::Error((e.status(), e)),
        }
    }
}

/// The body of a form post, read within `max_body_bytes` and decoded strictly.
async fn read_form(req: &Request<'_>, data: Data<'_>) -> Result<Posted, BodyError> {
    if req.content_type().is_none_or(|ct| ct != &ContentType::Form) {
        return Err(BodyError::NotForm);
    }
    let limit = req.rocket().state::<App>().map_or(256 * 1024, |app| app.settings.max_body_bytes);
    match read_within(data, limit).await {
        Ok(Some(bytes)) => decode_urlencoded(&bytes),
        Ok(None) => Err(BodyError::TooLarge),
        Err(e) => Err(BodyError::Io(e.kind().to_string())),
    }
}

/// The body when it is at most `limit` bytes; `None` when it is longer, after draining up to
/// `DRAIN_BYTES` more of it for at most `DRAIN_WAIT`.
async fn read_within(data: Data<'_>, limit: u64) -> std::io::Result<Option<Vec<u8>>> {
    use tokio::io::AsyncReadExt;
    let mut stream = data.open((limit + DRAIN_BYTES).bytes());
    let mut bytes = Vec::new();
    (&mut stream).take(limit + 1).read_to_end(&mut bytes).await?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) <= limit {
        return Ok(Some(bytes));
    }
    // Whatever stops the draining (the cap, the wait, a closed connection), the answer is 413.
    let _ = tokio::time::timeout(DRAIN_WAIT, tokio::io::copy(&mut stream, &mut tokio::io::sink())).await;
    Ok(None)
}

pub fn decode_urlencoded(bytes: &[u8]) -> Result<Posted, BodyError> {
    let mut posted = Posted::new();
    let mut count = 0;
    for pair in bytes.split(|b| *b == b'&').filter(|p| !p.is_empty()) {
        count += 1;
        if count > MAX_FIELDS {
            return Err(BodyError::Malformed("too many fields"));
        }
        let (name, value) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        let name = percent_decode(name)?;
        if name.is_empty() {
            return Err(BodyError::Malformed("a field without a name"));
        }
        posted.entry(name).or_default().push(percent_decode(value)?);
    }
    Ok(posted)
}

fn percent_decode(input: &[u8]) -> Result<String, BodyError> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        match input[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = input.get(i + 1..i + 3).ok_or(BodyError::Malformed("a cut-off % escape"))?;
                // Exactly two hex digits: `from_str_radix` alone would also read "+1" as 1.
                if !hex.iter().all(u8::is_ascii_hexdigit) {
                    return Err(BodyError::Malformed("a bad % escape"));
                }
                let text = std::str::from_utf8(hex).map_err(|_| BodyError::Malformed("a bad % escape"))?;
                out.push(u8::from_str_radix(text, 16).map_err(|_| BodyError::Malformed("a bad % escape"))?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| BodyError::Malformed("text that is not UTF-8"))
}

#[cfg(test)]
mod fuzz;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_names_keep_every_value_in_order() {
        let posted = decode_urlencoded(b"a=1&b=x+y&a=%C3%A9").unwrap();
        assert_eq!(posted["a"], vec!["1", "é"]);
        assert_eq!(posted["b"], vec!["x y"]);
    }

    #[test]
    fn invalid_utf8_and_broken_escapes_are_refused() {
        assert_eq!(decode_urlencoded(b"a=%FF"), Err(BodyError::Malformed("text that is not UTF-8")));
        assert_eq!(decode_urlencoded(b"a=%4"), Err(BodyError::Malformed("a cut-off % escape")));
        assert_eq!(decode_urlencoded(b"a=%zz"), Err(BodyError::Malformed("a bad % escape")));
        assert_eq!(decode_urlencoded(b"=1"), Err(BodyError::Malformed("a field without a name")));
    }

    /// Rocket's generated code logs a failed data guard's error with `{:?}` at warn, and a form
    /// error carries the value that was posted: a password, say.
    #[test]
    fn a_refused_form_does_not_show_what_was_posted_when_logged() {
        let refused =
            rocket::form::Error::validation("te lang").with_name("password").with_value("geheim-7Q2X");
        let error = BodyError::Fields(rocket::form::Errors::from(refused));
        let logged = format!("{error:?}");
        assert!(!logged.contains("geheim-7Q2X"), "{logged}");
        assert!(logged.contains("te lang"), "{logged}");
    }
}
