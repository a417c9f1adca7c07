//! `peil schedule`'s line for a per-wijk job: how many wijken its rounds can be expected to show
//! at the current contact numbers (`results::feasibility`). Read from the database when there
//! is one; a listing without a database (a fresh checkout, CI) says so rather than creating it.

use crate::jobs::Jobs;
use crate::results::{Threshold, feasibility};
use crate::settings::Settings;

/// The line per per-wijk job, by job id: "bij 60% respons zijn ... (k = 5)".
pub(super) async fn per_wijk(
    settings: &Settings,
    jobs: &Jobs,
    forms: &crate::forms::Forms,
) -> Vec<(String, String)> {
    let per_wijk: Vec<_> = jobs.jobs.iter().filter(|j| j.audience.per_wijk).collect();
    if per_wijk.is_empty() {
        return Vec::new();
    }
    let unknown =
        |why: &str| per_wijk.iter().map(|j| (j.id.clone(), format!("niet te schatten: {why}"))).collect();
    if !crate::db::exists(&settings.database_url) {
        return unknown("nog geen database");
    }
    let db = match crate::db::Db::connect(&settings.database_url).await {
        Ok(db) => db,
        Err(e) => return unknown(&e.to_string()),
    };
    let mut lines = Vec::new();
    for job in per_wijk {
        let minimum = forms.get(&job.form).and_then(|f| f.min_group_size);
        let threshold = Threshold::new(settings.min_group_size, minimum);
        let line = match crate::schedule::contacts_per_wijk(db.read(), job).await {
            Ok(invited) => feasibility::expect(&invited, feasibility::ASSUMED_RESPONSE, threshold).sentence(),
            Err(e) => format!("niet te schatten: {e}"),
        };
        lines.push((job.id.clone(), line));
    }
    lines
}
