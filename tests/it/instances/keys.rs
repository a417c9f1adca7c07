//! One secret key, one login: a session cookie and CSRF token made on one instance are accepted
//! by the others (both live in the shared database, the cookie key is derived from the shared
//! secret), and an instance given another key refuses to start instead of breaking links.

use peil::accounts::{self, Role};

use super::Cluster;
use crate::helpers::PASSWORD;

const ADMIN: &str = "beheer@example.org";

/// GET `path` on `url` with nothing but the session cookie: no jar, so the cookie is the same.
async fn get(client: &reqwest::Client, url: &str, path: &str, cookie: &str) -> (u16, String) {
    let response = client
        .get(format!("{url}{path}"))
        .header("cookie", format!("peil_sessie={cookie}"))
        .send()
        .await
        .expect("GET");
    (response.status().as_u16(), response.text().await.expect("body"))
}

async fn post(client: &reqwest::Client, url: &str, path: &str, cookie: &str, form: &[(&str, &str)]) -> u16 {
    let response = client
        .post(format!("{url}{path}"))
        .header("cookie", format!("peil_sessie={cookie}"))
        .form(form)
        .send()
        .await
        .expect("POST");
    response.status().as_u16()
}

/// The CSRF token in a page's forms.
fn csrf(page: &str) -> String {
    let at = page.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    page[at..].split('"').next().expect("a value").to_owned()
}

async fn users(pool: &peil::db::Pool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await.expect("count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_and_its_csrf_token_from_one_instance_work_on_the_others() {
    let cluster = Cluster::new();
    let pool = cluster.pool().await;
    let db = peil::db::Db::new(pool.clone(), peil::db::Backend::of(&cluster.db.url));
    let link =
        accounts::add_user(&db, ADMIN, Role::Admin, None, chrono::Utc::now()).await.expect("add the admin");
    let token = link.trim_start_matches("/wachtwoord/");
    accounts::set_password(&db, token, PASSWORD, PASSWORD, chrono::Utc::now()).await.expect("password");
    let Ok([a, b, c]) = <[_; 3]>::try_from(cluster.start(3).await) else { panic!("three instances") };
    let client =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");

    let login = client.post(format!("{}/inloggen", a.url)).form(&[("email", ADMIN), ("password", PASSWORD)]);
    let login = login.send().await.expect("log in on A");
    assert_eq!(login.status(), 303, "logged in on {}", a.name);
    let set_cookie = login.headers().get("set-cookie").expect("a cookie").to_str().expect("text").to_owned();
    let cookie = set_cookie.trim_start_matches("peil_sessie=").split(';').next().expect("a value").to_owned();
    let (status, page_a) = get(&client, &a.url, "/beheer", &cookie).await;
    assert_eq!(status, 200);
    let token = csrf(&page_a);

    // B knows the session A made, and puts the same token into its own forms.
    let (status, page_b) = get(&client, &b.url, "/beheer", &cookie).await;
    assert_eq!(status, 200, "{page_b}");
    assert!(page_b.contains(ADMIN), "{page_b}");
    assert_eq!(csrf(&page_b), token);
    // A POST on B with A's token is accepted; the same POST with a made-up token is not.
    let path = "/beheer/gebruikers";
    let wrong = [("email", "werkgroep@example.org"), ("role", "werkgroep"), ("csrf", "verzonnen")];
    assert_eq!(post(&client, &b.url, path, &cookie, &wrong).await, 403);
    assert_eq!(users(&pool).await, 1);
    let right = [("email", "werkgroep@example.org"), ("role", "werkgroep"), ("csrf", &token)];
    assert_eq!(post(&client, &b.url, path, &cookie, &right).await, 200);
    assert_eq!(users(&pool).await, 2);

    // Logging out on C ends the session on every instance.
    assert_eq!(post(&client, &c.url, "/uitloggen", &cookie, &[("csrf", &token)]).await, 303);
    for instance in [&a, &b, &c] {
        let (status, _) = get(&client, &instance.url, "/beheer", &cookie).await;
        assert_eq!(status, 303, "{} sends the logged-out browser to the login page", instance.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_with_another_secret_key_refuses_to_start_on_the_same_database() {
    let cluster = Cluster::new();
    let first = cluster.start(1).await;
    let other_key = peil::crypto::random_b64(48);
    let mut stranger = cluster.spawn_with("stranger", &[("PEIL_SECRET_KEY", &other_key)]);
    let status = stranger.exit_status(30).await;
    assert!(!status.success(), "{status}");
    let log = stranger.log();
    assert!(log.contains("the secret key differs from the one this database is used with"), "{log}");
    assert!(log.contains("peil key adopt"), "{log}");
    assert!(reqwest::get(format!("{}/health", stranger.url)).await.is_err(), "it never listened");

    // The instance with the right key goes on, and another one with that key starts.
    let _second = cluster.start(1).await;
    assert!(reqwest::get(format!("{}/health", first[0].url)).await.is_ok_and(|r| r.status().is_success()));
    let fingerprints: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM key_fingerprint")
        .fetch_one(&cluster.pool().await)
        .await
        .expect("count");
    assert_eq!(fingerprints, 1, "the database keeps the first key's fingerprint");
}
