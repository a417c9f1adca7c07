//! The respond workload: the real `peil serve` on a fresh database (a SQLite file, or a
//! PostgreSQL database with one or more instances on it), set up through the real CLI (contacts
//! import, round open, round links), then people answering the bench form by their personal
//! links. Afterwards the stored responses are counted against the acknowledged ones, and the
//! server's memory is read.

use std::fmt::Write as _;

use anyhow::{Context, bail};
use serde_json::{Value, json};

use crate::backend::Target;
use crate::load::{self, Level};
use crate::server::{Paths, copy_files, logs_tail, peak_rss_mib, run};
use crate::site::Site;

/// All ten answers of `benches/forms/bench.toml`, as a browser posts the page's "send" button.
pub const ANSWERS: &str = "_page=0&_nav=submit&wijk=noord&kanalen=telefoon&kanalen=email&tevreden=4\
    &stellingen.bereikbaar=4&stellingen.snel=3&stellingen.duidelijk=5&overleg=ja&patienten=120\
    &wachttijd=2%2C5&laatste_overleg=2026-01-15&functie=Huisarts+in+een+duopraktijk\
    &opmerking=Korte+lijnen+met+het+wijkteam%2C+maar+de+wachttijd+voor+een+eerste+gesprek+is+lang.";

/// Values from forms/lists/rollen.toml and wijken.toml; the import refuses anything else.
const ROLES: [&str; 3] = ["huisarts", "poh-ggz", "vs-ggz"];
const WIJKEN: [&str; 8] = ["centrum", "noord", "oost", "zuid", "west", "haven", "beekdal", "dorpen"];

/// Whether the round keeps who answered: anonymous responses are stored apart from their
/// invitation (and on PostgreSQL mixed), which the identified path does not pay for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Linkage {
    Identified,
    Anonymous,
}

pub struct Respond {
    pub levels: Vec<Level>,
    pub verified: bool,
    pub stored: i64,
    /// Of the first instance.
    pub idle_rss_mib: f64,
    /// The highest of the instances'.
    pub peak_rss_mib: f64,
}

impl Respond {
    pub fn to_json(&self) -> Value {
        json!({
            "levels": self.levels.iter().map(Level::to_json).collect::<Vec<_>>(),
            "verified": self.verified,
            "stored_responses": self.stored,
            "idle_rss_mb": load::round1(self.idle_rss_mib),
            "peak_rss_mb": load::round1(self.peak_rss_mib),
        })
    }
}

pub async fn run_workload(
    paths: &Paths,
    plan: &[(usize, usize)],
    target: &Target,
    linkage: Linkage,
) -> anyhow::Result<Respond> {
    let site = Site::on(paths, "respond", &target.backend)?;
    install_form(paths, &site)?;
    let total: usize = plan.iter().map(|(_, count)| count).sum();
    let links = open_round(&site, total, linkage)?;
    let servers = site.serve_many(target.instances, &[]).await?;
    // Let start-up work (migrations, template compilation) settle before reading idle memory.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let (idle_rss_mib, _) = servers[0].rss_mib()?;
    let levels = load::run_plan(&servers, links, ANSWERS.as_bytes(), plan)
        .await
        .with_context(|| format!("peil's log ends with:\n{}", logs_tail(&servers)))?;
    let peak_rss_mib = peak_rss_mib(&servers)?;
    let url = site.database_url();
    let stored = crate::db::count(&url, "SELECT COUNT(*) FROM responses").await?;
    let answered = crate::db::count(&url, "SELECT COUNT(*) FROM invitations WHERE answered = 1").await?;
    // An anonymous round releases its responses five at a time (min_group_size): up to four may
    // still wait, sealed, in its pool; every acknowledged one has its invitation marked answered.
    let waiting = match linkage {
        Linkage::Identified => 0,
        Linkage::Anonymous => crate::db::count(&url, "SELECT COUNT(*) FROM anonymous_pool").await?,
    };
    let complete = answered == total as i64
        && (stored == total as i64 || (waiting == 1 && (total as i64 - stored) < 5 && stored < total as i64));
    if !complete {
        bail!("{total} responses were acknowledged but {answered} marked answered, {stored} stored");
    }
    Ok(Respond { levels, verified: true, stored, idle_rss_mib, peak_rss_mib })
}

/// The bench form and the shipped lists in the site's forms folder, checked by `peil check`.
pub fn install_form(paths: &Paths, site: &Site) -> anyhow::Result<()> {
    std::fs::copy(paths.repo.join("benches/forms/bench.toml"), site.forms_dir().join("bench.toml"))?;
    copy_files(&paths.repo.join("forms/lists"), &site.forms_dir().join("lists"))?;
    run(site.command(&["check"])).context("the bench form does not pass `peil check`")?;
    Ok(())
}

/// Imports `count` contacts, opens one round for all of them and returns their link paths.
fn open_round(site: &Site, count: usize, linkage: Linkage) -> anyhow::Result<Vec<String>> {
    import_contacts(site, count)?;
    let round = open(site, linkage)?;
    links(site, &round, count)
}

/// The link paths (`/r/...`) of a round's `count` invited people, as `peil round links` prints them.
pub fn links(site: &Site, round: &str, count: usize) -> anyhow::Result<Vec<String>> {
    let listed = run(site.command(&["round", "links", round]))?;
    let base = format!("http://{}", site.addr);
    let links: Vec<String> = listed
        .lines()
        .filter_map(|line| line.split('\t').nth(2))
        .filter_map(|url| url.strip_prefix(&base).map(str::to_string))
        .collect();
    if links.len() != count {
        bail!("{count} contacts imported but `peil round links` printed {} links", links.len());
    }
    Ok(links)
}

/// Imports `count` contacts and opens one round of the bench form for all of them, which also
/// queues an invitation mail to each; returns the round's id.
pub fn invite(site: &Site, count: usize) -> anyhow::Result<String> {
    import_contacts(site, count)?;
    open(site, Linkage::Identified)
}

/// Opens one round of the bench form for every contact; returns the round's id.
fn open(site: &Site, linkage: Linkage) -> anyhow::Result<String> {
    let closes =
        (chrono::Local::now().date_naive() + chrono::Duration::days(30)).format("%Y-%m-%d").to_string();
    let mut args = vec!["round", "open", "--form", "bench", "--closes", &closes];
    if linkage == Linkage::Anonymous {
        args.push("--anonymous");
    }
    round_id(&run(site.command(&args))?)
}

/// Imports `count` generated contacts through `peil contacts import`.
pub fn import_contacts(site: &Site, count: usize) -> anyhow::Result<()> {
    let csv = site.dir().join("contacts.csv");
    std::fs::write(&csv, contacts_csv(count))?;
    run(site.command(&["contacts", "import", &csv.to_string_lossy()]))?;
    Ok(())
}

/// `round 3 opened: ...` gives `3`.
fn round_id(opened: &str) -> anyhow::Result<String> {
    let id = opened.strip_prefix("round ").and_then(|rest| rest.split_whitespace().next());
    id.map(str::to_string).with_context(|| format!("unexpected output of `peil round open`: {opened}"))
}

fn contacts_csv(count: usize) -> String {
    let mut csv = String::from("naam;e-mail;rol;praktijk;wijk;gemeente\n");
    for i in 0..count {
        let (role, wijk) = (ROLES[i % ROLES.len()], WIJKEN[i % WIJKEN.len()]);
        let _ = writeln!(
            csv,
            "Deelnemer {i:05};deelnemer{i:05}@bench.example;{role};Praktijk {};{wijk};Benchstad",
            i / 4
        );
    }
    csv
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_round_id_is_read_from_what_round_open_prints() {
        let printed = "round 12 opened: 3 invited, open until 23 december 2026\nprint the links with: ...\n";
        assert_eq!(super::round_id(printed).unwrap(), "12");
        assert!(super::round_id("no round").is_err());
    }

    #[test]
    fn generated_contacts_have_a_header_and_one_line_each() {
        let csv = super::contacts_csv(3);
        assert_eq!(csv.lines().count(), 4);
        assert!(csv.starts_with("naam;e-mail;rol;praktijk;wijk;gemeente\n"));
    }
}
