//! Diagnostics with `file:line:col` positions, and the "did you mean" suggestion.

use std::fmt;

/// One problem in a form or list file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.col, self.message)
    }
}

/// A file's text with what is needed to turn byte offsets into lines and columns.
pub struct Source {
    pub file: String,
    pub text: String,
    line_starts: Vec<usize>,
}

impl Source {
    pub fn new(file: String, text: String) -> Source {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Source { file, text, line_starts }
    }

    pub fn diagnostic(&self, offset: usize, message: impl Into<String>) -> Diagnostic {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset).max(1);
        let start = self.line_starts[line - 1];
        let col = self.text.get(start..offset).map_or(1, |s| s.chars().count() + 1);
        Diagnostic { file: self.file.clone(), line, col, message: one_line(message.into()) }
    }

    /// Where the contents of a string value start: after `"`, `'`, `"""` or `'''`, and after the
    /// line break right behind those, which is not part of the value (`\r\n` in a Windows file).
    pub fn string_body(&self, span_start: usize) -> usize {
        let rest = self.text.get(span_start..).unwrap_or_default();
        if rest.starts_with("\"\"\"") || rest.starts_with("'''") {
            let after = &rest[3..];
            let newline = if after.starts_with("\r\n") { 2 } else { usize::from(after.starts_with('\n')) };
            span_start + 3 + newline
        } else {
            span_start + 1
        }
    }
}

/// A message quotes what the file says, which may hold a line break or another control
/// character; escaped, each problem stays on one line of `peil check`'s output.
fn one_line(message: String) -> String {
    if !message.contains(char::is_control) {
        return message;
    }
    message
        .chars()
        .map(|c| if c.is_control() { c.escape_default().to_string() } else { c.to_string() })
        .collect()
}

/// Where byte `offset` of a string's value is in the file, the string's text starting at `body`
/// (see [`Source::string_body`]). In a "..." string an escape such as `\"` or `\u00e9`, or a `\`
/// that joins lines, makes the value differ from the text it is written as.
pub fn in_string(src: &Source, body: usize, offset: usize) -> usize {
    let text = src.text.get(body..).unwrap_or_default();
    let literal = src.text[..body].trim_end_matches(['\r', '\n']).ends_with('\'');
    if literal {
        return body + offset;
    }
    let mut value = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' && chars.next_if(|(_, w)| w.is_whitespace()).is_some() {
            // A `\` at a line end joins the lines: none of it is in the value.
            while chars.next_if(|(_, w)| w.is_whitespace()).is_some() {}
            continue;
        }
        if value >= offset {
            return body + i;
        }
        let escape = if c == '\\' { chars.next().map(|(_, e)| e) } else { None };
        value += match escape {
            None => c.len_utf8(),
            Some('u') => escaped_char(&mut chars, 4),
            Some('U') => escaped_char(&mut chars, 8),
            Some('x') => escaped_char(&mut chars, 2),
            Some(_) => 1,
        };
    }
    body + text.len()
}

/// The length in the value of a `\u`-style escape with `digits` hex digits.
fn escaped_char(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>, digits: usize) -> usize {
    let hex: String = chars.take(digits).map(|(_, c)| c).collect();
    let c = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
    c.map_or(1, char::len_utf8)
}

/// The candidate closest to `word`, if it is close enough to be a likely typo.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(2);
    candidates
        .into_iter()
        .map(|c| (distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance over characters.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitute = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitute.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_lines_and_character_columns() {
        let src = Source::new("f.toml".into(), "a = 1\nlabel = \"é x\"\n".into());
        let x = src.text.find('x').unwrap();
        assert_eq!(src.diagnostic(x, "m").to_string(), "f.toml:2:12: m");
        assert_eq!(src.diagnostic(0, "m").to_string(), "f.toml:1:1: m");
    }

    #[test]
    fn offsets_in_a_string_value_account_for_escapes() {
        let text = r#"s = "a \"b\" \u00e9 c"
t = 'a \ c'
u = """a \
    c"""
"#;
        let src = Source::new("f.toml".into(), text.into());
        // s's value is `a "b" é c`: `c` is byte 9 of the value, after 2 escapes and a 2-byte é.
        assert_eq!(&src.text[in_string(&src, 5, 9)..][..1], "c");
        let t = src.text.find("'a").unwrap() + 1;
        assert_eq!(&src.text[in_string(&src, t, 4)..][..1], "c");
        // u's value is `a c`: the `\` at the line end swallows the line break and the indent.
        let u = src.text.find("\"\"\"a").unwrap() + 3;
        assert_eq!(&src.text[in_string(&src, u, 2)..][..1], "c");
    }

    #[test]
    fn suggests_only_near_misses() {
        assert_eq!(nearest("reqired", ["required", "label"]), Some("required"));
        assert_eq!(nearest("colour", ["required", "label"]), None);
    }
}
