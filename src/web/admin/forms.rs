//! `/beheer/formulieren`: every form, and each one as a respondent sees it, page by page, with
//! `show_if`, validation and error messages working, and nothing stored. The respondent's own
//! template and step (`respond::page_view`, `responses::step`) do the work; the answers so far
//! travel in a signed hidden field of the page instead of a draft in the database. A sign-up
//! form gets made-up sessions to choose from.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use rocket::http::Status;
use rocket::{State, get, post};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use super::super::auth::{Admin, CsrfBody};
use super::super::respond::{Shown, controls, page_view};
use super::super::view::{self, Preview};
use super::super::{App, Error};
use super::short_page;
use crate::forms::validate::{self, FieldError, Posted};
use crate::forms::{Answers, Form, FormKind};
use crate::responses::step::{Step, step};
use crate::signup::{Session, SessionId};

type Page = Result<(Status, Template), Error>;

/// The hidden field that carries the answers so far.
const STATE: &str = "_voorbeeld";

#[derive(Serialize)]
struct FormRow {
    id: String,
    title: String,
    kind: &'static str,
    anonymous: bool,
    pages: usize,
    questions: usize,
}

#[get("/beheer/formulieren")]
pub(super) async fn list(admin: Admin, app: &State<App>) -> Page {
    app.catalog.refresh();
    let forms = app.catalog.forms();
    let rows: Vec<FormRow> = forms
        .iter()
        .map(|f| FormRow {
            id: f.id.to_string(),
            title: f.title.nl.clone(),
            kind: match f.kind {
                FormKind::Survey => "vragenlijst",
                FormKind::Signup => "aanmelding",
            },
            anonymous: f.anonymous,
            pages: f.pages.len(),
            questions: f.pages.iter().map(|p| p.questions.len()).sum(),
        })
        .collect();
    let context = context! {
        forms: rows,
        problems: app.catalog.problems(),
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((Status::Ok, Template::render("admin/forms/list", context)))
}

#[get("/beheer/formulieren/<id>/voorbeeld?<pagina>")]
pub(super) async fn show(admin: Admin, id: &str, pagina: Option<usize>, app: &State<App>) -> Page {
    let forms = app.catalog.forms();
    let Some(form) = forms.get(id) else { return Ok(unknown(&admin, id)) };
    let answers = Answers::new();
    let shown = validate::shown_pages(form, &answers);
    // `pagina` counts from 1, as the page says "Pagina 2 van 4"; a page that does not apply
    // without answers gives the first that does after it.
    let asked = pagina.unwrap_or(1).saturating_sub(1);
    let page = shown.iter().copied().find(|p| *p >= asked).or(shown.last().copied()).unwrap_or(0);
    Ok(preview_page(&admin, app, form, page, &Posted::new(), &answers, &[], Status::Ok))
}

#[post("/beheer/formulieren/<id>/voorbeeld", data = "<body>")]
pub(super) async fn answer(admin: Admin, id: &str, body: CsrfBody, app: &State<App>) -> Page {
    let forms = app.catalog.forms();
    let Some(form) = forms.get(id) else { return Ok(unknown(&admin, id)) };
    let mut posted = body.posted;
    let state = posted.remove(STATE).and_then(|v| v.into_iter().next()).unwrap_or_default();
    let answers = open_state(app, &form.id.0, &state).ok_or(Error::BadRequest)?;
    let (page, nav, posted) = controls(posted, form.pages.len()).ok_or(Error::BadRequest)?;
    let before = validate::answers_before(form, page, &answers);
    let Ok(checked) = validate::check_page(&form.pages[page], &posted, &before) else {
        return Err(Error::BadRequest);
    };
    let sessions = example_sessions(form, app.now());
    let checked = checked.and_then(|a| {
        let errors = crate::signup::choices::check(&form.pages[page], &a, &sessions);
        if errors.is_empty() { Ok(a) } else { Err(errors) }
    });
    let mistakes = Status::UnprocessableEntity;
    match step(form, answers, page, nav, checked) {
        Step::MoveTo(draft) => {
            let posted = view::posted_from(&form.pages[draft.page], &draft.answers);
            Ok(preview_page(&admin, app, form, draft.page, &posted, &draft.answers, &[], Status::Ok))
        }
        Step::Mistakes(errors) => {
            Ok(preview_page(&admin, app, form, page, &posted, &before, &errors, mistakes))
        }
        Step::Submit(answers) => match validate::first_incomplete_page(form, &answers) {
            Some(page) => {
                let errors = validate::missing(&form.pages[page], &answers);
                let posted = view::posted_from(&form.pages[page], &answers);
                Ok(preview_page(&admin, app, form, page, &posted, &answers, &errors, mistakes))
            }
            None => Ok(done(&admin, form)),
        },
    }
}

/// A page of `form` with the answers so far (`answers`, carried in the page, signed).
#[expect(clippy::too_many_arguments, reason = "the respondent's render takes the same, plus who and where")]
fn preview_page(
    admin: &Admin,
    app: &App,
    form: &Form,
    page: usize,
    posted: &Posted,
    answers: &Answers,
    errors: &[FieldError],
    status: Status,
) -> (Status, Template) {
    let now = app.now();
    let sessions = example_sessions(form, now);
    let action = format!("/beheer/formulieren/{}/voorbeeld", form.id);
    let preview = Preview {
        state: seal_state(app, &form.id.0, answers),
        csrf: admin.csrf().to_string(),
        back: "/beheer/formulieren".to_string(),
    };
    let shown = Shown {
        form,
        title: &form.title.nl,
        action: &action,
        closes: now + Duration::days(14),
        sessions: &sessions,
        preview: Some(preview),
        anonymous: form.anonymous,
    };
    let view = page_view(&shown, page, posted, answers, errors, None);
    (status, Template::render("respond/page", view))
}

fn done(admin: &Admin, form: &Form) -> (Status, Template) {
    short_page(
        admin,
        Status::Ok,
        &format!("Voorbeeld van {}: klaar", form.title.nl),
        "Dit was een voorbeeld; er is niets opgeslagen. Een deelnemer ziet nu de bedankpagina.",
        ("/beheer/formulieren", "Terug naar de formulieren"),
    )
}

fn unknown(admin: &Admin, id: &str) -> (Status, Template) {
    short_page(
        admin,
        Status::NotFound,
        "Dit formulier bestaat niet",
        &format!("Er is geen formulier met de naam \"{id}\". Kies een formulier uit de lijst."),
        ("/beheer/formulieren", "Naar de formulieren"),
    )
}

/// Made-up sessions for a sign-up form's preview: two in the coming weeks, one of them full.
fn example_sessions(form: &Form, now: DateTime<Utc>) -> Vec<Session> {
    if form.kind != FormKind::Signup {
        return Vec::new();
    }
    let day = |days: i64, hour: i64| {
        let date = crate::time::amsterdam_date(now + Duration::days(days));
        crate::time::from_amsterdam(date.and_hms_opt(0, 0, 0).unwrap_or_default()) + Duration::hours(hour)
    };
    let session = |n: i64, title: &str, place: &str, taken: u32| Session {
        id: SessionId(n),
        round: crate::rounds::RoundId(0),
        code: format!("s{n}"),
        title: title.to_string(),
        starts_at: day(7 * n + 7, 19),
        ends_at: day(7 * n + 7, 21),
        place: place.to_string(),
        online_url: String::new(),
        leader: String::new(),
        activity_id: String::new(),
        capacity: 12,
        taken,
        waiting: 0,
        cancelled: false,
        revision: 0,
    };
    vec![
        session(1, "Voorbeeldbijeenkomst A", "Voorbeeldlocatie, Utrecht", 3),
        session(2, "Voorbeeldbijeenkomst B (vol)", "Voorbeeldlocatie, Houten", 12),
    ]
}

/// The answers so far as the page carries them: JSON, base64, and a MAC under the secret key
/// bound to the form, so a changed field is refused rather than trusted.
fn seal_state(app: &App, form: &str, answers: &Answers) -> String {
    let json = serde_json::to_string(answers).unwrap_or_else(|_| "{}".to_string());
    let body = URL_SAFE_NO_PAD.encode(json);
    format!("{body}.{}", mac(app, form, &body))
}

fn open_state(app: &App, form: &str, state: &str) -> Option<Answers> {
    let (body, tag) = state.split_once('.')?;
    let expected = mac(app, form, body);
    if !crate::accounts::csrf_matches(&expected, tag) {
        return None;
    }
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()
}

fn mac(app: &App, form: &str, body: &str) -> String {
    crate::crypto::hmac_b64(app.secret.expose(), &format!("peil form preview\n{form}\n{body}"))
}
