//! Two-step login over real HTTP, with the app's clock: enrolling with the secret the page shows,
//! the codes an authenticator app would compute from it (in the test, with `totp-rs`), the login's
//! second step and its refusals, recovery codes, that the pending login opens no page, and that
//! a copy of the database gives away neither the secret nor the recovery codes.
//! `require_2fa` and the resets for a lost phone are in `required`.

mod required;

use std::sync::Arc;

use chrono::Duration;
use peil::accounts::Role;
use totp_rs::{Builder, Secret, Totp};

use crate::helpers::{PASSWORD, Session, TestApp, location};

/// A browser that is not logged in: keeps cookies, follows no redirects.
struct Browser {
    url: String,
    client: reqwest::Client,
}

impl Browser {
    fn new(app: &TestApp) -> Browser {
        let client = reqwest::Client::builder()
            .cookie_provider(Arc::new(reqwest::cookie::Jar::default()))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser { url: app.url.clone(), client }
    }

    /// Status, `Location` and body.
    async fn get(&self, path: &str) -> (u16, String, String) {
        let response = self.client.get(format!("{}{path}", self.url)).send().await.unwrap();
        let to = location(&response);
        (response.status().as_u16(), to, response.text().await.unwrap())
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String, String) {
        let response = self.client.post(format!("{}{path}", self.url)).form(fields).send().await.unwrap();
        let to = location(&response);
        (response.status().as_u16(), to, response.text().await.unwrap())
    }

    /// The password step: answered with the way to the code page.
    async fn password(&self, email: &str, terug: &str) -> String {
        let (status, to, _) =
            self.post("/inloggen", &[("email", email), ("password", PASSWORD), ("terug", terug)]).await;
        assert_eq!(status, 303, "password of {email}");
        to
    }

    async fn code(&self, code: &str) -> (u16, String, String) {
        self.post("/inloggen/code", &[("code", code), ("terug", "/werkgroep")]).await
    }
}

/// The text of the element with `id`, as the page shows it.
fn element(html: &str, id: &str) -> String {
    let start = html.find(&format!("id=\"{id}\">")).unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start + id.len() + 6..];
    let text = &rest[..rest.find('<').unwrap()];
    text.replace("&#x2F;", "/").replace("&#x3D;", "=").replace("&amp;", "&")
}

/// Turns two-step login on for `session`'s account with the secret its page shows, as a person
/// with an authenticator app does, and returns the app's view of the secret and the recovery
/// codes. The confirming code's step is used up: the clock moves on one step afterwards.
async fn enrol(app: &TestApp, session: &Session) -> (Totp, Vec<String>) {
    let (status, page) = session.get("/account/tweestaps").await;
    assert_eq!(status, 200);
    assert!(page.contains("<svg class=\"qr\""), "a QR code: {page}");
    let grouped = element(&page, "secret");
    assert!(grouped.split(' ').all(|group| group.len() == 4), "groups of four: {grouped}");
    let uri = element(&page, "otpauth");
    assert!(uri.starts_with("otpauth://totp/peil%3A"), "{uri}");
    assert!(uri.contains(&format!("secret={}", grouped.replace(' ', ""))), "{uri}");

    let secret = Secret::try_from_base32(grouped.replace(' ', "")).unwrap();
    let totp = Builder::new().with_secret(secret).build().unwrap();
    let (status, page) =
        session.post("/account/tweestaps/aanzetten", &[("code", &now_code(app, &totp))]).await;
    assert_eq!(status, 200, "{page}");
    let codes: Vec<String> =
        page.split("<li><code>").skip(1).map(|item| item[..item.find('<').unwrap()].to_owned()).collect();
    assert_eq!(codes.len(), 10, "{page}");
    app.clock.advance(Duration::seconds(30));
    (totp, codes)
}

/// The code the app shows at the app's time, `steps` steps later (negative: earlier).
fn code_at(app: &TestApp, totp: &Totp, steps: i64) -> String {
    totp.generate((app.now().timestamp() + 30 * steps) as u64).to_string()
}

fn now_code(app: &TestApp, totp: &Totp) -> String {
    code_at(app, totp, 0)
}

/// The audit log's rows of `action`, oldest first: actor and detail.
async fn audited(app: &TestApp, action: &str) -> Vec<(Option<String>, String)> {
    sqlx::query_as("SELECT actor, detail FROM audit_log WHERE action = $1 ORDER BY id")
        .bind(action)
        .fetch_all(&app.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_staff_member_enrols_with_the_secret_on_the_page_and_then_logs_in_with_a_code() {
    let app = TestApp::spawn().await;
    let session = app.login_as("wim@example.org", Role::Werkgroep).await;
    let (totp, _) = enrol(&app, &session).await;
    assert_eq!(audited(&app, "two_factor_enabled").await, [(Some("wim@example.org".into()), String::new())]);
    // The database holds a nonce, not the secret: the secret is derived with the instance's key.
    let nonce: String =
        sqlx::query_scalar("SELECT nonce FROM two_factor").fetch_one(&app.pool).await.unwrap();
    assert!(!nonce.contains(&totp.secret().to_base32()));
    let (_, page) = session.get("/account/tweestaps").await;
    assert_eq!(element(&page, "recovery-left"), "10");

    let browser = Browser::new(&app);
    let to = browser.password("wim@example.org", "/werkgroep").await;
    assert!(to.starts_with("/inloggen/code?terug="), "{to}");
    let (status, _, page) = browser.get("/inloggen/code?terug=/werkgroep").await;
    assert_eq!(status, 200);
    assert!(page.contains("Code of herstelcode"));
    let (status, to, _) = browser.code(&now_code(&app, &totp)).await;
    assert_eq!((status, to.as_str()), (303, "/werkgroep"));
    let (status, _, page) = browser.get("/werkgroep").await;
    assert_eq!(status, 200);
    assert!(page.contains("wim@example.org"));
    let logins = audited(&app, "login").await;
    assert!(logins.last().unwrap().1.ends_with(", met code"), "{logins:?}");
}

#[tokio::test]
async fn a_wrong_code_a_used_code_and_a_code_two_steps_old_are_refused_in_dutch() {
    let app = TestApp::spawn().await;
    let session = app.login_as("wim@example.org", Role::Werkgroep).await;
    let (totp, _) = enrol(&app, &session).await;
    let browser = Browser::new(&app);
    browser.password("wim@example.org", "/werkgroep").await;

    let current: Vec<String> = (-1..=2).map(|steps| code_at(&app, &totp, steps)).collect();
    let wrong = ["000000", "111111", "222222"].into_iter().find(|c| !current.iter().any(|k| k == c)).unwrap();
    let (status, _, page) = browser.code(wrong).await;
    assert_eq!(status, 422);
    assert!(page.contains("De code klopt niet."), "{page}");
    let (status, _, page) = browser.code(&code_at(&app, &totp, -2)).await;
    assert_eq!(status, 422, "two steps ago is outside the skew of one");
    assert!(page.contains("De code klopt niet."), "{page}");

    let code = now_code(&app, &totp);
    assert_eq!(browser.code(&code).await.0, 303);
    let again = Browser::new(&app);
    again.password("wim@example.org", "/werkgroep").await;
    let (status, _, page) = again.code(&code).await;
    assert_eq!(status, 422);
    assert!(page.contains("Deze code is al gebruikt."), "{page}");
    assert_eq!(again.get("/werkgroep").await.0, 303, "still not logged in");

    let failed = audited(&app, "two_factor_failed").await;
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert!(failed.iter().all(|(actor, _)| actor.as_deref() == Some("wim@example.org")));
    assert!(failed[2].1.ends_with("code al gebruikt"), "{failed:?}");
}

#[tokio::test]
async fn wrong_codes_are_throttled_like_wrong_passwords() {
    let app = TestApp::spawn().await;
    let session = app.login_as("wim@example.org", Role::Werkgroep).await;
    let (totp, _) = enrol(&app, &session).await;
    let browser = Browser::new(&app);
    browser.password("wim@example.org", "/werkgroep").await;
    // The password counts as one attempt until the code is right, so that typing it again
    // between guesses does not reset the count.
    for _ in 1..peil::accounts::MAX_FAILURES_PER_EMAIL_AND_IP {
        assert_eq!(browser.code("99999x").await.0, 422);
    }
    let (status, _, page) = browser.code(&now_code(&app, &totp)).await;
    assert_eq!(status, 429, "even the right code waits now");
    assert!(page.contains("Te veel pogingen."), "{page}");
}

#[tokio::test]
async fn a_recovery_code_logs_in_once() {
    let app = TestApp::spawn().await;
    let session = app.login_as("wim@example.org", Role::Werkgroep).await;
    let (_, codes) = enrol(&app, &session).await;

    let browser = Browser::new(&app);
    browser.password("wim@example.org", "/werkgroep").await;
    // Typed as people do: upper case, a space for the dash.
    let (status, to, _) = browser.code(&codes[3].to_uppercase().replace('-', " ")).await;
    assert_eq!((status, to.as_str()), (303, "/werkgroep"));
    assert_eq!(browser.get("/werkgroep").await.0, 200);
    let used = audited(&app, "recovery_code_used").await;
    assert_eq!(used.len(), 1);
    assert!(used[0].1.ends_with("nog 9 over"), "{used:?}");

    let again = Browser::new(&app);
    again.password("wim@example.org", "/werkgroep").await;
    let (status, _, page) = again.code(&codes[3]).await;
    assert_eq!(status, 422);
    assert!(page.contains("De code klopt niet."), "{page}");
    let (_, page) = session.get("/account/tweestaps").await;
    assert_eq!(element(&page, "recovery-left"), "9");
}

#[tokio::test]
async fn the_pending_login_opens_no_page_and_expires() {
    let app = TestApp::spawn().await;
    let session = app.login_as("ada@example.org", Role::Admin).await;
    let (totp, _) = enrol(&app, &session).await;

    let browser = Browser::new(&app);
    browser.password("ada@example.org", "/beheer").await;
    for page in ["/beheer", "/beheer/gebruikers", "/werkgroep", "/account/tweestaps"] {
        let (status, to, _) = browser.get(page).await;
        assert_eq!(status, 303, "{page}");
        assert!(to.starts_with("/inloggen?terug="), "{page} goes to the login, not {to}");
    }
    assert_eq!(browser.post("/beheer/gebruikers", &[("email", "x@example.org")]).await.0, 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM login_sessions").await, 1, "only the enrolling session");

    app.clock.advance(Duration::minutes(peil::accounts::two_factor::PENDING_MINUTES));
    let (status, _, page) = browser.code(&now_code(&app, &totp)).await;
    assert_eq!(status, 422);
    assert!(page.contains("Het inloggen duurde te lang"), "{page}");
    assert_eq!(browser.get("/beheer").await.0, 303);
}

#[tokio::test]
async fn an_account_turns_two_step_login_off_with_a_current_code() {
    let app = TestApp::spawn().await;
    let session = app.login_as("wim@example.org", Role::Werkgroep).await;
    let (totp, _) = enrol(&app, &session).await;
    let (status, page) = session.post("/account/tweestaps/uitzetten", &[("code", "123")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("De code klopt niet."), "{page}");
    let (status, _) = session.post("/account/tweestaps/uitzetten", &[("code", &now_code(&app, &totp))]).await;
    assert_eq!(status, 200);
    assert_eq!(audited(&app, "two_factor_disabled").await.len(), 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM recovery_codes").await, 0);

    let browser = Browser::new(&app);
    assert_eq!(browser.password("wim@example.org", "/werkgroep").await, "/werkgroep");
}

#[tokio::test]
async fn a_copy_of_the_database_holds_neither_the_secret_nor_the_recovery_codes() {
    let app = TestApp::spawn().await;
    let session = app.login_as("wim@example.org", Role::Werkgroep).await;
    let (totp, codes) = enrol(&app, &session).await;
    let secret = totp.secret().as_ref().to_vec();
    let base32 = totp.secret().to_base32();

    // Every value two-step login stored, as text.
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT nonce, last_step FROM two_factor").fetch_all(&app.pool).await.unwrap();
    let hashes: Vec<String> =
        sqlx::query_scalar("SELECT code_hash FROM recovery_codes").fetch_all(&app.pool).await.unwrap();
    assert_eq!(hashes.len(), 10);
    let stored = format!("{rows:?} {hashes:?}").to_lowercase();
    assert!(!stored.contains(&base32.to_lowercase()));
    for code in &codes {
        assert!(!stored.contains(&code.replace('-', "")) && !stored.contains(code.as_str()), "{code}");
    }
    if crate::pg::on_postgres() {
        return;
    }
    // On SQLite, the files themselves (the database and its write-ahead log).
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(app.dir.path()).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("peil.db") {
            bytes.extend(std::fs::read(entry.path()).unwrap());
        }
    }
    assert!(!bytes.is_empty());
    let found = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(!found(&secret), "the raw secret");
    assert!(!found(base32.as_bytes()), "the secret in base32");
    for code in &codes {
        assert!(!found(code.as_bytes()) && !found(code.replace('-', "").as_bytes()), "{code}");
    }
}
