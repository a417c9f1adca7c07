//! One peil installation in a scratch folder: its own database (a SQLite file there, or a fresh
//! PostgreSQL database), forms folder and port, set through the same `PEIL_` environment an
//! operator would use, for both the CLI and the server. Several `peil serve` of one installation
//! share its database and key, each on a port of its own.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::backend::{Backend, Database};
use crate::server::{ChildGuard, Paths, Scratch, free_addr};

/// Long enough for peil's 32-character minimum; fixed, so links stay valid across commands, and
/// shared by all instances, as a database refuses a second key (`src/db/keycheck.rs`).
const SECRET_KEY: &str = "peil-bench-secret-key-not-for-production-use-0123456789";

pub struct Site<'p> {
    paths: &'p Paths,
    // Before `dir`, so a PostgreSQL database is dropped before its folder goes: fields drop in order.
    database: Database,
    dir: Scratch,
    forms: PathBuf,
    pub addr: SocketAddr,
}

impl<'p> Site<'p> {
    /// A fresh installation on SQLite whose forms live in its own (still empty) `forms` folder.
    pub fn new(paths: &'p Paths, label: &str) -> anyhow::Result<Site<'p>> {
        Site::on(paths, label, &Backend::Sqlite)
    }

    /// A fresh installation on a fresh database of `backend`.
    pub fn on(paths: &'p Paths, label: &str, backend: &Backend) -> anyhow::Result<Site<'p>> {
        let dir = Scratch::new(label)?;
        let forms = dir.path().join("forms");
        std::fs::create_dir_all(&forms)?;
        let database = Database::create(backend, &dir.path().join("peil.db"))?;
        Ok(Site { paths, database, dir, forms, addr: free_addr()? })
    }

    /// A fresh installation that reads its forms from a folder shared with other runs.
    pub fn with_forms(paths: &'p Paths, label: &str, forms: &Path) -> anyhow::Result<Site<'p>> {
        let mut site = Site::new(paths, label)?;
        site.forms = forms.to_path_buf();
        Ok(site)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub fn forms_dir(&self) -> &Path {
        &self.forms
    }

    pub fn database_url(&self) -> String {
        self.database.url.clone()
    }

    /// `peil <args>` configured for this installation.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.paths.peil);
        command.args(args).current_dir(self.dir());
        // Settings of the person running the benchmark must not leak into it.
        for (name, _) in std::env::vars().filter(|(name, _)| name.starts_with("PEIL_")) {
            command.env_remove(name);
        }
        let dir = self.dir();
        command
            .env("PEIL_DATABASE_URL", self.database_url())
            .env("PEIL_BASE_URL", format!("http://{}", self.addr))
            .env("PEIL_ADDRESS", self.addr.ip().to_string())
            .env("PEIL_PORT", self.addr.port().to_string())
            .env("PEIL_FORMS_DIR", &self.forms)
            .env("PEIL_JOBS_DIR", dir.join("jobs"))
            .env("PEIL_DATA_DIR", dir.join("data"))
            .env("PEIL_TEMPLATES_DIR", self.paths.repo.join("templates"))
            .env("PEIL_STATIC_DIR", self.paths.repo.join("static"))
            .env("PEIL_SECRET_KEY", SECRET_KEY)
            // `round open` queues an invitation mail per person. At one a second the mail worker
            // runs, as in production, but stays out of the other workloads' figures; the mail
            // workload raises the rate for its own server.
            .env("PEIL_MAIL_PER_SECOND", "1");
        command
    }

    /// Starts `peil serve` and waits for `/health`; also returns the time that took.
    pub async fn serve(&self) -> anyhow::Result<(ChildGuard, std::time::Duration)> {
        self.serve_with(&[]).await
    }

    /// `serve` with some settings of this installation replaced, e.g. `PEIL_SMTP_URL`.
    pub async fn serve_with(
        &self,
        env: &[(&str, &str)],
    ) -> anyhow::Result<(ChildGuard, std::time::Duration)> {
        let started = Instant::now();
        let mut server = self.spawn(self.addr, 0, env)?;
        let took = server.wait_healthy(started).await?;
        Ok((server, took))
    }

    /// `count` instances of `peil serve` on this installation's database, the first on `addr`
    /// and the others on free ports, all started before any is waited for (as an operator's
    /// service manager would), then each waited for on `/health`.
    pub async fn serve_many(&self, count: usize, env: &[(&str, &str)]) -> anyhow::Result<Vec<ChildGuard>> {
        let started = Instant::now();
        let mut servers = Vec::with_capacity(count);
        for i in 0..count {
            let addr = if i == 0 { self.addr } else { free_addr()? };
            servers.push(self.spawn(addr, i, env)?);
        }
        for server in &mut servers {
            server.wait_healthy(started).await?;
        }
        Ok(servers)
    }

    /// Starts `peil serve` number `i` on `addr`. Each instance's `base_url` is its own address,
    /// which is the origin the load generator's POSTs carry.
    fn spawn(&self, addr: SocketAddr, i: usize, env: &[(&str, &str)]) -> anyhow::Result<ChildGuard> {
        let log = self.dir().join(if i == 0 { "serve.log".to_string() } else { format!("serve-{i}.log") });
        let mut command = self.command(&["serve"]);
        command
            .env("PEIL_BASE_URL", format!("http://{addr}"))
            .env("PEIL_ADDRESS", addr.ip().to_string())
            .env("PEIL_PORT", addr.port().to_string())
            .envs(env.iter().copied());
        ChildGuard::spawn(command, addr, log)
    }
}
