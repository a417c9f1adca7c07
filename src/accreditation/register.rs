//! A register an activity is accredited for, as a job file declares it under
//! `[[accreditation]]` and the round stores it (`rounds.accreditation_json`).

use chrono::{DateTime, Months, Utc};

/// What a register knows a person by, besides voorletters and achternaam.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Asks {
    /// The BIG number (ABC1 in GAIA, KABIZ).
    Big,
    /// The person's own number at this register (the lidnummer of the Kwaliteitsregister
    /// POH-GGZ, a V&VN registratienummer).
    Lidnummer,
}

/// How long after a session the provider has to enter its attendance.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Deadline {
    /// GAIA: within 2 months.
    Months(u32),
    /// Deel A of the Kwaliteitsregister POH-GGZ: within 6 weeks (42 days).
    Days(u32),
    /// No provider enters anything: the participant uploads her own proof (Deel B of the
    /// Kwaliteitsregister POH-GGZ, the intervisie), so nothing is owed on `/beheer`.
    Participant,
}

impl Deadline {
    /// The last moment to enter a session that ended at `ended`; `None` when the participant
    /// enters it herself.
    pub fn due(self, ended: DateTime<Utc>) -> Option<DateTime<Utc>> {
        match self {
            Deadline::Months(n) => Some(ended.checked_add_months(Months::new(n)).unwrap_or(ended)),
            Deadline::Days(n) => Some(ended + chrono::Duration::days(i64::from(n))),
            Deadline::Participant => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Register {
    /// Stable key, also where a person's number is remembered: `kwaliteitsregister-poh-ggz`.
    pub id: String,
    /// As people read it: "Kwaliteitsregister POH-GGZ".
    pub name: String,
    /// The contact roles whose attendance counts in this register; empty means every role.
    pub roles: Vec<String>,
    pub asks: Asks,
    /// One line of the register's import field, `{nummer}` standing for the number:
    /// `BIG-{nummer}` for GAIA. The prefix rule differs per register.
    pub format: String,
    pub deadline: Deadline,
}

impl Register {
    pub fn counts_for(&self, role: &str) -> bool {
        self.roles.is_empty() || self.roles.iter().any(|r| r == role)
    }

    /// The line for a person with this number, as the register's import field takes it.
    pub fn line(&self, number: &str) -> String {
        self.format.replace("{nummer}", number)
    }
}

/// The registers round `round` was opened with (none for a round without `[[accreditation]]`
/// or opened before migration 0013). A stored list that no longer reads counts as none, logged.
pub async fn of_round(
    pool: &crate::db::Pool,
    round: crate::rounds::RoundId,
) -> Result<Vec<Register>, sqlx::Error> {
    let json: Option<String> = sqlx::query_scalar("SELECT accreditation_json FROM rounds WHERE id = $1")
        .bind(round)
        .fetch_optional(pool)
        .await?;
    Ok(json.map_or_else(Vec::new, |json| {
        serde_json::from_str(&json).unwrap_or_else(|e| {
            tracing::error!(round = round.0, "the round's stored registers do not read: {e}");
            Vec::new()
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn gaia() -> Register {
        Register {
            id: "abc1".into(),
            name: "ABC1 (GAIA)".into(),
            roles: vec!["huisarts".into()],
            asks: Asks::Big,
            format: "BIG-{nummer}".into(),
            deadline: Deadline::Months(2),
        }
    }

    #[test]
    fn a_line_puts_the_number_in_the_registers_format() {
        assert_eq!(gaia().line("01234567890"), "BIG-01234567890");
    }

    #[test]
    fn deadlines_count_months_or_days_from_the_end_of_the_session() {
        let ended = Utc.with_ymd_and_hms(2027, 3, 9, 20, 30, 0).unwrap();
        assert_eq!(
            Deadline::Months(2).due(ended),
            Some(Utc.with_ymd_and_hms(2027, 5, 9, 20, 30, 0).unwrap())
        );
        assert_eq!(
            Deadline::Days(42).due(ended),
            Some(Utc.with_ymd_and_hms(2027, 4, 20, 20, 30, 0).unwrap())
        );
        assert_eq!(Deadline::Participant.due(ended), None);
    }

    #[test]
    fn a_register_without_roles_counts_for_everyone() {
        assert!(gaia().counts_for("huisarts"));
        assert!(!gaia().counts_for("poh-ggz"));
        assert!(Register { roles: vec![], ..gaia() }.counts_for("poh-ggz"));
    }
}
