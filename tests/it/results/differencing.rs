//! The werkgroep member who subtracts: the free texts of noord minus those of the huisartsen are
//! noord's POH-GGZ, a group of 3, although noord (12) and the huisartsen (19) each pass the
//! threshold of 5 for counts. Every list a member can open, taken two at a time, must leave no
//! such group by difference or intersection.

use std::collections::BTreeSet;

use peil::accounts::Role;
use peil::forms::Answer;

use super::pages::PEILING;
use super::{answers, close, submit};
use crate::helpers::{TestApp, forms_dir};

/// (wijk, role, people): noord's 3 POH-GGZ are the small group.
const PEOPLE: &[(&str, &str, usize)] =
    &[("noord", "huisarts", 9), ("noord", "poh-ggz", 3), ("zuid", "huisarts", 10), ("zuid", "poh-ggz", 8)];

/// zuid's 3 POH-GGZ are all of zuid; every other wijk-and-role group passes the threshold.
const ZUID_ALL_POH: &[(&str, &str, usize)] = &[
    ("noord", "huisarts", 6),
    ("noord", "poh-ggz", 12),
    ("zuid", "poh-ggz", 3),
    ("oost", "huisarts", 11),
    ("oost", "poh-ggz", 8),
];

fn contacts(people: &[(&str, &str, usize)]) -> String {
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for &(wijk, role, n) in people {
        for i in 0..n {
            csv.push_str(&format!(
                "Mens {wijk} {role} {i};{role}{i}@{wijk}.example.org;{role};P;{wijk};Stad\n"
            ));
        }
    }
    csv
}

/// Everyone answers, each with a text of their own that says who wrote it.
async fn closed_round(people: &[(&str, &str, usize)], anonymous: bool) -> (TestApp, i64, tempfile::TempDir) {
    let forms = forms_dir(&[("peiling", PEILING)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&contacts(people)).await;
    let round = app.open_round("peiling", &["huisarts", "poh-ggz"], anonymous).await;
    for link in app.links(round).await {
        let who = link.email.replace(".example.org", "");
        let given =
            [("ervaring", Answer::Number(3.0)), ("opmerking", Answer::Text(format!("tekst van {who}")))];
        submit(&app, round, &link.url, answers(&given)).await;
    }
    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    (app, round.0, forms)
}

/// The texts a free-text page lists.
fn listed(page: &str) -> BTreeSet<String> {
    // Only the texts' own list: the staff header above it has list items too.
    let Some(list) = page.split(r#"<ul class="free-text">"#).nth(1).and_then(|l| l.split("</ul>").next())
    else {
        return BTreeSet::new();
    };
    list.split("<li>").skip(1).filter_map(|item| item.split("</li>").next()).map(str::to_owned).collect()
}

async fn every_list_by_every_other_leaves_no_small_group(anonymous: bool) {
    let (app, round, _forms) = closed_round(PEOPLE, anonymous).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let queries =
        ["", "?wijk=noord", "?wijk=zuid", "?rol=huisarts", "?rol=poh-ggz", "?wijk=noord&rol=huisarts"];
    let mut lists = Vec::new();
    for query in queries {
        let (status, page) =
            member.get(&format!("/werkgroep/ronde/{round}/vrije-tekst/opmerking{query}")).await;
        assert_eq!(status, 200, "{query}: {page}");
        lists.push((query, listed(&page)));
    }
    assert_eq!(lists[0].1.len(), 30, "everyone's texts are listed for the whole round");
    for (qa, a) in &lists {
        for (qb, b) in &lists {
            for (what, set) in [("minus", a - b), ("and", a & b)] {
                assert!(
                    set.is_empty() || set.len() >= 5,
                    "the texts of {qa:?} {what} those of {qb:?} are {} people: {set:?}",
                    set.len()
                );
            }
        }
    }
}

#[tokio::test]
async fn in_an_identified_round_no_difference_of_two_free_text_lists_gives_a_small_group_away() {
    every_list_by_every_other_leaves_no_small_group(false).await;
}

#[tokio::test]
async fn in_an_anonymous_round_no_difference_of_two_free_text_lists_gives_a_small_group_away() {
    every_list_by_every_other_leaves_no_small_group(true).await;
}

#[tokio::test]
async fn a_list_held_back_says_why_in_dutch() {
    let (app, round, _forms) = closed_round(PEOPLE, false).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (_, noord) = member.get(&format!("/werkgroep/ronde/{round}/vrije-tekst/opmerking?wijk=noord")).await;
    let (_, huisarts) =
        member.get(&format!("/werkgroep/ronde/{round}/vrije-tekst/opmerking?rol=huisarts")).await;
    let held_back =
        [noord, huisarts].into_iter().find(|page| listed(page).is_empty()).expect("one is held back");
    assert!(held_back.contains("zouden ze laten zien wat een kleine groep schreef"), "{held_back}");
}

#[tokio::test]
async fn the_rows_of_the_responses_export_tie_no_small_group_to_a_free_text_list() {
    // A text from a list finds its row in `antwoorden.csv`; the row's wijk and role columns and
    // the lists it appears in must together still only point at groups of 5 or more.
    let (app, round, _forms) = closed_round(ZUID_ALL_POH, false).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let csv = member.get_bytes(&format!("/werkgroep/ronde/{round}/download/antwoorden.csv")).await;
    let csv = String::from_utf8(csv).expect("utf-8");
    // Wijk;Rol;Ingevuld op;ervaring;kanaal;opmerking
    let rows: Vec<(String, String)> = csv
        .lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(';').collect();
            (format!("{}/{}", cells[0], cells[1]), cells[5].to_owned())
        })
        .collect();
    let mut pages = Vec::new();
    for query in ["", "?wijk=noord", "?wijk=oost", "?rol=huisarts", "?rol=poh-ggz"] {
        let (_, page) = member.get(&format!("/werkgroep/ronde/{round}/vrije-tekst/opmerking{query}")).await;
        pages.push(listed(&page));
    }
    let columns: BTreeSet<&String> = rows.iter().map(|(group, _)| group).collect();
    // A row's column, and whether its text is in each of two lists: the attacker's atoms.
    for column in columns {
        for (i, first) in pages.iter().enumerate() {
            for second in &pages[i..] {
                for (in_first, in_second) in [(true, true), (true, false), (false, true), (false, false)] {
                    let n = rows
                        .iter()
                        .filter(|(g, _)| g == column)
                        .filter(|(_, text)| {
                            first.contains(text) == in_first && second.contains(text) == in_second
                        })
                        .count();
                    assert!(n == 0 || n >= 5, "{n} rows of {column} are picked out by two lists");
                }
            }
        }
    }
}

#[tokio::test]
async fn every_view_of_results_and_free_text_is_in_the_audit_log_with_its_group() {
    let (app, round, _forms) = closed_round(PEOPLE, false).await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    member.get(&format!("/werkgroep/ronde/{round}?wijk=noord")).await;
    member.get(&format!("/werkgroep/ronde/{round}/vrije-tekst/opmerking?wijk=noord")).await;
    member.get(&format!("/werkgroep/ronde/{round}/vrije-tekst/opmerking?rol=huisarts")).await;
    let entries: Vec<(String, String)> = sqlx::query_as(
        "SELECT action, detail FROM audit_log WHERE actor = 'lid@example.org' AND action <> 'login' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("audit log");
    let expected = [
        ("results_viewed", format!("ronde {round}, wijk noord")),
        ("free_text_viewed", format!("ronde {round}, vraag opmerking, wijk noord")),
    ];
    for (action, detail) in expected {
        assert!(entries.contains(&(action.to_owned(), detail.clone())), "{action} {detail}: {entries:?}");
    }
}

/// The cells of the response-rate table's row for `group` (the `<th>` text): invited and
/// answered, the latter `None` where it reads "te weinig antwoorden".
fn rate_row(page: &str, group: &str) -> Option<(u64, Option<u64>)> {
    let row = page.split("<tr>").find(|row| row.contains(&format!("<th scope=\"row\">{group}</th>")))?;
    let cells: Vec<&str> =
        row.split("<td class=\"num\">").skip(1).map(|c| c.split("</td>").next().unwrap_or("")).collect();
    Some((cells.first()?.trim().parse().ok()?, cells.get(1).and_then(|c| c.trim().parse().ok())))
}

#[tokio::test]
async fn the_response_rates_give_away_no_hidden_group_by_difference_with_the_total() {
    // Zuid's 2 GPs both answer, in an anonymous round: their responses keep no wijk (2 is under
    // the threshold of 3), so the table of who answered per wijk must not let total minus noord
    // say "2 of zuid's 2 invited answered".
    let forms = forms_dir(&[("peiling", PEILING)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&contacts(&[("noord", "huisarts", 17), ("zuid", "huisarts", 2)])).await;
    let round = app.open_round("peiling", &["huisarts"], true).await;
    let links = app.links(round).await;
    let (zuid, noord): (Vec<_>, Vec<_>) = links.iter().partition(|l| l.email.contains("@zuid."));
    for link in zuid.iter().chain(noord.iter().take(12)) {
        submit(&app, round, &link.url, answers(&[("ervaring", Answer::Number(3.0))])).await;
    }
    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    let session = app.login_as("lid@example.org", Role::Werkgroep).await;
    let (status, page) = session.get(&format!("/werkgroep/ronde/{round}")).await;
    assert_eq!(status, 200, "{page}");

    let (total_invited, total) = rate_row(&page, "Totaal").expect("a total row");
    let (noord_invited, noord) = rate_row(&page, "Noord").expect("a row for noord");
    let (zuid_invited, zuid_shown) = rate_row(&page, "Zuid").expect("a row for zuid");
    assert_eq!((total_invited, noord_invited, zuid_invited), (19, 17, 2));
    assert_eq!(zuid_shown, None, "zuid's own count is too small to show");
    if let (Some(total), Some(noord)) = (total, noord) {
        panic!(
            "total {total} minus noord {noord} gives zuid's hidden count: {} of {zuid_invited}",
            total - noord
        );
    }
}
