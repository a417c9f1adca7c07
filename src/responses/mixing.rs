//! Rewriting a round's anonymous responses so that where they lie tells nothing of when they came.
//!
//! On SQLite a new cell is allocated from the top of its page's free area, so the cell offsets of
//! rows inserted at different times give their order; on PostgreSQL every row version carries the
//! id of the transaction that wrote it (`xmin`) and lands where free space was. A release of the
//! pool (see [`super::pool`]) therefore ends by deleting every response of the round and inserting
//! them again in the order of their random ids, in the same transaction: afterwards they share one
//! transaction (which marked no invitation answered) and their places follow a random order.
//!
//! This costs a round's anonymous responses once per release, one release per `min_group_size`
//! submissions: fine for the hundreds a regional round gets (`peil-bench` measures it).

use crate::db::Write;
use crate::rounds::RoundId;

/// Takes the round's lock for the rest of the transaction (PostgreSQL; SQLite's writes are
/// serialised already), so that two submissions or releases of one round queue.
pub async fn lock_round(tx: &mut Write, round: RoundId) -> Result<(), sqlx::Error> {
    if tx.backend_name() == "PostgreSQL" {
        sqlx::query("SELECT id FROM rounds WHERE id = $1 FOR NO KEY UPDATE")
            .bind(round)
            .fetch_optional(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Rewrites every response of anonymous `round` in the order of their ids, in this transaction.
pub async fn mix(tx: &mut Write, round: RoundId) -> Result<(), sqlx::Error> {
    if tx.backend_name() == "PostgreSQL" {
        sqlx::query(
            "WITH moved AS (DELETE FROM responses WHERE round_id = $1 \
               RETURNING id, round_id, invitation_id, answers, wijk, role, submitted_on, updated_at) \
             INSERT INTO responses (id, round_id, invitation_id, answers, wijk, role, submitted_on, updated_at) \
             SELECT id, round_id, invitation_id, answers, wijk, role, submitted_on, updated_at FROM moved ORDER BY id",
        )
        .bind(round)
        .execute(&mut **tx)
        .await?;
        return Ok(());
    }
    // SQLite has no DELETE in a WITH: through a temporary table of this connection (kept in
    // memory, see `db::SQLITE_PRAGMAS`), so the rows never pass through peil one by one.
    for sql in [
        "CREATE TEMP TABLE IF NOT EXISTS mixing \
         (id TEXT, round_id INTEGER, answers TEXT, wijk TEXT, role TEXT, submitted_on TEXT)",
        "DELETE FROM temp.mixing",
        "INSERT INTO temp.mixing SELECT id, round_id, answers, wijk, role, submitted_on \
         FROM responses WHERE round_id = $1",
        "DELETE FROM responses WHERE round_id = $1",
        "INSERT INTO responses (id, round_id, invitation_id, answers, wijk, role, submitted_on) \
         SELECT id, round_id, NULL, answers, wijk, role, submitted_on FROM temp.mixing ORDER BY id",
        "DELETE FROM temp.mixing",
    ] {
        let query = sqlx::query(sql);
        let query = if sql.contains("$1") { query.bind(round) } else { query };
        query.execute(&mut **tx).await?;
    }
    Ok(())
}
