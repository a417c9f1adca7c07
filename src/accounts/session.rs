//! Login sessions. The browser holds a random token; the database holds its SHA-256, the user and
//! a CSRF token. A session ends after `IDLE_MINUTES` without a request or `ABSOLUTE_HOURS` after
//! the login, whichever comes first, and at logout. Nothing lives in process memory, so several
//! instances behind one database share every session.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use super::{AccountsError, Role, UserId};
use crate::audit::{self, AuditAction};
use crate::crypto;
use crate::db::{self, Pool};

/// A session unused this long is over: a shared practice computer left logged in.
pub const IDLE_MINUTES: i64 = 120;
/// No session lasts longer than a working day.
pub const ABSOLUTE_HOURS: i64 = 12;
/// `last_seen_at` is written at most this often, not on every request.
const TOUCH_SECONDS: i64 = 60;

/// A fresh login: `token` goes into the cookie and is never stored.
#[derive(Debug)]
pub struct LoginSession {
    pub token: String,
    pub user: UserId,
    pub email: String,
    pub role: Role,
}

/// The account behind a live session, as a request sees it.
#[derive(Clone, Debug)]
pub struct SessionUser {
    pub user: UserId,
    pub email: String,
    pub role: Role,
    pub csrf: String,
    /// SHA-256 of the cookie's token: enough to end the session, useless to start one.
    pub token_hash: String,
}

/// Stores a new session for `user`.
pub(super) async fn create(
    pool: &Pool,
    user: UserId,
    email: String,
    role: Role,
    now: DateTime<Utc>,
) -> Result<LoginSession, AccountsError> {
    let token = crypto::random_b64(32);
    let at = db::timestamp(now);
    sqlx::query(
        "INSERT INTO login_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(crypto::sha256_hex(&token))
    .bind(user.0)
    .bind(crypto::random_b64(32))
    .bind(at)
    .execute(pool)
    .await?;
    Ok(LoginSession { token, user, email, role })
}

/// The account behind the cookie `token`, if its session is live; refreshes `last_seen_at`.
/// An expired session is deleted on sight.
pub async fn session_user(
    pool: &Pool,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionUser>, AccountsError> {
    let token_hash = crypto::sha256_hex(token);
    let row = sqlx::query(
        "SELECT s.csrf_token, s.created_at, s.last_seen_at, u.id, u.email, u.role \
         FROM login_sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(&token_hash)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let created: String = row.try_get("created_at")?;
    let seen: String = row.try_get("last_seen_at")?;
    let (Some(created), Some(seen)) = (db::parse_timestamp(&created), db::parse_timestamp(&seen)) else {
        return Ok(None);
    };
    if expired(created, seen, now) {
        sqlx::query("DELETE FROM login_sessions WHERE token_hash = $1")
            .bind(&token_hash)
            .execute(pool)
            .await?;
        return Ok(None);
    }
    if now - seen >= Duration::seconds(TOUCH_SECONDS) {
        sqlx::query("UPDATE login_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(db::timestamp(now))
            .bind(&token_hash)
            .execute(pool)
            .await?;
    }
    let role: String = row.try_get("role")?;
    Ok(Some(SessionUser {
        user: UserId(row.try_get("id")?),
        email: row.try_get("email")?,
        role: Role::parse(&role).unwrap_or(Role::Werkgroep),
        csrf: row.try_get("csrf_token")?,
        token_hash,
    }))
}

fn expired(created: DateTime<Utc>, seen: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - seen >= Duration::minutes(IDLE_MINUTES) || now - created >= Duration::hours(ABSOLUTE_HOURS)
}

/// Ends the session with `token_hash` (see `SessionUser`) and records it for `email`.
pub async fn logout(
    pool: &Pool,
    token_hash: &str,
    email: &str,
    now: DateTime<Utc>,
) -> Result<(), AccountsError> {
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM login_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(&mut *tx)
        .await?;
    audit::record(&mut *tx, now, Some(email), AuditAction::Logout, "").await?;
    tx.commit().await?;
    Ok(())
}

/// Removes sessions past either expiry; run at each login so the table does not grow.
pub(super) async fn sweep(pool: &Pool, now: DateTime<Utc>) -> Result<(), AccountsError> {
    sqlx::query("DELETE FROM login_sessions WHERE last_seen_at <= $1 OR created_at <= $2")
        .bind(db::timestamp(now - Duration::minutes(IDLE_MINUTES)))
        .bind(db::timestamp(now - Duration::hours(ABSOLUTE_HOURS)))
        .execute(pool)
        .await?;
    Ok(())
}

/// Compares a posted CSRF token with the session's in time that does not depend on where they
/// first differ.
pub fn csrf_matches(expected: &str, posted: &str) -> bool {
    let (a, b) = (expected.as_bytes(), posted.as_bytes());
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |diff, (x, y)| diff | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_expires_when_idle_or_old() {
        let login = Utc::now();
        assert!(!expired(login, login, login + Duration::minutes(119)));
        assert!(expired(login, login, login + Duration::minutes(120)));
        let busy = login + Duration::hours(12) - Duration::minutes(1);
        assert!(!expired(login, busy, busy));
        assert!(expired(login, busy, login + Duration::hours(12)));
    }

    #[test]
    fn csrf_tokens_match_only_exactly() {
        assert!(csrf_matches("abc", "abc"));
        assert!(!csrf_matches("abc", "abd"));
        assert!(!csrf_matches("abc", "ab"));
        assert!(!csrf_matches("", ""));
    }
}
