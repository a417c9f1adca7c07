//! Logging in: the rate limit first, then argon2 verification, then a new session. An unknown
//! address costs the same work and gets the same answer as a wrong password.
//!
//! The limit counts failed attempts in the database, so that instances share them, at three
//! levels: one client on one address (small, so a typist is stopped quickly), one client over
//! all addresses, and one address from all clients together (larger, so that someone else's
//! wrong passwords do not lock the real user out, while guessing one account from many clients
//! stays bounded). Each attempt is recorded in the same write transaction that counts, before its
//! password is checked; otherwise concurrent attempts all count before any is recorded.

use chrono::{DateTime, Duration, Utc};

use super::password::verify;
use super::session;
use super::two_factor::{self, LoginStep};
use super::{AccountsError, Role, UserId};
use crate::audit::{self, AuditAction};
use crate::db::{Backend, Db, Timestamp, Write};
use crate::email::EmailAddress;

/// Failed attempts allowed per typed e-mail address from one client address within the window.
pub const MAX_FAILURES_PER_EMAIL_AND_IP: i64 = 5;
/// Failed attempts allowed per client address within the window (a practice shares one address).
pub const MAX_FAILURES_PER_IP: i64 = 20;
/// Failed attempts allowed per typed e-mail address from all clients together within the window.
pub const MAX_FAILURES_PER_EMAIL: i64 = 50;
pub const RATE_WINDOW_MINUTES: i64 = 15;

/// What is kept of typed text that is no address: it may be a password typed in the wrong field.
pub const NOT_AN_ADDRESS: &str = "(geen geldig e-mailadres)";

/// The longest text looked at as an address; anything longer is not one.
const MAX_EMAIL_CHARS: usize = 254;

/// The account a typed address names, as stored.
#[derive(sqlx::FromRow)]
struct Account {
    id: UserId,
    #[sqlx(try_from = "String")]
    role: Role,
    password_hash: String,
}

/// Checks `email` and `password` and starts a session, or, for an account with two-step login,
/// a pending login that waits for its code (`two_factor::second_step`). `ip` is the client's address as the web
/// edge decides it; it is only counted and written to the audit log. Text that is no address (by
/// the rule accounts are added with) finds no account, is counted and answered like one, and is
/// recorded as `NOT_AN_ADDRESS`, never as typed.
pub async fn login(
    db: &Db,
    email: &str,
    password: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<LoginStep, AccountsError> {
    let capped: String = email.chars().take(MAX_EMAIL_CHARS).collect();
    let address = EmailAddress::parse(&capped).ok();
    let typed = address.as_ref().map_or(NOT_AN_ADDRESS, EmailAddress::as_str);
    let detail = format!("ip {ip}");
    if !reserve(db, typed, ip, now).await? {
        audit::log(db, now, Some(typed), AuditAction::LoginThrottled, &detail).await?;
        return Err(AccountsError::TooManyAttempts);
    }
    let account: Option<Account> = match &address {
        Some(address) => {
            sqlx::query_as("SELECT id, role, password_hash FROM users WHERE email = $1")
                .bind(address.as_str())
                .fetch_optional(db.read())
                .await?
        }
        None => None,
    };
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let verified = verify(password.to_owned(), stored).await;
    let mut w = db.write().await?;
    let Some(account) = account.filter(|_| verified) else {
        // The reserved attempt stays: it is the failure the limit counts.
        audit::record(&mut w, now, Some(typed), AuditAction::LoginFailed, &detail).await?;
        w.commit().await?;
        return Err(AccountsError::WrongCredentials);
    };
    if two_factor::enabled(&mut w, account.id).await? {
        // Not forgiven yet, and this attempt stays counted: otherwise someone who knows the
        // password could reset the limit on codes by typing it again between guesses. The
        // second step forgives once it passes.
        let pending = two_factor::start(&mut w, account.id, now).await?;
        w.commit().await?;
        return Ok(LoginStep::Code(pending));
    }
    // A success forgives this client's typos for the address, this attempt's reservation
    // included. Other clients' failures stay: a guesser is not reset by the real user's login.
    sqlx::query("DELETE FROM login_attempts WHERE email = $1 AND ip = $2")
        .bind(typed)
        .bind(ip)
        .execute(&mut *w)
        .await?;
    session::sweep(&mut w, now).await?;
    let started = session::create(&mut w, account.id, typed.to_owned(), account.role, now).await?;
    audit::record(&mut w, now, Some(typed), AuditAction::Login, &detail).await?;
    w.commit().await?;
    Ok(LoginStep::Done(started))
}

/// Records an attempt on `email` from `ip`, unless one of the limits is used up: then `false`
/// and nothing recorded. Old attempts are deleted on the way, which keeps the table at one window.
pub(super) async fn reserve(
    db: &Db,
    email: &str,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<bool, AccountsError> {
    let mut w = db.write().await?;
    if db.backend() == Backend::Postgres {
        // SQLite's write turn already lets one transaction count at a time. PostgreSQL's would
        // each count without the others' uncommitted rows; this lock (first, so that no weaker
        // lock on the table is held while waiting for it) makes them take turns.
        sqlx::query("LOCK TABLE login_attempts IN SHARE ROW EXCLUSIVE MODE").execute(&mut *w).await?;
    }
    let since = Timestamp::from(now - Duration::minutes(RATE_WINDOW_MINUTES));
    sqlx::query("DELETE FROM login_attempts WHERE at <= $1").bind(since).execute(&mut *w).await?;
    let room = has_room(&mut w, email, ip).await?;
    if room {
        sqlx::query("INSERT INTO login_attempts (email, ip, at) VALUES ($1, $2, $3)")
            .bind(email)
            .bind(ip)
            .bind(Timestamp::from(now))
            .execute(&mut *w)
            .await?;
    }
    w.commit().await?;
    Ok(room)
}

/// Whether every limit has room for one more attempt, counted in the caller's transaction (which
/// has just deleted what fell out of the window).
async fn has_room(w: &mut Write, email: &str, ip: &str) -> Result<bool, sqlx::Error> {
    let (pair, by_ip, by_email): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM login_attempts WHERE email = $1 AND ip = $2), \
                (SELECT COUNT(*) FROM login_attempts WHERE ip = $2), \
                (SELECT COUNT(*) FROM login_attempts WHERE email = $1)",
    )
    .bind(email)
    .bind(ip)
    .fetch_one(&mut **w)
    .await?;
    Ok(pair < MAX_FAILURES_PER_EMAIL_AND_IP
        && by_ip < MAX_FAILURES_PER_IP
        && by_email < MAX_FAILURES_PER_EMAIL)
}
