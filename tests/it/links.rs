//! Personal links: exchanged for a cookie so the token leaves the address bar, never sent on as a
//! referrer, and guessing them gets one answer and is throttled long before it could find anything.

use futures_util::future::join_all;
use peil::rounds::guesses::MAX_MISSES;

use crate::helpers::{TestApp, location};

/// The app behind a proxy on loopback (`trusted_proxies`), which names each client in
/// `X-Real-IP`, and the first invited person's link.
async fn app_with_link() -> (TestApp, String) {
    let app =
        TestApp::spawn_configured(|s| s.trusted_proxies = vec![std::net::Ipv4Addr::LOCALHOST.into()]).await;
    app.import_contacts(crate::helpers::CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    let link = app.first_link(round).await;
    (app, link)
}

fn header(response: &reqwest::Response, name: &str) -> String {
    response.headers().get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_personal_link_is_exchanged_for_a_cookie_and_leaves_the_address_bar() {
    let (app, link) = app_with_link().await;
    let token = link.trim_start_matches("/r/");
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let opened = browser.get(format!("{}{link}", app.url)).send().await.unwrap();
    assert_eq!(opened.status(), 303);
    let to = location(&opened);
    let handle = to.strip_prefix("/antwoord/").expect("a page under /antwoord/");
    assert!(handle.len() == 16 && handle.bytes().all(|b| b.is_ascii_hexdigit()), "{to}");
    let cookie = header(&opened, "set-cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", &format!("Path=/antwoord/{handle}")] {
        assert!(cookie.contains(attribute), "{attribute} in {cookie}");
    }
    assert!(
        !cookie.contains(token) && !to.contains(token),
        "the token is neither in the cookie nor the address"
    );

    let page = browser.get(format!("{}{to}", app.url)).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(header(&page, "referrer-policy"), "no-referrer");
    let body = page.text().await.unwrap().replace("&#x2F;", "/");
    assert!(body.contains(&format!(r#"action="{to}""#)), "the form posts to the token-less address");
    assert!(!body.contains(token), "the page does not carry the token");

    // The address copied to someone else (another browser) opens nothing.
    let (status, other) = {
        let r = reqwest::get(format!("{}{to}", app.url)).await.unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    };
    assert_eq!(status, 403);
    assert!(other.contains("Open uw persoonlijke link opnieuw") && !other.contains("risis"), "{other}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_kind_of_response_says_no_referrer() {
    let (app, link) = app_with_link().await;
    let paths =
        [link.as_str(), "/", "/health", "/static/peil.css", "/r/kort", "/niets", "/inloggen", "/werkgroep"];
    for path in paths {
        let response = app.client.get(format!("{}{path}", app.url)).send().await.unwrap();
        assert_eq!(header(&response, "referrer-policy"), "no-referrer", "{path} ({})", response.status());
    }
    let posted =
        app.client.post(format!("{}/inloggen", app.url)).form(&[("email", "x")]).send().await.unwrap();
    assert_eq!(header(&posted, "referrer-policy"), "no-referrer", "POST /inloggen");
}

/// `count` tokens that match nothing: random ones and near misses of `real` (one character off).
fn wrong_tokens(real: &str, count: usize) -> Vec<String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    (0..count)
        .map(|i| {
            let mut token: Vec<u8> =
                if i % 2 == 0 { real.as_bytes().to_vec() } else { peil::crypto::random_b64(32).into_bytes() };
            let at = i % token.len();
            let replacement =
                ALPHABET[(ALPHABET.iter().position(|b| *b == token[at]).unwrap_or(0) + 1 + i % 7) % 64];
            token[at] = replacement;
            String::from_utf8(token).unwrap()
        })
        .filter(|t| t != real)
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_wrong_links_get_one_answer_and_are_throttled_long_before_they_could_find_one() {
    let (app, link) = app_with_link().await;
    let real = link.trim_start_matches("/r/").to_owned();
    let tokens = wrong_tokens(&real, 10_000);
    assert!(tokens.len() > 9_990);
    let mut replies = Vec::new();
    // Eight at a time, all from one client address (as a proxy in front of peil reports it).
    for chunk in tokens.chunks(8) {
        let requests = chunk.iter().map(|token| {
            let request =
                app.client.get(format!("{}/r/{token}", app.url)).header("X-Real-IP", "198.51.100.7");
            async move {
                let response = request.send().await.expect("GET");
                (response.status().as_u16(), response.text().await.expect("body"))
            }
        });
        replies.extend(join_all(requests).await);
    }
    let not_found: Vec<&(u16, String)> = replies.iter().filter(|(s, _)| *s == 404).collect();
    let throttled: Vec<&(u16, String)> = replies.iter().filter(|(s, _)| *s == 429).collect();
    assert_eq!(not_found.len() + throttled.len(), replies.len(), "only 404 and 429");
    // The count is read before the miss is written, so a burst of eight may slip a few past it.
    let allowed = MAX_MISSES as usize;
    assert!((allowed..allowed + 8).contains(&not_found.len()), "{} misses answered", not_found.len());
    assert!(not_found.iter().all(|r| r.1 == not_found[0].1), "every wrong link gets the same page");
    assert!(throttled.iter().all(|r| r.1 == throttled[0].1), "every throttled try gets the same page");
    assert!(throttled[0].1.contains("Te veel onjuiste links"), "{}", throttled[0].1);

    // Throttled, the real link is not looked up either, so the limit tells nothing.
    let same = app.client.get(format!("{}{link}", app.url)).header("X-Real-IP", "198.51.100.7");
    assert_eq!(same.send().await.unwrap().status(), 429);
    // Another client (another practice) is not affected.
    let other = app.client.get(format!("{}{link}", app.url)).header("X-Real-IP", "203.0.113.9");
    assert_eq!(other.send().await.unwrap().status(), 303);
    let kept: i64 = app.count("SELECT COUNT(*) FROM link_failures").await;
    assert!(kept < allowed as i64 + 8, "misses past the limit are not stored: {kept}");
    let addresses = app.count("SELECT COUNT(*) FROM link_failures WHERE client LIKE '%198.51%'").await;
    assert_eq!(addresses, 0, "the client address is kept as a keyed hash only");
}

/// `GET` or `POST` of `path` from client address `ip`; the status.
async fn try_link(app: &TestApp, post: bool, path: &str, ip: &str) -> u16 {
    let url = format!("{}{path}", app.url);
    let request = if post {
        app.client.post(url).form(&[("password", "x"), ("repeat", "x"), ("email", "a@example.org")])
    } else {
        app.client.get(url)
    };
    request.header("X-Real-IP", ip).send().await.expect("request").status().as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_password_and_setup_links_count_against_the_same_limit_as_personal_links() {
    let (app, personal) = app_with_link().await;
    // The setup link exists only while there is no account yet; it stays valid until used.
    let setup =
        peil::accounts::setup::first_start_link(&app.db, app.now()).await.unwrap().expect("a setup link");
    app.create_user("bram@example.org", peil::accounts::Role::Werkgroep).await;
    let password =
        peil::accounts::new_password_link(&app.db, "bram@example.org", None, app.now()).await.unwrap();
    let ip = "198.51.100.8";

    // Wrong links of every kind, by GET and by POST, from one address: one shared count.
    let wrong = [
        (false, "/wachtwoord/Wrong-password-token"),
        (true, "/wachtwoord/Wrong-password-token"),
        (false, "/setup/wrong-setup-token"),
        (true, "/setup/wrong-setup-token"),
        (false, "/r/wrong-personal-token"),
    ];
    let mut statuses = Vec::new();
    for i in 0..MAX_MISSES as usize {
        let (post, path) = wrong[i % wrong.len()];
        statuses.push(try_link(&app, post, path, ip).await);
    }
    assert!(statuses.iter().all(|s| *s == 404), "every wrong link is not found: {statuses:?}");
    for (post, path) in wrong {
        assert_eq!(try_link(&app, post, path, ip).await, 429, "{path} after the limit");
    }
    // Over the limit, the real links are not looked up for that address.
    for path in [&password, &setup, &personal] {
        assert_eq!(try_link(&app, false, path, ip).await, 429, "{path}");
    }
    // From another address they work.
    let other = "203.0.113.10";
    assert_eq!(try_link(&app, false, &password, other).await, 200);
    assert_eq!(try_link(&app, false, &setup, other).await, 200);
    assert_eq!(try_link(&app, false, &personal, other).await, 303);
}
