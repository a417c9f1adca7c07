//! Property tests of the form-body decoder: any bytes are decoded or refused, never a panic;
//! what it accepts is exactly what a strict reading of `application/x-www-form-urlencoded`
//! accepts; whatever a browser encodes comes back as it was; and whatever it decodes can be
//! handed to the answer checks of every page of the shipped forms.

use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};

use super::*;
use crate::forms::{Answers, Forms};

fn config(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(default);
    Config { cases, failure_persistence: Some(Box::new(FileFailurePersistence::Off)), ..Config::default() }
}

/// The decoder written the slow, obvious way: `%` takes exactly two hex digits.
fn reference(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    let decode = |part: &[u8]| -> Option<String> {
        let mut out = Vec::new();
        let mut rest = part;
        while let Some((&b, tail)) = rest.split_first() {
            rest = tail;
            match b {
                b'+' => out.push(b' '),
                b'%' => {
                    let [h, l, ..] = *rest else { return None };
                    let digit = |c: u8| (c as char).to_digit(16);
                    out.push((digit(h)? * 16 + digit(l)?) as u8);
                    rest = &rest[2..];
                }
                b => out.push(b),
            }
        }
        String::from_utf8(out).ok()
    };
    let pairs: Vec<&[u8]> = bytes.split(|b| *b == b'&').filter(|p| !p.is_empty()).collect();
    if pairs.len() > MAX_FIELDS {
        return None;
    }
    pairs
        .into_iter()
        .map(|pair| {
            let (name, value) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &[][..]),
            };
            let name = decode(name).filter(|n| !n.is_empty())?;
            Some((name, decode(value)?))
        })
        .collect()
}

fn grouped(pairs: Vec<(String, String)>) -> Posted {
    let mut posted = Posted::new();
    for (name, value) in pairs {
        posted.entry(name).or_default().push(value);
    }
    posted
}

/// How a browser encodes a field: unreserved bytes as they are, space as `+`, the rest `%XX`.
fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => (b as char).to_string(),
            b' ' => "+".to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// Bytes that look like form data: names, `=`, `&`, `+`, and `%` escapes right and wrong.
fn body_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        6 => prop::sample::select(vec![
            "&",
            "=",
            "+",
            "%",
            "%2",
            "%20",
            "%C3%A9",
            "%C3",
            "%FF",
            "%zz",
            "%+1",
            "%-1",
            "% 1",
            "%00",
            "%0a",
            "%E2%80%AE",
            "wijk",
            "tevreden",
            ".other",
            "_anders",
            "noord",
        ])
        .prop_map(|s| s.as_bytes().to_vec()),
        1 => prop::collection::vec(any::<u8>(), 1..4),
    ];
    prop::collection::vec(piece, 0..16).prop_map(|pieces| pieces.concat())
}

fn shipped_forms() -> &'static Forms {
    static FORMS: OnceLock<Forms> = OnceLock::new();
    FORMS.get_or_init(|| {
        crate::forms::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("forms")).expect("the shipped forms")
    })
}

proptest! {
    #![proptest_config(config(512))]

    #[test]
    fn any_bytes_are_decoded_exactly_when_a_strict_decoder_accepts_them(bytes in body_bytes()) {
        let decoded = decode_urlencoded(&bytes);
        match reference(&bytes) {
            Some(pairs) => prop_assert_eq!(decoded, Ok(grouped(pairs))),
            None => prop_assert!(matches!(decoded, Err(BodyError::Malformed(m)) if !m.is_empty())),
        }
    }

    #[test]
    fn what_a_browser_encodes_is_decoded_as_it_was(
        fields in prop::collection::vec(("\\PC{1,12}", "(\\PC|\n|\r|\0){0,40}"), 0..20),
    ) {
        let body: Vec<String> = fields.iter().map(|(n, v)| format!("{}={}", encode(n), encode(v))).collect();
        let decoded = decode_urlencoded(body.join("&").as_bytes());
        prop_assert_eq!(decoded, Ok(grouped(fields)));
    }

    #[test]
    fn whatever_is_decoded_goes_through_the_answer_checks_of_every_page(bytes in body_bytes()) {
        let Ok(posted) = decode_urlencoded(&bytes) else { return Ok(()) };
        for form in shipped_forms().iter() {
            for page in &form.pages {
                let _ = crate::forms::validate::check_page(page, &posted, &Answers::new());
            }
        }
    }
}

/// Found by the first property: `u8::from_str_radix` takes a leading `+`, so "%+1" was byte 1.
#[test]
fn a_plus_sign_is_not_a_hex_digit_of_an_escape() {
    assert_eq!(decode_urlencoded(b"a=%+1"), Err(BodyError::Malformed("a bad % escape")));
    assert_eq!(decode_urlencoded(b"%+A=x"), Err(BodyError::Malformed("a bad % escape")));
}

#[test]
fn more_fields_than_any_form_has_are_refused_and_a_huge_value_is_not() {
    let many = "a=1&".repeat(MAX_FIELDS + 1);
    assert_eq!(decode_urlencoded(many.as_bytes()), Err(BodyError::Malformed("too many fields")));
    let huge = format!("a={}", "%C3%A9".repeat(200_000));
    assert_eq!(decode_urlencoded(huge.as_bytes()).map(|p| p["a"][0].chars().count()), Ok(200_000));
}
