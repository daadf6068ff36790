//! Establishing the Postgres connection: the driver options from the URL
//! and [`ConnectOptions`] (TLS mode, trusted CA), the first connection
//! within the connect timeout, and the per-connection settings.

use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgSslMode};
use sqlx::{Connection, PgConnection};

use crate::backend::deadline::{self, CONNECTING};
use crate::backend::options::ConnectOptions;
use crate::backend::tls::tls_hint;
use crate::backend::url::{redact, scrub};
use crate::error::{Error, Result};

use super::errors;
use super::pool::{ConnPool, Limits};

/// Most connections a backend keeps for single-statement calls (held
/// session locks have their own). The reference pools 16 by default; with
/// fewer, 16 concurrent writers queue for a connection instead of sharing
/// the server's commit flushes (BENCHMARKS.md, "Reference comparison").
const POOL_SIZE: usize = 16;

/// The driver's options for `url`, with the CA of `options` trusted. A
/// CA file turns verification on (`verify-full`) unless the URL chose its
/// own `sslmode`, as a private CA is only given to be checked against.
pub(super) fn driver_options(url: &str, options: &ConnectOptions) -> Result<PgConnectOptions> {
    let mut driver = PgConnectOptions::from_str(url).map_err(|e| {
        Error::invalid("Postgres URL", scrub(&format!("{}: {e}", redact(url)), url))
    })?;
    if let Some(pem) = options.ca_pem()? {
        driver = driver.ssl_root_cert_from_pem(pem);
        if !names_sslmode(url) {
            driver = driver.ssl_mode(PgSslMode::VerifyFull);
        }
    }
    Ok(driver)
}

/// Whether the URL's query sets `sslmode`.
fn names_sslmode(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|parsed| {
        parsed
            .query_pairs()
            .any(|(key, _)| key.eq_ignore_ascii_case("sslmode"))
    })
}

/// `host:port` of the server, for errors (never the password).
pub(super) fn server_name(driver: &PgConnectOptions) -> String {
    match driver.get_socket() {
        Some(socket) => format!("{}", socket.display()),
        None => format!("{}:{}", driver.get_host(), driver.get_port()),
    }
}

/// Opens the pool with a first connection, all within the connect
/// timeout: refused or reset attempts are retried with backoff until it
/// runs out, anything else fails at once.
pub(super) async fn connect_pool(
    driver: PgConnectOptions,
    url: &str,
    options: &ConnectOptions,
) -> Result<ConnPool> {
    let server = server_name(&driver);
    let limits = Limits {
        connect: options.connect_timeout(),
        operation: options.operation_timeout(),
    };
    let first = deadline::within(
        limits.connect,
        &server,
        CONNECTING,
        first_connection(driver, limits.connect),
    )
    .await
    .map_err(|e| connect_error(url, e))?;
    let (driver, first) = first;
    Ok(ConnPool::with_first(
        driver, server, limits, POOL_SIZE, first,
    ))
}

/// The first connection, retrying transient failures until `patience`
/// has passed, and the options later connections use.
async fn first_connection(
    driver: PgConnectOptions,
    patience: Duration,
) -> std::result::Result<(PgConnectOptions, PgConnection), sqlx::Error> {
    let started = Instant::now();
    let mut pause = Duration::from_millis(50);
    loop {
        match PgConnection::connect_with(&driver).await {
            Ok(mut first) => {
                let driver = watch_for_dead_clients(driver, &mut first).await?;
                return Ok((driver, first));
            }
            Err(e) if errors::is_transient(&e) && started.elapsed() + pause < patience => {
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(800));
            }
            Err(e) => return Err(e),
        }
    }
}

/// [`Error::Connect`] for a failed first connection: the URL without its
/// password, the driver's reason scrubbed of it, and how to fix a
/// certificate that did not verify.
fn connect_error(url: &str, error: sqlx::Error) -> Error {
    let reason = scrub(&error.to_string(), url);
    Error::Connect {
        target: redact(url),
        reason: format!("{reason}{}", tls_hint(&reason)),
    }
}

/// How often a server checks, while a statement runs, that its client is
/// still there.
const CLIENT_CHECK_INTERVAL: &str = "1s";

/// On servers that support it (Postgres 14+), makes every connection's
/// statements end when their client disappears: an append waiting for a
/// session lock must not commit later on behalf of a process that was
/// killed meanwhile. Sets it on `first` and returns options that set it
/// on every later connection.
async fn watch_for_dead_clients(
    driver: PgConnectOptions,
    first: &mut PgConnection,
) -> std::result::Result<PgConnectOptions, sqlx::Error> {
    let version: i32 = sqlx::query_scalar("SELECT current_setting('server_version_num')::int")
        .fetch_one(&mut *first)
        .await?;
    let supported = version >= 140_000;
    if supported {
        sqlx::query("SELECT set_config('client_connection_check_interval', $1, false)")
            .bind(CLIENT_CHECK_INTERVAL)
            .execute(&mut *first)
            .await?;
    }
    Ok(if supported {
        driver.options([("client_connection_check_interval", CLIENT_CHECK_INTERVAL)])
    } else {
        driver
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_turns_verification_on_unless_the_url_chose_a_mode() {
        let dir = tempfile_path("ca.pem");
        std::fs::write(&dir, "-----BEGIN CERTIFICATE-----\n").unwrap();
        let options = ConnectOptions::new().with_ca_file(&dir);
        let chosen = driver_options("postgres://h/db", &options).unwrap();
        assert!(matches!(chosen.get_ssl_mode(), PgSslMode::VerifyFull));
        let kept = driver_options("postgres://h/db?sslmode=require", &options).unwrap();
        assert!(matches!(kept.get_ssl_mode(), PgSslMode::Require));
        std::fs::remove_file(&dir).unwrap();
        let plain = driver_options("postgres://h/db", &ConnectOptions::new()).unwrap();
        assert!(matches!(plain.get_ssl_mode(), PgSslMode::Prefer));
    }

    #[test]
    fn bad_urls_never_echo_their_password() {
        let url = "postgres://u:s3cret@h/db?sslmode=bogus&password=hunter2";
        let error = driver_options(url, &ConnectOptions::new())
            .unwrap_err()
            .to_string();
        assert!(
            !error.contains("s3cret") && !error.contains("hunter2"),
            "{error}"
        );
    }

    fn tempfile_path(name: &str) -> std::path::PathBuf {
        std::env::temp_dir().join(format!("tc-{}-{name}", uuid::Uuid::new_v4().simple()))
    }
}
