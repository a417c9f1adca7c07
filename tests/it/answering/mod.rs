//! Answering by personal link over HTTP: pages, drafts, validation, submission, refusals.

mod hints;
mod together;

use crate::helpers::{CONTACTS, TestApp, forms_dir};

/// Two pages: the second only for those who work hours at all, with a same-page condition on
/// the first.
const TWO_PAGES: &str = r#"
title = "Testlijst"

[[pages]]
title = "Over uw werk"

[[pages.questions]]
id = "rol"
type = "single"
label = "Wat is uw rol?"
options = ["huisarts", "poh-ggz"]
required = true

[[pages.questions]]
id = "uren"
type = "number"
decimal = true
label = "Hoeveel uur per week werkt u met ggz-patiënten?"
min = 0
max = 60
required = true

[[pages.questions]]
id = "toelichting"
type = "text"
label = "Welke patiënten?"
show_if = "rol = 'poh-ggz'"
required = true

[[pages]]
title = "Uw oordeel"
show_if = "uren > 0"

[[pages.questions]]
id = "oordeel"
type = "scale"
label = "Hoe tevreden bent u?"
options = "tevreden5"
required = true

[[pages.questions]]
id = "opmerking"
type = "textarea"
label = "Opmerkingen"
"#;

async fn app_with(name: &str, form: &str) -> (TestApp, tempfile::TempDir) {
    let dir = forms_dir(&[(name, form)]);
    let app = TestApp::spawn_with_forms(dir.path()).await;
    app.import_contacts(CONTACTS).await;
    (app, dir)
}

async fn stored_answers(app: &TestApp) -> Vec<serde_json::Value> {
    let rows: Vec<String> =
        sqlx::query_scalar("SELECT answers FROM responses").fetch_all(&app.pool).await.expect("rows");
    rows.iter().map(|r| serde_json::from_str(r).expect("json")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_invited_person_opens_the_first_page_of_a_shipped_form() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let round = app.open_round("crisisdienst", &["huisarts"], false).await;
    let (status, body) = app.get(&app.first_link(round).await).await;
    assert_eq!(status, 200);
    assert!(body.contains("Pagina 1 van"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_pages_are_kept_as_a_draft_resumed_and_submitted() {
    let (app, _forms) = app_with("test", TWO_PAGES).await;
    let link = app.first_link(app.open_round("test", &[], false).await).await;

    let (status, _) =
        app.post(&link, &[("_page", "0"), ("rol", "huisarts"), ("uren", "2,5"), ("_nav", "next")]).await;
    assert_eq!(status, 303, "a valid page redirects to the link");
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0, "a draft is not a response");

    // Coming back later with the same link resumes at page 2.
    let (status, body) = app.get(&link).await;
    assert_eq!(status, 200);
    assert!(body.contains("Pagina 2 van 2") && body.contains("Hoe tevreden bent u?"), "{body}");

    // Back to page 1: the earlier answers are filled in, with the Dutch decimal comma.
    let (status, _) = app.post(&link, &[("_page", "1"), ("_nav", "prev")]).await;
    assert_eq!(status, 303);
    let (_, body) = app.get(&link).await;
    assert!(body.contains("Pagina 1 van 2"), "{body}");
    assert!(body.contains(r#"value="huisarts" checked"#), "{body}");
    assert!(body.contains(r#"value="2,5""#), "{body}");

    app.post(&link, &[("_page", "0"), ("rol", "huisarts"), ("uren", "2,5"), ("_nav", "next")]).await;
    let (status, body) = app
        .post(&link, &[("_page", "1"), ("oordeel", "4"), ("opmerking", "Prima"), ("_nav", "submit")])
        .await;
    assert_eq!(status, 200);
    assert!(body.contains("Uw antwoorden zijn opgeslagen."), "{body}");
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0, "the draft is gone once submitted");
    let answers = stored_answers(&app).await;
    assert_eq!(
        answers,
        vec![serde_json::json!({"rol": "huisarts", "uren": 2.5, "oordeel": 4.0, "opmerking": "Prima"})]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_with_mistakes_is_shown_again_with_every_error_and_nothing_is_stored() {
    let (app, _forms) = app_with("test", TWO_PAGES).await;
    let link = app.first_link(app.open_round("test", &[], false).await).await;

    let (status, body) =
        app.post(&link, &[("_page", "0"), ("rol", "poh-ggz"), ("uren", "99"), ("toelichting", "")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("Er zijn 2 antwoorden nog niet goed"), "{body}");
    assert!(
        body.contains(r##"<a href="#q-uren">"##) && body.contains(r##"<a href="#q-toelichting">"##),
        "{body}"
    );
    assert!(body.contains(r#"id="q-uren-error""#), "the error sits next to its field");
    assert!(body.contains(r#"aria-describedby="q-uren-error""#), "and the field points at it: {body}");
    assert!(body.contains(r#"value="99""#), "what was typed is kept, to correct it");
    assert!(body.contains(r#"value="poh-ggz" checked"#), "{body}");
    assert!(!body.contains(r##"<a href="#q-rol">"##), "a right answer is not listed as wrong");
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hidden_page_is_skipped_and_answers_to_hidden_questions_are_dropped() {
    let (app, _forms) = app_with("test", TWO_PAGES).await;
    let link = app.first_link(app.open_round("test", &[], false).await).await;

    // Zero hours: page 2 is not shown, so "next" on page 1 sends. The text typed for a
    // question that its condition hides (rol is not poh-ggz) is not kept.
    let (status, body) =
        app.post(&link, &[("_page", "0"), ("rol", "huisarts"), ("uren", "0"), ("toelichting", "iets")]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Uw antwoorden zijn opgeslagen."), "{body}");
    assert_eq!(stored_answers(&app).await, vec![serde_json::json!({"rol": "huisarts", "uren": 0.0})]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_to_a_page_that_became_hidden_are_dropped_on_submit() {
    let (app, _forms) = app_with("test", TWO_PAGES).await;
    let link = app.first_link(app.open_round("test", &[], false).await).await;
    app.post(&link, &[("_page", "0"), ("rol", "huisarts"), ("uren", "3"), ("_nav", "next")]).await;
    app.post(&link, &[("_page", "1"), ("oordeel", "2"), ("_nav", "prev")]).await;
    // Now zero hours: page 2 and its answer disappear.
    let (status, _) =
        app.post(&link, &[("_page", "0"), ("rol", "huisarts"), ("uren", "0"), ("_nav", "next")]).await;
    assert_eq!(status, 200);
    assert_eq!(stored_answers(&app).await, vec![serde_json::json!({"rol": "huisarts", "uren": 0.0})]);
}

/// Three pages, the middle one only for those who have more to tell.
const MIDDLE_PAGE_IF: &str = r#"
title = "Drie pagina's"

[[pages]]
[[pages.questions]]
id = "meer"
type = "yesno"
label = "Wilt u meer vertellen?"
required = true

[[pages]]
show_if = "meer = true"
[[pages.questions]]
id = "verhaal"
type = "textarea"
label = "Vertel"

[[pages]]
[[pages.questions]]
id = "cijfer"
type = "scale"
label = "Hoe tevreden bent u?"
options = "tevreden5"
"#;

/// The page counter as the person reads it, e.g. "Pagina 2 van 3".
fn counter(body: &str) -> &str {
    let start = body.find(r#"<p class="progress">"#).map(|at| at + 20).unwrap_or_else(|| panic!("{body}"));
    let end = start + body[start..].find('<').unwrap_or(0);
    &body[start..end]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_keeps_its_number_when_an_answer_makes_a_later_page_apply() {
    let (app, _forms) = app_with("drie", MIDDLE_PAGE_IF).await;
    let link = app.first_link(app.open_round("drie", &[], false).await).await;
    let (_, body) = app.get(&link).await;
    assert_eq!(counter(&body), "Pagina 1 van 3", "the middle page does not apply yet, but counts");

    // "Nee": the middle page is skipped, and with it its number.
    app.post(&link, &[("_page", "0"), ("meer", "nee"), ("_nav", "next")]).await;
    let (_, body) = app.get(&link).await;
    assert_eq!(counter(&body), "Pagina 3 van 3", "{body}");
    assert!(body.contains(r#"data-step="3" data-steps="3""#), "the bar is full on the last page");

    // Back, and "Ja": the middle page applies, and no page changes its number.
    app.post(&link, &[("_page", "2"), ("_nav", "prev")]).await;
    let (_, body) = app.get(&link).await;
    assert_eq!(counter(&body), "Pagina 1 van 3");
    app.post(&link, &[("_page", "0"), ("meer", "ja"), ("_nav", "next")]).await;
    let (_, body) = app.get(&link).await;
    assert_eq!(counter(&body), "Pagina 2 van 3", "{body}");
    assert!(body.contains(r#"data-step="2" data-steps="3""#), "the bar moves forward: {body}");
    app.post(&link, &[("_page", "1"), ("verhaal", "Veel"), ("_nav", "next")]).await;
    let (_, body) = app.get(&link).await;
    assert_eq!(counter(&body), "Pagina 3 van 3", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_identified_response_can_be_changed_and_stays_one_row() {
    let (app, _forms) = app_with("test", TWO_PAGES).await;
    let link = app.first_link(app.open_round("test", &[], false).await).await;
    app.post(&link, &[("_page", "0"), ("rol", "huisarts"), ("uren", "0")]).await;

    let (_, body) = app.get(&link).await;
    assert!(body.contains("U heeft deze vragenlijst al ingevuld."), "{body}");
    assert!(body.contains(r#"value="0""#), "the stored answers are filled in: {body}");

    let (status, _) = app
        .post(&link, &[("_page", "0"), ("rol", "poh-ggz"), ("uren", "0"), ("toelichting", "Jongeren")])
        .await;
    assert_eq!(status, 200);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
    assert_eq!(
        stored_answers(&app).await,
        vec![serde_json::json!({"rol": "poh-ggz", "uren": 0.0, "toelichting": "Jongeren"})]
    );
}

const ONE_QUESTION: &str = r#"
title = "Anoniem"
anonymous = true

[[pages]]
[[pages.questions]]
id = "tevreden"
type = "scale"
label = "Hoe tevreden bent u?"
options = "tevreden5"
required = true
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_anonymous_response_keeps_no_link_to_the_person_and_cannot_be_sent_twice() {
    let (app, _forms) = app_with("anoniem", ONE_QUESTION).await;
    let round = app.open_round("anoniem", &[], true).await;
    let links = app.links(round).await;
    let noord = links
        .iter()
        .find(|l| l.email == "anna@example.org")
        .expect("anna")
        .url
        .trim_start_matches(&app.url)
        .to_string();
    let zuid = links
        .iter()
        .find(|l| l.email == "dina@example.org")
        .expect("dina")
        .url
        .trim_start_matches(&app.url)
        .to_string();

    let (status, first) = app.post(&noord, &[("_page", "0"), ("tevreden", "5")]).await;
    assert_eq!(status, 200);
    assert!(first.contains("anoniem opgeslagen"), "{first}");
    // Sent again: the page the first send got, and nothing stored (checked below).
    let (status, again) = app.post(&noord, &[("_page", "0"), ("tevreden", "1")]).await;
    assert_eq!(status, 200);
    assert_eq!(again, first, "a second send shows the same thank-you page");
    let (_, body) = app.get(&noord).await;
    assert!(body.contains("Uw antwoorden zijn al ontvangen."), "{body}");
    app.post(&zuid, &[("_page", "0"), ("tevreden", "3")]).await;
    // Two responses wait in the pool (fewer than the smallest group of 3); closing releases them.
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
    close_by_the_clock(&app).await;

    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 2);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses WHERE invitation_id IS NOT NULL").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0);
    let dates: Vec<String> =
        sqlx::query_scalar("SELECT submitted_on FROM responses").fetch_all(&app.pool).await.unwrap();
    assert!(dates.iter().all(|d| d.len() == 10), "only the day is kept, not the time: {dates:?}");
    // Noord has 3 people in the round, Zuid only 1: with a minimum group of 2 Noord's wijk is
    // kept and Zuid's is not, so nobody in Zuid can be singled out.
    let mut kept: Vec<(Option<String>, i64)> =
        sqlx::query_as("SELECT wijk, COUNT(*) FROM responses GROUP BY wijk")
            .fetch_all(&app.pool)
            .await
            .unwrap();
    // Sorted here: SQLite puts NULL first, PostgreSQL last.
    kept.sort();
    assert_eq!(kept, vec![(None, 1), (Some("noord".into()), 1)]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_simultaneous_final_posts_store_one_response() {
    let (app, _forms) = app_with("anoniem", ONE_QUESTION).await;
    let link = app.first_link(app.open_round("anoniem", &[], true).await).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (client, url) = (app.client.clone(), format!("{}{link}", app.url));
        tasks.spawn(async move {
            let reply =
                client.post(url).form(&[("_page", "0"), ("tevreden", "4")]).send().await.expect("POST");
            (reply.status().as_u16(), reply.text().await.expect("body"))
        });
    }
    let replies = tasks.join_all().await;
    for (status, body) in &replies {
        assert_eq!(*status, 200, "{body}");
        assert!(body.contains("Uw antwoorden zijn"), "{body}");
    }
    // A double click or a replay gets the very page the first send got, and stores nothing more.
    assert!(replies.iter().all(|(_, body)| body == &replies[0].1), "ten sends, one thank-you page");
    assert!(replies[0].1.contains("zijn opgeslagen"), "{}", replies[0].1);
    close_by_the_clock(&app).await;
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 1);
}

/// Moves the clock past the round's close and ticks: what waits in an anonymous pool is released.
async fn close_by_the_clock(app: &TestApp) {
    app.clock.advance(chrono::Duration::days(8));
    app.scheduler.tick().await.expect("tick");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_round_says_so_and_takes_nothing() {
    let (app, _forms) = app_with("anoniem", ONE_QUESTION).await;
    let round = app.open_round("anoniem", &[], false).await;
    let link = app.first_link(round).await;
    // A week and a day later, before anyone visits.
    app.clock.advance(chrono::Duration::days(8));
    let (status, body) = app.get(&link).await;
    assert_eq!(status, 410);
    assert!(body.contains("gesloten"), "{body}");
    let (status, _) = app.post(&link, &[("_page", "0"), ("tevreden", "4")]).await;
    assert_eq!(status, 410);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_gets_the_same_not_found_page_whatever_it_looks_like() {
    let (app, _forms) = app_with("anoniem", ONE_QUESTION).await;
    let link = app.first_link(app.open_round("anoniem", &[], false).await).await;
    let mut near_miss = link.clone().into_bytes();
    let last = near_miss.len() - 1;
    near_miss[last] = if near_miss[last] == b'A' { b'B' } else { b'A' };
    let near_miss = String::from_utf8(near_miss).unwrap();
    let probes =
        [near_miss.as_str(), "/r/kort", "/r/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/r/%00%FF"];
    let (status, first) = app.get(probes[0]).await;
    assert_eq!(status, 404);
    assert!(first.contains("Deze link werkt niet"), "{first}");
    for probe in &probes[1..] {
        assert_eq!(app.get(probe).await, (404, first.clone()), "{probe}");
    }
    assert_eq!(app.post(probes[0], &[("_page", "0"), ("tevreden", "4")]).await, (404, first.clone()));
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_a_browser_would_not_send_are_refused_with_a_4xx_and_store_nothing() {
    let (app, _forms) = app_with("test", TWO_PAGES).await;
    let link = app.first_link(app.open_round("test", &[], false).await).await;

    let unknown =
        app.post(&link, &[("_page", "0"), ("rol", "huisarts"), ("uren", "1"), ("admin", "1")]).await;
    assert_eq!(unknown.0, 400, "a field the page does not have");
    assert_eq!(
        app.post(&link, &[("_page", "7"), ("rol", "huisarts"), ("uren", "1")]).await.0,
        400,
        "a page that does not exist"
    );
    assert_eq!(app.post(&link, &[("rol", "huisarts"), ("uren", "1")]).await.0, 400, "no page number");
    assert_eq!(app.post(&link, &[("_page", "0"), ("_nav", "jump"), ("rol", "huisarts")]).await.0, 400);
    assert_eq!(app.post_raw(&link, b"_page=0&rol=%FF%FE&uren=1".to_vec()).await.0, 400, "invalid UTF-8");
    assert_eq!(app.post_raw(&link, b"_page=0&rol=%G1".to_vec()).await.0, 400, "a broken escape");
    let just_over = app.settings.max_body_bytes as usize + 64 * 1024;
    assert_eq!(post_big(&app, &link, just_over).await, 413, "just over the limit");
    assert_eq!(post_big(&app, &link, 50 << 20).await, 413, "a 50 MB body");
    let json = app
        .client
        .post(format!("{}{link}", app.url))
        .header("content-type", "application/json")
        .body(r#"{"_page":"0"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(json.status().as_u16(), 415);

    let (status, body) =
        app.post(&link, &[("_page", "0"), ("rol", "huisarts"), ("rol", "poh-ggz"), ("uren", "1")]).await;
    assert_eq!(status, 422, "two answers to a one-answer question is a mistake to show");
    assert!(body.contains("Geef één antwoord."), "{body}");
    let (status, body) = app.post(&link, &[("_page", "0"), ("rol", "tandarts"), ("uren", "1")]).await;
    assert_eq!(status, 422, "a value outside the options");
    assert!(body.contains(r#"id="q-rol-error""#), "{body}");

    assert_eq!(app.count("SELECT COUNT(*) FROM drafts").await, 0);
    assert_eq!(app.count("SELECT COUNT(*) FROM responses").await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn numbers_are_read_the_dutch_way_and_refused_clearly_otherwise() {
    let (app, _forms) = app_with("test", TWO_PAGES).await;
    let link = app.first_link(app.open_round("test", &[], false).await).await;
    let (status, body) = app.post(&link, &[("_page", "0"), ("rol", "huisarts"), ("uren", "twee")]).await;
    assert_eq!(status, 422);
    assert!(body.contains("q-uren-error"), "{body}");
    let (status, _) =
        app.post(&link, &[("_page", "0"), ("rol", "huisarts"), ("uren", " 12,5 "), ("_nav", "next")]).await;
    assert_eq!(status, 303);
    let draft: String = sqlx::query_scalar("SELECT answers FROM drafts").fetch_one(&app.pool).await.unwrap();
    let draft = app.seal().open(&draft).expect("a draft is sealed with the app's key");
    assert_eq!(serde_json::from_slice::<serde_json::Value>(&draft).unwrap()["uren"], serde_json::json!(12.5));
}

/// Announces a body of `total` bytes and sends just past the server's limit, then waits for the
/// answer with the connection still open. The server decides at its limit, whatever the rest
/// would be; sending all of it would make the server close with unread bytes, and the reset that
/// causes can wipe its answer before the client reads it (an HTTP/1.1 fact, not a peil one).
async fn post_big(app: &TestApp, path: &str, total: usize) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream =
        tokio::net::TcpStream::connect(app.url.trim_start_matches("http://")).await.expect("connect");
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\n\r\n_page=0&toelichting=",
        total + 20
    );
    stream.write_all(head.as_bytes()).await.expect("head");
    let sent = (app.settings.max_body_bytes as usize + 1024).min(total);
    stream.write_all(&vec![b'x'; sent]).await.expect("body up to the limit");
    let read = &mut stream;
    let mut answer = Vec::new();
    let mut buffer = [0u8; 4096];
    while !answer.windows(4).any(|w| w == b"\r\n\r\n") {
        match read.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => answer.extend_from_slice(&buffer[..n]),
        }
    }
    let status_line = String::from_utf8_lossy(&answer);
    status_line
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no answer: {status_line}"))
}
