//! A round's sessions and one session's page: adding, changing and cancelling, and the lists.

use super::Scene;

#[tokio::test]
async fn a_session_added_on_the_page_is_listed_and_audited_and_a_bad_one_writes_nothing() {
    let scene = Scene::new().await;
    let path = format!("/beheer/rondes/{}/bijeenkomsten", scene.round);
    let (status, page) = scene.admin.get(&path).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(&format!(r#"<a href="/beheer/bijeenkomsten/{}">Intervisiegroep s1</a>"#, scene.s1)),
        "{page}"
    );
    assert!(
        page.contains(r#"<td class="num">2 van 2</td><td class="num">2</td>"#),
        "two seats taken, two waiting: {page}"
    );
    let (_, round_page) = scene.admin.get(&format!("/beheer/rondes/{}", scene.round)).await;
    assert!(round_page.contains(&path), "the round's page links its sessions: {round_page}");

    let mut fields = vec![
        ("titel", "Intervisie extra"),
        ("datum", "2099-03-09"),
        ("begin", "13:30"),
        ("einde", "15:30"),
        ("plaats", ""),
        ("online", ""),
        ("leider", "Dr. K. Kader"),
        ("activiteit", ""),
        ("plaatsen", "8"),
    ];
    let (status, page) = scene.admin.post(&path, &fields).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Vul een plaats of een online link in (of allebei)."), "{page}");
    assert!(page.contains(r#"value="Intervisie extra""#), "what was typed stays: {page}");
    fields[4] = ("plaats", "Wijkcentrum De Brug");
    fields[8] = ("plaatsen", "0");
    let (status, page) = scene.admin.post(&path, &fields).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Vul het aantal plaatsen in als een getal van 1 tot en met 2000."), "{page}");
    assert_eq!(scene.count("SELECT COUNT(*) FROM sessions").await, 2, "nothing written");
    assert!(scene.audited("session_added").await.is_empty());

    fields[8] = ("plaatsen", "8");
    let (status, page) = scene.admin.post(&path, &fields).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Intervisie extra&quot; op maandag 9 maart 2099, 13.30–15.30 uur is toegevoegd."),
        "{page}"
    );
    assert_eq!(scene.count("SELECT COUNT(*) FROM sessions").await, 3);
    let audit = scene.audited("session_added").await;
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor.as_deref(), Some("beheer@example.org"));
}

#[tokio::test]
async fn a_changed_place_tells_everyone_with_a_raised_sequence_and_a_cancellation_needs_a_tick() {
    let scene = Scene::new().await;
    let (_, page) = scene.admin.get(&format!("/beheer/bijeenkomsten/{}", scene.s1)).await;
    let value = |name: &str| {
        let at = page.find(&format!(r#"name="{name}""#)).expect(name);
        let rest = &page[at..];
        let start = rest.find("value=\"").expect("a value") + 7;
        rest[start..start + rest[start..].find('"').expect("end")].to_string()
    };
    let (datum, begin, einde) = (value("datum"), value("begin"), value("einde"));
    let change = |place: &'static str, seats: &'static str| {
        vec![
            ("titel", "Intervisiegroep s1".to_string()),
            ("datum", datum.clone()),
            ("begin", begin.clone()),
            ("einde", einde.clone()),
            ("plaats", place.to_string()),
            ("online", String::new()),
            ("leider", "Dr. K. Kader".to_string()),
            ("plaatsen", seats.to_string()),
        ]
    };
    let path = format!("/beheer/bijeenkomsten/{}/wijzigen", scene.s1);
    let post = |fields: Vec<(&'static str, String)>| post_owned(&scene, &path, fields);
    let (status, page) = post(change("Gezondheidscentrum West", "1")).await;
    assert_eq!(status, 422, "fewer seats than people confirmed: {page}");
    assert!(page.contains("Er zijn al 2 mensen aangemeld; 1 plaatsen is te weinig."), "{page}");
    let (status, page) = post(change("Gezondheidscentrum West", "2")).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Er is niets gewijzigd"), "{page}");
    assert!(scene.mailed("session-changed").await.is_empty());

    let (status, page) = post(change("Zaal 3, Gezondheidscentrum West", "3")).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("De bijeenkomst is gewijzigd."), "{page}");
    let revision: i64 = sqlx::query_scalar("SELECT revision FROM sessions WHERE id = $1")
        .bind(scene.s1)
        .fetch_one(&scene.app.pool)
        .await
        .expect("revision");
    assert_eq!(revision, 1, "the calendar files' SEQUENCE is raised");
    let told = ["poh01@example.org", "poh02@example.org", "poh03@example.org", "poh04@example.org"];
    assert_eq!(scene.mailed("session-changed").await, told);
    assert_eq!(
        scene.mailed("seat-promoted").await,
        ["poh03@example.org"],
        "the third seat goes to the first waiting"
    );

    let cancel = format!("/beheer/bijeenkomsten/{}/afgelasten", scene.s1);
    let (status, page) = scene.admin.post(&cancel, &[]).await;
    assert_eq!(status, 422, "{page}");
    assert!(scene.mailed("session-cancelled").await.is_empty());
    let (status, page) = scene.admin.post(&cancel, &[("bevestigd", "ja")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("De bijeenkomst is afgelast. 4 mensen"), "{page}");
    assert_eq!(scene.mailed("session-cancelled").await, told);
    let (status, _) = scene.admin.post(&cancel, &[("bevestigd", "ja")]).await;
    assert_eq!(status, 422, "a second cancellation is refused");
    assert_eq!(scene.audited("session_changed").await.len(), 1);
    assert_eq!(scene.audited("session_cancelled").await.len(), 1);
}

#[tokio::test]
async fn a_sessions_page_lists_the_confirmed_the_waiting_in_order_and_cancellations_with_their_time() {
    let scene = Scene::new().await;
    let seat = crate::signup::seat_of(&scene.app, &scene.links[0]).await;
    let cancelled = peil::signup::seats::cancel(
        &scene.app.db,
        peil::signup::SeatId(seat),
        peil::signup::seats::By::Coordinator,
        scene.app.now(),
    )
    .await
    .expect("cancel");
    assert!(cancelled.promoted.is_some());
    let (status, page) = scene.admin.get(&format!("/beheer/bijeenkomsten/{}", scene.s1)).await;
    assert_eq!(status, 200, "{page}");
    let (confirmed, rest) = page.split_once(r#"<table class="list" id="waiting">"#).expect("a waiting list");
    let (waiting, cancelled) = rest.split_once(r#"id="cancelled""#).expect("cancellations");
    assert!(confirmed.contains("<td>POH 02</td>") && confirmed.contains("<td>POH 03</td>"), "{confirmed}");
    assert!(waiting.contains("<td>1</td><td>POH 04</td>"), "POH 04 is first in line now: {waiting}");
    let when: peil::db::Timestamp = sqlx::query_scalar("SELECT updated_at FROM seats WHERE id = $1")
        .bind(seat)
        .fetch_one(&scene.app.pool)
        .await
        .expect("updated_at");
    let when = peil::time::dutch(when.at());
    assert!(
        cancelled.contains(&format!("<td>POH 01</td><td>poh01@example.org</td><td>{when}</td>")),
        "{cancelled}"
    );
    for link in ["aanwezigheid", "presentielijst", "presentielijst.pdf", "presentielijst.xlsx", "register"] {
        assert!(page.contains(&format!(r#"href="/beheer/bijeenkomsten/{}/{link}""#, scene.s1)), "{link}");
    }
    let (status, page) = scene.admin.get("/beheer/bijeenkomsten/9999").await;
    assert_eq!(status, 404, "{page}");
    assert!(page.contains("Deze bijeenkomst bestaat niet."), "{page}");
    let member = scene.app.login_as("lid@example.org", peil::accounts::Role::Werkgroep).await;
    assert_eq!(member.get(&format!("/beheer/bijeenkomsten/{}", scene.s1)).await.0, 403);
    let tries = [
        ("verplaatsen", vec![("plaats", "1"), ("naar", "2")]),
        ("bericht", vec![("onderwerp", "x"), ("tekst", "y")]),
    ];
    for (action, fields) in tries {
        let path = format!("/beheer/bijeenkomsten/{}/{action}", scene.s1);
        assert_eq!(member.post(&path, &fields).await.0, 403, "{path}");
        assert_eq!(
            scene.admin.post_without_csrf(&path, &fields).await.0,
            403,
            "{path} without the CSRF token"
        );
    }
    assert_eq!(scene.count("SELECT COUNT(*) FROM session_notices").await, 0);
}

async fn post_owned(scene: &Scene, path: &str, fields: Vec<(&'static str, String)>) -> (u16, String) {
    let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    scene.admin.post(path, &fields).await
}
