//! `/beheer`: the coordinator's start page. What needs attention now (the rounds open and their
//! response, mail waiting or failed with the reason, this week's sessions, the registers a
//! session's attendance still has to go into (overdue first), form or job files
//! that do not check, the next scheduled runs) and the way to every beheer section. Each part is
//! one domain read; the files are checked again on every visit, as `peil check` would.

use rocket::http::Status;
use rocket::{State, get};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::mail::{MailSummary, TroubleRow};
use crate::accreditation::deadlines;
use crate::jobs::checkup::{self, Checkup};
use crate::jobs::listing;
use crate::outbox::delivery;
use crate::results::load;
use crate::signup::sessions;
use crate::web::auth::Admin;
use crate::web::{App, Error};

type Page = Result<(Status, Template), Error>;

/// Scheduled runs and troubled mails shown; the sections' own pages have the rest.
const RUNS: usize = 5;
const TROUBLES: i64 = 5;

/// An open round as the start page lists it.
#[derive(Serialize)]
struct OpenRound {
    id: i64,
    title: String,
    closes: String,
    invited: u64,
    answered: u64,
    /// Whole percent, `None` with nobody invited.
    response: Option<u64>,
}

#[derive(Serialize)]
struct SessionRow {
    id: i64,
    title: String,
    when: String,
    place: String,
    round: i64,
    taken: u32,
    capacity: u32,
    waiting: u32,
    cancelled: bool,
}

/// A register a session's attendance still has to go into.
#[derive(Serialize)]
struct DueRow {
    session: i64,
    title: String,
    ended: String,
    register: String,
    register_name: String,
    due: String,
    overdue: bool,
}

impl From<deadlines::Due> for DueRow {
    fn from(d: deadlines::Due) -> DueRow {
        DueRow {
            session: d.session.0,
            title: d.title,
            ended: crate::time::dutch_date(crate::time::amsterdam_date(d.ended)),
            register: d.register,
            register_name: d.register_name,
            due: crate::time::dutch(d.due),
            overdue: d.overdue,
        }
    }
}

#[derive(Serialize)]
struct Run {
    job: String,
    form: String,
    at: String,
}

#[get("/beheer")]
pub(super) async fn start(admin: Admin, app: &State<App>) -> Page {
    let (pool, now) = (app.db.read(), app.now());
    let rounds: Vec<OpenRound> = load::open_rounds(pool, now)
        .await?
        .into_iter()
        .map(|r| OpenRound {
            id: r.id.0,
            title: if r.part.is_empty() { r.title } else { format!("{} ({})", r.title, r.part) },
            closes: crate::time::dutch(r.closes_at),
            invited: r.invited,
            answered: r.answered,
            response: (r.invited > 0).then(|| r.answered * 100 / r.invited),
        })
        .collect();
    let mail = MailSummary::from(delivery::summary(pool).await?);
    let troubles: Vec<TroubleRow> =
        delivery::troubles(pool, None, TROUBLES).await?.into_iter().map(TroubleRow::from).collect();
    super::mail::addresses_shown(app, &admin, &troubles, "/beheer").await?;
    let sessions: Vec<SessionRow> = sessions::this_week(pool, now)
        .await?
        .into_iter()
        .map(|s| SessionRow {
            id: s.id.0,
            when: s.when(),
            title: s.title,
            place: s.place,
            round: s.round.0,
            taken: s.taken,
            capacity: s.capacity,
            waiting: s.waiting,
            cancelled: s.cancelled,
        })
        .collect();
    let deadlines: Vec<DueRow> = deadlines::pending(pool, now).await?.into_iter().map(DueRow::from).collect();
    let (forms_dir, jobs_dir) = (app.settings.forms_dir.clone(), app.settings.jobs_dir.clone());
    let Checkup { problems, .. } =
        tokio::task::spawn_blocking(move || checkup::checkup(&forms_dir, &jobs_dir)).await?;
    // The runs of the jobs in use: while the files on disk do not check, the catalog keeps the
    // last set that did, and that is what the scheduler runs.
    app.catalog.refresh();
    let jobs = app.catalog.jobs();
    let runs: Vec<Run> = listing::next_runs(&jobs, now, RUNS)
        .into_iter()
        .map(|(job, at)| Run { job: job.id.clone(), form: job.form.clone(), at: crate::time::dutch(at) })
        .collect();
    let context = context! {
        rounds,
        mail,
        troubles,
        sessions,
        deadlines,
        problems,
        runs,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/start", context)))
}
