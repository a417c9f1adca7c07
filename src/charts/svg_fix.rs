//! Turns plotters' SVG into one a page can inline under `style-src 'self'`. plotters already
//! writes colours and fonts as presentation attributes (no `style`) and escapes text, so what
//! is left is the root element: a `viewBox` with a fluid width instead of fixed pixels, and
//! `role="img"` with the title as accessible name. The tag check below keeps it that way if a
//! plotters upgrade ever starts emitting `style`.

use super::ChartError;

/// The finished document for a chart of `width` × `height` logical pixels titled `title`.
pub(super) fn finish(raw: &str, width: u32, height: u32, title: &str) -> Result<String, ChartError> {
    if !raw.starts_with("<svg") {
        return Err(ChartError::Svg("geen <svg> aan het begin"));
    }
    let body = raw.find('>').map(|end| &raw[end + 1..]).ok_or(ChartError::Svg("open <svg>"))?;
    if tags(body).any(has_style) {
        return Err(ChartError::Svg("style in de uitvoer"));
    }
    let title = escape(title);
    Ok(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"100%\" \
         role=\"img\" aria-label=\"{title}\" class=\"peil-chart\">\n<title>{title}</title>{body}"
    ))
}

/// The inside of every tag (between `<` and `>`). Text is escaped, so each `<` opens a tag.
pub(super) fn tags(svg: &str) -> impl Iterator<Item = &str> {
    svg.split('<').skip(1).map(|piece| piece.split('>').next().unwrap_or(piece))
}

fn has_style(tag: &str) -> bool {
    let tag = tag.to_ascii_lowercase();
    tag.starts_with("style") || tag.starts_with("/style") || tag.contains(" style=")
}

/// XML escaping for text and attribute values.
pub(super) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_gets_a_viewbox_a_fluid_width_and_an_escaped_title() {
        let raw = "<svg width=\"800\" height=\"90\" viewBox=\"0 0 800 90\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/>\n</svg>\n";
        let svg = finish(raw, 800, 90, "A & <b>").unwrap();
        assert!(
            svg.starts_with(
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 800 90\" width=\"100%\""
            )
        );
        assert!(svg.contains("aria-label=\"A &amp; &lt;b&gt;\""));
        assert!(svg.contains("<title>A &amp; &lt;b&gt;</title>"));
        assert!(!svg.contains("height="));
    }

    #[test]
    fn a_style_attribute_or_element_is_refused() {
        let head = "<svg width=\"1\" height=\"1\">";
        assert!(finish(&format!("{head}<rect style=\"fill:red\"/></svg>"), 1, 1, "t").is_err());
        assert!(finish(&format!("{head}<style>rect{{}}</style></svg>"), 1, 1, "t").is_err());
        assert!(finish(&format!("{head}<text>style=\"x\"</text></svg>"), 1, 1, "t").is_ok());
    }
}
