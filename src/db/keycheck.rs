//! The secret key as the database remembers it. Personal links and cookies are derived from the
//! key, so every instance on one database must use the same one, and a key changed while rounds
//! are open breaks their links. The first command that needs the key records a fingerprint of it
//! (an HMAC under the key, which does not reveal it); afterwards a different key is refused at
//! start, with what to do, until an operator adopts the new key on purpose.

use chrono::{DateTime, Utc};

use crate::db::{Db, Timestamp};
use crate::settings::Secret;

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error(
        "the secret key differs from the one this database is used with: personal links and logins \
         would not work. Give every instance the same PEIL_SECRET_KEY (or the same data/secret.key); \
         to change the key on purpose, after every round has closed, run `peil key adopt`"
    )]
    Differs,
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
}

fn fingerprint(secret: &Secret) -> String {
    crate::crypto::hmac_b64(secret.expose(), "peil key fingerprint")
}

/// Records `secret` as the database's key if it has none yet, and refuses any other key.
pub async fn check(db: &Db, secret: &Secret, now: DateTime<Utc>) -> Result<(), KeyError> {
    let mine = fingerprint(secret);
    let mut write = db.write().await?;
    sqlx::query(
        "INSERT INTO key_fingerprint (id, fingerprint, recorded_at) VALUES (1, $1, $2) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&mine)
    .bind(Timestamp::from(now))
    .execute(&mut *write)
    .await?;
    let stored: String = sqlx::query_scalar("SELECT fingerprint FROM key_fingerprint WHERE id = 1")
        .fetch_one(&mut *write)
        .await?;
    write.commit().await?;
    if stored == mine { Ok(()) } else { Err(KeyError::Differs) }
}

/// Makes `secret` the database's key from now on. Links of rounds opened before stop working.
pub async fn adopt(db: &Db, secret: &Secret, now: DateTime<Utc>) -> Result<(), KeyError> {
    let mut write = db.write().await?;
    sqlx::query(
        "INSERT INTO key_fingerprint (id, fingerprint, recorded_at) VALUES (1, $1, $2) \
         ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, recorded_at = excluded.recorded_at",
    )
    .bind(fingerprint(secret))
    .bind(Timestamp::from(now))
    .execute(&mut *write)
    .await?;
    Ok(write.commit().await?)
}
