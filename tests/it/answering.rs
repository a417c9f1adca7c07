//! Answering by personal link over HTTP: pages, drafts, validation, submission.

use crate::helpers::{CONTACTS, TestApp};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_person_opens_the_first_page_of_the_form() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    let (status, body) = app.get(&app.first_link(round).await).await;
    assert_eq!(status, 200);
    assert!(body.contains("Pagina 1 van"), "{body}");
}
