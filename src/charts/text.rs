//! Fitting labels into the room they have: wrapping on spaces, cutting with an ellipsis when
//! even that is not enough. Answer options and question texts can be long; a chart with one
//! label pushing everything else aside is unreadable on a beamer.

use super::canvas::text_width;

/// Labels are cut at this many characters whatever the room, like the brief for the tables.
const MAX_CHARS: usize = 40;
const ELLIPSIS: char = '…';

/// A category label: cut at 40 characters, then wrapped like [`wrap`].
pub(super) fn label(text: &str, width: f64, size: f64, max_lines: usize) -> Vec<String> {
    wrap(&cut_chars(text.trim(), MAX_CHARS), width, size, max_lines)
}

/// `text` in at most `max_lines` lines of at most `width` pixels; the last line ends in an
/// ellipsis when something was left out.
pub(super) fn wrap(text: &str, width: f64, size: f64, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if current.is_empty() || text_width(&candidate, size) <= width {
            current = candidate;
        } else {
            lines.push(std::mem::replace(&mut current, word.to_owned()));
        }
    }
    if !current.is_empty() {
        lines.push(current);
    }
    let cut = lines.len() > max_lines;
    lines.truncate(max_lines.max(1));
    if let Some(last) = lines.last_mut() {
        let wanted = if cut { format!("{last}{ELLIPSIS}") } else { last.clone() };
        *last = fit(&wanted, width, size);
    }
    for line in lines.iter_mut() {
        *line = fit(line, width, size);
    }
    lines
}

/// `text` cut with an ellipsis until it is at most `width` pixels wide.
pub(super) fn fit(text: &str, width: f64, size: f64) -> String {
    if text_width(text, size) <= width {
        return text.to_owned();
    }
    let mut chars: Vec<char> = text.trim_end_matches(ELLIPSIS).chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let candidate: String = chars.iter().collect::<String>().trim_end().to_owned() + "…";
        if text_width(&candidate, size) <= width {
            return candidate;
        }
    }
    String::new()
}

fn cut_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let kept: String = text.chars().take(max - 1).collect();
    format!("{}{ELLIPSIS}", kept.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_labels_stay_on_one_line() {
        super::super::font::register().unwrap();
        assert_eq!(label("Ja", 200.0, 16.0, 2), vec!["Ja"]);
    }

    #[test]
    fn long_labels_wrap_and_end_in_an_ellipsis() {
        super::super::font::register().unwrap();
        let label = "Ik kan de huisartsenpraktijk goed bereiken voor vragen over ggz en meer";
        let lines = super::label(label, 150.0, 16.0, 2);
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, 16.0) <= 150.0));
        assert!(lines.concat().chars().count() <= 40);
    }
}
