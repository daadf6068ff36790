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
}

impl Check {
    /// A check that came out fine.
    pub fn ok(name: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            level: CheckLevel::Ok,
            detail: detail.into(),
            hint: None,
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
        }
    }
}

/// The backend-specific facts of a diagnosis: server, transport security,
/// and what of the store's configuration decides what threadctl sees.
pub trait Diagnostics: Send + Sync {
    /// Gathers the checks; reads only. A fact the server refuses to tell
    /// is a warning saying so, not an error.
    fn diagnostics(&self) -> impl Future<Output = Result<Vec<Check>>> + Send;
}
