//! A person's drafts and identified answers removed on their request (`persons::erase`).
//! Anonymous responses name no invitation, so nothing here can reach them.

use crate::contacts::ContactId;
use crate::db::Write;

/// Deletes the contact's drafts and identified responses in the caller's transaction: (drafts,
/// responses) removed.
pub async fn remove_of_contact(tx: &mut Write, contact: ContactId) -> Result<(u64, u64), sqlx::Error> {
    let drafts = sqlx::query(
        "DELETE FROM drafts WHERE invitation_id IN (SELECT id FROM invitations WHERE contact_id = $1)",
    )
    .bind(contact)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    let responses = sqlx::query(
        "DELETE FROM responses WHERE invitation_id IN (SELECT id FROM invitations WHERE contact_id = $1)",
    )
    .bind(contact)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok((drafts, responses))
}
