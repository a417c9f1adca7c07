//! Fifty people sign up at the same moment for a session of eight seats, their requests spread
//! over three instances: the conditional seat update in the shared database hands out exactly
//! eight seats, and everyone else waits, each at a place of their own.

use chrono::{Duration, Utc};
use futures_util::future::join_all;
use peil::rounds::{self, OpenRequest};

use super::Cluster;
use crate::helpers::repo;
use crate::signup::{poh_contacts, session};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_sign_ups_spread_over_three_instances_fill_eight_seats_exactly() {
    let cluster = Cluster::new();
    let csv = cluster.write("contacts.csv", &poh_contacts(50));
    cluster.run(&["contacts", "import", &csv]);
    let db = cluster.db().await;
    let pool = db.read().clone();
    let forms = peil::forms::load(&repo("forms")).expect("forms");
    let request = OpenRequest {
        form_id: "intervisie".into(),
        roles: vec!["poh-ggz".into()],
        wijken: vec![],
        gemeenten: vec![],
        practices: vec![],
        closes_at: Utc::now() + Duration::days(10),
        anonymous: false,
        occurrence: None,
    };
    let rules = peil::signup::SignupRound {
        sessions: vec![session("s1", 8, Utc::now() + Duration::days(20))],
        cancel_until: Duration::hours(24),
        remind_before: Duration::hours(24),
        open_registration: false,
        registers: vec![],
    };
    let secret = cluster.secret();
    let round = peil::signup::open(&db, &forms, &secret, &request, &rules, chrono::Utc::now())
        .await
        .expect("open the sign-up round")
        .round;
    let links = rounds::links(&pool, &secret, "", round).await.expect("links");
    let paths: Vec<String> = links.into_iter().map(|l| l.url).collect();
    assert_eq!(paths.len(), 50);

    let instances = cluster.start(3).await;
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let form = [("_page", "0"), ("bijeenkomst", "s1"), ("naam_delen", "ja"), ("_nav", "submit")];
    let submissions = paths.iter().enumerate().map(|(i, path)| {
        let url = format!("{}{path}", instances[i % instances.len()].url);
        let request = client.post(url).form(&form);
        async move { request.send().await.expect("POST").status().as_u16() }
    });
    let statuses = join_all(submissions).await;
    assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");

    let seats: Vec<(String, i64)> =
        sqlx::query_as("SELECT status, COUNT(*) FROM seats GROUP BY status ORDER BY status")
            .fetch_all(&pool)
            .await
            .expect("seats");
    assert_eq!(seats, [("confirmed".to_owned(), 8), ("waiting".to_owned(), 42)]);
    let taken: i64 = sqlx::query_scalar("SELECT taken FROM sessions").fetch_one(&pool).await.expect("taken");
    assert_eq!(taken, 8);
    let per_person: Vec<i64> = sqlx::query_scalar("SELECT COUNT(*) FROM seats GROUP BY invitation_id")
        .fetch_all(&pool)
        .await
        .expect("seats per person");
    assert_eq!(per_person, vec![1; 50], "every person has exactly one seat row");

    // Each person's page (read on another instance than the one that took the sign-up) shows
    // a seat or a place on the waiting list; the places are 1 to 42, each once.
    let pages = paths.iter().enumerate().map(|(i, path)| {
        let url = format!("{}{path}", instances[(i + 1) % instances.len()].url);
        // A browser of its own: the link is exchanged for a cookie and a redirect, followed.
        let browser = reqwest::Client::builder().cookie_store(true).build().expect("client");
        async move { browser.get(url).send().await.expect("GET").text().await.expect("page") }
    });
    let mut places = Vec::new();
    let mut confirmed = 0;
    for page in join_all(pages).await {
        if page.contains("U bent aangemeld.") {
            confirmed += 1;
        } else {
            let Some(at) = page.find("op plaats ") else { panic!("neither a seat nor a place in:\n{page}") };
            let at = at + "op plaats ".len();
            let place: u32 = page[at..].split('.').next().and_then(|n| n.parse().ok()).expect("a number");
            places.push(place);
        }
    }
    places.sort_unstable();
    assert_eq!(confirmed, 8);
    assert_eq!(places, (1..=42).collect::<Vec<u32>>());
}
