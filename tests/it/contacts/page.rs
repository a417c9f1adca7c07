//! A contact's page: their invitations, seats and mails; editing them, checked like a line of a
//! list; a corrected address sends their failed mails again; undoing an opt-out needs a reason.
//! Only administrators reach any of it.

use peil::accounts::Role;

use super::{audited, id_of, opt_out, table, text_of, unescape, upload};
use crate::helpers::{CONTACTS, TestApp};

/// Anna's fields as the edit form posts them, with `changes` applied.
fn anna_fields<'a>(changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("naam", "Anna de Vries"),
        ("email", "anna@example.org"),
        ("rol", "huisarts"),
        ("praktijk", "Praktijk Noord"),
        ("wijk", "noord"),
        ("gemeente", "Stad"),
    ];
    for (name, value) in changes {
        fields.iter_mut().filter(|(n, _)| n == name).for_each(|field| field.1 = value);
    }
    fields
}

#[tokio::test]
async fn a_contacts_page_shows_their_invitations_whether_they_answered_and_their_mails() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let identified = app.open_round("wachttijden", &["huisarts"], false).await;
    app.open_round("crisisdienst", &["huisarts"], true).await;
    let anna = id_of(&app, "anna@example.org").await;
    sqlx::query("UPDATE invitations SET answered = 1 WHERE round_id = $1 AND contact_id = $2")
        .bind(identified.0)
        .bind(anna)
        .execute(&app.pool)
        .await
        .expect("answered");
    sqlx::query("UPDATE outbox SET status = 'failed', last_error = '550 no such user' WHERE round_id = $1")
        .bind(identified.0)
        .execute(&app.pool)
        .await
        .expect("failed");
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let (status, page) = admin.get(&format!("/beheer/contacten/{anna}")).await;
    assert_eq!(status, 200, "{page}");
    let page = unescape(&page);
    assert!(page.contains("<h1>Anna de Vries</h1>"), "{page}");
    let invitations =
        page.split("id=\"uitnodigingen\"").nth(1).expect("the invitations").split("</table>").next().unwrap();
    assert_eq!(invitations.matches("<tr><td>").count(), 2, "{invitations}");
    // Newest first: the anonymous round, not answered; then the identified one, answered.
    let answered: Vec<&str> = invitations
        .split("<tr><td>")
        .skip(1)
        .map(|row| {
            if row.contains("<td>ja</td><td>nee</td>") {
                "beantwoord"
            } else if row.contains("<td>nee</td><td>ja</td>") {
                "anoniem, open"
            } else {
                row
            }
        })
        .collect();
    assert_eq!(answered, ["anoniem, open", "beantwoord"]);
    let mails = page.split("id=\"mails\"").nth(1).expect("the mails");
    assert!(mails.contains("<td>Uitnodiging</td>"), "{mails}");
    assert!(mails.contains("<td>mislukt</td>") && mails.contains("<td>550 no such user</td>"), "{mails}");
    assert!(mails.contains("<td>wacht</td>"), "the anonymous round's invitation waits: {mails}");
    assert!(page.contains("Geen aanmeldingen voor bijeenkomsten."), "{page}");
}

#[tokio::test]
async fn an_edit_is_checked_like_a_line_of_a_list_and_refused_with_every_problem() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let anna = id_of(&app, "anna@example.org").await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let before = table(&app).await;
    let fields = anna_fields(&[("naam", " "), ("email", "anna@"), ("wijk", "nergens")]);
    let (status, page) = admin.post(&format!("/beheer/contacten/{anna}"), &fields).await;
    assert_eq!(status, 422, "{page}");
    assert_eq!(text_of(&page, "fout-naam").as_deref(), Some("De naam is leeg."));
    assert_eq!(text_of(&page, "fout-email").as_deref(), Some("'anna@' is geen geldig e-mailadres."));
    assert!(
        text_of(&page, "fout-wijk").unwrap_or_default().starts_with("Onbekende wijk 'nergens'."),
        "{page}"
    );
    assert!(unescape(&page).contains("value=\"anna@\""), "what was typed is shown again");
    assert_eq!(table(&app).await, before);
    assert!(audited(&app, "contact_changed").await.is_empty());

    // An address another contact has.
    let fields = anna_fields(&[("email", "Bram@example.org")]);
    let (status, page) = admin.post(&format!("/beheer/contacten/{anna}"), &fields).await;
    assert_eq!(status, 422, "{page}");
    assert_eq!(
        text_of(&page, "fout-email").as_deref(),
        Some("Dit e-mailadres hoort al bij een ander contact.")
    );
    assert_eq!(table(&app).await, before);
}

#[tokio::test]
async fn a_corrected_address_sends_the_failed_mails_again_and_is_audited() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    let failed = app.open_round("crisisdienst", &["huisarts"], false).await;
    app.open_round("crisisdienst", &["huisarts"], true).await;
    let anna = id_of(&app, "anna@example.org").await;
    sqlx::query("UPDATE outbox SET status = 'failed', attempts = 5, last_error = '550 no such user' WHERE round_id = $1")
        .bind(failed.0)
        .execute(&app.pool)
        .await
        .expect("failed");
    let admin = app.login_as("beheer@example.org", Role::Admin).await;

    let fields = anna_fields(&[("email", "A.deVries@Example.net"), ("wijk", "zuid")]);
    let (status, page) = admin.post(&format!("/beheer/contacten/{anna}"), &fields).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(text_of(&page, "edit-result").as_deref(), Some("Opgeslagen. Gewijzigd: e-mail, wijk."));
    assert_eq!(
        text_of(&page, "requeued").as_deref(),
        Some(
            "1 mislukte mail wordt opnieuw verstuurd naar het nieuwe adres, en 1 wachtende mail gaat er ook heen."
        )
    );
    let anna_row = table(&app).await.into_iter().find(|row| row.contains("|Anna de Vries|")).unwrap();
    assert!(
        anna_row.starts_with("a.devries@example.net|Anna de Vries|huisarts|Praktijk Noord|zuid|"),
        "{anna_row}"
    );
    let waiting = app
        .count("SELECT COUNT(*) FROM outbox o JOIN invitations i ON i.id = o.invitation_id JOIN contacts c ON c.id = i.contact_id WHERE c.name = 'Anna de Vries' AND o.status = 'pending' AND o.attempts = 0")
        .await;
    assert_eq!(waiting, 2);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM outbox WHERE status = 'failed'").await,
        2,
        "Bram's and Dina's stay"
    );
    assert_eq!(
        audited(&app, "contact_changed").await,
        [(
            Some("beheer@example.org".into()),
            format!(
                "contact {anna} (a.devries@example.net): e-mail, wijk (was anna@example.org); 1 mislukte mails opnieuw verstuurd"
            )
        )]
    );

    app.deliver_pending_mail().await;
    let outbox = app.settings.data_dir.join("outbox");
    let to_anna = std::fs::read_dir(&outbox)
        .expect("the outbox folder")
        .flatten()
        .map(|entry| std::fs::read_to_string(entry.path()).expect("an .eml file"))
        .filter(|eml| eml.contains("Anna de Vries"))
        .collect::<Vec<_>>();
    assert_eq!(to_anna.len(), 2);
    assert!(
        to_anna.iter().all(|eml| eml.contains("a.devries@example.net") && !eml.contains("anna@example.org"))
    );
}

#[tokio::test]
async fn undoing_an_opt_out_needs_a_reason_which_goes_into_the_audit_log() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    opt_out(&app, "cor@example.org").await;
    let cor = id_of(&app, "cor@example.org").await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let path = format!("/beheer/contacten/{cor}/afmelding-intrekken");
    let (_, page) = admin.get(&format!("/beheer/contacten/{cor}")).await;
    assert!(unescape(&page).contains(&format!("action=\"{path}\"")), "the form is there: {page}");

    for reason in ["", " \n\t "] {
        let (status, page) = admin.post(&path, &[("reden", reason)]).await;
        assert_eq!(status, 422, "{page}");
        assert_eq!(
            text_of(&page, "undo-error").as_deref(),
            Some("Geef een reden op: die komt in het logboek.")
        );
    }
    assert_eq!(app.count("SELECT opted_out FROM contacts WHERE email = 'cor@example.org'").await, 1);

    let (status, page) = admin.post(&path, &[("reden", "Belde op 3 december:\nwil weer meedoen")]).await;
    assert_eq!(status, 200, "{page}");
    assert!(text_of(&page, "undo-result").is_some(), "{page}");
    assert_eq!(app.count("SELECT opted_out FROM contacts WHERE email = 'cor@example.org'").await, 0);
    assert_eq!(
        audited(&app, "opt_out_undone").await,
        [(
            Some("beheer@example.org".into()),
            format!("contact {cor} (cor@example.org): Belde op 3 december: wil weer meedoen")
        )]
    );
    let (_, log) = admin.get("/beheer/logboek?wat=opt_out_undone").await;
    assert!(log.contains("Afmelding ingetrokken"), "{log}");

    // Not opted out any more: nothing to undo.
    let (status, page) = admin.post(&path, &[("reden", "nog eens")]).await;
    assert_eq!(status, 422, "{page}");
    assert_eq!(audited(&app, "opt_out_undone").await.len(), 1);

    // Their own link can opt them out again.
    app.open_round("wachttijden", &["poh-ggz"], false).await;
    let invitation: i64 = sqlx::query_scalar("SELECT id FROM invitations WHERE contact_id = $1")
        .bind(cor)
        .fetch_one(&app.pool)
        .await
        .expect("Cor is invited again");
    peil::mail::opt_out(&app.db, peil::rounds::InvitationId(invitation), app.now()).await.expect("opt out");
    assert_eq!(app.count("SELECT opted_out FROM contacts WHERE email = 'cor@example.org'").await, 1);
}

#[tokio::test]
async fn edits_and_undoing_an_opt_out_are_refused_without_the_csrf_token() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    opt_out(&app, "anna@example.org").await;
    let anna = id_of(&app, "anna@example.org").await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    let before = table(&app).await;
    let (status, _) =
        admin.post_without_csrf(&format!("/beheer/contacten/{anna}"), &anna_fields(&[("naam", "X")])).await;
    assert_eq!(status, 403);
    let path = format!("/beheer/contacten/{anna}/afmelding-intrekken");
    let (status, _) = admin.post_without_csrf(&path, &[("reden", "gevraagd")]).await;
    assert_eq!(status, 403);
    assert_eq!(table(&app).await, before);
}

#[tokio::test]
async fn an_unknown_contact_is_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.login_as("beheer@example.org", Role::Admin).await;
    assert_eq!(admin.get("/beheer/contacten/999").await.0, 404);
    assert_eq!(admin.post("/beheer/contacten/999", &anna_fields(&[])).await.0, 404);
    assert_eq!(admin.post("/beheer/contacten/999/afmelding-intrekken", &[("reden", "x")]).await.0, 404);
}

#[tokio::test]
async fn a_werkgroep_member_gets_403_on_every_contacts_page_and_action() {
    let app = TestApp::spawn().await;
    app.import_contacts(CONTACTS).await;
    opt_out(&app, "anna@example.org").await;
    let anna = id_of(&app, "anna@example.org").await;
    let member = app.login_as("lid@example.org", Role::Werkgroep).await;
    let before = table(&app).await;
    for path in [
        "/beheer/contacten".to_string(),
        "/beheer/contacten?zoek=anna".to_string(),
        "/beheer/contacten/importeren".to_string(),
        format!("/beheer/contacten/{anna}"),
    ] {
        assert_eq!(member.get(&path).await.0, 403, "GET {path}");
    }
    let (status, _) =
        upload(&member, Some(member.csrf()), Some(("lijst.csv", CONTACTS.as_bytes())), "").await;
    assert_eq!(status, 403, "the upload");
    for (path, fields) in [
        ("/beheer/contacten/importeren/bevestigen".to_string(), vec![("lijst", "bmFhbQ"), ("naam", "x.csv")]),
        (format!("/beheer/contacten/{anna}"), anna_fields(&[("naam", "Overgenomen")])),
        (format!("/beheer/contacten/{anna}/afmelding-intrekken"), vec![("reden", "waarom niet")]),
    ] {
        assert_eq!(member.post(&path, &fields).await.0, 403, "POST {path}");
    }
    assert_eq!(table(&app).await, before);
    // Not logged in: a page asks for the login, an action is refused.
    let (status, _) = app.get("/beheer/contacten").await;
    assert_eq!(status, 303);
    assert_eq!(app.post(&format!("/beheer/contacten/{anna}"), &anna_fields(&[])).await.0, 403);
}
