//! Every `/beheer` page and action is for administrators only. The routes are read from what
//! Rocket mounted, not from a list kept by hand, so a page added later is walked too: a werkgroep
//! member gets 403 on each, a visitor who is not logged in is sent to the login (pages) or
//! refused (actions), and nothing is written on the way.

use rocket::http::Method;

use peil::accounts::Role;

use crate::helpers::{CONTACTS, MountedRoute, TestApp};

fn beheer_routes(app: &TestApp) -> Vec<MountedRoute> {
    let routes: Vec<MountedRoute> =
        app.routes.iter().filter(|r| r.uri.starts_with("/beheer")).cloned().collect();
    // The walk would pass on nothing: the pages this issue promises must be among them, with
    // their actions.
    assert!(routes.len() >= 30, "{routes:#?}");
    for page in [
        "/beheer",
        "/beheer/gebruikers",
        "/beheer/logboek",
        "/beheer/rondes",
        "/beheer/contacten",
        "/beheer/jobs",
        "/beheer/formulieren",
        "/beheer/mail",
    ] {
        assert!(
            routes.iter().any(|r| r.method == Method::Get && r.example_path() == page),
            "{page} is not mounted: {routes:#?}"
        );
    }
    routes
}

/// What the database holds that a beheer action could change.
async fn state(app: &TestApp) -> Vec<i64> {
    let mut counts = Vec::new();
    for sql in [
        "SELECT COUNT(*) FROM contacts",
        "SELECT COUNT(*) FROM rounds",
        "SELECT COUNT(*) FROM invitations",
        "SELECT COUNT(*) FROM outbox",
        "SELECT COUNT(*) FROM users",
        "SELECT COUNT(*) FROM outbox WHERE status = 'pending'",
    ] {
        counts.push(app.count(sql).await);
    }
    counts
}

#[tokio::test]
async fn a_werkgroep_member_gets_403_on_every_beheer_page_and_action() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    assert_eq!(round.0, 1, "the walk's `1`s name this round");
    let routes = beheer_routes(&app);
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let before = state(&app).await;
    for route in &routes {
        let path = route.example_path();
        let (status, page) = match route.method {
            Method::Get => member.get(&path).await,
            Method::Post => member.post(&path, &[("reden", "test"), ("bevestig", "ja")]).await,
            other => panic!("{other} {path}: a beheer route with a method this walk does not know"),
        };
        assert_eq!(status, 403, "{} {path} for a werkgroep member: {page}", route.method);
        assert!(page.contains("Geen toegang"), "{} {path}: {page}", route.method);
    }
    assert_eq!(state(&app).await, before, "a refused request wrote nothing");
}

#[tokio::test]
async fn a_visitor_who_is_not_logged_in_is_sent_to_the_login_or_refused() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    app.open_round("crisisdienst", &["huisarts"], false).await;
    let before = state(&app).await;
    for route in &beheer_routes(&app) {
        let path = route.example_path();
        let url = format!("{}{path}", app.url);
        let response = match route.method {
            Method::Get => app.client.get(&url).send().await,
            _ => app.client.post(&url).form(&[("reden", "test")]).send().await,
        }
        .expect("request");
        let status = response.status().as_u16();
        match route.method {
            Method::Get => {
                assert_eq!(status, 303, "GET {path}");
                let to = crate::helpers::location(&response);
                assert!(to.starts_with("/inloggen"), "GET {path} leads to {to}");
            }
            _ => assert!(status == 403 || status == 401, "{} {path}: {status}", route.method),
        }
    }
    assert_eq!(state(&app).await, before);
}
