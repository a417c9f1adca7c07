//! The load both the respond and the floor workloads apply: `concurrency` keep-alive
//! connections, each taking the next unused link and sending a GET and then a POST of the
//! answers. One completed response is that pair; its latency is the time for both. With several
//! servers (instances on one database), connection `i` goes to server `i mod n`, as a
//! round-robin proxy would spread them.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::client::Conn;
use crate::server::{ChildGuard, cpu_seconds};

/// The concurrency levels and how many responses each sends.
pub fn plan(quick: bool) -> Vec<(usize, usize)> {
    if quick { vec![(1, 200), (8, 2000), (32, 2000)] } else { vec![(1, 1000), (8, 8000), (32, 8000)] }
}

/// What the thank-you page says; a 200 without it is not an acknowledged response.
pub const ACKNOWLEDGED: &str = "opgeslagen";

/// The result of one concurrency level.
#[derive(Clone, Debug)]
pub struct Level {
    pub concurrency: usize,
    pub count: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// The servers' CPU time (all threads of every instance, user + system) per response.
    pub cpu_ms: f64,
}

impl Level {
    pub fn to_json(&self) -> Value {
        json!({
            "concurrency": self.concurrency,
            "count": self.count,
            "per_second": round1(self.per_second),
            "p50_ms": round2(self.p50_ms),
            "p99_ms": round2(self.p99_ms),
            "server_cpu_ms": round2(self.cpu_ms),
        })
    }
}

pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The CPU time all `servers` have used so far, in seconds.
pub fn servers_cpu_seconds(servers: &[ChildGuard]) -> anyhow::Result<f64> {
    servers.iter().map(|server| cpu_seconds(server.pid())).sum()
}

/// Sends one GET+POST pair per path, `concurrency` at a time, and reads the servers' CPU time
/// around it. Any reply other than the expected one stops the level with an error: a benchmark
/// of failing requests measures nothing.
async fn run_level(
    servers: &[ChildGuard],
    paths: Vec<String>,
    body: Arc<Vec<u8>>,
    concurrency: usize,
) -> anyhow::Result<Level> {
    let count = paths.len();
    let paths = Arc::new(paths);
    let next = Arc::new(AtomicUsize::new(0));
    let cpu_before = servers_cpu_seconds(servers)?;
    let started = Instant::now();
    let workers: Vec<_> = (0..concurrency)
        .map(|i| {
            let addr = servers[i % servers.len()].addr;
            tokio::spawn(worker(addr, paths.clone(), body.clone(), next.clone()))
        })
        .collect();
    let mut latencies = Vec::with_capacity(count);
    for worker in workers {
        latencies.extend(worker.await.context("a client task panicked")??);
    }
    let elapsed = started.elapsed();
    let cpu = servers_cpu_seconds(servers)? - cpu_before;
    latencies.sort_unstable();
    Ok(Level {
        concurrency,
        count,
        per_second: count as f64 / elapsed.as_secs_f64(),
        p50_ms: percentile(&latencies, 0.50),
        p99_ms: percentile(&latencies, 0.99),
        cpu_ms: cpu * 1000.0 / count as f64,
    })
}

async fn worker(
    addr: SocketAddr,
    paths: Arc<Vec<String>>,
    body: Arc<Vec<u8>>,
    next: Arc<AtomicUsize>,
) -> anyhow::Result<Vec<Duration>> {
    let mut conn = Conn::new(addr);
    let mut latencies = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(path) = paths.get(i) else { return Ok(latencies) };
        let started = Instant::now();
        let (page, opened) = conn.open_link(path).await.with_context(|| format!("GET {path}"))?;
        if page.status != 200 {
            bail!("GET {path}: status {}, expected 200:\n{}", page.status, page.excerpt());
        }
        // Where a browser posts: the page's own address, with the link's cookie.
        let reply = conn.post_to(&opened, &body).await.with_context(|| format!("POST {path}"))?;
        if reply.status != 200 || !reply.contains(ACKNOWLEDGED) {
            bail!(
                "POST {path}: status {}, expected 200 with “{ACKNOWLEDGED}”:\n{}",
                reply.status,
                reply.excerpt()
            );
        }
        latencies.push(started.elapsed());
    }
}

/// The nearest-rank percentile of sorted latencies, in milliseconds.
pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

/// Runs every level of the plan against `servers`, each on its own slice of fresh paths.
pub async fn run_plan(
    servers: &[ChildGuard],
    mut paths: Vec<String>,
    body: &[u8],
    plan: &[(usize, usize)],
) -> anyhow::Result<Vec<Level>> {
    let body = Arc::new(body.to_vec());
    let mut levels = Vec::new();
    for &(concurrency, count) in plan {
        if paths.len() < count {
            bail!("{count} links needed for concurrency {concurrency}, {} left", paths.len());
        }
        let rest = paths.split_off(count);
        let level = run_level(servers, paths, body.clone(), concurrency).await?;
        println!(
            "  c={:<3} {:>6} responses  {:>8.1}/s  p50 {:>6.2} ms  p99 {:>6.2} ms  server CPU {:.2} ms/response",
            level.concurrency, level.count, level.per_second, level.p50_ms, level.p99_ms, level.cpu_ms
        );
        levels.push(level);
        paths = rest;
    }
    Ok(levels)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let sorted: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        assert_eq!(percentile(&sorted, 0.50), 50.0);
        assert_eq!(percentile(&sorted, 0.99), 99.0);
        assert_eq!(percentile(&sorted[..1], 0.99), 1.0);
        assert_eq!(percentile(&[], 0.5), 0.0);
    }
}
