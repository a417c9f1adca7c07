//! The QR code of the enrolment page as SVG path data, drawn by peil itself (`qrcodegen` makes
//! the modules; no image crates). The template wraps the path in its `<svg>`, so no markup is
//! built here: only the numbers of the squares.

use std::fmt::Write;

use qrcodegen::{QrCode, QrCodeEcc};
use serde::Serialize;

/// The quiet zone around the code, in modules, as the QR standard asks.
const BORDER: i32 = 4;

/// A QR code ready for the template: the side in modules (border included) and one path of
/// unit squares.
#[derive(Serialize)]
pub struct Qr {
    pub size: i32,
    pub path: String,
}

/// `text` as a QR code, or `None` when it is too long for one (an `otpauth://` address is far
/// from that).
pub fn qr(text: &str) -> Option<Qr> {
    let code = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let mut path = String::new();
    for y in 0..code.size() {
        for x in 0..code.size() {
            if code.get_module(x, y) {
                // Writing to a String cannot fail.
                let _ = write!(path, "M{},{}h1v1h-1z", x + BORDER, y + BORDER);
            }
        }
    }
    Some(Qr { size: code.size() + 2 * BORDER, path })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_code_is_a_square_with_its_quiet_zone() {
        let qr = qr("otpauth://totp/peil%3Aanna%40example.org?secret=ABCDEFGH").unwrap();
        assert_eq!((qr.size - 2 * BORDER - 17) % 4, 0, "versions grow by 4 modules");
        assert!(qr.path.starts_with(&format!("M{BORDER},{BORDER}h1v1h-1z")), "the finder's corner");
        assert!(!qr.path.contains('<'));
    }
}
