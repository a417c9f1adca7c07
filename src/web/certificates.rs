//! Certificates of attendance on the web: the person downloads their own from their link
//! (`/antwoord/<handle>/bewijs/<seat>.pdf`, reached from a mail as `/r/<token>/bewijs/<seat>.pdf`)
//! with their year overview (`.../jaaroverzicht/<year>.pdf`); anyone with a code checks it at
//! `/bewijs/<code>`; the organiser downloads a contact's year overview from `/beheer`.

use rocket::http::{ContentType, Status};
use rocket::{Route, State, get, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::auth::Admin;
use super::link::Admitted;
use super::respond::Visit;
use super::results::{Download, File, attachment};
use super::{App, Error};
use crate::audit::{AuditAction, Entry};
use crate::certificates::{self, Certificate, Code, Issuer, overview};
use crate::contacts::ContactId;
use crate::signup::SeatId;

pub fn routes() -> Vec<Route> {
    routes![own, own_overview, check, contact_overview]
}

/// `12.pdf` → 12.
fn pdf_name(file: &str) -> Option<i64> {
    file.strip_suffix(".pdf")?.parse().ok()
}

fn pdf(bytes: Vec<u8>, name: &str) -> File {
    File(bytes, ContentType::PDF, attachment(name, "pdf"))
}

#[get("/antwoord/<_>/bewijs/<file>")]
async fn own(file: &str, visit: Result<Visit, Error>, app: &State<App>) -> Download {
    let visit = visit?;
    let seat = SeatId(pdf_name(file).ok_or(Error::NotFound)?);
    // Only the link's own seats, and only with a valid certificate: anything else is not there.
    let mine = certificates::of_invitation(app.db.read(), visit.invitation.id).await?;
    let certificate = mine.into_iter().find(|c| c.seat == seat).ok_or(Error::NotFound)?;
    Ok(pdf(certificates::pdf(&certificate, &Issuer::of(&app.settings))?, "bewijs-van-deelname"))
}

#[get("/antwoord/<_>/jaaroverzicht/<file>")]
async fn own_overview(file: &str, visit: Result<Visit, Error>, app: &State<App>) -> Download {
    let visit = visit?;
    let contact = overview::contact_of(app.db.read(), visit.invitation.id).await?.ok_or(Error::NotFound)?;
    year_pdf(app, contact, file).await
}

#[get("/beheer/contacten/<id>/jaaroverzicht/<file>")]
async fn contact_overview(admin: Admin, id: i64, file: &str, app: &State<App>) -> Download {
    let download = year_pdf(app, ContactId(id), file).await?;
    // Staff taking a person's attendance away: an export about that one person.
    let actor = admin.actor();
    let entry = Entry::new(AuditAction::Exported, &actor, app.now()).contact(ContactId(id));
    entry.detail(format!("jaaroverzicht {file}")).log(&app.db).await?;
    Ok(download)
}

/// The year overview named `<year>.pdf` of `contact`.
async fn year_pdf(app: &App, contact: ContactId, file: &str) -> Download {
    let year = pdf_name(file).and_then(|y| i32::try_from(y).ok()).filter(|y| (2000..=9999).contains(y));
    let year = year.ok_or(Error::NotFound)?;
    let found = certificates::year(app.db.read(), contact, year).await?.ok_or(Error::NotFound)?;
    let bytes = certificates::pdf::overview(&found, &Issuer::of(&app.settings))?;
    Ok(pdf(bytes, &format!("jaaroverzicht-{year}")))
}

/// A download on the person's own page.
#[derive(Serialize)]
struct Link {
    text: String,
    url: String,
}

/// The certificates and year overviews a person's status page offers.
#[derive(Serialize)]
pub(super) struct OwnLinks {
    certificates: Vec<Link>,
    overviews: Vec<Link>,
}

pub(super) async fn own_links(app: &App, visit: &Visit) -> Result<OwnLinks, Error> {
    let mine = certificates::of_invitation(app.db.read(), visit.invitation.id).await?;
    let certificates = mine
        .iter()
        .map(|c| Link {
            text: format!("{}, {}", c.content.session, c.content.date()),
            url: format!("{}/bewijs/{}.pdf", visit.path, c.seat),
        })
        .collect();
    let years = match overview::contact_of(app.db.read(), visit.invitation.id).await? {
        Some(contact) => overview::years(app.db.read(), contact).await?,
        None => Vec::new(),
    };
    let overviews = years
        .into_iter()
        .map(|year| Link { text: year.to_string(), url: format!("{}/jaaroverzicht/{year}.pdf", visit.path) })
        .collect();
    Ok(OwnLinks { certificates, overviews })
}

/// What the verification page shows: what the certificate shows, nothing more.
#[derive(Serialize)]
struct CheckView {
    code: String,
    name: String,
    session: String,
    round: String,
    date: String,
    times: String,
    hours: String,
    leader: String,
    organisation: String,
    activity_id: String,
    points: Option<String>,
    withdrawn: Option<String>,
}

fn check_view(certificate: &Certificate, issuer: &Issuer) -> CheckView {
    let content = &certificate.content;
    CheckView {
        code: certificate.code.to_string(),
        name: content.name.clone(),
        session: content.session.clone(),
        round: content.round.clone(),
        date: content.date(),
        times: content.times(),
        hours: content.hours(),
        leader: content.leader.clone(),
        organisation: issuer.organisation.clone(),
        activity_id: content.activity_id.clone(),
        points: content.points_text(),
        withdrawn: certificate.withdrawn_at.map(crate::time::dutch),
    }
}

/// A code checked. Unknown codes count against the caller as wrong links do, but it is the
/// code's 60 random bits (see `certificates::Code`) that make guessing hopeless.
#[get("/bewijs/<code>")]
async fn check(
    code: &str,
    caller: Result<Admitted, Error>,
    app: &State<App>,
) -> Result<(Status, Template), Error> {
    let Admitted(caller) = caller?;
    let found = match Code::parse(code) {
        Some(code) => certificates::by_code(app.db.read(), &code).await?,
        None => None,
    };
    let Some(certificate) = found else {
        crate::rounds::guesses::missed(&app.db, &caller.client, app.now()).await?;
        return Ok((Status::NotFound, Template::render("certificates/unknown", context! {})));
    };
    let view = check_view(&certificate, &Issuer::of(&app.settings));
    let status = if view.withdrawn.is_some() { Status::Gone } else { Status::Ok };
    Ok((status, Template::render("certificates/check", context! { c: view })))
}
