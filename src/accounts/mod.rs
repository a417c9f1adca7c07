//! Accounts of the people who work in peil: administrators and werkgroep members. Owns users and
//! their roles, one-time password links (`password`), logging in with its rate limit (`login`),
//! login sessions with their expiry (`session`), and removing accounts and changing roles without
//! ever leaving no administrator (`manage`), and the optional two-step login with an
//! authenticator app (`two_factor`). The web guards and the CLI are thin edges
//! over these functions; every change writes its audit row in the same transaction.

mod login;
mod manage;
mod password;
mod session;
pub mod setup;
pub mod two_factor;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::audit::{self, AuditAction};
use crate::db::{Db, Pool, Timestamp, Write};
use crate::email::EmailAddress;

pub use login::{
    MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_EMAIL_AND_IP, MAX_FAILURES_PER_IP, NOT_AN_ADDRESS,
    RATE_WINDOW_MINUTES, login,
};
pub use manage::{change_role, remove};
pub use password::{LINK_VALID_HOURS, LinkInfo, new_password_link, password_link, set_password, warm_up};
pub use session::{
    ABSOLUTE_HOURS, IDLE_MINUTES, LoginSession, SessionUser, csrf_matches, logout, session_user,
};
pub use two_factor::{LoginStep, TwoFactorError};

crate::db::id!(
    /// A row of `users`.
    UserId
);

/// What an account may do. Administrators manage accounts and see everything; werkgroep members
/// see the results of their working group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Admin,
    Werkgroep,
}

impl Role {
    /// As stored in `users.role` and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Werkgroep => "werkgroep",
        }
    }

    pub fn parse(text: &str) -> Option<Role> {
        match text {
            "admin" => Some(Role::Admin),
            "werkgroep" => Some(Role::Werkgroep),
            _ => None,
        }
    }

    /// As read from `users.role`. Only this module writes roles; an unknown one (written by a
    /// newer version) gets the smaller rights rather than locking its account out.
    fn stored(text: &str) -> Role {
        Role::parse(text).unwrap_or(Role::Werkgroep)
    }

    /// The Dutch name shown on pages.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "beheerder",
            Role::Werkgroep => "werkgroeplid",
        }
    }
}

impl From<String> for Role {
    fn from(text: String) -> Role {
        Role::stored(&text)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    #[error("Vul een geldig e-mailadres in.")]
    BadEmail,
    #[error("Er is al een account met dit e-mailadres.")]
    Duplicate,
    #[error("Er is geen account met dit e-mailadres.")]
    UnknownUser,
    #[error("Kies een wachtwoord van ten minste 12 en hoogstens 128 tekens.")]
    WeakPassword,
    #[error("De twee wachtwoorden zijn niet gelijk.")]
    Mismatch,
    #[error("this password link is not valid (used, expired or mistyped)")]
    InvalidLink,
    /// The same message for an unknown address and a wrong password: a login form must not tell
    /// which addresses have an account.
    #[error("E-mailadres of wachtwoord klopt niet.")]
    WrongCredentials,
    #[error("Te veel pogingen. Probeer het over een kwartier opnieuw.")]
    TooManyAttempts,
    /// Removing or demoting the only administrator: nobody could manage accounts any more.
    #[error("Er moet altijd ten minste één beheerder zijn. Maak eerst een ander account beheerder.")]
    LastAdmin,
    #[error("could not hash the password: {0}")]
    Hash(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// An account as listed for administrators (never with its hash).
#[derive(Clone, Debug, Serialize)]
pub struct User {
    pub id: UserId,
    pub email: String,
    pub role: Role,
    /// False until the password link has been used.
    pub has_password: bool,
    /// Two-step login is on.
    pub two_factor: bool,
    pub created_at: DateTime<Utc>,
}

/// The address an account is known by, by the rule of every address peil accepts, or `BadEmail`.
pub fn normalise_email(text: &str) -> Result<EmailAddress, AccountsError> {
    EmailAddress::parse(text).map_err(|_| AccountsError::BadEmail)
}

/// Adds an account without a password and returns the path of its one-time password link
/// (`/wachtwoord/<token>`, valid `LINK_VALID_HOURS`). `actor` is the administrator who did it,
/// `None` on the command line.
pub async fn add_user(
    db: &Db,
    email: &str,
    role: Role,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AccountsError> {
    let email = normalise_email(email)?;
    let mut w = db.write().await?;
    if user_id(&mut w, &email).await?.is_some() {
        return Err(AccountsError::Duplicate);
    }
    // An empty hash never verifies: the account cannot log in until the link is used.
    let id = insert_user(&mut w, &email, role, "", now)
        .await
        .map_err(|e| if is_unique_violation(&e) { AccountsError::Duplicate } else { AccountsError::Db(e) })?;
    let path = password::insert_link(&mut w, id, now).await?;
    audit::record(&mut w, now, actor, AuditAction::UserAdded, &format!("{email} als {}", role.as_str()))
        .await?;
    w.commit().await?;
    Ok(path)
}

/// The account with `email`, read in the caller's transaction.
async fn user_id(tx: &mut Write, email: &EmailAddress) -> Result<Option<UserId>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(&mut **tx)
        .await
}

/// Inserts an account in the caller's transaction.
async fn insert_user(
    tx: &mut Write,
    email: &EmailAddress,
    role: Role,
    hash: &str,
    now: DateTime<Utc>,
) -> Result<UserId, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (email, role, password_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(email.as_str())
    .bind(role.as_str())
    .bind(hash.to_owned())
    .bind(Timestamp::from(now))
    .fetch_one(&mut **tx)
    .await
}

/// Sets an account's password hash in the caller's transaction.
async fn set_hash(tx: &mut Write, user: UserId, hash: String) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(hash)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// `User` as stored.
#[derive(sqlx::FromRow)]
struct UserRow {
    id: UserId,
    email: String,
    #[sqlx(try_from = "String")]
    role: Role,
    password_hash: String,
    created_at: Timestamp,
    /// `two_factor.enabled_at`: NULL while two-step login is off or unfinished.
    enabled_at: Option<String>,
}

/// Every account, oldest first. A `created_at` that is not a stored moment is an error, not 1970.
pub async fn list_users(pool: &Pool) -> Result<Vec<User>, AccountsError> {
    let rows: Vec<UserRow> = sqlx::query_as(
        "SELECT u.id, u.email, u.role, u.password_hash, u.created_at, t.enabled_at \
         FROM users u LEFT JOIN two_factor t ON t.user_id = u.id ORDER BY u.id",
    )
    .fetch_all(pool)
    .await?;
    let users = rows.into_iter().map(|row| User {
        id: row.id,
        email: row.email,
        role: row.role,
        has_password: !row.password_hash.is_empty(),
        two_factor: row.enabled_at.is_some(),
        created_at: row.created_at.at(),
    });
    Ok(users.collect())
}

/// The account with `email` (as typed: it is normalised first), if there is one.
pub async fn find_user(pool: &Pool, email: &str) -> Result<Option<User>, AccountsError> {
    let Ok(email) = normalise_email(email) else { return Ok(None) };
    Ok(list_users(pool).await?.into_iter().find(|user| user.email == email.as_str()))
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Forgets the failed logins typed with `email`, in the caller's transaction (the person's
/// erasure, `persons::erase`): the rate limit loses nothing that matters, and the address goes.
pub async fn forget_login_attempts(tx: &mut Write, email: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM login_attempts WHERE email = $1")
        .bind(email.to_owned())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Failed logins at or before `cutoff`: older than the rate limit's window, they count for
/// nothing. The rows removed.
pub(crate) async fn remove_login_attempts_before(
    tx: &mut Write,
    cutoff: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM login_attempts WHERE at <= $1")
        .bind(Timestamp::from(cutoff))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_stored_names() {
        for role in [Role::Admin, Role::Werkgroep] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("Admin"), None);
    }

    #[test]
    fn addresses_are_lower_cased_and_checked() {
        assert_eq!(normalise_email("  Anna@Example.ORG ").unwrap().as_str(), "anna@example.org");
        assert!(matches!(normalise_email("anna"), Err(AccountsError::BadEmail)));
        assert!(matches!(normalise_email("admin@localhost"), Err(AccountsError::BadEmail)));
        assert!(matches!(normalise_email("Anna <anna@example.org>"), Err(AccountsError::BadEmail)));
    }
}
