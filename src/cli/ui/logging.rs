//! Diagnostics on stderr: tracing logs whose level follows `-v` / `-q`.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Sends logs to stderr. Default level `warn` (library warnings such as
/// Redis key-collision notices still show); `-v` info, `-vv` debug,
/// `-vvv` trace; `-q` errors only. `THREADCTL_LOG` (an env-filter
/// directive) overrides all of them.
pub fn init(verbose: u8, quiet: bool) {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    let filter = EnvFilter::try_from_env("THREADCTL_LOG").unwrap_or_else(|_| EnvFilter::new(level));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(use_color())
        .with_target(verbose > 1)
        .without_time()
        .init();
}

/// Colours only on a terminal, and never when `NO_COLOR` is set to a
/// non-empty value (<https://no-color.org>), as clap's help and errors do.
fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
