//! The contact's register details on their page: shown, and changed by a coordinator with the
//! checks of the person's own form (`accreditation::edit`), audited.

use rocket::http::Status;
use rocket::{State, post};

use super::{Notice, Page, page};
use crate::accreditation::edit::{self, ChangeError};
use crate::accreditation::{PersonDetails, Register, person};
use crate::contacts::ContactId;
use crate::web::accreditation::DetailsView;
use crate::web::auth::{Admin, CsrfBody};
use crate::web::{App, Error};

/// The registers every job declares, once each: the numbers a coordinator may fill in.
fn declared(app: &App) -> Vec<Register> {
    let jobs = app.catalog.jobs();
    jobs.jobs.iter().filter_map(|j| j.signup.as_ref()).flat_map(|s| s.registers.iter().cloned()).collect()
}

fn url(id: ContactId) -> String {
    format!("/beheer/contacten/{id}/accreditatie")
}

/// The block of the contact's page, as stored.
pub(super) async fn view(app: &App, id: ContactId) -> Result<DetailsView, Error> {
    let details: PersonDetails = person::of_contact(app.db.read(), id).await?;
    Ok(DetailsView::new(url(id), &edit::fields(&declared(app), &details), &details))
}

#[post("/beheer/contacten/<id>/accreditatie", data = "<body>")]
pub(super) async fn change(admin: Admin, id: i64, body: CsrfBody, app: &State<App>) -> Page {
    let id = ContactId(id);
    let typed = crate::web::accreditation::typed(&body.posted);
    let declared = declared(app);
    match edit::change(&app.db, id, &typed, &declared, Some(&admin.email), app.now()).await {
        Ok(changed) => {
            let notice = Notice { accreditation_changed: Some(changed.join(", ")), ..Notice::default() };
            page(&admin, app, id, Status::Ok, None, notice).await
        }
        Err(ChangeError::NotFound) => Err(Error::NotFound),
        Err(ChangeError::Invalid(errors)) => {
            let before = person::of_contact(app.db.read(), id).await?;
            let view =
                DetailsView::new(url(id), &edit::fields(&declared, &before), &before).refused(&typed, errors);
            let notice = Notice { accreditation: Some(view), ..Notice::default() };
            page(&admin, app, id, Status::UnprocessableEntity, None, notice).await
        }
        Err(ChangeError::Db(e)) => Err(e.into()),
    }
}
