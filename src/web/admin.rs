//! The administrator's pages under `/beheer`: the start page (`start`), the accounts at
//! `/beheer/gebruikers` with the recent audit log, the whole log (`logbook`) and the mail's
//! delivery (`mail`), a person's data on request (`persons`). The accounts page adds an account, showing its one-time password link to hand over (peil does not mail it: the link is
//! a key, and the administrator knows best how to pass it on). Changing a role and removing an
//! account (after a confirmation page) are in `manage`, with resetting someone's two-step login;
//! the processing register in `processing`.

mod attendance;
mod contacts;
mod forms;
mod jobs;
mod logbook;
mod mail;
mod manage;
mod persons;
mod processing;
mod retention;
mod rounds;
mod sessions;
mod start;

use rocket::form::{self, Contextual, FromFormField, ValueField};
use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::auth::{Admin, CsrfForm};
use super::{App, Error};
use crate::accounts::{self, AccountsError, Role};
use crate::audit;

/// Audit rows shown on the page; `peil audit --limit` reads further back.
const AUDIT_ROWS: i64 = 50;

type Page = Result<(Status, Template), Error>;

/// The tick of a form that changes something for good ("Ja, ... afgelasten"): the pages that
/// ask for it refuse the post without `bevestigd=ja`.
#[derive(rocket::FromForm)]
#[field(default = "")]
pub(super) struct Confirm<'r> {
    bevestigd: &'r str,
}

impl Confirm<'_> {
    pub(super) fn given(&self) -> bool {
        self.bevestigd == "ja"
    }
}

pub fn routes() -> Vec<Route> {
    let mut all = routes![
        users,
        add_user,
        manage::change_role,
        manage::remove,
        manage::password_link,
        manage::reset_two_factor,
        logbook::logbook,
        start::start,
        jobs::list,
        jobs::show,
        jobs::confirm,
        jobs::start,
        forms::list,
        forms::show,
        forms::answer,
        processing::page,
        processing::csv
    ];
    all.extend(mail::routes());
    all.extend(contacts::routes());
    all.extend(rounds::routes());
    all.extend(sessions::routes());
    all.extend(attendance::routes());
    all.extend(persons::routes());
    all.extend(retention::routes());
    all
}

#[get("/beheer/gebruikers")]
async fn users(admin: Admin, app: &State<App>) -> Page {
    page(&admin, app, Status::Ok, Form::default(), Outcome::default()).await
}

/// The add-user form: an address, which `accounts` checks, and a role.
#[derive(rocket::FromForm)]
struct NewUser<'r> {
    #[field(default = "")]
    email: &'r str,
    role: Role,
}

/// A role as the page's radio buttons send it; which names there are is `Role::parse`'s to say.
#[rocket::async_trait]
impl<'v> FromFormField<'v> for Role {
    fn from_value(field: ValueField<'v>) -> form::Result<'v, Self> {
        Role::parse(field.value).ok_or_else(|| form::Error::validation("not a role").into())
    }
}

#[post("/beheer/gebruikers", data = "<form>")]
async fn add_user(admin: Admin, form: CsrfForm<Contextual<'_, NewUser<'_>>>, app: &State<App>) -> Page {
    let Contextual { value, context } = form.fields;
    // The email field cannot fail; the role is all there is to refuse.
    let typed = Form {
        email: context.field_value("email").unwrap_or_default().to_owned(),
        role: context.field_value("role").unwrap_or_default().to_owned(),
        error: value.is_none().then(|| "Kies een rol.".to_owned()),
    };
    let Some(NewUser { email, role }) = value else {
        return page(&admin, app, Status::UnprocessableEntity, typed, Outcome::default()).await;
    };
    match accounts::add_user(&app.db, email, role, Some(&admin.email), app.now()).await {
        Ok(path) => {
            let link = format!("{}{path}", app.settings.base_url.trim_end_matches('/'));
            let context = context! {
                email: accounts::normalise_email(email).map(String::from).unwrap_or_default(),
                role: role.label(),
                link,
                hours: accounts::LINK_VALID_HOURS,
                account_email: &admin.email,
                csrf: admin.csrf(),
            };
            Ok((Status::Ok, Template::render("admin/user_added", context)))
        }
        Err(e @ (AccountsError::BadEmail | AccountsError::Duplicate)) => {
            let form = Form { error: Some(e.to_string()), ..typed };
            page(&admin, app, Status::UnprocessableEntity, form, Outcome::default()).await
        }
        Err(e) => Err(e.into()),
    }
}

/// What was typed into the add-user form, to show again with its error.
#[derive(Default, Serialize)]
struct Form {
    email: String,
    role: String,
    error: Option<String>,
}

/// What the page says above its list of accounts after a role change or a removal: what was
/// done, or why it was refused.
#[derive(Default, Serialize)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
}

/// An account as the page shows it.
#[derive(Serialize)]
struct UserRow {
    email: String,
    role: &'static str,
    /// As the role select sends it (`Role::as_str`).
    role_name: &'static str,
    has_password: bool,
    two_factor: bool,
    created: String,
    /// The administrator looking at the page.
    is_you: bool,
}

/// An audit entry as the beheer pages show it: a Dutch time and action, "opdrachtregel" for the
/// command line; the NEN 7513 fields empty where a row does not have them.
#[derive(Serialize)]
struct AuditRow {
    at: String,
    actor: String,
    action: String,
    detail: String,
    /// Whose data in words, and the contact id to filter the log on.
    subject: String,
    subject_contact: Option<i64>,
    on_behalf: String,
    via: String,
}

impl From<audit::AuditEntry> for AuditRow {
    fn from(e: audit::AuditEntry) -> AuditRow {
        AuditRow {
            at: crate::time::dutch(e.at),
            actor: e.actor.unwrap_or_else(|| "opdrachtregel".to_owned()),
            action: audit::label_of(&e.action),
            detail: e.detail,
            subject: e.subject.unwrap_or_default(),
            subject_contact: e.subject_contact,
            on_behalf: e.on_behalf.unwrap_or_default(),
            via: e.via.unwrap_or_default(),
        }
    }
}

/// A short page of its own (`admin/done`): a heading, a sentence and the way back, as `(link,
/// link text)`.
fn short_page(
    admin: &Admin,
    status: Status,
    title: &str,
    text: &str,
    back: (&str, &str),
) -> (Status, Template) {
    let (link, link_text) = back;
    let context = context! { title, text, link, link_text, account_email: &admin.email, csrf: admin.csrf() };
    (status, Template::render("admin/done", context))
}

async fn page(admin: &Admin, app: &App, status: Status, form: Form, outcome: Outcome) -> Page {
    let (users, entries) =
        (accounts::list_users(app.db.read()).await, audit::list(app.db.read(), AUDIT_ROWS).await);
    let (users, entries) = (users?, entries?);
    let users: Vec<UserRow> = users
        .into_iter()
        .map(|u| UserRow {
            email: u.email,
            role: u.role.label(),
            role_name: u.role.as_str(),
            has_password: u.has_password,
            two_factor: u.two_factor,
            created: crate::time::dutch(u.created_at),
            is_you: u.id == admin.id,
        })
        .collect();
    let audit: Vec<AuditRow> = entries.into_iter().map(AuditRow::from).collect();
    let context = context! {
        users,
        audit,
        form,
        outcome,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((status, Template::render("admin/users", context)))
}
