//! The codes themselves: the TOTP secret derived from a stored nonce and peil's secret key, the
//! six-digit code of a 30-second step (RFC 6238 with SHA-1, which every authenticator app reads),
//! the `otpauth://` address an app scans, and recovery codes. Pure functions, no database.
//!
//! Why derived, not stored: the database holds only a random nonce, and the secret is
//! HMAC-SHA256(secret key, nonce) cut to 160 bits. A copy of the database alone (a backup left
//! somewhere) then gives no one the codes; the secret key lives outside it (`peil.toml` or
//! `data_dir/secret.key`). The price: a new secret key ends every enrolment, as it ends the
//! personal links of earlier rounds. Encrypting a stored secret would have the same price.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use totp_rs::{Builder, Secret, Totp};

use crate::crypto;

/// Bytes of a TOTP secret: RFC 4226's recommended 160 bits.
const SECRET_BYTES: usize = 20;
/// Characters of a recovery code (base32, 5 bits each: 50 bits), shown as two groups of five.
const RECOVERY_CHARS: usize = 10;
/// Recovery codes handed out at each enrolment.
pub const RECOVERY_CODES: usize = 10;
/// The name authenticator apps show above the code.
const ISSUER: &str = "peil";

/// A step's number: seconds since 1970 divided by 30.
pub type Step = i64;

/// The TOTP of the account with `nonce` under the instance's `key`: 6 digits, 30 s, one step of
/// clock skew either way.
pub(super) fn totp(key: &str, nonce: &str) -> Totp {
    let mac = crypto::hmac_b64(key, &format!("peil totp\n{nonce}"));
    let mut bytes = URL_SAFE_NO_PAD.decode(mac).unwrap_or_default();
    bytes.truncate(SECRET_BYTES);
    // SHA-1, 6 digits, 30 s and a skew of 1 are the builder's defaults and what apps expect;
    // a 20-byte secret passes every check `build` makes, so `build_noncompliant` loses nothing.
    Builder::new().with_secret(bytes).build_noncompliant()
}

/// The step a typed `code` belongs to at `now`, if it is the code of the current step or of the
/// one before or after it. Spaces in the code are ignored (apps show `123 456`).
pub(super) fn check(totp: &Totp, code: &str, now: DateTime<Utc>) -> Option<Step> {
    let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let seconds = u64::try_from(now.timestamp()).ok()?;
    totp.check(&digits, seconds).and_then(|step| Step::try_from(step).ok())
}

/// The secret in base32 in groups of four, for typing it into an app by hand.
pub(super) fn grouped_secret(totp: &Totp) -> String {
    let text = totp.secret().to_base32();
    let chars: Vec<char> = text.chars().collect();
    chars.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// The `otpauth://totp/...` address the QR code holds, labelled `peil:<email>`.
pub(super) fn otpauth_uri(totp: &Totp, email: &str) -> String {
    let label = percent(&format!("{ISSUER}:{email}"));
    let secret = totp.secret().to_base32();
    format!("otpauth://totp/{label}?secret={secret}&issuer={ISSUER}&algorithm=SHA1&digits=6&period=30")
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A new nonce for an enrolment.
pub(super) fn new_nonce() -> String {
    crypto::random_b64(32)
}

/// A fresh recovery code, `abcde-fghij` (lower-case base32 without the easily confused 0/1/8/9).
pub(super) fn new_recovery_code() -> String {
    let secret = Secret::from(crypto::random_bytes(8));
    let text = secret.to_base32().to_lowercase();
    let (first, second) = text[..RECOVERY_CHARS].split_at(RECOVERY_CHARS / 2);
    format!("{first}-{second}")
}

/// How a recovery code is stored and looked up: the SHA-256 of its letters, so `ABCDE FGHIJ` as
/// typed finds `abcde-fghij`. `None` for text that cannot be one.
pub(super) fn recovery_hash(typed: &str) -> Option<String> {
    let letters: String =
        typed.chars().filter(|c| c.is_ascii_alphanumeric()).map(|c| c.to_ascii_lowercase()).collect();
    (letters.len() == RECOVERY_CHARS).then(|| crypto::sha256_hex(&letters))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step_of(now: DateTime<Utc>) -> Step {
        now.timestamp().div_euclid(30)
    }

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(seconds, 0).unwrap()
    }

    #[test]
    fn the_secret_depends_on_key_and_nonce_and_is_stable() {
        let a = totp("key one that is long enough", "nonce");
        assert_eq!(a.secret().to_base32(), totp("key one that is long enough", "nonce").secret().to_base32());
        assert_ne!(a.secret().to_base32(), totp("key two that is long enough", "nonce").secret().to_base32());
        assert_ne!(a.secret().to_base32(), totp("key one that is long enough", "other").secret().to_base32());
        assert_eq!(a.secret().as_ref().len(), 20);
    }

    #[test]
    fn a_code_is_accepted_one_step_early_or_late_and_not_two() {
        let totp = totp("k", "n");
        let now = at(1_800_000_015);
        let code = |t: i64| totp.generate(t as u64).to_string();
        assert_eq!(check(&totp, &code(1_800_000_015), now), Some(step_of(now)));
        assert_eq!(check(&totp, &code(1_800_000_015 - 30), now), Some(step_of(now) - 1));
        assert_eq!(check(&totp, &code(1_800_000_015 + 30), now), Some(step_of(now) + 1));
        assert_eq!(check(&totp, &code(1_800_000_015 - 60), now), None);
        let spaced = code(1_800_000_015);
        assert!(check(&totp, &format!("{} {}", &spaced[..3], &spaced[3..]), now).is_some());
        assert_eq!(check(&totp, "12345", now), None);
        assert_eq!(check(&totp, "abcdef", now), None);
    }

    #[test]
    fn the_otpauth_address_names_peil_and_the_account() {
        let totp = totp("k", "n");
        let uri = otpauth_uri(&totp, "anna+gp@example.org");
        assert!(uri.starts_with("otpauth://totp/peil%3Aanna%2Bgp%40example.org?secret="), "{uri}");
        assert!(uri.ends_with("&issuer=peil&algorithm=SHA1&digits=6&period=30"), "{uri}");
        assert_eq!(grouped_secret(&totp).replace(' ', ""), totp.secret().to_base32());
        assert_eq!(grouped_secret(&totp).split(' ').next().map(str::len), Some(4));
    }

    #[test]
    fn recovery_codes_are_found_however_they_are_typed() {
        let code = new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_ne!(code, new_recovery_code());
        let hash = recovery_hash(&code);
        assert!(hash.is_some());
        assert_eq!(recovery_hash(&code.to_uppercase().replace('-', " ")), hash);
        assert_eq!(recovery_hash("123456"), None);
    }
}
