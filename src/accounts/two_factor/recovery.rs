//! Recovery codes: ten single-use codes handed out when two-step login is turned on, for the day
//! the phone is lost. Only their SHA-256 is stored; they are random (50 bits each), so a plain
//! hash cannot be reversed by guessing, and a login finds one with an indexed look-up.

use chrono::{DateTime, Utc};

use super::code;
use crate::accounts::UserId;
use crate::db::{Pool, Timestamp, Write};

/// Codes of `user` not used yet.
pub(super) async fn left(pool: &Pool, user: UserId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user)
        .fetch_one(pool)
        .await
}

/// Codes of `user` not used yet, counted in the caller's transaction.
pub(super) async fn left_in(w: &mut Write, user: UserId) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL")
        .bind(user)
        .fetch_one(&mut **w)
        .await
}

/// New codes for `user` in place of any earlier ones, in the caller's transaction. The codes are
/// returned once, to be shown; only their hashes stay.
pub(super) async fn replace(w: &mut Write, user: UserId) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user).execute(&mut **w).await?;
    let codes: Vec<String> = (0..code::RECOVERY_CODES).map(|_| code::new_recovery_code()).collect();
    for text in &codes {
        let Some(hash) = code::recovery_hash(text) else { continue };
        sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
            .bind(user)
            .bind(hash)
            .execute(&mut **w)
            .await?;
    }
    Ok(codes)
}

/// Uses the code `typed` of `user` if it is one of theirs and unused: `true` then, and it will not
/// work again. One conditional update, so the same code posted twice at once works once.
pub(super) async fn consume(
    w: &mut Write,
    user: UserId,
    typed: &str,
    now: DateTime<Utc>,
) -> Result<bool, sqlx::Error> {
    let Some(hash) = code::recovery_hash(typed) else { return Ok(false) };
    let done = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(Timestamp::from(now))
    .bind(user)
    .bind(hash)
    .execute(&mut **w)
    .await?;
    Ok(done.rows_affected() == 1)
}
