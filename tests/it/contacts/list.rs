//! `/beheer/contacten`: the list, searched by name, address or practice, filtered by role, wijk,
//! gemeente and opt-out, fifty to a page.

use peil::accounts::Role;

use super::{opt_out, unescape};
use crate::helpers::{Session, TestApp};

/// 120 contacts: `Persoon 000` to `Persoon 119`, every third a POH-GGZ, wijk by turn noord, zuid
/// and none, gemeente Stad or Dorp, practice De Linde for the first ten.
fn many() -> String {
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for i in 0..120 {
        let role = if i % 3 == 0 { "poh-ggz" } else { "huisarts" };
        let wijk = ["noord", "zuid", ""][i % 3];
        let gemeente = if i % 2 == 0 { "Stad" } else { "Dorp" };
        let practice = if i < 10 { "Huisartsen De Linde" } else { "Praktijk" };
        csv.push_str(&format!("Persoon {i:03};p{i:03}@example.org;{role};{practice};{wijk};{gemeente}\n"));
    }
    csv
}

/// The names in the list, in order.
fn names(page: &str) -> Vec<String> {
    unescape(page)
        .split("<td><a href=\"/beheer/contacten/")
        .skip(1)
        .map(|row| {
            row.split("\">").nth(1).and_then(|r| r.split("</a>").next()).unwrap_or_default().to_owned()
        })
        .collect()
}

async fn listed(admin: &Session, query: &str) -> Vec<String> {
    let (status, page) = admin.get(&format!("/beheer/contacten{query}")).await;
    assert_eq!(status, 200, "{query}: {page}");
    names(&page)
}

#[tokio::test]
async fn the_list_comes_fifty_a_page_by_name() {
    let app = TestApp::spawn().await;
    app.import_contacts(&many()).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (_, first) = admin.get("/beheer/contacten").await;
    let first_names = names(&first);
    assert_eq!(first_names.len(), 50);
    assert_eq!(first_names[0], "Persoon 000");
    assert!(first.contains("120 contacten, 1 tot en met 50"), "{first}");
    assert!(unescape(&first).contains("href=\"/beheer/contacten?pagina=2\">Volgende pagina</a>"), "{first}");
    let third = listed(&admin, "?pagina=3").await;
    assert_eq!((third.len(), third[0].as_str()), (20, "Persoon 100"));
}

#[tokio::test]
async fn the_list_is_searched_by_name_address_or_practice() {
    let app = TestApp::spawn().await;
    app.import_contacts(&many()).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    assert_eq!(listed(&admin, "?zoek=persoon+05").await.len(), 10, "by name, in any case");
    assert_eq!(listed(&admin, "?zoek=P117%40example").await, ["Persoon 117"], "by address");
    assert_eq!(listed(&admin, "?zoek=de+linde").await.len(), 10, "by practice");
    assert!(listed(&admin, "?zoek=%25").await.is_empty(), "% is no wildcard");
    let (_, none) = admin.get("/beheer/contacten?zoek=niemand").await;
    assert!(none.contains("Geen contacten die hierbij passen"), "{none}");
}

#[tokio::test]
async fn the_list_is_filtered_by_role_wijk_gemeente_and_opt_out_and_pages_keep_the_filter() {
    let app = TestApp::spawn().await;
    app.import_contacts(&many()).await;
    opt_out(&app, "p003@example.org").await;
    opt_out(&app, "p004@example.org").await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let poh = listed(&admin, "?rol=poh-ggz").await;
    assert_eq!((poh.len(), poh[1].as_str()), (40, "Persoon 003"));
    assert_eq!(listed(&admin, "?wijk=noord&rol=poh-ggz").await.len(), 40, "every POH-GGZ is in noord");
    assert_eq!(listed(&admin, "?wijk=-").await.len(), 40, "without a wijk");
    assert_eq!(listed(&admin, "?wijk=zuid&gemeente=Dorp").await.len(), 20);
    assert_eq!(listed(&admin, "?afgemeld=ja").await, ["Persoon 003", "Persoon 004"]);
    assert_eq!(listed(&admin, "?afgemeld=nee&rol=poh-ggz").await.len(), 39);

    let (_, page) = admin.get("/beheer/contacten?rol=huisarts").await;
    assert!(page.contains("80 contacten, 1 tot en met 50"), "{page}");
    assert!(unescape(&page).contains("href=\"/beheer/contacten?rol=huisarts&pagina=2\""), "{page}");
    assert!(page.contains("<option value=\"huisarts\" selected>Huisarts</option>"), "{page}");
    assert_eq!(listed(&admin, "?rol=huisarts&pagina=2").await.len(), 30);
}
