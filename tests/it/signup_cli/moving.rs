//! `peil session move`, `enrol` and `mail`.

use super::*;

#[tokio::test]
async fn a_seat_is_moved_a_contact_enrolled_and_a_session_mailed_from_the_command_line() {
    let desk = Desk::full_session().await;
    let added = desk.ok(&[
        "session",
        "add",
        "1",
        "--title",
        "Tweede avond",
        "--date",
        "2099-03-16",
        "--time",
        "19:00-21:30",
        "--place",
        "Regiokantoor",
        "--capacity",
        "5",
    ]);
    assert!(added.contains("bijeenkomst 2 (s2, Tweede avond)"), "{added}");
    let anna_seat: i64 = sqlx::query_scalar(
        "SELECT st.id FROM seats st JOIN invitations i ON i.id = st.invitation_id \
         JOIN contacts c ON c.id = i.contact_id WHERE c.email = 'anna@example.org'",
    )
    .fetch_one(&desk.pool)
    .await
    .unwrap();
    let moved = desk.ok(&["session", "move", &anna_seat.to_string(), "--to", "2"]);
    assert!(moved.contains("naar bijeenkomst 2: een plaats"), "{moved}");
    assert!(moved.contains("schuift door van de wachtlijst in bijeenkomst 1"), "Cor moves up: {moved}");
    assert!(
        desk.refused(&["session", "move", &anna_seat.to_string(), "--to", "2"]).contains("already cancelled")
    );

    // Anna's seat in session 1 went to Cor; she may be enrolled again, on the waiting list.
    let enrolled = desk.peil_with_key(&["session", "enrol", "1", "ANNA@example.org"]).expect("enrolled");
    assert!(
        enrolled.contains(
            "Anna de Vries <anna@example.org> ingeschreven bij bijeenkomst 1: de wachtlijst (plaats 1)"
        ),
        "{enrolled}"
    );
    assert!(desk.peil_with_key(&["session", "enrol", "1", "niemand@example.org"]).is_err());

    let mailed = desk.ok(&["session", "mail", "1", "--subject", "Andere zaal", "--text", "Zaal 3."]);
    assert!(mailed.contains("2 mails staan klaar"), "{mailed}");
    let mailed = desk.ok(&["session", "mail", "1", "--subject", "Let op", "--text", "Koffie.", "--waiting"]);
    assert!(mailed.contains("3 mails staan klaar"), "{mailed}");
    let audited: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM audit_log WHERE action IN ('session_added', 'seat_moved', 'seat_enrolled', 'session_mailed') AND actor IS NULL",
    )
    .fetch_one(&desk.pool)
    .await
    .unwrap();
    assert_eq!(audited, 5, "each change audited as the command line's");
}
