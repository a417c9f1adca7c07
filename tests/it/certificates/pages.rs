//! The pages: a person downloads their own certificate from their link and nobody else's;
//! `/bewijs/<code>` confirms a code typed any way, shows only what the certificate shows, says
//! when it was withdrawn, and answers an unknown code with a 404 in Dutch.

use chrono::{Duration, Utc};

use super::{certificate_of, get_bytes, pdf_text, record, signed_up};
use crate::helpers::TestApp;
use crate::signup::{poh_contacts, seat_of, unescaped};

#[tokio::test]
async fn the_link_downloads_its_own_certificate_and_not_someone_elses() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(3)).await;
    let (_, session, paths) = signed_up(&app, Utc::now() + Duration::days(2), "s1", 3).await;
    record(&app, session, &["poh01@example.org", "poh02@example.org"], true).await;
    let (mine, hers) = (seat_of(&app, &paths[0]).await, seat_of(&app, &paths[1]).await);

    let (status, kind, bytes) = get_bytes(&app, &format!("{}/bewijs/{mine}.pdf", paths[0])).await;
    assert_eq!((status, kind.as_str()), (200, "application/pdf"));
    assert!(pdf_text(&bytes).contains("POH 01"), "the contact's name without register details");

    let (status, _, _) = get_bytes(&app, &format!("{}/bewijs/{hers}.pdf", paths[0])).await;
    assert_eq!(status, 404, "another person's seat is not there");
    let absent = seat_of(&app, &paths[2]).await;
    let (status, _, _) = get_bytes(&app, &format!("{}/bewijs/{absent}.pdf", paths[2])).await;
    assert_eq!(status, 404, "no certificate without attendance");

    // The status page links to it, and after an undo no longer.
    let (status, page) = app.get(&paths[0]).await;
    assert_eq!(status, 200);
    assert!(unescaped(&page).contains(&format!("/bewijs/{mine}.pdf\"")), "{page}");
    record(&app, session, &["poh01@example.org"], false).await;
    let (_, page) = app.get(&paths[0]).await;
    assert!(!unescaped(&page).contains("/bewijs/"), "{page}");
    let (status, _, _) = get_bytes(&app, &format!("{}/bewijs/{mine}.pdf", paths[0])).await;
    assert_eq!(status, 404, "a withdrawn certificate is not downloaded");
}

/// `K7PQM2XA9DHF` → `k7pq-m2xa-9dhf`.
fn dashed_lower(code: &str) -> String {
    format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]).to_lowercase()
}

#[tokio::test]
async fn a_code_is_confirmed_with_dashes_or_without_in_any_case_and_the_page_shows_no_more() {
    let app = TestApp::spawn().await;
    app.import_contacts(&poh_contacts(2)).await;
    let (_, session, paths) = signed_up(&app, Utc::now() + Duration::days(2), "s1", 2).await;
    record(&app, session, &["poh01@example.org"], true).await;
    let (code, _) = certificate_of(&app, &paths[0]).await;

    for typed in [code.clone(), dashed_lower(&code), code.to_lowercase()] {
        let (status, page) = app.get(&format!("/bewijs/{typed}")).await;
        assert_eq!(status, 200, "{typed}: {page}");
        assert!(page.contains("Dit bewijs van deelname is echt."), "{page}");
        assert!(
            page.contains("POH 01") && page.contains("Intervisiegroep s1") && page.contains("2 uur"),
            "{page}"
        );
        assert!(page.contains("GAIA-445566"), "{page}");
        assert!(!page.contains("@example.org"), "no e-mail address: {page}");
        assert!(!page.contains("Praktijk 1"), "no practice: {page}");
    }

    record(&app, session, &["poh01@example.org"], false).await;
    let (status, page) = app.get(&format!("/bewijs/{}", dashed_lower(&code))).await;
    assert_eq!(status, 410);
    assert!(page.contains("Dit bewijs van deelname is ingetrokken"), "{page}");
    assert!(!page.contains("POH 01"), "{page}");

    let (status, page) = app.get("/bewijs/K7PQ-M2XA-9DHF").await;
    assert_eq!(status, 404);
    assert!(page.contains("Er is geen bewijs van deelname met deze code."), "{page}");
    let (status, _) = app.get("/bewijs/geen-code").await;
    assert_eq!(status, 404);
}
