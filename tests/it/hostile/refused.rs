//! Posts that must be refused: too large, not UTF-8, malformed, the wrong type, duplicated,
//! tampered. Each gets a 4xx page in Dutch, none a 500, and none leaves a response, a draft or an
//! answered mark behind; the link still works afterwards.

use super::FORM;
use crate::helpers::{TestApp, forms_dir};

/// The fields of a good post with `field` set to `value` (or added when the form has no such field).
fn with(field: &str, value: &str) -> Vec<u8> {
    let mut fields = vec![
        ("_page", "0".to_owned()),
        ("kort", "Goed".to_owned()),
        ("kanaal", "telefoon".to_owned()),
        ("uren", "12".to_owned()),
        ("_nav", "submit".to_owned()),
    ];
    match fields.iter_mut().find(|(name, _)| *name == field) {
        Some(pair) => pair.1 = value.to_owned(),
        None => fields.insert(1, (field, value.to_owned())),
    }
    let encoded: Vec<String> =
        fields.iter().map(|(name, value)| format!("{name}={}", url_encode(value))).collect();
    encoded.join("&").into_bytes()
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'-' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What a post holds, and the status it must get.
fn refusals() -> Vec<(&'static str, Vec<u8>, u16)> {
    let mut too_many = String::from("_page=0&uren=1");
    for i in 0..2100 {
        too_many.push_str(&format!("&veld{i}=x"));
    }
    vec![
        ("a 1 MB answer", with("opmerking", &"a".repeat(1024 * 1024)), 413),
        ("an escaped answer that is not UTF-8", b"_page=0&kort=%FF%FE&uren=1".to_vec(), 400),
        ("raw bytes that are not UTF-8", b"_page=0&kort=\xff\xfe&uren=1".to_vec(), 400),
        ("a cut-off escape", b"_page=0&uren=1&kort=%E".to_vec(), 400),
        ("an escape that is not hex", b"_page=0&uren=1&kort=%+1".to_vec(), 400),
        ("a field without a name", b"_page=0&uren=1&=x".to_vec(), 400),
        ("two answers to one text question", [with("kort", "een"), b"&kort=twee".to_vec()].concat(), 422),
        ("two answers to one choice", [with("kanaal", "mail"), b"&kanaal=telefoon".to_vec()].concat(), 422),
        ("a number in words", with("uren", "twaalf"), 422),
        ("a number out of range", with("uren", "61"), 422),
        ("a number past f64", with("uren", "1e400"), 422),
        ("not a number", with("uren", "NaN"), 422),
        ("a number with HTML", with("uren", "<b>12</b>"), 422),
        ("an option the form does not have", with("kanaal", "fax"), 422),
        ("an option with script", with("kanaal", "<script>x</script>"), 422),
        ("Anders without saying what", with("kanaal", "_anders"), 422),
        ("a text longer than allowed", with("kort", &"x".repeat(501)), 422),
        ("a page the form does not have", with("_page", "5"), 400),
        ("a negative page", with("_page", "-1"), 400),
        ("two pages", [with("kort", "x"), b"&_page=0".to_vec()].concat(), 400),
        ("a button that does not exist", with("_nav", "verwijder"), 400),
        ("a control field of its own", with("_admin", "1"), 400),
        ("more fields than any form has", too_many.into_bytes(), 400),
        ("no page at all", b"kort=x&uren=1".to_vec(), 400),
        ("an empty body", Vec::new(), 400),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_posts_get_a_dutch_4xx_and_store_nothing() {
    let forms = forms_dir(&[("vrij", FORM)]);
    let app = TestApp::spawn_with_forms(forms.path()).await;
    app.import_contacts(crate::helpers::CONTACTS).await;
    let round = app.open_round("vrij", &["huisarts"], false).await;
    let link = app.first_link(round).await;
    let (status, _) = app.get(&link).await;
    assert_eq!(status, 200);

    for (what, body, expected) in refusals() {
        let (status, page) = app.post_raw(&link, body).await;
        assert_eq!(status, expected, "{what}: {page}");
        assert!(page.contains("lang=\"nl\""), "{what}: a page in Dutch: {page}");
        if status == 422 {
            assert!(page.contains("nog niet goed"), "{what}: the page says what is wrong: {page}");
        }
    }
    let json = app
        .client
        .post(format!("{}{link}", app.url))
        .header("content-type", "application/json")
        .body(r#"{"_page": 0, "uren": 1}"#)
        .send()
        .await
        .expect("POST");
    assert_eq!(json.status(), 415, "a JSON body is not a form");

    for (table, sql) in [
        ("responses", "SELECT COUNT(*) FROM responses"),
        ("drafts", "SELECT COUNT(*) FROM drafts"),
        ("answered", "SELECT COUNT(*) FROM invitations WHERE answered <> 0"),
    ] {
        assert_eq!(app.count(sql).await, 0, "nothing stored in {table} by a refused post");
    }
    let (status, page) = app.post_raw(&link, with("kort", "Eindelijk goed")).await;
    assert_eq!(status, 200, "the link still takes a good answer: {page}");
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_registrations_get_a_dutch_4xx_and_store_nothing() {
    let app = TestApp::spawn().await;
    let (_, page) = crate::signup::open_registration(&app, 4).await;
    let good = "naam=Eva&email=eva%40example.org&rol=poh-ggz&praktijk=De+Brug";
    let refusals: Vec<(&str, Vec<u8>, u16)> = vec![
        ("a 1 MB name", format!("{good}&naam={}", "a".repeat(1024 * 1024)).into_bytes(), 413),
        ("a name that is not UTF-8", b"naam=%FF%FE&email=eva%40example.org&rol=poh-ggz".to_vec(), 400),
        ("raw bytes that are not UTF-8", b"naam=\xff&email=eva%40example.org&rol=poh-ggz".to_vec(), 400),
        ("a cut-off escape", b"naam=Eva&email=eva%40example.org&rol=poh-ggz&praktijk=%E".to_vec(), 400),
        ("two names", format!("{good}&naam=Evil").into_bytes(), 400),
        ("two addresses", format!("{good}&email=evil%40example.org").into_bytes(), 400),
        (
            "a name of 201 characters",
            format!("naam={}&email=e%40example.org&rol=poh-ggz", "x".repeat(201)).into_bytes(),
            422,
        ),
        ("no name", b"naam=+&email=eva%40example.org&rol=poh-ggz".to_vec(), 422),
        (
            "two addresses in one",
            b"naam=Eva&email=eva%40example.org%2Cevil%40example.org&rol=poh-ggz".to_vec(),
            422,
        ),
        ("a role the list does not have", b"naam=Eva&email=eva%40example.org&rol=admin".to_vec(), 422),
        ("a role with script", b"naam=Eva&email=eva%40example.org&rol=%3Cscript%3E".to_vec(), 422),
        (
            "a tab in the practice",
            b"naam=Eva&email=eva%40example.org&rol=poh-ggz&praktijk=a%09b".to_vec(),
            422,
        ),
        ("an empty body", Vec::new(), 422),
    ];
    for (what, body, expected) in refusals {
        let (status, reply) = app.post_raw(&page, body).await;
        assert_eq!(status, expected, "{what}: {reply}");
        assert!(reply.contains("lang=\"nl\""), "{what}: a page in Dutch: {reply}");
        assert!(!reply.contains("<script>"), "{what}: nothing posted is echoed as markup: {reply}");
    }
    for (table, sql) in [
        ("contacts", "SELECT COUNT(*) FROM contacts"),
        ("invitations", "SELECT COUNT(*) FROM invitations"),
        ("outbox", "SELECT COUNT(*) FROM outbox"),
    ] {
        assert_eq!(app.count(sql).await, 0, "nothing stored in {table} by a refused registration");
    }
    let (status, reply) = app.post_raw(&page, good.as_bytes().to_vec()).await;
    assert_eq!(status, 200, "the page still takes a good registration: {reply}");
    assert_eq!(app.count("SELECT COUNT(*) FROM outbox").await, 1);
}
