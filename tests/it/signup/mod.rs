//! Sign-ups over HTTP against the real app and a real SQLite file: seats, the waiting list,
//! cancellation with promotion, and the races that must never overbook.

mod abuse;
pub(crate) mod accreditation;
mod database;
mod flow;
mod race;
mod registration;
mod selfservice;
mod stored;

use chrono::{DateTime, Duration, Utc};
use peil::rounds::{OpenRequest, RoundId};
use peil::signup::NewSession;

use crate::helpers::TestApp;

/// `n` POH-GGZ contacts, poh01@example.org and on.
pub fn poh_contacts(n: usize) -> String {
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for i in 1..=n {
        csv.push_str(&format!("POH {i:02};poh{i:02}@example.org;poh-ggz;Praktijk {i};noord;Stad\n"));
    }
    csv
}

pub fn session(code: &str, capacity: u32, starts_at: DateTime<Utc>) -> NewSession {
    NewSession {
        code: code.into(),
        title: format!("Intervisiegroep {code}"),
        starts_at,
        ends_at: starts_at + Duration::hours(2),
        place: "Gezondheidscentrum West".into(),
        online_url: String::new(),
        leader: "Dr. K. Kader".into(),
        activity_id: String::new(),
        capacity,
        points: 0.0,
    }
}

/// Opens a round of the shipped `intervisie` form for every POH-GGZ with `sessions`.
pub async fn open_signup(app: &TestApp, sessions: Vec<NewSession>, cancel_until: Duration) -> RoundId {
    open_intervisie(app, sessions, cancel_until, false).await
}

/// A sign-up round with one session of `capacity` seats, open to registration by a public link
/// too; the round and that page's address (`/f/<slug>`).
pub async fn open_registration(app: &TestApp, capacity: u32) -> (RoundId, String) {
    let sessions = vec![session("s1", capacity, Utc::now() + Duration::days(20))];
    let round = open_intervisie(app, sessions, Duration::hours(24), true).await;
    let slug: String = sqlx::query_scalar("SELECT slug FROM rounds WHERE id = $1")
        .bind(round.0)
        .fetch_one(&app.pool)
        .await
        .expect("slug");
    (round, format!("/f/{slug}"))
}

async fn open_intervisie(
    app: &TestApp,
    sessions: Vec<NewSession>,
    cancel_until: Duration,
    open_registration: bool,
) -> RoundId {
    let rules = peil::signup::SignupRound {
        sessions,
        cancel_until,
        remind_before: Duration::hours(24),
        open_registration,
        registers: vec![],
    };
    open_with_rules(app, &["poh-ggz"], &rules).await
}

/// Opens a round of the shipped `intervisie` form, open for ten days, for the contacts with
/// `roles` (every contact when empty), with the sessions and registers of `rules`.
pub(crate) async fn open_with_rules(
    app: &TestApp,
    roles: &[&str],
    rules: &peil::signup::SignupRound,
) -> RoundId {
    let request = OpenRequest {
        form_id: "intervisie".into(),
        roles: roles.iter().map(|r| r.to_string()).collect(),
        wijken: vec![],
        gemeenten: vec![],
        practices: vec![],
        closes_at: Utc::now() + Duration::days(10),
        anonymous: false,
        occurrence: None,
    };
    peil::signup::open(&app.db, &app.forms, &app.secret, &request, rules, app.now())
        .await
        .expect("open sign-up round")
        .round
}

/// The link paths (`/r/...`) of a round, by e-mail address order.
pub async fn link_paths(app: &TestApp, round: RoundId) -> Vec<String> {
    app.links(round).await.into_iter().map(|l| l.url.trim_start_matches(&app.url).to_string()).collect()
}

/// Signs the person behind `path` up for `code` in one POST, as the form's button does.
pub async fn sign_up(app: &TestApp, path: &str, code: &str) -> u16 {
    app.post(path, &[("_page", "0"), ("bijeenkomst", code), ("naam_delen", "ja"), ("_nav", "submit")]).await.0
}

/// Seats of the round's session `code`: (seat id, status), in queue order.
pub async fn seats(app: &TestApp, round: RoundId, code: &str) -> Vec<(i64, String)> {
    sqlx::query_as(
        "SELECT st.id, st.status FROM seats st JOIN sessions s ON s.id = st.session_id \
         WHERE s.round_id = $1 AND s.code = $2 ORDER BY st.id",
    )
    .bind(round.0)
    .bind(code)
    .fetch_all(&app.pool)
    .await
    .expect("seats")
}

pub async fn taken(app: &TestApp, round: RoundId, code: &str) -> i64 {
    sqlx::query_scalar("SELECT taken FROM sessions WHERE round_id = $1 AND code = $2")
        .bind(round.0)
        .bind(code)
        .fetch_one(&app.pool)
        .await
        .expect("taken")
}

/// Outbox rows of `kind` per seat id.
pub async fn mails(app: &TestApp, kind: &str) -> Vec<i64> {
    sqlx::query_scalar("SELECT seat_id FROM outbox WHERE kind = $1 ORDER BY seat_id")
        .bind(kind)
        .fetch_all(&app.pool)
        .await
        .expect("outbox")
}

/// The seat id of the person behind `path` (their latest seat).
pub async fn seat_of(app: &TestApp, path: &str) -> i64 {
    let token = peil::rounds::InvitationToken::parse(path.trim_start_matches("/r/")).expect("a link path");
    sqlx::query_scalar(
        "SELECT st.id FROM seats st JOIN invitations i ON i.id = st.invitation_id \
         WHERE i.token_hash = $1 ORDER BY st.id DESC LIMIT 1",
    )
    .bind(token.hash())
    .fetch_one(&app.pool)
    .await
    .expect("a seat")
}

/// A page's text with Tera's escaping of `/` undone, to find links in it.
pub fn unescaped(page: &str) -> String {
    page.replace("&#x2F;", "/")
}
