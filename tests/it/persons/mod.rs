//! A person's data on request (AVG articles 15 and 17) against the real app: the page, the JSON
//! file and the command show everything peil holds about an address; an erasure leaves none of
//! it in the database files, moves the waiting list up, keeps accredited attendance and says so,
//! and puts the address on the list that an import skips.

mod cli;
mod erase;
mod export;
mod files;

use chrono::{Duration, Utc};
use peil::accreditation::{Asks, Deadline, Register};
use peil::rounds::RoundId;
use peil::signup::SignupRound;

use crate::helpers::TestApp;
use crate::signup::{link_paths, open_with_rules, session};

/// The person who asks; first by address, so their links come first.
pub const EMAIL: &str = "a.quokka@example.org";
pub const NAME: &str = "Zwaantje Quokkastraat";
pub const BIG: &str = "98765432109";
/// What they wrote in the intervisie form's free text: found nowhere else.
pub const ANSWER: &str = "Graag iets over de pinguinmethode-7Q3X";

pub const PEOPLE: &str = "naam;e-mail;rol;praktijk;wijk;gemeente\n\
    Zwaantje Quokkastraat;a.quokka@example.org;poh-ggz;Praktijk Quokka;noord;Stad\n\
    Bert Wachter;b.wachter@example.org;poh-ggz;Praktijk B;noord;Stad\n";

/// A register that counts the intervisie for POH-GGZ.
pub fn registers() -> Vec<Register> {
    vec![Register {
        id: "kwaliteitsregister-poh-ggz".into(),
        name: "Kwaliteitsregister POH-GGZ".into(),
        roles: vec!["poh-ggz".into()],
        asks: Asks::Lidnummer,
        format: "{nummer}".into(),
        deadline: Deadline::Months(2),
    }]
}

/// The person and Bert, with: a session two days ahead that the person signs up for (with a
/// free-text answer) and attends, counting for `registers`; a later session with one seat that
/// the person holds and Bert waits for; the mails of both sent. The clock then moves three days
/// on, so the first session is past and the second still to come. Returns the second round.
pub async fn scene(app: &TestApp, registers: Vec<Register>) -> RoundId {
    app.import_contacts(PEOPLE).await;
    sqlx::query(
        "UPDATE contacts SET initials = 'Z.', surname = 'Quokkastraat', big_number = $1 WHERE email = $2",
    )
    .bind(BIG)
    .bind(EMAIL)
    .execute(&app.pool)
    .await
    .expect("BIG number");
    let rules = |code: &str, capacity: u32, days: i64, registers: Vec<Register>| SignupRound {
        sessions: vec![session(code, capacity, Utc::now() + Duration::days(days))],
        cancel_until: Duration::hours(24),
        remind_before: Duration::hours(24),
        open_registration: false,
        registers,
    };
    let first = open_with_rules(app, &["poh-ggz"], &rules("s1", 10, 2, registers)).await;
    let paths = link_paths(app, first).await;
    let fields = [
        ("_page", "0"),
        ("bijeenkomst", "s1"),
        ("opmerking", ANSWER),
        ("naam_delen", "ja"),
        ("_nav", "submit"),
    ];
    assert_eq!(app.post(&paths[0], &fields).await.0, 303);
    let s1 = peil::signup::sessions::of_round(&app.pool, first).await.expect("sessions").remove(0);
    crate::certificates::record(app, s1.id, &[EMAIL], true).await;

    let second = open_with_rules(app, &["poh-ggz"], &rules("s2", 1, 20, vec![])).await;
    let paths = link_paths(app, second).await;
    for path in &paths {
        assert_eq!(crate::signup::sign_up(app, path, "s2").await, 303);
    }
    app.deliver_pending_mail().await;
    app.clock.advance(Duration::days(3));
    second
}

/// Whether `text` occurs in `bytes`.
pub fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}
