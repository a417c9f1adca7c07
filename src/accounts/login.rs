//! Logging in: the rate limit first (failed attempts per typed address and per client address,
//! counted in the database so that instances share them), then argon2 verification, then a new
//! session. An unknown address costs the same work and gets the same answer as a wrong password.

use chrono::{DateTime, Duration, Utc};

use super::password::verify;
use super::session::{self, LoginSession};
use super::{AccountsError, Role, UserId};
use crate::audit::{self, AuditAction};
use crate::db::{Db, Timestamp};
use crate::email::EmailAddress;

/// Failed attempts allowed per typed e-mail address within the window.
pub const MAX_FAILURES_PER_EMAIL: i64 = 5;
/// Failed attempts allowed per client address within the window (a practice shares one address).
pub const MAX_FAILURES_PER_IP: i64 = 20;
pub const RATE_WINDOW_MINUTES: i64 = 15;

/// The longest address kept from a failed attempt; anything longer is not an address.
const MAX_EMAIL_CHARS: usize = 254;

/// The account a typed address names, as stored.
#[derive(sqlx::FromRow)]
struct Account {
    id: UserId,
    #[sqlx(try_from = "String")]
    role: Role,
    password_hash: String,
}

/// Checks `email` and `password` and starts a session. `ip` is the client's address as the web
/// edge sees it; it is only counted and written to the audit log. Text that is no address (by
/// the rule accounts are added with) finds no account, and is counted and answered like one.
pub async fn login(
    db: &Db,
    email: &str,
    password: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<LoginSession, AccountsError> {
    let typed: String = email.trim().to_lowercase().chars().take(MAX_EMAIL_CHARS).collect();
    let detail = format!("ip {ip}");
    if throttled(db, &typed, ip, now).await? {
        audit::log(db, now, Some(&typed), AuditAction::LoginThrottled, &detail).await?;
        return Err(AccountsError::TooManyAttempts);
    }
    let account: Option<Account> = match EmailAddress::parse(&typed) {
        Ok(address) => {
            sqlx::query_as("SELECT id, role, password_hash FROM users WHERE email = $1")
                .bind(address.as_str())
                .fetch_optional(db.read())
                .await?
        }
        Err(_) => None,
    };
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let verified = verify(password.to_owned(), stored).await;
    let mut w = db.write().await?;
    let Some(account) = account.filter(|_| verified) else {
        sqlx::query("INSERT INTO login_attempts (email, ip, at) VALUES ($1, $2, $3)")
            .bind(&typed)
            .bind(ip)
            .bind(Timestamp::from(now))
            .execute(&mut *w)
            .await?;
        audit::record(&mut w, now, Some(&typed), AuditAction::LoginFailed, &detail).await?;
        w.commit().await?;
        return Err(AccountsError::WrongCredentials);
    };
    // A success forgives the address's earlier typos; the client address keeps its count.
    sqlx::query("DELETE FROM login_attempts WHERE email = $1").bind(&typed).execute(&mut *w).await?;
    session::sweep(&mut w, now).await?;
    let started = session::create(&mut w, account.id, typed.clone(), account.role, now).await?;
    audit::record(&mut w, now, Some(&typed), AuditAction::Login, &detail).await?;
    w.commit().await?;
    Ok(started)
}

/// Whether the address or the client already used up its failed attempts. Old attempts are
/// deleted on the way, which keeps the table at fifteen minutes of failures.
async fn throttled(db: &Db, email: &str, ip: &str, now: DateTime<Utc>) -> Result<bool, AccountsError> {
    let since = Timestamp::from(now - Duration::minutes(RATE_WINDOW_MINUTES));
    let mut w = db.write().await?;
    sqlx::query("DELETE FROM login_attempts WHERE at <= $1").bind(since).execute(&mut *w).await?;
    let by_email: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND at > $2")
            .bind(email)
            .bind(since)
            .fetch_one(&mut *w)
            .await?;
    let by_ip: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND at > $2")
        .bind(ip)
        .bind(since)
        .fetch_one(&mut *w)
        .await?;
    w.commit().await?;
    Ok(by_email >= MAX_FAILURES_PER_EMAIL || by_ip >= MAX_FAILURES_PER_IP)
}
