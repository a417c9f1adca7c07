//! `/beheer/formulieren`: a coordinator tries a form as a respondent sees it, page by page, with
//! conditional pages and validation working, and nothing is stored.

use peil::accounts::Role;

use super::{app_on, folders, hidden};
use crate::helpers::{Session, TestApp};

const GEBRUIK: &str = r#"
title = "Gebruik van e-health"

[[pages]]
[[pages.questions]]
id = "gebruikt"
type = "yesno"
label = "Gebruikt u e-health?"
required = true

[[pages]]
title = "Hoe vaak"
show_if = "gebruikt = true"
[[pages.questions]]
id = "hoe_vaak"
type = "number"
label = "Hoeveel patiënten per maand?"
required = true

[[pages]]
[[pages.questions]]
id = "opmerking"
type = "text"
label = "Opmerking"
"#;

const PATH: &str = "/beheer/formulieren/gebruik/voorbeeld";

async fn app() -> (TestApp, tempfile::TempDir) {
    let folders = folders();
    std::fs::write(folders.path().join("forms/gebruik.toml"), GEBRUIK).expect("form");
    (app_on(&folders).await, folders)
}

/// Posts page `page` of the preview with the answers so far taken from `shown`.
async fn post(admin: &Session, shown: &str, page: &str, nav: &str, fields: &[(&str, &str)]) -> (u16, String) {
    let state = hidden(shown, "_voorbeeld");
    let mut all = vec![("_voorbeeld", state.as_str()), ("_page", page), ("_nav", nav)];
    all.extend_from_slice(fields);
    admin.post(PATH, &all).await
}

#[tokio::test]
async fn a_preview_walks_the_form_with_its_conditional_page_and_errors_and_stores_nothing() {
    let (app, _folders) = app().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let (status, list) = admin.get("/beheer/formulieren").await;
    assert_eq!(status, 200);
    assert!(list.contains("Gebruik van e-health") && list.contains(&format!("href=\"{PATH}\"")), "{list}");

    let (status, first) = admin.get(PATH).await;
    assert_eq!(status, 200, "{first}");
    assert!(first.contains("Voorbeeld.") && first.contains("Pagina 1 van 3"), "{first}");

    let (status, page) = post(&admin, &first, "0", "next", &[]).await;
    assert_eq!(status, 422, "a required answer is missing: {page}");
    assert!(page.contains("nog niet goed"), "{page}");

    let (status, second) = post(&admin, &page, "0", "next", &[("gebruikt", "ja")]).await;
    assert_eq!(status, 200, "{second}");
    assert!(second.contains("Pagina 2 van 3") && second.contains("Hoeveel patiënten"), "{second}");
    let (status, wrong) = post(&admin, &second, "1", "next", &[("hoe_vaak", "veel")]).await;
    assert_eq!(status, 422, "{wrong}");
    assert!(wrong.contains("aria-invalid=\"true\""), "{wrong}");
    let (status, third) = post(&admin, &wrong, "1", "next", &[("hoe_vaak", "12")]).await;
    assert_eq!(status, 200, "{third}");
    assert!(third.contains("Pagina 3 van 3"), "{third}");
    let (status, back) = post(&admin, &third, "2", "prev", &[]).await;
    assert_eq!(status, 200);
    assert!(back.contains("value=\"12\""), "the answers so far come back: {back}");
    let (status, end) = post(&admin, &third, "2", "submit", &[("opmerking", "prima")]).await;
    assert_eq!(status, 200, "{end}");
    assert!(end.contains("Dit was een voorbeeld; er is niets opgeslagen"), "{end}");

    // "Nee" skips the page about how often.
    let (_, skipped) = post(&admin, &first, "0", "next", &[("gebruikt", "nee")]).await;
    assert!(skipped.contains("Pagina 3 van 3"), "{skipped}");

    for table in
        ["SELECT COUNT(*) FROM responses", "SELECT COUNT(*) FROM drafts", "SELECT COUNT(*) FROM rounds"]
    {
        assert_eq!(app.count(table).await, 0, "{table}");
    }
}

#[tokio::test]
async fn a_preview_refuses_answers_so_far_that_were_changed_in_the_page() {
    let (app, _folders) = app().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (_, first) = admin.get(PATH).await;
    let state = hidden(&first, "_voorbeeld");
    let (body, tag) = state.split_once('.').expect("body.tag");
    let forged = format!("{}.{tag}", body.replace('e', "f"));
    let (status, _) = admin
        .post(PATH, &[("_voorbeeld", &forged), ("_page", "0"), ("_nav", "next"), ("gebruikt", "ja")])
        .await;
    assert_eq!(status, 400);
    let (status, page) = admin.get("/beheer/formulieren/bestaat-niet/voorbeeld").await;
    assert_eq!(status, 404);
    assert!(page.contains("Dit formulier bestaat niet"), "{page}");
}

#[tokio::test]
async fn a_sign_up_form_is_previewed_with_made_up_sessions() {
    let (app, _folders) = app().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let (status, page) = admin.get("/beheer/formulieren/intervisie/voorbeeld").await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Voorbeeldbijeenkomst A") && page.contains("Voorbeeldbijeenkomst B (vol)"),
        "{page}"
    );
    let (status, end) =
        post(&admin, &page, "0", "submit", &[("bijeenkomst", "s1"), ("naam_delen", "ja")]).await;
    let end_path = "/beheer/formulieren/intervisie/voorbeeld";
    assert_ne!(PATH, end_path);
    // Posted to the other form's preview: the state is bound to its form, so it is refused.
    assert_eq!(status, 400, "{end}");
    let state = hidden(&page, "_voorbeeld");
    let (status, end) = admin
        .post(
            end_path,
            &[
                ("_voorbeeld", &state),
                ("_page", "0"),
                ("_nav", "submit"),
                ("bijeenkomst", "s1"),
                ("naam_delen", "ja"),
            ],
        )
        .await;
    assert_eq!(status, 200, "{end}");
    assert!(end.contains("er is niets opgeslagen"), "{end}");
    assert_eq!(app.count("SELECT COUNT(*) FROM seats").await, 0);
}
