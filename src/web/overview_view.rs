//! The werkgroep's start page as template data: every job with its rounds (newest first), then
//! the rounds opened by hand; each with its period, state and response rate.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::results::figures::percent;
use crate::results::labels::Labels;
use crate::results::load::RoundRow;
use crate::results::privacy::{Disclosure, Table};
use crate::results::{Filter, Threshold};
use crate::settings::Settings;

#[derive(Serialize)]
pub struct OverviewRound {
    pub id: i64,
    pub title: String,
    pub part: String,
    /// The wijk's name as people know it ("Havenkwartier" for `haven`).
    pub part_label: String,
    pub period: String,
    pub state: &'static str,
    pub invited: u64,
    /// `None` when fewer than the threshold answered: even that count is not shown.
    pub answered: Option<u64>,
    pub rate: String,
}

#[derive(Serialize)]
pub struct JobGroup {
    /// `None` for rounds opened by hand.
    pub job: Option<String>,
    /// What the werkgroep calls the job: its form's title as its newest round has it.
    pub title: String,
    pub rounds: Vec<OverviewRound>,
}

/// Rounds grouped per job in the order the jobs last ran; hand-opened rounds last.
pub fn overview(
    rows: &[RoundRow],
    settings: &Settings,
    labels: &Labels,
    now: DateTime<Utc>,
) -> Vec<JobGroup> {
    let mut groups: Vec<JobGroup> = Vec::new();
    let mut by_hand = Vec::new();
    for row in rows {
        let shown = answered_shown(row, rows, settings.min_group_size);
        let round = overview_round(row, shown, labels, now);
        match &row.job_id {
            None => by_hand.push(round),
            Some(job) => match groups.iter_mut().find(|g| g.job.as_deref() == Some(job)) {
                Some(group) => group.rounds.push(round),
                // Rows come newest first, so this round's title is the job's current one.
                None => groups.push(JobGroup {
                    job: Some(job.clone()),
                    title: round.title.clone(),
                    rounds: vec![round],
                }),
            },
        }
    }
    if !by_hand.is_empty() {
        groups.push(JobGroup { job: None, title: "Losse rondes".to_string(), rounds: by_hand });
    }
    groups
}

/// Whether a round's answer count may be shown. A per-wijk round is judged with the other wijken
/// of its occurrence, whose counts would otherwise add up to the hidden one.
fn answered_shown(row: &RoundRow, rows: &[RoundRow], configured: u32) -> bool {
    let threshold = Threshold::new(configured, row.min_group_size);
    if row.answered == 0 {
        return true;
    }
    if row.part.is_empty() || row.occurrence.is_none() {
        return row.answered >= u64::from(threshold.0);
    }
    let mut table = Table::default();
    for sibling in rows.iter().filter(|r| r.job_id == row.job_id && r.occurrence == row.occurrence) {
        table.add(&sibling.part, "", sibling.answered);
    }
    Disclosure::new(&table, threshold).allows(&Filter { wijk: Some(row.part.clone()), role: None })
}

fn overview_round(row: &RoundRow, shown: bool, labels: &Labels, now: DateTime<Utc>) -> OverviewRound {
    let answered = shown.then_some(row.answered);
    OverviewRound {
        id: row.id.0,
        title: row.title.clone(),
        part: row.part.clone(),
        part_label: labels.wijk(&row.part),
        period: crate::time::dutch_span(row.opens_at, row.closes_at),
        state: if now < row.opens_at {
            "gepland"
        } else if now < row.closes_at {
            "open"
        } else {
            "gesloten"
        },
        invited: row.invited,
        rate: answered.map(|a| percent(a, row.invited)).unwrap_or_default(),
        answered,
    }
}
