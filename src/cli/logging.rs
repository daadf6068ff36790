//! Diagnostics on stderr: tracing logs whose level follows `-v` / `-q`.

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
        .with_target(verbose > 1)
        .without_time()
        .init();
}
