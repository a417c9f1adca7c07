//! An insider or outsider who attacks the login: many wrong passwords at once, a lockout of the
//! real user, a made-up `X-Real-IP` to escape the limits, a password typed in the address field,
//! and a return path that broke the redirect. Each test performs the attack over real HTTP.

use std::net::IpAddr;

use futures_util::future::join_all;
use peil::accounts::{
    MAX_FAILURES_PER_EMAIL, MAX_FAILURES_PER_EMAIL_AND_IP, MAX_FAILURES_PER_IP, NOT_AN_ADDRESS, Role,
};
use peil::audit;

use crate::helpers::{PASSWORD, TestApp, location};

const WRONG: &str = "fout fout fout fout";

/// A browser whose connections come from `ip` (any 127.x.y.z reaches the app on loopback), so
/// that tests can be several clients without a proxy.
fn client_from(ip: &str) -> reqwest::Client {
    let ip: IpAddr = ip.parse().expect("an address");
    reqwest::Client::builder()
        .local_address(ip)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

async fn login_with(
    app: &TestApp,
    client: &reqwest::Client,
    headers: &[(&str, &str)],
    fields: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = client.post(format!("{}/inloggen", app.url)).form(fields);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("POST /inloggen")
}

async fn wrong_login(app: &TestApp, client: &reqwest::Client, email: &str) -> u16 {
    login_with(app, client, &[], &[("email", email), ("password", WRONG)]).await.status().as_u16()
}

/// How many of `statuses` had their password checked (422), and how many were refused first (429).
fn checked_and_refused(statuses: &[u16]) -> (usize, usize) {
    let checked = statuses.iter().filter(|s| **s == 422).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!(checked + refused, statuses.len(), "{statuses:?}");
    (checked, refused)
}

#[tokio::test]
async fn forty_concurrent_wrong_passwords_for_one_address_get_no_more_checks_than_the_limit() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Admin).await;
    let client = client_from("127.0.0.1");
    let attempts = (0..40).map(|_| wrong_login(&app, &client, "anna@example.org"));
    let (checked, refused) = checked_and_refused(&join_all(attempts).await);

    let limit = MAX_FAILURES_PER_EMAIL_AND_IP as usize;
    assert!(checked <= limit, "{checked} passwords checked against a limit of {limit}");
    assert_eq!(refused, 40 - checked, "the rest were told 'te veel pogingen'");
    let rows = app.count("SELECT COUNT(*) FROM login_attempts").await;
    assert!(rows <= MAX_FAILURES_PER_EMAIL_AND_IP, "{rows} attempts recorded");
}

#[tokio::test]
async fn forty_concurrent_wrong_logins_from_one_client_get_no_more_checks_than_its_limit() {
    let app = TestApp::spawn().await;
    let client = client_from("127.0.0.1");
    let emails: Vec<String> = (0..40).map(|i| format!("poging{i}@example.org")).collect();
    let attempts = emails.iter().map(|email| wrong_login(&app, &client, email));
    let (checked, _) = checked_and_refused(&join_all(attempts).await);
    assert!(checked <= MAX_FAILURES_PER_IP as usize, "{checked} checked against {MAX_FAILURES_PER_IP}");
}

#[tokio::test]
async fn wrong_passwords_from_one_client_do_not_lock_the_user_out_elsewhere() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Admin).await;
    let attacker = client_from("127.0.0.1");
    for _ in 0..MAX_FAILURES_PER_EMAIL_AND_IP {
        assert_eq!(wrong_login(&app, &attacker, "anna@example.org").await, 422);
    }
    let right = [("email", "anna@example.org"), ("password", PASSWORD)];
    let response = login_with(&app, &attacker, &[], &right).await;
    assert_eq!(response.status(), 429, "the attacker's client is stopped");

    let victim = client_from("127.0.0.2");
    let response = login_with(&app, &victim, &[], &right).await;
    assert_eq!(response.status(), 303, "the real user, from another client, still gets in");
    assert_eq!(location(&response), "/werkgroep");
}

#[tokio::test]
async fn guessing_one_account_from_many_clients_is_still_bounded() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Admin).await;
    let clients: Vec<reqwest::Client> = (2..40).map(|i| client_from(&format!("127.0.1.{i}"))).collect();
    let mut checked = 0;
    for client in &clients {
        for _ in 0..MAX_FAILURES_PER_EMAIL_AND_IP {
            if wrong_login(&app, client, "anna@example.org").await == 422 {
                checked += 1;
            }
        }
    }
    assert_eq!(checked, MAX_FAILURES_PER_EMAIL as usize, "all clients together get the account's limit");
    let fresh = client_from("127.0.2.1");
    assert_eq!(wrong_login(&app, &fresh, "anna@example.org").await, 429);
}

#[tokio::test]
async fn a_made_up_x_real_ip_from_a_client_that_is_no_proxy_does_not_reset_the_limits() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Admin).await;
    let client = client_from("127.0.0.1");
    let mut statuses = Vec::new();
    for i in 0..30 {
        let (forged, email) = (format!("10.0.0.{i}"), format!("poging{i}@example.org"));
        let fields = [("email", email.as_str()), ("password", WRONG)];
        let headers = [("x-real-ip", forged.as_str()), ("x-forwarded-for", forged.as_str())];
        statuses.push(login_with(&app, &client, &headers, &fields).await.status().as_u16());
    }
    let (checked, _) = checked_and_refused(&statuses);
    assert_eq!(checked, MAX_FAILURES_PER_IP as usize, "{statuses:?}");

    // The link limit counts the peer too: thirty wrong links, each with another forged address.
    for i in 0..30 {
        let forged = format!("10.0.1.{i}");
        let path = format!("{}/r/{}", app.url, "A".repeat(43));
        let response = client.get(path).header("x-real-ip", &forged).send().await.unwrap();
        assert_eq!(response.status(), 404);
    }
    let path = format!("{}/r/{}", app.url, "B".repeat(43));
    let response = client.get(path).header("x-real-ip", "10.0.2.1").send().await.unwrap();
    assert_eq!(response.status(), 429, "still the same client");

    let audit = format!("{:?}", audit::list(&app.pool, 100).await.unwrap());
    assert!(!audit.contains("10.0."), "no made-up address in the audit log: {audit}");
    assert!(audit.contains("ip 127.0.0.1"), "{audit}");
}

#[tokio::test]
async fn behind_a_configured_proxy_the_forwarded_address_is_the_client() {
    let app = TestApp::spawn_configured(|settings| {
        settings.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    })
    .await;
    app.create_user("anna@example.org", Role::Admin).await;
    let proxy = client_from("127.0.0.1");
    let fields = [("email", "anna@example.org"), ("password", WRONG)];
    for _ in 0..MAX_FAILURES_PER_EMAIL_AND_IP {
        let response = login_with(&app, &proxy, &[("x-real-ip", "192.0.2.7")], &fields).await;
        assert_eq!(response.status(), 422);
    }
    let response = login_with(&app, &proxy, &[("x-real-ip", "192.0.2.7")], &fields).await;
    assert_eq!(response.status(), 429, "one client behind the proxy");
    let right = [("email", "anna@example.org"), ("password", PASSWORD)];
    let response = login_with(&app, &proxy, &[("x-forwarded-for", "192.0.2.7, 198.51.100.9")], &right).await;
    assert_eq!(response.status(), 303, "another client behind the same proxy");

    let audit = format!("{:?}", audit::list(&app.pool, 100).await.unwrap());
    assert!(audit.contains("ip 192.0.2.7"), "{audit}");
    assert!(audit.contains("ip 198.51.100.9"), "{audit}");
    assert!(!audit.contains("ip 127.0.0.1"), "{audit}");
}

#[tokio::test]
async fn a_password_typed_in_the_address_field_never_reaches_the_audit_log() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("anna@example.org", Role::Admin).await;
    let typed = "Zomer2026!geheim";
    app.post("/inloggen", &[("email", typed), ("password", "wat dan ook")]).await;
    app.post("/inloggen", &[("email", "bram@example.org"), ("password", "wat dan ook")]).await;

    let (status, page) = admin.get("/beheer/gebruikers").await;
    assert_eq!(status, 200);
    assert!(!page.contains("Zomer2026"), "the typed text shows on /beheer");
    assert!(page.contains(NOT_AN_ADDRESS));
    assert!(page.contains("bram@example.org"), "a well-formed address is kept");
    let stored = format!("{:?}", audit::list(&app.pool, 100).await.unwrap());
    assert!(!stored.to_lowercase().contains("zomer2026"), "{stored}");
    let attempts: Vec<String> =
        sqlx::query_scalar("SELECT email FROM login_attempts").fetch_all(&app.pool).await.unwrap();
    assert!(!attempts.iter().any(|a| a.contains("zomer2026")), "{attempts:?}");
}

#[tokio::test]
async fn a_return_path_with_a_space_leads_home_after_the_login() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Admin).await;
    for terug in ["/beheer met spatie", "/beheer?x=a b", "/be\u{a0}heer"] {
        let fields = [("email", "anna@example.org"), ("password", PASSWORD), ("terug", terug)];
        let response = login_with(&app, &client_from("127.0.0.1"), &[], &fields).await;
        assert_eq!(response.status(), 303, "{terug}");
        assert_eq!(location(&response), "/werkgroep", "{terug}");
    }
    let (status, page) = app.get("/inloggen?terug=/beheer%20met%20spatie").await;
    assert_eq!(status, 200);
    assert!(!page.contains("met spatie"));
}
