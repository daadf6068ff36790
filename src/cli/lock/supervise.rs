//! `lock run`: run a command while holding the session lock, extending it
//! on a heartbeat, forwarding signals, and terminating the command if the
//! lock is lost.

use std::ffi::OsString;
use std::io;
use std::os::fd::AsRawFd;
use std::os::unix::process::ExitStatusExt;
use std::process::ExitStatus;
use std::time::Duration;

use tokio::process::{Child, Command};
use tokio::time::{interval_at, Instant, MissedTickBehavior};

use threadctl::{Error, LockGuard};

use super::signals::Signals;

/// Environment variable carrying the backend lock key to the command.
pub const KEY_ENV: &str = "THREADCTL_LOCK_KEY";
/// Environment variable carrying the holder token to the command.
pub const TOKEN_ENV: &str = "THREADCTL_LOCK_TOKEN";

/// Longest wait between SIGTERM and SIGKILL once the lock is lost.
const MAX_GRACE: Duration = Duration::from_secs(5);

/// How a supervised command ended.
#[derive(Debug)]
pub enum RunOutcome {
    /// The command ran and ended on its own (or after a forwarded signal).
    Finished(ExitStatus),
    /// The command could not be started.
    SpawnFailed(io::Error),
    /// The lock was lost; the command was terminated.
    LockLost {
        /// Why the lock counts as lost.
        reason: String,
        /// How the terminated command ended, if it could be reaped.
        status: Option<ExitStatus>,
    },
    /// The command finished, but the lock turned out to be lost when it
    /// was released: the command ran at least partly unprotected.
    LostAtRelease {
        /// Why the lock counts as lost.
        reason: String,
        /// How the command ended.
        status: ExitStatus,
    },
    /// Waiting on the command failed.
    Failed(io::Error),
}

impl RunOutcome {
    /// The process exit code shells use for this outcome: the command's
    /// own status, 128 + signal number when a signal ended it, 127 when
    /// the command does not exist, 126 when it cannot be executed, 4 when
    /// the lock was lost (while the command ran or found at release), and
    /// 1 when supervision failed.
    pub fn exit_code(&self) -> u8 {
        match self {
            RunOutcome::Finished(status) => status_code(*status),
            RunOutcome::SpawnFailed(e) if e.kind() == io::ErrorKind::NotFound => 127,
            RunOutcome::SpawnFailed(_) => 126,
            RunOutcome::LockLost { .. } | RunOutcome::LostAtRelease { .. } => 4,
            RunOutcome::Failed(_) => 1,
        }
    }
}

/// The shell convention for an exit status: its code, or 128 + signal.
fn status_code(status: ExitStatus) -> u8 {
    let code = match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signo)) => 128 + signo,
        (None, None) => 1,
    };
    u8::try_from(code).unwrap_or(1)
}

/// Runs `command` under `guard`, extending the lock every `ttl / 3`, and
/// releases the lock when it is done, whatever happened: this is the one
/// place a `lock run` lock is released. A command that finished although
/// the lock was lost before the release (between two heartbeats) is
/// reported as [`RunOutcome::LostAtRelease`].
pub async fn run_locked(
    mut guard: LockGuard,
    signals: Signals,
    ttl: Duration,
    command: &[OsString],
) -> RunOutcome {
    let outcome = supervise(&mut guard, signals, ttl, command).await;
    match (guard.release().await, outcome) {
        (Err(Error::LockLost(reason)), RunOutcome::Finished(status)) => {
            RunOutcome::LostAtRelease { reason, status }
        }
        (Ok(()) | Err(Error::LockLost(_)), outcome) => outcome,
        (Err(e), outcome) => {
            tracing::warn!("could not release the session lock: {e}; it expires with its TTL");
            outcome
        }
    }
}

/// Forwards `signo` to the command, except a SIGINT or SIGHUP while
/// threadctl runs in the foreground of its terminal: the terminal sends
/// those to the whole foreground process group, the command included, and
/// forwarding would deliver them twice (a second Ctrl-C interrupting the
/// command's own cleanup).
fn forward(child: &Child, signo: i32) {
    if (signo == libc::SIGINT || signo == libc::SIGHUP) && in_terminal_foreground() {
        return;
    }
    send_signal(child, signo);
}

/// True when our process group is the foreground group of our controlling
/// terminal.
fn in_terminal_foreground() -> bool {
    let Ok(tty) = std::fs::File::open("/dev/tty") else {
        return false;
    };
    // SAFETY: tcgetpgrp(3) on a descriptor we own for the whole call, and
    // getpgrp(2), which cannot fail; neither touches our memory.
    unsafe { libc::tcgetpgrp(tty.as_raw_fd()) == libc::getpgrp() }
}

/// Sends `signo` to the child, if it is still running.
fn send_signal(child: &Child, signo: i32) {
    let Some(pid) = child.id() else { return };
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return;
    };
    // SAFETY: kill(2) has no memory-safety preconditions; `pid` is our own
    // unreaped child, so it cannot name a recycled process.
    let rc = unsafe { libc::kill(pid, signo) };
    if rc != 0 {
        tracing::debug!(
            "could not send signal {signo} to the command: {}",
            io::Error::last_os_error()
        );
    }
}

/// Starts the command and waits for it, forwarding signals and extending
/// the lock; terminates the command when the lock is lost.
async fn supervise(
    guard: &mut LockGuard,
    mut signals: Signals,
    ttl: Duration,
    command: &[OsString],
) -> RunOutcome {
    let Some((program, args)) = command.split_first() else {
        return RunOutcome::SpawnFailed(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no command given",
        ));
    };
    let mut child = match Command::new(program)
        .args(args)
        .env(KEY_ENV, guard.key())
        .env(TOKEN_ENV, guard.token())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return RunOutcome::SpawnFailed(e),
    };

    let period = (ttl / 3).max(Duration::from_millis(10));
    let mut heartbeat = interval_at(Instant::now() + period, period);
    heartbeat.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut last_extended = Instant::now();
    let reason = loop {
        tokio::select! {
            status = child.wait() => {
                return match status {
                    Ok(status) => RunOutcome::Finished(status),
                    Err(e) => RunOutcome::Failed(e),
                };
            }
            signo = signals.recv() => forward(&child, signo),
            _ = heartbeat.tick() => {
                match tokio::time::timeout(period, guard.extend(ttl)).await {
                    Ok(Ok(())) => last_extended = Instant::now(),
                    Ok(Err(Error::LockLost(reason))) => break reason,
                    failed => {
                        let why = match failed {
                            Ok(Err(e)) => e.to_string(),
                            _ => format!("no answer within {period:?}"),
                        };
                        if last_extended.elapsed() + period >= ttl {
                            break format!(
                                "could not extend it before its TTL ran out (last error: {why})"
                            );
                        }
                        tracing::warn!("could not extend the session lock, retrying: {why}");
                    }
                }
            }
        }
    };
    let status = terminate(&mut child, ttl.min(MAX_GRACE)).await;
    RunOutcome::LockLost { reason, status }
}

/// SIGTERM, then SIGKILL if the child outlives `grace`; returns how it ended.
async fn terminate(child: &mut Child, grace: Duration) -> Option<ExitStatus> {
    send_signal(child, libc::SIGTERM);
    if let Ok(Ok(status)) = tokio::time::timeout(grace, child.wait()).await {
        return Some(status);
    }
    send_signal(child, libc::SIGKILL);
    child.wait().await.ok()
}
