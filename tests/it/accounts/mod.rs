//! Accounts over real HTTP: logging in and out, the rate limit, session expiry, CSRF, roles,
//! password links, the audit log, and `peil user` with the service's own log. Removing accounts
//! and changing roles are in `manage`.

mod beheer_walk;
mod logbook;
mod manage;

use peil::accounts::Role;
use peil::audit;

use crate::helpers::{PASSWORD, TestApp, free_port, repo};

fn unescape(html: &str) -> String {
    html.replace("&#x2F;", "/").replace("&amp;", "&").replace("&#x3D;", "=")
}

async fn login(app: &TestApp, fields: &[(&str, &str)]) -> reqwest::Response {
    app.client.post(format!("{}/inloggen", app.url)).form(fields).send().await.expect("POST /inloggen")
}

fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_login_sets_an_http_only_strict_cookie_and_goes_to_the_werkgroep_page() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Admin).await;

    let response = login(&app, &[("email", " Anna@Example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/werkgroep");
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(cookie.starts_with("peil_sessie="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http base_url: {cookie}");

    // The cookie holds the token; the database only its hash.
    let token = cookie.trim_start_matches("peil_sessie=").split(';').next().unwrap();
    assert_eq!(app.count("SELECT COUNT(*) FROM login_sessions").await, 1);
    let stored: String =
        sqlx::query_scalar("SELECT token_hash FROM login_sessions").fetch_one(&app.pool).await.unwrap();
    assert_eq!(stored, peil::crypto::sha256_hex(token));

    let page = app.client.get(format!("{}/beheer", app.url)).header("cookie", format!("peil_sessie={token}"));
    let page = page.send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("Ingelogd als <strong>anna@example.org</strong>"));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_get_the_same_answer() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Werkgroep).await;

    let wrong =
        login(&app, &[("email", "anna@example.org"), ("password", "niet het goede wachtwoord")]).await;
    let unknown = login(&app, &[("email", "bram@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(wrong.status(), unknown.status());
    assert_eq!(wrong.status(), 422);
    assert!(wrong.headers().get("set-cookie").is_none());
    let wrong = wrong.text().await.unwrap().replace("anna@example.org", "EMAIL");
    let unknown = unknown.text().await.unwrap().replace("bram@example.org", "EMAIL");
    assert_eq!(wrong, unknown);
    assert!(wrong.contains("E-mailadres of wachtwoord klopt niet."));
    assert!(wrong.contains(r#"aria-describedby="login-error""#));
    assert_eq!(app.count("SELECT COUNT(*) FROM login_sessions").await, 0);
}

#[tokio::test]
async fn the_sixth_attempt_is_refused_with_429_even_with_the_right_password() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Werkgroep).await;
    for _ in 0..5 {
        let response =
            login(&app, &[("email", "anna@example.org"), ("password", "fout fout fout fout")]).await;
        assert_eq!(response.status(), 422);
    }
    let response = login(&app, &[("email", "anna@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 429);
    assert!(response.headers().get("set-cookie").is_none());
    assert!(
        response.text().await.unwrap().contains("Te veel pogingen. Probeer het over een kwartier opnieuw.")
    );

    // Unknown addresses are limited just the same, so the limit does not reveal accounts.
    for _ in 0..5 {
        login(&app, &[("email", "niemand@example.org"), ("password", "fout fout fout fout")]).await;
    }
    let response =
        login(&app, &[("email", "niemand@example.org"), ("password", "fout fout fout fout")]).await;
    assert_eq!(response.status(), 429);

    // Fifteen minutes later the address may try again.
    sqlx::query("UPDATE login_attempts SET at = '2000-01-01T00:00:00Z'").execute(&app.pool).await.unwrap();
    let response = login(&app, &[("email", "anna@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn one_client_address_gets_twenty_failures_across_addresses() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Werkgroep).await;
    for i in 0..20 {
        let email = format!("poging{i}@example.org");
        let response = login(&app, &[("email", &email), ("password", "fout fout fout fout")]).await;
        assert_eq!(response.status(), 422);
    }
    let response = login(&app, &[("email", "anna@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 429);
}

#[tokio::test]
async fn logging_out_ends_the_session_and_the_old_cookie_is_refused() {
    let app = TestApp::spawn().await;
    let session = app.login_as("anna@example.org", Role::Admin).await;
    let cookie = session.cookie().unwrap();
    assert_eq!(session.get("/beheer").await.0, 200);

    let response = session.client.post(format!("{}/uitloggen", app.url)).form(&[("csrf", session.csrf())]);
    let response = response.send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/inloggen"));
    assert!(response.headers().get("set-cookie").unwrap().to_str().unwrap().starts_with("peil_sessie=;"));
    assert_eq!(app.count("SELECT COUNT(*) FROM login_sessions").await, 0);

    let old = app.client.get(format!("{}/beheer", app.url)).header("cookie", format!("peil_sessie={cookie}"));
    let old = old.send().await.unwrap();
    assert_eq!(old.status(), 303);
    assert!(location(&old).starts_with("/inloggen?terug="));
}

#[tokio::test]
async fn an_idle_or_too_old_session_is_refused() {
    let app = TestApp::spawn().await;
    let session = app.login_as("anna@example.org", Role::Admin).await;
    assert_eq!(session.get("/beheer").await.0, 200);

    app.clock.advance(chrono::Duration::minutes(121));
    assert_eq!(session.get("/beheer").await.0, 303);
    assert_eq!(app.count("SELECT COUNT(*) FROM login_sessions").await, 0, "deleted on sight");

    // Busy all day, a page every 100 minutes: the absolute limit ends it after twelve hours anyway.
    let session = app.login_as("anna@example.org", Role::Admin).await;
    for _ in 0..7 {
        app.clock.advance(chrono::Duration::minutes(100));
        assert_eq!(session.get("/beheer").await.0, 200, "never idle for two hours");
    }
    app.clock.advance(chrono::Duration::minutes(100));
    assert_eq!(session.get("/beheer").await.0, 303);
}

#[tokio::test]
async fn a_post_without_or_with_a_wrong_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("anna@example.org", Role::Admin).await;
    let fields = [("email", "bram@example.org"), ("role", "werkgroep")];

    let (status, body) = admin.post_without_csrf("/beheer/gebruikers", &fields).await;
    assert_eq!(status, 403);
    assert!(body.contains("Geen toegang"));
    let wrong = [("email", "bram@example.org"), ("role", "werkgroep"), ("csrf", "verzonnen")];
    assert_eq!(admin.post_without_csrf("/beheer/gebruikers", &wrong).await.0, 403);
    assert_eq!(admin.post_without_csrf("/uitloggen", &[]).await.0, 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM login_sessions").await, 1);

    let (status, body) = admin.post("/beheer/gebruikers", &fields).await;
    assert_eq!(status, 200);
    assert!(unescape(&body).contains(&format!("{}/wachtwoord/", app.url)));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
}

#[tokio::test]
async fn a_post_from_another_site_is_refused_even_with_the_right_token() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("anna@example.org", Role::Admin).await;
    let fields = [("email", "bram@example.org"), ("role", "werkgroep"), ("csrf", admin.csrf())];
    let post = || admin.client.post(format!("{}/beheer/gebruikers", app.url)).form(&fields);

    assert_eq!(post().header("origin", "https://evil.example").send().await.unwrap().status(), 403);
    assert_eq!(post().header("sec-fetch-site", "cross-site").send().await.unwrap().status(), 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
    // The login form too: logging someone into the attacker's account is refused.
    let evil_login =
        app.client.post(format!("{}/inloggen", app.url)).header("origin", "https://evil.example");
    let evil_login = evil_login.form(&[("email", "anna@example.org"), ("password", PASSWORD)]);
    assert_eq!(evil_login.send().await.unwrap().status(), 403);

    let own = post().header("origin", &app.url).header("sec-fetch-site", "same-origin").send().await.unwrap();
    assert_eq!(own.status(), 200);
}

#[tokio::test]
async fn a_werkgroep_member_is_refused_on_the_admin_pages() {
    let app = TestApp::spawn().await;
    let member = app.login_as("cor@example.org", Role::Werkgroep).await;
    assert_eq!(member.get("/beheer").await.0, 403);
    let (status, _) =
        member.post("/beheer/gebruikers", &[("email", "eva@example.org"), ("role", "admin")]).await;
    assert_eq!(status, 403);
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);
}

#[tokio::test]
async fn an_anonymous_visitor_is_sent_to_the_login_page_and_cannot_post() {
    let app = TestApp::spawn().await;
    let response = app.client.get(format!("{}/beheer", app.url)).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let to = location(&response);
    assert!(to.starts_with("/inloggen?terug="), "{to}");
    assert!(to.contains("beheer"), "{to}");

    let (status, body) = app.get(&to).await;
    assert_eq!(status, 200);
    assert!(unescape(&body).contains(r#"name="terug" value="/beheer""#));
    assert!(body.contains(r#"autocomplete="current-password""#));

    let (status, _) =
        app.post("/beheer/gebruikers", &[("email", "eva@example.org"), ("role", "admin")]).await;
    assert_eq!(status, 403);
    assert_eq!(app.post("/uitloggen", &[]).await.0, 403);
}

#[tokio::test]
async fn a_return_path_to_another_site_is_not_followed() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Admin).await;
    let (_, page) = app.get("/inloggen?terug=//evil.example").await;
    assert!(!unescape(&page).contains("evil.example"));

    for evil in ["//evil.example", "https://evil.example/", "/\\evil.example"] {
        let response =
            login(&app, &[("email", "anna@example.org"), ("password", PASSWORD), ("terug", evil)]).await;
        assert_eq!(location(&response), "/werkgroep", "{evil}");
    }
    let response =
        login(&app, &[("email", "anna@example.org"), ("password", PASSWORD), ("terug", "/beheer")]).await;
    assert_eq!(location(&response), "/beheer");
}

#[tokio::test]
async fn a_password_link_sets_a_password_once_and_checks_it() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("anna@example.org", Role::Admin).await;
    let (_, body) =
        admin.post("/beheer/gebruikers", &[("email", "Bram@Example.org"), ("role", "werkgroep")]).await;
    let body = unescape(&body);
    let at = body.find("/wachtwoord/").unwrap();
    let path: String = body[at..].chars().take_while(|c| !matches!(c, '<' | '"' | ' ')).collect();

    let (status, page) = app.get(&path).await;
    assert_eq!(status, 200);
    assert!(page.contains("bram@example.org"));
    assert!(page.contains(r#"autocomplete="new-password""#));
    let (status, page) = app.post(&path, &[("password", "te kort"), ("repeat", "te kort")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("ten minste 12"));
    let (status, page) = app.post(&path, &[("password", PASSWORD), ("repeat", "een andere lange zin")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("niet gelijk"));

    // A duplicate address is refused with a clear message.
    let (status, page) =
        admin.post("/beheer/gebruikers", &[("email", "bram@example.org"), ("role", "admin")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("Er is al een account met dit e-mailadres."));

    assert_eq!(app.post(&path, &[("password", PASSWORD), ("repeat", PASSWORD)]).await.0, 200);
    assert_eq!(app.get(&path).await.0, 404, "the link is spent");
    let response = login(&app, &[("email", "bram@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(response.status(), 303);
}

#[tokio::test]
async fn the_first_administrator_logs_in_with_the_password_chosen_at_setup() {
    let app = TestApp::spawn().await;
    let path = peil::accounts::setup::first_start_link(&app.db, app.now()).await.unwrap().unwrap();
    let chosen = [("email", "beheer@example.org"), ("password", PASSWORD), ("repeat", PASSWORD)];
    assert_eq!(app.post(&path, &chosen).await.0, 200);
    let response =
        login(&app, &[("email", "beheer@example.org"), ("password", PASSWORD), ("terug", "/beheer")]).await;
    assert_eq!(response.status(), 303);
    assert_eq!(location(&response), "/beheer");
}

#[tokio::test]
async fn the_audit_log_records_logins_failures_and_logouts_but_no_password() {
    let app = TestApp::spawn().await;
    let session = app.login_as("anna@example.org", Role::Admin).await;
    login(&app, &[("email", "anna@example.org"), ("password", "geheim-fout-wachtwoord")]).await;
    login(&app, &[("email", "onbekend@example.org"), ("password", "geheim-fout-wachtwoord")]).await;
    session.post("/uitloggen", &[]).await;

    let entries = audit::list(&app.pool, 100).await.unwrap();
    let actions: Vec<(&str, Option<&str>)> =
        entries.iter().map(|e| (e.action.as_str(), e.actor.as_deref())).collect();
    assert_eq!(
        actions,
        [
            ("logout", Some("anna@example.org")),
            ("login_failed", Some("onbekend@example.org")),
            ("login_failed", Some("anna@example.org")),
            ("login", Some("anna@example.org")),
            ("password_set", Some("anna@example.org")),
            ("user_added", None),
        ]
    );
    let everything = format!("{entries:?}");
    assert!(!everything.contains("geheim"));
    assert!(!everything.contains(PASSWORD));
    assert!(!everything.contains(&session.csrf().to_string()));
}

#[tokio::test]
async fn a_corrupt_time_in_the_audit_log_or_an_account_is_reported_not_read_as_1970() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Admin).await;
    assert!(audit::list(&app.pool, 100).await.is_ok());
    assert!(peil::accounts::list_users(&app.pool).await.is_ok());

    sqlx::query("UPDATE audit_log SET at = 'gisteren' WHERE action = 'user_added'")
        .execute(&app.pool)
        .await
        .expect("corrupt the audit row");
    let err = audit::list(&app.pool, 100).await.expect_err("a bad time is an error");
    assert!(err.to_string().contains("gisteren"), "{err}");

    sqlx::query("UPDATE users SET created_at = '1970-01-01' WHERE email = 'anna@example.org'")
        .execute(&app.pool)
        .await
        .expect("corrupt the account");
    let err = peil::accounts::list_users(&app.pool).await.expect_err("a bad time is an error");
    assert!(err.to_string().contains("1970-01-01"), "{err}");
}

/// Kills the service when the test ends, however it ends.
struct Service(std::process::Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_account_added_on_the_command_line_sets_its_password_and_nothing_secret_reaches_the_log() {
    use std::io::Read;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let db = crate::pg::TestDb::new(dir.path());
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let peil = |args: &[&str]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_peil"));
        command
            .args(args)
            .current_dir(dir.path())
            .env("PEIL_DATABASE_URL", &db.url)
            .env("PEIL_FORMS_DIR", repo("forms"))
            .env("PEIL_DATA_DIR", dir.path().join("data"))
            .env("PEIL_TEMPLATES_DIR", repo("templates"))
            .env("PEIL_STATIC_DIR", repo("static"))
            .env("PEIL_PORT", port.to_string())
            .env("PEIL_BASE_URL", &base)
            // The log filter operators run with (PEIL_LOG=debug also shows Rocket's and hyper's
            // request dumps, headers and all: a debugging aid, not for production).
            .env_remove("PEIL_LOG")
            .env("NO_COLOR", "1");
        command
    };

    let added = peil(&["user", "add", "Eva@Example.org", "--role", "werkgroep"]).output().unwrap();
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let link = String::from_utf8(added.stdout).unwrap().trim().to_owned();
    assert!(link.starts_with(&format!("{base}/wachtwoord/")), "{link}");
    let token = link.rsplit('/').next().unwrap().to_owned();

    let again = peil(&["user", "add", "eva@example.org", "--role", "admin"]).output().unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    let listed = peil(&["user", "list"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&listed.stdout).contains("eva@example.org\twerkgroep\t(no password yet)")
    );

    let mut service =
        Service(peil(&["serve"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap());
    // Both streams are read to the end on their own threads, so the service never blocks on a full pipe.
    let drain = |mut stream: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stream.read_to_string(&mut text);
            text
        })
    };
    let stderr = drain(Box::new(service.0.stderr.take().unwrap()));
    let stdout = drain(Box::new(service.0.stdout.take().unwrap()));
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let mut up = false;
    for _ in 0..200 {
        if client.get(format!("{base}/health")).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(up, "service did not come up");
    assert_eq!(client.get(&link).send().await.unwrap().status(), 200);
    let set = client.post(&link).form(&[("password", PASSWORD), ("repeat", PASSWORD)]).send().await.unwrap();
    assert_eq!(set.status(), 200);
    let wrong = [("email", "eva@example.org"), ("password", "geheim-fout-wachtwoord")];
    assert_eq!(client.post(format!("{base}/inloggen")).form(&wrong).send().await.unwrap().status(), 422);
    let right = [("email", "eva@example.org"), ("password", PASSWORD)];
    let response = client.post(format!("{base}/inloggen")).form(&right).send().await.unwrap();
    assert_eq!(response.status(), 303);
    let cookie = response.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    let session_token = cookie.trim_start_matches("peil_sessie=").split(';').next().unwrap().to_owned();

    // Stop the service and read everything it logged.
    let _ = service.0.kill();
    let _ = service.0.wait();
    let log = stderr.join().unwrap() + &stdout.join().unwrap();
    assert!(
        log.contains("route=\"/wachtwoord/<token>\""),
        "the request log shows the route, not the path:\n{log}"
    );
    for secret in [token.as_str(), PASSWORD, "geheim", session_token.as_str()] {
        assert!(!log.contains(secret), "{secret} in the log:\n{log}");
    }

    let audit = peil(&["audit", "--limit", "3"]).output().unwrap();
    let audit = String::from_utf8(audit.stdout).unwrap();
    let actions: Vec<&str> = audit.lines().map(|line| line.split('\t').nth(2).unwrap_or_default()).collect();
    assert_eq!(actions, ["login", "login_failed", "password_set"], "{audit}");
    assert!(!audit.contains("geheim"));
}

#[tokio::test]
async fn the_audit_log_on_beheer_reads_in_dutch() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Werkgroep).await;
    let wrong = login(&app, &[("email", "anna@example.org"), ("password", "niet-het-wachtwoord")]).await;
    assert_eq!(wrong.status(), 422);
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, page) = admin.get("/beheer/gebruikers").await;
    assert_eq!(status, 200);
    assert!(page.contains("Inloggen mislukt"), "{page}");
    assert!(page.contains("Ingelogd"), "{page}");
    assert!(!page.contains("login_failed"), "the stored code is for scripts, not for the page: {page}");
}
