//! How the library talks to a server: time limits and the certificate
//! authority it trusts. One value serves every backend, so a caller (the
//! CLI's global flags, a service's configuration) sets them once.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::backend::schema::SchemaSetup;
use crate::error::{Error, Result};
use crate::model::ThreadKey;

/// Default for [`ConnectOptions::connect_timeout`]: long enough for a
/// distant server's TCP and TLS handshakes, short enough for a person
/// waiting at a prompt.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Default for [`ConnectOptions::operation_timeout`]: generous for one
/// statement or command of an interactive tool, finite so that a stalled
/// server or network ends in an error instead of a hang.
pub const DEFAULT_OPERATION_TIMEOUT: Duration = Duration::from_secs(30);

/// How to open a store ([`Backend::open_with`](crate::Backend::open_with)):
/// what opening may do to its schema, and, for the servers, time limits
/// and the trusted CA (SQLite, a local file, uses only the schema setting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectOptions {
    connect_timeout: Duration,
    operation_timeout: Duration,
    ca_file: Option<PathBuf>,
    setup: SchemaSetup,
    lock_wait: Duration,
    external_lock: Option<(ThreadKey, String)>,
}

/// Default for [`ConnectOptions::lock_wait`].
pub const DEFAULT_LOCK_WAIT: Duration = Duration::from_secs(30);

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            operation_timeout: DEFAULT_OPERATION_TIMEOUT,
            ca_file: None,
            setup: SchemaSetup::Create,
            lock_wait: DEFAULT_LOCK_WAIT,
            external_lock: None,
        }
    }
}

impl ConnectOptions {
    /// The defaults: [`DEFAULT_CONNECT_TIMEOUT`],
    /// [`DEFAULT_OPERATION_TIMEOUT`], and the system's trusted roots.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets how long establishing a connection may take in all (TCP, TLS,
    /// authentication, and retries of refused attempts) before
    /// [`Error::Connect`].
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Sets how long one call may wait for the server's answer before it
    /// fails, naming the server and what it was doing. Waits that are part
    /// of the call's meaning (for a session lock) come on top.
    pub fn with_operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = timeout;
        self
    }

    /// Trusts the certificate authorities in the PEM file `path` (instead
    /// of the system's roots on Redis, in addition to them on Postgres), so
    /// that servers with certificates from a private CA verify. On Postgres
    /// it also turns verification on (`sslmode=verify-full`) unless the URL
    /// sets `sslmode` itself; on Redis it applies to `rediss://` URLs.
    pub fn with_ca_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_file = Some(path.into());
        self
    }

    /// Sets what opening may do to the store's schema (default
    /// [`SchemaSetup::Create`]: an empty store is set up; readers pass
    /// [`SchemaSetup::Existing`], inspections [`SchemaSetup::Inspect`]).
    pub fn with_setup(mut self, setup: SchemaSetup) -> Self {
        self.setup = setup;
        self
    }

    /// Sets how long an event append or archive waits while another
    /// session holds the thread's session lock, before
    /// [`Error::LockBusy`](crate::Error::LockBusy) (default
    /// [`DEFAULT_LOCK_WAIT`]). Only Postgres appends wait for that lock.
    pub fn with_lock_wait(mut self, wait: Duration) -> Self {
        self.lock_wait = wait;
        self
    }

    /// Declares that `thread`'s session lock, whose backend key is `key`,
    /// is held on this process's behalf by another process (`threadctl
    /// lock run` exports it to its command as `THREADCTL_LOCK_KEY`), so
    /// appends and archives of `thread` do not wait for it. Only Postgres
    /// appends take that lock; a key of another thread or backend changes
    /// nothing. Only give it when the holder really acts for this process.
    pub fn with_external_lock(mut self, thread: ThreadKey, key: impl Into<String>) -> Self {
        self.external_lock = Some((thread, key.into()));
        self
    }

    /// How long appends wait for a session lock held elsewhere.
    pub fn lock_wait(&self) -> Duration {
        self.lock_wait
    }

    /// The session lock held on this process's behalf, if any.
    pub fn external_lock(&self) -> Option<(&ThreadKey, &str)> {
        self.external_lock.as_ref().map(|(t, k)| (t, k.as_str()))
    }

    /// What opening may do to the schema.
    pub fn setup(&self) -> SchemaSetup {
        self.setup
    }

    /// The limit on establishing a connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// The limit on one call's wait for an answer.
    pub fn operation_timeout(&self) -> Duration {
        self.operation_timeout
    }

    /// The private CA file, if one was given.
    pub fn ca_file(&self) -> Option<&Path> {
        self.ca_file.as_deref()
    }

    /// The CA file's PEM text, read and checked to hold a certificate, so
    /// that a wrong path is one clear error before any connection attempt.
    pub(crate) fn ca_pem(&self) -> Result<Option<Vec<u8>>> {
        let Some(path) = &self.ca_file else {
            return Ok(None);
        };
        let pem = std::fs::read(path).map_err(|e| {
            Error::invalid("CA file", format!("cannot read {}: {e}", path.display()))
        })?;
        if !String::from_utf8_lossy(&pem).contains("-----BEGIN CERTIFICATE-----") {
            return Err(Error::invalid(
                "CA file",
                format!(
                    "{} holds no PEM certificate (-----BEGIN CERTIFICATE-----); \
                     give the CA certificate that signed the server's",
                    path.display()
                ),
            ));
        }
        Ok(Some(pem))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_five_and_thirty_seconds_and_system_roots() {
        let options = ConnectOptions::new();
        assert_eq!(options.connect_timeout(), Duration::from_secs(5));
        assert_eq!(options.operation_timeout(), Duration::from_secs(30));
        assert_eq!(options.ca_file(), None);
        assert_eq!(options.ca_pem().unwrap(), None);
    }

    #[test]
    fn a_ca_file_that_is_missing_or_not_pem_is_refused_by_name() {
        let missing = ConnectOptions::new().with_ca_file("/nonexistent/ca.pem");
        let error = missing.ca_pem().unwrap_err().to_string();
        assert!(error.contains("/nonexistent/ca.pem"), "{error}");
        let dir = std::env::temp_dir().join(format!("tc-ca-{}", std::process::id()));
        std::fs::write(&dir, "not a certificate").unwrap();
        let garbage = ConnectOptions::new().with_ca_file(&dir).ca_pem();
        std::fs::remove_file(&dir).unwrap();
        assert!(garbage
            .unwrap_err()
            .to_string()
            .contains("no PEM certificate"));
    }
}
