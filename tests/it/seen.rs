//! Snapshots of what people see (insta): mails as they arrive and the pages a respondent gets.
//! What differs from run to run is replaced by a placeholder first: the app's address, personal
//! link tokens and the handles they are exchanged for, dates and times, a mail's `Date` and
//! `Message-ID` and its MIME boundary. Snapshots are named without the module path, so the `it`
//! and `postgres` binaries (which share these files through `tests/postgres`) compare against the
//! same file: a page that differed between the backends would fail one of them.

use std::sync::LazyLock;

use regex::Regex;

/// Asserts that `text` (already normalised) matches the snapshot `name`, stored in `snapshots/`
/// next to the calling file.
macro_rules! assert_seen {
    ($name:expr, $text:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false, omit_expression => true }, {
            insta::assert_snapshot!($name, $text);
        })
    };
}
pub(crate) use assert_seen;

const MONTHS: &str =
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december";

static RULES: LazyLock<Vec<(Regex, &'static str)>> = LazyLock::new(|| {
    let rule = |pattern: &str, with| (Regex::new(pattern).expect("pattern"), with);
    vec![
        // A personal link's token (32 random bytes, base64url) and the handle of its page, in
        // text and in HTML (where Tera writes `/` as `&#x2F;`).
        rule(r"(/|&#x2F;)r(/|&#x2F;)[A-Za-z0-9_-]{43}", "${1}r${2}[token]"),
        rule(r"(/|&#x2F;)antwoord(/|&#x2F;)[A-Za-z0-9_-]+", "${1}antwoord${2}[handle]"),
        // "7 december 2026", "07-12-2026", "23.59 uur" and "19:30".
        rule(&format!(r"\b\d{{1,2}} ({MONTHS}) \d{{4}}\b"), "[datum]"),
        rule(r"\b\d{2}-\d{2}-\d{4}\b", "[datum]"),
        rule(r"\b\d{1,2}[.:]\d{2} uur\b", "[tijd] uur"),
        // Mail headers made at send time.
        rule(r"(?m)^Date: .*$", "Date: [datum]"),
        rule(r"(?m)^Message-ID: <[^>]*>$", "Message-ID: <[id]>"),
    ]
});

/// `text` with the app's address and everything that differs per run replaced.
pub fn normalised(text: &str, app_url: &str) -> String {
    let escaped_url = app_url.replace('/', "&#x2F;");
    let mut text = text.replace("\r\n", "\n").replace(app_url, "[peil]").replace(&escaped_url, "[peil]");
    for boundary in boundaries(&text) {
        text = text.replace(&boundary, "[boundary]");
    }
    for (pattern, with) in RULES.iter() {
        text = pattern.replace_all(&text, *with).into_owned();
    }
    text
}

/// A page as `normalised`, without its whitespace-only lines: the templates' indentation is
/// nothing anyone sees, and would make every template edit a wall of changed snapshot lines.
pub fn page(body: &str, app_url: &str) -> String {
    normalised(body, app_url).lines().filter(|line| !line.trim().is_empty()).collect::<Vec<_>>().join("\n")
}

/// The MIME boundaries a message declares.
fn boundaries(text: &str) -> Vec<String> {
    static BOUNDARY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#"boundary="([^"]+)""#).expect("pattern"));
    BOUNDARY.captures_iter(text).map(|c| c[1].to_string()).collect()
}

#[test]
fn what_differs_per_run_is_replaced_and_nothing_else() {
    let mail = "Date: Sun, 06 Dec 2026 07:03:28 +0000\r\nMessage-ID: <abc.1@example.org>\r\n\
        Content-Type: multipart/alternative;\r\n boundary=\"Xy12\"\r\n\r\n--Xy12\r\n\
        Zie http://127.0.0.1:4321/r/abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ, \
        tot 13 december 2026 om 9.05 uur (13-12-2026, 19:30 uur).\r\n--Xy12\r\n\
        <a href=\"http:&#x2F;&#x2F;127.0.0.1:4321&#x2F;r&#x2F;abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\">\r\n\
        --Xy12--\r\n";
    let expected = "Date: [datum]\nMessage-ID: <[id]>\nContent-Type: multipart/alternative;\n \
        boundary=\"[boundary]\"\n\n--[boundary]\nZie [peil]/r/[token], tot [datum] om [tijd] uur \
        ([datum], [tijd] uur).\n--[boundary]\n<a href=\"[peil]&#x2F;r&#x2F;[token]\">\n--[boundary]--\n";
    assert_eq!(normalised(mail, "http://127.0.0.1:4321"), expected);
}
