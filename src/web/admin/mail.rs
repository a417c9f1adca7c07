//! `/beheer/mail`: how the mail is getting on. The whole outbox (waiting, with the relay's last
//! error and the next attempt; failed, with the reason), the rounds with mail, and per round
//! (`/beheer/mail/ronde/<id>`) the way from invitation to answer per wijk. A failed mail is put
//! back in the queue one at a time or a round's at once (`outbox::retry`, audited). The list of
//! failed mails names their addresses, so a page that shows any is in the access log.

use rocket::http::Status;
use rocket::{Route, State, get, post, routes};
use rocket_dyn_templates::{Template, context};
use serde::Serialize;

use crate::audit::{AuditAction, Entry};
use crate::outbox::{self, OutboxError, OutboxId, delivery};
use crate::results::load;
use crate::rounds::RoundId;
use crate::web::auth::{Admin, CsrfForm, NoFields};
use crate::web::{App, Error};

type Page = Result<(Status, Template), Error>;

/// Mails listed on a page; `peil outbox` and the database have the rest.
const LISTED: i64 = 100;
/// Rounds listed on `/beheer/mail`.
const ROUNDS: i64 = 200;

pub(super) fn routes() -> Vec<Route> {
    routes![overview, round_page, retry_one, retry_round]
}

/// `delivery::Summary` as the pages show it.
#[derive(Serialize)]
pub(super) struct MailSummary {
    waiting: u64,
    retrying: u64,
    failed: u64,
    last_error: Option<String>,
    next_attempt: Option<String>,
}

impl From<delivery::Summary> for MailSummary {
    fn from(s: delivery::Summary) -> MailSummary {
        MailSummary {
            waiting: s.waiting,
            retrying: s.retrying,
            failed: s.failed,
            last_error: s.last_error,
            next_attempt: s.next_attempt.map(crate::time::dutch),
        }
    }
}

/// A mail that waits after a failed attempt or failed for good.
#[derive(Serialize)]
pub(super) struct TroubleRow {
    id: i64,
    round: Option<i64>,
    kind: &'static str,
    status: &'static str,
    failed: bool,
    email: String,
    /// Whether `email` is someone's address (not "(geen contactpersoon)").
    #[serde(skip)]
    addressed: bool,
    attempts: u32,
    reason: String,
    /// The next attempt of a waiting mail; when a failed one was given up.
    at: String,
}

impl From<delivery::Trouble> for TroubleRow {
    fn from(t: delivery::Trouble) -> TroubleRow {
        TroubleRow {
            id: t.id.0,
            round: t.round.map(|r| r.0),
            kind: t.kind.label(),
            status: t.status.label(),
            failed: t.status == outbox::Status::Failed,
            addressed: t.email.is_some(),
            email: t.email.unwrap_or_else(|| "(geen contactpersoon)".to_owned()),
            attempts: t.attempts,
            reason: t.last_error.unwrap_or_default(),
            at: crate::time::dutch(t.at),
        }
    }
}

#[derive(Serialize)]
struct RoundRow {
    id: i64,
    title: String,
    opens: String,
    closes: String,
    invited: u64,
    waiting: u64,
    sent: u64,
    failed: u64,
}

#[derive(Serialize)]
struct FunnelRow {
    wijk: String,
    invited: u64,
    queued: u64,
    waiting: u64,
    sent: u64,
    failed: u64,
    cancelled: u64,
    answered: Option<u64>,
}

impl FunnelRow {
    fn from(f: delivery::Funnel, wijk: String) -> FunnelRow {
        FunnelRow {
            wijk,
            invited: f.invited,
            queued: f.queued,
            waiting: f.waiting,
            sent: f.sent,
            failed: f.failed,
            cancelled: f.cancelled,
            answered: f.answered,
        }
    }
}

/// What a page says above its lists after a retry: what was done, or why not.
#[derive(Default, Serialize)]
struct Outcome {
    notice: Option<String>,
    error: Option<String>,
}

/// The access-log entry for a page (`place`: "mail", "start", "mail ronde 3") that lists
/// `troubles`; none when no address is among them.
pub(super) async fn addresses_shown(
    app: &App,
    admin: &Admin,
    troubles: &[TroubleRow],
    place: &str,
) -> Result<(), sqlx::Error> {
    let shown = troubles.iter().filter(|t| t.addressed).count();
    if shown == 0 {
        return Ok(());
    }
    let actor = admin.actor();
    let entry = Entry::new(AuditAction::MailAddressesViewed, &actor, app.now());
    let entry = entry.about(format!("mail met een fout: {shown} adressen"));
    entry.detail(format!("pagina {place}")).log(&app.db).await
}

#[get("/beheer/mail")]
async fn overview(admin: Admin, app: &State<App>) -> Page {
    overview_page(&admin, app, Status::Ok, Outcome::default()).await
}

async fn overview_page(admin: &Admin, app: &App, status: Status, outcome: Outcome) -> Page {
    let pool = app.db.read();
    let summary = MailSummary::from(delivery::summary(pool).await?);
    let troubles: Vec<TroubleRow> =
        delivery::troubles(pool, None, LISTED).await?.into_iter().map(TroubleRow::from).collect();
    let rounds: Vec<RoundRow> = delivery::rounds(pool, app.now(), ROUNDS)
        .await?
        .into_iter()
        .map(|r| RoundRow {
            id: r.id.0,
            title: if r.part.is_empty() { r.title } else { format!("{} ({})", r.title, r.part) },
            opens: crate::time::dutch(r.opens_at),
            closes: crate::time::dutch(r.closes_at),
            invited: r.invited,
            waiting: r.waiting,
            sent: r.sent,
            failed: r.failed,
        })
        .collect();
    addresses_shown(app, admin, &troubles, "/beheer/mail").await?;
    let context = context! {
        mail: summary,
        troubles,
        rounds,
        outcome,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((status, Template::render("admin/mail", context)))
}

#[get("/beheer/mail/ronde/<id>")]
async fn round_page(id: i64, admin: Admin, app: &State<App>) -> Page {
    round_delivery(&admin, app, RoundId(id), Status::Ok, Outcome::default()).await
}

async fn round_delivery(admin: &Admin, app: &App, round: RoundId, status: Status, outcome: Outcome) -> Page {
    let pool = app.db.read();
    let Some(row) = load::one_round(pool, round).await? else { return Err(Error::NotFound) };
    let threshold = u64::from(app.settings.min_group_size.max(row.min_group_size.unwrap_or(0)));
    let (wijken, total) = delivery::of_round(pool, round, row.anonymous, threshold).await?;
    let hidden = wijken.iter().any(|w| w.answered.is_none());
    let wijken: Vec<FunnelRow> = wijken
        .into_iter()
        .map(|w| {
            let name = if w.wijk.is_empty() { "(geen wijk)".to_owned() } else { w.wijk.clone() };
            FunnelRow::from(w, name)
        })
        .collect();
    let total = FunnelRow::from(total, "Totaal".to_owned());
    let troubles: Vec<TroubleRow> =
        delivery::troubles(pool, Some(round), LISTED).await?.into_iter().map(TroubleRow::from).collect();
    let failed = troubles.iter().filter(|t| t.failed).count();
    addresses_shown(app, admin, &troubles, &format!("/beheer/mail/ronde/{round}")).await?;
    let context = context! {
        round: context! {
            id: round.0,
            title: if row.part.is_empty() { row.title.clone() } else { format!("{} ({})", row.title, row.part) },
            anonymous: row.anonymous,
            opens: crate::time::dutch(row.opens_at),
            closes: crate::time::dutch(row.closes_at),
            closed: row.is_closed(app.now()),
        },
        wijken,
        total,
        hidden,
        threshold,
        troubles,
        failed,
        outcome,
        account_email: &admin.email,
        csrf: admin.csrf(),
    };
    Ok((status, Template::render("admin/mail_round", context)))
}

/// A retry button's form: which page it was on (`ronde`, empty for `/beheer/mail`), to show again.
#[derive(rocket::FromForm)]
struct Back {
    ronde: Option<i64>,
}

#[post("/beheer/mail/<id>/opnieuw", data = "<form>")]
async fn retry_one(id: i64, admin: Admin, form: CsrfForm<Back>, app: &State<App>) -> Page {
    let back = form.fields.ronde.map(RoundId);
    let outcome = match outbox::retry(&app.db, OutboxId(id), Some(&admin.email), app.now()).await {
        Ok(()) => Ok(format!("Mail {id} staat weer klaar en wordt zo snel mogelijk verstuurd.")),
        Err(OutboxError::Unknown(_)) => {
            Err(format!("Mail {id} bestaat niet; er is niets opnieuw verstuurd."))
        }
        Err(OutboxError::NotFailed(_, status)) => Err(format!(
            "Mail {id} is niet mislukt (status: {}); er is niets opnieuw verstuurd.",
            status.label()
        )),
        Err(e) => return Err(e.into()),
    };
    let (status, outcome) = match outcome {
        Ok(notice) => (Status::Ok, Outcome { notice: Some(notice), error: None }),
        Err(error) => (Status::UnprocessableEntity, Outcome { notice: None, error: Some(error) }),
    };
    match back {
        Some(round) => round_delivery(&admin, app, round, status, outcome).await,
        None => overview_page(&admin, app, status, outcome).await,
    }
}

#[post("/beheer/mail/ronde/<id>/opnieuw", data = "<form>")]
async fn retry_round(id: i64, admin: Admin, form: CsrfForm<NoFields>, app: &State<App>) -> Page {
    let CsrfForm { fields: NoFields, .. } = form;
    let round = RoundId(id);
    if load::one_round(app.db.read(), round).await?.is_none() {
        return Err(Error::NotFound);
    }
    let again = outbox::retry_round(&app.db, round, Some(&admin.email), app.now()).await?;
    let outcome = match again {
        0 => Outcome {
            notice: None,
            error: Some("Deze ronde heeft geen mislukte mails; er is niets opnieuw verstuurd.".to_owned()),
        },
        n => Outcome {
            notice: Some(format!(
                "{n} mislukte mail(s) staan weer klaar en worden zo snel mogelijk verstuurd."
            )),
            error: None,
        },
    };
    let status = if again == 0 { Status::UnprocessableEntity } else { Status::Ok };
    round_delivery(&admin, app, round, status, outcome).await
}
