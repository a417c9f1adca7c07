//! The people of a session, as the coordinator changes them: moving one to another session,
//! enrolling a contact by hand, and a message to everyone on the session. Each calls the
//! function `peil session move|enrol|mail` calls.

use rocket::http::Status;
use rocket::{State, post};

use super::super::super::App;
use super::super::super::auth::{Admin, CsrfForm};
use super::{Outcome, Page, refused, session_page};
use crate::signup::notices::{self, Notice};
use crate::signup::{SeatId, SeatStatus, SessionId, SignupError, moving, roster};

#[derive(rocket::FromForm)]
pub(super) struct Move {
    plaats: i64,
    naar: i64,
}

#[post("/beheer/bijeenkomsten/<id>/verplaatsen", data = "<form>")]
pub(super) async fn move_seat(admin: Admin, id: i64, form: CsrfForm<Move>, app: &State<App>) -> Page {
    let id = SessionId(id);
    let seat = SeatId(form.fields.plaats);
    // Only a person listed on this page can be moved from it.
    let roster = match roster::of_session(app.db.read(), id).await {
        Ok(roster) => roster,
        Err(e) => return refused(&admin, app, id, e).await,
    };
    let person = roster.confirmed.iter().chain(&roster.waiting).find(|p| p.seat == seat);
    let Some(person) = person else {
        return refused(&admin, app, id, SignupError::UnknownSeat(seat)).await;
    };
    let name = person.name.clone();
    match moving::move_to(&app.db, seat, SessionId(form.fields.naar), app.now(), Some(&admin.email)).await {
        Ok(moved) => {
            let place = match moved.taken.status {
                SeatStatus::Waiting => {
                    format!("staat daar op de wachtlijst (plaats {})", moved.taken.position.unwrap_or(1))
                }
                _ => "heeft daar een plaats".to_owned(),
            };
            let up = if moved.promoted.is_some() {
                " De eerste op de wachtlijst krijgt de vrije plaats."
            } else {
                ""
            };
            let notice =
                format!("{name} is verplaatst en {place}; de mails staan klaar om te versturen.{up}");
            session_page(&admin, app, id, Status::Ok, Outcome::done(notice), None).await
        }
        Err(SignupError::UnknownSession(other)) if other != id => {
            refused(&admin, app, id, SignupError::OtherRound(other)).await
        }
        Err(e) => refused(&admin, app, id, e).await,
    }
}

#[derive(rocket::FromForm)]
#[field(default = "")]
pub(super) struct Enrol<'r> {
    email: &'r str,
}

#[post("/beheer/bijeenkomsten/<id>/inschrijven", data = "<form>")]
pub(super) async fn enrol(admin: Admin, id: i64, form: CsrfForm<Enrol<'_>>, app: &State<App>) -> Page {
    let id = SessionId(id);
    let contact = match moving::contact_by_email(app.db.read(), form.fields.email).await {
        Ok(contact) => contact,
        Err(e) => return refused(&admin, app, id, e).await,
    };
    match moving::enrol(&app.db, &app.secret, id, &contact, app.now(), Some(&admin.email)).await {
        Ok(taken) => {
            let place = match taken.status {
                SeatStatus::Waiting => {
                    format!("staat op de wachtlijst (plaats {})", taken.position.unwrap_or(1))
                }
                _ => "heeft een plaats".to_owned(),
            };
            let notice = format!("{} {place}; de mail staat klaar om te versturen.", contact.name);
            session_page(&admin, app, id, Status::Ok, Outcome::done(notice), None).await
        }
        Err(e) => refused(&admin, app, id, e).await,
    }
}

#[derive(rocket::FromForm)]
#[field(default = "")]
pub(super) struct Mail<'r> {
    onderwerp: &'r str,
    tekst: &'r str,
    wachtlijst: &'r str,
    sleutel: &'r str,
}

#[post("/beheer/bijeenkomsten/<id>/bericht", data = "<form>")]
pub(super) async fn mail(admin: Admin, id: i64, form: CsrfForm<Mail<'_>>, app: &State<App>) -> Page {
    let id = SessionId(id);
    let fields = &form.fields;
    // A form without its key comes from no page of peil's; a fresh one keeps it a single message.
    let key = if fields.sleutel.trim().is_empty() {
        crate::crypto::random_b64(18)
    } else {
        fields.sleutel.to_owned()
    };
    let notice = Notice {
        subject: fields.onderwerp,
        body: fields.tekst,
        with_waiting: fields.wachtlijst == "ja",
        form_key: &key,
    };
    match notices::send(&app.db, id, &notice, app.now(), Some(&admin.email)).await {
        Ok(0) => {
            let text =
                "Dit bericht was al verstuurd (het formulier is nog eens verzonden); er gaat niets dubbel.";
            session_page(&admin, app, id, Status::Ok, Outcome::done(text.to_owned()), None).await
        }
        Ok(n) => {
            let text = format!("Het bericht staat klaar om te versturen aan {n} mensen.");
            session_page(&admin, app, id, Status::Ok, Outcome::done(text), None).await
        }
        Err(e) => refused(&admin, app, id, e).await,
    }
}
