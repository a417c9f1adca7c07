//! `/beheer/jobs`: every job file with its form, audience, schedule and next runs (what `peil
//! schedule` prints), the rounds it opened, its invitation and reminder as the mail will read,
//! and "Nu starten": a confirmation page saying which occurrence the start counts as, whom it
//! reaches and which sessions it offers, then `Scheduler::start_job_by`, the code `peil job
//! start` runs.

use chrono::{DateTime, Utc};
use rocket::http::Status;
use rocket::{State, get, post};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::super::auth::{Admin, CsrfForm};
use super::super::{App, Error};
use super::short_page;
use crate::jobs::{Job, listing};
use crate::mail::Example;
use crate::outbox::MailKind;
use crate::results::{Threshold, feasibility};
use crate::rounds::RoundsError;
use crate::schedule::{JobRound, ScheduleError, StartPreview, contacts_per_wijk, job_rounds};

type Page = Result<(Status, Template), Error>;

/// A job as the list and its page show it.
#[derive(Serialize)]
struct JobView {
    id: String,
    form: String,
    form_title: String,
    audience: String,
    open_for: String,
    reminders: String,
    schedule: String,
    runs: Vec<String>,
    signup: bool,
}

fn view(job: &Job, app: &App, now: DateTime<Utc>) -> JobView {
    let forms = app.catalog.forms();
    let form_title = forms.get(&job.form).map(|f| f.title.nl.clone()).unwrap_or_default();
    let (schedule, runs) = match &job.schedule {
        Some(s) => (
            listing::in_words(s),
            s.runs_after(now).take(listing::RUNS_SHOWN).map(|t| listing::moment(t, s.timezone)).collect(),
        ),
        None => ("alleen met de hand (geen schema)".to_string(), Vec::new()),
    };
    JobView {
        id: job.id.clone(),
        form: job.form.clone(),
        form_title,
        audience: listing::audience(&job.audience),
        open_for: crate::jobs::duration::dutch(job.open_for),
        reminders: listing::reminders(&job.reminders),
        schedule,
        runs,
        signup: job.signup.is_some(),
    }
}

#[derive(Serialize)]
struct RoundView {
    id: String,
    wijk: String,
    opens: String,
    closes: String,
    open: bool,
}

fn rounds_view(rounds: Vec<JobRound>, now: DateTime<Utc>) -> Vec<RoundView> {
    rounds
        .into_iter()
        .map(|r| RoundView {
            id: r.id.to_string(),
            wijk: r.part,
            opens: crate::time::dutch(r.opens_at.at()),
            closes: crate::time::dutch(r.closes_at.at()),
            open: r.opens_at.at() <= now && now < r.closes_at.at(),
        })
        .collect()
}

#[get("/beheer/jobs")]
pub(super) async fn list(admin: Admin, app: &State<App>) -> Page {
    let now = app.now();
    app.catalog.refresh();
    let jobs = app.catalog.jobs();
    let mut rows = Vec::new();
    for job in &jobs.jobs {
        let rounds = job_rounds(app.db.read(), &job.id).await?;
        rows.push(context! { job: view(job, app, now), rounds: rounds.len() });
    }
    let context = context! {
        jobs: rows,
        problems: app.catalog.problems(),
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/jobs/list", context)))
}

/// A mail as it will read.
#[derive(Serialize)]
struct MailView {
    heading: &'static str,
    subject: String,
    text: String,
    own: bool,
}

#[get("/beheer/jobs/<id>")]
pub(super) async fn show(admin: Admin, id: &str, app: &State<App>) -> Page {
    let now = app.now();
    app.catalog.refresh();
    let jobs = app.catalog.jobs();
    let Some(job) = jobs.get(id) else { return Ok(unknown(&admin, id)) };
    let forms = app.catalog.forms();
    let form = forms.get(&job.form);
    let title = form.map(|f| f.title.nl.clone()).unwrap_or_default();
    let anonymous = job.anonymous.unwrap_or(false) || form.is_some_and(|f| f.anonymous);
    let start = crate::schedule::manual_start(job, now);
    let mut mails = Vec::new();
    for (kind, heading, own) in [
        (
            MailKind::Invitation,
            "Uitnodiging",
            job.mail.invitation_subject.is_some() || job.mail.invitation_text.is_some(),
        ),
        (
            MailKind::Reminder,
            "Herinnering",
            job.mail.reminder_subject.is_some() || job.mail.reminder_text.is_some(),
        ),
    ] {
        let example = Example {
            kind,
            form: &job.form,
            title: &title,
            closes_at: start.closes_at,
            anonymous,
            signup: job.signup.is_some(),
            texts: Some(&job.mail),
            now,
        };
        let rendered = app.mailer.preview(&example)?;
        mails.push(MailView { heading, subject: rendered.subject, text: rendered.text, own });
    }
    let rounds = rounds_view(job_rounds(app.db.read(), &job.id).await?, now);
    let feasibility = if job.audience.per_wijk {
        let threshold = Threshold::new(app.settings.min_group_size, form.and_then(|f| f.min_group_size));
        let invited = contacts_per_wijk(app.db.read(), job).await?;
        Some(feasibility::expect(&invited, feasibility::ASSUMED_RESPONSE, threshold).sentence())
    } else {
        None
    };
    let context = context! {
        job: view(job, app, now),
        feasibility,
        pooled_rounds: crate::results::pooled::ROUNDS,
        anonymous,
        mails,
        has_reminders: !job.reminders.is_empty(),
        example_name: crate::mail::EXAMPLE_NAME,
        rounds,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/jobs/show", context)))
}

#[derive(Serialize)]
struct SessionView {
    title: String,
    when: String,
    place: String,
    capacity: u32,
}

fn confirmation(
    admin: &Admin,
    app: &App,
    preview: &StartPreview,
    status: Status,
    error: Option<String>,
) -> (Status, Template) {
    let now = app.now();
    let per_wijk: Vec<_> = preview
        .parts
        .iter()
        .filter(|(wijk, _)| !wijk.is_empty())
        .map(|(wijk, people)| context! { wijk, people })
        .collect();
    let sessions: Vec<SessionView> = preview
        .sessions
        .iter()
        .map(|s| SessionView {
            title: s.title.clone(),
            when: crate::time::dutch_span(s.starts_at, s.ends_at),
            place: if s.place.is_empty() { s.online_url.clone() } else { s.place.clone() },
            capacity: s.capacity,
        })
        .collect();
    let context = context! {
        job: view(&preview.job, app, now),
        explain: preview.start.explain(),
        closes: crate::time::dutch(preview.start.closes_at),
        people: preview.people(),
        per_wijk,
        sessions,
        already_open: preview.already_open.iter().map(ToString::to_string).collect::<Vec<_>>(),
        unknown_practices: &preview.unknown_practices,
        error,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    (status, Template::render("admin/jobs/start", context))
}

#[get("/beheer/jobs/<id>/starten")]
pub(super) async fn confirm(admin: Admin, id: &str, app: &State<App>) -> Page {
    match app.scheduler.preview_start(id).await {
        Ok(preview) => Ok(confirmation(&admin, app, &preview, Status::Ok, None)),
        Err(ScheduleError::Rounds(RoundsError::UnknownJob(_))) => Ok(unknown(&admin, id)),
        Err(e) => Err(e.into()),
    }
}

/// The confirmation page's button; the form carries only its CSRF token.
#[post("/beheer/jobs/<id>/starten", data = "<_csrf>")]
pub(super) async fn start(admin: Admin, id: &str, _csrf: CsrfForm, app: &State<App>) -> Page {
    match app.scheduler.start_job_by(id, Some(&admin.email)).await {
        Ok(opened) => {
            let context = context! {
                id,
                opened: opened.iter().map(ToString::to_string).collect::<Vec<_>>(),
                account_email: &admin.email,
                csrf: admin.csrf(),
            };
            Ok((Status::Ok, Template::render("admin/jobs/started", context)))
        }
        Err(ScheduleError::Rounds(RoundsError::UnknownJob(_))) => Ok(unknown(&admin, id)),
        Err(ScheduleError::Rounds(e)) if refusal(&e).is_some() => {
            let preview = app.scheduler.preview_start(id).await?;
            Ok(confirmation(&admin, app, &preview, Status::UnprocessableEntity, refusal(&e)))
        }
        Err(e) => Err(e.into()),
    }
}

/// Why a start was refused, in words the coordinator can act on; `None` for failures they cannot.
fn refusal(e: &RoundsError) -> Option<String> {
    Some(match e {
        RoundsError::NobodyToInvite(_) => {
            "Er is niemand om uit te nodigen: geen contactpersoon past bij de doelgroep van deze job. \
             Er is niets geopend."
                .to_string()
        }
        RoundsError::SessionInThePast(title) => format!(
            "De bijeenkomst \"{title}\" begint al voordat de ronde opent. Pas de datum aan in het \
             jobbestand; er is niets geopend."
        ),
        RoundsError::UnknownForm(form) => {
            format!("Het formulier {form} bestaat niet (meer). Er is niets geopend.")
        }
        RoundsError::SignupNeedsSessions(_) | RoundsError::NotASignupForm(_) => {
            "Het formulier en de bijeenkomsten van deze job passen niet bij elkaar; controleer het \
             jobbestand met peil check. Er is niets geopend."
                .to_string()
        }
        RoundsError::ClosesInThePast => {
            "De sluitingsdatum ligt in het verleden. Er is niets geopend.".to_string()
        }
        _ => return None,
    })
}

fn unknown(admin: &Admin, id: &str) -> (Status, Template) {
    short_page(
        admin,
        Status::NotFound,
        "Deze job bestaat niet",
        &format!("Er is geen job met de naam \"{id}\". Kies een job uit de lijst."),
        ("/beheer/jobs", "Naar de jobs"),
    )
}
