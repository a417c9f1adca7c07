//! Personal links. An invitation keeps a random nonce; its link token is HMAC(secret key, nonce),
//! and the database keeps only the SHA-256 of the token for look-up. So a copy of the database
//! alone yields no working link, and a coordinator can still print a lost link again.

use crate::crypto;
use crate::settings::Secret;

/// A token as it appears in a link: 43 characters of URL-safe base64 (256 bits).
#[derive(Clone, PartialEq, Eq)]
pub struct InvitationToken(String);

impl InvitationToken {
    pub fn derive(secret: &Secret, nonce: &str) -> InvitationToken {
        InvitationToken(crypto::hmac_b64(secret.expose(), nonce))
    }

    /// The token from a URL, if it has the shape of one; anything else cannot match.
    pub fn parse(text: &str) -> Option<InvitationToken> {
        let shaped =
            text.len() == 43 && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        shaped.then(|| InvitationToken(text.to_string()))
    }

    pub fn hash(&self) -> String {
        crypto::sha256_hex(&self.0)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Never print a token by accident.
impl std::fmt::Debug for InvitationToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InvitationToken(…)")
    }
}

/// A fresh nonce for a new invitation: 32 random bytes.
pub fn new_nonce() -> String {
    crypto::random_b64(32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_tokens_have_the_shape_parse_accepts() {
        let secret = Secret::new("k".repeat(40));
        let token = InvitationToken::derive(&secret, &new_nonce());
        assert_eq!(InvitationToken::parse(token.as_str()), Some(token));
    }

    #[test]
    fn malformed_tokens_are_refused_before_any_lookup() {
        for bad in ["", "abc", &"a".repeat(44), &format!("{}!", "a".repeat(42))] {
            assert!(InvitationToken::parse(bad).is_none(), "{bad}");
        }
    }
}
