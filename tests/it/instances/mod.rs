//! Several real `peil serve` processes on one database, as a deployment behind a load balancer
//! runs them: scheduled rounds open once, mail goes out once per person even when an instance is
//! killed mid-send, seats are never overbooked, a login made on one instance works on the others,
//! and every response acknowledged before a `kill -9` is kept, once. Each test has its own
//! database (`TestDb`), ports and folders; every process is killed when its test ends, however it
//! ends.

mod crash;
mod keys;
mod logs;
mod mail;
mod schedule;
mod signup;

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::within;
use crate::helpers::{free_port, repo};
use crate::pg::TestDb;

/// The folders, database and secret key that a set of instances shares.
pub struct Cluster {
    pub dir: tempfile::TempDir,
    pub secret: String,
    pub forms: PathBuf,
    pub jobs: PathBuf,
    /// Further `PEIL_*` variables for every command and instance.
    env: Vec<(String, String)>,
    /// Last: dropped (on PostgreSQL: the database dropped) after the instances are gone.
    pub db: TestDb,
}

impl Cluster {
    pub fn new() -> Cluster {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = TestDb::new(dir.path());
        let jobs = dir.path().join("jobs");
        Cluster { secret: peil::crypto::random_b64(48), forms: repo("forms"), jobs, env: Vec::new(), db, dir }
    }

    pub fn env(mut self, key: &str, value: &str) -> Cluster {
        self.env.push((key.to_owned(), value.to_owned()));
        self
    }

    /// `peil` with the shared settings; `port` only matters to `serve` and to printed links.
    pub fn command(&self, args: &[&str], port: u16) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_peil"));
        command
            .args(args)
            .current_dir(self.dir.path())
            .env("PEIL_DATABASE_URL", &self.db.url)
            .env("PEIL_SECRET_KEY", &self.secret)
            .env("PEIL_FORMS_DIR", &self.forms)
            .env("PEIL_JOBS_DIR", &self.jobs)
            .env("PEIL_DATA_DIR", self.dir.path().join("data"))
            .env("PEIL_TEMPLATES_DIR", repo("templates"))
            .env("PEIL_STATIC_DIR", repo("static"))
            .env("PEIL_PORT", port.to_string())
            .env("PEIL_BASE_URL", format!("http://127.0.0.1:{port}"))
            .env("PEIL_MAIL_POLL_MS", "100")
            .env_remove("PEIL_LOG")
            .env("NO_COLOR", "1");
        command.envs(self.env.iter().map(|(k, v)| (k, v)));
        command
    }

    /// Runs a command to its end and insists that it succeeded.
    pub fn run(&self, args: &[&str]) -> String {
        let output = self.command(args, 8000).output().expect("run peil");
        assert!(output.status.success(), "peil {args:?}: {}", text(&output.stderr));
        text(&output.stdout)
    }

    /// Writes `text` into the test's folder and returns its path.
    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).expect("write a file");
        path.display().to_string()
    }

    /// Starts `peil serve` on a port of its own; its log goes to `<name>.log` in the test's folder.
    pub fn spawn(&self, name: &str) -> Instance {
        self.spawn_with(name, &[])
    }

    /// `spawn` with some variables of its own, e.g. another secret key.
    pub fn spawn_with(&self, name: &str, env: &[(&str, &str)]) -> Instance {
        let port = free_port();
        let log = self.dir.path().join(format!("{name}.log"));
        let file = std::fs::File::create(&log).expect("log file");
        let child = self
            .command(&["serve"], port)
            .envs(env.iter().copied())
            .stdout(Stdio::from(file.try_clone().expect("log file")))
            .stderr(Stdio::from(file))
            .spawn()
            .expect("spawn peil serve");
        Instance { name: name.to_owned(), url: format!("http://127.0.0.1:{port}"), child, log }
    }

    /// `n` instances started at once, returned when every one answers `/health`. An instance
    /// answers only after its scheduler's first tick: `serve` awaits that tick before it listens.
    pub async fn start(&self, n: usize) -> Vec<Instance> {
        let mut instances: Vec<Instance> = (0..n).map(|i| self.spawn(&format!("peil-{i}"))).collect();
        let client = reqwest::Client::new();
        for instance in &mut instances {
            instance.wait_until_up(&client).await;
        }
        instances
    }

    /// The shared database, migrated, for set-up and for looking at the outcome.
    pub async fn pool(&self) -> peil::db::Pool {
        self.db.pool().await
    }

    pub async fn db(&self) -> peil::db::Db {
        self.db.db().await
    }

    pub fn secret(&self) -> peil::settings::Secret {
        peil::settings::Secret::new(self.secret.clone())
    }
}

/// One `peil serve` process; killed (SIGKILL) when dropped.
pub struct Instance {
    pub name: String,
    pub url: String,
    child: Child,
    log: PathBuf,
}

impl Instance {
    async fn wait_until_up(&mut self, client: &reqwest::Client) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} ended with {status} before it answered:\n{}", self.name, self.log());
            }
            let health = client.get(format!("{}/health", self.url)).send().await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{} did not come up at {}:\n{}", self.name, self.url, self.log());
    }

    /// Waits for the process to end by itself; panics if it still runs after `seconds`.
    pub async fn exit_status(&mut self, seconds: u64) -> std::process::ExitStatus {
        let name = self.name.clone();
        within(seconds, &format!("{name} ends by itself"), || {
            let status = self.child.try_wait().expect("try_wait");
            async move { status }
        })
        .await
    }

    /// `kill -9`: no shutdown, no last writes.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Everything the instance logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        self.kill();
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}
