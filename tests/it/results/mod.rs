//! The werkgroep's result pages against the real app: hand-computed figures, suppression of
//! small groups, escaping of free text, and refusal of anyone not logged in.

mod dates;
mod differencing;
mod export;
mod glance;
mod kept;
mod numbers;
pub(crate) mod pages;
mod per_question;
mod pooled;
mod reachable;
pub(crate) mod readers;
mod report;
mod scales;
mod scenario;
mod stored;

use peil::forms::{Answer, Answers};
use peil::rounds::{self, InvitationToken, RoundId};

use crate::helpers::TestApp;

/// Stores `answers` for the invitation behind `link`, through the same function the answer page
/// uses.
pub async fn submit(app: &TestApp, round: RoundId, link: &str, answers: Answers) {
    let token = InvitationToken::parse(link.rsplit('/').next().expect("token")).expect("token");
    let invitation = rounds::find_invitation(&app.pool, &token).await.expect("lookup").expect("invitation");
    let round = rounds::load(&app.pool, round).await.expect("round");
    peil::responses::submit(&app.db, &app.seal(), &round, &invitation, &answers, 5, app.now())
        .await
        .expect("submit");
}

pub fn answers(pairs: &[(&str, Answer)]) -> Answers {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

/// Moves a round into the past so that it is closed, as the clock would.
pub async fn close(app: &TestApp, round: RoundId, opens: &str, closes: &str) {
    sqlx::query("UPDATE rounds SET opens_at = $1, closes_at = $2 WHERE id = $3")
        .bind(opens)
        .bind(closes)
        .bind(round.0)
        .execute(&app.pool)
        .await
        .expect("close round");
}

/// `n` huisartsen in each given wijk, as a contacts CSV.
pub fn huisartsen(wijken: &[(&str, usize)]) -> String {
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for (wijk, n) in wijken {
        for i in 0..*n {
            csv.push_str(&format!(
                "Arts {wijk} {i};arts{i}@{wijk}.example.org;huisarts;Praktijk {wijk};{wijk};Stad\n"
            ));
        }
    }
    csv
}

/// The table row of `page` from `marker` (a row header, a link) up to the row's end.
pub fn row_from(page: &str, marker: &str) -> String {
    let start = page.find(marker).unwrap_or_else(|| panic!("no row with {marker}: {page}"));
    let end = page[start..].find("</tr>").map_or(page.len(), |e| start + e);
    page[start..end].to_string()
}

/// Tera writes `/` as `&#x2F;` inside HTML text.
pub fn unescape(html: &str) -> String {
    html.replace("&#x2F;", "/").replace("&amp;", "&")
}
