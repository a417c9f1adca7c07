//! `/beheer/logboek`: the administrator reads the whole audit log in Dutch, filtered by what and
//! by who, a page at a time; nobody else reads it.

use peil::accounts::Role;
use peil::audit::{self, AuditAction};

use crate::helpers::TestApp;

/// The rows of the page's table: (wie, wat), in order.
fn rows(page: &str) -> Vec<(String, String)> {
    let Some(body) = page.split("<tbody>").nth(1).and_then(|b| b.split("</tbody>").next()) else {
        return Vec::new();
    };
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let cells: Vec<&str> =
                row.split("<td>").skip(1).map(|c| c.split("</td>").next().unwrap_or("")).collect();
            (cells[1].to_owned(), cells[2].to_owned())
        })
        .collect()
}

async fn logged(app: &TestApp, actor: &str, action: AuditAction, times: usize) {
    for _ in 0..times {
        audit::log(&app.db, app.now(), Some(actor), action, "detail").await.expect("audit");
    }
}

#[tokio::test]
async fn an_administrator_filters_the_log_by_what_and_by_who_in_dutch() {
    let app = TestApp::spawn().await;
    logged(&app, "anna@example.org", AuditAction::LoginFailed, 2).await;
    logged(&app, "bram@example.org", AuditAction::LoginFailed, 1).await;
    logged(&app, "anna@example.org", AuditAction::ResultsViewed, 1).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let (status, page) = admin.get("/beheer/logboek?wat=login_failed").await;
    assert_eq!(status, 200, "{page}");
    let failed = rows(&page);
    assert_eq!(failed.len(), 3, "{failed:?}");
    assert!(failed.iter().all(|(_, what)| what == "Inloggen mislukt"), "{failed:?}");

    let (_, page) = admin.get("/beheer/logboek?wie=ANNA").await;
    let anna = rows(&page);
    assert_eq!(anna.len(), 3, "{anna:?}");
    assert!(anna.iter().all(|(who, _)| who == "anna@example.org"));

    let (_, page) = admin.get("/beheer/logboek?wat=login_failed&wie=anna").await;
    assert_eq!(rows(&page).len(), 2);
    // What is typed is matched as it is: `%` is no wildcard.
    let (status, page) = admin.get("/beheer/logboek?wie=%25").await;
    assert_eq!((status, rows(&page).len()), (200, 0), "{page}");
    assert!(page.contains("Geen regels die hierbij passen"), "{page}");
}

#[tokio::test]
async fn the_log_comes_fifty_rows_a_page_newest_first() {
    let app = TestApp::spawn().await;
    logged(&app, "oud@example.org", AuditAction::Exported, 30).await;
    logged(&app, "nieuw@example.org", AuditAction::Exported, 30).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let (_, first) = admin.get("/beheer/logboek?wat=exported").await;
    let rows_first = rows(&first);
    assert_eq!(rows_first.len(), 50);
    assert!(rows_first[..30].iter().all(|(who, _)| who == "nieuw@example.org"), "newest first");
    // The template escapes the link (`/` as `&#x2F;`, `&` as `&amp;`), as browsers read it back.
    assert!(first.contains("logboek?wat=exported&amp;pagina=2\">Oudere regels</a>"), "{first}");
    assert!(!first.contains("Nieuwere regels"));

    let (_, second) = admin.get("/beheer/logboek?wat=exported&pagina=2").await;
    assert_eq!(rows(&second).len(), 10);
    assert!(second.contains("Nieuwere regels") && !second.contains("Oudere regels"), "{second}");
}

#[tokio::test]
async fn only_an_administrator_reads_the_log() {
    let app = TestApp::spawn().await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    assert_eq!(member.get("/beheer/logboek").await.0, 403);
    let (status, _) = app.get("/beheer/logboek").await;
    assert_ne!(status, 200, "not without logging in");
}
