//! The suppression list: addresses erased on request, kept as a keyed hash only, so that a
//! contact import skips them ("gewist op verzoek") instead of quietly bringing the person back.
//!
//! The key is an HMAC-SHA256 under the secret key, not a plain hash: the addresses of a region's
//! GPs are few and guessable, and a plain hash of each could be tried against a copy of the
//! database. The same secret key must stay in use (as for personal links): after `peil key
//! adopt` with a new key, the list no longer matches anyone.
//!
//! Registering oneself again on an open registration page (`/f/<slug>`) is not blocked: it is
//! the person's own new act, for that sign-up only. It makes a self-registered contact, which is
//! never part of an audience, and the address stays on the list, so an import still skips it.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::Address;
use crate::db::{Pool, Timestamp, Write};
use crate::settings::Secret;

/// The list's key of an address. The prefix keeps these apart from the other HMACs under the
/// same secret key (personal links).
pub fn key_of(secret: &Secret, address: &Address) -> String {
    crate::crypto::hmac_b64(secret.expose(), &format!("peil suppressed address\n{}", address.as_str()))
}

/// Puts `address` on the list in the caller's transaction; a second erasure keeps the first date.
pub async fn add(
    tx: &mut Write,
    secret: &Secret,
    address: &Address,
    now: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO suppressed_addresses (address_hmac, erased_at) VALUES ($1, $2) \
         ON CONFLICT (address_hmac) DO NOTHING",
    )
    .bind(key_of(secret, address))
    .bind(Timestamp::from(now))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// When `address` was erased on request, if it was.
pub async fn erased_at(
    pool: &Pool,
    secret: &Secret,
    address: &Address,
) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
    let at: Option<Timestamp> =
        sqlx::query_scalar("SELECT erased_at FROM suppressed_addresses WHERE address_hmac = $1")
            .bind(key_of(secret, address))
            .fetch_optional(pool)
            .await?;
    Ok(at.map(Timestamp::at))
}

/// The whole list, read once for an import of many rows.
pub struct Suppression<'s> {
    secret: &'s Secret,
    keys: HashSet<String>,
}

impl Suppression<'_> {
    /// Whether an import must skip this (already checked) address.
    pub fn holds(&self, email: &str) -> bool {
        !self.keys.is_empty()
            && Address::parse(email).is_ok_and(|address| self.keys.contains(&key_of(self.secret, &address)))
    }
}

/// Reads the list, in a transaction or from the pool.
pub async fn load<'e, 's, E>(executor: E, secret: &'s Secret) -> Result<Suppression<'s>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT address_hmac FROM suppressed_addresses").fetch_all(executor).await?;
    Ok(Suppression { secret, keys: keys.into_iter().collect() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_depends_on_the_secret_and_not_on_how_the_address_was_typed() {
        let (a, b) = (Secret::new("a".repeat(40)), Secret::new("b".repeat(40)));
        let typed = Address::parse("  Anna@Example.org ").expect("an address");
        let plain = Address::parse("anna@example.org").expect("an address");
        assert_eq!(key_of(&a, &typed), key_of(&a, &plain));
        assert_ne!(key_of(&a, &plain), key_of(&b, &plain));
        assert!(!key_of(&a, &plain).contains("anna"));
    }
}
