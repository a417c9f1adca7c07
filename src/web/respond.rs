//! A person answering by their personal link, page by page: `/r/<token>` from the mail is
//! exchanged for a cookie and `/antwoord/<handle>` (see `link`). Every page that validates is
//! saved as a draft; the last one turns the draft into a response. Which page comes next is
//! `responses::step`; this module reads the visit (the `Visit` guard), checks the posted page and
//! carries the step out.

use std::sync::Arc;

use rocket::http::{CookieJar, Status};
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::response::content::RawHtml;
use rocket::{Responder, Route, State, get, post, routes};
use rocket_dyn_templates::{Metadata, Template, context};

use super::auth::{AuthError, SameOrigin};
use super::body::FormBody;
use super::link::{self, Caller, Recalled};
use super::view::{self, PageView};
use super::{App, Error};
use crate::forms::Answers;
use crate::forms::validate::{self, FieldError, Posted};
use crate::forms::{Form, FormKind};
use crate::responses::step::{Nav, Step, step};
use crate::responses::{self, Draft, Submitted};
use crate::rounds::guesses::{self, Lookup};
use crate::rounds::{Invitation, InvitationToken, Round};
use crate::signup::{self, Session};

pub fn routes() -> Vec<Route> {
    routes![exchange, show, answer, answer_by_link]
}

#[derive(Responder)]
pub enum Reply {
    Page((Status, Template)),
    /// A page rendered in the handler, through the templates' `Metadata`: its context is
    /// serialized once, where `Template::render` serializes it twice (into figment's values
    /// when the page is made, into Tera's when it is sent). The form page and the thank-you
    /// page are rendered so: the two of every response (issue 27).
    Html((Status, RawHtml<String>)),
    Redirect(Redirect),
}

/// `name` rendered with `context` now; a template that is missing or fails is a 500, as it is
/// for a `Template` sent.
fn rendered(
    pages: &Metadata<'_>,
    status: Status,
    name: &'static str,
    context: impl serde::Serialize,
) -> Answer {
    let failed = || Error::Internal(format!("the template {name} could not be rendered").into());
    let (_, html) = pages.render(name, context).ok_or_else(failed)?;
    Ok(Reply::Html((status, RawHtml(html))))
}

/// The round and invitation behind a link, with the draft and response as they were read.
#[derive(Clone)]
pub(super) struct Visit {
    pub round: Arc<Round>,
    pub invitation: Invitation,
    draft: Option<Draft>,
    response: Option<Answers>,
    /// A sign-up round's sessions, with their seats as they are now.
    sessions: Vec<Session>,
    pub path: String,
}

impl Visit {
    fn is_signup(&self) -> bool {
        self.round.form.kind == FormKind::Signup
    }
}

/// What a respondent's page answers: the page, or the error page.
pub(super) type Answer = Result<Reply, Error>;

/// A respondent's form must come from peil's own pages, as a staff form must (`SameOrigin`): a
/// page on another site that makes a visitor's browser post here gets `CrossSite`, with `?`,
/// before anything is looked up or stored. The session cookie of staff is `SameSite=Strict`;
/// the link cookie is `Lax`, which alone would let a cross-site top-level POST through.
pub(super) fn from_our_pages(origin: Result<SameOrigin, AuthError>) -> Result<(), Error> {
    origin.map(|_| ()).map_err(|_| Error::CrossSite)
}

/// The invitation behind `token`, for a caller with wrong links left; a miss counts against it.
/// The limit and the invitation are asked in one query (`guesses::look_up`): a throttled caller
/// gets `Throttled` whatever the link, and its link is not looked up.
pub(super) async fn invitation(app: &App, token: &str, caller: &Caller) -> Result<InvitationToken, Error> {
    let Some(token) = InvitationToken::parse(token) else {
        link::admit(app, caller).await?;
        return Err(link::missed(app, caller).await);
    };
    match guesses::look_up(app.db.read(), &caller.client, &token, app.now()).await? {
        Lookup::Found => return Ok(token),
        Lookup::Throttled => return Err(Error::Throttled),
        Lookup::Missing => {}
    }
    // A real link that ended at its retention term says so, and is no wrong guess.
    match crate::retention::expired_link(app.db.read(), &token).await? {
        Some(title) => Err(Error::Expired(title)),
        None => Err(link::missed(app, caller).await),
    }
}

/// `invitation`, and the token remembered in this browser's cookie for the link's pages.
pub(super) async fn open_link(
    app: &App,
    token: &str,
    cookies: &CookieJar<'_>,
    caller: &Caller,
) -> Result<InvitationToken, Error> {
    let token = invitation(app, token, caller).await?;
    link::remember(cookies, &token, caller.secure);
    Ok(token)
}

/// The visit of the link whose pages the request's path names (`/antwoord/<handle>/...`): the
/// token from this browser's cookie (`Recalled`), its invitation and its round. Handlers take it
/// as `Result<Visit, Error>`: a guard's own failure would go to a catcher, which cannot tell the
/// page for a link without its cookie from a logged-out member's, and would come before a
/// refused body.
#[rocket::async_trait]
impl<'r> FromRequest<'r> for Visit {
    type Error = Error;

    async fn from_request(req: &'r Request<'_>) -> Outcome<Visit, Error> {
        let app = req.rocket().state::<App>().expect("the app is managed");
        let found = match Recalled::from_request(req).await {
            Outcome::Success(Recalled(token)) => visit(app, &token).await,
            Outcome::Error((_, e)) => Err(e),
            Outcome::Forward(status) => return Outcome::Forward(status),
        };
        match found {
            Ok(visit) => Outcome::Success(visit),
            Err(e) => Outcome::Error((e.status(), e)),
        }
    }
}

pub(super) async fn visit(app: &App, token: &InvitationToken) -> Result<Visit, Error> {
    let Some(found) = responses::visit(app.db.read(), &app.seal, token).await? else {
        // A link opened before its term ended, visited again from its cookie afterwards.
        return Err(match crate::retention::expired_link(app.db.read(), token).await? {
            Some(title) => Error::Expired(title),
            None => Error::NotFound,
        });
    };
    let round =
        app.rounds.with_dates(app.db.read(), found.invitation.round, found.opens_at, found.closes_at).await?;
    let sessions = match round.form.kind {
        FormKind::Signup => signup::sessions::of_round(app.db.read(), round.id).await?,
        FormKind::Survey => Vec::new(),
    };
    Ok(Visit {
        round,
        invitation: found.invitation,
        draft: found.draft,
        response: found.response,
        sessions,
        path: link::path(token),
    })
}

/// A link from a mail: `/r/<token>`, `/r/<token>/plaats/<seat>`, `/r/<token>/afmelden`. Its token
/// goes into a cookie and the browser on to the same page under `/antwoord/<handle>`.
#[get("/r/<token>/<rest..>")]
async fn exchange(
    token: &str,
    rest: std::path::PathBuf,
    cookies: &CookieJar<'_>,
    caller: Caller,
    app: &State<App>,
) -> Answer {
    let rest = link::rest(&rest).ok_or(Error::NotFound)?;
    let token = open_link(app, token, cookies, &caller).await?;
    Ok(Reply::Redirect(Redirect::to(format!("{}{rest}", link::path(&token)))))
}

/// The pages that end a visit early: a sign-up already made (its seats, to see or cancel),
/// closed rounds, and anonymous responses already in.
async fn finished(app: &App, pages: &Metadata<'_>, visit: &Visit) -> Result<Option<Reply>, Error> {
    let round = &visit.round;
    if visit.is_signup() && visit.invitation.answered {
        return Ok(Some(super::signup::status(app, visit).await?));
    }
    if !round.is_open(app.now()) {
        return Ok(Some(closed(round)));
    }
    if round.anonymous && visit.invitation.answered {
        return thanks(pages, round, true).map(Some);
    }
    Ok(None)
}

fn closed(round: &Round) -> Reply {
    let closes = crate::time::dutch(round.closes_at);
    Reply::Page((
        Status::Gone,
        Template::render(
            "respond/closed",
            context! { form_title: &round.title, closes, privacy: crate::privacy::round_link(round) },
        ),
    ))
}

fn thanks(pages: &Metadata<'_>, round: &Round, again: bool) -> Answer {
    let text = round.form.thanks.as_ref().map(|t| t.nl.clone());
    let closes = crate::time::dutch(round.closes_at);
    let privacy = crate::privacy::round_link(round);
    let context =
        context! { form_title: &round.title, text, again, anonymous: round.anonymous, closes, privacy };
    rendered(pages, Status::Ok, "respond/thanks", context)
}

/// Where this person stands: their draft, else their earlier response (to change it), else empty.
fn state(visit: &Visit) -> (Draft, bool) {
    if let Some(draft) = &visit.draft {
        return (draft.clone(), false);
    }
    match &visit.response {
        Some(answers) if !visit.round.anonymous => (Draft { page: 0, answers: answers.clone() }, true),
        _ => (Draft::default(), false),
    }
}

#[get("/antwoord/<_>")]
async fn show(visit: Result<Visit, Error>, pages: Metadata<'_>, app: &State<App>) -> Answer {
    let visit = visit?;
    if let Some(reply) = finished(app, &pages, &visit).await? {
        return Ok(reply);
    }
    let (draft, resubmitting) = state(&visit);
    let shown = validate::shown_pages(&visit.round.form, &draft.answers);
    let page = shown.iter().copied().find(|p| *p >= draft.page).or(shown.last().copied()).unwrap_or(0);
    let notice = resubmitting.then(|| {
        format!(
            "U heeft deze vragenlijst al ingevuld. U kunt uw antwoorden wijzigen tot {}.",
            crate::time::dutch(visit.round.closes_at)
        )
    });
    let posted = view::posted_from(&visit.round.form.pages[page], &draft.answers);
    render(&pages, &visit, page, &posted, &draft.answers, &[], notice)
}

#[post("/antwoord/<_>", data = "<body>")]
async fn answer(
    origin: Result<SameOrigin, AuthError>,
    visit: Result<Visit, Error>,
    body: FormBody,
    pages: Metadata<'_>,
    app: &State<App>,
) -> Answer {
    from_our_pages(origin)?;
    post_page(app, &pages, visit?, body).await
}

/// A page posted to the mailed address itself (a page opened before links were exchanged for
/// cookies, or a client without cookies): the same as posting under `/antwoord`.
#[post("/r/<token>", data = "<body>")]
async fn answer_by_link(
    token: &str,
    origin: Result<SameOrigin, AuthError>,
    body: FormBody,
    cookies: &CookieJar<'_>,
    caller: Caller,
    pages: Metadata<'_>,
    app: &State<App>,
) -> Answer {
    from_our_pages(origin)?;
    let token = open_link(app, token, cookies, &caller).await?;
    post_page(app, &pages, visit(app, &token).await?, body).await
}

async fn post_page(app: &App, pages: &Metadata<'_>, visit: Visit, body: FormBody) -> Answer {
    // A sign-up already made: a second post (a double click) lands on the same page as the first.
    if visit.is_signup() && visit.invitation.answered {
        return Ok(Reply::Redirect(Redirect::to(visit.path.clone())));
    }
    // An anonymous response already in: a replayed or double-clicked send gets the thank-you
    // page the first one got, and stores nothing.
    if visit.round.anonymous && visit.invitation.answered && visit.round.is_open(app.now()) {
        return thanks(pages, &visit.round, false);
    }
    if let Some(reply) = finished(app, pages, &visit).await? {
        return Ok(reply);
    }
    let (page, nav, posted) = controls(body.0, visit.round.form.pages.len()).ok_or(Error::BadRequest)?;
    let (draft, _) = state(&visit);
    let form = &visit.round.form;
    let before = validate::answers_before(form, page, &draft.answers);
    let checked = match validate::check_page(&form.pages[page], &posted, &before) {
        Ok(checked) => checked,
        Err(e) => {
            tracing::info!(error = %e, "refused a tampered or stale form");
            return Err(Error::BadRequest);
        }
    };
    // A session chosen on this page must still be offered.
    let checked = checked.and_then(|answers| {
        let errors = signup::choices::check(&form.pages[page], &answers, &visit.sessions);
        if errors.is_empty() { Ok(answers) } else { Err(errors) }
    });
    match step(form, draft.answers, page, nav, checked) {
        Step::MoveTo(draft) => move_to(app, &visit, draft.page, draft.answers).await,
        Step::Mistakes(errors) => render(pages, &visit, page, &posted, &before, &errors, None),
        Step::Submit(answers) => submit(app, pages, &visit, answers).await,
    }
}

/// Takes the page number and the button pressed out of the posted fields.
pub(super) fn controls(mut posted: Posted, pages: usize) -> Option<(usize, Nav, Posted)> {
    let page = posted.remove("_page")?;
    let page: usize = match page.as_slice() {
        [one] => one.parse().ok().filter(|p| *p < pages)?,
        _ => return None,
    };
    let nav = match posted.remove("_nav").as_deref() {
        None => Nav::Next,
        Some([one]) if one == "prev" => Nav::Prev,
        Some([one]) if one == "next" => Nav::Next,
        Some([one]) if one == "submit" => Nav::Submit,
        Some(_) => return None,
    };
    if posted.keys().any(|k| k.starts_with('_')) {
        return None;
    }
    Some((page, nav, posted))
}

async fn move_to(app: &App, visit: &Visit, page: usize, answers: Answers) -> Answer {
    responses::save_draft(&app.db, &app.seal, visit.invitation.id, &Draft { page, answers }, app.now())
        .await?;
    Ok(Reply::Redirect(Redirect::to(visit.path.clone())))
}

async fn submit(app: &App, pages: &Metadata<'_>, visit: &Visit, answers: Answers) -> Answer {
    let form = &visit.round.form;
    if let Some(page) = validate::first_incomplete_page(form, &answers) {
        let errors = validate::missing(&form.pages[page], &answers);
        let draft = Draft { page, answers: answers.clone() };
        responses::save_draft(&app.db, &app.seal, visit.invitation.id, &draft, app.now()).await?;
        let posted = view::posted_from(&form.pages[page], &answers);
        return render(pages, visit, page, &posted, &answers, &errors, None);
    }
    // The same threshold the results use: a form may raise the configured one, never lower it.
    let min_group = crate::results::Threshold::of(form, app.settings.min_group_size).0;
    let submitted = responses::submit(
        &app.db,
        &app.seal,
        &visit.round,
        &visit.invitation,
        &answers,
        min_group,
        app.now(),
    )
    .await?;
    Ok(match submitted {
        Submitted::Stored => thanks(pages, &visit.round, false)?,
        // The sign-up's own page shows the seats; a reload there takes no second seat.
        Submitted::SignedUp(_) => Reply::Redirect(Redirect::to(visit.path.clone())),
        Submitted::AlreadyAnswered if visit.is_signup() => Reply::Redirect(Redirect::to(visit.path.clone())),
        // The same page as the first send got: this was a double click or a replay.
        Submitted::AlreadyAnswered => thanks(pages, &visit.round, false)?,
        Submitted::NotOffered(_) => not_offered(app, pages, visit, &answers).await?,
        Submitted::Closed => closed(&visit.round),
    })
}

/// A chosen session was cancelled while this person was filling in the form: back to its page,
/// with the sessions as they are now and a message at the question.
async fn not_offered(app: &App, pages: &Metadata<'_>, visit: &Visit, answers: &Answers) -> Answer {
    let sessions = signup::sessions::of_round(app.db.read(), visit.round.id).await?;
    let form = &visit.round.form;
    let page = form
        .pages
        .iter()
        .position(|p| !signup::choices::check(p, answers, &sessions).is_empty())
        .unwrap_or(0);
    let errors = signup::choices::check(&form.pages[page], answers, &sessions);
    let posted = view::posted_from(&form.pages[page], answers);
    let visit = Visit { sessions, ..visit.clone() };
    render(pages, &visit, page, &posted, answers, &errors, None)
}

/// A page of the form; a 422 when it shows mistakes.
fn render(
    pages: &Metadata<'_>,
    visit: &Visit,
    page: usize,
    posted: &Posted,
    answers: &Answers,
    errors: &[FieldError],
    notice: Option<String>,
) -> Answer {
    let status = if errors.is_empty() { Status::Ok } else { Status::UnprocessableEntity };
    let shown = Shown {
        form: &visit.round.form,
        title: &visit.round.title,
        action: &visit.path,
        closes: visit.round.closes_at,
        sessions: &visit.sessions,
        preview: None,
        anonymous: visit.round.anonymous,
    };
    let view = page_view(&shown, page, posted, answers, errors, notice);
    rendered(pages, status, "respond/page", view)
}

/// Where a page of a form is shown: a person's round, or the coordinator's preview of the form.
pub(super) struct Shown<'a> {
    pub form: &'a Form,
    pub title: &'a str,
    /// Where the page posts to.
    pub action: &'a str,
    pub closes: chrono::DateTime<chrono::Utc>,
    pub sessions: &'a [Session],
    /// Set for the preview: its banner and the answers so far it carries in the page.
    pub preview: Option<view::Preview>,
    /// Whether the answers are anonymous (the round's, which a job may set): then a question
    /// whose answer says who gave it says so beside it.
    pub anonymous: bool,
}

/// Page `page` of a form as the respondent's template shows it.
pub(super) fn page_view(
    shown: &Shown<'_>,
    page: usize,
    posted: &Posted,
    answers: &Answers,
    errors: &[FieldError],
    notice: Option<String>,
) -> PageView {
    let form = shown.form;
    let before = validate::answers_before(form, page, answers);
    let visible = validate::shown_pages(form, answers);
    let first = !visible.iter().any(|p| *p < page);
    let current = &form.pages[page];
    let mut questions = view::questions(form, current, posted, &before, errors, shown.sessions);
    if shown.anonymous {
        view::mark_not_anonymous(current, &mut questions);
    }
    // "Pagina 2 van 4" counts every page of the form, also those that do not apply to this
    // person, whose numbers are skipped. Counting only the pages that apply renumbered them
    // whenever an answer made a later page apply: "Pagina 2 van 3" was followed by "3 van 4".
    // A page's number now never changes; the bar only moves forward, and is full on the last
    // page that applies (the template's doing).
    PageView {
        form_title: shown.title.to_string(),
        intro: first.then(|| form.intro.as_ref().map(|t| t.nl.clone())).flatten(),
        page_title: current.title.as_ref().map(|t| t.nl.clone()),
        page_intro: current.intro.as_ref().map(|t| t.nl.clone()),
        step: page + 1,
        steps: form.pages.len(),
        page,
        first,
        last: !visible.iter().any(|p| *p > page),
        action: shown.action.to_string(),
        closes: crate::time::dutch(shown.closes),
        notice,
        earlier: view::earlier_answers(current, &before),
        errors: view::error_views(current, errors),
        questions,
        preview: shown.preview.clone(),
        privacy: Some(crate::privacy::link(&form.id.0, shown.anonymous)),
    }
}
