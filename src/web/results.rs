//! The werkgroep's result pages: the rounds overview, a round's results with filters, its free
//! text, chart downloads and a printable report. Every route needs a logged-in member; every
//! figure passes the round's disclosure first.

use rocket::http::{ContentType, Header, Status};
use rocket::{Responder, Route, State, get, routes};
use rocket_dyn_templates::{Template, context};

use super::auth::Member;
use super::results_view::{self as view, QuestionView};
use super::{App, Error};
use crate::charts::{self, Chart};
use crate::results::access::{Access, AccessError, Export, Format, Reader};
use crate::results::figures;
use crate::results::labels::Labels;
use crate::results::load;
use crate::results::privacy::Disclosure;
use crate::rounds::RoundId;

pub fn routes() -> Vec<Route> {
    routes![overview, round_page, report, free_text, addresses, chart, download]
}

type Page = Result<(Status, Template), Error>;

/// The logged-in account for the staff header (its logout form needs the CSRF token; "Beheer"
/// shows for administrators only).
pub(super) fn account(member: &Member) -> serde_json::Value {
    serde_json::json!({ "email": member.email, "csrf": member.csrf(), "admin": member.is_admin() })
}

#[get("/werkgroep")]
async fn overview(member: Member, app: &State<App>) -> Page {
    let rows = load::rounds(app.db.read()).await?;
    let labels = Labels::of(&app.catalog.forms());
    let context = super::overview_view::overview(&rows, &app.settings, &labels, app.now());
    let context = context! { page: context, account: account(&member) };
    Ok((Status::Ok, Template::render("werkgroep/overview", context)))
}

/// The round as this member may read it now; a round that is not there is a 404.
pub(super) async fn access(app: &App, id: i64, member: &Member) -> Result<Access, Error> {
    let reader = Reader::Member { actor: member.actor(), admin: member.is_admin() };
    let access =
        Access::open(&app.db, &app.seal, RoundId(id), reader, app.settings.min_group_size, app.now()).await;
    access.map_err(refused)
}

/// What `Access` refuses (no such round, still open, a group too small) is not there: a 404
/// that says no more.
pub(super) fn refused(e: AccessError) -> Error {
    if e.is_not_there() { Error::NotFound } else { Error::from(e) }
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

async fn render_round(
    id: i64,
    (wijk, rol): Asked,
    member: Member,
    app: &App,
    template: &'static str,
) -> Page {
    let access = access(app, id, &member).await?;
    let filter = access.scope(wijk, rol);
    let labels = Labels::of(&app.catalog.forms());
    let head = view::head(&access).named(&labels);
    let invited = load::invited(app.db.read(), access.siblings()).await?;
    let rates = view::rates(&invited, &Disclosure::new(&invited.answered, access.threshold())).named(&labels);
    let filters = view::filter_view(&invited, access.disclosure(), &filter, &head.part).named(&labels);
    let results = access.results(&app.db, &filter).await.map_err(refused)?;
    let respondents = results.as_ref().map(|r| r.respondents);
    let print = template == "werkgroep/report";
    let (mut glance, mut texts) = (None, None);
    if let Some(r) = &results {
        let counts = (r.respondents, r.questions.as_slice());
        glance = Some(super::report::glance(app, &access, &filter, counts, &invited).await?);
        if print {
            texts = access.free_texts(&app.db, &filter, &r.questions).await.map_err(refused)?;
        }
    }
    let mut questions: Vec<QuestionView> =
        results.map(|r| r.questions.iter().map(view::question).collect()).unwrap_or_default();
    for q in &mut questions {
        q.addresses = access.may_read_addresses(&q.id);
    }
    let context = context! {
        round: head,
        rates,
        filters,
        wijk: filter.wijk.as_deref().map(|w| labels.wijk(w)),
        rol: filter.role.as_deref().map(|r| labels.role(r)),
        respondents,
        questions,
        threshold: access.threshold().0,
        too_few: crate::results::TOO_FEW,
        print,
        glance,
        // Free texts by question id, for the report; its lists refused when `null` there.
        texts: texts.as_ref().map(|t| t.iter().cloned().collect::<std::collections::BTreeMap<_, _>>()),
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
    let access = access(app, id, &member).await?;
    let filter = access.scope(wijk, rol);
    // A question whose texts are not for reading (`results = "count"` or `"hidden"`) has none.
    let readable = access.round().form.question(question).filter(|q| q.texts_readable());
    let label = readable.map(|q| q.label.nl.clone()).ok_or(Error::NotFound)?;
    let texts = access.free_text(&app.db, &filter, question).await.map_err(refused)?;
    let context = context! {
        round: view::head(&access).named(&Labels::of(&app.catalog.forms())),
        label,
        texts,
        // Shown for counts, but its list would give a small group away beside other lists.
        list_refused: access.disclosure().allows(&filter) && !access.lists(&filter),
        query: view::query(&filter),
        too_few: crate::results::TOO_FEW,
        account: super::results::account(&member),
    };
    Ok((Status::Ok, Template::render("werkgroep/free_text", context)))
}

/// The e-mail addresses given to an e-mail question of an identified round, with who gave them,
/// for the readers its form names (`read_by`); for anyone else, and in an anonymous round, not
/// there.
#[get("/werkgroep/ronde/<id>/e-mailadressen/<question>")]
async fn addresses(id: i64, question: &str, member: Member, app: &State<App>) -> Page {
    let access = access(app, id, &member).await?;
    let label = access.round().form.question(question).map(|q| q.label.nl.clone());
    let addresses = access.addresses(&app.db, question).await.map_err(refused)?;
    let (Some(label), Some(addresses)) = (label, addresses) else { return Err(Error::NotFound) };
    let context = context! {
        round: view::head(&access),
        label,
        addresses,
        account: super::results::account(&member),
    };
    Ok((Status::Ok, Template::render("werkgroep/addresses", context)))
}

/// A file to download: its bytes, its type and its `Content-Disposition`.
#[derive(Responder)]
pub(super) struct File(pub Vec<u8>, pub ContentType, pub Header<'static>);

pub(super) type Download = Result<File, Error>;

#[get("/werkgroep/ronde/<id>/grafiek/<question>/<format>?<wijk>&<rol>")]
async fn chart(
    id: i64,
    question: &str,
    format: &str,
    wijk: Option<String>,
    rol: Option<String>,
    member: Member,
    app: &State<App>,
) -> Download {
    let access = access(app, id, &member).await?;
    let filter = access.scope(wijk, rol);
    let result = access.question(&app.db, &filter, question).await.map_err(refused)?;
    let result = result.ok_or(Error::NotFound)?;
    let chart = figures::chart(&result).ok_or(Error::NotFound)?;
    let file = chart_file(&chart, &format!("ronde-{id}-{question}"), format)?;
    // A chart is a figure of the group's answers taken away: an export like any other file.
    let name = format!("grafiek {question}");
    let people = result.summary.answered();
    access.exported(&app.db, (&name, format), &filter, people).await.map_err(refused)?;
    Ok(file)
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

/// `antwoorden.csv`, `samenvatting.xlsx`, ...: whether the summary, and in which format.
fn download_name(name: &str) -> Option<(bool, Format)> {
    let (what, format) = name.split_once('.')?;
    let summary = match what {
        "antwoorden" => false,
        "samenvatting" => true,
        _ => return None,
    };
    Some((summary, Format::parse(format)?))
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
    let (summary, format) = download_name(name).ok_or(Error::NotFound)?;
    let access = access(app, id, &member).await?;
    let what = if summary { Export::Summary(access.scope(wijk, rol)) } else { Export::Responses };
    let file = access.export(&app.db, &what, format).await.map_err(refused)?;
    let content = match format {
        Format::Csv => ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        Format::Xlsx => {
            ContentType::new("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        }
    };
    Ok(File(file.bytes, content, attachment(&format!("ronde-{id}-{}", what.name()), format.extension())))
}
