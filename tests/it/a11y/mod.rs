//! Accessibility, checked in a real Chromium: axe-core (WCAG 2.1 A and AA rules) on every
//! respondent and werkgroep page, the Nu Html Checker (`vnu`) on the same pages' HTML, a form
//! completed with the keyboard alone, and no sideways scrolling at 320 px and at 200% zoom.
//!
//! The tools come from npm (`package.json`, installed by `npm ci` into `node_modules/`). Without
//! them, or without chromedriver, the tests say that they skipped, unless `PEIL_REQUIRE_BROWSER`
//! is set (as CI does): then they fail. They run once, in the SQLite binary.

mod accreditation;
mod attendance;
mod beheer;
mod certificates;
mod contacts;
mod jobs;
mod keyboard;
mod organisation;
mod privacy;
mod respondent;
mod rounds;
mod sessions;
mod two_factor;
mod werkgroep;

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

use crate::browser::Browser;
use crate::helpers::repo;

/// The axe-core rule sets that make up WCAG 2.1 level AA.
const WCAG_TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']";

/// How a checked page's HTML is taken for the Nu Html Checker.
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Source {
    /// Fetched again from the server (for pages reached by a GET): the bytes as served.
    Served,
    /// The document as the browser holds it (for the answer to a POST, which a GET would not
    /// repeat).
    Dom,
}

/// Chromium plus the tools, and what each checked page showed.
pub(crate) struct Audit {
    pub browser: Browser,
    axe: String,
    dir: tempfile::TempDir,
    pages: Vec<(String, PathBuf)>,
    problems: Vec<String>,
    /// Violations of any impact, for the summary.
    seen: usize,
}

impl Audit {
    /// `None` (after saying why) when this machine lacks Chromium or the npm tools and CI did
    /// not ask for them; always `None` in the PostgreSQL binary.
    pub(crate) async fn start() -> Option<Audit> {
        if crate::pg::on_postgres() || !tools_installed() {
            return None;
        }
        let browser = Browser::start().await?;
        let axe = std::fs::read_to_string(repo("node_modules/axe-core/axe.min.js")).expect("axe.min.js");
        let dir = tempfile::tempdir().expect("temp dir");
        Some(Audit { browser, axe, dir, pages: vec![], problems: vec![], seen: 0 })
    }

    /// Runs axe on the page the browser shows and keeps its HTML for `vnu`, under `name`.
    pub(crate) async fn check(&mut self, name: &str, source: Source) {
        let title = self.browser.script("return document.title;").await;
        let name = &format!("{name} «{}»", title.as_str().unwrap_or_default());
        let client = self.browser.client();
        client.execute(&self.axe, vec![]).await.expect("axe loads");
        let run = format!(
            "const done = arguments[arguments.length - 1];
             axe.run(document, {{ runOnly: {{ type: 'tag', values: {WCAG_TAGS} }} }})
               .then(r => done(r.violations.map(v => ({{
                 id: v.id, impact: v.impact, help: v.help,
                 targets: v.nodes.map(n => n.target.join(' ')) }}))))
               .catch(e => done([{{ id: 'axe-error', impact: 'critical', help: String(e), targets: [] }}]));"
        );
        let violations = client.execute_async(&run, vec![]).await.expect("axe runs");
        let footer = "return !!document.querySelector('footer a[href=\"/toegankelijkheid\"]');";
        if self.browser.script(footer).await != serde_json::json!(true) {
            self.problems.push(format!("{name}: no link to /toegankelijkheid in the footer"));
        }
        for v in violations.as_array().expect("a list of violations") {
            let impact = v["impact"].as_str().unwrap_or_default();
            self.seen += 1;
            if impact == "serious" || impact == "critical" {
                self.problems.push(format!(
                    "axe, {name}: {} ({impact}): {}; at {}",
                    v["id"].as_str().unwrap_or_default(),
                    v["help"].as_str().unwrap_or_default(),
                    v["targets"]
                ));
            } else {
                eprintln!(
                    "a11y: {name}: {} ({impact}, not failing): {}; at {}",
                    v["id"].as_str().unwrap_or_default(),
                    v["help"].as_str().unwrap_or_default(),
                    v["targets"]
                );
            }
        }
        let html = match source {
            Source::Served => self.served_html().await,
            Source::Dom => {
                let dom = self.browser.script("return document.documentElement.outerHTML;").await;
                format!("<!DOCTYPE html>\n{}", dom.as_str().expect("html"))
            }
        };
        let file = self.dir.path().join(format!("{:02}-{}.html", self.pages.len(), slug(name)));
        std::fs::write(&file, html).expect("save the page");
        self.pages.push((name.to_owned(), file));
    }

    /// Clicks `css` and waits until the next page has loaded in its place.
    pub(crate) async fn click_through(&self, css: &str) {
        self.browser.script("window.__peilOldPage = true; return null;").await;
        self.browser.click(css).await;
        let loaded = "return !window.__peilOldPage && document.readyState === 'complete';";
        for _ in 0..200 {
            if self.browser.client().execute(loaded, vec![]).await.is_ok_and(|v| v == serde_json::json!(true))
            {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(25)).await;
        }
        panic!("clicking {css} loaded no new page");
    }

    /// Fails the test with every problem axe and `vnu` found, and the pages they were on.
    pub(crate) async fn finish(mut self) {
        self.problems.extend(validate(&self.pages));
        let names: Vec<&str> = self.pages.iter().map(|(n, _)| n.as_str()).collect();
        eprintln!(
            "a11y: checked {} pages ({} axe violations of any impact): {}",
            names.len(),
            self.seen,
            names.join(", ")
        );
        let problems = std::mem::take(&mut self.problems);
        self.browser.quit().await;
        assert!(problems.is_empty(), "{} accessibility problems:\n{}", problems.len(), problems.join("\n"));
    }

    /// The page the browser shows, fetched again with its cookies (the page's own CSP forbids
    /// `fetch`, rightly).
    async fn served_html(&self) -> String {
        let client = self.browser.client();
        let url = client.current_url().await.expect("the url");
        let cookies = client.get_all_cookies().await.expect("the cookies");
        let header: Vec<String> = cookies.iter().map(|c| format!("{}={}", c.name(), c.value())).collect();
        let response = reqwest::Client::new()
            .get(url.as_str())
            .header("cookie", header.join("; "))
            .send()
            .await
            .expect("GET the page again");
        response.text().await.expect("the body")
    }
}

/// Whether `node_modules` holds axe-core and vnu; a missing one fails under `PEIL_REQUIRE_BROWSER`.
pub(crate) fn tools_installed() -> bool {
    let wanted = ["node_modules/axe-core/axe.min.js", "node_modules/vnu-jar/build/dist/vnu.jar"];
    let missing: Vec<&str> = wanted.into_iter().filter(|p| !repo(p).exists()).collect();
    if missing.is_empty() {
        return true;
    }
    assert!(
        std::env::var_os("PEIL_REQUIRE_BROWSER").is_none(),
        "{} missing: run `npm ci --no-audit --no-fund` in the repository",
        missing.join(" and ")
    );
    eprintln!("skipped: {} missing (npm ci --no-audit --no-fund)", missing.join(" and "));
    false
}

/// One `vnu` run over every saved page (Java starts slowly); its errors, by page.
fn validate(pages: &[(String, PathBuf)]) -> Vec<String> {
    if pages.is_empty() {
        return vec![];
    }
    let output = Command::new("java")
        .arg("-jar")
        .arg(repo("node_modules/vnu-jar/build/dist/vnu.jar"))
        .args(["--errors-only", "--format", "json", "--stdout"])
        .args(pages.iter().map(|(_, file)| file))
        .output()
        .expect("java runs the Nu Html Checker");
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("vnu printed no JSON ({e}): {}", String::from_utf8_lossy(&output.stderr)));
    let messages = report["messages"].as_array().cloned().unwrap_or_default();
    messages
        .iter()
        .filter(|m| m["type"] == "error" || m["subType"] == "fatal")
        .map(|m| {
            let url = m["url"].as_str().unwrap_or_default();
            let page = pages
                .iter()
                .find(|(_, file)| url.ends_with(&*file.file_name().unwrap_or_default().to_string_lossy()))
                .map_or(url, |(name, _)| name.as_str());
            format!(
                "vnu, {page}, line {}: {} in {:?}",
                m["lastLine"],
                m["message"].as_str().unwrap_or_default(),
                m["extract"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

fn slug(name: &str) -> String {
    name.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect()
}

/// Logs the browser in on the login form as `email` (an account made with `PASSWORD`).
pub(crate) async fn log_in(browser: &Browser, url: &str, email: &str) {
    browser.client().goto(&format!("{url}/inloggen")).await.expect("the login page");
    browser.type_into("#email", email).await;
    browser.type_into("#password", crate::helpers::PASSWORD).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_text("Uitloggen").await;
}
