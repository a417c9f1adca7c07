//! Anonymous responses on PostgreSQL. There every row carries the id of the transaction that
//! wrote it (`xmin`), and the response, its invitation's "answered" flag and the draft's removal
//! are one transaction (so that nothing is half-stored or stored twice): left alone, the
//! response's `xmin` would equal its invitation's and name the person who sent it, and the table's
//! physical order would follow the order of arrival. So each anonymous submission rewrites all of
//! its round's responses in the same transaction, in the order of their random ids: afterwards
//! every response of the round carries the same `xmin` (shared with the latest submitter's
//! invitation only, and that one could have sent any of them) and they lie in random order.
//! Anonymous submissions of one round queue on a lock of the round's row, so that no two rewrite
//! at the same time and leave one response with a transaction of its own.
//!
//! The rewrite costs a round's anonymous responses once per submission: fine for the hundreds a
//! regional round gets. SQLite needs none of this: its `responses` table has no hidden row
//! counter (`WITHOUT ROWID`) and rows carry no transaction id.

use crate::db::Write;
use crate::rounds::RoundId;

/// Whether submissions on this connection need the mixing (PostgreSQL).
pub fn needed(tx: &mut Write) -> bool {
    tx.backend_name() == "PostgreSQL"
}

/// Takes the round's lock for the rest of the transaction; call before any other write.
pub async fn lock_round(tx: &mut Write, round: RoundId) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT id FROM rounds WHERE id = $1 FOR NO KEY UPDATE")
        .bind(round)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(())
}

/// Rewrites every response of `round` in the order of their ids, in this transaction.
pub async fn mix(tx: &mut Write, round: RoundId) -> Result<(), sqlx::Error> {
    sqlx::query(
        "WITH moved AS (DELETE FROM responses WHERE round_id = $1 \
           RETURNING id, round_id, invitation_id, answers, wijk, role, submitted_on, updated_at) \
         INSERT INTO responses (id, round_id, invitation_id, answers, wijk, role, submitted_on, updated_at) \
         SELECT id, round_id, invitation_id, answers, wijk, role, submitted_on, updated_at FROM moved ORDER BY id",
    )
    .bind(round)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
