//! A contact's register details on their page in /beheer: shown, changed with the checks of the
//! person's own form, audited by field name; a refused change stores nothing.

use peil::accounts::Role;

use super::{audited, id_of, text_of, unescape};
use crate::helpers::{CONTACTS, TestApp};

async fn stored(app: &TestApp, id: i64) -> (String, String, String) {
    sqlx::query_as("SELECT initials, surname, big_number FROM contacts WHERE id = $1")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .expect("contact")
}

#[tokio::test]
async fn a_coordinator_changes_a_contacts_register_details_with_the_same_checks_and_it_is_audited() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let anna = id_of(&app, "anna@example.org").await;
    sqlx::query(
        "INSERT INTO register_numbers (contact_id, register, number, updated_at) \
         VALUES ($1, 'kwaliteitsregister-poh-ggz', 'P-1', '2026-12-01T10:00:00Z')",
    )
    .bind(anna)
    .execute(&app.pool)
    .await
    .expect("a number she gave before");
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let path = format!("/beheer/contacten/{anna}/accreditatie");
    let (status, page) = admin.get(&format!("/beheer/contacten/{anna}")).await;
    assert_eq!(status, 200);
    let page = unescape(&page);
    assert!(
        page.contains(&format!("action=\"{path}\"")) && page.contains("Gegevens voor accreditatie"),
        "{page}"
    );
    assert!(page.contains(r#"name="nummer-kwaliteitsregister-poh-ggz" value="P-1""#), "{page}");

    let refused = [("voorletters", "a"), ("achternaam", "de Vries"), ("big", "12345678")];
    let (status, page) = admin.post(&path, &refused).await;
    assert_eq!(status, 422, "{page}");
    assert!(unescape(&page).contains("Een BIG-nummer heeft 11 cijfers"), "{page}");
    assert_eq!(stored(&app, anna).await, (String::new(), String::new(), String::new()));
    assert!(audited(&app, "contact_changed").await.is_empty());

    let fields = [
        ("voorletters", "a m"),
        ("achternaam", "de Vries"),
        ("big", "123456789"),
        ("nummer-kwaliteitsregister-poh-ggz", "P-1"),
    ];
    let (status, page) = admin.post(&path, &fields).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        text_of(&page, "accreditation-result").as_deref(),
        Some("Opgeslagen. Gewijzigd: voorletters, achternaam, BIG-nummer.")
    );
    assert_eq!(stored(&app, anna).await, ("A.M.".into(), "de Vries".into(), "00123456789".into()));
    assert_eq!(
        audited(&app, "contact_changed").await,
        [(
            Some("beheer@example.org".into()),
            format!(
                "contact {anna} (anna@example.org): accreditatiegegevens: voorletters, achternaam, BIG-nummer"
            )
        )]
    );

    let (_, page) = admin.post(&path, &fields).await;
    assert_eq!(text_of(&page, "accreditation-result").as_deref(), Some("Er is niets gewijzigd."));
    assert_eq!(audited(&app, "contact_changed").await.len(), 1);
}
