//! The printable report's own parts: the round at a glance (also on the round page), the free
//! texts under their questions, and the report as a PDF download.
//!
//! The PDF is made on the server with krilla (`crate::pdf`, as the certificates are), not by a
//! browser's print: a server has no browser to drive, and the same page printed by different
//! browsers breaks differently. The charts are the pages' own, drawn as vector graphics through
//! a plotters backend onto the PDF page (`pdf::chart`).

mod layout;

use rocket::http::ContentType;
use rocket::{Route, State, get, routes};

use super::auth::Member;
use super::results::{Download, File, access, attachment, refused};
use super::results_view::{self as view, QuestionView};
use super::{App, Error};
use crate::charts::Chart;
use crate::results::access::Access;
use crate::results::glance::{self, Glance};
use crate::results::labels::Labels;
use crate::results::load::{self, Invited};
use crate::results::{Filter, QuestionResult, figures};

pub fn routes() -> Vec<Route> {
    routes![pdf]
}

/// Free texts by question id, in form order; `None` when the group's lists may not be read.
pub(super) type Texts = Option<Vec<(String, Vec<String>)>>;

/// The glance at a group's results: response, changes since the job's previous round, the
/// lowest-scoring statements.
pub(super) async fn glance(
    app: &App,
    access: &Access,
    filter: &Filter,
    (respondents, results): (u64, &[QuestionResult]),
    invited: &Invited,
) -> Result<Glance, Error> {
    let configured = app.settings.min_group_size;
    let previous = glance::previous(&app.db, access.row(), filter, configured, app.now()).await?;
    let questions: Vec<_> = access.round().form.questions().collect();
    let counts = (respondents, invited.count(filter));
    Ok(Glance::new(&questions, results, counts, previous.as_ref()))
}

/// The filter in words for a heading, as people name the groups: "wijk Noord, rol Huisarts".
fn group(filter: &Filter, labels: &Labels) -> String {
    let wijk = filter.wijk.as_ref().map(|w| format!("wijk {}", labels.wijk(w)));
    let role = filter.role.as_ref().map(|r| format!("rol {}", labels.role(r)));
    wijk.into_iter().chain(role).collect::<Vec<_>>().join(", ")
}

#[get("/werkgroep/ronde/<id>/rapport.pdf?<wijk>&<rol>")]
async fn pdf(
    id: i64,
    wijk: Option<String>,
    rol: Option<String>,
    member: Member,
    app: &State<App>,
) -> Download {
    let access = access(app, id, &member).await?;
    let filter = access.scope(wijk, rol);
    let labels = Labels::of(&app.catalog.forms());
    let head = view::head(&access).named(&labels);
    let results = access.results(&app.db, &filter).await.map_err(refused)?;
    let people = results.as_ref().map_or(0, |r| r.respondents);
    let mut report = layout::Report {
        organisation: app.settings.organisation.name().map(str::to_owned),
        head,
        group: group(&filter, &labels),
        threshold: access.threshold().0,
        glance: None,
        questions: Vec::new(),
        texts: None,
    };
    if let Some(results) = results {
        let invited = load::invited(app.db.read(), access.siblings()).await?;
        let counts = (results.respondents, results.questions.as_slice());
        report.glance = Some(glance(app, &access, &filter, counts, &invited).await?);
        report.texts = access.free_texts(&app.db, &filter, &results.questions).await.map_err(refused)?;
        report.questions = results.questions.iter().map(pdf_question).collect();
    }
    let bytes = layout::write(&report)?;
    // The file leaves with the group's figures (and texts, each read recorded above): one export.
    access.exported(&app.db, ("rapport", "pdf"), &filter, people).await.map_err(refused)?;
    Ok(File(bytes, ContentType::PDF, attachment(&format!("rapport-ronde-{id}"), "pdf")))
}

/// A question's chart (without its title: the report sets the label itself) and its view.
fn pdf_question(result: &QuestionResult) -> (Option<Chart>, QuestionView) {
    let chart = figures::chart(result).map(|mut chart| {
        match &mut chart {
            Chart::Bars(c) => c.title.clear(),
            Chart::Diverging(c) => c.title.clear(),
            Chart::Histogram(c) => c.title.clear(),
            Chart::Trend(c) => c.title.clear(),
            Chart::Multiples(c) => c.title.clear(),
        }
        chart
    });
    (chart, view::question(result))
}
