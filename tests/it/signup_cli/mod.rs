//! `peil session ...` as a coordinator uses it, against a real SQLite file: sessions added,
//! changed and cancelled, the attendance list as CSV and XLSX, and attendance recorded.
//! People sign up in-process through `responses::submit`, as the answering page does.

mod attendance;
mod moving;

use std::io::Cursor;
use std::process::{Command, Output};

use chrono::{Duration, TimeZone, Utc};
use peil::contacts::{self, Vocabulary};
use peil::db::Pool;
use peil::forms::{Answer, Answers, Forms};
use peil::rounds::{self, InvitationToken, OpenRequest, RoundId};
use peil::settings::Secret;
use peil::signup::NewSession;

use crate::helpers::repo;

const PEOPLE: &str = "naam;e-mail;rol;praktijk;wijk;gemeente\n\
Anna de Vries;anna@example.org;huisarts;Praktijk Noord;noord;Stad\n\
\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\";hyper@example.org;huisarts;Praktijk Noord;noord;Stad\n\
Cor Smit;cor@example.org;poh-ggz;Praktijk Zuid;zuid;Stad\n";

const BIG_ANNA: &str = "01234567890";

/// A coordinator's desk: a database with the contacts above, the shipped forms, and `peil`
/// pointed at the same database.
struct Desk {
    dir: tempfile::TempDir,
    db: crate::pg::TestDb,
    /// The handle `peil` itself writes through.
    store: peil::db::Db,
    pool: Pool,
    forms: Forms,
    secret: Secret,
}

impl Desk {
    async fn new() -> Desk {
        let dir = tempfile::tempdir().unwrap();
        let db = crate::pg::TestDb::new(dir.path());
        let store = db.db().await;
        let pool = store.read().clone();
        let forms = peil::forms::load(&repo("forms")).unwrap();
        let csv = dir.path().join("contacts.csv");
        std::fs::write(&csv, PEOPLE).unwrap();
        let vocabulary = Vocabulary { roles: forms.list_pairs("rollen"), wijken: forms.list_pairs("wijken") };
        contacts::import_csv(
            &store,
            &csv,
            &vocabulary,
            &peil::settings::Secret::new(peil::crypto::random_b64(48)),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        Desk { dir, db, store, pool, forms, secret: Secret::new(peil::crypto::random_b64(48)) }
    }

    fn peil(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_peil"))
            .args(args)
            .current_dir(self.dir.path())
            .env("PEIL_DATABASE_URL", &self.db.url)
            .env("PEIL_FORMS_DIR", repo("forms"))
            .env("PEIL_DATA_DIR", self.dir.path().join("data"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap()
    }

    /// `peil args` with the key the rounds were opened with: Ok(stdout) or Err(stderr).
    fn peil_with_key(&self, args: &[&str]) -> Result<String, String> {
        let output = Command::new(env!("CARGO_BIN_EXE_peil"))
            .args(args)
            .current_dir(self.dir.path())
            .env("PEIL_DATABASE_URL", &self.db.url)
            .env("PEIL_FORMS_DIR", repo("forms"))
            .env("PEIL_DATA_DIR", self.dir.path().join("data"))
            .env("PEIL_SECRET_KEY", self.secret.expose())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        if output.status.success() { Ok(stdout(&output)) } else { Err(stderr(&output)) }
    }

    /// `peil args`, which must succeed; its stdout.
    fn ok(&self, args: &[&str]) -> String {
        let output = self.peil(args);
        assert!(output.status.success(), "peil {args:?}: {}", stderr(&output));
        stdout(&output)
    }

    /// `peil args`, which must fail; its stderr.
    fn refused(&self, args: &[&str]) -> String {
        let output = self.peil(args);
        assert!(!output.status.success(), "peil {args:?} succeeded: {}", stdout(&output));
        stderr(&output)
    }

    /// Round 1 of the scholing form with one session (s1, id 1) of `capacity` seats, on
    /// Monday 9 March 2099 from 19:00 to 21:30, Amsterdam time.
    async fn open_round(&self, capacity: u32) -> RoundId {
        let session = NewSession {
            code: "s1".into(),
            title: "Suïcidepreventie".into(),
            starts_at: Utc.with_ymd_and_hms(2099, 3, 9, 18, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2099, 3, 9, 20, 30, 0).unwrap(),
            place: "Regiokantoor, Utrecht".into(),
            online_url: String::new(),
            leader: String::new(),
            activity_id: "ABC1-000001".into(),
            capacity,
            points: 0.0,
        };
        let request = OpenRequest {
            form_id: "scholing".into(),
            roles: vec![],
            wijken: vec![],
            gemeenten: vec![],
            practices: vec![],
            closes_at: Utc::now() + Duration::days(7),
            anonymous: false,
            occurrence: None,
        };
        let rules = peil::signup::SignupRound {
            sessions: vec![session],
            cancel_until: Duration::hours(24),
            remind_before: Duration::hours(24),
            open_registration: false,
            registers: vec![],
        };
        peil::signup::open(&self.store, &self.forms, &self.secret, &request, &rules, Utc::now())
            .await
            .unwrap()
            .round
    }

    /// Signs `email` up for session s1 of `round`, giving `big` as BIG number when not empty.
    async fn sign_up(&self, round: RoundId, email: &str, big: &str) {
        let links = rounds::links(&self.pool, &self.secret, "http://peil.test", round).await.unwrap();
        let link = links.iter().find(|l| l.email == email).expect("an invitation");
        let token = InvitationToken::parse(link.url.rsplit('/').next().unwrap()).unwrap();
        let invitation = rounds::find_invitation(&self.pool, &token).await.unwrap().unwrap();
        let loaded = rounds::load(&self.pool, round).await.unwrap();
        let mut answers = Answers::new();
        answers.insert("bijeenkomsten".into(), Answer::Many(vec!["s1".into()]));
        answers.insert("functie".into(), Answer::Text("huisarts".into()));
        if !big.is_empty() {
            answers.insert("big_nummer".into(), Answer::Text(big.into()));
        }
        answers.insert("presentielijst".into(), Answer::Bool(true));
        let submitted = peil::responses::submit(
            &self.store,
            &peil::responses::Seal::new(&peil::settings::Secret::new("signup-cli".into())),
            &loaded,
            &invitation,
            &answers,
            2,
            chrono::Utc::now(),
        )
        .await
        .unwrap();
        assert!(matches!(submitted, peil::responses::Submitted::SignedUp(_)));
    }

    /// Session 1 with Anna (BIG number) and the formula-named person in its two seats, and Cor
    /// on the waiting list.
    async fn full_session() -> Desk {
        let desk = Desk::new().await;
        let round = desk.open_round(2).await;
        desk.sign_up(round, "anna@example.org", BIG_ANNA).await;
        desk.sign_up(round, "hyper@example.org", "12345678901").await;
        desk.sign_up(round, "cor@example.org", "").await;
        desk
    }

    /// Moves session 1 to an hour ago, as if its evening had come.
    async fn session_began(&self) {
        let (starts, ends) = (chrono::Utc::now() - chrono::Duration::hours(1), chrono::Utc::now());
        sqlx::query("UPDATE sessions SET starts_at = $1, ends_at = $2 WHERE id = 1")
            .bind(starts.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .bind(ends.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .execute(&self.pool)
            .await
            .unwrap();
    }

    async fn status_of(&self, email: &str) -> (String, Option<i64>) {
        let row: (String, Option<i64>) = sqlx::query_as(
            "SELECT st.status, st.attended FROM seats st JOIN invitations i ON i.id = st.invitation_id \
             JOIN contacts c ON c.id = i.contact_id WHERE c.email = $1",
        )
        .bind(email)
        .fetch_one(&self.pool)
        .await
        .unwrap();
        row
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The line of `peil session list` for session `code`.
fn listed<'a>(list: &'a str, code: &str) -> &'a str {
    list.lines()
        .find(|l| l.split_whitespace().nth(1) == Some(code))
        .unwrap_or_else(|| panic!("{code} in\n{list}"))
}

/// Seats taken/capacity and the waiting count of session `code` in `peil session list`.
fn seats(list: &str, code: &str) -> (String, String) {
    let cells: Vec<&str> = listed(list, code).split("  ").map(str::trim).filter(|c| !c.is_empty()).collect();
    (cells[5].to_string(), cells[6].to_string())
}

#[tokio::test]
async fn a_session_is_added_listed_changed_and_cancelled_from_the_command_line() {
    let desk = Desk::new().await;
    desk.open_round(2).await;
    let added = desk.ok(&[
        "session",
        "add",
        "1",
        "--title",
        "Angst en depressie",
        "--date",
        "2099-04-14",
        "--time",
        "19:00-21:30",
        "--place",
        "Regiokantoor",
        "--activity",
        "ABC1-000002",
        "--capacity",
        "40",
    ]);
    assert!(added.starts_with("bijeenkomst 2 (s2, Angst en depressie) toegevoegd aan ronde 1\n"), "{added}");
    assert!(
        added.contains("dinsdag 14 april 2099, 19.00\u{2013}21.30 uur, Regiokantoor, 40 plaatsen"),
        "{added}"
    );

    let list = desk.ok(&["session", "list", "1"]);
    assert!(list.starts_with("id  code  titel"), "{list}");
    let first = listed(&list, "s1");
    assert!(
        first.contains("maandag 9 maart 2099, 19.00\u{2013}21.30 uur") && first.contains("0/2"),
        "{list}"
    );
    assert!(listed(&list, "s2").contains("0/40"), "{list}");

    let changed = desk.ok(&[
        "session",
        "change",
        "2",
        "--time",
        "20:00-22:00",
        "--online",
        "https://meet.example.org/x",
        "--capacity",
        "30",
    ]);
    for line in [
        "bijeenkomst 2 (s2, Angst en depressie) gewijzigd:",
        "  wanneer: dinsdag 14 april 2099, 19.00\u{2013}21.30 uur \u{2192} dinsdag 14 april 2099, 20.00\u{2013}22.00 uur",
        "  online: (geen) \u{2192} https://meet.example.org/x",
        "  plaatsen: 40 \u{2192} 30",
        "0 personen (aangemeld of op de wachtlijst) krijgen bericht met de nieuwe gegevens",
    ] {
        assert!(changed.lines().any(|l| l == line), "missing {line:?} in\n{changed}");
    }
    assert!(!changed.contains("titel:"), "{changed}");

    let cancelled = desk.ok(&["session", "cancel", "2"]);
    assert!(
        cancelled.contains("bijeenkomst 2 (s2, Angst en depressie) op dinsdag 14 april 2099"),
        "{cancelled}"
    );
    assert!(cancelled.contains("0 personen (aangemeld of op de wachtlijst) krijgen bericht"), "{cancelled}");
    let list = desk.ok(&["session", "list", "1"]);
    assert!(listed(&list, "s2").ends_with("geannuleerd"), "{list}");
    assert!(!listed(&list, "s1").contains("geannuleerd"), "{list}");
    assert!(desk.refused(&["session", "change", "2", "--capacity", "31"]).contains("session 2 is cancelled"));
    assert!(desk.refused(&["session", "cancel", "2"]).contains("session 2 is cancelled"));
}

#[tokio::test]
async fn a_bad_date_time_capacity_or_round_is_refused_with_a_clear_message() {
    let desk = Desk::new().await;
    desk.open_round(2).await;
    let add = |date: &str, time: &str, capacity: &str| {
        desk.refused(&[
            "session",
            "add",
            "1",
            "--title",
            "X",
            "--date",
            date,
            "--time",
            time,
            "--place",
            "P",
            "--capacity",
            capacity,
        ])
    };
    assert!(
        add("2099-02-30", "13:30-15:30", "8")
            .contains("\"2099-02-30\" is not a date; write it as 2027-03-09")
    );
    assert!(add("2099-03-10", "15:30-13:30", "8").contains("\"15:30-13:30\" ends before it starts"));
    assert!(add("2099-03-10", "half twee", "8").contains("is not a time span; write it as 13:30-15:30"));
    assert!(add("2099-03-10", "13:30-15:30", "0").contains("0 is not in 1..=2000"));
    assert!(add("2099-03-10", "13:30-15:30", "veel").contains("invalid value 'veel' for '--capacity"));
    assert!(add("2020-03-10", "13:30-15:30", "8").contains("has already begun"));
    let nowhere = desk.refused(&[
        "session",
        "add",
        "1",
        "--title",
        "X",
        "--date",
        "2099-03-10",
        "--time",
        "13:30-15:30",
        "--capacity",
        "8",
    ]);
    assert!(nowhere.contains("--place") && nowhere.contains("--online"), "{nowhere}");
    let unknown = desk.refused(&[
        "session",
        "add",
        "7",
        "--title",
        "X",
        "--date",
        "2099-03-10",
        "--time",
        "13:30-15:30",
        "--place",
        "P",
        "--capacity",
        "8",
    ]);
    assert!(unknown.contains("there is no round 7"), "{unknown}");
    assert!(desk.refused(&["session", "change", "1"]).contains("nothing to change"));
    assert!(desk.refused(&["session", "change", "9", "--capacity", "3"]).contains("there is no session 9"));
    let list = desk.ok(&["session", "list", "1"]);
    assert_eq!(list.lines().count(), 2, "nothing was added:\n{list}");
}

#[tokio::test]
async fn raising_the_capacity_moves_the_first_waiting_person_up_and_lowering_it_below_the_seats_is_refused() {
    let desk = Desk::new().await;
    let round = desk.open_round(1).await;
    desk.sign_up(round, "anna@example.org", BIG_ANNA).await;
    desk.sign_up(round, "hyper@example.org", "").await;
    desk.sign_up(round, "cor@example.org", "").await;
    assert_eq!(seats(&desk.ok(&["session", "list", "1"]), "s1"), ("1/1".into(), "2".into()));

    let changed = desk.ok(&["session", "change", "1", "--capacity", "2"]);
    assert!(changed.contains("  plaatsen: 1 \u{2192} 2\n"), "{changed}");
    assert!(
        changed.contains("1 persoon van de wachtlijst naar een plaats; zij krijgen bericht"),
        "{changed}"
    );
    assert!(!changed.contains("nieuwe gegevens"), "only a new time or place is announced to all:\n{changed}");
    assert_eq!(desk.status_of("hyper@example.org").await.0, "confirmed", "the first on the list moved up");
    assert_eq!(desk.status_of("cor@example.org").await.0, "waiting");
    assert_eq!(seats(&desk.ok(&["session", "list", "1"]), "s1"), ("2/2".into(), "1".into()));

    let refused = desk.refused(&["session", "change", "1", "--capacity", "1"]);
    assert!(
        refused.contains("the session already has 2 confirmed seats; a capacity of 1 would overbook it"),
        "{refused}"
    );
    assert_eq!(seats(&desk.ok(&["session", "list", "1"]), "s1"), ("2/2".into(), "1".into()));
}
