//! The words of each mail: `templates/mail/<kind>/{subject.txt,text.txt,html.html}.tera`, in
//! Dutch, with a job's own subject and text in place of the default ones where it has them.
//! Only `html.html` is escaped; a job's text reaches it as paragraphs and lines, never as HTML.

use std::path::Path;

use chrono::{DateTime, Utc};
use rocket_dyn_templates::tera::{Context, Tera};
use serde::Serialize;

use super::{MailError, MailKind};
use crate::jobs::MailTexts;

const KINDS: [MailKind; 3] = [MailKind::Invitation, MailKind::Reminder, MailKind::Confirmation];
// Rocket's template loader sees these files too and names them without both extensions, so the
// parts need distinct stems ("text", "html") for it to load every one without complaint.
const PARTS: [&str; 3] = ["subject.txt", "text.txt", "html.html"];

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
    pub link: &'a str,
    pub unsubscribe: &'a str,
    pub sender: &'a str,
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
    link: &'a str,
    unsubscribe: &'a str,
    sender: String,
    /// A job's own text: as is for the plain part, as paragraphs of lines for the HTML part.
    text: Option<String>,
    paragraphs: Vec<Vec<String>>,
}

impl Templates {
    pub fn load(templates_dir: &Path) -> Result<Templates, MailError> {
        let mut files = Vec::new();
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

    /// Renders every kind once, so a template mistake stops the start instead of every mail.
    fn check(&self) -> Result<(), MailError> {
        for kind in KINDS {
            let letter = Letter {
                kind,
                name: "Naam",
                title: "Titel",
                closes_at: DateTime::<Utc>::UNIX_EPOCH,
                anonymous: false,
                link: "https://example.org/r/x",
                unsubscribe: "https://example.org/r/x/afmelden",
                sender: "peil",
            };
            let texts = MailTexts {
                invitation_text: Some("Tekst".into()),
                reminder_text: Some("Tekst".into()),
                ..MailTexts::default()
            };
            self.render(&letter, None)?;
            self.render(&letter, Some(&texts))?;
        }
        Ok(())
    }

    pub fn render(&self, letter: &Letter<'_>, texts: Option<&MailTexts>) -> Result<Rendered, MailError> {
        let (subject, text) = overrides(letter.kind, texts);
        let text = text.map(|t| t.replace("\r\n", "\n").replace('\r', "\n"));
        let view = View {
            name: one_line(letter.name),
            title: one_line(letter.title),
            closes: crate::time::dutch(letter.closes_at),
            anonymous: letter.anonymous,
            link: letter.link,
            unsubscribe: letter.unsubscribe,
            sender: one_line(letter.sender),
            paragraphs: text.as_deref().map(paragraphs).unwrap_or_default(),
            text,
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

fn paragraphs(text: &str) -> Vec<Vec<String>> {
    text.split("\n\n")
        .map(|p| p.lines().map(str::trim_end).filter(|l| !l.trim().is_empty()).map(String::from).collect())
        .filter(|p: &Vec<String>| !p.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_and_controls_become_single_spaces() {
        assert_eq!(one_line("Anna\r\nBcc: evil@example.org"), "Anna Bcc: evil@example.org");
        assert_eq!(one_line("  a\t\u{0}b  "), "a b");
    }

    fn shipped() -> Templates {
        Templates::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("templates")).expect("templates")
    }

    fn letter(kind: MailKind) -> Letter<'static> {
        Letter {
            kind,
            name: "Anna <b>",
            title: "Zorg & welzijn",
            closes_at: chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 7, 23, 0, 0).unwrap(),
            anonymous: false,
            link: "https://peil.example.org/r/abc",
            unsubscribe: "https://peil.example.org/r/abc/afmelden",
            sender: "GGZ-werkgroep",
        }
    }

    #[test]
    fn html_is_escaped_and_plain_text_is_not() {
        let texts = MailTexts {
            invitation_text: Some("Zie <script>x</script>\nregel 2".into()),
            ..Default::default()
        };
        let mail = shipped().render(&letter(MailKind::Invitation), Some(&texts)).unwrap();
        assert_eq!(mail.subject, "Uitnodiging: Zorg & welzijn");
        assert!(
            mail.text.starts_with("Beste Anna <b>,\n\nZie <script>x</script>\nregel 2\n"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("tot 7 december 2026 om 23.59 uur"), "{}", mail.text);
        assert!(
            mail.html.contains("<p>Zie &lt;script&gt;x&lt;&#x2F;script&gt;<br>regel 2</p>"),
            "{}",
            mail.html
        );
        assert!(
            mail.html.contains("Beste Anna &lt;b&gt;,") && !mail.html.contains("<script>"),
            "{}",
            mail.html
        );
    }

    #[test]
    fn every_kind_names_the_round_and_the_link() {
        for kind in KINDS {
            let mail = shipped().render(&letter(kind), None).unwrap();
            assert!(mail.subject.ends_with("Zorg & welzijn"), "{kind:?}: {}", mail.subject);
            assert!(mail.text.contains("https://peil.example.org/r/abc/afmelden"), "{kind:?}");
            assert!(mail.html.contains("Zorg &amp; welzijn"), "{kind:?}");
        }
    }

    #[test]
    fn a_job_text_splits_into_paragraphs_of_lines() {
        let text = "Eerste regel\ntweede regel\n\n\nNieuwe alinea\n";
        assert_eq!(paragraphs(text), vec![vec!["Eerste regel", "tweede regel"], vec!["Nieuwe alinea"]]);
    }
}
