//! The first start: with no accounts yet, peil logs a one-time link at which the first
//! administrator chooses a password. There is no default password anywhere.

use chrono::{DateTime, Duration, Utc};

use super::Role;
use crate::crypto;
use crate::db::{Db, Pool, Timestamp};
use crate::email::EmailAddress;

/// How long a first-start link stays valid.
const VALID_FOR_HOURS: i64 = 24;

#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("this link is not valid (used, expired or mistyped)")]
    InvalidLink,
    #[error("an administrator already exists")]
    AlreadyDone,
    #[error("Vul een geldig e-mailadres in.")]
    BadEmail,
    #[error("Kies een wachtwoord van ten minste 12 en hoogstens 128 tekens.")]
    WeakPassword,
    #[error("De twee wachtwoorden zijn niet gelijk.")]
    Mismatch,
    #[error("could not hash the password: {0}")]
    Hash(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// A fresh one-time link path (`/setup/<token>`) when there are no users yet; replaces older ones.
pub async fn first_start_link(db: &Db, now: DateTime<Utc>) -> Result<Option<String>, SetupError> {
    let mut w = db.write().await?;
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *w).await?;
    if users > 0 {
        return Ok(None);
    }
    let token = crypto::random_b64(32);
    let expires = Timestamp::from(now + Duration::hours(VALID_FOR_HOURS));
    sqlx::query("DELETE FROM setup_tokens").execute(&mut *w).await?;
    sqlx::query("INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, $2)")
        .bind(crypto::sha256_hex(&token))
        .bind(expires)
        .execute(&mut *w)
        .await?;
    w.commit().await?;
    Ok(Some(format!("/setup/{token}")))
}

/// Whether `token` is a live first-start link.
pub async fn link_is_valid(pool: &Pool, token: &str, now: DateTime<Utc>) -> Result<bool, SetupError> {
    let found: Option<String> =
        sqlx::query_scalar("SELECT token_hash FROM setup_tokens WHERE token_hash = $1 AND expires_at > $2")
            .bind(crypto::sha256_hex(token))
            .bind(Timestamp::from(now))
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

/// The form on the first-start page.
pub struct FirstAdmin<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub repeat: &'a str,
}

/// Creates the first administrator and spends the link, in one transaction. The link is checked
/// before the form: a wrong link is `InvalidLink` whatever the form says.
pub async fn create_first_admin(
    db: &Db,
    token: &str,
    admin: &FirstAdmin<'_>,
    now: DateTime<Utc>,
) -> Result<(), SetupError> {
    if !link_is_valid(db.read(), token, now).await? {
        return Err(SetupError::InvalidLink);
    }
    let email = EmailAddress::parse(admin.email).map_err(|_| SetupError::BadEmail)?;
    let length = admin.password.chars().count();
    if !(12..=128).contains(&length) {
        return Err(SetupError::WeakPassword);
    }
    if admin.password != admin.repeat {
        return Err(SetupError::Mismatch);
    }
    let hash = hash_password(admin.password)?;
    let mut w = db.write().await?;
    let spent = sqlx::query("DELETE FROM setup_tokens WHERE token_hash = $1 AND expires_at > $2")
        .bind(crypto::sha256_hex(token))
        .bind(Timestamp::from(now))
        .execute(&mut *w)
        .await?
        .rows_affected();
    if spent == 0 {
        return Err(SetupError::InvalidLink);
    }
    let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&mut *w).await?;
    if users > 0 {
        return Err(SetupError::AlreadyDone);
    }
    super::insert_user(&mut w, &email, Role::Admin, &hash, now).await?;
    w.commit().await?;
    Ok(())
}

/// argon2id with the crate's defaults (19 MiB, 2 passes), which meet OWASP's guidance.
pub fn hash_password(password: &str) -> Result<String, SetupError> {
    use argon2::PasswordHasher;
    let hash: argon2::PasswordHash = argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| SetupError::Hash(e.to_string()))?;
    Ok(hash.to_string())
}
