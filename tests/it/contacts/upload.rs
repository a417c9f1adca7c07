//! `/beheer/contacten/importeren`: a list is read and shown before anything is written, with its
//! header checked, every problem at its line, and the counts; only a clean list can be imported,
//! all at once, through the same function as `peil contacts import`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use peil::accounts::Role;

use super::{audited, hidden, opt_out, table, text_of, unescape, upload};
use crate::helpers::{CONTACTS, TestApp};

const CONFIRM: &str = "/beheer/contacten/importeren/bevestigen";

/// CONTACTS again, with Bram's practice changed, Cor left out and Eva new.
const NEXT_LIST: &str = "naam;e-mail;rol;praktijk;wijk;gemeente\r\n\
Anna de Vries;anna@example.org;huisarts;Praktijk Noord;noord;Stad\r\n\
Bram Bakker;bram@example.org;huisarts;Praktijk Oost;noord;Stad\r\n\
Dina Visser;dina@example.org;huisarts;Praktijk Zuid;zuid;Stad\r\n\
Eva Jansen;eva@example.org;poh-ggz;Praktijk Zuid;zuid;Stad\r\n";

#[tokio::test]
async fn a_list_is_previewed_without_writing_anything_and_imported_only_when_confirmed() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    opt_out(&app, "dina@example.org").await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let before = table(&app).await;

    let (status, page) =
        upload(&admin, Some(admin.csrf()), Some(("lijst.csv", NEXT_LIST.as_bytes())), "").await;
    assert_eq!(status, 200, "{page}");
    let counts: Vec<String> = ["nieuw", "gewijzigd", "ongewijzigd", "afgemeld"]
        .iter()
        .filter_map(|id| text_of(&page, id))
        .collect();
    assert_eq!(counts, ["1", "1", "2", "1"], "new, changed, unchanged, opted out");
    let page = unescape(&page);
    assert!(
        page.contains("<td>Eva Jansen</td><td>eva@example.org</td><td>POH-GGZ</td><td>Praktijk Zuid</td><td>Zuid</td><td>Stad</td><td>nieuw</td>"),
        "the sample as stored: {page}"
    );
    assert!(
        page.contains("<td>Dina Visser</td>") && page.contains("<td>ongewijzigd, afgemeld</td>"),
        "{page}"
    );
    assert_eq!(table(&app).await, before, "the preview writes nothing");
    assert!(audited(&app, "contacts_imported").await.len() == 1, "only the import of CONTACTS");

    let list = hidden(&page, "lijst").expect("the list goes back with the button");
    let name = hidden(&page, "naam").expect("and its name");
    let (status, done) = admin.post(CONFIRM, &[("lijst", &list), ("naam", &name)]).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        text_of(&done, "import-result").as_deref(),
        Some("lijst.csv is geïmporteerd: 1 nieuw, 1 gewijzigd, 2 ongewijzigd.")
    );
    let after = table(&app).await;
    assert_eq!(after.len(), 5, "{after:?}");
    assert!(after.iter().any(|row| row.starts_with("bram@example.org|Bram Bakker|huisarts|Praktijk Oost|")));
    assert!(
        after.iter().any(|row| row.starts_with("dina@example.org|") && row.contains("|1|")),
        "still opted out"
    );
    let rows = audited(&app, "contacts_imported").await;
    assert_eq!(
        rows.last(),
        Some(&(
            Some("beheer@example.org".into()),
            "lijst.csv: 1 nieuw, 1 gewijzigd, 2 ongewijzigd, 1 afgemeld".into()
        ))
    );
}

#[tokio::test]
async fn an_unknown_column_is_refused_with_the_column_it_looks_like() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let list = "Naam;E-mail adres;Rol\nAnna;anna@example.org;huisarts\n";
    let (status, page) = upload(&admin, Some(admin.csrf()), Some(("lijst.csv", list.as_bytes())), "").await;
    assert_eq!(status, 422, "{page}");
    let page = unescape(&page);
    assert!(
        page.contains("Regel 1: Onbekende kolom 'E-mail adres'. 'E-mail adres' lijkt op 'e-mail'"),
        "{page}"
    );
    assert!(!page.contains("ontbreekt"), "the column it looks like is not reported missing too: {page}");
    assert!(page.contains("De regel zonder fouten"), "the rows are read as if it were named so: {page}");
    assert!(
        page.contains("<td>E-mail adres</td><td>onbekend; 'E-mail adres' lijkt op 'e-mail'</td>"),
        "{page}"
    );
    assert!(!page.contains(CONFIRM), "no import button");
    assert!(table(&app).await.is_empty());
}

#[tokio::test]
async fn every_problem_is_listed_at_its_line_and_the_list_cannot_be_imported() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let before = table(&app).await;
    // Pasted rather than uploaded: the same preview.
    let pasted = "naam;e-mail;rol;praktijk;wijk;gemeente\n\
                  Eva Jansen;eva@example.org;poh-ggz;;zuid;Stad\n\
                  Fien Smit;fien@;huisarts;;noord;Stad\n\
                  Gijs de Boer;gijs@example.org;huisarts\n\
                  Hans Kok;hans@example.org;tandarts;;noord;Stad\n";
    let (status, page) = upload(&admin, Some(admin.csrf()), None, pasted).await;
    assert_eq!(status, 422, "{page}");
    let page = unescape(&page);
    for expected in [
        "3 problemen: er wordt niets geïmporteerd",
        "<li>Regel 3: 'fien@' is geen geldig e-mailadres.</li>",
        "<li>Regel 4: Deze regel heeft 3 van de 6 kolommen",
        "<li>Regel 5: Onbekende rol 'tandarts'.",
        "Van <strong>geplakte lijst</strong>",
    ] {
        assert!(page.contains(expected), "{expected}: {page}");
    }
    assert_eq!(text_of(&page, "nieuw").as_deref(), Some("1"), "the rows without problems are counted");
    assert!(!page.contains(CONFIRM), "no import button");
    assert_eq!(table(&app).await, before);
}

#[tokio::test]
async fn a_list_with_one_bad_row_posted_to_the_import_button_imports_nothing() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let before = table(&app).await;
    let bad = format!("{NEXT_LIST}Ilse;ilse@example.org;tandarts;;;\r\n");
    let list = URL_SAFE_NO_PAD.encode(bad);
    let (status, page) = admin.post(CONFIRM, &[("lijst", &list), ("naam", "lijst.csv")]).await;
    assert_eq!(status, 422, "{page}");
    assert!(unescape(&page).contains("Regel 6: Onbekende rol 'tandarts'."), "{page}");
    assert_eq!(table(&app).await, before, "all or nothing: Eva is not added, Bram not changed");
    assert_eq!(audited(&app, "contacts_imported").await.len(), 1);
}

#[tokio::test]
async fn an_empty_upload_asks_for_a_file() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, page) = upload(&admin, Some(admin.csrf()), None, "  \n").await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Kies een bestand, of plak de lijst in het tekstvak."), "{page}");
}

#[tokio::test]
async fn the_upload_and_the_import_button_are_refused_without_the_csrf_token() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, _) = upload(&admin, None, Some(("lijst.csv", NEXT_LIST.as_bytes())), "").await;
    assert_eq!(status, 403);
    let (status, _) =
        upload(&admin, Some("een-ander-token"), Some(("lijst.csv", NEXT_LIST.as_bytes())), "").await;
    assert_eq!(status, 403);
    let list = URL_SAFE_NO_PAD.encode(NEXT_LIST);
    let (status, _) = admin.post_without_csrf(CONFIRM, &[("lijst", &list), ("naam", "lijst.csv")]).await;
    assert_eq!(status, 403);
    assert!(table(&app).await.is_empty());
}
