//! Which failures are worth another try, and trying again with backoff.
//!
//! A failure is transient when the connection failed rather than the
//! request: refused (nothing was sent), or reset, broken or ended by a
//! server shutting down (the request may or may not have been applied).
//! [`Backend`](crate::Backend) retries reads and writes that are safe to
//! repeat on either; a write that is not is retried only when nothing was
//! sent, and otherwise reported as [`Error::OutcomeUnknown`] by its caller.
//! A stall that ran out the time limit is not retried: the wait already
//! took as long as the caller allowed.

use std::future::Future;
use std::io;
use std::time::Duration;

use redis::RedisError;

use crate::backend::redis::link::{CONNECT_STALLED, NOT_CONNECTED};
use crate::error::{Error, Result};

/// How many times a call is made in all before its failure is returned.
const ATTEMPTS: u32 = 8;
/// The pause before the first retry; each next one doubles, up to
/// [`MAX_PAUSE`] (about 4 s of pauses in all, about the connect timeout:
/// long enough to ride out a server restart or a flapping network).
const FIRST_PAUSE: Duration = Duration::from_millis(100);
/// The longest pause between two attempts.
const MAX_PAUSE: Duration = Duration::from_millis(800);

/// The failure to open a new connection for a call: nothing of the call
/// reached the server, whatever the reason (refused, cut mid-handshake,
/// garbled), so it is safe to try again. Drivers' connection failures are
/// wrapped in it where they happen (see the Postgres pool).
#[derive(Debug)]
pub(crate) struct NeverSent {
    /// The server the connection was for.
    pub(crate) server: String,
    /// Why it could not be opened.
    pub(crate) source: Box<dyn std::error::Error + Send + Sync>,
}

impl std::fmt::Display for NeverSent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "cannot open a new connection to {}: {}",
            self.server, self.source
        )
    }
}

impl std::error::Error for NeverSent {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.source.as_ref())
    }
}

/// What a failure says about the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The connection was refused: the request never left.
    NotSent,
    /// The connection broke after the request may have been sent.
    Lost,
    /// Connecting ran out its time limit: the request never left, but the
    /// wait already took as long as allowed.
    StalledUnsent,
    /// The reply did not come within the time limit: the request may yet
    /// be applied.
    Stalled,
    /// Anything else: the request's own failure.
    Final,
}

/// Classifies `error` by the driver error at its source.
pub(crate) fn classify(error: &Error) -> Failure {
    let Error::Backend { source, .. } = error else {
        return Failure::Final;
    };
    if let Some(sqlx) = source.downcast_ref::<sqlx::Error>() {
        return classify_sqlx(sqlx);
    }
    if let Some(redis) = source.downcast_ref::<RedisError>() {
        return classify_redis(redis);
    }
    source
        .downcast_ref::<io::Error>()
        .map_or(Failure::Final, classify_io)
}

/// A [`NeverSent`] connection failure is safe to retry unless it was a
/// stall, whose wait already took as long as allowed.
fn classify_never_sent(failure: &NeverSent) -> Failure {
    let stalled = match failure.source.downcast_ref::<sqlx::Error>() {
        Some(sqlx::Error::Io(io)) => io.kind() == io::ErrorKind::TimedOut,
        _ => false,
    };
    if stalled {
        Failure::StalledUnsent
    } else {
        Failure::NotSent
    }
}

fn classify_io(error: &io::Error) -> Failure {
    if let Some(never_sent) = error.get_ref().and_then(|e| e.downcast_ref::<NeverSent>()) {
        return classify_never_sent(never_sent);
    }
    match error.kind() {
        io::ErrorKind::ConnectionRefused => Failure::NotSent,
        io::ErrorKind::ConnectionReset
        | io::ErrorKind::ConnectionAborted
        | io::ErrorKind::BrokenPipe
        | io::ErrorKind::UnexpectedEof
        | io::ErrorKind::NotConnected => Failure::Lost,
        io::ErrorKind::TimedOut => Failure::Stalled,
        _ => Failure::Final,
    }
}

/// SQLSTATEs that mean the session ended. 57P01 (admin shutdown), 57P02
/// (crash shutdown) and 57P03 (cannot connect now): the server ended the
/// session before the statement's transaction committed, so it was rolled
/// back (each call is one statement in its own transaction) and is safe
/// to send again; this is what a restarted server answers on a connection
/// that was idle. Class 08 (connection exception): the outcome is unknown.
fn classify_sqlx(error: &sqlx::Error) -> Failure {
    match error {
        sqlx::Error::Io(io) => classify_io(io),
        sqlx::Error::Database(db) => match db.code().as_deref() {
            Some("57P01" | "57P02" | "57P03") => Failure::NotSent,
            Some(code) if code.starts_with("08") => Failure::Lost,
            _ => Failure::Final,
        },
        _ => Failure::Final,
    }
}

/// A call that could not open a connection is marked by the link (see
/// `redis::link`). Besides refused and dropped connections, the multiplexed connection
/// reports its own end ("driver unexpectedly terminated") as an I/O error
/// without an `io::Error` inside; all I/O errors but timeouts are losses.
fn classify_redis(error: &RedisError) -> Failure {
    if error.kind() == redis::ErrorKind::ClientError {
        let text = error.to_string();
        if text.starts_with(CONNECT_STALLED) {
            return Failure::StalledUnsent;
        }
        if text.starts_with(NOT_CONNECTED) {
            return Failure::NotSent;
        }
    }
    if error.is_connection_refusal() || error.kind() == redis::ErrorKind::BusyLoadingError {
        Failure::NotSent
    } else if error.is_timeout() {
        Failure::Stalled
    } else if error.is_connection_dropped() || error.is_io_error() {
        Failure::Lost
    } else {
        Failure::Final
    }
}

/// Whether `error` is a failure of the connection rather than of the
/// request: refused, lost, or stalled past the time limit. A caller that
/// keeps going on its own (a follower polling for new events) can wait
/// for the server and try again; others should report it.
pub fn is_connection_failure(error: &Error) -> bool {
    classify(error) != Failure::Final
}

/// Runs `call` until it succeeds, fails for good, or has been tried
/// [`ATTEMPTS`] times, pausing with backoff between tries; `retry_on`
/// decides which failures are tried again.
async fn with_backoff<T, F, Fut>(retry_on: fn(Failure) -> bool, mut call: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut pause = FIRST_PAUSE;
    let mut attempt = 1;
    loop {
        match call().await {
            Err(e) if attempt < ATTEMPTS && retry_on(classify(&e)) => {
                tracing::info!("retrying in {pause:?} after a connection failure: {e}");
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(MAX_PAUSE);
                attempt += 1;
            }
            outcome => return outcome,
        }
    }
}

/// Runs a call that is safe to repeat (a read, or a write whose repetition
/// changes nothing), retrying every transient failure.
pub(crate) async fn repeatable<T, F, Fut>(call: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    with_backoff(|f| matches!(f, Failure::NotSent | Failure::Lost), call).await
}

/// Runs a write that must not be repeated blindly, retrying only failures
/// where nothing was sent; a lost connection is returned for the caller
/// to report as [`Error::OutcomeUnknown`] (see [`unknown_outcome`]).
pub(crate) async fn once<T, F, Fut>(call: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    with_backoff(|f| f == Failure::NotSent, call).await
}

/// Turns a lost connection or a stall after a write was sent into
/// [`Error::OutcomeUnknown`], saying what was written and how to check
/// (`check`); other failures pass through.
pub(crate) fn unknown_outcome(error: Error, what: String, check: String) -> Error {
    if matches!(classify(&error), Failure::Lost | Failure::Stalled) {
        Error::OutcomeUnknown {
            what,
            check,
            source: Box::new(error),
        }
    } else {
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    fn io_failure(kind: io::ErrorKind) -> Error {
        Error::backend(
            "postgres",
            "reading",
            sqlx::Error::Io(io::Error::from(kind)),
        )
    }

    #[test]
    fn failures_classify_by_what_reached_the_server() {
        assert_eq!(
            classify(&io_failure(io::ErrorKind::ConnectionRefused)),
            Failure::NotSent
        );
        assert_eq!(
            classify(&io_failure(io::ErrorKind::ConnectionReset)),
            Failure::Lost
        );
        assert_eq!(
            classify(&io_failure(io::ErrorKind::BrokenPipe)),
            Failure::Lost
        );
        assert_eq!(
            classify(&io_failure(io::ErrorKind::TimedOut)),
            Failure::Stalled
        );
        assert_eq!(
            classify(&io_failure(io::ErrorKind::InvalidData)),
            Failure::Final
        );
        let connect_stall = io::Error::other(NeverSent {
            server: "db:5432".into(),
            source: Box::new(sqlx::Error::Io(io::ErrorKind::TimedOut.into())),
        });
        let stalled = Error::backend("postgres", "reading", sqlx::Error::Io(connect_stall));
        assert_eq!(classify(&stalled), Failure::StalledUnsent);
        let unsent = RedisError::from((
            redis::ErrorKind::ClientError,
            NOT_CONNECTED,
            "to cache:6379: refused".to_string(),
        ));
        assert_eq!(
            classify(&Error::backend("redis", "x", unsent)),
            Failure::NotSent
        );
        let redis = RedisError::from(io::Error::from(io::ErrorKind::BrokenPipe));
        assert_eq!(
            classify(&Error::backend("redis", "x", redis)),
            Failure::Lost
        );
        assert_eq!(classify(&Error::NotFound("x".into())), Failure::Final);
        let unsent = io::Error::other(NeverSent {
            server: "db:5432".into(),
            source: "cut during the handshake".into(),
        });
        let failure = Error::backend("postgres", "reading", sqlx::Error::Io(unsent));
        assert_eq!(classify(&failure), Failure::NotSent);
        assert!(failure
            .to_string()
            .contains("cannot open a new connection to db:5432"));
    }

    #[tokio::test(start_paused = true)]
    async fn reads_retry_lost_connections_and_writes_only_unsent_ones() {
        let calls = AtomicU32::new(0);
        let flaky = || async {
            match calls.fetch_add(1, Ordering::Relaxed) {
                0 => Err(io_failure(io::ErrorKind::ConnectionReset)),
                _ => Ok(7),
            }
        };
        assert_eq!(repeatable(flaky).await.unwrap(), 7);
        calls.store(0, Ordering::Relaxed);
        let error = once(flaky).await.unwrap_err();
        assert_eq!(calls.load(Ordering::Relaxed), 1);
        let reported = unknown_outcome(error, "appending".into(), "look".into()).to_string();
        assert!(
            reported.contains("the server may have applied it"),
            "{reported}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn retries_stop_after_the_last_attempt() {
        let calls = AtomicU32::new(0);
        let refused = || async {
            calls.fetch_add(1, Ordering::Relaxed);
            Err::<(), _>(io_failure(io::ErrorKind::ConnectionRefused))
        };
        assert!(once(refused).await.is_err());
        assert_eq!(calls.load(Ordering::Relaxed), ATTEMPTS);
    }
}
