//! Retention (issue 26): how long peil keeps what, declared and carried out. Forms and jobs
//! declare terms in `[retention]` ([`declared`]), `peil.toml` has the defaults ([`Defaults`]),
//! and [`Policy`] is what applies to a form's rounds, in Dutch for the pages that tell people.
//!
//! [`run`] carries the terms out, idempotently and on both backends: each round's step, and each
//! sweep by age, commits on its own, so a run that stops half-way loses nothing and the next one
//! finishes. A dry run does the same in one transaction it rolls back, so its counts are exactly
//! what a real run would remove. After a run that removed something the database files are
//! scrubbed ([`files`]): deleted must mean gone from the disk too. The scheduler's tick runs it
//! once a day ([`daily`]); `peil retention` and `/beheer/bewaartermijnen` by hand.

mod daily;
pub mod declared;
mod files;
mod overview;
mod policy;
mod report;
mod rounds;
mod sweep;
pub mod tallies;
mod term;

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::catalog::Loaded;
use crate::db::{Db, Write};
use crate::forms::{Form, FormKind};
use crate::rounds::RoundId;
use crate::settings::Settings;
pub use daily::{LastRun, by_hand, daily, expired_link, last_run};
pub use declared::{Declared, Identified};
pub use overview::{Line, Terms, terms};
pub use policy::{Defaults, Kind, Policy};
pub use report::Report;
pub use term::Term;

#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("round {0}: its form as it was opened does not read: {1}")]
    Snapshot(RoundId, serde_json::Error),
    #[error("a stored response does not read as answers: {0}")]
    Answers(serde_json::Error),
    #[error("mail: {0}")]
    Outbox(#[from] crate::outbox::OutboxError),
    #[error("registrations: {0}")]
    Signup(#[from] crate::signup::SignupError),
    #[error("the .eml files of the outbox folder: {0}")]
    MailFiles(std::io::Error),
}

/// What a run needs besides the database and the forms and jobs: the defaults and the folder
/// where mails without a relay are written.
#[derive(Clone, Debug)]
pub struct Setup {
    pub defaults: Defaults,
    pub mail_dir: PathBuf,
}

impl Setup {
    pub fn of(settings: &Settings) -> Setup {
        Setup { defaults: settings.retention.clone(), mail_dir: settings.data_dir.join("outbox") }
    }
}

/// The terms of the rounds `job` opens of `form` (or of rounds opened by hand, without a job).
pub fn policy(defaults: &Defaults, form: &Form, job: Option<&crate::jobs::Job>) -> Policy {
    let anonymous = job.and_then(|j| j.anonymous).unwrap_or(form.anonymous);
    let kind = match form.kind {
        FormKind::Signup => Kind::Signup,
        FormKind::Survey if anonymous => Kind::Anonymous,
        FormKind::Survey => Kind::Identified,
    };
    let declared = job.map_or_else(|| form.retention.clone(), |j| j.retention.over(&form.retention));
    Policy::of(defaults, &declared, kind)
}

/// One transaction per step, or, in a dry run, one for everything, rolled back at the end.
struct Steps<'a> {
    db: &'a Db,
    dry: Option<Write>,
    open: Option<Write>,
}

impl<'a> Steps<'a> {
    async fn new(db: &'a Db, dry_run: bool) -> Result<Steps<'a>, sqlx::Error> {
        let dry = if dry_run { Some(db.write().await?) } else { None };
        Ok(Steps { db, dry, open: None })
    }

    async fn tx(&mut self) -> Result<&mut Write, sqlx::Error> {
        let slot = if self.dry.is_some() { &mut self.dry } else { &mut self.open };
        if slot.is_none() {
            *slot = Some(self.db.write().await?);
        }
        // Filled just above; the borrow checker cannot carry that over an `insert` of its own.
        slot.as_mut().ok_or(sqlx::Error::PoolClosed)
    }

    async fn commit(&mut self) -> Result<(), sqlx::Error> {
        match self.open.take() {
            Some(open) => open.commit().await,
            None => Ok(()),
        }
    }
}

/// Carries out every term at `now` (see the module comment); with `dry_run`, changes nothing
/// and says what would go.
pub async fn run(
    db: &Db,
    set: &Loaded,
    setup: &Setup,
    now: DateTime<Utc>,
    dry_run: bool,
) -> Result<Report, RetentionError> {
    let mut steps = Steps::new(db, dry_run).await?;
    let mut report = Report::default();
    let closed = rounds::closed_rounds(steps.tx().await?, now).await?;
    steps.commit().await?;
    for round in &closed {
        one_round(&mut steps, set, setup, round, now, &mut report).await?;
    }
    sweeps(&mut steps, setup, now, &mut report).await?;
    report.mail_files = sweep::mail_files(&setup.mail_dir, setup.defaults.outbox.cutoff(now), dry_run)
        .map_err(RetentionError::MailFiles)?;
    drop(steps);
    if !dry_run {
        files::after_run(db, &report).await?;
    }
    Ok(report)
}

async fn one_round(
    steps: &mut Steps<'_>,
    set: &Loaded,
    setup: &Setup,
    round: &rounds::ClosedRound,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<(), RetentionError> {
    // The questions as the round asked them: the stored answers use its ids.
    let asked: Form =
        serde_json::from_str(&round.form_json).map_err(|e| RetentionError::Snapshot(round.id, e))?;
    let current = set.forms.get(&round.form_id).map(|f| f.as_ref()).unwrap_or(&asked);
    let job = round.job_id.as_deref().and_then(|id| set.jobs.get(id));
    let mut policy = policy(&setup.defaults, current, job);
    if round.anonymous != 0 {
        policy.kind = Kind::Anonymous;
    }
    let closed = round.closes_at.at();
    let before = report.total();
    let links_over = closed <= policy.links.cutoff(now);
    if links_over {
        let today = crate::time::amsterdam_date(now).to_string();
        let (links, drafts) = rounds::expire_links(steps.tx().await?, round.id, &today).await?;
        steps.commit().await?;
        (report.links, report.drafts) = (report.links + links, report.drafts + drafts);
    }
    if closed <= policy.responses.cutoff(now) {
        let (anonymised, removed) =
            rounds::identified_responses(steps.tx().await?, round, &asked, &policy).await?;
        steps.commit().await?;
        (report.anonymised, report.removed) = (report.anonymised + anonymised, report.removed + removed);
    }
    if policy.kind == Kind::Signup {
        let cutoff = policy.attendance.cutoff(now);
        let (seats, certificates) = rounds::attendance(steps.tx().await?, round.id, cutoff).await?;
        steps.commit().await?;
        (report.seats, report.certificates) = (report.seats + seats, report.certificates + certificates);
    }
    if links_over {
        report.invitations += rounds::invitations(steps.tx().await?, round.id).await?;
        steps.commit().await?;
    }
    let removed = report.total() - before;
    if removed > 0 {
        *report.per_form.entry(round.form_id.clone()).or_default() += removed;
    }
    Ok(())
}

async fn sweeps(
    steps: &mut Steps<'_>,
    setup: &Setup,
    now: DateTime<Utc>,
    report: &mut Report,
) -> Result<(), RetentionError> {
    let terms = &setup.defaults;
    report.outbox = sweep::outbox(steps.tx().await?, terms.outbox.cutoff(now)).await?;
    steps.commit().await?;
    let registrations =
        crate::signup::registration::remove_unconfirmed(steps.tx().await?, terms.registrations.cutoff(now))
            .await?;
    steps.commit().await?;
    report.registrations = registrations as u64;
    report.audit = sweep::audit(steps.tx().await?, terms.audit.cutoff(now)).await?;
    steps.commit().await?;
    report.attempts = sweep::attempts(steps.tx().await?, now).await?;
    steps.commit().await?;
    Ok(())
}
