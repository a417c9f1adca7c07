//! The few cryptographic primitives peil needs: random tokens, SHA-256 for look-ups, and an HMAC
//! to derive personal links from a stored nonce and the secret key.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

/// `n` random bytes, URL-safe base64 without padding.
pub fn random_b64(n: usize) -> String {
    URL_SAFE_NO_PAD.encode(random_bytes(n))
}

pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    // The operating system's generator failing is not something peil can carry on from.
    getrandom::fill(&mut bytes).expect("operating system random generator");
    bytes
}

/// `items` in a uniformly random order (Fisher-Yates on the operating system's generator).
pub fn shuffle<T>(items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, below(i as u64 + 1) as usize);
    }
}

/// A uniformly random number below `n` (n > 0), without the bias of a plain remainder.
fn below(n: u64) -> u64 {
    let zone = u64::MAX - u64::MAX % n;
    loop {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).expect("operating system random generator");
        let x = u64::from_le_bytes(bytes);
        if x < zone {
            return x % n;
        }
    }
}

/// Lower-case hex SHA-256 of `text`.
pub fn sha256_hex(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

/// URL-safe base64 HMAC-SHA256 of `message` under `key`.
pub fn hmac_b64(key: &str, message: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(message.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// The 256-bit key material (64 hex digits, as Rocket reads it) for Rocket's cookie key, derived
/// from peil's secret key so that instances sharing the secret share cookies too.
pub fn cookie_key_hex(secret: &str) -> String {
    hex(&Sha256::digest(format!("peil cookies\n{secret}").as_bytes()))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_is_deterministic_and_key_dependent() {
        assert_eq!(hmac_b64("k1", "m"), hmac_b64("k1", "m"));
        assert_ne!(hmac_b64("k1", "m"), hmac_b64("k2", "m"));
        assert_eq!(hmac_b64("k", "m").len(), 43);
    }

    #[test]
    fn a_shuffle_keeps_every_item_and_moves_them() {
        let mut items: Vec<u32> = (0..100).collect();
        shuffle(&mut items);
        let mut sorted = items.clone();
        sorted.sort();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());
        assert_ne!(items, sorted, "100 items left in order: 1 in 100! by chance");
    }

    #[test]
    fn random_tokens_differ() {
        assert_ne!(random_b64(32), random_b64(32));
    }
}
