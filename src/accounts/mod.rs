//! Accounts of the people who work in peil: administrators and werkgroep members. Owns users and
//! their roles, one-time password links (`password`), logging in with its rate limit (`login`)
//! and login sessions with their expiry (`session`). The web guards and the CLI are thin edges
//! over these functions; every change writes its audit row in the same transaction.

mod login;
mod password;
mod session;
pub mod setup;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, AuditAction};
use crate::db::{self, Pool};
use crate::email::EmailAddress;

pub use login::{MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_IP, RATE_WINDOW_MINUTES, login};
pub use password::{LINK_VALID_HOURS, LinkInfo, new_password_link, password_link, set_password, warm_up};
pub use session::{
    ABSOLUTE_HOURS, IDLE_MINUTES, LoginSession, SessionUser, csrf_matches, logout, session_user,
};

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

    /// The Dutch name shown on pages.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "beheerder",
            Role::Werkgroep => "werkgroeplid",
        }
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
    pool: &Pool,
    email: &str,
    role: Role,
    actor: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, AccountsError> {
    let email = normalise_email(email)?;
    let mut tx = pool.begin().await?;
    let taken: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(AccountsError::Duplicate);
    }
    // An empty hash never verifies: the account cannot log in until the link is used.
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO users (email, role, password_hash, created_at) VALUES ($1, $2, '', $3) RETURNING id",
    )
    .bind(email.as_str())
    .bind(role.as_str())
    .bind(db::timestamp(now))
    .fetch_one(&mut *tx)
    .await
    .map_err(|e| if is_unique_violation(&e) { AccountsError::Duplicate } else { AccountsError::Db(e) })?;
    let path = password::insert_link(&mut tx, UserId(id), now).await?;
    audit::record(&mut *tx, now, actor, AuditAction::UserAdded, &format!("{email} als {}", role.as_str()))
        .await?;
    tx.commit().await?;
    Ok(path)
}

/// Every account, oldest first.
pub async fn list_users(pool: &Pool) -> Result<Vec<User>, AccountsError> {
    let rows = sqlx::query("SELECT id, email, role, password_hash, created_at FROM users ORDER BY id")
        .fetch_all(pool)
        .await?;
    let mut users = Vec::with_capacity(rows.len());
    for row in rows {
        let role: String = row.try_get("role")?;
        let hash: String = row.try_get("password_hash")?;
        let created: String = row.try_get("created_at")?;
        users.push(User {
            id: UserId(row.try_get("id")?),
            email: row.try_get("email")?,
            // Only this module writes roles; an unknown one gets the smaller rights.
            role: Role::parse(&role).unwrap_or(Role::Werkgroep),
            has_password: !hash.is_empty(),
            created_at: db::parse_timestamp(&created).unwrap_or_default(),
        });
    }
    Ok(users)
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
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
