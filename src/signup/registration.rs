//! Open registration (`/f/<slug>`): someone who read about a sign-up in a newsletter gives their
//! name, address, role and practice. That holds no seat. It makes an invitation whose link is
//! mailed to the address given; only choosing a session through that link takes a seat, so the
//! link is the address's confirmation and nobody can book in someone else's name.

use chrono::{DateTime, Utc};

use super::SignupError;
use crate::db::{self, Pool};
use crate::rounds::{InvitationId, InvitationToken, RoundId, token};
use crate::settings::Secret;

/// At most one registration mail per person per this long, however often the form is posted.
const RESEND_WINDOW: chrono::Duration = chrono::Duration::minutes(10);

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub name: String,
    /// Lower-cased.
    pub email: String,
    pub role: String,
    pub practice: String,
}

/// The round open for registration under `slug`, while it takes sign-ups.
pub async fn round_of(
    pool: &Pool,
    slug: &str,
    now: DateTime<Utc>,
) -> Result<Option<(RoundId, String)>, SignupError> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, title FROM rounds WHERE slug = $1 AND opens_at <= $2 AND closes_at > $2")
            .bind(slug)
            .bind(db::timestamp(now))
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(id, title)| (RoundId(id), title)))
}

/// Registers a person for `round` and queues the mail with their link. A known address keeps
/// its contact as it is (a form cannot rename anyone); a new one becomes a self-registered
/// contact, never part of an audience.
pub async fn register(
    pool: &Pool,
    secret: &Secret,
    round: RoundId,
    person: &Registration,
    now: DateTime<Utc>,
) -> Result<InvitationId, SignupError> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO contacts (email, name, role, practice, self_registered, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 1, $5, $5) ON CONFLICT (email) DO NOTHING",
    )
    .bind(&person.email)
    .bind(&person.name)
    .bind(&person.role)
    .bind(&person.practice)
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let (contact, role, wijk): (i64, String, String) =
        sqlx::query_as("SELECT id, role, wijk FROM contacts WHERE email = $1")
            .bind(&person.email)
            .fetch_one(&mut *tx)
            .await?;
    let nonce = token::new_nonce();
    sqlx::query(
        "INSERT INTO invitations (round_id, contact_id, nonce, token_hash, role, wijk, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (round_id, contact_id) DO NOTHING",
    )
    .bind(round.0)
    .bind(contact)
    .bind(&nonce)
    .bind(InvitationToken::derive(secret, &nonce).hash())
    .bind(role)
    .bind(wijk)
    .bind(db::timestamp(now))
    .execute(&mut *tx)
    .await?;
    let invitation: i64 =
        sqlx::query_scalar("SELECT id FROM invitations WHERE round_id = $1 AND contact_id = $2")
            .bind(round.0)
            .bind(contact)
            .fetch_one(&mut *tx)
            .await?;
    super::queue_registration(&mut tx, InvitationId(invitation), RESEND_WINDOW, now).await?;
    tx.commit().await?;
    Ok(InvitationId(invitation))
}

impl Registration {
    /// An empty form.
    pub fn default_view() -> Registration {
        Registration {
            name: String::new(),
            email: String::new(),
            role: String::new(),
            practice: String::new(),
        }
    }
}
