//! A person's own sign-up: their link's page, once they signed up, shows their seats and places
//! on a waiting list; `.../plaats/<seat>` (`/r/<token>/plaats/<seat>` in every seat mail, then
//! `/antwoord/<handle>/plaats/<seat>`) shows one seat with a button to cancel it, which posts to
//! `.../afzeggen`. Below the seats, and after a cancellation, `choose` offers the round's sessions
//! again.

mod choose;

use chrono::{DateTime, Utc};
use rocket::http::{CookieJar, Status};
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::auth::{AuthError, SameOrigin};
use super::link::Caller;
use super::respond::{Answer, Reply, Visit, from_our_pages, open_link, visit};
use super::{App, Error};
use crate::signup::seats::{self, By, MySeat};
use crate::signup::{SeatId, SeatStatus, SignupError};

pub fn routes() -> Vec<Route> {
    routes![seat, cancel, cancel_by_link, choose::choose, choose::choose_by_link]
}

#[derive(Serialize)]
struct SeatView {
    title: String,
    when: String,
    place: String,
    online_url: String,
    leader: String,
    status: SeatStatus,
    status_text: String,
    can_cancel: bool,
    cancel_until: String,
    url: String,
}

fn seat_view(visit: &Visit, seat: &MySeat, now: DateTime<Utc>) -> SeatView {
    let session = &seat.session;
    let status_text = match (seat.status, seat.position) {
        (SeatStatus::Confirmed, _) => "U bent aangemeld.".to_string(),
        (SeatStatus::Waiting, Some(p)) => format!("U staat op de wachtlijst, op plaats {p}."),
        (SeatStatus::Waiting, None) => "U staat op de wachtlijst.".to_string(),
        (SeatStatus::Cancelled, _) if session.cancelled => "Deze bijeenkomst gaat niet door.".to_string(),
        (SeatStatus::Cancelled, _) => "U bent afgemeld.".to_string(),
    };
    SeatView {
        title: session.title.clone(),
        when: session.when(),
        place: session.place.clone(),
        online_url: session.online_url.clone(),
        leader: session.leader.clone(),
        status: seat.status,
        status_text,
        can_cancel: seat.status != SeatStatus::Cancelled && now < seat.cancel_until,
        cancel_until: crate::time::dutch(seat.cancel_until),
        url: format!("{}/plaats/{}", visit.path, seat.seat.0),
    }
}

/// The seats of a person who signed up.
pub(in crate::web) async fn status(app: &App, visit: &Visit) -> Answer {
    status_with(app, visit, Status::Ok, None).await
}

/// The status page with a message at the top: what a choice did, or why it did nothing (the
/// page's `status` is then a 4xx).
async fn status_with(app: &App, visit: &Visit, status: Status, message: Option<String>) -> Answer {
    let seats = seats::of_invitation(app.db.read(), visit.invitation.id).await?;
    let now = app.now();
    let views: Vec<SeatView> = seats.iter().map(|s| seat_view(visit, s, now)).collect();
    let active = seats.iter().any(|s| s.status != SeatStatus::Cancelled);
    let offers = choose::offers(app, visit).await?;
    let failed = status != Status::Ok;
    let proofs = super::certificates::own_links(app, visit).await?;
    let accreditation = super::accreditation::block(app, visit).await?;
    let privacy = crate::privacy::round_link(&visit.round);
    let context = context! {
        form_title: &visit.round.title, seats: views, message, failed, offers, active, proofs, accreditation,
        privacy
    };
    Ok(Reply::Page((status, Template::render("respond/signup_status", context))))
}

async fn my_seat(app: &App, visit: &Visit, seat: i64) -> Result<MySeat, Error> {
    let seats = seats::of_invitation(app.db.read(), visit.invitation.id).await?;
    seats.into_iter().find(|s| s.seat == SeatId(seat)).ok_or(Error::NotFound)
}

#[get("/antwoord/<_>/plaats/<seat>")]
async fn seat(seat: i64, visit: Result<Visit, Error>, app: &State<App>) -> Answer {
    let visit = visit?;
    let seat = my_seat(app, &visit, seat).await?;
    let view = seat_view(&visit, &seat, app.now());
    let privacy = crate::privacy::round_link(&visit.round);
    let context = context! { form_title: &visit.round.title, seat: view, back: &visit.path, privacy };
    Ok(Reply::Page((Status::Ok, Template::render("respond/seat", context))))
}

#[post("/antwoord/<_>/plaats/<seat>/afzeggen")]
async fn cancel(
    seat: i64,
    origin: Result<SameOrigin, AuthError>,
    visit: Result<Visit, Error>,
    app: &State<App>,
) -> Answer {
    from_our_pages(origin)?;
    cancel_seat(app, &visit?, seat).await
}

/// A cancellation posted to the mailed address itself, as `respond::answer_by_link` takes pages.
#[post("/r/<token>/plaats/<seat>/afzeggen")]
async fn cancel_by_link(
    token: &str,
    seat: i64,
    origin: Result<SameOrigin, AuthError>,
    cookies: &CookieJar<'_>,
    caller: Caller,
    app: &State<App>,
) -> Answer {
    from_our_pages(origin)?;
    let token = open_link(app, token, cookies, &caller).await?;
    cancel_seat(app, &visit(app, &token).await?, seat).await
}

async fn cancel_seat(app: &App, visit: &Visit, seat: i64) -> Answer {
    let cancelled = seats::cancel(&app.db, SeatId(seat), By::Person(visit.invitation.id), app.now()).await;
    let (status, message) = match cancelled {
        Ok(_) => (Status::Ok, "U bent afgemeld. U krijgt een bevestiging per e-mail.".to_string()),
        Err(SignupError::AlreadyCancelled) => (Status::Ok, "U was al afgemeld.".to_string()),
        Err(SignupError::TooLate { deadline }) => (
            Status::Conflict,
            format!(
                "Afmelden via deze link kon tot {}. Kunt u toch niet komen? Laat het {} \
                 of de gespreksleider zo snel mogelijk weten, dan kan een ander uw plaats nog krijgen.",
                crate::time::dutch(deadline),
                app.settings.organisation.contact().called
            ),
        ),
        Err(SignupError::UnknownSeat(_)) => return Err(Error::NotFound),
        Err(e) => return Err(e.into()),
    };
    let seat = my_seat(app, visit, seat).await?;
    let view = seat_view(visit, &seat, app.now());
    // After a cancellation the link offers the round's sessions again.
    let (offers, active) = match status {
        Status::Ok => {
            let held = seats::of_invitation(app.db.read(), visit.invitation.id).await?;
            (choose::offers(app, visit).await?, held.iter().any(|s| s.status != SeatStatus::Cancelled))
        }
        _ => (Vec::new(), true),
    };
    let privacy = crate::privacy::round_link(&visit.round);
    let context = context! {
        form_title: &visit.round.title, seat: view, back: &visit.path, message, offers, active, privacy
    };
    Ok(Reply::Page((status, Template::render("respond/seat", context))))
}
