//! The Redis backend: the reference's key layout (docs/format.md, "Redis
//! layout"), with every multi-key step done atomically by a Lua script and
//! every checkpoint read filtered by the owner stored in the record.

mod admin;
mod bulk;
mod bulk_events;
mod bulk_store;
mod checkpoints;
mod diagnostics;
mod events;
mod floor;
mod keys;
pub(crate) mod link;
mod lock;
mod scan;
mod scripts;
mod store;
mod vacuum;

use std::collections::HashSet;
use std::sync::Mutex;

use redis::RedisError;

use self::link::{Conn, Limits};
use crate::backend::options::ConnectOptions;
use crate::backend::tls::tls_hint;
use crate::backend::traits::WriteVersionAdmin;
use crate::backend::url::{redact, scrub};
use crate::backend::version_cache::WriteVersionCache;
use crate::error::{Error, Result};
use crate::model::{BackendKind, EnvelopeVersion};

/// This backend's kind; its name is the one errors use.
const KIND: BackendKind = BackendKind::Redis;

/// A connected Redis store.
///
/// Every call uses a cheap handle on one shared multiplexed connection
/// (see the `link` module), re-established after it is lost.
pub struct RedisBackend {
    conn: Conn,
    /// The URL without its password, for messages.
    target: String,
    /// Whether the URL asks for TLS (`rediss://`).
    tls: bool,
    write_version: WriteVersionCache,
    warned: Mutex<HashSet<String>>,
}

impl RedisBackend {
    /// Connects to `url` with the default [`ConnectOptions`]; see
    /// [`RedisBackend::connect_with`].
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, &ConnectOptions::default()).await
    }

    /// Connects to `url` (`redis://`, or `rediss://` for TLS verified
    /// against the system's roots or the CA file of `options`) and reads
    /// the store's write version from `entelix:meta:envelope_version`
    /// (absent = 1).
    ///
    /// A malformed URL or unreadable CA file is [`Error::InvalidInput`]; a
    /// server unreachable within the connect timeout (refused or reset
    /// attempts are retried until then), or whose certificate does not
    /// verify, is [`Error::Connect`] naming the URL without its password.
    pub async fn connect_with(url: &str, options: &ConnectOptions) -> Result<Self> {
        let client = client(url, options)?;
        let limits = Limits {
            connect: options.connect_timeout(),
            operation: options.operation_timeout(),
        };
        let conn = Conn::open(client, limits).await.map_err(|e| {
            let reason = scrub(&e.to_string(), url);
            Error::Connect {
                target: redact(url),
                reason: format!("{reason}{}", tls_hint(&reason)),
            }
        })?;
        let backend = Self {
            conn,
            target: redact(url),
            tls: url.starts_with("rediss://"),
            write_version: WriteVersionCache::new(EnvelopeVersion::V1),
            warned: Mutex::new(HashSet::new()),
        };
        backend.refresh_write_version().await?;
        let conn = backend.conn.downgrade();
        backend
            .write_version
            .keep_fresh(move || conn.upgrade().map(admin::load_write_version));
        Ok(backend)
    }

    /// A handle on the shared connection.
    fn conn(&self) -> Conn {
        self.conn.clone()
    }

    /// Logs `message` once per `subject` for this backend.
    fn warn_once(&self, subject: String, message: &str) {
        let first = self
            .warned
            .lock()
            .map(|mut seen| seen.insert(subject.clone()))
            .unwrap_or(true);
        if first {
            tracing::warn!(subject = %subject, "{message}");
        }
    }
}

/// The driver's client for `url`; for a `rediss://` URL with a CA file in
/// `options`, one that trusts that CA instead of the system's roots.
fn client(url: &str, options: &ConnectOptions) -> Result<redis::Client> {
    let invalid =
        |e: RedisError| Error::invalid("store URL", scrub(&format!("{}: {e}", redact(url)), url));
    let pem = options.ca_pem()?;
    let tls = url
        .get(..9)
        .is_some_and(|s| s.eq_ignore_ascii_case("rediss://"));
    match pem {
        Some(root_cert) if tls => redis::Client::build_with_tls(
            url,
            redis::TlsCertificates {
                client_tls: None,
                root_cert: Some(root_cert),
            },
        )
        .map_err(invalid),
        _ => redis::Client::open(url).map_err(invalid),
    }
}

/// Interprets the stored write version (absent = 1).
fn parse_write_version(raw: Option<&str>) -> Result<EnvelopeVersion> {
    let record = format!("redis key {}", keys::WRITE_VERSION_KEY);
    let Some(raw) = raw else {
        return Ok(EnvelopeVersion::V1);
    };
    let number: i64 = raw.trim().parse().map_err(|_| {
        Error::corrupt(
            &record,
            format!(
                "value {raw:?} is not an integer (supported versions: {}..={})",
                EnvelopeVersion::MIN,
                EnvelopeVersion::MAX
            ),
        )
    })?;
    EnvelopeVersion::from_number(number, &record)
}

/// Maps a driver error to [`Error::Backend`] with what was being done.
fn driver_error(context: impl Into<String>) -> impl FnOnce(RedisError) -> Error {
    let context = context.into();
    move |e| Error::backend(KIND.name(), context, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_versions_parse_or_name_the_value_and_range() {
        assert_eq!(parse_write_version(None).unwrap(), EnvelopeVersion::V1);
        assert_eq!(parse_write_version(Some("2")).unwrap(), EnvelopeVersion::V2);
        let garbage = parse_write_version(Some("two")).unwrap_err().to_string();
        assert!(
            garbage.contains("\"two\"") && garbage.contains("1..=2"),
            "{garbage}"
        );
        let too_new = parse_write_version(Some("3")).unwrap_err().to_string();
        assert!(
            too_new.contains('3') && too_new.contains("1..=2"),
            "{too_new}"
        );
    }
}
