//! Diagnostics on stderr: tracing logs whose level follows `-v` / `-q`.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Sends logs to stderr. Default level `warn` (library warnings such as
/// Redis key-collision notices still show); `-v` info, `-vv` debug,
/// `-vvv` trace; `-q` errors only. `THREADCTL_LOG` (an env-filter
/// directive) overrides all of them.
pub fn init(verbose: u8, quiet: bool) {
    let filter = EnvFilter::try_from_env("THREADCTL_LOG")
        .unwrap_or_else(|_| EnvFilter::new(directives(verbose, quiet)));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(use_color())
        .with_target(verbose > 1)
        .without_time()
        .init();
}

/// The filter for `-v`/`-q`. The database driver's own logs (sqlx: slow
/// statement warnings quoting SQL, statement traces) are for debugging
/// threadctl, so they only show from `-vv` on.
fn directives(verbose: u8, quiet: bool) -> String {
    let level = match (quiet, verbose) {
        (true, _) => "error",
        (false, 0) => "warn",
        (false, 1) => "info",
        (false, 2) => "debug",
        (false, _) => "trace",
    };
    if verbose >= 2 {
        level.to_string()
    } else {
        format!("{level},sqlx=off")
    }
}

/// Colours only on a terminal, and never when `NO_COLOR` is set to a
/// non-empty value (<https://no-color.org>), as clap's help and errors do.
fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_logs_only_show_from_double_verbose() {
        assert_eq!(directives(0, false), "warn,sqlx=off");
        assert_eq!(directives(1, false), "info,sqlx=off");
        assert_eq!(directives(0, true), "error,sqlx=off");
        assert_eq!(directives(2, false), "debug");
        assert_eq!(directives(3, false), "trace");
    }
}
