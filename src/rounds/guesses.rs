//! The rate limit on guessing personal links. A token has 256 random bits, so guessing cannot
//! succeed anyway; the limit makes trying expensive and visible. Misses are counted per client
//! address in the database, so that every instance sees the same count. Real people click their
//! link and do not miss thirty times in a quarter of an hour, even a whole practice behind one
//! address.

use chrono::{DateTime, Duration, Utc};

use super::{InvitationToken, RoundsError};
use crate::db::{Db, Pool, Timestamp};
use crate::settings::Secret;

/// Links that matched nothing, allowed per client address within the window.
pub const MAX_MISSES: i64 = 30;
pub const WINDOW_MINUTES: i64 = 15;

/// A client address as the limit keeps it: an HMAC under the secret key, so that the table holds
/// no addresses (personal data) and yet the same address counts as the same client.
#[derive(Clone, PartialEq, Eq)]
pub struct Client(String);

impl Client {
    pub fn new(secret: &Secret, address: Option<std::net::IpAddr>) -> Client {
        let address = address.map_or_else(|| "unknown".to_owned(), |ip| ip.to_string());
        Client(crate::crypto::hmac_b64(secret.expose(), &format!("link client {address}")))
    }

    /// The keyed hash, for other limits per client (`signup::limit`) to store.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `client` used up its misses: then no link is looked up for it, found or not.
pub async fn throttled(pool: &Pool, client: &Client, now: DateTime<Utc>) -> Result<bool, RoundsError> {
    let since = Timestamp::from(now - Duration::minutes(WINDOW_MINUTES));
    let misses: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM link_failures WHERE client = $1 AND at > $2")
        .bind(&client.0)
        .bind(since)
        .fetch_one(pool)
        .await?;
    Ok(misses >= MAX_MISSES)
}

/// What a personal link's look-up found, for a caller who may or may not have misses left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The caller used up its misses; the link was not looked up.
    Throttled,
    /// A link of a live invitation.
    Found,
    /// A link that matches no invitation (maybe one whose retention term ended).
    Missing,
}

/// `throttled` and the invitation's existence in one statement, for the exchange of a mailed
/// link: one query where there were two. The invitation is only looked for in the `ELSE`
/// branch, which SQLite and PostgreSQL evaluate only when it is reached (on PostgreSQL the
/// uncorrelated subquery is an init plan, run at its first use), so a throttled caller's link
/// is not looked up at all.
pub async fn look_up(
    pool: &Pool,
    client: &Client,
    token: &InvitationToken,
    now: DateTime<Utc>,
) -> Result<Lookup, RoundsError> {
    let since = Timestamp::from(now - Duration::minutes(WINDOW_MINUTES));
    let found: i64 = sqlx::query_scalar(
        "SELECT CASE WHEN (SELECT COUNT(*) FROM link_failures WHERE client = $1 AND at > $2) >= $3 \
         THEN -1 ELSE (SELECT COUNT(*) FROM invitations WHERE token_hash = $4) END",
    )
    .bind(&client.0)
    .bind(since)
    .bind(MAX_MISSES)
    .bind(token.hash())
    .fetch_one(pool)
    .await?;
    Ok(match found {
        ..0 => Lookup::Throttled,
        0 => Lookup::Missing,
        _ => Lookup::Found,
    })
}

/// Counts a link that matched nothing. Misses older than the window go on the way, which keeps
/// the table at one window of misses.
pub async fn missed(db: &Db, client: &Client, now: DateTime<Utc>) -> Result<(), RoundsError> {
    let since = Timestamp::from(now - Duration::minutes(WINDOW_MINUTES));
    let mut tx = db.write().await?;
    sqlx::query("DELETE FROM link_failures WHERE at <= $1").bind(since).execute(&mut *tx).await?;
    sqlx::query("INSERT INTO link_failures (client, at) VALUES ($1, $2)")
        .bind(&client.0)
        .bind(Timestamp::from(now))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
