//! `require_2fa = true`: an administrator without two-step login reaches only the enrolment page
//! (and logout) until it is on, and cannot turn it off; werkgroep accounts are not forced. And the
//! lost phone: another administrator's reset on the accounts page, `peil user reset-2fa` for the
//! last administrator.

use std::process::{Command, Output};

use peil::accounts::Role;
use rocket::http::Method;

use super::{Browser, audited, element, enrol, now_code};
use crate::helpers::{TestApp, repo};

/// `peil args...` on the app's own database.
fn peil(app: &TestApp, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_peil"))
        .args(args)
        .current_dir(app.dir.path())
        .env("PEIL_DATABASE_URL", &app.settings.database_url)
        .env("PEIL_FORMS_DIR", &app.settings.forms_dir)
        .env("PEIL_DATA_DIR", app.dir.path().join("data"))
        .env("PEIL_TEMPLATES_DIR", repo("templates"))
        .env("NO_COLOR", "1")
        .output()
        .expect("run peil")
}

#[tokio::test]
async fn with_require_2fa_an_administrator_without_it_reaches_only_enrolment() {
    let app = TestApp::spawn_configured(|s| s.require_2fa = true).await;
    app.create_user("ada@example.org", Role::Admin).await;
    let browser = Browser::new(&app);
    assert_eq!(browser.password("ada@example.org", "/beheer").await, "/account/tweestaps");

    for page in ["/beheer", "/beheer/gebruikers", "/beheer/logboek", "/werkgroep"] {
        let (status, to, _) = browser.get(page).await;
        assert_eq!((status, to.as_str()), (303, "/account/tweestaps"), "{page}");
    }
    let (status, _, page) = browser.get("/account/tweestaps").await;
    assert_eq!(status, 200);
    assert!(element(&page, "must-enrol").contains("verplicht"), "{page}");
    let csrf: String =
        sqlx::query_scalar("SELECT csrf_token FROM login_sessions").fetch_one(&app.pool).await.unwrap();
    let add = [("csrf", csrf.as_str()), ("email", "eve@example.org"), ("role", "admin")];
    assert_eq!(browser.post("/beheer/gebruikers", &add).await.0, 403, "no account added before enrolment");
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 1);

    // Through enrolment (with `login_as`'s own session, the same account), /beheer opens.
    let session = app.login_as("ada@example.org", Role::Admin).await;
    let (totp, _) = enrol(&app, &session).await;
    assert_eq!(session.get("/beheer").await.0, 200);
    let (status, page) =
        session.post("/account/tweestaps/uitzetten", &[("code", &now_code(&app, &totp))]).await;
    assert_eq!(status, 422);
    assert!(page.contains("verplicht voor beheerders"), "{page}");
    assert!(audited(&app, "two_factor_disabled").await.is_empty());

    // Werkgroep accounts may enrol but are not forced.
    let werkgroep = app.login_as("wim@example.org", Role::Werkgroep).await;
    assert_eq!(werkgroep.get("/werkgroep").await.0, 200);
}

#[tokio::test]
async fn with_require_2fa_every_beheer_page_sends_an_administrator_without_it_to_enrolment() {
    let app = TestApp::spawn_configured(|s| s.require_2fa = true).await;
    let admin = app.login_as("ada@example.org", Role::Admin).await;
    let routes: Vec<_> = app.routes.iter().filter(|r| r.uri.starts_with("/beheer")).collect();
    assert!(routes.len() >= 30, "{routes:#?}");
    let users = app.count("SELECT COUNT(*) FROM users").await;
    for route in routes {
        let path = route.example_path();
        if route.method == Method::Get {
            let response = admin.client.get(format!("{}{path}", app.url)).send().await.unwrap();
            assert_eq!(response.status(), 303, "GET {path}");
            assert_eq!(crate::helpers::location(&response), "/account/tweestaps", "GET {path}");
        } else {
            let (status, _) = admin.post(&path, &[("email", "eve@example.org"), ("role", "admin")]).await;
            assert_eq!(status, 403, "{} {path}", route.method);
        }
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, users, "nothing was written");
}

#[tokio::test]
async fn an_administrator_resets_the_two_step_login_of_someone_who_lost_their_phone() {
    let app = TestApp::spawn().await;
    let wim = app.login_as("wim@example.org", Role::Werkgroep).await;
    enrol(&app, &wim).await;
    let admin = app.login_as("ada@example.org", Role::Admin).await;
    let (_, page) = admin.get("/beheer/gebruikers").await;
    assert!(page.contains("Tweestapsverificatie resetten"), "{page}");

    let (status, page) =
        admin.post("/beheer/gebruikers/tweestaps-resetten", &[("email", "Wim@Example.org")]).await;
    assert_eq!(status, 200);
    assert!(element(&page, "change-result").contains("is gereset"), "{page}");
    assert_eq!(
        audited(&app, "two_factor_reset").await,
        [(Some("ada@example.org".into()), "wim@example.org".into())]
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM recovery_codes").await, 0);
    let browser = Browser::new(&app);
    assert_eq!(browser.password("wim@example.org", "/werkgroep").await, "/werkgroep", "password alone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_last_administrator_is_reset_with_peil_user_reset_2fa() {
    let app = TestApp::spawn_configured(|s| s.require_2fa = true).await;
    let session = app.login_as("ada@example.org", Role::Admin).await;
    enrol(&app, &session).await;

    let reset = peil(&app, &["user", "reset-2fa", "ADA@example.org"]);
    assert!(reset.status.success(), "{}", String::from_utf8_lossy(&reset.stderr));
    assert!(String::from_utf8_lossy(&reset.stdout).contains("is reset"));
    assert_eq!(audited(&app, "two_factor_reset").await, [(None, "ada@example.org".into())]);
    let unknown = peil(&app, &["user", "reset-2fa", "nobody@example.org"]);
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no account"));

    // The administrator logs in with the password and, required, is sent to enrol again.
    let browser = Browser::new(&app);
    assert_eq!(browser.password("ada@example.org", "/beheer").await, "/account/tweestaps");
}
