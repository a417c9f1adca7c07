//! A round at a glance on the round page: the response, what changed most since the job's
//! previous round (only where both rounds may show the group), the lowest-scoring statements.

use peil::accounts::Role;
use peil::forms::Answer;
use peil::rounds::RoundId;

use super::pages::PEILING;
use super::{answers, close, huisartsen, submit};
use crate::helpers::{TestApp, forms_dir};

/// Everyone in `who` (wijk, how many answer, their score) answers `ervaring` with the score and
/// `kanaal` by `channel(i)`.
async fn answer(
    app: &TestApp,
    round: RoundId,
    who: &[(&str, usize, u8)],
    channel: impl Fn(usize) -> &'static str,
) {
    let links = app.links(round).await;
    for (wijk, n, score) in who {
        let mine = links.iter().filter(|l| l.email.ends_with(&format!("@{wijk}.example.org"))).take(*n);
        for (i, link) in mine.enumerate() {
            let given = [
                ("ervaring", Answer::Number(f64::from(*score))),
                ("kanaal", Answer::Text(channel(i).into())),
            ];
            submit(app, round, &link.url, answers(&given)).await;
        }
    }
}

/// Two rounds of one job. The first: noord's 4 answer 1, zuid's 5 and oost's 2 answer 2, all by
/// telephone (noord hidden: 4 is below 5). The second as `pages::closed_round`: 13 answer, mean
/// 40/13, telephone 7 of 13; noord (6) shown.
async fn two_rounds() -> (TestApp, RoundId, tempfile::TempDir) {
    let forms = forms_dir(&[("peiling", PEILING)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&huisartsen(&[("noord", 6), ("zuid", 5), ("oost", 2)])).await;
    let first = app.open_round("peiling", &["huisarts"], false).await;
    answer(&app, first, &[("noord", 4, 1), ("zuid", 5, 2), ("oost", 2, 2)], |_| "telefoon").await;
    close(&app, first, "2026-07-01T07:00:00Z", "2026-07-22T07:00:00Z").await;
    let second = app.open_round("peiling", &["huisarts"], false).await;
    let links = app.links(second).await;
    let scores = [("noord", vec![5, 5, 4, 4, 3, 2]), ("zuid", vec![4, 4, 4, 1, 2]), ("oost", vec![1, 1])];
    for (wijk, wijk_scores) in &scores {
        let mine = links.iter().filter(|l| l.email.ends_with(&format!("@{wijk}.example.org")));
        for (i, (link, score)) in mine.zip(wijk_scores).enumerate() {
            let channel = if i % 2 == 0 { "telefoon" } else { "mail" };
            let given =
                [("ervaring", Answer::Number(f64::from(*score))), ("kanaal", Answer::Text(channel.into()))];
            submit(&app, second, &link.url, answers(&given)).await;
        }
    }
    close(&app, second, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    sqlx::query("UPDATE rounds SET job_id = 'samenwerking' WHERE id IN ($1, $2)")
        .bind(first.0)
        .bind(second.0)
        .execute(&app.pool)
        .await
        .expect("one job");
    (app, second, forms)
}

/// The glance's section of `page`.
fn glance(page: &str) -> &str {
    let start = page.find("class=\"glance\"").unwrap_or_else(|| panic!("a glance: {page}"));
    let end = page[start..].find("</section>").map_or(page.len(), |e| start + e);
    &page[start..end]
}

#[tokio::test]
async fn the_round_page_opens_with_the_response_the_largest_changes_and_the_lowest_statements() {
    let (app, round, _forms) = two_rounds().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = session.get(&format!("/werkgroep/ronde/{}", round.0)).await;
    assert_eq!(status, 200, "{page}");
    let g = glance(&page);
    // Above the first question.
    assert!(page.find("class=\"glance\"") < page.find("id=\"vraag-ervaring\""), "{page}");
    assert!(
        g.contains("<strong>13</strong> respondenten van 13 uitgenodigd: <strong>100%</strong> respons"),
        "{g}"
    );
    // Telephone 11 of 11 → 7 of 13 (46 points), the mean 18/11 → 40/13 (a quarter of the scale).
    let telephone = g.find("% Telefoon <span class=\"was\">100%</span> → <strong>54%</strong> (lager)");
    let mean = g.find("gemiddelde (1–5) <span class=\"was\">1,6</span> → <strong>3,1</strong> (hoger)");
    assert!(telephone.is_some() && mean.is_some() && telephone < mean, "{g}");
    // Agreement: 4 and 5 were given 5 + 2 times of 13.
    assert!(g.contains("De samenwerking met de ggz verloopt goed: gemiddelde 3,1, 54% (zeer) eens"), "{g}");
}

#[tokio::test]
async fn a_group_hidden_in_the_previous_round_is_not_compared_and_a_small_group_gets_no_glance() {
    let (app, round, _forms) = two_rounds().await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (_, noord) = session.get(&format!("/werkgroep/ronde/{}?wijk=noord", round.0)).await;
    let g = glance(&noord);
    assert!(g.contains("<strong>6</strong> respondenten van 6 uitgenodigd"), "{g}");
    assert!(g.contains("Vergelijken met de vorige ronde"), "{g}");
    // Noord's 4 of the first round (all 1) appear nowhere.
    assert!(!g.contains("class=\"was\""), "{g}");
    let (_, zuid) = session.get(&format!("/werkgroep/ronde/{}?wijk=zuid", round.0)).await;
    assert!(!zuid.contains("class=\"glance\""), "{zuid}");
    assert!(!zuid.contains("respondenten van"), "{zuid}");
}
