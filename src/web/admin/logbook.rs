//! `/beheer/logboek`: the whole audit log for administrators, newest first, a page at a time,
//! filtered by what happened, by who and by whose data (a contact id, as a person's page links
//! here); in Dutch, with the stored codes kept for `peil audit`.

use rocket::http::Status;
use rocket::{State, get};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::super::auth::Admin;
use super::super::results_view::encode;
use super::super::{App, Error};
use super::AuditRow;
use crate::audit::{self, AuditAction, AuditFilter};
use crate::contacts::ContactId;

/// Rows per page.
const ROWS: i64 = 50;

#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[get("/beheer/logboek?<wat>&<wie>&<contact>&<pagina>")]
pub(super) async fn logbook(
    admin: Admin,
    wat: Option<&str>,
    wie: Option<&str>,
    contact: Option<&str>,
    pagina: Option<u32>,
    app: &State<App>,
) -> Result<(Status, Template), Error> {
    let filter = AuditFilter {
        action: wat.and_then(AuditAction::parse),
        actor: wie.map(str::trim).filter(|w| !w.is_empty()).map(str::to_owned),
        // A blank or mistyped number is no filter, as a blank "wie" is none.
        contact: contact.and_then(|c| c.trim().parse().ok()).map(ContactId),
    };
    let page = pagina.unwrap_or(1).max(1);
    let offset = i64::from(page - 1) * ROWS;
    let (entries, more) = audit::page(app.db.read(), &filter, offset, ROWS).await?;
    let rows: Vec<AuditRow> = entries.into_iter().map(AuditRow::from).collect();
    let choices: Vec<Choice> = AuditAction::ALL
        .into_iter()
        .map(|a| Choice { value: a.as_str(), label: a.label(), selected: filter.action == Some(a) })
        .collect();
    let query = |page: u32| {
        let mut pairs = Vec::new();
        if let Some(action) = filter.action {
            pairs.push(format!("wat={}", action.as_str()));
        }
        if let Some(actor) = &filter.actor {
            pairs.push(format!("wie={}", encode(actor)));
        }
        if let Some(contact) = filter.contact {
            pairs.push(format!("contact={contact}"));
        }
        pairs.push(format!("pagina={page}"));
        format!("/beheer/logboek?{}", pairs.join("&"))
    };
    let context = context! {
        rows,
        choices,
        actor: filter.actor.clone().unwrap_or_default(),
        contact: filter.contact.map(|c| c.0),
        filtered: filter != AuditFilter::default(),
        page,
        newer: (page > 1).then(|| query(page - 1)),
        older: more.then(|| query(page + 1)),
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/logbook", context)))
}
