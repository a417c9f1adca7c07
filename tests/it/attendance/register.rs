//! After the session: per register the lines its import field takes for those present, who
//! was present without a number, and the deadline on `/beheer` until it is marked entered.

use chrono::Duration;

use super::Desk;

/// Four people: 1 with BIG number and lidnummer, 2 with a 10-digit BIG number only, 3 with
/// nothing, 4 with everything but absent. 1 to 3 are ticked present.
async fn after_the_session() -> Desk {
    let mut desk = Desk::with(4).await;
    desk.details("poh01@example.org", "A.", "Aalders", "01234567890", "PG-1").await;
    desk.details("poh02@example.org", "B.", "Bos", "1234567891", "").await;
    desk.details("poh04@example.org", "D.", "Dijk", "01234567894", "PG-4").await;
    desk.begin().await;
    for email in ["poh01@example.org", "poh02@example.org", "poh03@example.org"] {
        let seat = desk.seat(email).await;
        assert_eq!(desk.tick(&format!("/{seat}"), &[("aanwezig", "ja")]).await.0, 303);
    }
    desk
}

/// The text of the read-only field with `id`.
fn textarea(page: &str, id: &str) -> String {
    let start = page.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("#{id} in {page}"));
    let open = start + page[start..].find('>').unwrap() + 1;
    let close = open + page[open..].find("</textarea>").unwrap();
    page[open..close].to_string()
}

/// The `<ul class="without-number">` after the heading of register `id`.
fn without_number(page: &str, id: &str) -> String {
    let section = &page[page.find(&format!("id=\"register-{id}\"")).unwrap()..];
    let section = &section[..section.find("</section>").unwrap()];
    section.find("without-number").map(|i| section[i..].to_string()).unwrap_or_default()
}

#[tokio::test]
async fn each_register_gets_the_lines_of_those_present_and_the_list_of_those_without_a_number() {
    let desk = after_the_session().await;
    let (status, page) = desk.admin.get(&desk.path("/register")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(textarea(&page, "regels-abc1"), "BIG-01234567890\nBIG-01234567891");
    assert_eq!(textarea(&page, "regels-kwaliteitsregister-poh-ggz"), "PG-1");
    let gaia = without_number(&page, "abc1");
    assert!(gaia.contains("POH 03") && gaia.contains("poh03@example.org"), "{gaia}");
    assert!(!gaia.contains("POH 01") && !gaia.contains("POH 02") && !gaia.contains("POH 04"), "{gaia}");
    let poh = without_number(&page, "kwaliteitsregister-poh-ggz");
    assert!(poh.contains("POH 02") && poh.contains("POH 03") && !poh.contains("POH 04"), "{poh}");
    assert!(page.contains("Kopiëren") && page.contains("/static/kopieer.js"), "{page}");
    let due = peil::time::dutch(desk.starts + Duration::hours(2) + Duration::days(42));
    assert!(page.contains(&format!("Uiterlijk invoeren op {due}.")), "{page}");
}

#[tokio::test]
async fn the_deadline_is_on_beheer_overdue_first_until_it_is_marked_entered() {
    let mut desk = after_the_session().await;
    let register = desk.path("/register");
    let link = |id: &str| format!("{register}#register-{id}");
    let (_, start) = desk.admin.get("/beheer").await;
    assert!(start.contains(&link("abc1")) && start.contains(&link("kwaliteitsregister-poh-ggz")), "{start}");
    assert!(!start.contains("Te laat"), "{start}");

    // Seven weeks on: the POH-GGZ register's six weeks have passed, GAIA's two months not.
    desk.later(Duration::weeks(7)).await;
    let (_, start) = desk.admin.get("/beheer").await;
    let (late, gaia) = (start.find("Te laat").expect("overdue"), start.find(&link("abc1")).unwrap());
    assert!(late < gaia, "the overdue one first: {start}");
    assert_eq!(start.matches("Te laat").count(), 1, "{start}");

    let fields = [("register", "kwaliteitsregister-poh-ggz"), ("ingevoerd", "ja")];
    let (status, _) = desk.admin.post(&desk.path("/register"), &fields).await;
    assert_eq!(status, 303);
    let (_, start) = desk.admin.get("/beheer").await;
    assert!(!start.contains(&link("kwaliteitsregister-poh-ggz")) && start.contains(&link("abc1")), "{start}");
    let (_, page) = desk.admin.get(&desk.path("/register")).await;
    assert!(
        page.contains("Ingevoerd op") && page.contains("Toch niet ingevoerd in Kwaliteitsregister POH-GGZ")
    );

    let (status, _) = desk
        .admin
        .post(&desk.path("/register"), &[("register", "kwaliteitsregister-poh-ggz"), ("ingevoerd", "nee")])
        .await;
    assert_eq!(status, 303);
    let (_, start) = desk.admin.get("/beheer").await;
    assert!(start.contains(&link("kwaliteitsregister-poh-ggz")), "undone: owed again: {start}");
    assert_eq!(
        desk.audited("register_entered").await,
        [format!("bijeenkomst {}: Kwaliteitsregister POH-GGZ", desk.session)]
    );
    assert_eq!(desk.audited("register_entry_undone").await.len(), 1);

    let (status, page) =
        desk.admin.post(&desk.path("/register"), &[("register", "kabiz"), ("ingevoerd", "ja")]).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("telt niet voor dat register"), "{page}");
}

#[tokio::test]
async fn a_register_the_participant_enters_herself_owes_the_organiser_nothing() {
    let desk = after_the_session().await;
    let mut registers = super::registers();
    registers[1].deadline = peil::accreditation::Deadline::Participant;
    sqlx::query(
        "UPDATE rounds SET accreditation_json = $1 WHERE id = (SELECT round_id FROM sessions WHERE id = $2)",
    )
    .bind(serde_json::to_string(&registers).unwrap())
    .bind(desk.session)
    .execute(&desk.app.pool)
    .await
    .expect("registers");
    let register = desk.path("/register");
    let (_, start) = desk.admin.get("/beheer").await;
    assert!(start.contains(&format!("{register}#register-abc1")), "GAIA is still owed: {start}");
    assert!(!start.contains("#register-kwaliteitsregister-poh-ggz"), "Deel B is not: {start}");
    let (_, page) = desk.admin.get(&register).await;
    assert!(page.contains("Dit register vult de deelnemer zelf aan"), "{page}");
    assert_eq!(textarea(&page, "regels-kwaliteitsregister-poh-ggz"), "PG-1", "the lines are still there");
}
