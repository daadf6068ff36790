//! The library's typed error: every failure says what went wrong and where.

use std::time::Duration;

/// Result alias used throughout the library.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything the persistence layer can fail with.
///
/// Variants are coarse on purpose: callers (the CLI above all) map them to
/// exit codes, and the message carries the detail an operator needs.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Caller-supplied input is unusable (empty id, bad namespace, bad URL…).
    #[error("invalid {what}: {reason}")]
    InvalidInput {
        /// Which input (e.g. "tenant id", "namespace").
        what: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// The thing asked for does not exist.
    #[error("not found: {0}")]
    NotFound(String),
    /// A stored record cannot be decoded or fails its integrity checks.
    #[error("corrupt record {record}: {reason}")]
    Corrupt {
        /// Which record, and where it is stored.
        record: String,
        /// What is wrong with it (missing field, bad JSON, checksum…).
        reason: String,
    },
    /// An envelope carries a schema version this build does not read or write.
    #[error("unsupported envelope schema version {found} in {record} (supported: {min}..={max})")]
    UnsupportedVersion {
        /// The version found.
        found: i64,
        /// Which record (or "write version" for a store setting).
        record: String,
        /// Lowest supported version.
        min: u32,
        /// Highest supported version.
        max: u32,
    },
    /// A write was refused because it would clash with what is stored;
    /// `kind` says which clash, the same on every backend.
    #[error("conflict: {message}")]
    Conflict {
        /// Which clash.
        kind: ConflictKind,
        /// What clashed, with the ids involved.
        message: String,
    },
    /// The session lock is held by someone else (or the wait timed out).
    #[error("lock busy: {key} is held by another holder{}", waited_suffix(*.waited))]
    LockBusy {
        /// The backend lock key (Redis key or Postgres advisory pair).
        key: String,
        /// How long we waited before giving up, if we waited.
        waited: Option<Duration>,
    },
    /// A lock we held is gone (expired, broken, or its connection was lost).
    #[error("lock lost: {0}")]
    LockLost(String),
    /// Cross-tenant work on Postgres by a role subject to row-level security.
    #[error("role {role:?} is subject to row-level security and cannot see other tenants' rows; connect as a superuser or a role with BYPASSRLS for {operation}")]
    RlsRestricted {
        /// The connected role.
        role: String,
        /// The operation that needed to see every tenant.
        operation: &'static str,
    },
    /// The server could not be reached.
    #[error("cannot connect to {target}: {reason}")]
    Connect {
        /// Redacted address (no password).
        target: String,
        /// Why the connection failed.
        reason: String,
    },
    /// A backend call failed after connecting.
    #[error("{backend} error while {context}: {source}")]
    Backend {
        /// "postgres", "redis" or "sqlite".
        backend: &'static str,
        /// What the library was doing.
        context: String,
        /// The driver's error.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// A write whose connection broke or stalled before its reply: the
    /// server may or may not have applied it, so it was not repeated blindly.
    #[error("the server may have applied it: {what} failed before its reply arrived ({source}); {check}")]
    OutcomeUnknown {
        /// The write, with what identifies it (thread, checkpoint id…).
        what: String,
        /// How to find out whether it was applied before writing again.
        check: String,
        /// The failure that hid the outcome.
        #[source]
        source: Box<Error>,
    },
    /// A dump stream (docs/dump-format.md) that cannot be imported: not a
    /// dump, a version this build does not read, a malformed or overlong
    /// line, or a stream that ends before its end line (truncated).
    #[error("dump line {line}: {reason}")]
    Dump {
        /// The 1-based line of the stream where the problem is.
        line: u64,
        /// What is wrong and what to do about it.
        reason: String,
    },
    /// Reading or writing a file or a standard stream failed.
    #[error("{what}: {source}")]
    Io {
        /// What was being read or written (a path, "standard output"…).
        what: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A value could not be converted to or from JSON for the caller's type.
    #[error("cannot convert {what} between JSON and the requested type: {source}")]
    Serde {
        /// What was being converted.
        what: String,
        /// serde_json's error.
        #[source]
        source: serde_json::Error,
    },
}

/// Why a write was refused. The three backends name the same case the
/// same way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictKind {
    /// The thread already has a (different) record of that id.
    DuplicateId,
    /// The latest checkpoint is no longer the one the writer expected.
    StaleLatest,
    /// The Redis keys hold another (tenant, thread) pair's records.
    ForeignKeys,
    /// The parent kept changing while a fork was read and written.
    ParentChanged,
    /// The thread was to be new but already has checkpoints.
    ThreadNotEmpty,
    /// A session event would leave a gap in the target log's ordinals
    /// (the target already holds events that end before it).
    OrdinalGap,
}

fn waited_suffix(waited: Option<Duration>) -> String {
    match waited {
        Some(d) => format!(" (gave up after {:.1}s)", d.as_secs_f64()),
        None => String::new(),
    }
}

impl Error {
    /// Shorthand for [`Error::InvalidInput`].
    pub fn invalid(what: &'static str, reason: impl Into<String>) -> Self {
        Error::InvalidInput {
            what,
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Corrupt`].
    pub fn corrupt(record: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::Corrupt {
            record: record.into(),
            reason: reason.into(),
        }
    }

    /// Shorthand for [`Error::Conflict`].
    pub fn conflict(kind: ConflictKind, message: impl Into<String>) -> Self {
        Error::Conflict {
            kind,
            message: message.into(),
        }
    }

    /// A checkpoint id the thread already has (worded alike everywhere).
    pub fn duplicate_id(id: impl std::fmt::Display, thread: impl std::fmt::Display) -> Self {
        Self::conflict(
            ConflictKind::DuplicateId,
            format!("checkpoint {id} already exists in thread {thread}; checkpoints are never overwritten"),
        )
    }

    /// An expected latest checkpoint that no longer is (worded alike
    /// everywhere): `expected` is the latest the writer read, `None` when
    /// it found the thread empty; `actual` is the latest now, `None` for
    /// an empty thread.
    pub fn stale_latest(
        expected: Option<impl std::fmt::Display>,
        thread: impl std::fmt::Display,
        actual: Option<impl std::fmt::Display>,
    ) -> Self {
        let actual = match actual {
            Some(id) => format!("the latest is {id}"),
            None => "the thread is empty".to_string(),
        };
        let expected = match expected {
            Some(id) => format!("expected {id} to be the latest checkpoint of {thread}"),
            None => format!("expected thread {thread} to be empty"),
        };
        Self::conflict(
            ConflictKind::StaleLatest,
            format!("{expected}, but {actual}"),
        )
    }

    /// Wraps a driver error with the backend name and what was being done.
    pub fn backend(
        backend: &'static str,
        context: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Backend {
            backend,
            context: context.into(),
            source: Box::new(source),
        }
    }
}
