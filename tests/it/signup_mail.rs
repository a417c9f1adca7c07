//! Sign-up mails end to end: people take seats through their personal links, the worker sends
//! the confirmations, waiting-list, cancellation and moved-up mails to a real SMTP server on
//! loopback, and the calendar files in them read back with an independent iCalendar parser.

use std::collections::HashMap;

use base64::Engine;
use chrono::{Duration, NaiveDate, Utc};
use chrono_tz::Europe::Amsterdam;
use icalendar::parser::{read_calendar, unfold};
use peil::mail::{Delivery, Mailer};
use peil::rounds::{OpenRequest, RoundId};
use peil::signup::{NewSession, SessionChange};
use peil::time::clock::{Clock, ManualClock};

use crate::helpers::TestApp;
use crate::mail::smtp::{Received, SmtpServer};
use crate::mail::support::{HUISARTSEN, app, decoded, header, link_path, mailer, sent};

const SESSION: &str = "Intervisie Noord";

/// A round of the shipped intervisie form for the three huisartsen, with one session of two
/// seats a month from now at 13.30 Amsterdam time; returns the round and the session's day.
async fn open_signup(app: &TestApp, now: chrono::DateTime<Utc>) -> (RoundId, NaiveDate) {
    let day = now.with_timezone(&Amsterdam).date_naive() + Duration::days(30);
    let starts = peil::time::from_amsterdam(day.and_hms_opt(13, 30, 0).expect("a time"));
    let session = NewSession {
        code: "s1".into(),
        title: SESSION.into(),
        starts_at: starts,
        ends_at: starts + Duration::hours(2),
        place: "Huisartsenpost Noord, zaal 2".into(),
        online_url: String::new(),
        leader: "K. de Graaf".into(),
        activity_id: String::new(),
        capacity: 2,
        points: 0.0,
    };
    let request = OpenRequest {
        form_id: "intervisie".into(),
        roles: vec!["huisarts".into()],
        wijken: vec![],
        gemeenten: vec![],
        practices: vec![],
        closes_at: now + Duration::days(7),
        anonymous: false,
        occurrence: None,
    };
    let rules = peil::signup::SignupRound {
        sessions: vec![session],
        cancel_until: Duration::days(1),
        remind_before: Duration::days(1),
        open_registration: false,
        registers: vec![],
    };
    let opened = peil::signup::open(&app.db, &app.forms, &app.secret, &request, &rules, now)
        .await
        .expect("open round");
    assert_eq!(opened.invited, 3);
    (opened.round, day)
}

/// Opens the round, mails the invitations, and signs the three huisartsen up in order through
/// the links in their invitations: Anna and Bram take the two seats, Dina lands on the waiting
/// list. Their three seat mails are delivered too.
async fn three_sign_ups(
    app: &TestApp,
    server: &SmtpServer,
    mailer: &Mailer,
    clock: &ManualClock,
) -> (RoundId, NaiveDate) {
    let (round, day) = open_signup(app, clock.now()).await;
    assert_eq!(mailer.run_once().await.expect("run"), sent(3), "the invitations");
    // A sign-up's invitation asks to choose a session, not for an opinion.
    let invitation = crate::mail::support::decoded(&server.to(HUISARTSEN[0])[0]);
    assert!(invitation.contains("Kies een bijeenkomst via uw persoonlijke link"), "{invitation}");
    assert!(!invitation.contains("mening"), "{invitation}");
    for address in HUISARTSEN {
        let link = link_path(app, &server.to(address)[0]);
        let fields = [("_page", "0"), ("bijeenkomst", "s1"), ("naam_delen", "ja"), ("_nav", "submit")];
        let (status, body) = app.post(&link, &fields).await;
        assert_eq!(status, 303, "{address} is sent on to the sign-up's own page: {body}");
    }
    // The pages queue their mails at the system clock's time.
    clock.set(Utc::now());
    assert_eq!(mailer.run_once().await.expect("run"), sent(3), "two confirmations and a waiting place");
    (round, day)
}

/// The Subject header, unfolded.
fn subject(mail: &Received) -> String {
    let unfolded = mail.headers().replace("\r\n ", " ").replace("\r\n\t", " ");
    let line = unfolded.split("\r\n").find(|l| l.to_lowercase().starts_with("subject:")).expect("a subject");
    line["subject:".len()..].trim().to_string()
}

/// The mails `address` received whose subject starts with `prefix`.
fn with_subject(server: &SmtpServer, address: &str, prefix: &str) -> Vec<Received> {
    server.to(address).into_iter().filter(|m| subject(m).starts_with(prefix)).collect()
}

/// The `/r/<token>/plaats/<seat>` path a seat mail links to, and the seat's id.
fn seat_page(app: &TestApp, mail: &Received) -> (String, i64) {
    let body = decoded(mail);
    let marker = "/plaats/";
    let link = link_path(app, mail);
    let start = body.find(&format!("{}{link}{marker}", app.url)).expect("a seat link") + app.url.len();
    let digits: String =
        body[start + link.len() + marker.len()..].chars().take_while(char::is_ascii_digit).collect();
    (format!("{link}{marker}{digits}"), digits.parse().expect("a seat id"))
}

/// The attached calendar file: its Content-Type and its text, base64 undone.
fn attachment(mail: &Received) -> Option<(String, String)> {
    let at = mail.data.find("Content-Type: text/calendar")?;
    // The part begins after its boundary line.
    let boundary = mail.data[..at].rfind("\r\n--")? + 2;
    let start = boundary + mail.data[boundary..].find("\r\n")? + 2;
    let (headers, rest) = mail.data[start..].split_once("\r\n\r\n")?;
    let content_type = mail.data[at..].lines().next()?.trim_start_matches("Content-Type: ").to_string();
    assert!(headers.contains("filename=\"bijeenkomst.ics\""), "{headers}");
    let encoded: String = rest[..rest.find("\r\n--")?].split_whitespace().collect();
    let bytes = base64::engine::general_purpose::STANDARD.decode(encoded).expect("base64");
    Some((content_type, String::from_utf8(bytes).expect("UTF-8")))
}

/// What the test needs from a calendar file, as the icalendar crate's parser reads it.
#[derive(Debug, PartialEq, Eq)]
struct Parsed {
    method: String,
    uid: String,
    sequence: String,
    status: String,
    /// DTSTART's TZID parameter and value.
    starts: (Option<String>, String),
}

fn parse(ics: &str) -> Parsed {
    let unfolded = unfold(ics);
    let calendar = read_calendar(&unfolded).expect("the file parses");
    let method = calendar.properties.iter().find(|p| p.name == "METHOD").expect("METHOD");
    let events: Vec<_> = calendar.components.iter().filter(|c| c.name == "VEVENT").collect();
    assert_eq!(events.len(), 1, "one event");
    let value = |name: &str| events[0].find_prop(name).unwrap_or_else(|| panic!("{name}")).val.to_string();
    let dtstart = events[0].find_prop("DTSTART").expect("DTSTART");
    let tzid =
        dtstart.params.iter().find(|p| p.key == "TZID").and_then(|p| p.val.as_ref()).map(|v| v.to_string());
    Parsed {
        method: method.val.to_string(),
        uid: value("UID"),
        sequence: value("SEQUENCE"),
        status: value("STATUS"),
        starts: (tzid, value("DTSTART")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_seats_for_three_people_confirm_two_with_calendar_files_and_move_the_third_up_when_one_cancels() {
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    let (_, day) = three_sign_ups(&app, &server, &mailer, &clock).await;

    let starts = format!("{}T133000", day.format("%Y%m%d"));
    let mut uids = HashMap::new();
    for address in &HUISARTSEN[..2] {
        let mails = with_subject(&server, address, &format!("U bent aangemeld: {SESSION}"));
        assert_eq!(mails.len(), 1, "{address} gets one confirmation");
        let mail = &mails[0];
        assert!(header(mail, "Content-Type")[0].starts_with("multipart/mixed"), "{}", mail.headers());
        assert!(header(mail, "List-Unsubscribe").is_empty(), "a seat mail is not a mailing");
        let text = decoded(mail);
        assert!(text.contains("Het agenda-bestand zit als bijlage bij deze e-mail"), "{text}");
        assert!(text.contains("Afmelden kan tot "), "{text}");
        let (content_type, ics) = attachment(mail).expect("a calendar file");
        assert_eq!(content_type, "text/calendar; charset=utf-8; method=PUBLISH");
        let parsed = parse(&ics);
        let (_, seat) = seat_page(&app, mail);
        assert_eq!(parsed.uid, format!("seat-{seat}@example.org"));
        assert_eq!((parsed.method.as_str(), parsed.sequence.as_str()), ("PUBLISH", "0"));
        assert_eq!(parsed.starts, (Some("Europe/Amsterdam".to_string()), starts.clone()));
        uids.insert(*address, parsed.uid);
    }
    let dina = HUISARTSEN[2];
    let waiting = with_subject(&server, dina, &format!("Wachtlijst: {SESSION}"));
    assert_eq!(waiting.len(), 1, "dina is told she waits");
    assert!(decoded(&waiting[0]).contains("plaats 1"), "{}", decoded(&waiting[0]));
    assert!(attachment(&waiting[0]).is_none(), "no calendar entry for a waiting place");

    // Anna cancels through the link in her confirmation.
    let anna = HUISARTSEN[0];
    let confirmation = &with_subject(&server, anna, "U bent aangemeld")[0];
    let (page, _) = seat_page(&app, confirmation);
    let (status, body) = app.post(&format!("{page}/afzeggen"), &[]).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("U bent afgemeld"), "{body}");
    clock.set(Utc::now());
    assert_eq!(mailer.run_once().await.expect("run"), sent(2));

    let cancelled = with_subject(&server, anna, &format!("Afgemeld: {SESSION}"));
    assert_eq!(cancelled.len(), 1, "anna gets one cancellation");
    let (content_type, ics) = attachment(&cancelled[0]).expect("a calendar file that withdraws the entry");
    assert_eq!(content_type, "text/calendar; charset=utf-8; method=CANCEL");
    let parsed = parse(&ics);
    assert_eq!((parsed.method.as_str(), parsed.status.as_str()), ("CANCEL", "CANCELLED"));
    assert_eq!(parsed.uid, uids[anna], "the same entry as the confirmation's");
    assert_eq!(parsed.sequence, "1", "newer than the confirmation's");

    let promoted = with_subject(&server, dina, "Er is een plaats vrijgekomen");
    assert_eq!(promoted.len(), 1, "dina gets exactly one moved-up mail");
    assert_eq!(
        subject(&promoted[0]),
        format!("Er is een plaats vrijgekomen: u bent aangemeld voor {SESSION}")
    );
    let (_, ics) = attachment(&promoted[0]).expect("a calendar file");
    let parsed = parse(&ics);
    let (_, seat) = seat_page(&app, &promoted[0]);
    assert_eq!((parsed.method.as_str(), parsed.uid), ("PUBLISH", format!("seat-{seat}@example.org")));
    assert_eq!(parsed.starts, (Some("Europe/Amsterdam".to_string()), starts));

    assert_eq!(mailer.run_once().await.expect("run"), Delivery::default(), "nothing is left");
    for address in HUISARTSEN {
        let mut subjects: Vec<String> = server.to(address).iter().map(subject).collect();
        let all = subjects.len();
        subjects.sort();
        subjects.dedup();
        assert_eq!(subjects.len(), all, "{address} got nothing twice: {subjects:?}");
    }
    assert_eq!(server.received().len(), 3 + 3 + 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_session_updates_the_calendar_entry_and_a_cancelled_one_withdraws_it_even_after_an_opt_out()
{
    let (app, clock) = app().await;
    let server = SmtpServer::started().await;
    let mailer = mailer(&app, &clock, Some(server.url()), HashMap::new());
    let (round, day) = three_sign_ups(&app, &server, &mailer, &clock).await;
    let session = peil::signup::sessions::of_round(&app.pool, round).await.expect("sessions").remove(0);

    let later = SessionChange {
        starts_at: Some(session.starts_at + Duration::hours(1)),
        ends_at: Some(session.ends_at + Duration::hours(1)),
        ..SessionChange::default()
    };
    peil::signup::sessions::change(&app.db, session.id, &later, clock.now(), None).await.expect("change");
    assert_eq!(mailer.run_once().await.expect("run"), sent(3), "everyone with a seat or a place hears of it");
    for address in &HUISARTSEN[..2] {
        let changed = with_subject(&server, address, &format!("Gewijzigd: {SESSION}"));
        assert_eq!(changed.len(), 1, "{address}");
        assert!(decoded(&changed[0]).contains("14.30"), "the new time: {}", decoded(&changed[0]));
        let parsed = parse(&attachment(&changed[0]).expect("an updated calendar file").1);
        let (_, seat) = seat_page(&app, &changed[0]);
        assert_eq!(parsed.uid, format!("seat-{seat}@example.org"), "the same entry, replaced");
        assert_eq!((parsed.method.as_str(), parsed.sequence.as_str()), ("PUBLISH", "1"));
        let starts = format!("{}T143000", day.format("%Y%m%d"));
        assert_eq!(parsed.starts, (Some("Europe/Amsterdam".to_string()), starts));
    }
    let dina = HUISARTSEN[2];
    let changed = with_subject(&server, dina, &format!("Gewijzigd: {SESSION}"));
    assert!(attachment(&changed[0]).is_none(), "no calendar entry for a waiting place");
    assert!(decoded(&changed[0]).contains("wachtlijst, op plaats 1"), "{}", decoded(&changed[0]));

    // The session is called off, and Anna stops the organisation's mailings just after: the
    // news about her seat still reaches her.
    let anna: i64 = sqlx::query_scalar(
        "SELECT i.id FROM invitations i JOIN contacts c ON c.id = i.contact_id WHERE c.email = 'anna@example.org'",
    )
    .fetch_one(&app.pool)
    .await
    .expect("anna");
    assert_eq!(
        peil::signup::sessions::cancel(&app.db, session.id, clock.now(), None).await.expect("cancel"),
        3
    );
    let stopped =
        peil::mail::opt_out(&app.db, peil::rounds::InvitationId(anna), clock.now()).await.expect("opt out");
    assert_eq!(stopped, 0, "a mail about her seat is not a mailing");
    assert_eq!(mailer.run_once().await.expect("run"), sent(3));
    for address in HUISARTSEN {
        let cancelled = with_subject(&server, address, &format!("Gaat niet door: {SESSION}"));
        assert_eq!(cancelled.len(), 1, "{address}");
        let calendar = attachment(&cancelled[0]);
        if address == dina {
            assert!(calendar.is_none(), "nothing to withdraw from dina's calendar");
            continue;
        }
        let (content_type, ics) = calendar.expect("a calendar file that withdraws the entry");
        assert_eq!(content_type, "text/calendar; charset=utf-8; method=CANCEL");
        let parsed = parse(&ics);
        assert_eq!((parsed.method.as_str(), parsed.status.as_str()), ("CANCEL", "CANCELLED"));
        assert_eq!(parsed.sequence, "2", "the cancellation raised the session's revision");
    }
    assert_eq!(server.received().len(), 3 + 3 + 3 + 3);
}
