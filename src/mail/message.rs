//! A rendered mail as a MIME message: one recipient, plain text and HTML as alternatives, the
//! one-click unsubscribe headers (RFC 2369, RFC 8058) on mails a contact can opt out of, and a
//! calendar file as an attachment where the mail has one (then the message is multipart/mixed).
//! Addresses and header values go through lettre's typed headers, which encode them; no header
//! line is ever formatted here by hand.

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::header::{ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};

use super::ics::Method;
use super::render::Rendered;

/// Everything about a message except its words.
pub struct Envelope<'a> {
    pub from: &'a Mailbox,
    pub to: Mailbox,
    pub message_id: String,
    pub date: DateTime<Utc>,
    /// The `https://.../afmelden` address, on the mails an opt-out stops.
    pub unsubscribe: Option<&'a str>,
}

/// An iCalendar text and what the receiving calendar should do with it.
pub struct Calendar {
    pub method: Method,
    pub text: String,
}

/// A file that goes with a mail: a seat's calendar entry, or a certificate of attendance.
pub enum Attached {
    Calendar(Calendar),
    /// A PDF with its file name (`bewijs-van-deelname.pdf`).
    Pdf(&'static str, Vec<u8>),
}

/// Why a message could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// In practice the recipient's address: everything else comes from checked settings.
    #[error(transparent)]
    Message(#[from] lettre::error::Error),
    #[error("the calendar file or PDF cannot be attached")]
    Attachment,
}

pub fn build(
    envelope: Envelope<'_>,
    rendered: Rendered,
    attached: Option<Attached>,
) -> Result<Message, BuildError> {
    let Envelope { from, to, message_id, date, unsubscribe } = envelope;
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(rendered.subject)
        .message_id(Some(message_id))
        .date(date.into());
    if let Some(unsubscribe) = unsubscribe {
        builder = builder.header(ListUnsubscribe(format!("<{unsubscribe}>"))).header(ListUnsubscribePost);
    }
    let words = MultiPart::alternative()
        .singlepart(part(ContentType::TEXT_PLAIN, rendered.text))
        .singlepart(part(ContentType::TEXT_HTML, rendered.html));
    let file = match attached {
        None => return Ok(builder.multipart(words)?),
        Some(Attached::Calendar(calendar)) => attachment(calendar)?,
        Some(Attached::Pdf(name, bytes)) => pdf(name, bytes)?,
    };
    Ok(builder.multipart(MultiPart::mixed().multipart(words).singlepart(file))?)
}

/// A PDF, base64 as every binary attachment.
fn pdf(name: &str, bytes: Vec<u8>) -> Result<SinglePart, BuildError> {
    let content_type = ContentType::parse("application/pdf").map_err(|_| BuildError::Attachment)?;
    Ok(Attachment::new(name.to_string()).body(bytes, content_type))
}

/// `bijeenkomst.ics`, base64 so that its CRLF line ends arrive exactly as written.
fn attachment(calendar: Calendar) -> Result<SinglePart, BuildError> {
    let content_type = format!("text/calendar; charset=utf-8; method={}", calendar.method.as_str());
    let content_type = ContentType::parse(&content_type).map_err(|_| BuildError::Attachment)?;
    let body = Body::new_with_encoding(calendar.text, ContentTransferEncoding::Base64)
        .map_err(|_| BuildError::Attachment)?;
    Ok(Attachment::new("bijeenkomst.ics".to_string()).body(body, content_type))
}

/// Quoted-printable always: readable where it is plain ASCII, and a body line of a single `.`
/// is dot-stuffed by lettre's SMTP client whatever the encoding.
fn part(content_type: ContentType, body: String) -> SinglePart {
    SinglePart::builder().header(content_type).header(ContentTransferEncoding::QuotedPrintable).body(body)
}

/// `List-Unsubscribe: <https://.../r/<token>/afmelden>`.
#[derive(Clone, Debug)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_string()))
    }

    fn display(&self) -> HeaderValue {
        // HeaderValue::new encodes and folds; the value is a URL from settings plus a token.
        HeaderValue::new(Self::name(), super::render::one_line(&self.0))
    }
}

/// `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: mail programs may unsubscribe with one
/// POST, without opening a page.
#[derive(Clone, Debug)]
struct ListUnsubscribePost;

impl Header for ListUnsubscribePost {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe-Post")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribePost)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "List-Unsubscribe=One-Click".to_string())
    }
}
