//! `/beheer/contacten`: the contact list, searchable and filtered, a page at a time; a contact's
//! page with their invitations, seats and mails; editing a contact and undoing an opt-out. The
//! import of a list, with its preview, is in `import`; what the pages show is shaped in `view`;
//! the contact's register details are changed in `accreditation`. Every showing of the list and
//! of a contact's page is in the access log, with how many people or which contact (by id).

mod accreditation;
mod import;
mod view;

use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};

use self::view::{ContactView, EditForm, HistoryView, ListQuery, Options};
use crate::audit::{AuditAction, Entry};
use crate::contacts::{self, ContactFilter, ContactId, EditError, PAGE_SIZE, RawContact, Vocabulary};
use crate::web::auth::{Admin, CsrfForm};
use crate::web::{App, Error};

type Page = Result<(Status, Template), Error>;

pub(super) fn routes() -> Vec<Route> {
    routes![
        list,
        contact,
        edit,
        undo_opt_out,
        accreditation::change,
        import::form,
        import::preview,
        import::confirm
    ]
}

/// The roles and wijken a contact may have: the forms' lists `rollen` and `wijken`, as for
/// `peil contacts import`.
fn vocabulary(app: &App) -> Vocabulary {
    Vocabulary {
        roles: app.catalog.forms().list_pairs("rollen"),
        wijken: app.catalog.forms().list_pairs("wijken"),
    }
}

#[get("/beheer/contacten?<zoek>&<rol>&<wijk>&<gemeente>&<afgemeld>&<pagina>")]
#[expect(clippy::too_many_arguments, reason = "one argument per query field of the filter form")]
async fn list(
    admin: Admin,
    zoek: Option<&str>,
    rol: Option<&str>,
    wijk: Option<&str>,
    gemeente: Option<&str>,
    afgemeld: Option<&str>,
    pagina: Option<u32>,
    app: &State<App>,
) -> Page {
    let query = ListQuery::from_params(zoek, rol, wijk, gemeente, afgemeld, pagina);
    let filter: ContactFilter = query.filter();
    let offset = i64::from(query.page - 1) * PAGE_SIZE;
    let found = contacts::search(app.db.read(), &filter, offset).await?;
    let vocab = vocabulary(app);
    let gemeenten = contacts::gemeenten(app.db.read()).await?;
    let options = Options::new(&vocab, &gemeenten, &query);
    let rows: Vec<ContactView> = found.contacts.iter().map(|c| ContactView::new(c, &vocab)).collect();
    // Not the search text: it may be a name or an address.
    let (actor, shown) = (admin.actor(), rows.len());
    let entry = Entry::new(AuditAction::ContactsViewed, &actor, app.now());
    let detail = format!(
        "contactenlijst, pagina {}{}",
        query.page,
        if query.is_filtered() { ", gefilterd" } else { "" }
    );
    entry.about(format!("contactenlijst: {shown} personen")).detail(detail).log(&app.db).await?;
    let pages = (found.total.max(0) as u64).div_ceil(PAGE_SIZE as u64).max(1);
    let context = context! {
        rows,
        total: found.total,
        options,
        zoek: &query.text,
        filtered: query.is_filtered(),
        page: query.page,
        pages,
        first: offset + 1,
        last: offset + found.contacts.len() as i64,
        previous: (query.page > 1).then(|| query.link(query.page - 1)),
        next: (u64::from(query.page) < pages).then(|| query.link(query.page + 1)),
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/contacts/list", context)))
}

#[get("/beheer/contacten/<id>")]
async fn contact(admin: Admin, id: i64, app: &State<App>) -> Page {
    let shown = page(&admin, app, ContactId(id), Status::Ok, None, Notice::default()).await?;
    // After the page was found: a contact that is not there was not seen.
    let actor = admin.actor();
    let entry = Entry::new(AuditAction::ContactsViewed, &actor, app.now()).contact(ContactId(id));
    entry.detail("contactpagina").log(&app.db).await?;
    Ok(shown)
}

/// The edit form of a contact's page.
#[derive(rocket::FromForm)]
#[field(default = "")]
pub(super) struct Edit<'r> {
    naam: &'r str,
    email: &'r str,
    rol: &'r str,
    praktijk: &'r str,
    wijk: &'r str,
    gemeente: &'r str,
}

#[post("/beheer/contacten/<id>", data = "<form>")]
async fn edit(admin: Admin, id: i64, form: CsrfForm<Edit<'_>>, app: &State<App>) -> Page {
    let Edit { naam, email, rol, praktijk, wijk, gemeente } = form.fields;
    let typed = RawContact { name: naam, email, role: rol, practice: praktijk, wijk, gemeente };
    let id = ContactId(id);
    let vocab = vocabulary(app);
    match contacts::update(&app.db, id, &typed, &vocab, Some(&admin.email), app.now()).await {
        Ok(edited) => {
            let notice = Notice { edited: Some(view::EditedView::from(&edited)), ..Notice::default() };
            page(&admin, app, id, Status::Ok, None, notice).await
        }
        Err(EditError::NotFound) => Err(Error::NotFound),
        Err(e) => {
            let Some(_) = e.dutch() else { return Err(e.into()) };
            let form = EditForm::refused(&typed, &e);
            page(&admin, app, id, Status::UnprocessableEntity, Some(form), Notice::default()).await
        }
    }
}

/// The undo-opt-out form: the reason is required.
#[derive(rocket::FromForm)]
#[field(default = "")]
pub(super) struct Undo<'r> {
    reden: &'r str,
}

#[post("/beheer/contacten/<id>/afmelding-intrekken", data = "<form>")]
async fn undo_opt_out(admin: Admin, id: i64, form: CsrfForm<Undo<'_>>, app: &State<App>) -> Page {
    let id = ContactId(id);
    let reason = form.fields.reden;
    match contacts::undo_opt_out(&app.db, id, reason, Some(&admin.email), app.now()).await {
        Ok(()) => page(&admin, app, id, Status::Ok, None, Notice { undone: true, ..Notice::default() }).await,
        Err(EditError::NotFound) => Err(Error::NotFound),
        Err(e) => {
            let Some(message) = e.dutch() else { return Err(e.into()) };
            let notice = Notice { undo_error: Some(message), reason: reason.to_owned(), ..Notice::default() };
            page(&admin, app, id, Status::UnprocessableEntity, None, notice).await
        }
    }
}

/// What the contact's page says after a post.
#[derive(Default, serde::Serialize)]
struct Notice {
    edited: Option<view::EditedView>,
    undone: bool,
    undo_error: Option<String>,
    /// The reason as typed, to show again with its error.
    reason: String,
    /// The register details as typed, when they were refused.
    accreditation: Option<crate::web::accreditation::DetailsView>,
    /// The register details saved: the fields that changed ("" for none).
    accreditation_changed: Option<String>,
}

/// The contact's page; `form` is the edit form as typed when it was refused.
async fn page(
    admin: &Admin,
    app: &App,
    id: ContactId,
    status: Status,
    form: Option<EditForm>,
    mut notice: Notice,
) -> Page {
    let Some(found) = contacts::find(app.db.read(), id).await? else { return Err(Error::NotFound) };
    let history = contacts::history(app.db.read(), id).await?;
    let overview_years = crate::certificates::overview::years(app.db.read(), id).await?;
    let vocab = vocabulary(app);
    let form = form.unwrap_or_else(|| EditForm::of(&found));
    let options = Options::for_form(&vocab, &form);
    let accreditation = match notice.accreditation.take() {
        Some(refused) => refused,
        None => accreditation::view(app, id).await?,
    };
    let context = context! {
        accreditation,
        contact: ContactView::new(&found, &vocab),
        history: HistoryView::new(&history, app.now()),
        form,
        options,
        notice,
        overview_years,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((status, Template::render("admin/contacts/contact", context)))
}
