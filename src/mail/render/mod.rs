//! The words of each mail: `templates/mail/<kind>/{subject.txt,text.txt,html.html}.tera`, in
//! Dutch, with a job's own subject and text in place of the default ones where it has them.
//! Only `html.html` is escaped; a job's text reaches it as paragraphs and lines, never as HTML.
//! A mail about a seat also gets its session (`SessionView`), as prepared text and plain values.

use std::path::Path;

use chrono::{DateTime, Utc};
use rocket_dyn_templates::tera::{Context, Tera};
use serde::Serialize;

use lettre::message::Mailbox;

use super::MailError;
use super::rows::SeatFacts;
use crate::jobs::MailTexts;
use crate::organisation::{Contact, Organisation};
use crate::outbox::MailKind;
use crate::signup::SeatStatus;

const KINDS: [MailKind; 14] = MailKind::ALL;
// Rocket's template loader sees these files too and names them without both extensions, so the
// parts need distinct stems ("text", "html") for it to load every one without complaint.
const PARTS: [&str; 3] = ["subject.txt", "text.txt", "html.html"];
/// What the parts share: the HTML layout (greeting, sign-off, contact line, width and button) and
/// the plain text's contact line. Named with distinct stems for Rocket's loader, as above.
const SHARED: [&str; 3] = ["_layout.html", "_button.html", "_contact_text.txt"];

/// The mail templates, read once at start.
#[derive(Debug)]
pub struct Templates(Tera);

/// What a mail says about its person and round.
#[derive(Clone, Debug)]
pub struct Letter<'a> {
    pub kind: MailKind,
    pub name: &'a str,
    pub title: &'a str,
    pub closes_at: DateTime<Utc>,
    pub anonymous: bool,
    /// A sign-up round's mail: it invites to choose a session, not to answer questions.
    pub signup: bool,
    pub link: &'a str,
    pub unsubscribe: &'a str,
    /// The round's privacy statement (`/privacy/<form>`), absolute.
    pub privacy: &'a str,
    /// The name that signs the mail (see [`signature`]).
    pub sender: &'a str,
    /// The organisation's name and how to reach it, for the contact line and "laat het ... weten".
    pub contact: &'a Contact,
    /// The seat of a seat mail.
    pub seat: Option<SeatLetter<'a>>,
    /// When the mail is written: "morgen" and whether cancelling is still possible depend on it.
    pub now: DateTime<Utc>,
    /// A coordinator's message to a session (`MailKind::SessionNotice`): its subject and text.
    pub notice: Option<(&'a str, &'a str)>,
}

/// What a seat mail says about its seat, besides the facts read from the database.
#[derive(Clone, Copy, Debug)]
pub struct SeatLetter<'a> {
    pub facts: &'a SeatFacts,
    /// The seat's own page, with its cancel button.
    pub page: &'a str,
    /// Whether a calendar file goes with the mail.
    pub calendar: bool,
}

/// A rendered mail, ready to be put into a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Serialize)]
struct View<'a> {
    name: String,
    title: String,
    closes: String,
    anonymous: bool,
    signup: bool,
    link: &'a str,
    unsubscribe: &'a str,
    privacy: &'a str,
    sender: String,
    contact: &'a Contact,
    /// A job's own text: as is for the plain part, as paragraphs of lines for the HTML part.
    text: Option<String>,
    paragraphs: Vec<Vec<String>>,
    session: Option<SessionView<'a>>,
}

/// The session of a seat mail, as the templates show it.
#[derive(Serialize)]
struct SessionView<'a> {
    title: String,
    /// "dinsdag 9 maart 2027, 13.30–15.30 uur".
    when: String,
    /// "Vandaag", "Morgen" or "Op dinsdag 9 maart 2027": how a reminder names the day.
    day: String,
    /// Wanneer, waar, online, gespreksleider: the lines that apply, in that order.
    details: Vec<Detail>,
    confirmed: bool,
    waiting: bool,
    position: Option<u32>,
    page: &'a str,
    can_cancel: bool,
    cancel_until: String,
    calendar: bool,
    /// A calendar entry for the seat went out before.
    published: bool,
    /// Where the link downloads the seat's certificate of attendance (`.../bewijs/<seat>.pdf`).
    certificate: String,
}

#[derive(Serialize)]
struct Detail {
    label: &'static str,
    value: String,
    /// An http(s) address, to be shown as a link in the HTML part.
    link: bool,
}

impl Templates {
    pub fn load(templates_dir: &Path) -> Result<Templates, MailError> {
        let mut files = Vec::new();
        for shared in SHARED {
            let name = shared.split_once('.').map_or(shared, |(stem, _)| stem);
            files.push((
                templates_dir.join("mail").join(format!("{shared}.tera")),
                Some(format!("mail/{name}")),
            ));
        }
        for kind in KINDS {
            for part in PARTS {
                let path = templates_dir.join("mail").join(kind.as_str()).join(format!("{part}.tera"));
                files.push((path, Some(format!("{}/{part}", kind.as_str()))));
            }
        }
        let mut tera = Tera::default();
        // Tera decides by the file's path, so the suffix to escape is the full one.
        tera.autoescape_on(vec![".html.tera"]);
        tera.add_template_files(files)?;
        let templates = Templates(tera);
        templates.check()?;
        Ok(templates)
    }

    /// Renders every kind, a seat mail once per seat status and on both sides of the cancel
    /// deadline, so a template mistake in any branch stops the start instead of every mail.
    fn check(&self) -> Result<(), MailError> {
        let texts = MailTexts {
            invitation_text: Some("Tekst".into()),
            reminder_text: Some("Tekst".into()),
            ..MailTexts::default()
        };
        let epoch = DateTime::<Utc>::UNIX_EPOCH;
        let reachable = Contact {
            name: Some("Organisatie".into()),
            called: "Organisatie".into(),
            email: Some("info@example.org".into()),
            phone: Some("020 123 4567".into()),
            tel: Some("+31201234567".into()),
            reachable: true,
        };
        let unknown = Organisation::default().contact();
        let starts_at = epoch + chrono::Duration::days(2);
        for kind in KINDS {
            let letter = Letter {
                kind,
                name: "Naam",
                title: "Titel",
                closes_at: epoch,
                anonymous: false,
                signup: false,
                link: "https://example.org/r/x",
                unsubscribe: "https://example.org/r/x/afmelden",
                privacy: "https://example.org/privacy/x?ronde=anoniem",
                sender: "peil",
                contact: &unknown,
                seat: None,
                now: epoch,
                notice: (kind == MailKind::SessionNotice).then_some(("Onderwerp", "Tekst\n\nMeer tekst")),
            };
            if !kind.is_about_a_seat() {
                self.render(&letter, None)?;
                self.render(&letter, Some(&texts))?;
                self.render(&Letter { contact: &reachable, ..letter.clone() }, None)?;
                continue;
            }
            for (status, now) in [SeatStatus::Confirmed, SeatStatus::Waiting, SeatStatus::Cancelled]
                .into_iter()
                .flat_map(|status| [(status, epoch), (status, starts_at)])
            {
                let facts = SeatFacts {
                    id: crate::signup::SeatId(1),
                    status,
                    position: (status == SeatStatus::Waiting).then_some(1),
                    session: "Sessie".into(),
                    starts_at,
                    ends_at: starts_at + chrono::Duration::hours(2),
                    place: "Plaats".into(),
                    online_url: "https://example.org/online".into(),
                    leader: "Leider".into(),
                    cancelled: false,
                    revision: 0,
                    cancel_until: starts_at - chrono::Duration::days(1),
                    published: status != SeatStatus::Waiting,
                };
                let seat =
                    SeatLetter { facts: &facts, page: "https://example.org/r/x/plaats/1", calendar: true };
                self.render(&Letter { seat: Some(seat), now, ..letter.clone() }, None)?;
                self.render(&Letter { seat: Some(seat), now, contact: &reachable, ..letter.clone() }, None)?;
            }
        }
        Ok(())
    }

    pub fn render(&self, letter: &Letter<'_>, texts: Option<&MailTexts>) -> Result<Rendered, MailError> {
        let (subject, text) = match letter.notice {
            Some((subject, text)) if letter.kind == MailKind::SessionNotice => (Some(subject), Some(text)),
            _ => overrides(letter.kind, texts),
        };
        let text = text.map(|t| t.replace("\r\n", "\n").replace('\r', "\n"));
        let view = View {
            name: isolated_name(letter.name),
            title: one_line(letter.title),
            closes: crate::time::dutch(letter.closes_at),
            anonymous: letter.anonymous,
            signup: letter.signup,
            link: letter.link,
            unsubscribe: letter.unsubscribe,
            privacy: letter.privacy,
            sender: one_line(letter.sender),
            contact: letter.contact,
            paragraphs: text.as_deref().map(paragraphs).unwrap_or_default(),
            text,
            session: letter.seat.map(|seat| session_view(seat, letter.link, letter.now)),
        };
        let context = Context::from_serialize(&view)?;
        let part = |name: &str| self.0.render(&format!("{}/{name}", letter.kind.as_str()), &context);
        let subject = match subject {
            Some(subject) => subject.to_string(),
            None => part("subject.txt")?,
        };
        Ok(Rendered { subject: one_line(&subject), text: part("text.txt")?, html: part("html.html")? })
    }
}

/// The sender of every mail: the organisation's name in front of `mail_from`'s address when the
/// organisation has a name, else `mail_from` as configured.
pub fn from_mailbox(mail_from: &Mailbox, organisation: &Organisation) -> Mailbox {
    match organisation.name() {
        Some(name) => Mailbox::new(Some(name.to_owned()), mail_from.email.clone()),
        None => mail_from.clone(),
    }
}

/// The name a mail is signed with: the sender's display name, or its address without one.
pub fn signature(from: &Mailbox) -> String {
    from.name.clone().unwrap_or_else(|| from.email.to_string())
}

fn session_view<'a>(seat: SeatLetter<'a>, link: &str, now: DateTime<Utc>) -> SessionView<'a> {
    use chrono_tz::Europe::Amsterdam;
    let facts = seat.facts;
    let day = facts.starts_at.with_timezone(&Amsterdam).date_naive();
    let today = now.with_timezone(&Amsterdam).date_naive();
    let day = match (day - today).num_days() {
        0 => "Vandaag".to_string(),
        1 => "Morgen".to_string(),
        _ => format!("Op {}", crate::time::dutch_long_date(day)),
    };
    let when = crate::time::dutch_span(facts.starts_at, facts.ends_at);
    let online = one_line(&facts.online_url);
    let details = [
        ("Wanneer", when.clone(), false),
        ("Waar", one_line(&facts.place), false),
        ("Online", online.clone(), online.starts_with("https://") || online.starts_with("http://")),
        ("Gespreksleider", one_line(&facts.leader), false),
    ];
    SessionView {
        title: one_line(&facts.session),
        when,
        day,
        details: details
            .into_iter()
            .filter(|(_, value, _)| !value.is_empty())
            .map(|(label, value, link)| Detail { label, value, link })
            .collect(),
        confirmed: facts.status == SeatStatus::Confirmed,
        waiting: facts.status == SeatStatus::Waiting,
        position: facts.position,
        page: seat.page,
        can_cancel: facts.status != SeatStatus::Cancelled && now < facts.cancel_until,
        cancel_until: crate::time::dutch(facts.cancel_until),
        calendar: seat.calendar,
        published: facts.published,
        certificate: format!("{link}/bewijs/{}.pdf", facts.id),
    }
}

fn overrides(kind: MailKind, texts: Option<&MailTexts>) -> (Option<&str>, Option<&str>) {
    let Some(texts) = texts else { return (None, None) };
    match kind {
        MailKind::Invitation => (texts.invitation_subject.as_deref(), texts.invitation_text.as_deref()),
        MailKind::Reminder => (texts.reminder_subject.as_deref(), texts.reminder_text.as_deref()),
        _ => (None, None),
    }
}

/// Text for a header or a greeting line: control characters (CR and LF above all) become
/// spaces, so nothing a name or title holds can start a header line of its own.
pub fn one_line(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person's name for a greeting or a `To:` header: on one line, and, when anything in it can
/// run right to left, isolated from the text around it (FIRST STRONG ISOLATE .. POP DIRECTIONAL
/// ISOLATE), as pages isolate names with CSS. A right-to-left override in a name then ends with
/// the name instead of turning the rest of the line around. A pop the name holds without its own
/// isolate would end ours early, so it is dropped; isolates it leaves open are closed before ours.
/// A name written left to right only is left as it is: nothing in it can reorder its line.
pub fn isolated_name(name: &str) -> String {
    let name = one_line(name);
    if !name.chars().any(turns_text) {
        return name;
    }
    let mut open = 0usize;
    let mut out = String::from(FIRST_STRONG_ISOLATE);
    for c in name.chars() {
        match c {
            '\u{2066}'..='\u{2068}' => open += 1,
            POP_DIRECTIONAL_ISOLATE if open == 0 => continue,
            POP_DIRECTIONAL_ISOLATE => open -= 1,
            _ => {}
        }
        out.push(c);
    }
    out.extend(std::iter::repeat_n(POP_DIRECTIONAL_ISOLATE, open + 1));
    out
}

const FIRST_STRONG_ISOLATE: char = '\u{2068}';
const POP_DIRECTIONAL_ISOLATE: char = '\u{2069}';

/// A right-to-left letter, digit or mark, or an embedding, override or isolate.
fn turns_text(c: char) -> bool {
    use unicode_bidi::BidiClass::{AL, AN, FSI, LRE, LRI, LRO, PDF, PDI, R, RLE, RLI, RLO};
    matches!(unicode_bidi::bidi_class(c), R | AL | AN | LRE | RLE | LRO | RLO | PDF | LRI | RLI | FSI | PDI)
}

fn paragraphs(text: &str) -> Vec<Vec<String>> {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).map(String::from).collect())
        .filter(|p: &Vec<String>| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
