//! Passwords: one-time links to set one (`/wachtwoord/<token>`, stored as a SHA-256), the length
//! rule, and argon2id hashing and verifying off the async threads.

use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};

use super::{AccountsError, UserId, normalise_email};
use crate::accounts::setup::{self, SetupError};
use crate::audit::{self, AuditAction};
use crate::crypto;
use crate::db::{Db, Pool, Timestamp, Write};

/// How long a password link stays valid: a long weekend between handing it over and using it.
pub const LINK_VALID_HOURS: i64 = 72;

/// The account a live link belongs to.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct LinkInfo {
    #[sqlx(rename = "id")]
    pub user: UserId,
    pub email: String,
}

/// Replaces the user's earlier links with a fresh one and returns its path.
pub(super) async fn insert_link(
    tx: &mut Write,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<String, AccountsError> {
    let token = crypto::random_b64(32);
    sqlx::query("DELETE FROM password_links WHERE user_id = $1").bind(user).execute(&mut **tx).await?;
    sqlx::query("INSERT INTO password_links (token_hash, user_id, expires_at) VALUES ($1, $2, $3)")
        .bind(crypto::sha256_hex(&token))
        .bind(user)
        .bind(Timestamp::from(now + Duration::hours(LINK_VALID_HOURS)))
        .execute(&mut **tx)
        .await?;
    Ok(format!("/wachtwoord/{token}"))
}

/// A new link for an existing account (a forgotten password); earlier links stop working.
pub async fn new_password_link(
    db: &Db,
    email: &str,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AccountsError> {
    let email = normalise_email(email)?;
    let mut w = db.write().await?;
    let id = super::user_id(&mut w, &email).await?.ok_or(AccountsError::UnknownUser)?;
    let path = insert_link(&mut w, id, now).await?;
    audit::record(&mut w, now, actor, AuditAction::PasswordLinkCreated, email.as_str()).await?;
    w.commit().await?;
    Ok(path)
}

/// The account behind `token`, when the link is live.
pub async fn password_link(
    pool: &Pool,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<LinkInfo>, AccountsError> {
    let link = sqlx::query_as(
        "SELECT u.id, u.email FROM password_links l JOIN users u ON u.id = l.user_id \
         WHERE l.token_hash = $1 AND l.expires_at > $2",
    )
    .bind(crypto::sha256_hex(token))
    .bind(Timestamp::from(now))
    .fetch_optional(pool)
    .await?;
    Ok(link)
}

/// Sets the password through a live link and spends it. Every login session of the account ends,
/// so a reset also throws out whoever knew the old password. Returns the account's e-mail. The
/// link is checked before the password: a wrong link is `InvalidLink` whatever the form says.
pub async fn set_password(
    db: &Db,
    token: &str,
    password: &str,
    repeat: &str,
    now: DateTime<Utc>,
) -> Result<String, AccountsError> {
    let Some(link) = password_link(db.read(), token, now).await? else {
        return Err(AccountsError::InvalidLink);
    };
    check_length(password)?;
    if password != repeat {
        return Err(AccountsError::Mismatch);
    }
    let hash = hash(password.to_owned()).await?;
    let mut w = db.write().await?;
    let spent = sqlx::query("DELETE FROM password_links WHERE token_hash = $1 AND expires_at > $2")
        .bind(crypto::sha256_hex(token))
        .bind(Timestamp::from(now))
        .execute(&mut *w)
        .await?
        .rows_affected();
    if spent == 0 {
        // Used by a second tab in the meantime.
        return Err(AccountsError::InvalidLink);
    }
    super::set_hash(&mut w, link.user, hash).await?;
    super::session::end_all(&mut w, link.user).await?;
    audit::record(&mut w, now, Some(&link.email), AuditAction::PasswordSet, "").await?;
    w.commit().await?;
    Ok(link.email)
}

/// 12 to 128 characters: long enough for a passphrase, short enough that hashing stays cheap.
pub(super) fn check_length(password: &str) -> Result<(), AccountsError> {
    let length = password.chars().count();
    if (12..=128).contains(&length) { Ok(()) } else { Err(AccountsError::WeakPassword) }
}

async fn hash(password: String) -> Result<String, AccountsError> {
    let hashed = tokio::task::spawn_blocking(move || setup::hash_password(&password))
        .await
        .map_err(|e| AccountsError::Hash(e.to_string()))?;
    hashed.map_err(|e| match e {
        SetupError::Hash(text) => AccountsError::Hash(text),
        other => AccountsError::Hash(other.to_string()),
    })
}

/// Whether `password` matches `stored`. Without a usable stored hash (no account, or no password
/// set yet) the password is checked against a dummy hash with the same parameters, so the answer
/// takes as long as for a real account and timing does not tell which addresses exist.
pub(super) async fn verify(password: String, stored: Option<String>) -> bool {
    let outcome = tokio::task::spawn_blocking(move || {
        use argon2::PasswordVerifier;
        let real = stored.filter(|hash| !hash.is_empty());
        let target = real.as_deref().unwrap_or_else(|| dummy_hash());
        let matches = argon2::Argon2::default().verify_password(password.as_bytes(), target).is_ok();
        matches && real.is_some()
    })
    .await;
    outcome.unwrap_or(false)
}

/// A stored hash that no password matches, with the parameters real hashes use, made once per
/// process. Checking a password against it costs one argon2 run, as a real account does; its
/// salt and output are random bytes rather than the hash of a random password, because only
/// the parameters decide that cost, and hashing one took an argon2 run at every start.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        use base64::Engine;
        let b64 = |n| base64::engine::general_purpose::STANDARD_NO_PAD.encode(crypto::random_bytes(n));
        let p = argon2::Params::DEFAULT;
        let (salt, output) = (b64(SALT_LEN), b64(argon2::Params::DEFAULT_OUTPUT_LEN));
        format!("$argon2id$v=19$m={},t={},p={}${salt}${output}", p.m_cost(), p.t_cost(), p.p_cost())
    })
}

/// The salt length `setup::hash_password` draws (password-hash's recommended length).
const SALT_LEN: usize = 16;

/// Makes the dummy now, before the first login, so the first unknown address does not pay for it.
pub fn warm_up() {
    let _ = dummy_hash();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_must_be_12_to_128_characters() {
        assert!(check_length("elf tekens.").is_err());
        assert!(check_length("twaalf tekens").is_ok());
        assert!(check_length(&"é".repeat(128)).is_ok());
        assert!(check_length(&"é".repeat(129)).is_err());
    }

    #[test]
    fn the_dummy_hash_has_the_form_and_parameters_of_a_real_one() {
        let real = setup::hash_password("een lange zin als wachtwoord").unwrap();
        let dummy = dummy_hash();
        let head = |hash: &str| hash.rsplitn(3, '$').nth(2).map(str::to_owned);
        assert_eq!(head(dummy), head(&real), "{dummy} against {real}");
        let lengths = |hash: &str| hash.rsplitn(3, '$').take(2).map(str::len).collect::<Vec<_>>();
        assert_eq!(lengths(dummy), lengths(&real), "{dummy} against {real}");
        // Parsed and hashed, not refused unread: only then does it cost what a real hash costs.
        let parsed = argon2::PasswordHash::new(dummy).expect("the dummy parses as a PHC string");
        use argon2::PasswordVerifier;
        let refused = argon2::Argon2::default().verify_password(b"een lange zin als wachtwoord", &parsed);
        assert!(matches!(refused, Err(argon2::password_hash::Error::PasswordInvalid)), "{refused:?}");
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = setup::hash_password("een lange zin als wachtwoord").unwrap();
        assert!(verify("een lange zin als wachtwoord".into(), Some(stored.clone())).await);
        assert!(!verify("een andere zin als wachtwoord".into(), Some(stored)).await);
        assert!(!verify("een lange zin als wachtwoord".into(), Some(String::new())).await);
        assert!(!verify("een lange zin als wachtwoord".into(), None).await);
    }
}
