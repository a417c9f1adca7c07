use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;

/// Rocket's and hyper's debug output holds whole request paths and headers, and with them
/// personal links and session cookies: whatever `PEIL_LOG` asks, they stay at `warn`.
const QUIET: [&str; 5] = ["rocket", "rocket_http", "hyper", "hyper_util", "h2"];

fn log_filter(asked: Option<String>) -> String {
    let asked = asked.unwrap_or_else(|| "info,sqlx=warn".to_string());
    let mut directives: Vec<String> = asked
        .split(',')
        .filter(|d| !QUIET.iter().any(|target| d.trim().split('=').next() == Some(*target)))
        .map(str::to_string)
        .collect();
    directives.extend(QUIET.iter().map(|target| format!("{target}=warn")));
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
    fn the_web_stack_stays_at_warn_whatever_peil_log_asks() {
        assert_eq!(
            super::log_filter(Some("debug,hyper=trace".into())),
            "debug,rocket=warn,rocket_http=warn,hyper=warn,hyper_util=warn,h2=warn"
        );
        assert!(super::log_filter(None).starts_with("info,sqlx=warn"));
    }

    #[test]
    fn the_log_is_coloured_only_on_a_terminal_without_no_color() {
        assert!(super::log_in_colour(true, None));
        assert!(super::log_in_colour(true, Some("".into())));
        assert!(!super::log_in_colour(true, Some("1".into())));
        assert!(!super::log_in_colour(false, None));
    }
}
