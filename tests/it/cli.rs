//! The `peil` binary as a coordinator uses it: check, import, open a round, print links, first start.

use std::io::{BufRead, BufReader};
use std::process::{Command, Output, Stdio};

use crate::helpers::{CONTACTS, forms_dir, free_port, repo};

/// `peil` with its own database and data folder, the shipped forms unless `forms` says otherwise.
pub(crate) struct Cli {
    pub(crate) dir: tempfile::TempDir,
    pub(crate) db: crate::pg::TestDb,
    forms: std::path::PathBuf,
    port: u16,
}

impl Cli {
    pub(crate) fn new() -> Cli {
        let dir = tempfile::tempdir().unwrap();
        Cli { db: crate::pg::TestDb::new(dir.path()), dir, forms: repo("forms"), port: free_port() }
    }

    pub(crate) fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_peil"));
        command.args(args);
        self.configured(command)
    }

    /// The same command run by a shell that first sets `umask`, as a service manager might.
    pub(crate) fn under_umask(&self, umask: &str, args: &[&str]) -> Command {
        let mut command = Command::new("sh");
        command.args(["-c", &format!("umask {umask} && exec \"$0\" \"$@\""), env!("CARGO_BIN_EXE_peil")]);
        command.args(args);
        self.configured(command)
    }

    fn configured(&self, mut command: Command) -> Command {
        command
            .current_dir(self.dir.path())
            .env("PEIL_DATABASE_URL", &self.db.url)
            .env("PEIL_FORMS_DIR", &self.forms)
            .env("PEIL_DATA_DIR", self.dir.path().join("data"))
            .env("PEIL_TEMPLATES_DIR", repo("templates"))
            .env("PEIL_STATIC_DIR", repo("static"))
            .env("PEIL_PORT", self.port.to_string())
            .env("PEIL_BASE_URL", format!("http://127.0.0.1:{}", self.port))
            .env("NO_COLOR", "1");
        command
    }

    pub(crate) fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().unwrap()
    }

    pub(crate) fn write(&self, name: &str, text: &[u8]) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub(crate) fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn check_accepts_the_shipped_forms() {
    let output = Cli::new().run(&["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("10 forms OK:"), "{}", stdout(&output));
}

const BROKEN: &str = r#"titel = "Kapot"

[[pages]]
[[pages.questions]]
id = "wijk"
type = "singel"
label = "Wijk?"

[[pages.questions]]
id = "x"
type = "text"
label = "X"
reqired = true
show_if = "later = 1"

[[pages.questions]]
id = "later"
type = "number"
label = "Later"
min = 5
max = 1
"#;

#[test]
fn check_reports_every_problem_with_its_position_and_exits_1() {
    let forms = forms_dir(&[
        ("kapot", BROKEN),
        (
            "goed",
            "title = \"Goed\"\npurpose = \"P\"\n[[questions]]\nid = \"a\"\ntype = \"yesno\"\nlabel = \"A?\"\n",
        ),
    ]);
    let mut cli = Cli::new();
    cli.forms = forms.path().to_path_buf();
    let output = cli.run(&["check"]);
    assert_eq!(output.status.code(), Some(1));
    let file = forms.path().join("kapot.toml").display().to_string();
    let report = stderr(&output);
    for expected in [
        format!("{file}:1:1: unknown key `titel`; did you mean `title`?"),
        format!("{file}:6:9: unknown question type `singel`; did you mean `single`?"),
        format!("{file}:13:1: unknown key `reqired`; did you mean `required`?"),
        format!("{file}:14:12: show_if: `later` comes later in the form"),
        format!("{file}:20:7: `min` (5) is larger than `max` (1); swap them"),
    ] {
        assert!(report.contains(&expected), "missing\n  {expected}\nin\n{report}");
    }
    assert!(!report.contains("goed.toml"), "{report}");
}

/// An anonymous form that asks for an e-mail address, on line 6 from column 9.
const ASKS_AN_ADDRESS: &str = "title = \"A\"\npurpose = \"P\"\nanonymous = true\n[[questions]]\nid = \"mail\"\n\
     type = \"email\"\nlabel = \"E-mail\"\n";

#[test]
fn check_prints_a_warning_with_its_position_and_still_passes() {
    let forms = forms_dir(&[("anoniem", ASKS_AN_ADDRESS)]);
    let mut cli = Cli::new();
    cli.forms = forms.path().to_path_buf();
    let output = cli.run(&["check"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let file = forms.path().join("anoniem.toml").display().to_string();
    let expected =
        format!("{file}:6:9: warning: this question of an anonymous form asks for an e-mail address");
    assert!(stderr(&output).contains(&expected), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("1 forms OK: anoniem"), "{}", stdout(&output));
}

#[test]
fn the_service_does_not_start_with_a_broken_form() {
    let forms = forms_dir(&[("kapot", BROKEN)]);
    let mut cli = Cli::new();
    cli.forms = forms.path().to_path_buf();
    let output = cli.run(&["serve"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("does not start with broken forms"), "{}", stderr(&output));
}

#[test]
fn importing_contacts_reports_a_summary_and_a_bad_file_changes_nothing() {
    let cli = Cli::new();
    let good = cli.write("contacts.csv", CONTACTS.as_bytes());
    let output = cli.run(&["contacts", "import", &good]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("4 added, 0 updated, 0 unchanged"), "{}", stdout(&output));

    let bad = cli.write(
        "bad.csv",
        "naam;e-mail;rol\nEva;geen-adres;huisarts\nAnna de Vries;anna@example.org;huisarts\n".as_bytes(),
    );
    let output = cli.run(&["contacts", "import", &bad]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains(&format!("{bad}:2:")), "{}", stderr(&output));
    assert!(stderr(&output).contains("Nothing was imported"));

    let again = cli.run(&["contacts", "import", &good]);
    assert!(stdout(&again).contains("0 added, 0 updated, 4 unchanged"), "{}", stdout(&again));
}

#[test]
fn a_round_opened_from_the_command_line_prints_a_link_per_invited_person() {
    let cli = Cli::new();
    let csv = cli.write("contacts.csv", CONTACTS.as_bytes());
    assert!(cli.run(&["contacts", "import", &csv]).status.success());
    let output = cli.run(&[
        "round",
        "open",
        "--form",
        "crisisdienst",
        "--role",
        "huisarts",
        "--wijk",
        "noord",
        "--closes",
        "2099-12-31",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("round 1 opened: 2 invited, open until 31 december 2099"),
        "{}",
        stdout(&output)
    );

    let links = stdout(&cli.run(&["round", "links", "1"]));
    let lines: Vec<&str> = links.lines().collect();
    assert_eq!(lines.len(), 2, "{links}");
    assert!(lines[0].starts_with("Anna de Vries\tanna@example.org\thttp://127.0.0.1:"), "{links}");
    let token = lines[0].rsplit('/').next().unwrap();
    assert_eq!(token.len(), 43);
    // Printed again, the same links: they are derived, not stored.
    assert_eq!(stdout(&cli.run(&["round", "links", "1"])), links);
}

#[test]
fn opening_a_round_for_nobody_or_an_unknown_form_is_refused() {
    let cli = Cli::new();
    let output = cli.run(&["round", "open", "--form", "crisisdienst"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no contacts match"), "{}", stderr(&output));
    let output = cli.run(&["round", "open", "--form", "bestaat-niet"]);
    assert!(stderr(&output).contains("there is no form `bestaat-niet`"), "{}", stderr(&output));
}

/// Kills the service when the test ends, however it ends.
pub(crate) struct Service(pub(crate) std::process::Child);

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn the_service_logs_a_form_files_warning_when_it_starts() {
    let forms = forms_dir(&[("anoniem", ASKS_AN_ADDRESS)]);
    let mut cli = Cli::new();
    cli.forms = forms.path().to_path_buf();
    let mut service = Service(cli.command(&["serve"]).stderr(Stdio::piped()).spawn().unwrap());
    let (found, warning_rx) = std::sync::mpsc::channel();
    let log = BufReader::new(service.0.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in log.lines().map_while(Result::ok) {
            if line.contains("anoniem.toml") {
                let _ = found.send(line);
            }
        }
    });
    let line = warning_rx.recv_timeout(std::time::Duration::from_secs(30)).expect("the warning in the log");
    assert!(
        line.contains(
            "anoniem.toml:6:9: warning: this question of an anonymous form asks for an e-mail address"
        ),
        "{line}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_start_logs_a_one_time_link_to_create_the_administrator() {
    let cli = Cli::new();
    let mut service = Service(cli.command(&["serve"]).stderr(Stdio::piped()).spawn().unwrap());
    // The log is read on its own thread to the end, so the service never writes into a closed pipe.
    let (found, link_rx) = std::sync::mpsc::channel();
    let log = BufReader::new(service.0.stderr.take().unwrap());
    std::thread::spawn(move || {
        for line in log.lines().map_while(Result::ok) {
            if let Some(at) = line.find("http://127.0.0.1:").filter(|_| line.contains("/setup/")) {
                let _ = found.send(line[at..].split_whitespace().next().unwrap_or_default().to_string());
            }
        }
    });
    let link = link_rx.recv_timeout(std::time::Duration::from_secs(30)).ok();
    let link = link.expect("a setup link in the log");
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if client.get(&link).send().await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(up, "service did not come up");
    assert_eq!(client.get(&link).send().await.unwrap().status(), 200);

    let weak = [("email", "beheer@example.org"), ("password", "kort"), ("repeat", "kort")];
    let response = client.post(&link).form(&weak).send().await.unwrap();
    assert_eq!(response.status(), 422);
    assert!(response.text().await.unwrap().contains("ten minste 12"));

    let good = [
        ("email", "beheer@example.org"),
        ("password", "een lange zin als wachtwoord"),
        ("repeat", "een lange zin als wachtwoord"),
    ];
    let response = client.post(&link).form(&good).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.text().await.unwrap().contains("Beheerder aangemaakt"));
    // The link is spent.
    assert_eq!(client.get(&link).send().await.unwrap().status(), 404);
    assert_eq!(client.post(&link).form(&good).send().await.unwrap().status(), 404);
}

#[test]
fn a_one_off_job_is_started_by_hand_and_its_mails_wait_in_the_outbox() {
    let cli = Cli::new();
    let contacts = cli.write("contacts.csv", CONTACTS.as_bytes());
    assert!(cli.run(&["contacts", "import", &contacts]).status.success());
    let start =
        |job: &str| cli.command(&["job", "start", job]).env("PEIL_JOBS_DIR", repo("jobs")).output().unwrap();

    let output = start("crisisdienst");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Deze job heeft geen schema"), "said first: {}", stdout(&output));
    assert!(stdout(&output).contains("opened round(s) 1; invitations are queued"), "{}", stdout(&output));
    let outbox = cli.run(&["outbox"]);
    assert!(outbox.status.success(), "{}", stderr(&outbox));
    let row: Vec<String> =
        stdout(&outbox).lines().nth(1).unwrap_or_default().split_whitespace().map(String::from).collect();
    assert_eq!(row, ["1", "3", "0", "0", "0", "0"], "round 1: the three huisartsen's invitations pending");

    // A scheduled job says which of its rounds the start counts as; again, it opens nothing.
    let output = start("samenwerking-per-wijk");
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Telt als de ronde van"), "{}", stdout(&output));
    assert!(stdout(&output).contains("opened round(s) 2, 3"), "noord and zuid: {}", stdout(&output));
    let again = start("samenwerking-per-wijk");
    assert!(stdout(&again).contains("already open; nothing was opened"), "{}", stdout(&again));

    let output = start("bestaat-niet");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("there is no job `bestaat-niet`"), "{}", stderr(&output));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_service_on_a_taken_port_exits_before_it_opens_a_round_or_claims_a_mail() {
    let cli = Cli::new();
    let contacts = cli.write("contacts.csv", CONTACTS.as_bytes());
    assert!(cli.run(&["contacts", "import", &contacts]).status.success());
    let started =
        cli.command(&["job", "start", "crisisdienst"]).env("PEIL_JOBS_DIR", repo("jobs")).output().unwrap();
    assert!(started.status.success(), "{}", stderr(&started));
    // Another program holds the port; the shipped jobs include scheduled ones.
    let _taken = std::net::TcpListener::bind(("127.0.0.1", cli.port)).unwrap();

    let output = cli.command(&["serve"]).env("PEIL_JOBS_DIR", repo("jobs")).output().unwrap();
    assert!(!output.status.success(), "serve on a taken port must fail");

    let pool = cli.db.pool().await;
    let count = |sql: &'static str| {
        let pool = pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.unwrap() }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND claimed_until IS NULL").await,
        3
    );
    assert_eq!(count("SELECT COUNT(*) FROM job_state").await, 0, "the scheduler never ticked");
    assert_eq!(count("SELECT COUNT(*) FROM setup_tokens").await, 0, "no first-start link was made");
}

#[test]
fn a_sqlite_url_without_mode_creates_the_database_file() {
    let cli = Cli::new();
    let path = cli.dir.path().join("nieuw").join("peil.db");
    let output =
        cli.command(&["outbox"]).env("PEIL_DATABASE_URL", format!("sqlite://{}", path.display())).output();
    let output = output.unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(path.is_file(), "the database file was made");
}

#[test]
fn output_to_a_pipe_carries_no_colour_codes_even_without_no_color() {
    let cli = Cli::new();
    let contacts = cli.write("contacts.csv", CONTACTS.as_bytes());
    assert!(cli.run(&["contacts", "import", &contacts]).status.success());
    let broken = forms_dir(&[("kapot", BROKEN)]);
    // Both streams into one pipe, as `peil ... 2>&1 | less` or a service manager's log would.
    let piped = |args: &[&str], forms: &std::path::Path| {
        let mut command = cli.command(args);
        command.env("PEIL_JOBS_DIR", repo("jobs")).env("PEIL_FORMS_DIR", forms).env_remove("NO_COLOR");
        let output = command.output().unwrap();
        format!("{}{}", stdout(&output), stderr(&output))
    };

    let log = piped(&["job", "start", "crisisdienst"], &cli.forms);
    assert!(log.contains("round opened"), "a log line: {log}");
    let check = piped(&["check"], broken.path());
    assert!(check.contains("unknown question type `singel`"), "a form's problems: {check}");
    let unknown = piped(&["bestaat-niet"], &cli.forms);
    assert!(unknown.contains("unrecognized subcommand"), "clap's own message: {unknown}");
    for output in [log, check, unknown] {
        assert!(!output.contains('\x1b'), "an escape code in {output:?}");
    }
}

#[test]
fn check_reports_the_problems_of_forms_and_of_jobs_in_one_run() {
    let forms = forms_dir(&[
        ("kapot", BROKEN),
        (
            "goed",
            "title = \"Goed\"\npurpose = \"P\"\n[[questions]]\nid = \"a\"\ntype = \"yesno\"\nlabel = \"A?\"\n",
        ),
    ]);
    let jobs = tempfile::tempdir().unwrap();
    for (name, text) in [
        ("naar-kapot", "form = \"kapot\"\nschedule = \"0 9 1 * *\"\n"),
        ("naar-goed", "form = \"goed\"\nschedule = \"0 9 1 13 *\"\n"),
        ("naar-niets", "form = \"bestaat-niet\"\n"),
        ("in-orde", "form = \"goed\"\nschedule = \"0 9 1 * *\"\n"),
    ] {
        std::fs::write(jobs.path().join(format!("{name}.toml")), text).unwrap();
    }
    let mut cli = Cli::new();
    cli.forms = forms.path().to_path_buf();
    let output = cli.command(&["check"]).env("PEIL_JOBS_DIR", jobs.path()).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let report = stderr(&output);
    let form = |name: &str| forms.path().join(format!("{name}.toml")).display().to_string();
    let job = |name: &str| jobs.path().join(format!("{name}.toml")).display().to_string();
    for expected in [
        format!("{}:6:9: unknown question type `singel`; did you mean `single`?", form("kapot")),
        "problem(s) found in the form files".to_string(),
        format!("{}:1:9: the form `kapot` has problems (listed with its own file)", job("naar-kapot")),
        format!("{}:2:19: there is no month 13", job("naar-goed")),
        format!("{}:1:9: there is no form `bestaat-niet`", job("naar-niets")),
        "3 problem(s) found in the job files".to_string(),
    ] {
        assert!(report.contains(&expected), "missing\n  {expected}\nin\n{report}");
    }
    assert!(!report.contains("in-orde.toml"), "{report}");
    assert!(!report.contains("there is no form `kapot`"), "a form with problems exists: {report}");
}

#[test]
fn printing_the_links_into_a_pipe_closed_after_the_first_line_ends_without_a_panic() {
    let cli = Cli::new();
    // More links than a pipe buffers, so that peil is still writing when the reader leaves.
    let mut csv = String::from("naam;e-mail;rol\n");
    for i in 0..1000 {
        csv.push_str(&format!("Huisarts {i};arts{i}@example.org;huisarts\n"));
    }
    let contacts = cli.write("veel.csv", csv.as_bytes());
    assert!(cli.run(&["contacts", "import", &contacts]).status.success());
    let opened = cli.run(&["round", "open", "--form", "crisisdienst", "--closes", "2099-12-31"]);
    assert!(opened.status.success(), "{}", stderr(&opened));

    // As `peil round links 1 | head -1` does.
    let mut links = cli.command(&["round", "links", "1"]);
    let mut child = links.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    reader.read_line(&mut first).unwrap();
    assert!(first.starts_with("Huisarts"), "{first}");
    drop(reader);
    let output = child.wait_with_output().unwrap();
    let log = stderr(&output);
    assert!(!log.contains("panicked") && !log.contains("Broken pipe"), "{log}");
    assert!(output.status.success(), "{:?}: {log}", output.status);
}

#[test]
fn check_reads_the_relay_and_its_ca_file_and_names_a_file_that_holds_no_certificate() {
    let cli = Cli::new();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let url = "smtp://peil:geheim@127.0.0.1:2525?tls=required";
    let ca = fixtures.join("smtp-ca.pem");
    let good =
        cli.command(&["check"]).env("PEIL_SMTP_URL", url).env("PEIL_SMTP_CA_FILE", &ca).output().unwrap();
    assert!(good.status.success(), "{}", stderr(&good));
    let said = stdout(&good);
    assert!(said.contains("mail: SMTP via smtp://127.0.0.1:2525?tls=required, trusting 1"), "{said}");
    assert!(!said.contains("geheim"), "{said}");

    let key = fixtures.join("smtp-server.key");
    let bad =
        cli.command(&["check"]).env("PEIL_SMTP_URL", url).env("PEIL_SMTP_CA_FILE", &key).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let said = stderr(&bad);
    assert!(said.contains(&format!("smtp_ca_file {} holds no certificate", key.display())), "{said}");
}
