//! Choosing again from one's own link (`signup::switch`): the round's sessions a person can
//! still choose, shown under their seats and after a cancellation, each with its buttons, which
//! post to `.../kiezen` (`/antwoord/<handle>/kiezen`, or `/r/<token>/kiezen` as `cancel_by_link`
//! takes it): take a seat or a waiting place, or leave a waiting list for a seat.

use rocket::State;
use rocket::form::FromForm;
use rocket::http::{CookieJar, Status};
use rocket::post;
use serde::Serialize;

use super::super::auth::{AuthError, SameOrigin};
use super::super::body::Fields;
use super::super::link::Caller;
use super::super::respond::{Answer, Visit, from_our_pages, open_link, visit};
use super::super::{App, Error};
use crate::signup::switch::{self, Choice, Chosen, Offer};
use crate::signup::{SeatId, SeatStatus, Session, SessionId, SignupError};

/// A session on offer, as `respond/_signup_choose` shows it.
#[derive(Serialize)]
pub(super) struct OfferView {
    title: String,
    when: String,
    place: String,
    leader: String,
    /// "Nog 3 plaatsen" or "Vol — u komt op de wachtlijst".
    seats: String,
    code: String,
    full: bool,
    /// The waiting places to leave for a seat here.
    switch_from: Vec<SwitchView>,
    join: bool,
    action: String,
}

/// A waiting place to leave for a seat, with its button's text.
#[derive(Serialize)]
struct SwitchView {
    seat: i64,
    label: String,
}

fn offer_view(visit: &Visit, offer: &Offer) -> OfferView {
    let session = &offer.session;
    let left = session.seats_left();
    let seats = match left {
        0 => "Vol — u komt op de wachtlijst".to_string(),
        1 => "Nog 1 plaats".to_string(),
        n => format!("Nog {n} plaatsen"),
    };
    let switch_from = offer
        .switch_from
        .iter()
        .map(|(seat, from)| SwitchView {
            seat: seat.0,
            label: format!("Overstappen van de wachtlijst van {}", from.title),
        })
        .collect();
    OfferView {
        title: session.title.clone(),
        when: session.when(),
        place: session.place.clone(),
        leader: session.leader.clone(),
        seats,
        code: session.code.clone(),
        full: left == 0,
        switch_from,
        join: offer.join,
        action: format!("{}/kiezen", visit.path),
    }
}

/// The sessions this person can choose now.
pub(super) async fn offers(app: &App, visit: &Visit) -> Result<Vec<OfferView>, Error> {
    let offers = switch::offers(app.db.read(), visit.round.id, visit.invitation.id, app.now()).await?;
    Ok(offers.iter().map(|o| offer_view(visit, o)).collect())
}

#[derive(FromForm)]
pub(super) struct Chose<'r> {
    bijeenkomst: &'r str,
    van: Option<i64>,
}

#[post("/antwoord/<_>/kiezen", data = "<form>")]
pub(super) async fn choose(
    origin: Result<SameOrigin, AuthError>,
    visit: Result<Visit, Error>,
    form: Fields<Chose<'_>>,
    app: &State<App>,
) -> Answer {
    from_our_pages(origin)?;
    chosen(app, &visit?, &form.0).await
}

/// A choice posted to the mailed address itself, as `cancel_by_link` takes a cancellation.
#[post("/r/<token>/kiezen", data = "<form>")]
pub(super) async fn choose_by_link(
    token: &str,
    origin: Result<SameOrigin, AuthError>,
    cookies: &CookieJar<'_>,
    caller: Caller,
    form: Fields<Chose<'_>>,
    app: &State<App>,
) -> Answer {
    from_our_pages(origin)?;
    let token = open_link(app, token, cookies, &caller).await?;
    chosen(app, &visit(app, &token).await?, &form.0).await
}

async fn chosen(app: &App, visit: &Visit, form: &Chose<'_>) -> Answer {
    // Choosing again is for someone who signed up; the form itself is the way in before that.
    if !visit.invitation.answered {
        return Err(Error::NotFound);
    }
    let choice = Choice { code: form.bijeenkomst, leave: form.van.map(SeatId) };
    let done = switch::choose(&app.db, visit.round.id, visit.invitation.id, &choice, app.now()).await;
    // The titles as they are now, for the message.
    let sessions = crate::signup::sessions::of_round(app.db.read(), visit.round.id).await?;
    let title = |code: &str| {
        sessions
            .iter()
            .find(|s| s.code == code)
            .map_or_else(|| "deze bijeenkomst".to_string(), |s| s.title.clone())
    };
    let (status, message) = match done {
        Ok(chosen) => (Status::Ok, done_message(&sessions, &chosen)),
        Err(SignupError::Full(code)) => (
            Status::Conflict,
            format!(
                "Net voor u is de laatste plaats in {} vergeven. Er is niets veranderd: u staat nog op \
                 de wachtlijst waar u stond. Hieronder ziet u wat er nog kan.",
                title(&code)
            ),
        ),
        Err(SignupError::NotOffered(_)) => (
            Status::UnprocessableEntity,
            "Deze bijeenkomst gaat niet door of bestaat niet meer. Kies een andere.".to_string(),
        ),
        Err(SignupError::ChoiceClosed { deadline }) => (
            Status::Conflict,
            format!(
                "Aanmelden voor {} via deze link kon tot {}. Er is niets veranderd.",
                title(form.bijeenkomst),
                crate::time::dutch(deadline)
            ),
        ),
        Err(SignupError::AlreadyHeld) => {
            (Status::Conflict, format!("U staat al ingeschreven voor {}.", title(form.bijeenkomst)))
        }
        Err(SignupError::NotWaiting) => (
            Status::Conflict,
            "U staat niet meer op die wachtlijst: u heeft daar inmiddels een plaats gekregen, of u \
             bent afgemeld. Er is niets veranderd; hieronder ziet u hoe uw aanmelding ervoor staat."
                .to_string(),
        ),
        Err(SignupError::SeatLimit(1)) => (
            Status::Conflict,
            "U heeft al een plaats in een bijeenkomst van deze ronde. Wilt u liever een andere? Meld u \
             dan eerst af voor de bijeenkomst waarvoor u bent aangemeld."
                .to_string(),
        ),
        Err(SignupError::SeatLimit(n)) => (
            Status::Conflict,
            format!("U heeft al {n} plaatsen; meer kan bij deze aanmelding niet. Er is niets veranderd."),
        ),
        Err(SignupError::UnknownSeat(_)) => return Err(Error::NotFound),
        Err(e) => return Err(e.into()),
    };
    super::status_with(app, visit, status, Some(message)).await
}

fn done_message(sessions: &[Session], chosen: &Chosen) -> String {
    let named = |id: SessionId| sessions.iter().find(|s| s.id == id).map_or("", |s| s.title.as_str());
    let title = named(chosen.taken.session);
    match (chosen.taken.status, chosen.taken.position, chosen.left) {
        (SeatStatus::Confirmed, _, Some(left)) => format!(
            "U bent overgestapt: u bent aangemeld voor {title} en staat niet meer op de wachtlijst van {}. \
             U krijgt van beide een bericht per e-mail.",
            named(left)
        ),
        (SeatStatus::Confirmed, _, None) => {
            format!(
                "U bent aangemeld voor {title}. U krijgt een bevestiging per e-mail, met een agenda-bestand."
            )
        }
        (_, Some(p), _) => format!(
            "U staat op de wachtlijst van {title}, op plaats {p}. U krijgt bericht zodra er een plaats vrijkomt."
        ),
        _ => format!("U staat op de wachtlijst van {title}."),
    }
}
