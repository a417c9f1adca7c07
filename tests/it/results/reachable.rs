//! The werkgroep member who tries everything, on random rounds: every free-text list the
//! member can ask for (the round, each wijk, each role, each wijk and role, whether offered or
//! typed into the address) and the rows of the responses export grouped by their wijk and role
//! columns, taken one, two and three at a time, intersected and subtracted. No set that comes out
//! may hold the texts of fewer than k people (and more than none).

use std::collections::BTreeSet;

use peil::accounts::Role;
use peil::forms::Answer;

use super::pages::PEILING;
use super::{answers, close, submit};
use crate::helpers::{TestApp, forms_dir};

const WIJKEN: [&str; 3] = ["noord", "zuid", "oost"];
const ROLES: [&str; 2] = ["huisarts", "poh-ggz"];
/// PEILING's own min_group_size.
const K: usize = 5;

fn random_below(n: u64) -> u64 {
    u64::from_le_bytes(peil::crypto::random_bytes(8).try_into().expect("8 bytes")) % n
}

/// A random round: 0 to 9 people per wijk and role, everyone answering with a text of their own.
async fn random_round(anonymous: bool) -> (TestApp, i64, tempfile::TempDir, Vec<(String, String, u64)>) {
    let mut cells = Vec::new();
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for wijk in WIJKEN {
        for role in ROLES {
            let n = random_below(10);
            cells.push((wijk.to_owned(), role.to_owned(), n));
            for i in 0..n {
                csv.push_str(&format!(
                    "Mens {wijk} {role} {i};{role}{i}@{wijk}.example.org;{role};P;{wijk};Stad\n"
                ));
            }
        }
    }
    let forms = forms_dir(&[("peiling", PEILING)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(&csv).await;
    let round = app.open_round("peiling", &ROLES, anonymous).await;
    for link in app.links(round).await {
        let text = format!("tekst van {}", link.email.replace(".example.org", ""));
        let given =
            [("ervaring", Answer::Number((1 + random_below(5)) as f64)), ("opmerking", Answer::Text(text))];
        submit(&app, round, &link.url, answers(&given)).await;
    }
    close(&app, round, "2026-10-01T07:00:00Z", "2026-10-22T07:00:00Z").await;
    (app, round.0, forms, cells)
}

fn listed(page: &str) -> BTreeSet<String> {
    // Only the texts' own list: the staff header above it has list items too.
    let Some(list) = page.split(r#"<ul class="free-text">"#).nth(1).and_then(|l| l.split("</ul>").next())
    else {
        return BTreeSet::new();
    };
    list.split("<li>").skip(1).filter_map(|item| item.split("</li>").next()).map(str::to_owned).collect()
}

/// Every set of texts the member can get: free-text pages per group, and the export's rows per
/// value of its wijk column and of its role column.
async fn every_list(app: &TestApp, round: i64) -> Vec<(String, BTreeSet<String>)> {
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let mut queries = vec![String::new()];
    queries.extend(WIJKEN.iter().map(|w| format!("?wijk={w}")));
    queries.extend(ROLES.iter().map(|r| format!("?rol={r}")));
    queries.extend(WIJKEN.iter().flat_map(|w| ROLES.iter().map(move |r| format!("?wijk={w}&rol={r}"))));
    let mut lists = Vec::new();
    for query in queries {
        let (status, page) =
            member.get(&format!("/werkgroep/ronde/{round}/vrije-tekst/opmerking{query}")).await;
        if status == 200 {
            lists.push((format!("vrije tekst{query}"), listed(&page)));
        }
    }
    let (status, csv) = member.get(&format!("/werkgroep/ronde/{round}/download/antwoorden.csv")).await;
    if status == 200 {
        // Wijk;Rol;Ingevuld op;ervaring;kanaal;opmerking
        let rows: Vec<Vec<String>> =
            csv.lines().skip(1).map(|l| l.split(';').map(str::to_owned).collect()).collect();
        for column in [0, 1] {
            let values: BTreeSet<&String> = rows.iter().map(|r| &r[column]).collect();
            for value in values {
                let texts = rows.iter().filter(|r| &r[column] == value).map(|r| r[5].clone()).collect();
                lists.push((format!("export column {column} = {value:?}"), texts));
            }
        }
    }
    lists
}

/// The sets one to three lists cut out of everything listed: each list in or out.
fn atoms_of(lists: &[&BTreeSet<String>], everything: &BTreeSet<String>) -> Vec<BTreeSet<String>> {
    let mut atoms = Vec::new();
    for signs in 1..(1u32 << lists.len()) {
        let atom = everything
            .iter()
            .filter(|text| {
                lists.iter().enumerate().all(|(i, list)| list.contains(*text) == (signs & (1 << i) != 0))
            })
            .cloned()
            .collect();
        atoms.push(atom);
    }
    // And what lies outside all of them.
    atoms.push(everything.iter().filter(|t| lists.iter().all(|l| !l.contains(*t))).cloned().collect());
    atoms
}

async fn no_pair_or_triple_of_lists_gives_a_small_group_away(anonymous: bool) {
    let mut texts_seen = 0;
    for case in 0..4 {
        let (app, round, _forms, cells) = random_round(anonymous).await;
        let lists = every_list(&app, round).await;
        let everything: BTreeSet<String> = lists.iter().flat_map(|(_, l)| l.iter().cloned()).collect();
        texts_seen += everything.len();
        for (a, (na, la)) in lists.iter().enumerate() {
            for (b, (nb, lb)) in lists.iter().enumerate().skip(a) {
                for (nc, lc) in lists.iter().skip(b) {
                    for atom in atoms_of(&[la, lb, lc], &everything) {
                        assert!(
                            atom.is_empty() || atom.len() >= K,
                            "case {case} ({cells:?}, anonymous {anonymous}): {na}, {nb} and {nc} cut out {} \
                             people: {atom:?}",
                            atom.len()
                        );
                    }
                }
            }
        }
    }
    assert!(texts_seen > 0, "four random rounds and not one text shown: the test saw nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_random_identified_rounds_no_pair_or_triple_of_reachable_lists_gives_a_small_group_away() {
    no_pair_or_triple_of_lists_gives_a_small_group_away(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn in_random_anonymous_rounds_no_pair_or_triple_of_reachable_lists_gives_a_small_group_away() {
    no_pair_or_triple_of_lists_gives_a_small_group_away(true).await;
}
