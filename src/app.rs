//! The composition root: everything `peil serve` runs, wired in one place. `peil serve` and the
//! test harness both build the service here, so the tests run the wiring production runs: forms
//! and jobs checked, the template and static folders and the secret key checked, one pool, one
//! clock, the mail worker and the scheduler.
//!
//! People reach Rocket through the front (`crate::front`): the public address and port are bound
//! here, by the front, before the database is opened; Rocket listens on loopback, and the front
//! starts relaying on Rocket's liftoff.
//!
//! Nothing is written before the port is bound: the two background workers and the first-start
//! link start on Rocket's liftoff, which Rocket awaits before it serves. A second `peil serve` on
//! a taken port exits without opening a round, claiming a mail or replacing the first-start link.
//! Tests may instead drive the workers by hand (`Workers::ByHand`), a run or a tick at a time.

use std::sync::Arc;

use rocket::fairing::AdHoc;
use rocket::{Build, Rocket};

use crate::catalog::{Catalog, CatalogError};
use crate::db::Db;
use crate::forms::{Forms, FormsError};
use crate::front::{Front, Peers};
use crate::jobs::{Jobs, JobsError};
use crate::mail::{MailError, Mailer};
use crate::schedule::Scheduler;
use crate::settings::{Secret, Settings, SettingsError};
use crate::time::clock::SharedClock;

/// Who starts the mail worker and the scheduler's heartbeat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workers {
    /// Rocket's liftoff, once the port is bound: production.
    OnLiftoff,
    /// The caller, through `Service::mailer` and `Service::scheduler`: tests that step through
    /// time and mail one run at a time.
    ByHand,
}

/// Why the service did not start; each says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("{0}\npeil does not start with broken forms; fix them and run `peil check`.")]
    Forms(FormsError),
    #[error("{0}\npeil does not start with broken job files; fix them and run `peil check`.")]
    Jobs(JobsError),
    #[error(
        "the {what} folder {path} does not exist; run peil from its repository folder or set it in peil.toml"
    )]
    Folder { what: &'static str, path: String },
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error("opening the database: {0}")]
    Db(#[from] crate::db::DbError),
    #[error(transparent)]
    Key(#[from] crate::db::keycheck::KeyError),
    #[error("setting up mail: {0}")]
    Mail(#[from] MailError),
    #[error("cannot listen on {address}:{port}: {source}")]
    Listen { address: String, port: u16, source: std::io::Error },
}

/// The built service: the Rocket instance to launch, and the parts the test harness reaches into.
pub struct Service {
    pub rocket: Rocket<Build>,
    pub db: Db,
    /// The forms and jobs at start; `catalog` has the ones in use now.
    pub forms: Arc<Forms>,
    pub jobs: Arc<Jobs>,
    /// The forms and jobs in use, reloaded when their files change and all check.
    pub catalog: Catalog,
    pub secret: Secret,
    pub settings: Settings,
    pub clock: SharedClock,
    pub mailer: Arc<Mailer>,
    pub scheduler: Arc<Scheduler>,
}

/// Checks and wires everything `settings` describe, on `clock`.
pub async fn build(
    mut settings: Settings,
    clock: SharedClock,
    workers: Workers,
) -> Result<Service, StartError> {
    let catalog = Catalog::load(&settings.forms_dir, &settings.jobs_dir).map_err(|e| match e {
        CatalogError::Forms(e) => StartError::Forms(e),
        CatalogError::Jobs(e) => StartError::Jobs(e),
    })?;
    let (forms, jobs) = (catalog.forms(), catalog.jobs());
    for (what, dir) in [("templates", &settings.templates_dir), ("static files", &settings.static_dir)] {
        if !dir.is_dir() {
            return Err(StartError::Folder { what, path: dir.display().to_string() });
        }
    }
    // The public port first: a second instance on a taken port stops before it touches the database.
    let peers = Peers::default();
    let front = Front::bind(&settings, peers.clone()).await.map_err(|source| StartError::Listen {
        address: settings.address.clone(),
        port: settings.port,
        source,
    })?;
    let secret = settings.resolve_secret()?;
    let db = Db::connect(&settings.database_url).await?;
    crate::db::keycheck::check(&db, &secret, clock.now()).await?;
    let mailer = Arc::new(Mailer::with_catalog(
        db.clone(),
        &settings,
        secret.clone(),
        clock.clone(),
        catalog.clone(),
    )?);
    let scheduler = Arc::new(
        Scheduler::with_catalog(db.clone(), catalog.clone(), secret.clone(), clock.clone())
            .with_retention(crate::retention::Setup::of(&settings)),
    );
    let state = crate::web::App {
        db: db.clone(),
        catalog: catalog.clone(),
        scheduler: scheduler.clone(),
        mailer: mailer.clone(),
        settings: settings.clone(),
        secret: secret.clone(),
        seal: crate::responses::Seal::new(&secret),
        rounds: Default::default(),
        clock: clock.clone(),
        peers,
    };
    let base_url = settings.base_url.trim_end_matches('/').to_owned();
    let mut rocket = crate::web::build(state)
        .attach(first_start(db.clone(), clock.clone(), base_url))
        .attach(front.fairing());
    if workers == Workers::OnLiftoff {
        rocket = rocket.attach(background(mailer.clone(), scheduler.clone(), catalog.clone()));
    }
    Ok(Service { rocket, db, forms, jobs, catalog, secret, settings, clock, mailer, scheduler })
}

/// With no accounts yet, a one-time link for the first administrator, logged: the one place a
/// token is logged on purpose, since the operator needs it and it works once.
fn first_start(db: Db, clock: SharedClock, base_url: String) -> AdHoc {
    AdHoc::on_liftoff("first-start link", move |_| {
        Box::pin(async move {
            match crate::accounts::setup::first_start_link(&db, clock.now()).await {
                Ok(Some(path)) => tracing::warn!(
                    "no accounts yet: set the first administrator's password at {base_url}{path} (valid 24 hours)"
                ),
                Ok(None) => {}
                Err(e) => tracing::error!(error = %e, "could not make the first-start link"),
            }
        })
    })
}

/// The mail worker, the scheduler's heartbeat and the look at the form and job files, started
/// once the port is bound. Rocket awaits
/// liftoff before it serves, so the first tick (the catch-up after downtime) is done before the
/// first request is answered, as it was before the port was bound first.
fn background(mailer: Arc<Mailer>, scheduler: Arc<Scheduler>, catalog: Catalog) -> AdHoc {
    AdHoc::on_liftoff("mail worker and scheduler", move |rocket| {
        let shutdown = rocket.shutdown();
        Box::pin(async move {
            tracing::info!(transport = mailer.transport().describe(), "mail worker starts");
            mailer.spawn();
            let heartbeat = scheduler.start().await;
            let watcher = catalog.watch(crate::catalog::POLL);
            // Both stop when dropped: at shutdown.
            tokio::spawn(async move {
                shutdown.await;
                drop((heartbeat, watcher));
            });
        })
    })
}
