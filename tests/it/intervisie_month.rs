//! A month of intervisie without phone calls, as issue 24 tells it, in a real Chromium with an
//! SMTP server on loopback: twelve POH-GGZ race for the two seats of a group; one on the waiting
//! list switches to a group with seats; one cancels and picks another group; the organiser moves
//! one person and enrols a latecomer by hand; after the meeting the organiser ticks attendance on
//! the tablet page; everyone present receives a certificate that names them, the date and the
//! hours; the register lines and the list of those without a number are right; the presentielijst
//! PDF and XLSX keep every BIG number's leading zero.

use std::collections::BTreeSet;

use calamine::Reader;
use chrono::{DateTime, Duration, Utc};
use futures_util::future::join_all;
use peil::accounts::Role;
use peil::rounds::RoundId;
use peil::settings::Secret;

use crate::a11y::log_in;
use crate::browser::Browser;
use crate::certificates::{attached_pdf, pdf_text};
use crate::helpers::TestApp;
use crate::mail::smtp::SmtpServer;
use crate::signup::{link_paths, open_with_rules, poh_contacts, seats, session, sign_up};

/// The round: "s1" with 2 seats, "s2" with 4 (the meeting the scenario follows), "s3" with 3.
async fn open_month(app: &TestApp, starts: DateTime<Utc>) -> RoundId {
    let mut groups = vec![session("s1", 2, starts), session("s2", 4, starts), session("s3", 3, starts)];
    groups[1].activity_id = "PE-778899".into();
    let rules = peil::signup::SignupRound {
        sessions: groups,
        cancel_until: Duration::hours(24),
        remind_before: Duration::hours(24),
        open_registration: false,
        // The POH-GGZ's own register (her lidnummer) and, since the scenario must show a GAIA
        // block too, ABC1 by BIG number for everyone.
        registers: crate::attendance::registers(),
    };
    open_with_rules(app, &["poh-ggz"], &rules).await
}

async fn session_id(app: &TestApp, round: RoundId, code: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM sessions WHERE round_id = $1 AND code = $2")
        .bind(round.0)
        .bind(code)
        .fetch_one(&app.pool)
        .await
        .expect("session")
}

/// Who holds a confirmed seat in session `id`, by e-mail address.
async fn confirmed(app: &TestApp, id: i64) -> BTreeSet<String> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT c.email FROM seats st JOIN invitations i ON i.id = st.invitation_id \
         JOIN contacts c ON c.id = i.contact_id WHERE st.session_id = $1 AND st.status = 'confirmed'",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .expect("seats");
    rows.into_iter().collect()
}

/// The e-mail address behind seat `seat`.
async fn holder(app: &TestApp, seat: i64) -> String {
    sqlx::query_scalar(
        "SELECT c.email FROM seats st JOIN invitations i ON i.id = st.invitation_id \
         JOIN contacts c ON c.id = i.contact_id WHERE st.id = $1",
    )
    .bind(seat)
    .fetch_one(&app.pool)
    .await
    .expect("holder")
}

/// The active seat of `email` in session `id`.
async fn seat_in(app: &TestApp, id: i64, email: &str) -> i64 {
    sqlx::query_scalar(
        "SELECT st.id FROM seats st JOIN invitations i ON i.id = st.invitation_id \
         JOIN contacts c ON c.id = i.contact_id \
         WHERE st.session_id = $1 AND c.email = $2 AND st.status <> 'cancelled'",
    )
    .bind(id)
    .bind(email)
    .fetch_one(&app.pool)
    .await
    .expect("a seat")
}

async fn goto(browser: &Browser, url: &str) {
    browser.client().goto(url).await.unwrap_or_else(|e| panic!("{url}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_of_intervisie_runs_from_the_race_for_seats_to_the_certificates_without_a_phone_call() {
    let Some(browser) = Browser::start().await else { return };
    let relay = SmtpServer::started().await;
    let smtp = relay.url();
    let app = TestApp::spawn_configured(|s| s.smtp_url = Some(Secret::new(smtp))).await;
    app.import_contacts(&poh_contacts(12)).await;
    let starts = app.now() + Duration::days(5);
    let round = open_month(&app, starts).await;
    let (s1, s2) = (session_id(&app, round, "s1").await, session_id(&app, round, "s2").await);
    let paths = link_paths(&app, round).await;
    let link_of = |email: &str| {
        let n: usize = email[3..5].parse().expect("poh01..poh12");
        format!("{}{}", app.url, paths[n - 1])
    };

    // Twelve race for the two seats of s1: exactly two get one, ten wait in order.
    let outcomes = join_all(paths.iter().map(|p| sign_up(&app, p, "s1"))).await;
    assert!(outcomes.iter().all(|s| *s == 303), "{outcomes:?}");
    let queue = seats(&app, round, "s1").await;
    let seated: Vec<i64> = queue.iter().filter(|(_, s)| s == "confirmed").map(|(id, _)| *id).collect();
    let waiting: Vec<i64> = queue.iter().filter(|(_, s)| s == "waiting").map(|(id, _)| *id).collect();
    assert_eq!((seated.len(), waiting.len()), (2, 10));
    let switcher = holder(&app, waiting[0]).await;
    let canceller = holder(&app, seated[0]).await;
    let moved = holder(&app, waiting[2]).await;

    // Register details, as each gives them on her link: a ten-digit BIG number padded to eleven,
    // an eleven-digit one, and one without a BIG number.
    for (email, initials, surname, big, lidnummer) in [
        (&switcher, "ja", "Jansen", "1234567890", "POH-1001"),
        (&canceller, "K", "de Wit", "09876543210", "POH-1002"),
        (&moved, "M.", "Mol", "", "POH-1003"),
    ] {
        let fields = [
            ("voorletters", initials),
            ("achternaam", surname),
            ("big", big),
            ("nummer-kwaliteitsregister-poh-ggz", lidnummer),
        ];
        let path = link_of(email).trim_start_matches(&app.url).to_string();
        let (status, page) = app.post(&format!("{path}/gegevens"), &fields).await;
        assert_eq!(status, 200, "{page}");
    }

    // The first on the waiting list switches to s2, which has seats, from her own page.
    goto(&browser, &link_of(&switcher)).await;
    browser.wait_for_text("Andere bijeenkomsten").await;
    browser.click("form:has(input[name=van]):has(input[name=bijeenkomst][value=s2]) button").await;
    browser.wait_for_text("Intervisiegroep s2").await;
    crate::helpers::within(10, "the switch", || async {
        confirmed(&app, s2).await.contains(&switcher).then_some(())
    })
    .await;
    assert!(!seats(&app, round, "s1").await.contains(&(waiting[0], "waiting".to_string())));

    // One with a seat in s1 cancels, and on the same page picks s2 instead.
    goto(&browser, &link_of(&canceller)).await;
    browser.click(&format!(r#"a[href$="/plaats/{}"]"#, seated[0])).await;
    browser.wait_for_text("Ja, meld mij af").await;
    browser.click(r#"form[action$="/afzeggen"] button"#).await;
    browser.wait_for_text("U bent afgemeld.").await;
    browser.click("form:has(input[name=bijeenkomst][value=s2]) button").await;
    crate::helpers::within(10, "choosing s2", || async {
        confirmed(&app, s2).await.contains(&canceller).then_some(())
    })
    .await;
    let next_up = holder(&app, waiting[1]).await;
    assert!(confirmed(&app, s1).await.contains(&next_up), "the next on the waiting list moved up");

    // The organiser moves one waiting person to s2 and enrols a latecomer by hand.
    app.import_contacts("naam;e-mail;rol;praktijk;wijk;gemeente\nNina Nieuw;nina@example.org;poh-ggz;Praktijk Nieuw;noord;Stad\n")
        .await;
    app.create_user("organisator@example.org", Role::Admin).await;
    browser.client().set_window_size(1280, 900).await.expect("window size");
    log_in(&browser, &app.url, "organisator@example.org").await;
    goto(&browser, &format!("{}/beheer/bijeenkomsten/{s1}", app.url)).await;
    browser
        .script(&format!(
            "document.getElementById('plaats-id').value = '{}'; document.getElementById('naar').value = '{s2}'; return true;",
            waiting[2]
        ))
        .await;
    browser.click(r#"form[action$="/verplaatsen"] button"#).await;
    crate::helpers::within(10, "the move", || async {
        confirmed(&app, s2).await.contains(&moved).then_some(())
    })
    .await;
    goto(&browser, &format!("{}/beheer/bijeenkomsten/{s2}?zoek=Nina", app.url)).await;
    browser.click(r#"form[action$="/inschrijven"]:has(input[value="nina@example.org"]) button"#).await;
    crate::helpers::within(10, "the enrolment", || async {
        confirmed(&app, s2).await.contains("nina@example.org").then_some(())
    })
    .await;
    let expected: BTreeSet<String> =
        [&switcher, &canceller, &moved, &"nina@example.org".to_string()].into_iter().cloned().collect();
    assert_eq!(confirmed(&app, s2).await, expected);

    // The meeting has begun: at the door, on a tablet, the organiser ticks who came. The moved
    // person ticked by mistake is undone; then everyone else at once, and the mistake undone again.
    app.clock.advance(Duration::days(5) + Duration::minutes(10));
    app.create_user("deur@example.org", Role::Admin).await;
    log_in(&browser, &app.url, "deur@example.org").await;
    browser.client().set_window_size(820, 1180).await.expect("tablet size");
    let tablet = format!("{}/beheer/bijeenkomsten/{s2}/aanwezigheid", app.url);
    goto(&browser, &tablet).await;
    let moved_seat = seat_in(&app, s2, &moved).await;
    let tick = format!(r#"form[action$="/aanwezigheid/{moved_seat}"] button"#);
    let present = "SELECT COUNT(*) FROM seats WHERE attended = 1";
    for (click, after) in [
        (tick.as_str(), 1),
        (tick.as_str(), 0),
        (r#"form[action$="/aanwezigheid/iedereen"] button"#, 4),
        (tick.as_str(), 3),
    ] {
        goto(&browser, &tablet).await;
        browser.click(click).await;
        crate::helpers::within(10, "the tick", || async {
            (app.count(present).await == after).then_some(())
        })
        .await;
    }
    assert_eq!(
        app.count("SELECT COUNT(*) FROM seats WHERE attended = 0").await,
        1,
        "the moved person did not come"
    );

    // Each person present receives a certificate naming them, the date and the hours; the
    // person unticked receives none.
    app.clock.advance(peil::certificates::MAIL_GRACE);
    app.deliver_pending_mail().await;
    let day = peil::time::dutch_long_date(peil::time::amsterdam_date(starts));
    for (email, name) in [
        (&switcher, "J.A. Jansen"),
        (&canceller, "K. de Wit"),
        (&"nina@example.org".to_string(), "Nina Nieuw"),
    ] {
        let mails = relay.to(email);
        let pdf = mails.iter().find_map(attached_pdf).unwrap_or_else(|| panic!("a certificate for {email}"));
        let text = pdf_text(&pdf);
        for expected in [name, day.as_str(), "2 uur", "Intervisiegroep s2"] {
            assert!(text.contains(expected), "{expected:?} in the certificate of {email}: {text}");
        }
    }
    assert!(
        relay.to(&moved).iter().all(|m| attached_pdf(m).is_none()),
        "no certificate for who did not come"
    );

    // The register page: the GAIA lines exactly, and who has no number to chase.
    let admin = app.login_as("register@example.org", Role::Admin).await;
    let (status, page) = admin.get(&format!("/beheer/bijeenkomsten/{s2}/register")).await;
    assert_eq!(status, 200, "{page}");
    let gaia = textarea(&page, "regels-abc1");
    let lines: BTreeSet<&str> = gaia.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines, BTreeSet::from(["BIG-01234567890", "BIG-09876543210"]), "{gaia}");
    let poh = textarea(&page, "regels-kwaliteitsregister-poh-ggz");
    let lines: BTreeSet<&str> = poh.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines, BTreeSet::from(["POH-1001", "POH-1002"]), "{poh}");
    assert_eq!(page.matches("Aanwezig zonder nummer (1)").count(), 2, "Nina, in both registers: {page}");
    assert!(page.contains("nina@example.org") && !page.contains(&moved), "{page}");

    // The presentielijst keeps every BIG number's leading zero, as PDF and as XLSX.
    let pdf = admin.get_bytes(&format!("/beheer/bijeenkomsten/{s2}/presentielijst.pdf")).await;
    let text = pdf_text(&pdf);
    for expected in ["01234567890", "09876543210", "PE-778899", "Jansen", "J.A."] {
        assert!(text.contains(expected), "{expected:?} in the presentielijst: {text}");
    }
    let xlsx = admin.get_bytes(&format!("/beheer/bijeenkomsten/{s2}/presentielijst.xlsx")).await;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx)).expect("an XLSX");
    let sheet = book.worksheet_range("Intervisiegroep s2").expect("the session's sheet");
    let bigs: BTreeSet<String> = sheet
        .rows()
        .flat_map(|row| row.iter())
        .filter_map(|cell| match cell {
            calamine::Data::String(s) if s.len() == 11 && s.chars().all(|c| c.is_ascii_digit()) => {
                Some(s.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(bigs, BTreeSet::from(["01234567890".to_string(), "09876543210".to_string()]));
    browser.quit().await;
}

/// The text of the textarea with id `id`, entities undone.
fn textarea(page: &str, id: &str) -> String {
    let at = page.find(&format!(r#"id="{id}""#)).unwrap_or_else(|| panic!("textarea {id} in {page}"));
    let start = at + page[at..].find('>').expect("the tag's end") + 1;
    let end = start + page[start..].find("</textarea>").expect("the textarea's end");
    page[start..end].replace("&#x2F;", "/").replace("&amp;", "&")
}
