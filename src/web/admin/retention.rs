//! `/beheer/bewaartermijnen`: the effective retention terms of every form and job, what a run
//! now would remove (a dry run), when the last run was and what it removed, and a button to run
//! now (audited). The work is `retention`'s; this page only shows and asks.

use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::super::auth::{Admin, CsrfForm};
use super::super::{App, Error};
use crate::retention::{self, Report, Setup};

pub fn routes() -> Vec<Route> {
    routes![show, run_now]
}

/// A report as the page's table reads it.
#[derive(Serialize)]
struct Counts {
    lines: Vec<Count>,
    per_form: Vec<Count>,
    total: u64,
}

#[derive(Serialize)]
struct Count {
    what: String,
    n: u64,
}

impl From<&Report> for Counts {
    fn from(report: &Report) -> Counts {
        let count = |what: &str, n: u64| Count { what: what.to_string(), n };
        Counts {
            lines: report.lines().into_iter().map(|(what, n)| count(what, n)).collect(),
            per_form: report.per_form.iter().map(|(form, n)| count(form, *n)).collect(),
            total: report.total(),
        }
    }
}

#[get("/beheer/bewaartermijnen")]
async fn show(admin: Admin, app: &State<App>) -> Result<(Status, Template), Error> {
    page(&admin, app, None).await
}

/// "Nu uitvoeren": the terms carried out at once, for the admin, in the audit log.
#[post("/beheer/bewaartermijnen/uitvoeren", data = "<_csrf>")]
async fn run_now(admin: Admin, _csrf: CsrfForm, app: &State<App>) -> Result<(Status, Template), Error> {
    let set = app.catalog.current();
    let setup = Setup::of(&app.settings);
    let report = retention::by_hand(&app.db, &set, &setup, app.now(), Some(&admin.email)).await?;
    page(&admin, app, Some(report)).await
}

async fn page(admin: &Admin, app: &App, done: Option<Report>) -> Result<(Status, Template), Error> {
    let set = app.catalog.current();
    let setup = Setup::of(&app.settings);
    let terms = retention::terms(&set, &setup.defaults);
    let next = retention::run(&app.db, &set, &setup, app.now(), true).await?;
    let last = retention::last_run(app.db.read()).await?;
    let context = context! {
        terms,
        next: Counts::from(&next),
        last_at: last.as_ref().map(|l| crate::time::dutch(l.finished_at)),
        last_daily: last.as_ref().is_some_and(|l| l.daily),
        last: last.as_ref().map(|l| Counts::from(&l.report)),
        done: done.as_ref().map(Counts::from),
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/retention", context)))
}
