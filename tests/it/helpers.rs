//! The real app for tests: its own database (a SQLite file, or a PostgreSQL database in the
//! `postgres` binary), its own port, the real HTTP stack over loopback. Requests go through the
//! front (`peil::front`) on that port to Rocket on a loopback port of its own, as in `peil serve`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use peil::accounts::{self, Role};
use peil::app::Workers;
use peil::contacts::{self, ImportSummary, Vocabulary};
use peil::db::Pool;
use peil::forms::Forms;
use peil::mail::Mailer;
use peil::rounds::{self, Link, OpenRequest, RoundId};
use peil::schedule::Scheduler;
use peil::settings::{Secret, Settings};
use peil::time::clock::{Clock, ShiftedClock};

pub use crate::pg::TestDb;

pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

pub struct TestApp {
    pub url: String,
    /// The app's database handle: writes through it take the app's write turn.
    pub db: peil::db::Db,
    /// For the tests' own reads and raw writes (`app.db.read()`).
    pub pool: Pool,
    pub forms: Arc<Forms>,
    /// The forms and jobs in use, reloaded from their folders when those change.
    pub catalog: peil::catalog::Catalog,
    pub secret: Secret,
    pub settings: Settings,
    /// The app's clock: the real time, moved ahead by `clock.advance` where a test needs it.
    pub clock: Arc<ShiftedClock>,
    /// The service's own mail worker and scheduler, run by the test (`Workers::ByHand`).
    pub mailer: Arc<Mailer>,
    pub scheduler: Arc<Scheduler>,
    /// Follows no redirects, so tests see the 303 after each page; keeps cookies, as a browser
    /// that opened personal links does.
    pub client: reqwest::Client,
    /// Every route the app mounted, as Rocket lists them after ignition.
    pub routes: Vec<MountedRoute>,
    pub dir: tempfile::TempDir,
    shutdown: rocket::Shutdown,
    /// Last, so that it is dropped after everything else that holds the database.
    _db: TestDb,
}

/// A mounted route: its method and its URI pattern (`/beheer/rondes/<id>`, queries included).
#[derive(Clone, Debug)]
pub struct MountedRoute {
    pub method: rocket::http::Method,
    pub uri: String,
}

impl MountedRoute {
    fn of(route: &rocket::Route) -> MountedRoute {
        MountedRoute { method: route.method, uri: route.uri.to_string() }
    }

    /// A path that matches the pattern: every dynamic segment `1`, the query left out.
    pub fn example_path(&self) -> String {
        let path = self.uri.split('?').next().unwrap_or_default();
        let segments: Vec<&str> =
            path.split('/').map(|s| if s.starts_with('<') && s.ends_with('>') { "1" } else { s }).collect();
        segments.join("/")
    }
}

/// The settings of a test's app: its own folders under `dir`, its database, its port.
pub fn settings(forms_dir: &Path, dir: &Path, db: &TestDb, secret: Secret, port: u16) -> Settings {
    Settings {
        database_url: db.url.clone(),
        base_url: format!("http://127.0.0.1:{port}"),
        port,
        forms_dir: forms_dir.to_path_buf(),
        jobs_dir: dir.join("jobs"),
        data_dir: dir.join("data"),
        templates_dir: repo("templates"),
        static_dir: repo("static"),
        secret_key: Some(secret),
        min_group_size: 2,
        ..Settings::default()
    }
}

impl TestApp {
    /// The app with the shipped forms.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with_forms(&repo("forms")).await
    }

    pub async fn spawn_with_forms(forms_dir: &Path) -> TestApp {
        TestApp::spawn_fresh(forms_dir, |_| ()).await
    }

    /// The app with the shipped forms and settings changed by `tune` (`trusted_proxies`, say).
    pub async fn spawn_configured(tune: impl FnOnce(&mut Settings)) -> TestApp {
        TestApp::spawn_fresh(&repo("forms"), tune).await
    }

    async fn spawn_fresh(forms_dir: &Path, tune: impl FnOnce(&mut Settings)) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = TestDb::new(dir.path());
        TestApp::spawn_tuned(forms_dir, dir, db, Secret::new(peil::crypto::random_b64(48)), tune).await
    }

    /// The app on a database that may already hold data (a restored backup, say), with `secret`.
    /// It is built by the service's own composition root (`peil::app`), with no jobs unless the
    /// test writes them to `dir/jobs`, and mail written to files in `dir/data`.
    pub async fn spawn_on(forms_dir: &Path, dir: tempfile::TempDir, db: TestDb, secret: Secret) -> TestApp {
        TestApp::spawn_tuned(forms_dir, dir, db, secret, |_| ()).await
    }

    async fn spawn_tuned(
        forms_dir: &Path,
        dir: tempfile::TempDir,
        db: TestDb,
        secret: Secret,
        tune: impl FnOnce(&mut Settings),
    ) -> TestApp {
        let mut settings = settings(forms_dir, dir.path(), &db, secret, free_port());
        tune(&mut settings);
        let clock = ShiftedClock::new();
        let service =
            peil::app::build(settings, clock.clone(), Workers::ByHand).await.expect("the app builds");
        let rocket = service.rocket.ignite().await.expect("ignite");
        let routes = rocket.routes().map(MountedRoute::of).collect();
        let shutdown = rocket.shutdown();
        tokio::spawn(rocket.launch());
        let url = service.settings.base_url.clone();
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        wait_until_up(&client, &url).await;
        TestApp {
            url,
            pool: service.db.read().clone(),
            db: service.db,
            forms: service.forms,
            catalog: service.catalog,
            secret: service.secret,
            settings: service.settings,
            clock,
            mailer: service.mailer,
            scheduler: service.scheduler,
            client,
            routes,
            dir,
            shutdown,
            _db: db,
        }
    }

    /// What seals drafts and waiting anonymous responses, as the app's own.
    pub fn seal(&self) -> peil::responses::Seal {
        peil::responses::Seal::new(&self.secret)
    }

    /// The app's now.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// One run of the app's own mail worker: what is due goes out as its settings say (without
    /// SMTP, as `.eml` files in `data/outbox`).
    pub async fn deliver_pending_mail(&self) -> peil::mail::Delivery {
        self.mailer.run_once().await.expect("a mail run")
    }

    pub async fn import_contacts(&self, csv: &str) -> ImportSummary {
        let path = self.dir.path().join(format!("contacts-{}.csv", peil::crypto::random_b64(6)));
        std::fs::write(&path, csv).expect("write csv");
        let vocabulary =
            Vocabulary { roles: self.forms.list_pairs("rollen"), wijken: self.forms.list_pairs("wijken") };
        contacts::import_csv(&self.db, &path, &vocabulary, &self.secret, self.now()).await.expect("import")
    }

    /// Opens a round of `form` for everyone with `role` (any role when empty), closing in a week.
    pub async fn open_round(&self, form: &str, roles: &[&str], anonymous: bool) -> RoundId {
        let request = OpenRequest {
            form_id: form.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            wijken: vec![],
            gemeenten: vec![],
            practices: vec![],
            closes_at: self.now() + chrono::Duration::days(7),
            anonymous,
            occurrence: None,
        };
        rounds::open(&self.db, &self.forms, &self.secret, &request, self.now())
            .await
            .expect("open round")
            .round
    }

    pub async fn links(&self, round: RoundId) -> Vec<Link> {
        rounds::links(&self.pool, &self.secret, &self.url, round).await.expect("links")
    }

    /// The path of the first invited person's link (`/r/...`).
    pub async fn first_link(&self, round: RoundId) -> String {
        let url = self.links(round).await.remove(0).url;
        url.trim_start_matches(&self.url).to_string()
    }

    /// A GET as a person's browser does it: a personal link (`/r/...`) is exchanged for a cookie
    /// and a redirect to its page under `/antwoord/`, which is followed.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let mut response = self.client.get(format!("{}{path}", self.url)).send().await.expect("GET");
        if path.starts_with("/r/") && response.status() == 303 {
            let to = location(&response);
            assert!(to.starts_with("/antwoord/"), "a personal link leads to /antwoord/, not {to}");
            response = self.client.get(format!("{}{to}", self.url)).send().await.expect("GET");
        }
        (response.status().as_u16(), response.text().await.expect("body"))
    }

    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let response =
            self.client.post(format!("{}{path}", self.url)).form(fields).send().await.expect("POST");
        (response.status().as_u16(), response.text().await.expect("body"))
    }

    pub async fn post_raw(&self, path: &str, body: Vec<u8>) -> (u16, String) {
        let response = self
            .client
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .expect("POST");
        (response.status().as_u16(), response.text().await.expect("body"))
    }

    pub async fn count(&self, sql: &'static str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(&self.pool).await.expect("count")
    }
}

/// The `Location` of a redirect, or "" without one.
pub fn location(response: &reqwest::Response) -> String {
    response.headers().get("location").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// The password of every account made by `TestApp::create_user` and `TestApp::login_as`.
pub const PASSWORD: &str = "een lange zin als wachtwoord";

impl TestApp {
    /// An account with `PASSWORD`, made through the domain functions (link, then password). An
    /// address that already has an account is left as it is.
    pub async fn create_user(&self, email: &str, role: Role) {
        let path = match accounts::add_user(&self.db, email, role, None, self.now()).await {
            Ok(path) => path,
            Err(accounts::AccountsError::Duplicate) => return,
            Err(e) => panic!("add user: {e}"),
        };
        let token = path.trim_start_matches("/wachtwoord/");
        accounts::set_password(&self.db, token, PASSWORD, PASSWORD, self.now()).await.expect("password");
    }

    /// Logs in over HTTP as `email` (made with `role` first if new) and returns the browser.
    pub async fn login_as(&self, email: &str, role: Role) -> Session {
        self.create_user(email, role).await;
        let jar = Arc::new(reqwest::cookie::Jar::default());
        let client = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let response = client
            .post(format!("{}/inloggen", self.url))
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .expect("POST /inloggen");
        assert_eq!(response.status(), 303, "login as {email}");
        let mut session = Session { url: self.url.clone(), client, jar, csrf: String::new() };
        let token_hash = peil::crypto::sha256_hex(&session.cookie().expect("a session cookie"));
        session.csrf = sqlx::query_scalar("SELECT csrf_token FROM login_sessions WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_one(&self.pool)
            .await
            .expect("the session row");
        session
    }
}

/// A logged-in browser: keeps its cookies, follows no redirects.
pub struct Session {
    pub url: String,
    pub client: reqwest::Client,
    jar: Arc<reqwest::cookie::Jar>,
    csrf: String,
}

impl Session {
    /// The session's CSRF token, as its pages put it in their forms.
    pub fn csrf(&self) -> &str {
        &self.csrf
    }

    /// The value of the session cookie, while the browser holds one.
    pub fn cookie(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = self.url.parse().expect("url");
        let header = self.jar.cookies(&url)?;
        let header = header.to_str().ok()?;
        header.split("; ").find_map(|pair| pair.strip_prefix("peil_sessie=")).map(str::to_owned)
    }

    /// A GET as a person's browser does it: a personal link (`/r/...`) is exchanged for a cookie
    /// and a redirect to its page under `/antwoord/`, which is followed.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let mut response = self.client.get(format!("{}{path}", self.url)).send().await.expect("GET");
        if path.starts_with("/r/") && response.status() == 303 {
            let to = location(&response);
            assert!(to.starts_with("/antwoord/"), "a personal link leads to /antwoord/, not {to}");
            response = self.client.get(format!("{}{to}", self.url)).send().await.expect("GET");
        }
        (response.status().as_u16(), response.text().await.expect("body"))
    }

    /// The body as bytes, for downloads (PNG, XLSX); panics unless the status is 200.
    pub async fn get_bytes(&self, path: &str) -> Vec<u8> {
        let response = self.client.get(format!("{}{path}", self.url)).send().await.expect("GET");
        assert_eq!(response.status(), 200, "GET {path}");
        response.bytes().await.expect("body").to_vec()
    }

    /// Posts `fields` plus the session's `csrf` field, as peil's own forms do.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut fields = fields.to_vec();
        fields.push(("csrf", &self.csrf));
        self.post_without_csrf(path, &fields).await
    }

    pub async fn post_without_csrf(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let response =
            self.client.post(format!("{}{path}", self.url)).form(fields).send().await.expect("POST");
        (response.status().as_u16(), response.text().await.expect("body"))
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.clone().notify();
    }
}

async fn wait_until_up(client: &reqwest::Client, url: &str) {
    for _ in 0..200 {
        if client.get(format!("{url}/health")).send().await.is_ok_and(|r| r.status().is_success()) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(25)).await;
    }
    panic!("the app did not come up at {url}");
}

/// A small contact list: two huisartsen and a POH-GGZ in Noord, a huisarts in Zuid.
pub const CONTACTS: &str = "\u{feff}naam;e-mail;rol;praktijk;wijk;gemeente\n\
Anna de Vries;anna@example.org;huisarts;Praktijk Noord;noord;Stad\n\
Bram Bakker;bram@example.org;huisarts;Praktijk Noord;noord;Stad\n\
Cor Smit;cor@example.org;poh-ggz;Praktijk Noord;noord;Stad\n\
Dina Visser;dina@example.org;huisarts;Praktijk Zuid;zuid;Stad\n";

/// Writes `forms` (name, text) and the shipped lists into a fresh forms folder.
pub fn forms_dir(forms: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("lists")).expect("lists dir");
    for entry in std::fs::read_dir(repo("forms/lists")).expect("shipped lists").flatten() {
        std::fs::copy(entry.path(), dir.path().join("lists").join(entry.file_name())).expect("copy list");
    }
    for (name, text) in forms {
        std::fs::write(dir.path().join(format!("{name}.toml")), text).expect("write form");
    }
    dir
}

/// Polls `check` until it gives a value, or panics with `what` after `seconds`.
pub async fn within<T, F, Fut>(seconds: u64, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(std::time::Instant::now() < deadline, "not within {seconds} s: {what}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
