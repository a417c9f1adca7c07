//! Sealing what must not be readable from a copy of the database files without the secret key:
//! drafts, and anonymous submissions waiting in their round's pool (see [`super::pool`]).
//!
//! AES-256-GCM under a key derived from peil's secret key, with a fresh random nonce on every
//! write, so the same content sealed twice looks unrelated. The content is padded to a size
//! class first: a sealed draft or pool of ordinary size is exactly as long as any other, and its
//! length does not point at the response it later becomes.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD_NO_PAD;
use sha2::{Digest, Sha256};

use crate::settings::Secret;

/// What a sealed text starts with: drafts written before sealing existed are plain JSON.
const MARK: &str = "sealed:1:";
const NONCE: usize = 12;
/// The smallest size class; above it, each class is twice the one below.
const SMALLEST: usize = 4096;

#[derive(Debug, thiserror::Error)]
#[error("sealed data cannot be opened with this secret key (or was damaged)")]
pub struct SealError;

/// The key that seals and opens.
#[derive(Clone)]
pub struct Seal(Aes256Gcm);

impl std::fmt::Debug for Seal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Seal(…)")
    }
}

impl Seal {
    pub fn new(secret: &Secret) -> Seal {
        let key = Sha256::digest(format!("peil seal\n{}", secret.expose()).as_bytes());
        Seal(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&key)))
    }

    /// `content` padded to its size class and sealed, as text.
    pub fn seal(&self, content: &[u8]) -> String {
        let nonce = crate::crypto::random_bytes(NONCE);
        let sealed = self
            .0
            .encrypt(Nonce::from_slice(&nonce), padded(content).as_slice())
            .expect("AES-GCM seals any length peil stores");
        let mut bytes = nonce;
        bytes.extend(sealed);
        format!("{MARK}{}", STANDARD_NO_PAD.encode(bytes))
    }

    /// The content of a text [`Seal::seal`] made; a text without the mark is returned as it is.
    pub fn open(&self, text: &str) -> Result<Vec<u8>, SealError> {
        let Some(sealed) = text.strip_prefix(MARK) else { return Ok(text.as_bytes().to_vec()) };
        let bytes = STANDARD_NO_PAD.decode(sealed).map_err(|_| SealError)?;
        if bytes.len() < NONCE {
            return Err(SealError);
        }
        let (nonce, sealed) = bytes.split_at(NONCE);
        let padded = self.0.decrypt(Nonce::from_slice(nonce), sealed).map_err(|_| SealError)?;
        unpadded(padded)
    }
}

/// Whether `text` was sealed.
pub fn is_sealed(text: &str) -> bool {
    text.starts_with(MARK)
}

/// The content's length (4 bytes), the content, and zeros up to the size class.
fn padded(content: &[u8]) -> Vec<u8> {
    let needed = content.len() + 4;
    let class = SMALLEST.max(needed.next_power_of_two());
    let length = u32::try_from(content.len()).expect("content under 4 GiB");
    let mut bytes = Vec::with_capacity(class);
    bytes.extend(length.to_be_bytes());
    bytes.extend(content);
    bytes.resize(class, 0);
    bytes
}

fn unpadded(mut bytes: Vec<u8>) -> Result<Vec<u8>, SealError> {
    let length: [u8; 4] = bytes.get(..4).and_then(|b| b.try_into().ok()).ok_or(SealError)?;
    let length = usize::try_from(u32::from_be_bytes(length)).map_err(|_| SealError)?;
    if length > bytes.len() - 4 {
        return Err(SealError);
    }
    bytes.truncate(length + 4);
    bytes.drain(..4);
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seal(secret: &str) -> Seal {
        Seal::new(&Secret::new(secret.into()))
    }

    #[test]
    fn what_is_sealed_opens_with_the_same_key_only() {
        let sealed = seal("k1").seal(b"{\"a\":1}");
        assert!(is_sealed(&sealed));
        assert_eq!(seal("k1").open(&sealed).unwrap(), b"{\"a\":1}");
        assert!(seal("k2").open(&sealed).is_err());
    }

    #[test]
    fn the_same_content_sealed_twice_looks_unrelated() {
        let key = seal("k");
        assert_ne!(key.seal(b"same"), key.seal(b"same"));
    }

    #[test]
    fn contents_of_one_size_class_seal_to_one_length() {
        let key = seal("k");
        let short = key.seal(b"x");
        let long = key.seal(&vec![b'y'; 3000]);
        assert_eq!(short.len(), long.len());
        assert!(key.seal(&vec![b'z'; 5000]).len() > long.len());
    }

    #[test]
    fn a_plain_text_from_before_sealing_reads_as_itself() {
        assert_eq!(seal("k").open("{\"b\":2}").unwrap(), b"{\"b\":2}");
    }

    #[test]
    fn a_damaged_seal_is_an_error_not_a_panic() {
        let key = seal("k");
        let mut sealed = key.seal(b"content");
        // One character of the ciphertext changed (to another, whatever it was).
        let last = sealed.pop().expect("a sealed text");
        sealed.push(if last == 'A' { 'B' } else { 'A' });
        assert!(key.open(&sealed).is_err());
        assert!(key.open("sealed:1:").is_err());
        assert!(key.open("sealed:1:!!").is_err());
    }
}
