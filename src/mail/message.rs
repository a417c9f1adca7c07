//! A rendered mail as a MIME message: one recipient, plain text and HTML as alternatives, and
//! the one-click unsubscribe headers (RFC 2369, RFC 8058). Addresses and header values go through
//! lettre's typed headers, which encode them; no header line is ever formatted here by hand.

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::header::{ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};

use super::render::Rendered;

/// Everything about a message except its words.
pub struct Envelope<'a> {
    pub from: &'a Mailbox,
    pub to: Mailbox,
    pub message_id: String,
    pub date: DateTime<Utc>,
    /// The `https://.../afmelden` address.
    pub unsubscribe: &'a str,
}

pub fn build(envelope: Envelope<'_>, rendered: Rendered) -> Result<Message, lettre::error::Error> {
    let Envelope { from, to, message_id, date, unsubscribe } = envelope;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(rendered.subject)
        .message_id(Some(message_id))
        .date(date.into())
        .header(ListUnsubscribe(format!("<{unsubscribe}>")))
        .header(ListUnsubscribePost)
        .multipart(
            MultiPart::alternative()
                .singlepart(part(ContentType::TEXT_PLAIN, rendered.text))
                .singlepart(part(ContentType::TEXT_HTML, rendered.html)),
        )
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
