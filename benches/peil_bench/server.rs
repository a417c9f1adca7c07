//! Child processes and their surroundings: where the binaries are, scratch folders, a guard that
//! kills a server however the benchmark ends, waiting for `/health`, and reading memory use.

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

use crate::client::Conn;

/// Where the repository, the binaries and the report live.
pub struct Paths {
    pub repo: PathBuf,
    pub peil: PathBuf,
    pub target: PathBuf,
}

impl Paths {
    /// Finds `peil` next to this executable, built from the sources as they are now: cargo is
    /// asked every time (a no-op when the binary is up to date), so a run never measures an
    /// older build that happened to be lying there.
    pub fn find() -> anyhow::Result<Paths> {
        let exe = std::env::current_exe().context("locating peil-bench")?;
        let exe_dir = exe.parent().context("peil-bench has no folder")?.to_path_buf();
        let target = exe_dir.parent().map_or_else(|| exe_dir.clone(), Path::to_path_buf);
        // This package lives in benches/peil_bench/ of the repository.
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .nth(2)
            .context("peil-bench is not inside the repository")?
            .to_path_buf();
        let peil = exe_dir.join("peil");
        println!("building peil: `cargo build --release --locked -p peil --bin peil`");
        let mut build = Command::new("cargo");
        build.args(["build", "--release", "--locked", "-p", "peil", "--bin", "peil"]).current_dir(&repo);
        // `cargo run` gives this process its package's variables and a library path of its own;
        // handed on, they make this build differ from a plain `cargo build` and rebuild peil's
        // dependencies every time.
        for (key, _) in std::env::vars_os() {
            let key = key.to_string_lossy();
            let from_run = ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_CRATE_", "CARGO_BIN_", "CARGO_PRIMARY_"]
                .iter()
                .any(|prefix| key.starts_with(prefix));
            if from_run || key == "LD_LIBRARY_PATH" {
                build.env_remove(key.as_ref());
            }
        }
        let status = build.status().context("running cargo to build peil")?;
        if !status.success() || !peil.is_file() {
            bail!("could not build {}", peil.display());
        }
        Ok(Paths { repo, peil, target })
    }
}

/// A folder under the system temp dir, removed when dropped.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new(label: &str) -> anyhow::Result<Scratch> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.subsec_nanos();
        let dir = std::env::temp_dir().join(format!("peil-bench-{label}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Scratch(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A running server, killed when dropped: on success, on `?` and on panic alike.
pub struct ChildGuard {
    child: Child,
    pub addr: SocketAddr,
    /// The server's stderr, shown when something goes wrong.
    pub log: PathBuf,
}

impl ChildGuard {
    pub fn spawn(mut command: Command, addr: SocketAddr, log: PathBuf) -> anyhow::Result<ChildGuard> {
        let file = std::fs::File::create(&log)?;
        let child = command
            .stdout(file.try_clone()?)
            .stderr(file)
            .spawn()
            .with_context(|| format!("starting {:?}", command.get_program()))?;
        Ok(ChildGuard { child, addr, log })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Polls `/health` until it answers 200; returns how long that took since `started`.
    pub async fn wait_healthy(&mut self, started: Instant) -> anyhow::Result<Duration> {
        let deadline = started + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("the server exited ({status}) before it answered:\n{}", self.log_tail());
            }
            let mut conn = Conn::new(self.addr);
            if let Ok(reply) = conn.get("/health").await
                && reply.status == 200
            {
                return Ok(started.elapsed());
            }
            if Instant::now() > deadline {
                bail!("no answer on /health within 30 s:\n{}", self.log_tail());
            }
            // Short enough not to blur a start-up measured in milliseconds.
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }

    /// The exit status, once the server has ended.
    pub fn exited(&mut self) -> anyhow::Result<Option<std::process::ExitStatus>> {
        Ok(self.child.try_wait()?)
    }

    pub fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(20)..].join("\n")
    }

    /// Resident memory now (`VmRSS`) and at its peak (`VmHWM`), in MiB.
    pub fn rss_mib(&self) -> anyhow::Result<(f64, f64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))?;
        let field = |name: &str| -> anyhow::Result<f64> {
            let line = status.lines().find(|l| l.starts_with(name)).with_context(|| format!("no {name}"))?;
            let kib: f64 = line.trim_start_matches(name).trim().trim_end_matches("kB").trim().parse()?;
            Ok(kib / 1024.0)
        };
        Ok((field("VmRSS:")?, field("VmHWM:")?))
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The end of every server's log, each under its address: what to show when instances fail.
pub fn logs_tail(servers: &[ChildGuard]) -> String {
    let tails: Vec<String> =
        servers.iter().map(|server| format!("[{}]\n{}", server.addr, server.log_tail())).collect();
    tails.join("\n")
}

/// The highest peak resident memory (`VmHWM`) of the servers, in MiB.
pub fn peak_rss_mib(servers: &[ChildGuard]) -> anyhow::Result<f64> {
    let mut peak = 0.0_f64;
    for server in servers {
        peak = peak.max(server.rss_mib()?.1);
    }
    Ok(peak)
}

/// CPU time (user + system) a process and all its threads have used so far, in seconds.
pub fn cpu_seconds(pid: u32) -> anyhow::Result<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // The command name may hold spaces; the fields after its closing parenthesis do not.
    let fields: Vec<&str> =
        stat.rsplit_once(')').context("malformed /proc stat")?.1.split_whitespace().collect();
    let ticks =
        |i: usize| -> anyhow::Result<f64> { Ok(fields.get(i).context("short /proc stat")?.parse::<f64>()?) };
    // utime and stime are fields 14 and 15, counted in USER_HZ, which is 100 on Linux.
    Ok((ticks(11)? + ticks(12)?) / 100.0)
}

/// A loopback port nobody listens on right now.
pub fn free_addr() -> anyhow::Result<SocketAddr> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?)
}

/// Runs a command to its end and returns its stdout, or fails with its stderr.
pub fn run(mut command: Command) -> anyhow::Result<String> {
    let output = command.output().with_context(|| format!("running {:?}", command.get_program()))?;
    if !output.status.success() {
        bail!(
            "{:?} {:?} failed ({}):\n{}{}",
            command.get_program(),
            command.get_args().collect::<Vec<_>>(),
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(String::from_utf8(output.stdout)?)
}

/// Copies the files (not folders) of `from` into `to`.
pub fn copy_files(from: &Path, to: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name()))?;
        }
    }
    Ok(())
}
