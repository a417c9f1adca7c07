//! Removing accounts, changing roles and new password links: on `/beheer/gebruikers` as an
//! administrator does it, on the command line (`peil accounts ...`), and two administrators at
//! once; the last administrator stays.

use peil::accounts::{self, AccountsError, Role};
use peil::audit;

use crate::cli::{Cli, stderr};
use crate::helpers::{PASSWORD, TestApp, location};

const LAST_ADMIN: &str = "Er moet altijd ten minste één beheerder zijn.";

async fn login(app: &TestApp, email: &str) -> reqwest::Response {
    let fields = [("email", email), ("password", PASSWORD)];
    app.client.post(format!("{}/inloggen", app.url)).form(&fields).send().await.expect("POST /inloggen")
}

/// `(action, actor, detail)` of the audit rows of `action`, newest first.
async fn audited(app: &TestApp, action: &str) -> Vec<(String, Option<String>, String)> {
    let entries = audit::list(&app.pool, 100).await.expect("the audit log");
    entries.into_iter().filter(|e| e.action == action).map(|e| (e.action, e.actor, e.detail)).collect()
}

async fn role_of(app: &TestApp, email: &str) -> Option<String> {
    sqlx::query_scalar("SELECT role FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&app.pool)
        .await
        .expect("users")
}

#[tokio::test]
async fn a_removed_member_is_refused_on_the_next_request_and_can_no_longer_log_in() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("anna@example.org", Role::Admin).await;
    let member = app.login_as("bram@example.org", Role::Werkgroep).await;
    assert_eq!(member.get("/werkgroep").await.0, 200);
    // A password link handed out but not used yet: it must die with the account.
    let link = accounts::new_password_link(&app.db, "bram@example.org", None, app.now()).await.unwrap();

    // The button asks first, and nothing changes until the answer.
    let (status, page) = admin.post("/beheer/gebruikers/verwijderen", &[("email", "bram@example.org")]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Weet u zeker dat u het account van <strong>bram@example.org</strong>"), "{page}");
    assert!(page.contains(r#"name="bevestigd" value="ja""#));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
    assert_eq!(member.get("/werkgroep").await.0, 200);

    let confirmed = [("email", "bram@example.org"), ("bevestigd", "ja")];
    let (status, page) = admin.post("/beheer/gebruikers/verwijderen", &confirmed).await;
    assert_eq!(status, 200);
    assert!(page.contains("Het account van bram@example.org is verwijderd."), "{page}");
    assert_eq!(role_of(&app, "bram@example.org").await, None);

    // The member's cookie is still in the browser; its session is not.
    let response = member.client.get(format!("{}/werkgroep", app.url)).send().await.unwrap();
    assert_eq!(response.status(), 303);
    assert!(location(&response).starts_with("/inloggen"));
    assert_eq!(login(&app, "bram@example.org").await.status(), 422);
    assert_eq!(app.get(&link).await.0, 404, "the unused password link no longer works");
    assert_eq!(app.count("SELECT COUNT(*) FROM password_links").await, 0);

    let removed = audited(&app, "user_removed").await;
    assert_eq!(
        removed,
        [(
            "user_removed".to_owned(),
            Some("anna@example.org".to_owned()),
            "bram@example.org (was werkgroep)".to_owned()
        )]
    );
    let (_, beheer) = admin.get("/beheer/gebruikers").await;
    assert!(beheer.contains("Gebruiker verwijderd"), "the page's log shows it, in Dutch");
}

#[tokio::test]
async fn a_new_role_holds_from_the_accounts_next_request_without_a_new_login() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("anna@example.org", Role::Admin).await;
    let member = app.login_as("bram@example.org", Role::Werkgroep).await;
    assert_eq!(member.get("/beheer").await.0, 403);

    let promote = [("email", "bram@example.org"), ("role", "admin")];
    let (status, page) = admin.post("/beheer/gebruikers/rol", &promote).await;
    assert_eq!(status, 200);
    assert!(page.contains("bram@example.org is nu beheerder."), "{page}");
    assert_eq!(member.get("/beheer").await.0, 200, "the same session, now an administrator");

    let demote = [("email", "bram@example.org"), ("role", "werkgroep")];
    let (status, page) = admin.post("/beheer/gebruikers/rol", &demote).await;
    assert_eq!(status, 200);
    assert!(page.contains("bram@example.org is nu werkgroeplid."), "{page}");
    assert_eq!(member.get("/beheer").await.0, 403, "the beheer pages are closed at once");
    assert_eq!(member.get("/werkgroep").await.0, 200, "still logged in, as werkgroep");

    // The same role again changes nothing and is not logged.
    let (status, page) = admin.post("/beheer/gebruikers/rol", &demote).await;
    assert_eq!(status, 200);
    assert!(page.contains("bram@example.org was al werkgroeplid."), "{page}");

    let changed = audited(&app, "role_changed").await;
    let details: Vec<(&str, Option<&str>)> =
        changed.iter().map(|(_, actor, detail)| (detail.as_str(), actor.as_deref())).collect();
    assert_eq!(
        details,
        [
            ("bram@example.org van admin naar werkgroep", Some("anna@example.org")),
            ("bram@example.org van werkgroep naar admin", Some("anna@example.org")),
        ]
    );
}

#[tokio::test]
async fn removing_or_demoting_the_last_administrator_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("anna@example.org", Role::Admin).await;
    app.create_user("bram@example.org", Role::Werkgroep).await;

    let remove = [("email", "anna@example.org"), ("bevestigd", "ja")];
    let (status, page) = admin.post("/beheer/gebruikers/verwijderen", &remove).await;
    assert_eq!(status, 422);
    assert!(page.contains("anna@example.org is niet verwijderd."), "{page}");
    assert!(page.contains(LAST_ADMIN), "{page}");
    assert!(page.contains(r#"role="alert""#));

    let demote = [("email", "anna@example.org"), ("role", "werkgroep")];
    let (status, page) = admin.post("/beheer/gebruikers/rol", &demote).await;
    assert_eq!(status, 422);
    assert!(page.contains("De rol van anna@example.org is niet gewijzigd."), "{page}");
    assert!(page.contains(LAST_ADMIN), "{page}");

    assert_eq!(role_of(&app, "anna@example.org").await.as_deref(), Some("admin"));
    assert_eq!(app.count("SELECT COUNT(*) FROM users").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM login_sessions").await, 1);
    assert_eq!(admin.get("/beheer").await.0, 200, "still logged in as administrator");
    assert!(audited(&app, "user_removed").await.is_empty());
    assert!(audited(&app, "role_changed").await.is_empty());
    let (status, page) = admin
        .post("/beheer/gebruikers/verwijderen", &[("email", "niemand@example.org"), ("bevestigd", "ja")])
        .await;
    assert_eq!(status, 422);
    assert!(page.contains("Er is geen account met dit e-mailadres."), "{page}");
}

#[tokio::test]
async fn an_administrator_may_leave_while_another_remains_and_is_logged_out() {
    let app = TestApp::spawn().await;
    let anna = app.login_as("anna@example.org", Role::Admin).await;
    let cor = app.login_as("cor@example.org", Role::Admin).await;

    // Demoting oneself: the page says so, since /beheer is no longer open to them.
    let demote = [("email", "cor@example.org"), ("role", "werkgroep")];
    let (status, page) = cor.post("/beheer/gebruikers/rol", &demote).await;
    assert_eq!(status, 200);
    assert!(page.contains("U bent nu werkgroeplid"), "{page}");
    assert_eq!(cor.get("/beheer").await.0, 403);

    // Anna is now the only administrator; she may not leave, and then (Cor promoted again) may.
    let leave = [("email", "anna@example.org"), ("bevestigd", "ja")];
    assert_eq!(anna.post("/beheer/gebruikers/verwijderen", &leave).await.0, 422);
    let promote = [("email", "cor@example.org"), ("role", "admin")];
    assert_eq!(anna.post("/beheer/gebruikers/rol", &promote).await.0, 200);
    let (_, confirm) = anna.post("/beheer/gebruikers/verwijderen", &[("email", "anna@example.org")]).await;
    assert!(confirm.contains("Dit is uw eigen account"), "{confirm}");
    let (status, page) = anna.post("/beheer/gebruikers/verwijderen", &leave).await;
    assert_eq!(status, 200);
    assert!(page.contains("Uw account is verwijderd en u bent uitgelogd."), "{page}");
    assert!(anna.cookie().is_none(), "the cookie is cleared");
    assert_eq!(cor.get("/beheer").await.0, 200);
    assert_eq!(role_of(&app, "anna@example.org").await, None);
}

#[tokio::test]
async fn a_werkgroep_member_cannot_remove_accounts_or_change_roles() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("anna@example.org", Role::Admin).await;
    let member = app.login_as("bram@example.org", Role::Werkgroep).await;

    let (status, page) = member
        .post("/beheer/gebruikers/verwijderen", &[("email", "anna@example.org"), ("bevestigd", "ja")])
        .await;
    assert_eq!(status, 403);
    assert!(page.contains("Geen toegang"));
    let promote = [("email", "bram@example.org"), ("role", "admin")];
    assert_eq!(member.post("/beheer/gebruikers/rol", &promote).await.0, 403);
    // Without the session's token an administrator's post is refused too, as on the other forms.
    let forged = [("email", "bram@example.org"), ("bevestigd", "ja"), ("csrf", "verzonnen")];
    assert_eq!(admin.post_without_csrf("/beheer/gebruikers/verwijderen", &forged).await.0, 403);
    assert_eq!(app.post("/beheer/gebruikers/rol", &promote).await.0, 403, "not logged in");

    assert_eq!(role_of(&app, "anna@example.org").await.as_deref(), Some("admin"));
    assert_eq!(role_of(&app, "bram@example.org").await.as_deref(), Some("werkgroep"));
    assert!(audited(&app, "user_removed").await.is_empty());
    assert!(audited(&app, "role_changed").await.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_administrators_demoting_each_other_at_once_leave_one_administrator() {
    let app = TestApp::spawn().await;
    app.create_user("anna@example.org", Role::Admin).await;
    app.create_user("bram@example.org", Role::Admin).await;
    for _ in 0..10 {
        let demote = |who: &'static str, by: &'static str| {
            let db = app.db.clone();
            let now = app.now();
            tokio::spawn(async move { accounts::change_role(&db, who, Role::Werkgroep, Some(by), now).await })
        };
        let (a, b) =
            (demote("anna@example.org", "bram@example.org"), demote("bram@example.org", "anna@example.org"));
        let outcomes = [a.await.unwrap(), b.await.unwrap()];
        let refused = outcomes.iter().filter(|o| matches!(o, Err(AccountsError::LastAdmin))).count();
        assert_eq!(refused, 1, "{outcomes:?}");
        assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE role = 'admin'").await, 1);
        for email in ["anna@example.org", "bram@example.org"] {
            accounts::change_role(&app.db, email, Role::Admin, None, app.now()).await.unwrap();
        }
    }
    // And one removing the other while being demoted by them.
    let db = app.db.clone();
    let now = app.now();
    let remove = tokio::spawn(async move {
        accounts::remove(&db, "bram@example.org", Some("anna@example.org"), now).await
    });
    let demoted =
        accounts::change_role(&app.db, "anna@example.org", Role::Werkgroep, Some("bram@example.org"), now)
            .await;
    let removed = remove.await.unwrap();
    assert!(removed.is_ok() != demoted.is_ok(), "exactly one: {removed:?} {demoted:?}");
    assert_eq!(app.count("SELECT COUNT(*) FROM users WHERE role = 'admin'").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_line_removes_accounts_and_changes_roles_by_the_same_rules() {
    let cli = Cli::new();
    let ok = |args: &[&str]| {
        let output = cli.run(args);
        assert!(output.status.success(), "{args:?}: {}", stderr(&output));
        String::from_utf8(output.stdout).unwrap()
    };
    let refused = |args: &[&str]| {
        let output = cli.run(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}");
        stderr(&output)
    };
    ok(&["accounts", "add", "anna@example.org", "--role", "admin"]);
    ok(&["accounts", "add", "bram@example.org", "--role", "werkgroep"]);

    let why = refused(&["accounts", "role", "anna@example.org", "werkgroep"]);
    assert!(why.contains("this is the last administrator"), "{why}");
    let why = refused(&["accounts", "remove", "Anna@Example.org"]);
    assert!(why.contains("this is the last administrator"), "{why}");
    let why = refused(&["accounts", "remove", "niemand@example.org"]);
    assert!(why.contains("There is no account with this e-mail address."), "{why}");

    let said = ok(&["accounts", "role", "bram@example.org", "admin"]);
    assert!(said.contains("bram@example.org is now admin (was werkgroep)"), "{said}");

    // Anna logged in at the web page: her session ends when the command removes her.
    let db = cli.db.db().await;
    let link = accounts::new_password_link(&db, "anna@example.org", None, chrono::Utc::now()).await.unwrap();
    let token = link.trim_start_matches("/wachtwoord/");
    accounts::set_password(&db, token, PASSWORD, PASSWORD, chrono::Utc::now()).await.unwrap();
    let session = accounts::login(&db, "anna@example.org", PASSWORD, "127.0.0.1", chrono::Utc::now()).await;
    let Ok(accounts::LoginStep::Done(session)) = session else { panic!("no session: {session:?}") };
    assert!(accounts::session_user(&db, &session.token, chrono::Utc::now()).await.unwrap().is_some());

    let said = ok(&["user", "remove", "anna@example.org"]);
    assert!(said.contains("removed anna@example.org"), "{said}");
    assert!(accounts::session_user(&db, &session.token, chrono::Utc::now()).await.unwrap().is_none());
    let login = accounts::login(&db, "anna@example.org", PASSWORD, "127.0.0.1", chrono::Utc::now()).await;
    assert!(matches!(login, Err(AccountsError::WrongCredentials)), "{login:?}");
    assert_eq!(ok(&["accounts", "list"]).trim(), "bram@example.org\tadmin\t(no password yet)");

    let audit = ok(&["audit"]);
    let rows: Vec<Vec<&str>> = audit.lines().map(|line| line.split('\t').skip(1).take(3).collect()).collect();
    assert!(rows.contains(&vec!["-", "user_removed", "anna@example.org (was admin)"]), "{audit}");
    assert!(
        rows.contains(&vec!["-", "role_changed", "bram@example.org van werkgroep naar admin"]),
        "{audit}"
    );
    db.close().await;
}

#[tokio::test]
async fn a_forgotten_password_gets_a_new_link_on_the_page_and_the_old_link_stops_working() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("anna@example.org", Role::Admin).await;
    app.create_user("bram@example.org", Role::Werkgroep).await;
    let old = accounts::new_password_link(&app.db, "bram@example.org", None, app.now()).await.unwrap();

    let (status, page) =
        admin.post("/beheer/gebruikers/wachtwoordlink", &[("email", "Bram@Example.org")]).await;
    assert_eq!(status, 200, "{page}");
    let page = page.replace("&#x2F;", "/");
    let at = page.find("/wachtwoord/").expect("the new link on the page");
    let new: String = page[at..].chars().take_while(|c| !matches!(c, '<' | '"' | ' ')).collect();
    assert_ne!(new, old);
    assert_eq!(app.get(&old).await.0, 404, "the earlier link stops working");
    assert_eq!(app.get(&new).await.0, 200);
    let rows = audited(&app, "password_link_created").await;
    assert_eq!(
        rows[0],
        ("password_link_created".into(), Some("anna@example.org".into()), "bram@example.org".into())
    );

    let (status, page) =
        admin.post("/beheer/gebruikers/wachtwoordlink", &[("email", "niemand@example.org")]).await;
    assert_eq!(status, 422);
    assert!(page.contains("Er is geen nieuwe link gemaakt voor niemand@example.org."), "{page}");
}
