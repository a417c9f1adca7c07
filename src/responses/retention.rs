//! Drafts and identified responses removed or made anonymous when their retention term is over
//! (`retention::run`), in the run's transaction (rolled back in a dry run).

use crate::db::Write;
use crate::rounds::RoundId;

/// The drafts of `round`'s invitations: their links have expired (the links term is over). The
/// rows removed.
pub(crate) async fn remove_drafts_of_round(tx: &mut Write, round: RoundId) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM drafts WHERE invitation_id IN (SELECT id FROM invitations WHERE round_id = $1)",
    )
    .bind(round)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

/// Every response of `round`: the responses term is over and the policy says remove. The rows
/// removed.
pub(crate) async fn remove_of_round(tx: &mut Write, round: RoundId) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("DELETE FROM responses WHERE round_id = $1").bind(round).execute(&mut **tx).await?;
    Ok(done.rows_affected())
}

/// Response `id` made anonymous, keeping `answers` and the day `submitted_on`: the responses term
/// is over and the policy says anonymise.
pub(crate) async fn anonymise(
    tx: &mut Write,
    id: &str,
    answers: String,
    submitted_on: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE responses SET invitation_id = NULL, answers = $2, submitted_on = $3, updated_at = NULL \
         WHERE id = $1",
    )
    .bind(id)
    .bind(answers)
    .bind(submitted_on)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
