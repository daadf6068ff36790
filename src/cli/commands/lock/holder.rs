//! Holding a Postgres session lock beyond the `lock acquire` process.
//!
//! A Postgres session advisory lock lives only as long as the connection
//! that took it, so `lock acquire` on Postgres starts a detached holder
//! (this binary's hidden `lock hold` command) that takes the lock on its
//! own connection, reports the token back over a pipe, and keeps the lock
//! until `lock release --token` asks it to let go, it is signalled, or the
//! TTL passes. Release requests reach the holder over a Unix socket named
//! after the token, in a directory only the current user can enter.

use std::ffi::OsString;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{anyhow, bail, Context as _};
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::process::Command;

use threadctl::{DistributedLock, Error, LockGuard, ThreadKey};

use super::signals::Signals;

/// The holder's first (and only) line on its stdout.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum Handshake {
    /// The lock is held; here is its token.
    Held { token: String },
    /// The lock stayed busy for the whole wait.
    Busy { message: String },
    /// Anything else went wrong.
    Failed { message: String },
}

/// A release request sent to a holder.
#[derive(Debug, Serialize, Deserialize)]
struct ReleaseRequest {
    tenant: String,
    thread: String,
}

/// A holder's answer to a release request.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum ReleaseReply {
    /// The lock was released.
    Released,
    /// The token holds another thread's lock; nothing was done.
    WrongThread,
    /// The lock was already gone.
    Lost { message: String },
}

/// Starts a detached holder for `thread` on the Postgres store `url`,
/// connecting as `env` (the connection flags as environment variables)
/// says, and returns the token it reports.
pub async fn acquire_detached(
    url: &str,
    env: &[(&'static str, OsString)],
    thread: &ThreadKey,
    ttl: Duration,
    wait: Duration,
) -> anyhow::Result<String> {
    let exe = std::env::current_exe().context("cannot find the threadctl executable")?;
    let mut command = Command::new(exe);
    command
        .args(["lock", "hold", thread.thread.as_str()])
        .arg(format!("--ttl={}ms", ttl.as_millis()));
    if wait.is_zero() {
        command.arg("--no-wait");
    } else {
        command.arg(format!("--wait={}ms", wait.as_millis()));
    }
    let mut child = command
        .env("THREADCTL_URL", url)
        .envs(env.iter().map(|(name, value)| (name, value)))
        .env("THREADCTL_TENANT", thread.tenant.as_str())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .current_dir("/")
        .process_group(0)
        .spawn()
        .context("cannot start the lock holder process")?;
    let (Some(stdout), Some(mut stderr)) = (child.stdout.take(), child.stderr.take()) else {
        bail!("the lock holder's output is not connected");
    };
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .await
        .context("cannot read the lock holder's answer")?;
    let Ok(answer) = serde_json::from_str::<Handshake>(line.trim()) else {
        let mut why = String::new();
        let _ = stderr.read_to_string(&mut why).await;
        bail!(
            "the lock holder exited without taking the lock: {}",
            why.trim().trim_start_matches("error: ")
        );
    };
    match answer {
        Handshake::Held { token } => Ok(token),
        Handshake::Busy { message } => Err(Error::LockBusy {
            key: message,
            waited: Some(wait),
        }
        .into()),
        Handshake::Failed { message } => bail!("the lock holder failed: {message}"),
    }
}

/// The hidden `lock hold` command: acquire, answer on stdout, hold until
/// released, signalled or the TTL passes, then release.
pub async fn hold<L: DistributedLock>(
    backend: &L,
    thread: &ThreadKey,
    ttl: Duration,
    wait: Duration,
) -> anyhow::Result<()> {
    let signals = match Signals::install() {
        Ok(signals) => signals,
        Err(e) => {
            let e = anyhow!(e).context("cannot install signal handlers");
            answer_parent(&Handshake::Failed {
                message: format!("{e:#}"),
            })
            .await?;
            return Err(e);
        }
    };
    let guard = match backend.acquire(thread, ttl, wait).await {
        Ok(guard) => guard,
        Err(e) => {
            let answer = match &e {
                Error::LockBusy { .. } => Handshake::Busy {
                    message: format!("session lock of {thread}"),
                },
                _ => Handshake::Failed {
                    message: e.to_string(),
                },
            };
            answer_parent(&answer).await?;
            return Err(e.into());
        }
    };
    let path = match socket_path(guard.token()) {
        Ok(path) => path,
        Err(e) => return fail_after_acquire(guard, e).await,
    };
    let listener = match UnixListener::bind(&path) {
        Ok(listener) => listener,
        Err(e) => {
            let e = anyhow!(e).context(format!("cannot listen on {}", path.display()));
            return fail_after_acquire(guard, e).await;
        }
    };
    answer_parent(&Handshake::Held {
        token: guard.token().to_string(),
    })
    .await?;
    let requester = wait_for_release(&listener, signals, thread, ttl).await;
    let _ = std::fs::remove_file(&path);
    let reply = match guard.release().await {
        Ok(()) => ReleaseReply::Released,
        Err(e) => ReleaseReply::Lost {
            message: e.to_string(),
        },
    };
    if let Some(mut stream) = requester {
        let _ = write_line(&mut stream, &reply).await;
    }
    Ok(())
}

/// Releases a lock taken by a holder that could not start listening, and
/// tells the parent.
async fn fail_after_acquire(guard: LockGuard, e: anyhow::Error) -> anyhow::Result<()> {
    let _ = guard.release().await;
    answer_parent(&Handshake::Failed {
        message: format!("{e:#}"),
    })
    .await?;
    Err(e)
}

/// Waits until the TTL passes, SIGINT or SIGTERM arrives (SIGHUP is
/// ignored: the holder outlives the terminal), or a release request for
/// `thread` comes in (returned so it can be answered).
async fn wait_for_release(
    listener: &UnixListener,
    mut signals: Signals,
    thread: &ThreadKey,
    ttl: Duration,
) -> Option<UnixStream> {
    let deadline = tokio::time::sleep(ttl);
    tokio::pin!(deadline);
    loop {
        tokio::select! {
            _ = &mut deadline => return None,
            signo = signals.recv() => {
                if signo != libc::SIGHUP {
                    return None;
                }
            }
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else { continue };
                if let Some(stream) = check_request(stream, thread).await {
                    return Some(stream);
                }
            }
        }
    }
}

/// Reads a release request; returns the stream when it names `thread`,
/// after telling the requester otherwise.
async fn check_request(stream: UnixStream, thread: &ThreadKey) -> Option<UnixStream> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line).await.ok()?;
    let mut stream = reader.into_inner();
    let request: ReleaseRequest = serde_json::from_str(line.trim()).ok()?;
    if request.tenant == thread.tenant.as_str() && request.thread == thread.thread.as_str() {
        return Some(stream);
    }
    let _ = write_line(&mut stream, &ReleaseReply::WrongThread).await;
    None
}

/// Asks the holder of `token`, if one runs on this machine, to release
/// `thread`'s lock: true when it did, false when no such holder runs (a
/// token no holder could have included) or it no longer held the lock.
/// An error only when the holder could not be talked to.
pub async fn release_via_holder(thread: &ThreadKey, token: &str) -> anyhow::Result<bool> {
    if !token_shaped(token) {
        return Ok(false);
    }
    let path = socket_path(token)?;
    let Ok(mut stream) = UnixStream::connect(&path).await else {
        return Ok(false);
    };
    let request = ReleaseRequest {
        tenant: thread.tenant.to_string(),
        thread: thread.thread.to_string(),
    };
    write_line(&mut stream, &request)
        .await
        .context("cannot reach the lock holder")?;
    let mut line = String::new();
    BufReader::new(stream)
        .read_line(&mut line)
        .await
        .context("cannot read the lock holder's answer")?;
    let reply: ReleaseReply = serde_json::from_str(line.trim())
        .with_context(|| format!("unexpected answer from the lock holder: {line:?}"))?;
    match reply {
        ReleaseReply::Released => Ok(true),
        ReleaseReply::Lost { message } => {
            tracing::info!("the lock holder had lost the lock: {message}");
            Ok(false)
        }
        ReleaseReply::WrongThread => {
            tracing::info!("token {token} holds the session lock of another thread");
            Ok(false)
        }
    }
}

/// Asks every holder running on this machine for this user to release
/// `thread`'s lock (`lock break` does, since it knows no token): the one
/// holding it lets go and exits; the others answer that it is another
/// thread's and keep theirs. True when a holder released the lock.
pub async fn release_local_holders(thread: &ThreadKey) -> anyhow::Result<bool> {
    let dir = socket_dir()?;
    let entries =
        std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?;
    let mut released = false;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(token) = name.to_str().and_then(|n| n.strip_suffix(".sock")) else {
            continue;
        };
        released |= release_via_holder(thread, token).await.unwrap_or(false);
    }
    Ok(released)
}

/// Whether `token` looks like a token (letters, digits, '-'), and so can
/// name a holder's socket.
fn token_shaped(token: &str) -> bool {
    !token.is_empty() && token.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Writes `value` as one JSON line.
async fn write_line<T: Serialize>(stream: &mut UnixStream, value: &T) -> anyhow::Result<()> {
    let mut line = serde_json::to_string(value)?;
    line.push('\n');
    stream.write_all(line.as_bytes()).await?;
    Ok(())
}

/// Sends the handshake line to the parent `lock acquire`.
async fn answer_parent(answer: &Handshake) -> anyhow::Result<()> {
    let mut line = serde_json::to_string(answer)?;
    line.push('\n');
    let mut stdout = tokio::io::stdout();
    stdout.write_all(line.as_bytes()).await?;
    stdout.flush().await?;
    Ok(())
}

/// The release socket of `token`, in a private per-user directory.
fn socket_path(token: &str) -> anyhow::Result<PathBuf> {
    if !token_shaped(token) {
        bail!("invalid lock token {token:?}: expected letters, digits and '-'");
    }
    Ok(socket_dir()?.join(format!("{token}.sock")))
}

/// The private per-user directory of the holders' release sockets.
fn socket_dir() -> anyhow::Result<PathBuf> {
    let dir = match dirs::runtime_dir() {
        Some(dir) => dir.join("threadctl-locks"),
        // SAFETY: getuid(2) cannot fail and touches no memory.
        None => std::env::temp_dir().join(format!("threadctl-locks-{}", unsafe { libc::getuid() })),
    };
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(&dir)
        .with_context(|| format!("cannot create {}", dir.display()))?;
    let meta =
        std::fs::metadata(&dir).with_context(|| format!("cannot inspect {}", dir.display()))?;
    // SAFETY: getuid(2) cannot fail and touches no memory.
    let uid = unsafe { libc::getuid() };
    if meta.uid() != uid || meta.permissions().mode() & 0o077 != 0 {
        bail!(
            "{} belongs to another user or is open to them; refusing to use it",
            dir.display()
        );
    }
    Ok(dir)
}
