use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

/// Where each part of the web stack logs to, whatever `PEIL_LOG` asks. Rocket's messages about
/// a request name its whole path ("No matching routes for HEAD /r/<token>"), and with it a
/// personal link, a handle or a password link; hyper's debug output holds headers and cookies.
/// Rocket's own `log_level` (Off, in `web::build`) does not apply: its `log` records reach
/// tracing through tracing-subscriber's `log` bridge, which is installed first, so Rocket's
/// logger never is. So Rocket is off here, except the parts that speak only while it starts
/// (configuration, ignition, launch) and about connections; Rocket writes its lines about a
/// request under `rocket::<module>::_`, which stays off. `peil::web::headers` logs each request
/// instead, by its route's pattern.
const FIXED: [(&str, &str); 11] = [
    ("rocket", "off"),
    ("rocket::config", "warn"),
    ("rocket::rkt", "warn"),
    ("rocket::error", "warn"),
    ("rocket::launch", "warn"),
    ("rocket::server", "warn"),
    ("rocket::server::_", "off"),
    ("rocket_dyn_templates", "warn"),
    ("hyper", "warn"),
    ("hyper_util", "warn"),
    ("h2", "warn"),
];

/// `asked`, without what it says about the targets in `FIXED` (or below them: a target matches
/// every target it is a prefix of), followed by `FIXED`.
fn log_filter(asked: Option<String>) -> String {
    let asked = asked.unwrap_or_else(|| "info,sqlx=warn".to_string());
    let fixed = |directive: &str| {
        let target = directive.trim().split('=').next().unwrap_or_default();
        FIXED.iter().any(|(root, _)| target.starts_with(root))
    };
    let mut directives: Vec<String> = asked.split(',').filter(|d| !fixed(d)).map(str::to_string).collect();
    directives.extend(FIXED.iter().map(|(target, level)| format!("{target}={level}")));
    directives.join(",")
}

/// Colours only for a person at a terminal who has not asked for none (<https://no-color.org>):
/// in a log file, a pipe or the journal the escape codes are noise. tracing-subscriber itself
/// only looks at `NO_COLOR`, not at where its output goes.
fn log_in_colour(terminal: bool, no_color: Option<std::ffi::OsString>) -> bool {
    terminal && no_color.is_none_or(|v| v.is_empty())
}

fn main() -> ExitCode {
    let filter = tracing_subscriber::EnvFilter::new(log_filter(std::env::var("PEIL_LOG").ok()));
    let colour = log_in_colour(std::io::stderr().is_terminal(), std::env::var_os("NO_COLOR"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(colour).init();
    let cli = peil::cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(peil::cli::run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("peil: {e:#}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_web_stack_stays_quiet_whatever_peil_log_asks() {
        let filter = super::log_filter(Some("debug,hyper=trace,rocket::request=debug,peil=trace".into()));
        assert!(filter.starts_with("debug,peil=trace,rocket=off,"), "{filter}");
        assert!(filter.contains(",rocket::server::_=off,"), "{filter}");
        assert!(!filter.contains("hyper=trace") && !filter.contains("rocket::request"), "{filter}");
        assert!(super::log_filter(None).starts_with("info,sqlx=warn,rocket=off"));
    }

    #[test]
    fn the_log_is_coloured_only_on_a_terminal_without_no_color() {
        assert!(super::log_in_colour(true, None));
        assert!(super::log_in_colour(true, Some("".into())));
        assert!(!super::log_in_colour(true, Some("1".into())));
        assert!(!super::log_in_colour(false, None));
    }
}
