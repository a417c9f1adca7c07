//! The mail worker: claims due outbox rows, checks each still makes sense, sends it, and records
//! the outcome right after its send. A crash between a send and its record leaves the row
//! `sending` until its lease (`mail_lease_seconds`) runs out, and then it is sent again, with the
//! same Message-ID: at most the messages in flight can arrive twice, never a whole batch. Each
//! send first renews its claim, so a batch that outlasts the lease is not sent twice either.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use lettre::Message;
use lettre::message::Mailbox;

use super::backoff::backoff;
use super::message::{self, Attached, BuildError, Envelope};
use super::render::{Letter, SeatLetter, Templates};
use super::rows::{self, Details};
use super::transport::{SendError, Transport};
use super::{MailError, Status};
use crate::catalog::Catalog;
use crate::db::Db;
use crate::jobs::MailTexts;
use crate::organisation::Contact;
use crate::outbox::{self, Claimed};
use crate::rounds::InvitationToken;
use crate::settings::{Secret, Settings};
use crate::time::clock::SharedClock;

/// Rows claimed at a time: at the default rate a batch takes a few seconds, well inside the
/// default lease (and each send renews its claim).
const BATCH: i64 = 50;

/// What one run did with the rows it claimed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    pub sent: u32,
    pub retried: u32,
    pub failed: u32,
    pub cancelled: u32,
}

impl Delivery {
    pub fn total(&self) -> u32 {
        self.sent + self.retried + self.failed + self.cancelled
    }
}

/// Where a job's own mail texts come from.
enum JobTexts {
    /// A map made once (tests, tools).
    Fixed(Arc<HashMap<String, MailTexts>>),
    /// The jobs in use, read at each send, so a changed job file is followed without a restart.
    Live(Catalog),
}

impl JobTexts {
    fn of(&self, job: &str) -> Option<MailTexts> {
        match self {
            JobTexts::Fixed(map) => map.get(job).cloned(),
            JobTexts::Live(catalog) => catalog.jobs().get(job).map(|j| j.mail.clone()),
        }
    }
}

pub struct Mailer {
    db: Db,
    transport: Transport,
    /// Each job's own subjects and texts; rounds opened by hand use the templates.
    texts: JobTexts,
    templates: Templates,
    base_url: String,
    from: Mailbox,
    /// The organisation as the mails' contact line names it.
    contact: Contact,
    pace: Duration,
    poll: Duration,
    concurrency: usize,
    /// How long a claim holds (`mail_lease_seconds`).
    lease: chrono::Duration,
    secret: Secret,
    clock: SharedClock,
    /// Who issues the certificates of attendance the mails carry.
    issuer: crate::certificates::Issuer,
}

impl Mailer {
    /// The mailer `settings` describe, with SMTP or `.eml` files as `smtp_url` says.
    pub fn new(
        db: Db,
        settings: &Settings,
        secret: Secret,
        clock: SharedClock,
        texts: Arc<HashMap<String, MailTexts>>,
    ) -> Result<Mailer, MailError> {
        Mailer::build(db, settings, secret, clock, JobTexts::Fixed(texts))
    }

    /// The mailer on the shared catalog: a job's texts as its file says now, without a restart.
    pub fn with_catalog(
        db: Db,
        settings: &Settings,
        secret: Secret,
        clock: SharedClock,
        catalog: Catalog,
    ) -> Result<Mailer, MailError> {
        Mailer::build(db, settings, secret, clock, JobTexts::Live(catalog))
    }

    fn build(
        db: Db,
        settings: &Settings,
        secret: Secret,
        clock: SharedClock,
        texts: JobTexts,
    ) -> Result<Mailer, MailError> {
        let from = super::sender(settings)?;
        Ok(Mailer {
            transport: Transport::from_settings(settings)?,
            templates: Templates::load(&settings.templates_dir)?,
            base_url: settings.base_url.trim_end_matches('/').to_string(),
            from,
            contact: settings.organisation.contact(),
            pace: Duration::from_secs(1) / settings.mail_per_second.max(1),
            poll: Duration::from_millis(settings.mail_poll_ms.max(10)),
            concurrency: usize::try_from(settings.mail_concurrency.max(1)).unwrap_or(1),
            lease: chrono::Duration::seconds(
                i64::try_from(settings.mail_lease_seconds.max(1)).unwrap_or(300),
            ),
            issuer: crate::certificates::Issuer::of(settings),
            db,
            texts,
            secret,
            clock,
        })
    }

    pub fn transport(&self) -> &Transport {
        &self.transport
    }

    pub(super) fn base_url(&self) -> &str {
        &self.base_url
    }

    pub(super) fn templates(&self) -> &Templates {
        &self.templates
    }

    /// The name mails are signed with: the sender's display name, else its address.
    pub(super) fn contact(&self) -> &Contact {
        &self.contact
    }

    pub(super) fn sender(&self) -> String {
        super::render::signature(&self.from)
    }

    /// Claims the due rows and settles each one, `concurrency` at a time. The first goes alone:
    /// with the relay gone, the rest of the batch learns it from one attempt instead of each
    /// waiting on its own timeout.
    pub async fn run_once(&self) -> Result<Delivery, MailError> {
        let claimed = outbox::claim(&self.db, self.clock.now(), self.lease, BATCH).await?;
        let mut delivery = Delivery::default();
        let mut unreachable: Option<String> = None;
        let mut next_start = tokio::time::Instant::now();
        let split = claimed.len().min(1);
        let groups = std::iter::once(&claimed[..split]).chain(claimed[split..].chunks(self.concurrency));
        for group in groups.filter(|g| !g.is_empty()) {
            let outcomes = match &unreachable {
                Some(reason) => {
                    let mut outcomes = Vec::new();
                    for row in group {
                        outcomes.push(self.temporary(row, reason).await);
                    }
                    outcomes
                }
                None => {
                    // Pacing per group: k mails now, then k / rate seconds before the next.
                    // Only when needed: tokio's timer rounds even a past deadline up to 1 ms.
                    if next_start > tokio::time::Instant::now() {
                        tokio::time::sleep_until(next_start).await;
                    }
                    next_start =
                        tokio::time::Instant::now() + self.pace * u32::try_from(group.len()).unwrap_or(1);
                    futures_util::future::join_all(group.iter().map(|row| self.deliver(row))).await
                }
            };
            for outcome in outcomes {
                match outcome? {
                    Outcome::Sent => delivery.sent += 1,
                    Outcome::Cancelled => delivery.cancelled += 1,
                    Outcome::Failed => delivery.failed += 1,
                    Outcome::TakenOver => {}
                    Outcome::Retried { unreachable: gone } => {
                        delivery.retried += 1;
                        unreachable = unreachable.or(gone);
                    }
                }
            }
        }
        Ok(delivery)
    }

    /// Runs the worker until the process ends: a run, then a short pause unless the run was full.
    pub fn spawn(self: Arc<Self>) -> tokio::task::JoinHandle<()> {
        tokio::spawn(async move {
            loop {
                match self.run_once().await {
                    Ok(delivery) if delivery.total() > 0 => {
                        tracing::info!(
                            sent = delivery.sent,
                            retried = delivery.retried,
                            failed = delivery.failed,
                            cancelled = delivery.cancelled,
                            "mail run"
                        );
                        if i64::from(delivery.total()) >= BATCH {
                            continue;
                        }
                    }
                    Ok(_) => {}
                    Err(e) => tracing::error!(error = %e, "mail run failed; trying again"),
                }
                tokio::time::sleep(self.poll).await;
            }
        })
    }

    async fn deliver(&self, row: &Claimed) -> Result<Outcome, MailError> {
        let now = self.clock.now();
        let Some(details) = rows::details(self.db.read(), row.id).await? else {
            return self.settle(row, Status::Failed, "the row has no invitation").await;
        };
        if row.kind.is_about_a_seat() && details.seat.is_none() {
            return self.settle(row, Status::Failed, "the row has no seat").await;
        }
        if let Some(reason) = super::obsolete::obsolete(row.kind, &details, now) {
            return self.settle(row, Status::Cancelled, reason).await;
        }
        let pdf = match super::certificate::attachment(&self.db, row.kind, &details, &self.issuer).await? {
            super::certificate::Pdf::Withdrawn => {
                return self.settle(row, Status::Cancelled, "the certificate was withdrawn").await;
            }
            super::certificate::Pdf::Broken => {
                return self.settle(row, Status::Failed, "the certificate cannot be built").await;
            }
            super::certificate::Pdf::None => None,
            super::certificate::Pdf::Built(bytes) => Some(bytes),
        };
        let (message, message_id) = match self.compose(row, &details, pdf, now) {
            Ok(composed) => composed,
            Err(Compose::Address) => return self.settle(row, Status::Failed, "invalid e-mail address").await,
            Err(Compose::Attachment) => {
                return self.settle(row, Status::Failed, "the calendar file or PDF cannot be attached").await;
            }
            Err(Compose::Mail(e)) => return Err(e),
        };
        if !outbox::renew(&self.db, row, self.clock.now() + self.lease).await? {
            tracing::info!(outbox = %row.id, "mail taken over by another worker after its lease ran out");
            return Ok(Outcome::TakenOver);
        }
        match self.transport.send(message).await {
            Ok(()) => {
                outbox::mark_sent(&self.db, row.id, &message_id, self.clock.now()).await?;
                tracing::info!(outbox = %row.id, kind = row.kind.as_str(), "mail sent");
                Ok(Outcome::Sent)
            }
            Err(SendError::Permanent(reason)) => self.settle(row, Status::Failed, &reason).await,
            Err(SendError::Temporary { reason, connection }) => {
                // Logged for the mail that was tried; the rest of an unreachable batch only
                // shows in the run's summary.
                tracing::warn!(outbox = %row.id, attempt = row.attempts, error = %reason, "mail not sent; will retry");
                let outcome = self.temporary(row, &reason).await?;
                Ok(match outcome {
                    Outcome::Retried { .. } => Outcome::Retried { unreachable: connection.then_some(reason) },
                    other => other,
                })
            }
        }
    }

    /// Schedules the next attempt, or gives up after the last one.
    async fn temporary(&self, row: &Claimed, reason: &str) -> Result<Outcome, MailError> {
        let now = self.clock.now();
        match backoff(row.attempts) {
            Some(wait) => {
                outbox::retry_at(&self.db, row.id, now + wait, reason).await?;
                Ok(Outcome::Retried { unreachable: None })
            }
            None => {
                let reason = format!("gave up after {} attempts: {reason}", row.attempts);
                self.settle(row, Status::Failed, &reason).await
            }
        }
    }

    async fn settle(&self, row: &Claimed, status: Status, reason: &str) -> Result<Outcome, MailError> {
        outbox::finish(&self.db, row.id, status, reason, self.clock.now()).await?;
        if status == Status::Failed {
            tracing::warn!(outbox = %row.id, kind = row.kind.as_str(), error = reason, "mail failed");
            Ok(Outcome::Failed)
        } else {
            tracing::info!(outbox = %row.id, kind = row.kind.as_str(), reason, "mail cancelled");
            Ok(Outcome::Cancelled)
        }
    }

    /// The message with its personal link, derived again from the nonce and the secret key.
    fn compose(
        &self,
        row: &Claimed,
        details: &Details,
        pdf: Option<Vec<u8>>,
        now: DateTime<Utc>,
    ) -> Result<(Message, String), Compose> {
        let address = details.email.parse().map_err(|_| Compose::Address)?;
        let to = Mailbox::new(Some(super::render::isolated_name(&details.name)), address);
        let token = InvitationToken::derive(&self.secret, &details.nonce);
        let link = format!("{}/r/{}", self.base_url, token.as_str());
        let unsubscribe = format!("{link}/afmelden");
        let privacy =
            format!("{}{}", self.base_url, crate::privacy::link(&details.form_id, details.anonymous));
        let sender = self.sender();
        let domain = self.from.email.domain();
        let facts = details.seat.as_ref();
        let page = facts.map(|seat| format!("{link}/plaats/{}", seat.id));
        let seat_and_page = facts.zip(page.as_deref());
        let calendar = seat_and_page
            .and_then(|(seat, page)| super::calendar::for_seat(row.kind, seat, page, domain, now));
        let letter = Letter {
            kind: row.kind,
            name: &details.name,
            title: &details.title,
            closes_at: details.closes_at,
            anonymous: details.anonymous,
            signup: details.signup,
            link: &link,
            unsubscribe: &unsubscribe,
            privacy: &privacy,
            sender: &sender,
            contact: &self.contact,
            seat: seat_and_page.map(|(facts, page)| SeatLetter { facts, page, calendar: calendar.is_some() }),
            now,
            notice: details.notice.as_ref().map(|(subject, body)| (subject.as_str(), body.as_str())),
        };
        let texts = details.job_id.as_ref().and_then(|job| self.texts.of(job));
        let rendered = self.templates.render(&letter, texts.as_ref()).map_err(Compose::Mail)?;
        let message_id = self.message_id(row.id, domain);
        let envelope = Envelope {
            from: &self.from,
            to,
            message_id: message_id.clone(),
            date: now,
            unsubscribe: row.kind.follows_opt_out().then_some(unsubscribe.as_str()),
        };
        let attached = match pdf {
            Some(bytes) => Some(Attached::Pdf("bewijs-van-deelname.pdf", bytes)),
            None => calendar.map(Attached::Calendar),
        };
        let message = message::build(envelope, rendered, attached).map_err(|e| match e {
            BuildError::Message(_) => Compose::Address,
            BuildError::Attachment => Compose::Attachment,
        })?;
        Ok((message, message_id))
    }
}

impl Mailer {
    /// The same for every attempt at one outbox row, so that a mail sent again after a crash
    /// carries the Message-ID of the copy that may have arrived, and mail programs drop the
    /// second. The HMAC keeps ids of different databases apart and reveals nothing.
    fn message_id(&self, id: super::OutboxId, domain: &str) -> String {
        let mac = crate::crypto::hmac_b64(self.secret.expose(), &format!("peil message-id {id}"));
        format!("<peil.{id}.{}@{domain}>", &mac[..16])
    }
}

enum Outcome {
    Sent,
    Cancelled,
    Failed,
    /// The claim ran out before the send and another worker holds the row now.
    TakenOver,
    /// `unreachable` carries the reason when the relay itself is gone.
    Retried {
        unreachable: Option<String>,
    },
}

enum Compose {
    /// The address, or the message built around it, cannot be sent anywhere.
    Address,
    /// The calendar file did not fit into the message (its type and encoding are fixed, so this
    /// would be a bug, reported on the row rather than retried).
    Attachment,
    Mail(MailError),
}
