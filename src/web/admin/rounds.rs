//! `/beheer/rondes`: every round with its figures; opening a survey round by hand, with the
//! people it will reach shown before it opens; and a round's page, where it is extended, closed
//! (after a confirmation), given to contacts who came later, reminded, and where its personal
//! links are shown (audited). Each action calls the function `peil round ...` calls.

mod answers;
mod new;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::super::auth::{Admin, CsrfForm, NoFields};
use super::super::{App, Error};
use super::Confirm;
use crate::audit::{AuditAction, Entry, round_subject};
use crate::rounds::{self, LateInvitation, RoundId, RoundSummary, RoundsError};

pub(super) type Page = Result<(Status, Template), Error>;

pub(super) fn routes() -> Vec<Route> {
    routes![
        list,
        new::new,
        new::preview_or_open,
        round,
        close,
        extend,
        invite,
        remind,
        links,
        answers::answers
    ]
}

/// A round as the list and its page show it.
#[derive(Serialize)]
struct RoundView {
    id: i64,
    form_id: String,
    title: String,
    anonymous: bool,
    audience: String,
    by: String,
    opens: String,
    closes: String,
    state: &'static str,
    open: bool,
    closed: bool,
    invited: i64,
    answered: i64,
    response: String,
    pending: i64,
    failed: i64,
}

impl RoundView {
    fn of(r: &RoundSummary, now: DateTime<Utc>) -> RoundView {
        let by = match (&r.job_id, r.part.as_str()) {
            (Some(job), "") => format!("job {job}"),
            (Some(job), part) => format!("job {job}, wijk {part}"),
            (None, _) => "met de hand".to_owned(),
        };
        let state = r.state(now);
        RoundView {
            id: r.id.0,
            form_id: r.form_id.clone(),
            title: r.title.clone(),
            anonymous: r.anonymous,
            audience: r.audience.clone(),
            by,
            opens: crate::time::dutch(r.opens_at),
            closes: crate::time::dutch(r.closes_at),
            state: state.label(),
            open: state == rounds::RoundState::Open,
            closed: state == rounds::RoundState::Closed,
            invited: r.invited,
            answered: r.answered,
            response: r.response_percent().map_or_else(|| "–".to_owned(), |p| format!("{p}%")),
            pending: r.pending,
            failed: r.failed,
        }
    }
}

/// Rounds per page of the list.
const PER_PAGE: i64 = 50;

#[get("/beheer/rondes?<pagina>")]
async fn list(admin: Admin, pagina: Option<u32>, app: &State<App>) -> Page {
    let now = app.now();
    let page = pagina.unwrap_or(1).max(1);
    let (found, more) = rounds::page(app.db.read(), i64::from(page - 1) * PER_PAGE, PER_PAGE).await?;
    let rounds: Vec<RoundView> = found.iter().map(|r| RoundView::of(r, now)).collect();
    let context = context! {
        rounds,
        page,
        newer: (page > 1).then(|| format!("/beheer/rondes?pagina={}", page - 1)),
        older: more.then(|| format!("/beheer/rondes?pagina={}", page + 1)),
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/rounds/list", context)))
}

/// A closing moment from a date and an optional time (Amsterdam): a date alone is the end of
/// that day, as `peil round open --closes` reads it.
pub(super) fn closes_at(date: &str, time: &str) -> Result<DateTime<Utc>, &'static str> {
    let day = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map_err(|_| "Vul een sluitingsdatum in, bijvoorbeeld 2027-03-31.")?;
    match time.trim() {
        "" => Ok(crate::time::end_of_day(day)),
        time => {
            let time = NaiveTime::parse_from_str(time, "%H:%M")
                .map_err(|_| "Vul de tijd in als uu:mm, bijvoorbeeld 17:00, of laat hem leeg.")?;
            Ok(crate::time::from_amsterdam(day.and_time(time)))
        }
    }
}

/// A domain refusal in the coordinator's words.
pub(super) fn dutch(e: &RoundsError) -> String {
    match e {
        RoundsError::UnknownForm(id) => format!("Er is geen vragenlijst \"{id}\". Kies er een uit de lijst."),
        RoundsError::NobodyToInvite(_) => "Niemand past bij deze keuze; er is niets geopend.".to_owned(),
        RoundsError::ClosesInThePast => "De sluitingsdatum ligt in het verleden. Kies een moment na nu.".to_owned(),
        RoundsError::Closed(_) => "Deze ronde is al gesloten; er is niets gewijzigd.".to_owned(),
        RoundsError::NotYetOpen(_) => "Deze ronde is nog niet open; er is niets verstuurd.".to_owned(),
        RoundsError::NotLater(now) => format!(
            "De nieuwe sluitingsdatum moet later zijn dan de huidige ({now}). Wilt u eerder sluiten, gebruik dan \"Nu sluiten\"."
        ),
        RoundsError::NoStoredAudience(_) => {
            "Van deze ronde is de doelgroep niet bewaard (geopend vóór deze versie van peil). Nodig contacten uit met peil round invite --email."
                .to_owned()
        }
        RoundsError::NotAContact(email) => format!("{email} is geen contact dat uitgenodigd kan worden."),
        other => other.to_string(),
    }
}

/// What the round's page says above its forms after an action.
#[derive(Default, Serialize)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
}

#[get("/beheer/rondes/<id>")]
async fn round(admin: Admin, id: i64, app: &State<App>) -> Page {
    round_page(&admin, app, RoundId(id), Status::Ok, Outcome::default()).await
}

async fn round_page(admin: &Admin, app: &App, id: RoundId, status: Status, outcome: Outcome) -> Page {
    let now = app.now();
    let summary = match rounds::summary(app.db.read(), id).await {
        Ok(summary) => summary,
        Err(RoundsError::UnknownRound(_)) => return Ok(missing(admin, id)),
        Err(e) => return Err(e.into()),
    };
    let view = RoundView::of(&summary, now);
    let late = match rounds::late_contacts(app.db.read(), id, LateInvitation::Audience).await {
        Ok(late) => Some(late.len()),
        Err(RoundsError::NoStoredAudience(_)) => None,
        Err(e) => return Err(e.into()),
    };
    let to_remind = rounds::to_remind(app.db.read(), id).await?;
    // A sign-up round has sessions; its page links to them.
    let signup = !crate::signup::sessions::of_round(app.db.read(), id).await?.is_empty();
    let extend_date = crate::time::amsterdam_date(summary.closes_at + chrono::Duration::days(7));
    let open_link = answers::open_link(app, id).await?;
    let context = context! {
        round: view,
        open_link,
        late,
        to_remind,
        signup,
        extend_date: extend_date.format("%Y-%m-%d").to_string(),
        outcome,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((status, Template::render("admin/rounds/round", context)))
}

/// The Dutch 404 page for a round that does not exist.
fn missing(admin: &Admin, id: RoundId) -> (Status, Template) {
    let context = context! { id: id.0, account_email: &admin.email, csrf: admin.csrf() };
    (Status::NotFound, Template::render("admin/rounds/missing", context))
}

/// The result of an action on a round: its page with what was done, or why not.
async fn after(admin: &Admin, app: &App, id: RoundId, done: Result<String, RoundsError>) -> Page {
    match done {
        Ok(notice) => {
            round_page(admin, app, id, Status::Ok, Outcome { notice: Some(notice), error: None }).await
        }
        Err(RoundsError::UnknownRound(_)) => Ok(missing(admin, id)),
        Err(RoundsError::Db(e)) => Err(e.into()),
        Err(e) => {
            let outcome = Outcome { notice: None, error: Some(dutch(&e)) };
            round_page(admin, app, id, Status::UnprocessableEntity, outcome).await
        }
    }
}

#[post("/beheer/rondes/<id>/sluiten", data = "<form>")]
async fn close(admin: Admin, id: i64, form: CsrfForm<Confirm<'_>>, app: &State<App>) -> Page {
    let id = RoundId(id);
    if !form.fields.given() {
        let summary = match rounds::summary(app.db.read(), id).await {
            Ok(summary) => summary,
            Err(RoundsError::UnknownRound(_)) => return Ok(missing(&admin, id)),
            Err(e) => return Err(e.into()),
        };
        let context = context! {
            round: RoundView::of(&summary, app.now()),
            waiting: rounds::waiting_mail(app.db.read(), id).await?,
            account_email: &admin.email,
            csrf: admin.csrf(),
        };
        return Ok((Status::Ok, Template::render("admin/rounds/close", context)));
    }
    let done = rounds::close(&app.db, id, app.now(), Some(&admin.email)).await.map(|closed| {
        format!(
            "De ronde is gesloten. De persoonlijke links nemen geen antwoorden meer aan; {} wachtende uitnodigingen en herinneringen worden niet meer verstuurd.",
            closed.cancelled_mails
        )
    });
    after(&admin, app, id, done).await
}

#[derive(rocket::FromForm)]
#[field(default = "")]
struct NewClose<'r> {
    datum: &'r str,
    tijd: &'r str,
}

#[post("/beheer/rondes/<id>/verlengen", data = "<form>")]
async fn extend(admin: Admin, id: i64, form: CsrfForm<NewClose<'_>>, app: &State<App>) -> Page {
    let id = RoundId(id);
    let closes = match closes_at(form.fields.datum, form.fields.tijd) {
        Ok(closes) => closes,
        Err(message) => {
            let outcome = Outcome { notice: None, error: Some(message.to_owned()) };
            return round_page(&admin, app, id, Status::UnprocessableEntity, outcome).await;
        }
    };
    let done = rounds::extend(&app.db, id, closes, app.now(), Some(&admin.email))
        .await
        .map(|()| format!("De ronde is verlengd tot {}.", crate::time::dutch(closes)));
    after(&admin, app, id, done).await
}

#[post("/beheer/rondes/<id>/uitnodigen", data = "<_form>")]
async fn invite(admin: Admin, id: i64, _form: CsrfForm<NoFields>, app: &State<App>) -> Page {
    let id = RoundId(id);
    let done = rounds::invite_late(
        &app.db,
        &app.secret,
        id,
        LateInvitation::Audience,
        app.now(),
        Some(&admin.email),
    )
    .await
    .map(|n| match n {
        0 => "Er waren geen nieuwe contacten om uit te nodigen.".to_owned(),
        n => format!(
            "{n} nagekomen contacten zijn uitgenodigd; hun uitnodigingen staan klaar om te versturen."
        ),
    });
    after(&admin, app, id, done).await
}

#[post("/beheer/rondes/<id>/herinneren", data = "<_form>")]
async fn remind(admin: Admin, id: i64, _form: CsrfForm<NoFields>, app: &State<App>) -> Page {
    let id = RoundId(id);
    let done = rounds::remind_now(&app.db, id, app.now(), Some(&admin.email)).await.map(|n| match n {
        0 => "Er is geen herinnering verstuurd: iedereen heeft geantwoord, of kreeg het afgelopen uur al een herinnering.".to_owned(),
        n => format!("{n} herinneringen staan klaar om te versturen."),
    });
    after(&admin, app, id, done).await
}

/// One person's link on the links page. Whether they answered is not shown: in an anonymous
/// round that would tie people to the count of answers.
#[derive(Serialize)]
struct LinkView {
    name: String,
    email: String,
    url: String,
}

/// The personal links, for handing over by hand. Every showing is written to the audit log (the
/// links are keys); `Cache-Control: no-store` is set on every page by `headers`.
#[get("/beheer/rondes/<id>/links")]
async fn links(admin: Admin, id: i64, app: &State<App>) -> Page {
    let id = RoundId(id);
    let summary = match rounds::summary(app.db.read(), id).await {
        Ok(summary) => summary,
        Err(RoundsError::UnknownRound(_)) => return Ok(missing(&admin, id)),
        Err(e) => return Err(e.into()),
    };
    let links = rounds::links(app.db.read(), &app.secret, &app.settings.base_url, id).await?;
    let detail = format!("ronde {id}: {} persoonlijke links", links.len());
    let actor = admin.actor();
    let entry = Entry::new(AuditAction::LinksViewed, &actor, app.now()).about(round_subject(id, links.len()));
    entry.detail(detail).log(&app.db).await?;
    let links: Vec<LinkView> =
        links.into_iter().map(|l| LinkView { name: l.name, email: l.email, url: l.url }).collect();
    let context = context! {
        round: RoundView::of(&summary, app.now()),
        links,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/rounds/links", context)))
}
