//! The web edge: Rocket routes, request guards, catchers and headers. Handlers parse the request,
//! call one domain function and render a template; the logic lives in the domain modules.

mod accessibility;
mod accreditation;
mod admin;
mod auth;
mod body;
mod certificates;
mod client;
mod error;
mod errors;
mod headers;
mod link;
mod overview_view;
mod privacy;
mod register;
mod report;
mod respond;
mod results;
mod results_view;
mod setup;
mod signup;
mod trends;
mod two_factor;
mod unsubscribe;
mod upload;
mod view;

use std::sync::Arc;

use rocket::config::LogLevel;
use rocket::fs::{FileServer, Options};
use rocket::serde::json::{Json, Value, json};
use rocket::{Build, Rocket, State, get, routes};
use rocket_dyn_templates::Template;

use crate::catalog::Catalog;
use crate::db::Db;
use crate::rounds::RoundCache;
use crate::schedule::Scheduler;
use crate::settings::{Secret, Settings};

pub use body::{BodyError, decode_urlencoded};
use error::Error;

/// Everything a request may need, managed by Rocket.
pub struct App {
    /// Reads through `db.read()`; every write in a `db.write()` transaction.
    pub db: Db,
    /// The forms and jobs in use (`catalog.forms()`), reloaded when their files change.
    pub catalog: Catalog,
    /// Starts jobs by hand from the jobs page, as `peil job start` does.
    pub scheduler: Arc<Scheduler>,
    /// Renders the jobs page's example mails with the templates the worker sends with.
    pub mailer: Arc<crate::mail::Mailer>,
    pub settings: Settings,
    pub secret: Secret,
    /// Seals drafts and waiting anonymous responses; derived from `secret`.
    pub seal: crate::responses::Seal,
    pub rounds: RoundCache,
    /// The only source of "now" for requests: tests move it instead of rewriting rows.
    pub clock: crate::time::clock::SharedClock,
    /// Which client each connection from the front carries (see `client`).
    pub peers: crate::front::Peers,
}

impl App {
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }
}

/// The Rocket instance for `app`, ready to launch (or to hand to a test client).
pub fn build(app: App) -> Rocket<Build> {
    let settings = &app.settings;
    let figment = rocket::Config::figment()
        // Rocket is reached through the front only (see `crate::front`), on a port of the system's
        // choosing; `settings.address` and `port` are the front's.
        .merge(("address", "127.0.0.1"))
        .merge(("port", 0))
        .merge(("secret_key", crate::crypto::cookie_key_hex(app.secret.expose())))
        .merge(("template_dir", settings.templates_dir.clone()))
        // Rocket's own request log prints paths, and paths hold personal tokens.
        .merge(("log_level", LogLevel::Off))
        // Forwarded addresses are believed from `trusted_proxies` only, by `client::of`.
        .merge(("ip_header", false))
        .merge(("cli_colors", false));
    let static_dir = settings.static_dir.clone();
    let security_headers = headers::SecurityHeaders::for_base_url(&settings.base_url);
    let contact = settings.organisation.contact();
    let templates = Template::custom(move |engines| {
        engines.tera.register_function("organisation", view::organisation(contact.clone()));
    });
    // The dummy hash that unknown addresses are checked against, made before the first login.
    crate::accounts::warm_up();
    rocket::custom(figment)
        .manage(app)
        .mount("/", routes![health, home])
        .mount("/", accessibility::routes())
        .mount("/", privacy::routes())
        .mount("/", link::routes())
        .mount("/", respond::routes())
        .mount("/", signup::routes())
        .mount("/", certificates::routes())
        .mount("/", accreditation::routes())
        .mount("/", register::routes())
        .mount("/", setup::routes())
        .mount("/", unsubscribe::routes())
        .mount("/", auth::routes())
        .mount("/", two_factor::routes())
        .mount("/", admin::routes())
        .mount("/", results::routes())
        .mount("/", report::routes())
        .mount("/", trends::routes())
        .mount("/static", FileServer::new(static_dir, Options::Missing | Options::NormalizeDirs))
        .register("/", errors::catchers())
        .register("/", auth::catchers())
        .attach(templates)
        .attach(security_headers)
        .attach(headers::RequestLog)
}

#[get("/health")]
async fn health(app: &State<App>) -> (rocket::http::Status, Json<Value>) {
    let db = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(app.db.read()).await.is_ok();
    let status = if db { rocket::http::Status::Ok } else { rocket::http::Status::ServiceUnavailable };
    let body = json!({
        "status": if db { "ok" } else { "unavailable" },
        "database": if db { "ok" } else { "unreachable" },
        "forms": app.catalog.forms().len(),
        "version": env!("CARGO_PKG_VERSION"),
    });
    (status, Json(body))
}

#[get("/")]
fn home() -> Template {
    Template::render("home", view::empty())
}
