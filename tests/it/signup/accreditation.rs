//! What registers need, asked on the person's own link after signing up: only of the roles a
//! register counts for, checked (a BIG number padded as GAIA does, a wrong one refused with
//! nothing stored), remembered on the contact and prefilled at the next sign-up.

use chrono::{Duration, Utc};
use peil::accreditation::{Asks, Deadline, Register, register};
use peil::rounds::{OpenRequest, RoundId};

use super::{link_paths, session, sign_up};
use crate::helpers::TestApp;

fn register(id: &str, name: &str, role: &str, asks: Asks) -> Register {
    let format = if asks == Asks::Big { "BIG-{nummer}" } else { "{nummer}" };
    Register {
        id: id.into(),
        name: name.into(),
        roles: vec![role.into()],
        asks,
        format: format.into(),
        deadline: Deadline::Months(2),
    }
}

fn registers() -> Vec<Register> {
    vec![
        register("abc1", "ABC1 (GAIA)", "huisarts", Asks::Big),
        register("kwaliteitsregister-poh-ggz", "Kwaliteitsregister POH-GGZ", "poh-ggz", Asks::Lidnummer),
    ]
}

/// A huisarts, a POH-GGZ and a VS-GGZ (no register counts for the last), in that e-mail order.
pub(crate) const PEOPLE: &str = "naam;e-mail;rol;praktijk;wijk;gemeente\n\
    Anna Arts;a-huisarts@example.org;huisarts;Praktijk A;noord;Stad\n\
    Bea Poh;b-poh@example.org;poh-ggz;Praktijk B;noord;Stad\n\
    Cas Specialist;c-vs@example.org;vs-ggz;Praktijk C;noord;Stad\n";

/// A round of the `intervisie` form for the three of them, counting for `registers()`.
pub(crate) async fn open_round(app: &TestApp) -> RoundId {
    let rules = peil::signup::SignupRound {
        sessions: vec![session("s1", 10, Utc::now() + Duration::days(20))],
        cancel_until: Duration::hours(24),
        remind_before: Duration::hours(24),
        open_registration: false,
        registers: registers(),
    };
    super::open_with_rules(app, &[], &rules).await
}

/// The three links, each signed up for s1.
async fn signed_up(app: &TestApp) -> (RoundId, Vec<String>) {
    let round = open_round(app).await;
    let paths = link_paths(app, round).await;
    for path in &paths {
        assert_eq!(sign_up(app, path, "s1").await, 303);
    }
    (round, paths)
}

async fn stored(app: &TestApp, email: &str) -> (String, String, String) {
    sqlx::query_as("SELECT initials, surname, big_number FROM contacts WHERE email = $1")
        .bind(email)
        .fetch_one(&app.pool)
        .await
        .expect("contact")
}

#[tokio::test]
async fn a_round_opened_from_a_job_keeps_its_registers_and_its_sessions_points() {
    let app = TestApp::spawn().await;
    app.import_contacts(PEOPLE).await;
    let text = std::fs::read_to_string(crate::helpers::repo("jobs/scholing.toml"))
        .expect("scholing.toml")
        .replace("date = \"2027-03-09\"", "month = \"next\"\nweekday = \"dinsdag\"")
        .replace("date = \"2027-04-13\"", "month = \"next\"\nweekday = \"woensdag\"")
        .replace("date = \"2027-10-05\"", "month = \"next\"\nweekday = \"donderdag\"");
    let job = peil::jobs::check_text("jobs/scholing.toml", &text, &app.forms).expect("the job checks");
    let rules = job.signup.expect("a sign-up job").round(app.now(), chrono_tz::Europe::Amsterdam);
    let request = OpenRequest {
        form_id: job.form.clone(),
        roles: job.audience.roles.clone(),
        wijken: vec![],
        gemeenten: vec![],
        practices: vec![],
        closes_at: app.now() + Duration::days(28),
        anonymous: false,
        occurrence: None,
    };
    let round = peil::signup::open(&app.db, &app.forms, &app.secret, &request, &rules, app.now())
        .await
        .expect("open")
        .round;

    let kept = register::of_round(&app.pool, round).await.expect("registers");
    let ids: Vec<(&str, Asks, &str)> =
        kept.iter().map(|r| (r.id.as_str(), r.asks, r.format.as_str())).collect();
    assert_eq!(
        ids,
        [("abc1", Asks::Big, "BIG-{nummer}"), ("kwaliteitsregister-poh-ggz", Asks::Lidnummer, "{nummer}")]
    );
    let points: Vec<f64> =
        sqlx::query_scalar("SELECT points FROM sessions WHERE round_id = $1 ORDER BY code")
            .bind(round.0)
            .fetch_all(&app.pool)
            .await
            .expect("points");
    assert_eq!(points, [2.5, 2.5, 2.0]);
}

#[tokio::test]
async fn the_form_is_shown_only_to_the_roles_a_register_counts_for_and_asks_what_that_register_needs() {
    let app = TestApp::spawn().await;
    app.import_contacts(PEOPLE).await;
    let (_, paths) = signed_up(&app).await;

    let (status, huisarts) = app.get(&paths[0]).await;
    assert_eq!(status, 200);
    assert!(huisarts.contains("Nog nodig voor uw accreditatie"), "{huisarts}");
    assert!(
        huisarts.contains("uw BIG-nummer") && huisarts.contains("Dan zet peil er één nul voor"),
        "{huisarts}"
    );
    assert!(huisarts.contains("niet uw roepnaam"), "{huisarts}");
    assert!(!huisarts.contains("Kwaliteitsregister POH-GGZ"), "{huisarts}");

    let (_, poh) = app.get(&paths[1]).await;
    assert!(poh.contains("Uw nummer bij Kwaliteitsregister POH-GGZ"), "{poh}");
    assert!(!poh.contains("BIG-nummer"), "{poh}");

    let (status, vs) = app.get(&paths[2]).await;
    assert_eq!(status, 200);
    assert!(vs.contains("Uw aanmelding is ontvangen") && !vs.contains("accreditatie"), "{vs}");
    assert_eq!(app.get(&format!("{}/gegevens", paths[2])).await.0, 404);
}

#[tokio::test]
async fn a_wrong_big_number_is_refused_in_dutch_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    app.import_contacts(PEOPLE).await;
    let (_, paths) = signed_up(&app).await;
    let form = [("voorletters", "ja"), ("achternaam", "Arts"), ("big", "12345678")];
    let (status, page) = app.post(&format!("{}/gegevens", paths[0]), &form).await;
    assert_eq!(status, 422, "{page}");
    assert!(page.contains("Een BIG-nummer heeft 11 cijfers"), "{page}");
    assert!(page.contains(r#"value="12345678""#), "the number as typed, to correct: {page}");
    assert_eq!(stored(&app, "a-huisarts@example.org").await, (String::new(), String::new(), String::new()));
}

#[tokio::test]
async fn the_details_are_stored_checked_and_prefilled_at_the_next_sign_up() {
    let app = TestApp::spawn().await;
    app.import_contacts(PEOPLE).await;
    let (_, paths) = signed_up(&app).await;
    let form = [("voorletters", "J A"), ("achternaam", " van  den Berg "), ("big", "1234567890")];
    let (status, page) = app.post(&format!("{}/gegevens", paths[0]), &form).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Uw gegevens zijn opgeslagen"), "{page}");
    let want = ("J.A.".to_string(), "van den Berg".to_string(), "01234567890".to_string());
    assert_eq!(stored(&app, "a-huisarts@example.org").await, want);

    let number =
        [("voorletters", "B."), ("achternaam", "Poh"), ("nummer-kwaliteitsregister-poh-ggz", "P-4711")];
    assert_eq!(app.post(&format!("{}/gegevens", paths[1]), &number).await.0, 200);
    let numbers: Vec<(String, String)> = sqlx::query_as(
        "SELECT n.register, n.number FROM register_numbers n JOIN contacts c ON c.id = n.contact_id \
         WHERE c.email = $1",
    )
    .bind("b-poh@example.org")
    .fetch_all(&app.pool)
    .await
    .expect("numbers");
    assert_eq!(numbers, [("kwaliteitsregister-poh-ggz".to_string(), "P-4711".to_string())]);

    let (_, status_page) = app.get(&paths[0]).await;
    assert!(status_page.contains("Gegevens voor uw accreditatie") && status_page.contains("01234567890"));
    assert!(!status_page.contains("Nog nodig"), "{status_page}");

    let next = link_paths(&app, open_round(&app).await).await;
    assert_eq!(sign_up(&app, &next[0], "s1").await, 303);
    let (_, status_page) = app.get(&next[0]).await;
    assert!(!status_page.contains("Nog nodig"), "remembered from the first round: {status_page}");
    let (status, form) = app.get(&format!("{}/gegevens", next[0])).await;
    assert_eq!(status, 200);
    assert!(form.contains(r#"value="J.A.""#) && form.contains(r#"value="01234567890""#), "{form}");
    assert!(form.contains(r#"value="van den Berg""#), "{form}");
}
