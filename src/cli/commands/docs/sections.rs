//! The man page sections clap does not generate: ENVIRONMENT, EXIT
//! STATUS (from [`ExitStatus`]) and EXAMPLES, in roff.

use crate::cli::commands::events::LOCK_WAIT_ENV;
use crate::cli::commands::lock::{KEY_ENV, TOKEN_ENV};
use crate::cli::exit::ExitStatus;
use crate::cli::{CA_FILE_ENV, CONNECT_TIMEOUT_ENV, TIMEOUT_ENV};

/// The environment variables threadctl reads or sets, and what they do.
const ENVIRONMENT: [(&str, &str); 9] = [
    ("THREADCTL_URL", "The store URL, as --url."),
    ("THREADCTL_TENANT", "The tenant, as --tenant."),
    (CA_FILE_ENV, "The certificate authority file, as --ca-file."),
    (CONNECT_TIMEOUT_ENV, "The connect timeout, as --connect-timeout."),
    (TIMEOUT_ENV, "The operation timeout, as --timeout."),
    (
        "THREADCTL_LOG",
        "A tracing filter for the log on stderr (e.g. debug), instead of -v.",
    ),
    (
        LOCK_WAIT_ENV,
        "How long an events append or archive waits for a session lock held elsewhere (Postgres; default 30s).",
    ),
    (
        KEY_ENV,
        "Set by lock run for its command: the key of the session lock it holds.",
    ),
    (
        TOKEN_ENV,
        "Set by lock run for its command: the token of the session lock it holds.",
    ),
];

/// Command lines worth showing, each with what it does.
const EXAMPLES: [(&str, &str); 5] = [
    (
        "List the threads of tenant acme on a Postgres store:",
        "threadctl --url postgres://app@db/agents --tenant acme threads",
    ),
    (
        "Show the five newest checkpoints of a thread:",
        "threadctl history support-42 --limit 5",
    ),
    (
        "Print a thread's newest state as JSON for jq:",
        "threadctl latest support-42 --state-only | jq .",
    ),
    (
        "Run a repair script while holding the thread's session lock:",
        "threadctl lock run support-42 --ttl 30s -- ./repair.sh",
    ),
    (
        "Install the bash completion:",
        "threadctl completions bash > ~/.local/share/bash-completion/completions/threadctl",
    ),
];

/// Appends the ENVIRONMENT section.
pub fn environment(page: &mut Vec<u8>) {
    page.extend_from_slice(b".SH ENVIRONMENT\n");
    for (name, meaning) in ENVIRONMENT {
        let entry = format!(".TP\n\\fB{}\\fR\n{}\n", escape(name), escape(meaning));
        page.extend_from_slice(entry.as_bytes());
    }
}

/// Appends the EXIT STATUS section.
pub fn exit_status(page: &mut Vec<u8>) {
    page.extend_from_slice(b".SH \"EXIT STATUS\"\n");
    for status in ExitStatus::ALL {
        let (code, meaning) = (status.code(), escape(status.meaning()));
        page.extend_from_slice(format!(".TP\n{code}\n{meaning}\n").as_bytes());
    }
}

/// Appends the EXAMPLES section.
pub fn examples(page: &mut Vec<u8>) {
    page.extend_from_slice(b".SH EXAMPLES\n");
    for (what, line) in EXAMPLES {
        let entry = format!(".PP\n{}\n.PP\n.nf\n{}\n.fi\n", escape(what), escape(line));
        page.extend_from_slice(entry.as_bytes());
    }
}

/// Escapes text for a roff paragraph (backslashes, dashes, leading dots
/// and quotes).
fn escape(text: &str) -> String {
    let escaped = text.replace('\\', "\\e").replace('-', "\\-");
    if escaped.starts_with('.') || escaped.starts_with('\'') {
        format!("\\&{escaped}")
    } else {
        escaped
    }
}
