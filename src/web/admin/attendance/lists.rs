//! The presentielijst of a session: a printable A4 page (landscape, the header repeated on
//! every printed page), the same as PDF, and as XLSX with the BIG number as text. Only the
//! confirmed people are on it. Each showing and each download is written to the audit log, with
//! how many people are on it: it holds personal data.

use rocket::http::{ContentType, Status};
use rocket::{State, get};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::super::super::auth::Admin;
use super::super::super::results::{File, attachment};
use super::super::super::{App, Error};
use super::{Page, load};
use crate::audit::{AuditAction, Entry, session_subject};
use crate::signup::attendance::{self, Attendee, PresenceHeader};
use crate::signup::{SeatStatus, SessionId};

/// A person's line on the page, as on paper.
#[derive(Serialize)]
struct Line {
    number: usize,
    initials: String,
    surname: String,
    role: String,
    big_number: String,
    registers: String,
}

#[get("/beheer/bijeenkomsten/<id>/presentielijst")]
pub(super) async fn page(admin: Admin, id: i64, app: &State<App>) -> Page {
    let id = SessionId(id);
    let (session, registers, people) = match load(app, &admin, id).await? {
        Ok(found) => found,
        Err(page) => return Ok(page),
    };
    let roles = app.catalog.forms().list_pairs("rollen");
    let lines: Vec<Line> = confirmed(&people)
        .into_iter()
        .enumerate()
        .map(|(i, p)| Line {
            number: i + 1,
            initials: p.initials.clone(),
            surname: p.surname.clone(),
            role: attendance::role_name(&roles, &p.role).to_owned(),
            big_number: p.big_number.clone(),
            registers: p.registers_text(&registers),
        })
        .collect();
    let actor = admin.actor();
    let entry = Entry::new(AuditAction::PresenceListViewed, &actor, app.now());
    let entry =
        entry.about(session_subject(id, lines.len())).detail(format!("presentielijst van bijeenkomst {id}"));
    entry.log(&app.db).await?;
    let context = context! {
        session: &session,
        header: PresenceHeader::of(&session, app.settings.organisation.name()),
        lines,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/attendance/presence", context)))
}

fn confirmed(people: &[Attendee]) -> Vec<&Attendee> {
    people.iter().filter(|p| p.status == SeatStatus::Confirmed).collect()
}

/// A download, or the Dutch 404 page for a session that is not there.
type Download = Result<Result<File, (Status, Template)>, Error>;

#[get("/beheer/bijeenkomsten/<id>/presentielijst.pdf")]
pub(super) async fn pdf(admin: Admin, id: i64, app: &State<App>) -> Download {
    let id = SessionId(id);
    let (session, registers, people) = match load(app, &admin, id).await? {
        Ok(found) => found,
        Err(page) => return Ok(Err(page)),
    };
    let roles = app.catalog.forms().list_pairs("rollen");
    let header = PresenceHeader::of(&session, app.settings.organisation.name());
    let people: Vec<Attendee> = confirmed(&people).into_iter().cloned().collect();
    let count = people.len();
    // Drawing and embedding the font is CPU work: off the request threads.
    let bytes = tokio::task::spawn_blocking(move || {
        let people: Vec<&Attendee> = people.iter().collect();
        attendance::presence_pdf(&header, &registers, &people, &roles)
    })
    .await??;
    exported(app, &admin, (id, count), "PDF").await?;
    Ok(Ok(File(bytes, ContentType::PDF, attachment(&format!("presentielijst-{id}"), "pdf"))))
}

#[get("/beheer/bijeenkomsten/<id>/presentielijst.xlsx")]
pub(super) async fn xlsx(admin: Admin, id: i64, app: &State<App>) -> Download {
    let id = SessionId(id);
    let (session, registers, people) = match load(app, &admin, id).await? {
        Ok(found) => found,
        Err(page) => return Ok(Err(page)),
    };
    let roles = app.catalog.forms().list_pairs("rollen");
    let people: Vec<Attendee> = confirmed(&people).into_iter().cloned().collect();
    let bytes = crate::spreadsheet::xlsx(&attendance::sheet(&session, &registers, &people, &roles))?;
    exported(app, &admin, (id, people.len()), "XLSX").await?;
    let kind = ContentType::new("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    Ok(Ok(File(bytes, kind, attachment(&format!("presentielijst-{id}"), "xlsx"))))
}

/// The export's entry: session `id` with its `people` confirmed people.
async fn exported(
    app: &App,
    admin: &Admin,
    (id, people): (SessionId, usize),
    format: &str,
) -> Result<(), Error> {
    let detail = format!("presentielijst van bijeenkomst {id} ({format})");
    let actor = admin.actor();
    let entry = Entry::new(AuditAction::Exported, &actor, app.now()).about(session_subject(id, people));
    entry.detail(detail).log(&app.db).await?;
    Ok(())
}
