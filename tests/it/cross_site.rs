//! A respondent's forms (answers, cancelling a seat, unsubscribing, registering) posted from
//! another site are refused, as staff forms are: a page on evil.example that makes a visitor's
//! browser post to peil changes nothing. The one-click unsubscribe of mail programs (RFC 8058)
//! comes without an origin of ours and keeps working.

use crate::helpers::{TestApp, location};
use crate::signup::{open_registration, open_signup, poh_contacts, seats, session, sign_up};

/// The two ways a browser says a post comes from another site.
const CROSS_SITE: [(&str, &str); 2] = [("Origin", "https://evil.example"), ("Sec-Fetch-Site", "cross-site")];

async fn post_from_elsewhere(
    app: &TestApp,
    path: &str,
    fields: &[(&str, &str)],
    header: (&str, &str),
) -> u16 {
    let response = app
        .client
        .post(format!("{}{path}", app.url))
        .header(header.0, header.1)
        .form(fields)
        .send()
        .await
        .expect("POST");
    response.status().as_u16()
}

/// The token-less address (`/antwoord/<handle>`) a link is exchanged for, with its cookie kept.
async fn exchanged(app: &TestApp, link: &str) -> String {
    let response = app.client.get(format!("{}{link}", app.url)).send().await.expect("GET");
    location(&response)
}

#[tokio::test]
async fn a_cross_site_answer_or_unsubscribe_is_refused_and_changes_nothing() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let round = app.open_round("crisisdienst", &[], false).await;
    let link = app.first_link(round).await;
    let page = exchanged(&app, &link).await;
    let answer = [("_page", "0"), ("_nav", "next")];
    for header in CROSS_SITE {
        for path in [page.as_str(), link.as_str()] {
            assert_eq!(post_from_elsewhere(&app, path, &answer, header).await, 403, "{path} {header:?}");
        }
        let unsubscribe = format!("{page}/afmelden");
        assert_eq!(post_from_elsewhere(&app, &unsubscribe, &[], header).await, 403, "{header:?}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts WHERE opted_out = 1").await, 0);

    // The mail program's one-click post, which carries no origin of ours, still unsubscribes.
    let (status, _) = app.post_raw(&format!("{link}/afmelden"), b"List-Unsubscribe=One-Click".to_vec()).await;
    assert_eq!(status, 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts WHERE opted_out = 1").await, 1);
}

#[tokio::test]
async fn a_cross_site_seat_cancellation_is_refused_and_the_seat_stays() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(1)).await;
    let starts = chrono::Utc::now() + chrono::Duration::days(20);
    let round = open_signup(&app, vec![session("s1", 4, starts)], chrono::Duration::hours(24)).await;
    let link = app.first_link(round).await;
    assert_eq!(sign_up(&app, &link, "s1").await, 303);
    let (seat, _) = seats(&app, round, "s1").await[0].clone();
    let page = exchanged(&app, &link).await;
    for header in CROSS_SITE {
        for base in [page.as_str(), link.as_str()] {
            let path = format!("{base}/plaats/{seat}/afzeggen");
            assert_eq!(post_from_elsewhere(&app, &path, &[], header).await, 403, "{path} {header:?}");
        }
    }
    assert_eq!(seats(&app, round, "s1").await[0].1, "confirmed");
}

#[tokio::test]
async fn a_cross_site_registration_is_refused_and_stores_nothing() {
    let app = TestApp::spawn().await;
    let (_, page) = open_registration(&app, 1).await;
    let fields = [("naam", "Eva Nieuw"), ("email", "eva@example.org"), ("rol", "poh-ggz"), ("praktijk", "")];
    for header in CROSS_SITE {
        assert_eq!(post_from_elsewhere(&app, &page, &fields, header).await, 403, "{header:?}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM contacts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 0);
}
