//! The mail workload: a round of the bench form opened for 10,000 contacts (`--quick`: 2,000)
//! through the real CLI, which queues one invitation mail each in the outbox, and then the real
//! `peil serve` delivering them over plain SMTP to the bench's own sink on loopback, with the
//! rate limit out of the way and peil's default `mail_concurrency`. On PostgreSQL also with two
//! instances claiming from the one outbox. Timed from starting `peil serve` (start-up included,
//! tens of ms) to the sink accepting the last message. Afterwards the outbox must say `sent` for
//! every row, and the sink must hold exactly that many messages, to as many distinct recipients:
//! a message sent twice (by one instance or by both), or one marked sent but never received,
//! fails the run.

use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::backend::Target;
use crate::load::{round1, round2, servers_cpu_seconds};
use crate::respond::{install_form, invite};
use crate::server::{ChildGuard, Paths, logs_tail, peak_rss_mib};
use crate::site::Site;
use crate::smtp::Sink;

/// The aim from the issue.
pub const AIM_PER_SECOND: f64 = 1000.0;

/// No message for this long means the worker is stuck, not slow.
const STALL: Duration = Duration::from_secs(30);

pub struct Mail {
    pub messages: u64,
    pub seconds: f64,
    /// From starting `peil serve` to the first message: start-up and the first claim.
    pub first_ms: f64,
    pub per_second: f64,
    /// The highest of the instances'.
    pub peak_rss_mib: f64,
    /// The servers' CPU time (all threads of every instance, user + system) per message,
    /// start-up included.
    pub cpu_ms: f64,
    pub mean_bytes: f64,
    pub connections: u64,
    pub verified: bool,
}

impl Mail {
    pub fn to_json(&self) -> Value {
        json!({
            "messages": self.messages,
            "seconds": round2(self.seconds),
            "first_message_ms": round1(self.first_ms),
            "per_second": round1(self.per_second),
            "peak_rss_mb": round1(self.peak_rss_mib),
            "cpu_ms_per_message": round2(self.cpu_ms),
            "mean_message_bytes": self.mean_bytes.round(),
            "smtp_connections": self.connections,
            "verified": self.verified,
        })
    }
}

pub fn count(quick: bool) -> usize {
    if quick { 2_000 } else { 10_000 }
}

pub async fn run_workload(paths: &Paths, count: usize, target: &Target) -> anyhow::Result<Mail> {
    let sink = Sink::start().await?;
    // Plain SMTP: without `?tls=`, `smtp://` neither offers nor requires STARTTLS.
    let relay = Relay { label: "mail", smtp_url: format!("smtp://{}", sink.addr), settings: Vec::new() };
    deliver(paths, count, target, &sink, &relay).await
}

/// How peil reaches the sink: its `smtp_url` and any further `PEIL_` settings.
pub struct Relay {
    /// The name of the scratch folder.
    pub label: &'static str,
    pub smtp_url: String,
    pub settings: Vec<(&'static str, String)>,
}

/// `count` invitations queued by the CLI and delivered by `peil serve` to `sink` as `relay` says.
pub async fn deliver(
    paths: &Paths,
    count: usize,
    target: &Target,
    sink: &Sink,
    relay: &Relay,
) -> anyhow::Result<Mail> {
    let site = Site::on(paths, relay.label, &target.backend)?;
    install_form(paths, &site)?;
    invite(&site, count)?;
    let url = site.database_url();
    let queued = crate::db::count(&url, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'").await?;
    if queued != count as i64 {
        bail!("{count} contacts invited but the outbox holds {queued} pending mails");
    }
    let mut settings = vec![
        ("PEIL_SMTP_URL", relay.smtp_url.as_str()),
        ("PEIL_MAIL_PER_SECOND", "100000"),
        ("PEIL_MAIL_POLL_MS", "50"),
    ];
    settings.extend(relay.settings.iter().map(|(name, value)| (*name, value.as_str())));
    let started = Instant::now();
    let mut servers = site.serve_many(target.instances, &settings).await?;
    wait_for(sink, count as u64, &mut servers).await?;
    let (first, last) = sink.first_message().zip(sink.last_message()).context("the sink saw no message")?;
    let seconds = last.duration_since(started).as_secs_f64();
    let peak_rss_mib = peak_rss_mib(&servers)?;
    let cpu = servers_cpu_seconds(&servers)?;
    verify(sink, count, &url, &servers).await?;
    let messages = sink.messages();
    Ok(Mail {
        messages,
        seconds,
        first_ms: first.duration_since(started).as_secs_f64() * 1000.0,
        per_second: messages as f64 / seconds,
        peak_rss_mib,
        cpu_ms: cpu * 1000.0 / messages as f64,
        mean_bytes: sink.bytes() as f64 / messages as f64,
        connections: sink.connections(),
        verified: true,
    })
}

/// Waits until the sink holds `count` messages; fails when a server dies or they stall.
async fn wait_for(sink: &Sink, count: u64, servers: &mut [ChildGuard]) -> anyhow::Result<()> {
    let (mut seen, mut progress) = (0, Instant::now());
    while sink.messages() < count {
        for server in servers.iter_mut() {
            if let Some(status) = server.exited()? {
                bail!("peil exited ({status}) after {seen} of {count} mails:\n{}", server.log_tail());
            }
        }
        if sink.messages() > seen {
            (seen, progress) = (sink.messages(), Instant::now());
        } else if progress.elapsed() > STALL {
            bail!(
                "no mail for {STALL:?} after {seen} of {count}; peil's log ends with:\n{}",
                logs_tail(servers)
            );
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Ok(())
}

/// The outbox and the sink agree, and nothing arrives twice.
async fn verify(sink: &Sink, count: usize, url: &str, servers: &[ChildGuard]) -> anyhow::Result<()> {
    // A row is marked sent right after the sink's 250, so the last few may lag the count.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut sent = 0;
    while Instant::now() < deadline {
        sent = crate::db::count(url, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'").await?;
        if sent >= count as i64 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Long enough for a repeated send to show: the worker polls every 50 ms.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (received, distinct) = (sink.messages(), sink.distinct_recipients());
    if sent != count as i64 || received != count as u64 || distinct != count {
        bail!(
            "{count} mails queued: {sent} marked sent, {received} received, {distinct} distinct \
             recipients; peil's log ends with:\n{}",
            logs_tail(servers)
        );
    }
    Ok(())
}
