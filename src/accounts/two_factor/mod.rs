//! Two-step login for staff accounts: after the password, a six-digit code from an authenticator
//! app (TOTP, RFC 6238), or one of ten single-use recovery codes for a lost phone. Owns enrolling
//! (`enrolment`, then `enable` with a first code), turning it off with a current code (`disable`),
//! an administrator's or the command line's `reset` for someone who lost their phone, and the
//! login's second step (`second_step`).
//!
//! Any account may turn it on. With `require_2fa = true` administrators must: the web guard sends
//! an administrator without it to the enrolment page, and `disable` refuses them. Werkgroep
//! accounts are never forced; they see results above the privacy threshold only.
//!
//! Each code is accepted once: `two_factor.last_step` remembers the step of the last accepted
//! code and a code of that step or an earlier one is refused, even within the clock skew.

mod code;
mod recovery;
mod second_step;

use chrono::{DateTime, Utc};

use super::{AccountsError, Role, UserId, normalise_email};
use crate::audit::{self, AuditAction};
use crate::db::{Db, Pool, Timestamp, Write};

pub use code::RECOVERY_CODES;
pub use second_step::{LoginStep, PENDING_MINUTES, PendingLogin, second_step};
pub(in crate::accounts) use second_step::{enabled, start};

#[derive(Debug, thiserror::Error)]
pub enum TwoFactorError {
    #[error("De code klopt niet. Typ de zes cijfers die de app nu laat zien, of een herstelcode.")]
    WrongCode,
    #[error("Deze code is al gebruikt. Wacht tot de app een nieuwe code laat zien en typ die.")]
    CodeUsed,
    /// The pending login is unknown or older than `PENDING_MINUTES`.
    #[error("Het inloggen duurde te lang of is al afgerond. Log opnieuw in.")]
    Expired,
    #[error("Te veel pogingen. Probeer het over een kwartier opnieuw.")]
    TooManyAttempts,
    #[error("Tweestapsverificatie staat al aan voor dit account.")]
    AlreadyOn,
    #[error("Tweestapsverificatie staat niet aan voor dit account.")]
    NotOn,
    /// `require_2fa = true` and the account is an administrator.
    #[error("Tweestapsverificatie is verplicht voor beheerders; u kunt haar niet uitzetten.")]
    Required,
    #[error("{0}")]
    Accounts(#[from] AccountsError),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

/// Where an account stands, for its own page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TwoFactorState {
    Off,
    On { recovery_left: i64 },
}

/// What the enrolment page shows: the secret three ways (QR code, groups of four, address).
pub struct Enrolment {
    /// The `otpauth://` address, which the QR code holds.
    pub uri: String,
    /// The secret in base32, in groups of four for typing by hand.
    pub secret: String,
}

/// The account's state.
pub async fn state(pool: &Pool, user: UserId) -> Result<TwoFactorState, TwoFactorError> {
    let enabled: Option<Option<String>> =
        sqlx::query_scalar("SELECT enabled_at FROM two_factor WHERE user_id = $1")
            .bind(user)
            .fetch_optional(pool)
            .await?;
    if enabled.flatten().is_none() {
        return Ok(TwoFactorState::Off);
    }
    Ok(TwoFactorState::On { recovery_left: recovery::left(pool, user).await? })
}

/// The secret to enrol with: the one shown before while enrolment was not finished (so a reload
/// shows the same QR code), else a new one. Refused with `AlreadyOn`.
pub async fn enrolment(db: &Db, key: &str, user: UserId, email: &str) -> Result<Enrolment, TwoFactorError> {
    let mut w = db.write().await?;
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT nonce, enabled_at FROM two_factor WHERE user_id = $1")
            .bind(user)
            .fetch_optional(&mut *w)
            .await?;
    let nonce = match row {
        Some((_, Some(_))) => return Err(TwoFactorError::AlreadyOn),
        Some((nonce, None)) => nonce,
        None => {
            let nonce = code::new_nonce();
            sqlx::query("INSERT INTO two_factor (user_id, nonce, last_step) VALUES ($1, $2, 0)")
                .bind(user)
                .bind(&nonce)
                .execute(&mut *w)
                .await?;
            nonce
        }
    };
    w.commit().await?;
    let totp = code::totp(key, &nonce);
    Ok(Enrolment { uri: code::otpauth_uri(&totp, email), secret: code::grouped_secret(&totp) })
}

/// Finishes enrolment with a current `code` and returns the recovery codes, to be shown once.
pub async fn enable(
    db: &Db,
    key: &str,
    user: UserId,
    email: &str,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<Vec<String>, TwoFactorError> {
    let mut w = db.write().await?;
    let row: Option<(String, Option<String>)> =
        sqlx::query_as("SELECT nonce, enabled_at FROM two_factor WHERE user_id = $1")
            .bind(user)
            .fetch_optional(&mut *w)
            .await?;
    let nonce = match row {
        Some((_, Some(_))) => return Err(TwoFactorError::AlreadyOn),
        Some((nonce, None)) => nonce,
        // No secret was shown yet: no code can be right.
        None => return Err(TwoFactorError::WrongCode),
    };
    let step = code::check(&code::totp(key, &nonce), typed, now).ok_or(TwoFactorError::WrongCode)?;
    // The confirming code counts as used: it cannot also log in.
    sqlx::query("UPDATE two_factor SET enabled_at = $1, last_step = $2 WHERE user_id = $3")
        .bind(Timestamp::from(now))
        .bind(step)
        .bind(user)
        .execute(&mut *w)
        .await?;
    let codes = recovery::replace(&mut w, user).await?;
    audit::record(&mut w, now, Some(email), AuditAction::TwoFactorEnabled, "").await?;
    w.commit().await?;
    Ok(codes)
}

/// Turns two-step login off for one's own account with a current code. `required` is whether
/// `require_2fa` holds for this account (an administrator when it is set).
pub async fn disable(
    db: &Db,
    key: &str,
    user: UserId,
    email: &str,
    typed: &str,
    required: bool,
    now: DateTime<Utc>,
) -> Result<(), TwoFactorError> {
    if required {
        return Err(TwoFactorError::Required);
    }
    let mut w = db.write().await?;
    let Some(nonce) = enabled_nonce(&mut w, user).await? else { return Err(TwoFactorError::NotOn) };
    let step = code::check(&code::totp(key, &nonce), typed, now).ok_or(TwoFactorError::WrongCode)?;
    use_step(&mut w, user, step).await?;
    remove_all(&mut w, user).await?;
    audit::record(&mut w, now, Some(email), AuditAction::TwoFactorDisabled, "").await?;
    w.commit().await?;
    Ok(())
}

/// Turns two-step login off for the account `email` (a lost phone), with its recovery codes and
/// any login waiting for its code. `by` is the administrator who did it, `None` on the command
/// line. Returns whether it was on; when it was not, nothing is written.
pub async fn reset(
    db: &Db,
    email: &str,
    by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, TwoFactorError> {
    let email = normalise_email(email)?;
    let mut w = db.write().await?;
    let user: Option<UserId> = sqlx::query_scalar("SELECT id FROM users WHERE email = $1")
        .bind(email.as_str())
        .fetch_optional(&mut *w)
        .await?;
    let user = user.ok_or(AccountsError::UnknownUser)?;
    if enabled_nonce(&mut w, user).await?.is_none() {
        return Ok(false);
    }
    remove_all(&mut w, user).await?;
    audit::record(&mut w, now, by, AuditAction::TwoFactorReset, email.as_str()).await?;
    w.commit().await?;
    Ok(true)
}

/// Whether `require_2fa` makes two-step login compulsory for an account with `role`.
pub fn required_for(role: Role, require_2fa: bool) -> bool {
    require_2fa && role == Role::Admin
}

/// The nonce of an account that has two-step login on, read in the caller's transaction.
async fn enabled_nonce(w: &mut Write, user: UserId) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT nonce FROM two_factor WHERE user_id = $1 AND enabled_at IS NOT NULL")
        .bind(user)
        .fetch_optional(&mut **w)
        .await
}

/// Marks `step` used, or `CodeUsed` when it (or a later one) already was. One conditional
/// update, so two requests with the same code cannot both pass.
async fn use_step(w: &mut Write, user: UserId, step: code::Step) -> Result<(), TwoFactorError> {
    let done = sqlx::query("UPDATE two_factor SET last_step = $1 WHERE user_id = $2 AND last_step < $1")
        .bind(step)
        .bind(user)
        .execute(&mut **w)
        .await?;
    if done.rows_affected() == 1 { Ok(()) } else { Err(TwoFactorError::CodeUsed) }
}

/// Everything two-step login keeps for `user`, in the caller's transaction.
async fn remove_all(w: &mut Write, user: UserId) -> Result<(), sqlx::Error> {
    for sql in [
        "DELETE FROM two_factor WHERE user_id = $1",
        "DELETE FROM recovery_codes WHERE user_id = $1",
        "DELETE FROM pending_logins WHERE user_id = $1",
    ] {
        sqlx::query(sql).bind(user).execute(&mut **w).await?;
    }
    Ok(())
}
