//! The PostgreSQL part of the benchmark: the respond, mail and signup workloads with one and with
//! two `peil serve` on one database, and the results page over 10,000 responses, each workload on
//! a database of its own on the server of `--postgres` (the local one by default). When that
//! server does not answer and was not asked for by name, the part is skipped with a note.

use serde_json::{Value, json};

use crate::backend::{self, DEFAULT_POSTGRES, Target};
use crate::mail::{self, Mail};
use crate::respond::{self, Linkage, Respond};
use crate::results::{self, Results};
use crate::server::Paths;
use crate::signup::{self, Signup};

/// The instance counts the workloads that can share a database run with.
pub const INSTANCES: [usize; 2] = [1, 2];

/// The figures, each with its instance count.
pub struct Postgres {
    pub server_version: i64,
    pub respond: Vec<(usize, Respond)>,
    pub mail: Vec<(usize, Mail)>,
    pub signup: Vec<(usize, Signup)>,
    pub results: Results,
}

/// The server to run on: `asked` must answer; without it, the default may be missing, and then
/// the reason is returned instead.
pub fn server(asked: Option<&str>) -> anyhow::Result<Result<String, String>> {
    let url = asked.unwrap_or(DEFAULT_POSTGRES);
    match backend::probe(url) {
        Ok(()) => Ok(Ok(url.to_string())),
        Err(e) if asked.is_none() => Ok(Err(format!("no PostgreSQL at {url} ({e:#})"))),
        Err(e) => Err(e.context(format!("PostgreSQL at {} does not answer", redacted(url)))),
    }
}

pub async fn run(paths: &Paths, quick: bool, admin: &str) -> anyhow::Result<Postgres> {
    let plan = crate::load::plan(quick);
    let mut respond = Vec::new();
    for n in INSTANCES {
        let target = Target::postgres(admin, n);
        println!("respond: peil serve, {target}, GET + POST of a 10-question page per response");
        respond.push((n, respond::run_workload(paths, &plan, &target, Linkage::Identified).await?));
    }
    let mut mail = Vec::new();
    for n in INSTANCES {
        let target = Target::postgres(admin, n);
        let messages = mail::count(quick);
        println!("mail: {messages} invitation mails over SMTP to a local sink, {target}");
        mail.push((n, mail::run_workload(paths, messages, &target).await?));
    }
    let mut signup = Vec::new();
    for n in INSTANCES {
        let target = Target::postgres(admin, n);
        println!("signup: {} people for {} seats within one second, {target}", signup::PEOPLE, signup::SEATS);
        signup.push((n, signup::run_workload(paths, &target).await?));
    }
    println!("results: a round's results page, 20 questions, 10,000 responses, PostgreSQL");
    let results = results::run_workload(paths, quick, &Target::postgres(admin, 1).backend).await?;
    let server_version =
        crate::db::count(admin, "SELECT CAST(current_setting('server_version_num') AS BIGINT)").await?;
    Ok(Postgres { server_version, respond, mail, signup, results })
}

impl Postgres {
    /// The `postgres` key of `target/bench.json`: a list per workload, one entry per instance count.
    pub fn to_json(&self) -> Value {
        fn each<T>(runs: &[(usize, T)], to_json: impl Fn(&T) -> Value) -> Vec<Value> {
            runs.iter().map(|(n, run)| with_instances(to_json(run), *n)).collect()
        }
        json!({
            "server_version_num": self.server_version,
            "respond": each(&self.respond, Respond::to_json),
            "mail": each(&self.mail, Mail::to_json),
            "signup": each(&self.signup, Signup::to_json),
            "results": with_instances(self.results.to_json(), 1),
        })
    }

    /// Whether every run gave exactly the session's seats.
    pub fn seats_right(&self) -> bool {
        self.signup.iter().all(|(_, s)| s.errors == 0 && s.seats_right())
    }
}

/// What the report holds when the PostgreSQL part did not run.
pub fn skipped_json(reason: &str) -> Value {
    json!({ "skipped": reason })
}

fn with_instances(mut value: Value, instances: usize) -> Value {
    if let Value::Object(map) = &mut value {
        map.insert("instances".into(), json!(instances));
    }
    value
}

/// `url` with its password, if any, replaced by `***`, for messages.
pub fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_string() };
    match credentials.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn a_password_in_the_url_is_not_printed() {
        assert_eq!(
            redacted("postgres://peil:geheim@db:5432/postgres"),
            "postgres://peil:***@db:5432/postgres"
        );
        assert_eq!(
            redacted("postgres://postgres@127.0.0.1/postgres"),
            "postgres://postgres@127.0.0.1/postgres"
        );
    }
}
