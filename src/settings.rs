//! Configuration in one place: `peil.toml` (or the file given with `--config`) overlaid with
//! `PEIL_`-prefixed environment variables. Everything else receives a `Settings` value; nothing
//! reads the environment on its own.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use rocket::figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};

use crate::organisation::Organisation;

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// Not a `#[source]`: the text already holds figment's message, which a printed chain of
    /// causes would repeat.
    #[error("configuration: {0}")]
    Figment(Box<rocket::figment::Error>),
    #[error("secret key file {path}: {source}")]
    SecretFile { path: PathBuf, source: std::io::Error },
    #[error("PEIL_SECRET_KEY must be at least 32 characters (use `openssl rand -base64 48`)")]
    SecretTooShort,
    #[error("min_group_size must be at least 3; smaller groups would single people out")]
    GroupTooSmall,
    #[error(
        "max_connections, max_connections_per_client, header_timeout_secs and idle_timeout_secs must be at least 1"
    )]
    NoConnections,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// `sqlite://data/peil.db?mode=rwc` or `postgres://user@host/db`.
    pub database_url: String,
    /// The public address people reach peil at; personal links start with it.
    pub base_url: String,
    pub address: String,
    pub port: u16,
    pub forms_dir: PathBuf,
    pub jobs_dir: PathBuf,
    pub data_dir: PathBuf,
    pub templates_dir: PathBuf,
    pub static_dir: PathBuf,
    /// Signs personal links and cookies. When unset, one is generated once and kept in
    /// `data_dir/secret.key`; several instances must share one, so set it explicitly there.
    pub secret_key: Option<Secret>,
    /// Rounds opened by hand stay open this many days unless `--closes` says otherwise.
    pub default_open_days: u32,
    /// Largest request body accepted from a respondent, in bytes.
    pub max_body_bytes: u64,
    /// Smallest group whose wijk or role is kept with an anonymous response.
    pub min_group_size: u32,
    /// `smtp://host:port`, `smtps://user:pass@host`, `smtp://host?tls=required`; unset: mails are
    /// written as `.eml` files to `data_dir/outbox/`. May hold a password, hence a `Secret`.
    pub smtp_url: Option<Secret>,
    /// A PEM file with the certificate(s) of an organisation's own CA, trusted for the relay's
    /// TLS besides the usual public roots. peil does not start when it cannot use the file.
    pub smtp_ca_file: Option<PathBuf>,
    /// The sender of every mail, e.g. `GGZ-werkgroep <peil@example.org>`.
    pub mail_from: String,
    /// At most this many mails per second leave the outbox.
    pub mail_per_second: u32,
    /// How often the mail worker looks for due mails, in milliseconds.
    pub mail_poll_ms: u64,
    /// Mails sent at the same time, each over its own pooled SMTP connection.
    pub mail_concurrency: u32,
    /// How long a worker's claim on a mail holds, in seconds. An instance that dies mid-send
    /// leaves its claimed mails `sending`; another instance takes them over after this.
    pub mail_lease_seconds: u64,
    /// Reverse proxies whose `X-Real-IP` / `X-Forwarded-For` name the client, e.g.
    /// `["127.0.0.1"]`. Empty: the connection's peer is the client and those headers are ignored,
    /// since anyone can send them.
    pub trusted_proxies: Vec<IpAddr>,
    /// Client connections open at once; one more is refused with a 503. Each costs three file
    /// descriptors (see `front`).
    pub max_connections: u32,
    /// Connections open at once from one client address (an IPv6 client: its /64); a trusted
    /// proxy is held to `max_connections` only.
    pub max_connections_per_client: u32,
    /// Seconds from accepting a connection until its first request head must be complete.
    pub header_timeout_secs: u64,
    /// Seconds a connection may be silent in both directions after its first head.
    pub idle_timeout_secs: u64,
    /// Administrators must use two-step login (a code from an authenticator app after the
    /// password): one without it reaches only the enrolment page. Werkgroep accounts may turn it
    /// on but are never forced.
    pub require_2fa: bool,
    /// `[organisation]`: the name that signs the mails and is the sender's display name, and
    /// the address and number pages and mails give for "neem contact op". All optional.
    pub organisation: Organisation,
    /// `[retention]`: how long what is kept where a form or job does not say (see `retention`).
    pub retention: crate::retention::Defaults,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            database_url: "sqlite://data/peil.db?mode=rwc".into(),
            base_url: "http://127.0.0.1:8000".into(),
            address: "127.0.0.1".into(),
            port: 8000,
            forms_dir: "forms".into(),
            jobs_dir: "jobs".into(),
            data_dir: "data".into(),
            templates_dir: "templates".into(),
            static_dir: "static".into(),
            secret_key: None,
            default_open_days: 14,
            max_body_bytes: 256 * 1024,
            min_group_size: 5,
            smtp_url: None,
            smtp_ca_file: None,
            mail_from: "peil <peil@localhost>".into(),
            mail_per_second: 20,
            mail_poll_ms: 1000,
            mail_concurrency: 8,
            mail_lease_seconds: 300,
            trusted_proxies: Vec::new(),
            // Three descriptors each, within the usual soft limit of 1,024 with room to spare.
            max_connections: 256,
            max_connections_per_client: 64,
            header_timeout_secs: 10,
            idle_timeout_secs: 30,
            require_2fa: false,
            organisation: Organisation::default(),
            retention: crate::retention::Defaults::default(),
        }
    }
}

/// A secret that never shows up in `Debug` output or logs.
#[derive(Clone, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(text: String) -> Secret {
        Secret(text)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

impl Settings {
    /// Reads `peil.toml` (or `config_file`) and the `PEIL_` environment over the defaults.
    pub fn load(config_file: Option<&Path>) -> Result<Settings, SettingsError> {
        let file = config_file.map_or_else(|| PathBuf::from("peil.toml"), Path::to_path_buf);
        // `__` reaches into a section: `PEIL_ORGANISATION__NAME` is `[organisation] name`.
        let env = Env::prefixed("PEIL_").ignore(&["config"]).split("__");
        let given = Figment::new().merge(Toml::file(file)).merge(env);
        let mut settings = Figment::from(Serialized::defaults(Settings::default()))
            .merge(given.clone())
            .extract::<Settings>()
            .map_err(|e| SettingsError::Figment(Box::new(e)))?;
        // Links must reach this instance: without a base_url of its own, it follows the port and
        // address, so `PEIL_PORT=8765` alone does not mail links to :8000.
        if !given.contains("base_url") {
            settings.base_url = settings.own_url();
        }
        if settings.min_group_size < 3 {
            return Err(SettingsError::GroupTooSmall);
        }
        let connections = [settings.max_connections, settings.max_connections_per_client];
        let timeouts = [settings.header_timeout_secs, settings.idle_timeout_secs];
        if connections.contains(&0) || timeouts.contains(&0) {
            return Err(SettingsError::NoConnections);
        }
        Ok(settings)
    }

    /// `http://address:port`, with a loopback address for "every interface".
    fn own_url(&self) -> String {
        let host = match self.address.as_str() {
            "0.0.0.0" => "127.0.0.1".to_owned(),
            "::" => "[::1]".to_owned(),
            a if a.contains(':') => format!("[{a}]"),
            a => a.to_owned(),
        };
        format!("http://{host}:{}", self.port)
    }

    /// The secret key: configured, or read from (and first written to) `data_dir/secret.key`.
    pub fn resolve_secret(&mut self) -> Result<Secret, SettingsError> {
        if let Some(secret) = &self.secret_key {
            if secret.0.len() < 32 {
                return Err(SettingsError::SecretTooShort);
            }
            return Ok(secret.clone());
        }
        let path = self.data_dir.join("secret.key");
        let io = |source| SettingsError::SecretFile { path: path.clone(), source };
        let secret = match std::fs::read_to_string(&path) {
            Ok(text) => Secret(text.trim().to_string()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                crate::private::create_folder(&self.data_dir).map_err(io)?;
                let secret = Secret(crate::crypto::random_b64(48));
                crate::private::write_new(&path, secret.0.as_bytes()).map_err(io)?;
                secret
            }
            Err(e) => return Err(io(e)),
        };
        self.secret_key = Some(secret.clone());
        Ok(secret)
    }
}

#[cfg(test)]
mod tests {
    use super::Settings;

    fn loaded(toml: &str) -> Settings {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("peil.toml");
        std::fs::write(&file, toml).expect("peil.toml");
        Settings::load(Some(&file)).expect("settings")
    }

    #[test]
    fn without_a_base_url_links_follow_the_port_and_address() {
        assert_eq!(loaded("").base_url, "http://127.0.0.1:8000");
        assert_eq!(loaded("port = 8765").base_url, "http://127.0.0.1:8765");
        assert_eq!(loaded("address = \"0.0.0.0\"\nport = 80").base_url, "http://127.0.0.1:80");
        assert_eq!(loaded("address = \"::\"").base_url, "http://[::1]:8000");
    }

    #[test]
    fn no_proxy_is_trusted_unless_listed() {
        assert!(loaded("").trusted_proxies.is_empty());
        let listed = loaded("trusted_proxies = [\"127.0.0.1\", \"::1\"]").trusted_proxies;
        assert_eq!(listed, ["127.0.0.1".parse::<std::net::IpAddr>().unwrap(), "::1".parse().unwrap()]);
    }

    #[test]
    fn no_connection_cap_or_clock_may_be_zero() {
        for key in
            ["max_connections", "max_connections_per_client", "header_timeout_secs", "idle_timeout_secs"]
        {
            let dir = tempfile::tempdir().expect("temp dir");
            let file = dir.path().join("peil.toml");
            std::fs::write(&file, format!("{key} = 0")).expect("peil.toml");
            let refused = Settings::load(Some(&file));
            assert!(matches!(refused, Err(super::SettingsError::NoConnections)), "{key}: {refused:?}");
        }
        let defaults = loaded("");
        assert_eq!((defaults.max_connections, defaults.max_connections_per_client), (256, 64));
        assert_eq!((defaults.header_timeout_secs, defaults.idle_timeout_secs), (10, 30));
    }

    #[test]
    fn the_organisation_is_read_from_its_section_and_is_absent_by_default() {
        assert_eq!(loaded("").organisation, crate::organisation::Organisation::default());
        let organisation = loaded(
            "[organisation]\nname = \"Huisartsen Noord\"\nemail = \"info@hanoord.nl\"\nphone = \"020 123 4567\"",
        )
        .organisation;
        assert_eq!(organisation.name(), Some("Huisartsen Noord"));
        assert_eq!(organisation.email().map(|e| e.as_str()), Some("info@hanoord.nl"));
        assert_eq!(organisation.phone().map(|p| p.dial()), Some("+31201234567"));
    }

    #[test]
    fn a_wrong_organisation_address_or_number_stops_the_start_naming_the_key() {
        for (toml, key) in [
            ("[organisation]\nemail = \"info-at-hanoord.nl\"", "organisation.email \"info-at-hanoord.nl\""),
            ("[organisation]\nphone = \"bel ons\"", "organisation.phone \"bel ons\""),
        ] {
            let dir = tempfile::tempdir().expect("temp dir");
            let file = dir.path().join("peil.toml");
            std::fs::write(&file, toml).expect("peil.toml");
            let refused = Settings::load(Some(&file)).expect_err(toml).to_string();
            assert!(refused.contains(key), "{refused}");
        }
    }

    #[test]
    fn retention_defaults_are_read_from_their_section_and_a_bad_term_stops_the_start() {
        use crate::retention::Term;
        assert_eq!(loaded("").retention.links, Term::months(3));
        let set = loaded("[retention]\nresponses = \"12 months\"\naudit = \"7 years\"").retention;
        assert_eq!(
            (set.responses, set.audit, set.attendance),
            (Term::months(12), Term::years(7), Term::years(6))
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("peil.toml");
        std::fs::write(&file, "[retention]\nlinks = \"3 weeks\"").expect("peil.toml");
        let refused = Settings::load(Some(&file)).expect_err("a bad term").to_string();
        assert!(refused.contains("\"weeks\" is not a unit"), "{refused}");
    }

    #[test]
    fn a_base_url_of_its_own_is_kept_whatever_the_port() {
        let settings = loaded("port = 8765\nbase_url = \"https://peil.example.org\"");
        assert_eq!(settings.base_url, "https://peil.example.org");
    }
}
