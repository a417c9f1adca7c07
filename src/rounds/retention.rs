//! Links ended and failed link attempts removed when their retention term is over
//! (`retention::run`), in the run's transaction (rolled back in a dry run).

use chrono::{DateTime, Utc};

use super::InvitationId;
use crate::db::{Timestamp, Write};

/// Empties `invitation`'s nonce and token hash: the links term is over, so its link stops working.
pub(crate) async fn end_link(tx: &mut Write, invitation: InvitationId) -> Result<(), sqlx::Error> {
    // The column is UNIQUE and NOT NULL: a value no token hashes to (hex has no ':').
    sqlx::query("UPDATE invitations SET nonce = '', token_hash = $2 WHERE id = $1")
        .bind(invitation)
        .bind(format!("expired:{invitation}"))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Failed link attempts at or before `cutoff`: older than the rate limit's window, they count for
/// nothing. The rows removed.
pub(crate) async fn remove_link_failures_before(
    tx: &mut Write,
    cutoff: DateTime<Utc>,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("DELETE FROM link_failures WHERE at <= $1")
        .bind(Timestamp::from(cutoff))
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}
