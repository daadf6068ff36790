//! Time limits on talking to a server, and the errors that say which
//! limit ran out, where, and what to do about it.

use std::future::Future;
use std::io;
use std::time::Duration;

/// Runs `work` for at most `limit`; when it runs out, the error names
/// `server` and what was being done (`doing`), so a stall is reported as
/// such instead of hanging. The unfinished work is dropped, which closes
/// its connection.
pub(crate) async fn within<T, E>(
    limit: Duration,
    server: &str,
    doing: &str,
    work: impl Future<Output = Result<T, E>>,
) -> Result<T, E>
where
    E: From<io::Error>,
{
    match tokio::time::timeout(limit, work).await {
        Ok(outcome) => outcome,
        Err(_) => Err(stalled(server, limit, doing).into()),
    }
}

/// The error of a wait that ran out: an [`io::ErrorKind::TimedOut`] whose
/// message says which flag raises the limit.
pub(crate) fn stalled(server: &str, limit: Duration, doing: &str) -> io::Error {
    let flag = if doing == CONNECTING {
        "--connect-timeout"
    } else {
        "--timeout"
    };
    io::Error::new(
        io::ErrorKind::TimedOut,
        format!(
            "no answer from {server} within {} while {doing}: the server or the network \
             is stalled (raise {flag} if the server is only slow)",
            humantime::format_duration(limit)
        ),
    )
}

/// What a connection attempt is doing, for [`within`] and [`stalled`].
pub(crate) const CONNECTING: &str = "connecting";

/// What a call is doing once connected, for [`within`] and [`stalled`].
pub(crate) const WAITING_FOR_REPLY: &str = "waiting for its reply";

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stall_names_the_server_the_limit_and_the_flag() {
        let never = std::future::pending::<Result<(), io::Error>>();
        let error = within(Duration::from_millis(20), "db:5432", CONNECTING, never)
            .await
            .unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
        let text = error.to_string();
        assert!(
            text.contains("db:5432") && text.contains("20ms") && text.contains("--connect-timeout"),
            "{text}"
        );
        let reply = stalled("cache:6379", Duration::from_secs(30), WAITING_FOR_REPLY);
        assert!(reply.to_string().contains("--timeout"), "{reply}");
    }
}
