//! The rate limit on open registration. Every registration queues a mail to the address typed
//! in, so the page could be used to send mail in peil's name to a list of addresses; the limit
//! keeps that to a trickle. It counts per client address (ten an hour is more than a practice
//! behind one address needs) and over all clients together (a newsletter brings tens, not
//! hundreds, in an hour). The counts are kept in the database, so that every instance of the
//! service sees the same ones.

use chrono::{DateTime, Duration, Utc};

use crate::db::{Timestamp, Write};
/// The client as the wrong-link limit keeps it: a keyed hash of its address, never the address.
pub use crate::rounds::guesses::Client;

/// Registrations one client may make per window.
pub const PER_CLIENT: i64 = 10;
/// Registrations all clients together may make per window.
pub const GLOBAL: i64 = 200;
pub const WINDOW_MINUTES: i64 = 60;

/// Counts one registration of `client`, in the caller's transaction, unless that would pass a
/// limit: then `false`, and nothing is counted. Registrations older than the window go on the
/// way, which keeps the table at one window of them.
pub async fn take(tx: &mut Write, client: &Client, now: DateTime<Utc>) -> Result<bool, sqlx::Error> {
    let since = Timestamp::from(now - Duration::minutes(WINDOW_MINUTES));
    sqlx::query("DELETE FROM registration_attempts WHERE at <= $1").bind(since).execute(&mut **tx).await?;
    let (theirs, all): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM registration_attempts WHERE client = $1), \
         (SELECT COUNT(*) FROM registration_attempts)",
    )
    .bind(client.as_str())
    .fetch_one(&mut **tx)
    .await?;
    if theirs >= PER_CLIENT || all >= GLOBAL {
        return Ok(false);
    }
    sqlx::query("INSERT INTO registration_attempts (client, at) VALUES ($1, $2)")
        .bind(client.as_str())
        .bind(Timestamp::from(now))
        .execute(&mut **tx)
        .await?;
    Ok(true)
}
