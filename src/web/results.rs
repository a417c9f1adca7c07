//! The werkgroep's result pages: the rounds overview, a round's results with filters, its free
//! text, chart downloads and a printable report. Every route needs a logged-in member; every
//! figure passes the round's disclosure first.

use rocket::http::{ContentType, Header, Status};
use rocket::{Responder, Route, State, get, routes};
use rocket_dyn_templates::{Template, context};

use super::auth::Member;
use super::results_view::{self as view, QuestionView};
use super::{App, Error};
use crate::audit::{self, AuditAction};
use crate::charts::{self, Chart};
use crate::results::export::{self, Reader};
use crate::results::load::{self, LoadError};
use crate::results::privacy::Disclosure;
use crate::results::{Filter, Summary, Threshold, figures};
use crate::rounds::{Round, RoundId};
use crate::spreadsheet::Sheet;

pub fn routes() -> Vec<Route> {
    routes![overview, round_page, report, free_text, chart, download]
}

type Page = Result<(Status, Template), Error>;

/// The logged-in account for the page header (its logout form needs the CSRF token).
pub(super) fn account(member: &Member) -> serde_json::Value {
    serde_json::json!({ "email": member.email, "csrf": member.csrf() })
}

#[get("/werkgroep")]
async fn overview(member: Member, app: &State<App>) -> Page {
    let rows = load::rounds(app.db.read()).await?;
    let context = super::overview_view::overview(&rows, &app.settings, app.now());
    let context = context! { page: context, account: account(&member) };
    Ok((Status::Ok, Template::render("werkgroep/overview", context)))
}

/// Everything a round page needs, read once.
struct Loaded {
    round: Round,
    threshold: Threshold,
    invited: load::Invited,
    disclosure: Disclosure,
    row: Option<load::RoundRow>,
}

async fn loaded(app: &App, id: i64) -> Result<Option<Loaded>, LoadError> {
    let round = match crate::rounds::load(app.db.read(), RoundId(id)).await {
        Ok(round) => round,
        Err(crate::rounds::RoundsError::UnknownRound(_)) => return Ok(None),
        Err(crate::rounds::RoundsError::Db(e)) => return Err(e.into()),
        Err(_) => return Ok(None),
    };
    let Some(row) = load::one_round(app.db.read(), round.id).await? else { return Ok(None) };
    let threshold = Threshold::of(&round.form, app.settings.min_group_size);
    let siblings = load::siblings(app.db.read(), &row).await?;
    let invited = load::invited(app.db.read(), &siblings).await?;
    let disclosure = Disclosure::new(&load::respondents(app.db.read(), &siblings).await?, threshold);
    Ok(Some(Loaded { round, threshold, invited, disclosure, row: Some(row) }))
}

impl Loaded {
    /// The group a request asks for: in a per-wijk round always that wijk (a part of its
    /// occurrence), with the role chosen; otherwise the filter as given.
    fn scope(&self, (wijk, rol): Asked) -> Filter {
        let keep = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        match self.row.as_ref().map(|r| r.part.clone()).filter(|p| !p.is_empty()) {
            Some(part) => Filter { wijk: Some(part), role: keep(rol) },
            None => Filter { wijk: keep(wijk), role: keep(rol) },
        }
    }
}

#[get("/werkgroep/ronde/<id>?<wijk>&<rol>")]
async fn round_page(
    id: i64,
    wijk: Option<String>,
    rol: Option<String>,
    member: Member,
    app: &State<App>,
) -> Page {
    render_round(id, (wijk, rol), member, app, "werkgroep/round").await
}

#[get("/werkgroep/ronde/<id>/rapport?<wijk>&<rol>")]
async fn report(
    id: i64,
    wijk: Option<String>,
    rol: Option<String>,
    member: Member,
    app: &State<App>,
) -> Page {
    render_round(id, (wijk, rol), member, app, "werkgroep/report").await
}

/// The `wijk` and `rol` of a request's query.
type Asked = (Option<String>, Option<String>);

async fn render_round(id: i64, asked: Asked, member: Member, app: &App, template: &'static str) -> Page {
    let data = loaded(app, id).await?.ok_or(Error::NotFound)?;
    let filter = data.scope(asked);
    let now = app.now();
    let head = view::head(&data.round, data.row.as_ref(), now);
    let rates_disclosure = Disclosure::new(&data.invited.answered, data.threshold);
    let rates = view::rates(&data.invited, &rates_disclosure);
    let filters = view::filter_view(&data.invited, &data.disclosure, &filter, &head.part);
    let results = if head.closed {
        load::round_results(app.db.read(), &data.round, &filter, &data.disclosure).await?
    } else {
        None
    };
    let respondents = results.as_ref().map(|r| r.respondents);
    let questions: Vec<QuestionView> =
        results.map(|r| r.questions.iter().map(view::question).collect()).unwrap_or_default();
    let context = context! {
        round: head,
        rates,
        filters,
        wijk: filter.wijk,
        rol: filter.role,
        respondents,
        questions,
        threshold: data.threshold.0,
        too_few: crate::results::TOO_FEW,
        print: template == "werkgroep/report",
        account: super::results::account(&member),
    };
    Ok((Status::Ok, Template::render(template, context)))
}

#[get("/werkgroep/ronde/<id>/vrije-tekst/<question>?<wijk>&<rol>")]
async fn free_text(
    id: i64,
    question: &str,
    wijk: Option<String>,
    rol: Option<String>,
    member: Member,
    app: &State<App>,
) -> Page {
    let data = loaded(app, id).await?.ok_or(Error::NotFound)?;
    let filter = data.scope((wijk, rol));
    let label = data.round.form.question(question).map(|q| q.label.nl.clone()).ok_or(Error::NotFound)?;
    let closed = data.round.closes_at <= app.now();
    let result = if closed {
        load::question_result(app.db.read(), &data.round, &filter, &data.disclosure, question).await?
    } else {
        None
    };
    let texts = result.map(|q| match q.summary {
        Summary::Texts(texts) => texts,
        Summary::Choices { other_texts, .. } => other_texts,
        _ => Vec::new(),
    });
    if texts.is_some() {
        let detail = format!("ronde {id}, vraag {question}");
        audit::log(&app.db, app.now(), Some(&member.email), AuditAction::FreeTextViewed, &detail).await?;
    }
    let context = context! {
        round: view::head(&data.round, data.row.as_ref(), app.now()),
        label,
        texts,
        query: view::query(&filter),
        too_few: crate::results::TOO_FEW,
        account: super::results::account(&member),
    };
    Ok((Status::Ok, Template::render("werkgroep/free_text", context)))
}

/// A file to download: its bytes, its type and its `Content-Disposition`.
#[derive(Responder)]
pub(super) struct File(Vec<u8>, ContentType, Header<'static>);

pub(super) type Download = Result<File, Error>;

#[get("/werkgroep/ronde/<id>/grafiek/<question>/<format>?<wijk>&<rol>")]
async fn chart(
    id: i64,
    question: &str,
    format: &str,
    wijk: Option<String>,
    rol: Option<String>,
    _member: Member,
    app: &State<App>,
) -> Download {
    let data = closed_round(app, id).await?;
    let filter = data.scope((wijk, rol));
    let result =
        load::question_result(app.db.read(), &data.round, &filter, &data.disclosure, question).await?;
    let chart = result.as_ref().and_then(figures::chart).ok_or(Error::NotFound)?;
    chart_file(&chart, &format!("ronde-{id}-{question}"), format)
}

/// A closed round's data for a download; a round still open has nothing to download yet.
async fn closed_round(app: &App, id: i64) -> Result<Loaded, Error> {
    let data = loaded(app, id).await?.ok_or(Error::NotFound)?;
    if data.round.closes_at > app.now() {
        return Err(Error::NotFound);
    }
    Ok(data)
}

/// A chart as an SVG or PNG download named `name`; any other format is not there.
pub(super) fn chart_file(chart: &Chart, name: &str, format: &str) -> Download {
    let file = match format {
        "svg" => charts::svg(chart).map(|s| (s.into_bytes(), ContentType::SVG)),
        "png" => charts::png(chart).map(|p| (p, ContentType::PNG)),
        _ => return Err(Error::NotFound),
    };
    let (bytes, kind) = file?;
    Ok(File(bytes, kind, attachment(name, format)))
}

/// `Content-Disposition: attachment` with a file name made only of safe characters.
pub fn attachment(name: &str, extension: &str) -> Header<'static> {
    let safe: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '-' }).collect();
    Header::new("Content-Disposition", format!("attachment; filename=\"{safe}.{extension}\""))
}

/// `antwoorden.csv`, `samenvatting.xlsx`, ...: what and in which format.
fn download_name(name: &str) -> Option<(&str, &str)> {
    let (what, format) = name.split_once('.')?;
    (matches!(what, "antwoorden" | "samenvatting") && matches!(format, "csv" | "xlsx"))
        .then_some((what, format))
}

#[get("/werkgroep/ronde/<id>/download/<name>?<wijk>&<rol>")]
async fn download(
    id: i64,
    name: &str,
    wijk: Option<String>,
    rol: Option<String>,
    member: Member,
    app: &State<App>,
) -> Download {
    match download_name(name) {
        Some(("antwoorden", format)) => export_responses(id, format, member, app).await,
        Some((_, format)) => export_summary(id, format, (wijk, rol), member, app).await,
        None => Err(Error::NotFound),
    }
}

async fn export_responses(id: i64, format: &str, member: Member, app: &App) -> Download {
    let data = closed_round(app, id).await?;
    let reader = if member.is_admin() { Reader::Admin } else { Reader::Werkgroep };
    let scope = data.scope((None, None));
    let sheet = export::responses(app.db.read(), &data.round, &data.disclosure, &scope, reader).await?;
    let sheet = sheet.ok_or(Error::NotFound)?;
    file(app, &member, id, "antwoorden", format, &sheet).await
}

async fn export_summary(id: i64, format: &str, asked: Asked, member: Member, app: &App) -> Download {
    let data = closed_round(app, id).await?;
    let filter = data.scope(asked);
    let results = load::round_results(app.db.read(), &data.round, &filter, &data.disclosure).await?;
    let results = results.ok_or(Error::NotFound)?;
    file(app, &member, id, "samenvatting", format, &export::summary(&results.questions)).await
}

/// The sheet as CSV or XLSX, recorded in the audit log before it leaves.
async fn file(app: &App, member: &Member, id: i64, what: &str, format: &str, sheet: &Sheet) -> Download {
    let made = match format {
        "csv" => Ok((
            crate::spreadsheet::csv(sheet),
            ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        )),
        "xlsx" => crate::spreadsheet::xlsx(sheet).map(|bytes| {
            (bytes, ContentType::new("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        }),
        _ => return Err(Error::NotFound),
    };
    let (bytes, content) = made?;
    let detail = format!("ronde {id}, {what}.{format}");
    audit::log(&app.db, app.now(), Some(&member.email), AuditAction::Exported, &detail).await?;
    Ok(File(bytes, content, attachment(&format!("ronde-{id}-{what}"), format)))
}
