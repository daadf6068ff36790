//! Exit codes and error reporting: the one place where a failure becomes
//! a status and a message on stderr.

use std::process::ExitCode;

/// The documented exit codes (docs/architecture.md, "cli"); shown in `--help`, the man page
/// and the README.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  error (server unreachable, write conflict, declined confirmation, ...)
  2  usage: bad arguments, invalid JSON or duration, conflicting flags,
     a destructive action without --yes when not on a terminal
  3  not found: unknown checkpoint id, thread with no checkpoints, missing item
  4  lock busy, lost or timed out
  5  data problem: corrupt record, unsupported envelope version
  6  verification found differences (e.g. `diff --exit-code`)";

/// The exit codes as (code, meaning) pairs, for the man page.
pub const EXIT_CODES: [(u8, &str); 7] = [
    (0, "success"),
    (1, "error (server unreachable, write conflict, declined confirmation, ...)"),
    (2, "usage: bad arguments, invalid JSON or duration, conflicting flags, a destructive action without --yes when not on a terminal"),
    (3, "not found: unknown checkpoint id, thread with no checkpoints, missing item"),
    (4, "lock busy, lost or timed out"),
    (5, "data problem: corrupt record, unsupported envelope version"),
    (6, "verification found differences (e.g. diff --exit-code)"),
];

/// Failures the CLI itself detects, each with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input or a combination of flags that cannot work (exit 2).
    #[error("{0}")]
    Usage(String),
    /// What was asked for does not exist (exit 3).
    #[error("{0}")]
    NotFound(String),
    /// Stored data is unusable (exit 5).
    #[error("{0}")]
    Data(String),
    /// A comparison found differences (exit 6); the message is optional.
    #[error("{0}")]
    Differences(String),
    /// A child command's own exit status, passed through as ours (`lock
    /// run`); no message of its own (add one with `.context`).
    #[error("")]
    Status(u8),
}

/// Shorthand for a usage error.
pub fn usage(message: impl Into<String>) -> anyhow::Error {
    CliError::Usage(message.into()).into()
}

/// Shorthand for a not-found error.
pub fn not_found(message: impl Into<String>) -> anyhow::Error {
    CliError::NotFound(message.into()).into()
}

/// The exit code for `error`: the first typed error in its chain decides.
pub fn code_for(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if let Some(cli) = cause.downcast_ref::<CliError>() {
            return match cli {
                CliError::Usage(_) => 2,
                CliError::NotFound(_) => 3,
                CliError::Data(_) => 5,
                CliError::Differences(_) => 6,
                CliError::Status(code) => *code,
            };
        }
        if let Some(lib) = cause.downcast_ref::<threadctl::Error>() {
            return library_code(lib);
        }
    }
    1
}

fn library_code(error: &threadctl::Error) -> u8 {
    use threadctl::Error as E;
    match error {
        E::InvalidInput { .. } => 2,
        E::NotFound(_) => 3,
        E::LockBusy { .. } | E::LockLost(_) => 4,
        E::Corrupt { .. } | E::UnsupportedVersion { .. } => 5,
        E::Conflict { .. } | E::RlsRestricted { .. } | E::Connect { .. } | E::Backend { .. } => 1,
        E::Serde { .. } | E::OutcomeUnknown { .. } => 1,
    }
}

/// True when the failure is only a closed stdout (`threadctl history | head`).
fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// One line: the message of each cause, skipping causes whose text the
/// previous message already includes (library errors embed their source).
pub fn render(error: &anyhow::Error) -> String {
    let mut line = String::new();
    let mut previous = String::new();
    for cause in error.chain() {
        let text = cause.to_string();
        if text.is_empty() || previous.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
        previous = text;
    }
    line.replace('\n', " ")
}

/// Turns the outcome of a run into the process exit code, printing the
/// error (if any) as one line on stderr. A broken pipe ends quietly.
pub fn finish(outcome: anyhow::Result<()>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            let message = render(&error);
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            ExitCode::from(code_for(&error))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_errors_pick_their_codes_through_context() {
        let not_found =
            anyhow::Error::from(threadctl::Error::NotFound("x".into())).context("showing");
        assert_eq!(code_for(&not_found), 3);
        let corrupt = anyhow::Error::from(threadctl::Error::corrupt("cp 1", "bad"));
        assert_eq!(code_for(&corrupt), 5);
        let busy = anyhow::Error::from(threadctl::Error::LockBusy {
            key: "entelix:lock:00".into(),
            waited: None,
        });
        assert_eq!(code_for(&busy), 4);
        let future = anyhow::Error::from(threadctl::Error::UnsupportedVersion {
            found: 9,
            record: "cp".into(),
            min: 1,
            max: 2,
        });
        assert_eq!(code_for(&future), 5);
        assert_eq!(code_for(&CliError::Differences(String::new()).into()), 6);
        assert_eq!(code_for(&super::not_found("gone")), 3);
        assert_eq!(code_for(&usage("no")), 2);
        assert_eq!(code_for(&anyhow::anyhow!("plain")), 1);
        let unknown = anyhow::Error::from(threadctl::Error::OutcomeUnknown {
            what: "appending 1 event(s)".into(),
            check: "read the log".into(),
            source: Box::new(threadctl::Error::NotFound("x".into())),
        });
        assert_eq!(code_for(&unknown), 1);
    }

    #[test]
    fn rendering_skips_causes_already_in_the_message() {
        let io = std::io::Error::other("refused");
        let lib = threadctl::Error::backend("redis", "reading", io);
        assert_eq!(
            render(&anyhow::Error::from(lib)),
            "redis error while reading: refused"
        );
    }
}
