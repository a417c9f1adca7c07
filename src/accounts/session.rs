//! Login sessions. The browser holds a random token; the database holds its SHA-256, the user and
//! a CSRF token. A session ends after `IDLE_MINUTES` without a request or `ABSOLUTE_HOURS` after
//! the login, whichever comes first, and at logout. Nothing lives in process memory, so several
//! instances behind one database share every session.

use chrono::{DateTime, Duration, Utc};

use super::{AccountsError, Role, UserId};
use crate::audit::{self, AuditAction};
use crate::crypto;
use crate::db::{Db, Timestamp, Write};

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
    /// Whether the account has two-step login on (for `require_2fa`).
    pub two_factor: bool,
}

/// Stores a new session for `user`, in the caller's transaction.
pub(super) async fn create(
    tx: &mut Write,
    user: UserId,
    email: String,
    role: Role,
    now: DateTime<Utc>,
) -> Result<LoginSession, AccountsError> {
    let token = crypto::random_b64(32);
    sqlx::query(
        "INSERT INTO login_sessions (token_hash, user_id, csrf_token, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(crypto::sha256_hex(&token))
    .bind(user)
    .bind(crypto::random_b64(32))
    .bind(Timestamp::from(now))
    .execute(&mut **tx)
    .await?;
    Ok(LoginSession { token, user, email, role })
}

/// A session and its account as stored.
#[derive(sqlx::FromRow)]
struct Live {
    csrf_token: String,
    created_at: Timestamp,
    last_seen_at: Timestamp,
    id: UserId,
    email: String,
    #[sqlx(try_from = "String")]
    role: Role,
    /// `two_factor.enabled_at`, NULL when two-step login is off or unfinished.
    enabled_at: Option<String>,
}

/// The account behind the cookie `token`, if its session is live; refreshes `last_seen_at`.
/// An expired session is deleted on sight. A session whose times are not stored moments is an
/// error (logged by the guard), not a session that never expires or never existed.
pub async fn session_user(
    db: &Db,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionUser>, AccountsError> {
    let token_hash = crypto::sha256_hex(token);
    let live: Option<Live> = sqlx::query_as(
        "SELECT s.csrf_token, s.created_at, s.last_seen_at, u.id, u.email, u.role, t.enabled_at \
         FROM login_sessions s JOIN users u ON u.id = s.user_id \
         LEFT JOIN two_factor t ON t.user_id = u.id WHERE s.token_hash = $1",
    )
    .bind(&token_hash)
    .fetch_optional(db.read())
    .await?;
    let Some(live) = live else { return Ok(None) };
    let (created, seen) = (live.created_at.at(), live.last_seen_at.at());
    if expired(created, seen, now) {
        let mut w = db.write().await?;
        sqlx::query("DELETE FROM login_sessions WHERE token_hash = $1")
            .bind(&token_hash)
            .execute(&mut *w)
            .await?;
        w.commit().await?;
        return Ok(None);
    }
    if now - seen >= Duration::seconds(TOUCH_SECONDS) {
        let mut w = db.write().await?;
        sqlx::query("UPDATE login_sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(Timestamp::from(now))
            .bind(&token_hash)
            .execute(&mut *w)
            .await?;
        w.commit().await?;
    }
    Ok(Some(SessionUser {
        user: live.id,
        email: live.email,
        role: live.role,
        csrf: live.csrf_token,
        token_hash,
        two_factor: live.enabled_at.is_some(),
    }))
}

fn expired(created: DateTime<Utc>, seen: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now - seen >= Duration::minutes(IDLE_MINUTES) || now - created >= Duration::hours(ABSOLUTE_HOURS)
}

/// Ends the session with `token_hash` (see `SessionUser`) and records it for `email`.
pub async fn logout(db: &Db, token_hash: &str, email: &str, now: DateTime<Utc>) -> Result<(), AccountsError> {
    let mut w = db.write().await?;
    sqlx::query("DELETE FROM login_sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *w).await?;
    audit::record(&mut w, now, Some(email), AuditAction::Logout, "").await?;
    w.commit().await?;
    Ok(())
}

/// Ends every session of `user` (a new password), in the caller's transaction.
pub(super) async fn end_all(tx: &mut Write, user: UserId) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_sessions WHERE user_id = $1").bind(user).execute(&mut **tx).await?;
    Ok(())
}

/// Removes sessions past either expiry; run at each login so the table does not grow.
pub(super) async fn sweep(tx: &mut Write, now: DateTime<Utc>) -> Result<(), AccountsError> {
    sqlx::query("DELETE FROM login_sessions WHERE last_seen_at <= $1 OR created_at <= $2")
        .bind(Timestamp::from(now - Duration::minutes(IDLE_MINUTES)))
        .bind(Timestamp::from(now - Duration::hours(ABSOLUTE_HOURS)))
        .execute(&mut **tx)
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
