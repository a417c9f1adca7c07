//! A person's mails removed on their request (`persons::erase`): every row that names one of
//! their invitations or seats, sent or not. Mails already sent are beyond recall; the rows are
//! what peil keeps of them.

use crate::contacts::ContactId;
use crate::db::Write;

/// Removes the contact's mails in the caller's transaction: (how many were still to go, how many
/// in all).
pub async fn remove_for_contact(tx: &mut Write, contact: ContactId) -> Result<(u64, u64), sqlx::Error> {
    let waiting: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM outbox WHERE status IN ('pending', 'sending') \
         AND (invitation_id IN (SELECT id FROM invitations WHERE contact_id = $1) \
         OR seat_id IN (SELECT st.id FROM seats st JOIN invitations i ON i.id = st.invitation_id \
         WHERE i.contact_id = $1))",
    )
    .bind(contact)
    .fetch_one(&mut **tx)
    .await?;
    let all = sqlx::query(
        "DELETE FROM outbox WHERE invitation_id IN (SELECT id FROM invitations WHERE contact_id = $1) \
         OR seat_id IN (SELECT st.id FROM seats st JOIN invitations i ON i.id = st.invitation_id \
         WHERE i.contact_id = $1)",
    )
    .bind(contact)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    Ok((u64::try_from(waiting).unwrap_or(0), all))
}
