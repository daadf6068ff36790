//! What a backend can tell about its connection and server, for `doctor`:
//! each fact is a [`Check`] that is ok, worth a warning, or a failure,
//! with a one-line hint saying what to do about it.

use std::future::Future;

use crate::error::Result;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CheckLevel {
    /// Nothing to do.
    Ok,
    /// Works, but may not be what the operator expects.
    Warn,
    /// threadctl cannot work with the store as it is.
    Fail,
}

impl CheckLevel {
    /// The level as printed: `ok`, `warn` or `fail`.
    pub fn name(self) -> &'static str {
        match self {
            CheckLevel::Ok => "ok",
            CheckLevel::Warn => "warn",
            CheckLevel::Fail => "fail",
        }
    }
}

/// One line of a diagnosis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    /// What was checked, e.g. `connection` or `tls`.
    pub name: String,
    /// How it came out.
    pub level: CheckLevel,
    /// What was found, on one line.
    pub detail: String,
    /// What to do about it (none when there is nothing to do).
    pub hint: Option<String>,
    /// True when the detail's figures are estimates (a big store's
    /// statistics or a sample), not counts.
    pub estimated: bool,
}

impl Check {
    /// A check that came out fine.
    pub fn ok(name: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            level: CheckLevel::Ok,
            detail: detail.into(),
            hint: None,
            estimated: false,
        }
    }

    /// A check worth a warning, with what to do about it.
    pub fn warn(
        name: impl Into<String>,
        detail: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            level: CheckLevel::Warn,
            detail: detail.into(),
            hint: Some(hint.into()),
            estimated: false,
        }
    }

    /// A failed check, with what to do about it.
    pub fn fail(
        name: impl Into<String>,
        detail: impl Into<String>,
        hint: impl Into<String>,
    ) -> Self {
        Self {
            name: name.into(),
            level: CheckLevel::Fail,
            detail: detail.into(),
            hint: Some(hint.into()),
            estimated: false,
        }
    }
}

impl Check {
    /// The same check, flagged as resting on estimates.
    pub fn estimated(mut self) -> Self {
        self.estimated = true;
        self
    }
}

/// What a store's own statistics say of its size, read without scanning
/// records: enough to decide whether counting exactly is cheap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SizeEstimate {
    /// Checkpoints, about.
    pub checkpoints: u64,
    /// Threads, about, when the statistics tell.
    pub threads: Option<u64>,
    /// Tenants, about, when the statistics tell.
    pub tenants: Option<u64>,
}

/// The backend-specific facts of a diagnosis: server, transport security,
/// and what of the store's configuration decides what threadctl sees.
pub trait Diagnostics: Send + Sync {
    /// Gathers the checks; reads only. A fact the server refuses to tell
    /// is a warning saying so, not an error.
    fn diagnostics(&self) -> impl Future<Output = Result<Vec<Check>>> + Send;

    /// One round trip that does nothing else (`SELECT 1`, `PING`): what
    /// `doctor` times as the latency.
    fn ping(&self) -> impl Future<Output = Result<()>> + Send;

    /// The store's size from the server's statistics or a small sample,
    /// without reading every record (Postgres `pg_class.reltuples`, Redis
    /// `DBSIZE` and random keys, SQLite a count).
    fn estimate_size(&self) -> impl Future<Output = Result<SizeEstimate>> + Send;
}
