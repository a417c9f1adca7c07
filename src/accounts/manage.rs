//! Removing an account and changing its role, with the one rule that keeps peil manageable:
//! there is always at least one administrator. Both are plain functions that the `/beheer` page
//! and `peil user` call alike.
//!
//! The rule is checked in the same write transaction that makes the change. On SQLite the write
//! transaction already holds the database's only write lock (`BEGIN IMMEDIATE`), so a second
//! change waits and then counts what the first left. On PostgreSQL two transactions would each
//! count the other's administrator as still there and both demote; so every change first locks
//! the administrators' rows (`FOR UPDATE`, in id order), and the second waits, then re-reads
//! those rows and sees one fewer.
//!
//! Removing ends the account's login sessions and password links in that transaction, so its
//! cookie finds no session on its next request. A new role is not copied into sessions: each
//! request reads the role from `users` through its session, so the new role holds from the
//! account's next request on, without logging it out.

use chrono::{DateTime, Utc};

use super::{AccountsError, Role, UserId, normalise_email};
use crate::audit::{self, AuditAction};
use crate::db::{Backend, Db, Write};
use crate::email::EmailAddress;

/// Removes the account `email`: its sessions and password links end at once, and it can no longer
/// log in. `by` is the administrator who did it (`None` on the command line). Refused with
/// `LastAdmin` for the only administrator, oneself included.
pub async fn remove(db: &Db, email: &str, by: Option<&str>, now: DateTime<Utc>) -> Result<(), AccountsError> {
    let email = normalise_email(email)?;
    let mut w = db.write().await?;
    let admins = lock_admins(db, &mut w).await?;
    let (id, role) = target(db, &mut w, &email).await?;
    if role == Role::Admin && admins.iter().all(|&admin| admin == id) {
        return Err(AccountsError::LastAdmin);
    }
    super::session::end_all(&mut w, id).await?;
    sqlx::query("DELETE FROM password_links WHERE user_id = $1").bind(id).execute(&mut *w).await?;
    sqlx::query("DELETE FROM users WHERE id = $1").bind(id).execute(&mut *w).await?;
    let detail = format!("{email} (was {})", role.as_str());
    audit::record(&mut w, now, by, AuditAction::UserRemoved, &detail).await?;
    w.commit().await?;
    Ok(())
}

/// Gives the account `email` the role `role` and returns the role it had; the same role changes
/// nothing and writes nothing. `by` as for `remove`. Refused with `LastAdmin` when it would leave
/// no administrator.
pub async fn change_role(
    db: &Db,
    email: &str,
    role: Role,
    by: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Role, AccountsError> {
    let email = normalise_email(email)?;
    let mut w = db.write().await?;
    let admins = lock_admins(db, &mut w).await?;
    let (id, before) = target(db, &mut w, &email).await?;
    if before == role {
        return Ok(before);
    }
    if before == Role::Admin && admins.iter().all(|&admin| admin == id) {
        return Err(AccountsError::LastAdmin);
    }
    sqlx::query("UPDATE users SET role = $1 WHERE id = $2")
        .bind(role.as_str())
        .bind(id)
        .execute(&mut *w)
        .await?;
    let detail = format!("{email} van {} naar {}", before.as_str(), role.as_str());
    audit::record(&mut w, now, by, AuditAction::RoleChanged, &detail).await?;
    w.commit().await?;
    Ok(before)
}

/// The administrators, read (and on PostgreSQL locked until the transaction ends) in the caller's
/// transaction, before anything else is read: see the module comment.
async fn lock_admins(db: &Db, w: &mut Write) -> Result<Vec<UserId>, sqlx::Error> {
    let sql = match db.backend() {
        Backend::Postgres => "SELECT id FROM users WHERE role = $1 ORDER BY id FOR UPDATE",
        Backend::Sqlite => "SELECT id FROM users WHERE role = $1 ORDER BY id",
    };
    sqlx::query_scalar(sql).bind(Role::Admin.as_str()).fetch_all(&mut **w).await
}

/// The account `email` with its role, locked on PostgreSQL like the administrators.
async fn target(db: &Db, w: &mut Write, email: &EmailAddress) -> Result<(UserId, Role), AccountsError> {
    let sql = match db.backend() {
        Backend::Postgres => "SELECT id, role FROM users WHERE email = $1 FOR UPDATE",
        Backend::Sqlite => "SELECT id, role FROM users WHERE email = $1",
    };
    let found: Option<(UserId, String)> =
        sqlx::query_as(sql).bind(email.as_str()).fetch_optional(&mut **w).await?;
    let (id, role) = found.ok_or(AccountsError::UnknownUser)?;
    Ok((id, Role::from(role)))
}
