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
use tokio::time::{sleep_until, timeout_at, Instant};

use threadctl::{Error, LockGuard};

use super::signals::Signals;
use crate::cli::exit;

/// Environment variable carrying the backend lock key to the command.
pub const KEY_ENV: &str = "THREADCTL_LOCK_KEY";
/// Environment variable carrying the holder token to the command.
pub const TOKEN_ENV: &str = "THREADCTL_LOCK_TOKEN";

/// Longest wait between SIGTERM and SIGKILL once the lock is lost.
const MAX_GRACE: Duration = Duration::from_secs(5);

/// Longest time left for SIGKILL to take effect and the command to be
/// reaped, after the grace period.
const MAX_KILL_SLACK: Duration = Duration::from_secs(1);

/// How long a release may take after the lock was lost: the lock is
/// already gone or about to expire, so a stalled server is not waited on.
const RELEASE_AFTER_LOSS: Duration = Duration::from_secs(1);

/// The wait between SIGTERM and SIGKILL: a sixth of the TTL, at most
/// [`MAX_GRACE`] (5s for the default 30s TTL).
fn grace(ttl: Duration) -> Duration {
    (ttl / 6).min(MAX_GRACE)
}

/// How long before the lock can expire `lock run` stops extending it and
/// terminates the command: the grace period plus the time SIGKILL and
/// reaping take, so that even a command ignoring SIGTERM is dead before
/// another holder can take the lock.
fn stop_margin(ttl: Duration) -> Duration {
    grace(ttl) + (ttl / 10).min(MAX_KILL_SLACK)
}

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
    /// The lock could not be confirmed before the command was to start
    /// (its first extension failed); the command was not started.
    NotStarted {
        /// Why.
        reason: String,
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
            RunOutcome::LockLost { .. }
            | RunOutcome::LostAtRelease { .. }
            | RunOutcome::NotStarted { .. } => exit::ExitStatus::LockBusy.code(),
            RunOutcome::Failed(_) => exit::ExitStatus::Error.code(),
        }
    }
}

/// The shell convention for an exit status: its code, or 128 + signal.
fn status_code(status: ExitStatus) -> u8 {
    let code = match (status.code(), status.signal()) {
        (Some(code), _) => code,
        (None, Some(signo)) => 128 + signo,
        (None, None) => exit::ExitStatus::Error.code().into(),
    };
    u8::try_from(code).unwrap_or(exit::ExitStatus::Error.code())
}

/// Runs `command` under `guard`, extending the lock every `ttl / 3`, and
/// releases the lock when it is done, whatever happened: this is the one
/// place a `lock run` lock is released (after a loss, without waiting more
/// than [`RELEASE_AFTER_LOSS`] on a server that may be unreachable). A command that finished although
/// the lock was lost before the release (between two heartbeats) is
/// reported as [`RunOutcome::LostAtRelease`].
pub async fn run_locked(
    mut guard: LockGuard,
    signals: Signals,
    ttl: Duration,
    command: &[OsString],
) -> RunOutcome {
    let outcome = supervise(&mut guard, signals, ttl, command).await;
    let released = match &outcome {
        RunOutcome::LockLost { .. } | RunOutcome::NotStarted { .. } => {
            tokio::time::timeout(RELEASE_AFTER_LOSS, guard.release())
                .await
                .unwrap_or(Ok(()))
        }
        _ => guard.release().await,
    };
    match (released, outcome) {
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

/// The running command and whom signals meant for it reach.
struct Supervised {
    child: Child,
    /// Whether the command leads its own process group, so that signals
    /// reach everything it started (not when threadctl runs in the
    /// foreground of its terminal: see [`spawn`]).
    own_group: bool,
}

impl Supervised {
    /// Forwards `signo` to the command, except a SIGINT or SIGHUP while
    /// the command shares threadctl's foreground process group: the
    /// terminal sends those to that whole group, the command included, and
    /// forwarding would deliver them twice (a second Ctrl-C interrupting the
    /// command's own cleanup).
    fn forward(&self, signo: i32) {
        if (signo == libc::SIGINT || signo == libc::SIGHUP) && !self.own_group {
            return;
        }
        self.signal(signo);
    }

    /// Sends `signo` to the command's process group (or to the command
    /// alone when it shares threadctl's group), if the command still runs.
    fn signal(&self, signo: i32) {
        let Some(pid) = self
            .child
            .id()
            .and_then(|pid| libc::pid_t::try_from(pid).ok())
        else {
            return;
        };
        let target = if self.own_group { -pid } else { pid };
        // SAFETY: kill(2) has no memory-safety preconditions; `pid` is our
        // own unreaped child (and the leader of its group), so neither it
        // nor its group can name a recycled process.
        let rc = unsafe { libc::kill(target, signo) };
        if rc != 0 {
            tracing::debug!(
                "could not send signal {signo} to the command: {}",
                io::Error::last_os_error()
            );
        }
    }
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

/// Starts the command. It gets a process group of its own, so that a lost
/// lock or a forwarded signal reaches everything it started, unless
/// threadctl runs in the foreground of its terminal: there the command
/// stays in threadctl's group so that it can read the terminal and job
/// control (Ctrl-C, Ctrl-Z) keeps working. On Linux the command is also
/// SIGKILLed should threadctl die (even by SIGKILL), so that it cannot
/// outlive the lock's holder.
fn spawn(command: &mut Command) -> io::Result<Supervised> {
    let own_group = !in_terminal_foreground();
    if own_group {
        command.process_group(0);
    }
    #[cfg(target_os = "linux")]
    {
        // SAFETY: getpid(2) cannot fail.
        let parent = unsafe { libc::getpid() };
        // SAFETY: the hook only makes async-signal-safe calls (prctl,
        // getppid, kill) and touches no memory but its copied `parent`.
        unsafe {
            command.pre_exec(move || {
                if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                    return Err(io::Error::last_os_error());
                }
                // threadctl died before the death signal was armed.
                if libc::getppid() != parent {
                    libc::kill(libc::getpid(), libc::SIGKILL);
                }
                Ok(())
            });
        }
    }
    Ok(Supervised {
        child: command.spawn()?,
        own_group,
    })
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
    // Extended once before the start, so that the time of a successful
    // extension sent is known: the lock cannot expire before it + TTL.
    let mut extended_at = Instant::now();
    if let Err(e) = guard.extend(ttl).await {
        return RunOutcome::NotStarted {
            reason: e.to_string(),
        };
    }
    let mut command = Command::new(program);
    command
        .args(args)
        .env(KEY_ENV, guard.key())
        .env(TOKEN_ENV, guard.token());
    let mut cmd = match spawn(&mut command) {
        Ok(cmd) => cmd,
        Err(e) => return RunOutcome::SpawnFailed(e),
    };

    let period = (ttl / 3).max(Duration::from_millis(10));
    let margin = stop_margin(ttl);
    let mut next_beat = extended_at + period;
    let mut last_error = None;
    let reason = loop {
        let stop_at = extended_at + ttl - margin;
        tokio::select! {
            status = cmd.child.wait() => {
                return match status {
                    Ok(status) => RunOutcome::Finished(status),
                    Err(e) => RunOutcome::Failed(e),
                };
            }
            signo = signals.recv() => cmd.forward(signo),
            _ = sleep_until(stop_at) => break out_of_time(margin, last_error),
            _ = sleep_until(next_beat) => {
                let sent = Instant::now();
                match timeout_at(stop_at, guard.extend(ttl)).await {
                    Ok(Ok(())) => {
                        extended_at = sent;
                        next_beat = sent + period;
                        last_error = None;
                    }
                    Ok(Err(Error::LockLost(reason))) => break reason,
                    Ok(Err(e)) => {
                        tracing::warn!("could not extend the session lock, retrying: {e}");
                        last_error = Some(e.to_string());
                        next_beat = Instant::now() + (period / 3).max(Duration::from_millis(10));
                    }
                    Err(_) => break out_of_time(margin, last_error),
                }
            }
        }
    };
    let status = terminate(&mut cmd, grace(ttl)).await;
    RunOutcome::LockLost { reason, status }
}

/// Why the lock counts as lost when no extension succeeded in time.
fn out_of_time(margin: Duration, last_error: Option<String>) -> String {
    let why = last_error.unwrap_or_else(|| "no answer from the server".to_string());
    format!(
        "could not extend it in time ({why}); gave up {} before it could expire, \
         to stop the command first",
        humantime::format_duration(margin)
    )
}

/// SIGTERM to the command's group, then SIGKILL to whatever of it outlives
/// `grace`; returns how the command ended.
async fn terminate(cmd: &mut Supervised, grace: Duration) -> Option<ExitStatus> {
    let deadline = Instant::now() + grace;
    let group = cmd
        .child
        .id()
        .and_then(|pid| libc::pid_t::try_from(pid).ok());
    cmd.signal(libc::SIGTERM);
    let status = match tokio::time::timeout_at(deadline, cmd.child.wait()).await {
        Ok(Ok(status)) => Some(status),
        Ok(Err(_)) => None,
        Err(_) => {
            cmd.signal(libc::SIGKILL);
            cmd.child.wait().await.ok()
        }
    };
    if let (true, Some(group)) = (cmd.own_group, group) {
        kill_stragglers(group, deadline).await;
    }
    status
}

/// Waits until `deadline` for what the command started to leave its
/// process group `group`, then SIGKILLs whatever remains.
async fn kill_stragglers(group: libc::pid_t, deadline: Instant) {
    // SAFETY: kill(2) on a process group; signal 0 only probes. The group
    // keeps its id while any member lives; only in the moment after its
    // last member ended could the id be reused, which these probes risk.
    let alive = || unsafe { libc::kill(-group, 0) } == 0;
    while alive() && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    if alive() {
        // SAFETY: as above.
        unsafe { libc::kill(-group, libc::SIGKILL) };
    }
}
