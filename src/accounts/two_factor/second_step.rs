//! The login's second step. A correct password for an account with two-step login on starts a
//! pending login instead of a session: a random token in its own cookie, its SHA-256 in
//! `pending_logins`, valid `PENDING_MINUTES`. It is not a session: no guard reads it, so it opens
//! no page; it only lets `/inloggen/code` finish this one login with a code or a recovery code.
//!
//! Wrong codes count against the same limits as wrong passwords (`login::reserve`, per address
//! and client): six digits are a million guesses, and the limit keeps them to a handful per
//! quarter of an hour.

use chrono::{DateTime, Duration, Utc};

use super::{TwoFactorError, code, recovery, use_step};
use crate::accounts::session::{self, LoginSession};
use crate::accounts::{Role, UserId, login};
use crate::audit::{self, AuditAction};
use crate::crypto;
use crate::db::{Db, Timestamp, Write};

/// How long a correct password waits for its code.
pub const PENDING_MINUTES: i64 = 5;

/// What a correct password leads to.
#[derive(Debug)]
pub enum LoginStep {
    /// Logged in: no second step for this account.
    Done(LoginSession),
    /// The account has two-step login: the code comes next.
    Code(PendingLogin),
}

/// A login waiting for its code: `token` goes into a cookie and is never stored.
#[derive(Debug)]
pub struct PendingLogin {
    pub token: String,
}

/// Whether `user` has two-step login on, read in the caller's transaction.
pub(in crate::accounts) async fn enabled(w: &mut Write, user: UserId) -> Result<bool, sqlx::Error> {
    Ok(super::enabled_nonce(w, user).await?.is_some())
}

/// Starts a pending login for `user`, in the caller's transaction; old ones are swept on the way.
pub(in crate::accounts) async fn start(
    w: &mut Write,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<PendingLogin, sqlx::Error> {
    sqlx::query("DELETE FROM pending_logins WHERE created_at <= $1")
        .bind(Timestamp::from(now - Duration::minutes(PENDING_MINUTES)))
        .execute(&mut **w)
        .await?;
    let token = crypto::random_b64(32);
    sqlx::query("INSERT INTO pending_logins (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(crypto::sha256_hex(&token))
        .bind(user)
        .bind(Timestamp::from(now))
        .execute(&mut **w)
        .await?;
    Ok(PendingLogin { token })
}

/// A pending login with its account, as stored.
#[derive(sqlx::FromRow)]
struct Pending {
    token_hash: String,
    created_at: Timestamp,
    id: UserId,
    email: String,
    #[sqlx(try_from = "String")]
    role: Role,
    nonce: String,
}

/// How the second step was passed.
enum Passed {
    Code,
    Recovery,
}

/// Finishes the pending login `token` with `typed` (a current code or an unused recovery code)
/// and starts the session. `key` is the instance's secret key, `ip` as for `login`.
pub async fn second_step(
    db: &Db,
    key: &str,
    token: &str,
    typed: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<LoginSession, TwoFactorError> {
    let pending = find(db, token, now).await?;
    let detail = format!("ip {ip}");
    if !login::reserve(db, &pending.email, ip, now).await? {
        audit::log(db, now, Some(&pending.email), AuditAction::LoginThrottled, &detail).await?;
        return Err(TwoFactorError::TooManyAttempts);
    }
    let mut w = db.write().await?;
    let passed = match pass(&mut w, key, &pending, typed, now).await {
        Ok(passed) => passed,
        Err(e @ (TwoFactorError::WrongCode | TwoFactorError::CodeUsed)) => {
            // Nothing was written but this: the reserved attempt stays and counts.
            let why =
                if matches!(e, TwoFactorError::CodeUsed) { "code al gebruikt" } else { "code klopt niet" };
            let failed = format!("{detail}, {why}");
            audit::record(&mut w, now, Some(&pending.email), AuditAction::TwoFactorFailed, &failed).await?;
            w.commit().await?;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let session = finish(&mut w, &pending, passed, ip, now).await?;
    w.commit().await?;
    Ok(session)
}

/// The pending login `token` with its account, or `Expired` when it is unknown, too old, or its
/// account no longer has two-step login (reset meanwhile).
async fn find(db: &Db, token: &str, now: DateTime<Utc>) -> Result<Pending, TwoFactorError> {
    let pending: Option<Pending> = sqlx::query_as(
        "SELECT p.token_hash, p.created_at, u.id, u.email, u.role, t.nonce FROM pending_logins p \
         JOIN users u ON u.id = p.user_id \
         JOIN two_factor t ON t.user_id = u.id AND t.enabled_at IS NOT NULL \
         WHERE p.token_hash = $1",
    )
    .bind(crypto::sha256_hex(token))
    .fetch_optional(db.read())
    .await?;
    let pending = pending.ok_or(TwoFactorError::Expired)?;
    if now - pending.created_at.at() >= Duration::minutes(PENDING_MINUTES) {
        let mut w = db.write().await?;
        sqlx::query("DELETE FROM pending_logins WHERE token_hash = $1")
            .bind(&pending.token_hash)
            .execute(&mut *w)
            .await?;
        w.commit().await?;
        return Err(TwoFactorError::Expired);
    }
    Ok(pending)
}

/// Checks `typed`: six digits as a code of the current step (give or take one) not used before,
/// anything else as a recovery code. Writes only when it passes.
async fn pass(
    w: &mut Write,
    key: &str,
    pending: &Pending,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Passed, TwoFactorError> {
    let totp = code::totp(key, &pending.nonce);
    if let Some(step) = code::check(&totp, typed, now) {
        use_step(w, pending.id, step).await?;
        return Ok(Passed::Code);
    }
    if recovery::consume(w, pending.id, typed, now).await? {
        return Ok(Passed::Recovery);
    }
    Err(TwoFactorError::WrongCode)
}

/// Ends the pending login and starts the session, in the caller's transaction.
async fn finish(
    w: &mut Write,
    pending: &Pending,
    passed: Passed,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<LoginSession, TwoFactorError> {
    let detail = format!("ip {ip}");
    sqlx::query("DELETE FROM pending_logins WHERE token_hash = $1")
        .bind(&pending.token_hash)
        .execute(&mut **w)
        .await?;
    // As after a password: this client's typos for the address are forgiven.
    sqlx::query("DELETE FROM login_attempts WHERE email = $1 AND ip = $2")
        .bind(&pending.email)
        .bind(ip)
        .execute(&mut **w)
        .await?;
    let email = Some(pending.email.as_str());
    let how = match passed {
        Passed::Code => "met code",
        Passed::Recovery => {
            let left = recovery::left_in(w, pending.id).await?;
            let told = format!("{detail}, nog {left} over");
            audit::record(w, now, email, AuditAction::RecoveryCodeUsed, &told).await?;
            "met herstelcode"
        }
    };
    session::sweep(w, now).await?;
    let started = session::create(w, pending.id, pending.email.clone(), pending.role, now).await?;
    audit::record(w, now, email, AuditAction::Login, &format!("{detail}, {how}")).await?;
    Ok(started)
}
