//! Exit codes and error reporting: the one place where a failure becomes
//! a status and a message on stderr.

use std::process::ExitCode;

/// threadctl's own exit statuses. This enum is the one source of their
/// codes and meanings: `--help` and the man page's EXIT STATUS section are
/// generated from it, and a test keeps the README's table equal to it.
/// (`lock run` also passes its command's status through, see
/// [`CliError::Status`].)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitStatus {
    /// The command did what was asked.
    Success = 0,
    /// Any failure without a more specific status.
    Error = 1,
    /// The command line or its input cannot work.
    Usage = 2,
    /// What was asked for does not exist.
    NotFound = 3,
    /// The session lock is busy or was lost.
    LockBusy = 4,
    /// Stored data is unusable.
    DataProblem = 5,
    /// A comparison found differences.
    Differences = 6,
}

impl ExitStatus {
    /// Every status, in code order.
    pub const ALL: [ExitStatus; 7] = [
        ExitStatus::Success,
        ExitStatus::Error,
        ExitStatus::Usage,
        ExitStatus::NotFound,
        ExitStatus::LockBusy,
        ExitStatus::DataProblem,
        ExitStatus::Differences,
    ];

    /// The process exit code.
    pub const fn code(self) -> u8 {
        self as u8
    }

    /// What the status means, as `--help`, the man page and the README say it.
    pub const fn meaning(self) -> &'static str {
        match self {
            ExitStatus::Success => "success",
            ExitStatus::Error => {
                "error: server unreachable or stalled, certificate refused, write conflict (--if-latest), a write whose outcome is unknown, declined confirmation, a failed doctor check"
            }
            ExitStatus::Usage => {
                "usage: bad arguments, invalid JSON or duration, conflicting flags, \
                 a destructive action without --yes off a terminal"
            }
            ExitStatus::NotFound => {
                "not found: unknown checkpoint id, thread with no checkpoints, missing store item"
            }
            ExitStatus::LockBusy => {
                "session lock busy (after --wait, or at once with --no-wait) or lost; \
                 prune skipped a thread whose lock was held"
            }
            ExitStatus::DataProblem => {
                "data problem: a corrupt record (named in the message), \
                 an unsupported envelope version, or problems verify found"
            }
            ExitStatus::Differences => {
                "verification found differences (diff --exit-code, migrate check)"
            }
        }
    }
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        ExitCode::from(status.code())
    }
}

/// The exit-code list at the end of `--help`, generated from [`ExitStatus`]:
/// one entry per status, its meaning wrapped under itself.
pub fn help_text() -> String {
    /// Longest line of a meaning, so that help at 80 columns keeps its shape.
    const WIDTH: usize = 72;
    let mut text = String::from("Exit codes:");
    for status in ExitStatus::ALL {
        let mut line = format!("  {}  ", status.code());
        let indent = line.len();
        for word in status.meaning().split(' ') {
            if line.len() > indent && line.len() + 1 + word.len() > WIDTH {
                text.push('\n');
                text.push_str(line.trim_end());
                line = " ".repeat(indent);
            } else if line.len() > indent {
                line.push(' ');
            }
            line.push_str(word);
        }
        text.push('\n');
        text.push_str(&line);
    }
    text
}

/// Failures the CLI itself detects, each with its exit code.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// Bad input or a combination of flags that cannot work
    /// ([`ExitStatus::Usage`]).
    #[error("{0}")]
    Usage(String),
    /// What was asked for does not exist ([`ExitStatus::NotFound`]).
    #[error("{0}")]
    NotFound(String),
    /// Stored data is unusable ([`ExitStatus::DataProblem`]).
    #[error("{0}")]
    Data(String),
    /// A comparison found differences ([`ExitStatus::Differences`]); the
    /// message is optional.
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
                CliError::Usage(_) => ExitStatus::Usage.code(),
                CliError::NotFound(_) => ExitStatus::NotFound.code(),
                CliError::Data(_) => ExitStatus::DataProblem.code(),
                CliError::Differences(_) => ExitStatus::Differences.code(),
                CliError::Status(code) => *code,
            };
        }
        if let Some(lib) = cause.downcast_ref::<threadctl::Error>() {
            return library_status(lib).code();
        }
    }
    ExitStatus::Error.code()
}

fn library_status(error: &threadctl::Error) -> ExitStatus {
    use threadctl::Error as E;
    match error {
        E::InvalidInput { .. } => ExitStatus::Usage,
        E::NotFound(_) => ExitStatus::NotFound,
        E::LockBusy { .. } | E::LockLost(_) => ExitStatus::LockBusy,
        E::Corrupt { .. } | E::UnsupportedVersion { .. } | E::Dump { .. } => {
            ExitStatus::DataProblem
        }
        // Conflicts, RLS restrictions, connection, driver and serde failures,
        // and any variant a later library adds until it gets a status of its own.
        _ => ExitStatus::Error,
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
        Ok(()) => ExitStatus::Success.into(),
        Err(error) if is_broken_pipe(&error) => ExitStatus::Success.into(),
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
        assert_eq!(code_for(&not_found), ExitStatus::NotFound.code());
        let corrupt = anyhow::Error::from(threadctl::Error::corrupt("cp 1", "bad"));
        assert_eq!(code_for(&corrupt), ExitStatus::DataProblem.code());
        let busy = anyhow::Error::from(threadctl::Error::LockBusy {
            key: "entelix:lock:00".into(),
            waited: None,
        });
        assert_eq!(code_for(&busy), ExitStatus::LockBusy.code());
        let future = anyhow::Error::from(threadctl::Error::UnsupportedVersion {
            found: 9,
            record: "cp".into(),
            min: 1,
            max: 2,
        });
        assert_eq!(code_for(&future), ExitStatus::DataProblem.code());
        let truncated = anyhow::Error::from(threadctl::Error::Dump {
            line: 7,
            reason: "truncated".into(),
        });
        assert_eq!(code_for(&truncated), ExitStatus::DataProblem.code());
        assert_eq!(
            code_for(&CliError::Differences(String::new()).into()),
            ExitStatus::Differences.code()
        );
        assert_eq!(
            code_for(&super::not_found("gone")),
            ExitStatus::NotFound.code()
        );
        assert_eq!(code_for(&usage("no")), ExitStatus::Usage.code());
        assert_eq!(
            code_for(&anyhow::anyhow!("plain")),
            ExitStatus::Error.code()
        );
        let unknown = anyhow::Error::from(threadctl::Error::OutcomeUnknown {
            what: "appending 1 event(s)".into(),
            check: "read the log".into(),
            source: Box::new(threadctl::Error::NotFound("x".into())),
        });
        assert_eq!(code_for(&unknown), ExitStatus::Error.code());
    }

    #[test]
    fn statuses_are_listed_in_code_order_without_gaps() {
        for (index, status) in ExitStatus::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(status.code()), index, "{status:?}");
        }
    }

    #[test]
    fn the_readme_table_is_exactly_the_statuses() {
        let readme = include_str!("../../README.md");
        let (_, section) = readme
            .split_once("## Exit codes")
            .expect("README.md has an \"Exit codes\" section");
        let rows: Vec<(u8, String)> = section
            .lines()
            .skip_while(|line| !line.starts_with("| code | meaning |"))
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .map(|line| {
                let (code, meaning) = line
                    .trim_matches('|')
                    .split_once('|')
                    .unwrap_or_else(|| panic!("README row {line:?} has no two cells"));
                let code = code.trim().parse().expect("README code cell");
                (code, meaning.trim().to_string())
            })
            .collect();
        let statuses: Vec<(u8, String)> = ExitStatus::ALL
            .into_iter()
            .map(|status| (status.code(), status.meaning().to_string()))
            .collect();
        assert_eq!(rows, statuses);
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
