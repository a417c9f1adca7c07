//! The contacts workload: the server time of `/beheer/contacten` over 10,000 contacts, unfiltered,
//! deep in the pages, searched, and filtered, as an administrator logged in over HTTP asks for it
//! again and again. The contacts come in through the real `peil contacts import`.

use std::fmt::Write as _;
use std::time::Instant;

use anyhow::bail;

use crate::backend::Backend;
use crate::client::Conn;
use crate::load::percentile;
use crate::respond::import_contacts;
use crate::results::log_in;
use crate::server::{Paths, run};
use crate::site::Site;

pub const CONTACTS: usize = 10_000;

/// What the coordinator asks for: the first page, page 100, a search, filters, a search with a
/// filter deep in its pages.
const QUERIES: [&str; 5] = [
    "",
    "?pagina=100",
    "?zoek=deelnemer+0999",
    "?rol=poh-ggz&wijk=noord&afgemeld=nee",
    "?zoek=praktijk+1&afgemeld=nee&pagina=5",
];

pub struct Query {
    pub query: &'static str,
    pub p50_ms: f64,
    pub p95_ms: f64,
}

pub struct Contacts {
    pub queries: Vec<Query>,
}

impl Contacts {
    pub fn table(&self) -> String {
        let mut text = String::from("| query | p50 | p95 |\n| --- | ---: | ---: |\n");
        for q in &self.queries {
            let _ = writeln!(text, "| `{}` | {:.1} ms | {:.1} ms |", display(q.query), q.p50_ms, q.p95_ms);
        }
        text
    }

    /// Every query under 100 ms at the median (the aim).
    pub fn target_met(&self) -> bool {
        self.queries.iter().all(|q| q.p50_ms < 100.0)
    }
}

fn display(query: &str) -> &str {
    if query.is_empty() { "/beheer/contacten" } else { query }
}

pub async fn run_workload(paths: &Paths, quick: bool, backend: &Backend) -> anyhow::Result<Contacts> {
    let requests = if quick { 10 } else { 50 };
    let site = Site::on(paths, "contacts", backend)?;
    crate::server::copy_files(&paths.repo.join("forms/lists"), &site.forms_dir().join("lists"))?;
    import_contacts(&site, CONTACTS)?;
    let link = run(site.command(&["user", "add", "bench@example.org", "--role", "admin"]))?;
    let (server, _) = site.serve().await?;
    let mut conn = Conn::new(server.addr);
    let cookie = log_in(&mut conn, &link).await?;
    let mut queries = Vec::new();
    for query in QUERIES {
        let path = format!("/beheer/contacten{query}");
        let mut times = Vec::new();
        for _ in 0..=requests {
            let started = Instant::now();
            let reply = conn.get_with_cookie(&path, &cookie).await?;
            times.push(started.elapsed());
            if reply.status != 200 || !reply.contains("contact") {
                bail!("{path} answered {}: {}", reply.status, reply.excerpt());
            }
        }
        // The first request warms the caches.
        times.remove(0);
        times.sort_unstable();
        queries.push(Query { query, p50_ms: percentile(&times, 0.50), p95_ms: percentile(&times, 0.95) });
    }
    Ok(Contacts { queries })
}
