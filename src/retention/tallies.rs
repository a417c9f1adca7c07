//! `round_tallies`: how many people of each (wijk, role) a round invited and how many answered,
//! for the invitations that are gone. A round's response rates and its job's trends add these to
//! the invitations still there (`results::load`, `rounds::summary`), so removing an invitation,
//! at its retention term or on a person's request, leaves the figures as they were.

use std::collections::BTreeMap;

use crate::db::Write;
use crate::rounds::RoundId;

/// One invitation about to be removed: its round, the wijk and role it was made for, and whether
/// it was answered.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Removed {
    pub round_id: RoundId,
    pub wijk: String,
    pub role: String,
    pub answered: i64,
}

/// Adds `removed` to the tallies of their rounds, in the caller's transaction (before the
/// invitations themselves go).
pub async fn count(tx: &mut Write, removed: &[Removed]) -> Result<(), sqlx::Error> {
    let mut tally: BTreeMap<(RoundId, &str, &str), (i64, i64)> = BTreeMap::new();
    for r in removed {
        let entry = tally.entry((r.round_id, &r.wijk, &r.role)).or_default();
        entry.0 += 1;
        entry.1 += i64::from(r.answered != 0);
    }
    for ((round, wijk, role), (invited, answered)) in tally {
        sqlx::query(
            "INSERT INTO round_tallies (round_id, wijk, role, invited, answered) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (round_id, wijk, role) DO UPDATE \
             SET invited = round_tallies.invited + excluded.invited, \
                 answered = round_tallies.answered + excluded.answered",
        )
        .bind(round)
        .bind(wijk)
        .bind(role)
        .bind(invited)
        .bind(answered)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
