//! Logging in: the rate limit first (failed attempts per typed address and per client address,
//! counted in the database so that instances share them), then argon2 verification, then a new
//! session. An unknown address costs the same work and gets the same answer as a wrong password.

use chrono::{DateTime, Duration, Utc};
use sqlx::Row;

use super::password::verify;
use super::session::{self, LoginSession};
use super::{AccountsError, Role, UserId};
use crate::audit::{self, AuditAction};
use crate::db::{self, Pool};
use crate::email::EmailAddress;

/// Failed attempts allowed per typed e-mail address within the window.
pub const MAX_FAILURES_PER_EMAIL: i64 = 5;
/// Failed attempts allowed per client address within the window (a practice shares one address).
pub const MAX_FAILURES_PER_IP: i64 = 20;
pub const RATE_WINDOW_MINUTES: i64 = 15;

/// The longest address kept from a failed attempt; anything longer is not an address.
const MAX_EMAIL_CHARS: usize = 254;

/// Checks `email` and `password` and starts a session. `ip` is the client's address as the web
/// edge sees it; it is only counted and written to the audit log. Text that is no address (by
/// the rule accounts are added with) finds no account, and is counted and answered like one.
pub async fn login(
    pool: &Pool,
    email: &str,
    password: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<LoginSession, AccountsError> {
    let typed: String = email.trim().to_lowercase().chars().take(MAX_EMAIL_CHARS).collect();
    let detail = format!("ip {ip}");
    if throttled(pool, &typed, ip, now).await? {
        audit::record(pool, now, Some(&typed), AuditAction::LoginThrottled, &detail).await?;
        return Err(AccountsError::TooManyAttempts);
    }
    let row = match EmailAddress::parse(&typed) {
        Ok(address) => {
            sqlx::query("SELECT id, role, password_hash FROM users WHERE email = $1")
                .bind(address.as_str())
                .fetch_optional(pool)
                .await?
        }
        Err(_) => None,
    };
    let (account, stored) = match row {
        Some(row) => {
            let role: String = row.try_get("role")?;
            let id = UserId(row.try_get("id")?);
            (Some((id, Role::parse(&role).unwrap_or(Role::Werkgroep))), Some(row.try_get("password_hash")?))
        }
        None => (None, None),
    };
    let verified = verify(password.to_owned(), stored).await;
    let Some((id, role)) = account.filter(|_| verified) else {
        let mut tx = pool.begin().await?;
        sqlx::query("INSERT INTO login_attempts (email, ip, at) VALUES ($1, $2, $3)")
            .bind(&typed)
            .bind(ip)
            .bind(db::timestamp(now))
            .execute(&mut *tx)
            .await?;
        audit::record(&mut *tx, now, Some(&typed), AuditAction::LoginFailed, &detail).await?;
        tx.commit().await?;
        return Err(AccountsError::WrongCredentials);
    };
    // A success forgives the address's earlier typos; the client address keeps its count.
    sqlx::query("DELETE FROM login_attempts WHERE email = $1").bind(&typed).execute(pool).await?;
    session::sweep(pool, now).await?;
    let started = session::create(pool, id, typed.clone(), role, now).await?;
    audit::record(pool, now, Some(&typed), AuditAction::Login, &detail).await?;
    Ok(started)
}

/// Whether the address or the client already used up its failed attempts. Old attempts are
/// deleted on the way, which keeps the table at fifteen minutes of failures.
async fn throttled(pool: &Pool, email: &str, ip: &str, now: DateTime<Utc>) -> Result<bool, AccountsError> {
    let since = db::timestamp(now - Duration::minutes(RATE_WINDOW_MINUTES));
    sqlx::query("DELETE FROM login_attempts WHERE at <= $1").bind(&since).execute(pool).await?;
    let by_email: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND at > $2")
            .bind(email)
            .bind(&since)
            .fetch_one(pool)
            .await?;
    if by_email >= MAX_FAILURES_PER_EMAIL {
        return Ok(true);
    }
    let by_ip: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND at > $2")
        .bind(ip)
        .bind(&since)
        .fetch_one(pool)
        .await?;
    Ok(by_ip >= MAX_FAILURES_PER_IP)
}
